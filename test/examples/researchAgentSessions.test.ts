/**
 * Which Gumloop session a run works on, as a user sees it: every run a new one (the same topic twice is two
 * sessions), `--resume` the one named and no other, a paused session approved later, and a team key accepted
 * without a user id. Each test starts its own emulator (the agent finishes in a second or two) and checks on it
 * what the runs did.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_AGENTS, type Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { describeRun, emulatorEnv, ourSessions, runAgent } from "./runAgent.js";

let out: string;
const emulators: Emulator[] = [];
async function emulator(durations: Record<string, number> = { research: 1_500, session: 1_000 }) {
  const started = await startTestEmulator({ durations });
  emulators.push(started);
  return started;
}
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "research-sessions-"));
});
afterAll(async () => {
  await Promise.all(emulators.map((started) => started.close()));
  rmSync(out, { recursive: true, force: true });
});

/** The session a run announced as new, or null. */
const announced = (stdout: string) => /New research session (lc_[0-9a-f]{24})/.exec(stdout)?.[1] ?? null;

describe.concurrent("research agent: sessions", () => {
  it("the same topic twice is two new research sessions, each announced, each polled to its end", async () => {
    const gumloop = await emulator();
    const env = emulatorEnv(gumloop);
    const first = await runAgent(["--topic", "salt marshes", "--out", out], { env });
    const second = await runAgent(["--topic", "salt marshes", "--out", out], { env });
    for (const run of [first, second]) {
      expect(run.code, describeRun(run)).toBe(0);
      expect(run.stdout).toMatch(/Session lc_[0-9a-f]{24}: completed after [1-9]\d* polls\./);
    }
    const ids = [announced(first.stdout), announced(second.stdout)];
    expect(ids[0]).not.toBeNull();
    expect(ids[1]).not.toBe(ids[0]);
    const sessions = ourSessions(gumloop);
    expect(sessions.map((session) => session.id).sort()).toEqual([...ids].sort());
    expect(sessions.every((session) => session.state === "completed")).toBe(true);
  }, 60_000);

  it("--resume waits again for a session that outlived --timeout, saves its files, and starts nothing new", async () => {
    const gumloop = await emulator({ research: 8_000 });
    const env = emulatorEnv(gumloop);
    const cut = await runAgent(["--topic", "river deltas", "--timeout", "3", "--out", out], { env });
    expect(cut.code, describeRun(cut)).toBe(1);
    const id = announced(cut.stdout);
    expect(cut.stderr).toContain(`To wait for it again: npm run agent -- --resume ${id}`);

    const resumed = await runAgent(["--resume", id!, "--out", out], { env });
    expect(resumed.code, describeRun(resumed)).toBe(0);
    expect(resumed.stdout).toContain(
      `Resuming session ${id}: waiting for it again (no new session is started).`,
    );
    expect(resumed.stdout).not.toContain("New research session");
    expect(resumed.stdout).toMatch(new RegExp(`Session ${id}: completed after \\d+ polls\\.`));
    expect(resumed.stdout).toContain("Here is my research report on river deltas.");
    expect(readFileSync(join(out, "river-deltas", "river-deltas-report.md"), "utf8")).toContain(
      "river deltas",
    );
    expect(ourSessions(gumloop).map((session) => session.id)).toEqual([id]);
  }, 60_000);

  it("--resume with an id Gumloop does not know says so and creates nothing", async () => {
    const gumloop = await emulator();
    const run = await runAgent(["--resume", "lc_000000000000000000000000", "--out", out], {
      env: emulatorEnv(gumloop),
    });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toMatch(/Gumloop failed: get_single_gumloop_session_by_id failed: 404/);
    expect(run.stderr).toContain("check --agent or --resume");
    expect(ourSessions(gumloop)).toEqual([]);
  }, 60_000);

  it("a session waiting for approval: says what it asks and how to approve; --resume --approve completes it", async () => {
    const gumloop = await emulator();
    const env = emulatorEnv(gumloop);
    const paused = await runAgent(["--agent", "approval", "--topic", "launch update", "--out", out], { env });
    expect(paused.code, describeRun(paused)).toBe(1);
    const id = announced(paused.stdout);
    expect(paused.stderr).toContain(`The Gumloop session ${id} is waiting for approval of:`);
    expect(paused.stderr).toMatch(/ {2}- Send email \(gmail_send_email\)/);
    expect(paused.stderr).toContain(`To approve: npm run agent -- --resume ${id} --approve`);

    const approved = await runAgent(["--resume", id!, "--approve", "--out", out], { env });
    expect(approved.code, describeRun(approved)).toBe(0);
    expect(approved.stdout).toContain("Approved (--approve).");
    expect(approved.stdout).toMatch(/was approved/);
    expect(approved.stdout).toContain("The session produced no files.");
    expect(ourSessions(gumloop)).toEqual([
      expect.objectContaining({ id, agentId: SEED_AGENTS.approval, state: "completed" }),
    ]);
  }, 60_000);

  it("a team key without a user id runs on the real-API path, as the team", async () => {
    const gumloop = await emulator();
    const run = await runAgent(["--topic", "peat bogs", "--out", out], {
      env: {
        GUMLOOP_API_KEY: gumloop.teamApiKey,
        GUMLOOP_TEAM_ID: gumloop.teamId,
        GUMLOOP_BASE_URL: gumloop.url,
      },
    });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain(
      `Gumloop: Gumloop API at ${gumloop.url} (team key: GUMLOOP_API_KEY with GUMLOOP_TEAM_ID)`,
    );
    expect(run.stdout).not.toContain("emulator at");
    expect(ourSessions(gumloop)).toHaveLength(1);
    expect(readFileSync(join(out, "peat-bogs", "peat-bogs-report.md"), "utf8")).toContain("peat bogs");
    for (const secret of [gumloop.teamApiKey, gumloop.teamId])
      expect(run.stdout + run.stderr).not.toContain(secret);
  }, 60_000);
});
