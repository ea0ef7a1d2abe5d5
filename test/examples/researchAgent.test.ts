/**
 * The research agent as a user runs it, on its happy paths and its usage errors: a child process, offline. The
 * default run uses the emulator the script starts itself; the other runs point the script at an emulator this test
 * controls (through the same GUMLOOP_* variables a real deployment uses), so the test can shorten jobs and inspect
 * what happened. Failures of the services are in researchAgentFailures.test.ts, sessions (resume, repeated
 * topics, approvals, team keys) in researchAgentSessions.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_AGENTS, type Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { describeRun, emulatorEnv, ourSessions, runAgent } from "./runAgent.js";

let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "research-agent-"));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

// Each run is its own process with its own servers: they run side by side.
describe.concurrent("examples/research-agent.ts", () => {
  it("runs end to end offline: progress lines, a saved report marked as a demo, a summary naming the topic", async () => {
    const run = await runAgent(["--topic", "kelp farming", "--out", out]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toMatch(/Gumloop: Gumloop emulator at http:\/\/127\.0\.0\.1:\d+\/api\/v1 \(offline/);
    expect(run.stdout).toContain("OFFLINE DEMO MODE");
    expect(run.stdout).toMatch(
      /New research session (lc_[0-9a-f]{24}) \(to wait for it again later: npm run agent -- --resume lc_/,
    );
    expect(run.stdout).toMatch(/\[progress\] job=session id=lc_[0-9a-f]+ state=processing polls=1/);
    expect(run.stdout).toMatch(/Summary of the research on kelp farming/);
    expect(run.stdout).toMatch(/Files produced: kelp-farming-\w+\.\w+, kelp-farming-\w+\.\w+\./);
    const report = join(out, "kelp-farming", "kelp-farming-report.md");
    expect(run.stdout).toContain(report);
    const text = readFileSync(report, "utf8");
    expect(text).toContain("kelp farming");
    // The canned report says what it is in the file itself, not only in this terminal's output.
    expect(text.split("\n")[0]).toMatch(
      /OFFLINE DEMO: canned text written by the Gumloop emulator, not real research/,
    );
    expect(existsSync(join(out, "kelp-farming", "kelp-farming-sources.csv"))).toBe(true);
  }, 60_000);

  it("reports a usage error in one line with the pointer to --help, and exits 2", async () => {
    const run = await runAgent(["--topix", "x"]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Unknown option '--topix'/);
    expect(lines[1]).toBe('Run "npm run agent -- --help" to see the options.');
    expect(run.stderr).not.toContain("Usage:");
  }, 60_000);

  it("checks --timeout -5 with its own message (parseArgs would call it an ambiguous option)", async () => {
    const run = await runAgent(["--timeout", "-5"]);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr.trim()).toBe(
      '--timeout must be a positive number of seconds (got "-5")\nRun "npm run agent -- --help" to see the options.',
    );
  }, 60_000);

  it("prints help", async () => {
    const run = await runAgent(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--timeout <secs>");
    expect(run.stdout).toContain("--resume <session>");
  }, 60_000);

  describe("against an emulator the test controls", () => {
    let emulator: Emulator;
    let env: Record<string, string>;
    beforeAll(async () => {
      emulator = await startTestEmulator({ durations: { research: 1_500, session: 1_500 } });
      env = emulatorEnv(emulator);
    });
    afterAll(() => emulator.close());

    it("reports an unknown agent clearly and exits 1", async () => {
      const run = await runAgent(["--agent", "no such agent", "--out", out], { env });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/Gumloop: Gumloop API at http:\/\/127\.0\.0\.1:\d+\/api\/v1 \(personal key/);
      expect(run.stderr).toMatch(/no Gumloop agent matches "no such agent"/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }, 60_000);

    it("finds the agent by id as well as by name", async () => {
      const run = await runAgent(["--agent", SEED_AGENTS.research, "--topic", "sea ice", "--out", out], {
        env,
      });
      expect(run.code, describeRun(run)).toBe(0);
      expect(run.stdout).toContain(`get_single_gumloop_agent_by_id({"id":"${SEED_AGENTS.research}"})`);
      const report = readFileSync(join(out, "sea-ice", "sea-ice-report.md"), "utf8");
      expect(report).toContain("sea ice");
      // Only the emulator started by the script itself is an offline demo.
      expect(report).not.toContain("OFFLINE DEMO");
    }, 60_000);

    it("reports an agent id Gumloop does not know as such", async () => {
      const run = await runAgent(["--agent", "agtNoSuchAgent99", "--out", out], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Gumloop failed: get_single_gumloop_agent_by_id failed: 404/);
      expect(run.stderr).toContain("check --agent or --resume");
    }, 60_000);

    it("says so when the agent produced no files (no empty file list)", async () => {
      const run = await runAgent(["--agent", "General Assistant", "--topic", "hello", "--out", out], { env });
      expect(run.code, describeRun(run)).toBe(0);
      expect(run.stdout).toContain("It produced no files.");
      expect(run.stdout).toContain("The session produced no files.");
      expect(run.stdout).not.toContain("Files produced: .");
    }, 60_000);

    it("reports a failing agent and exits 1", async () => {
      const run = await runAgent(["--agent", "flaky", "--out", out], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/The Gumloop session lc_[0-9a-f]+ ended as failed/);
    }, 60_000);

    it("gives up at --timeout, says what it was waiting for and how to wait again, and exits 1", async () => {
      const slow = await startTestEmulator({ durations: { research: 60_000 } });
      try {
        const run = await runAgent(["--timeout", "3", "--out", out], { env: emulatorEnv(slow) });
        expect(run.code, describeRun(run)).toBe(1);
        // Stopped between polls, or during one.
        expect(run.stderr).toMatch(
          /The run timed out after 3s \(--timeout\), waiting for (the session's next check|Gumloop at \S+ to answer get_single_gumloop_session_by_id)/,
        );
        expect(run.stderr).not.toContain("Check that GUMLOOP_BASE_URL");
        expect(run.stderr).toMatch(/To wait for it again: npm run agent -- --resume lc_[0-9a-f]{24}/);
      } finally {
        await slow.close();
      }
    }, 60_000);

    it("cancels the Gumloop session on Ctrl-C and exits 130", async () => {
      const slow = await startTestEmulator({ durations: { research: 60_000 } });
      try {
        const run = await runAgent(["--out", out], {
          env: emulatorEnv(slow),
          onLine: (line, interrupt) => {
            if (line.startsWith("[progress]")) interrupt();
          },
        });
        expect(run.code).toBe(130);
        expect(run.stderr).toMatch(/Cancelled Gumloop session lc_[0-9a-f]+/);
        const ours = ourSessions(slow);
        expect(ours).toHaveLength(1);
        expect(ours[0]!.agentId).toBe(SEED_AGENTS.research);
        expect(ours[0]!.state).toBe("failed");
      } finally {
        await slow.close();
      }
    }, 60_000);
  });
});
