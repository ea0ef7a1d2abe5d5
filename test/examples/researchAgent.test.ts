/**
 * The research agent as a user runs it: a child process, offline. The default run uses the emulator the script
 * starts itself; the other runs point the script at an emulator this test controls (through the same
 * GUMLOOP_* variables a real deployment uses), so the test can shorten jobs and inspect what happened.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_AGENTS, type Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { TS_NODE_FLAGS } from "../helpers/tsNode.js";

const SCRIPT = new URL("../../examples/research-agent.ts", import.meta.url).pathname;
let out: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script with a clean environment: no Gumloop or OpenAI keys unless given. */
function runAgent(
  args: string[],
  env: Record<string, string> = {},
  onLine?: (line: string, kill: () => void) => void,
): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("GUMLOOP_") && !key.startsWith("OPENAI_")),
  );
  const child = spawn(process.execPath, [...TS_NODE_FLAGS, SCRIPT, ...args], {
    env: { ...clean, ...env, CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    stdout += text;
    for (const line of text.split("\n")) if (line) onLine?.(line, () => child.kill("SIGINT"));
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "research-agent-"));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("examples/research-agent.ts", () => {
  it("runs end to end offline: progress lines, a saved report, a summary naming the topic", async () => {
    const run = await runAgent(["--topic", "kelp farming", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Gumloop: Gumloop emulator at http:\/\/127\.0\.0\.1:\d+\/api\/v1 \(offline/);
    expect(run.stdout).toContain("OFFLINE DEMO MODE");
    expect(run.stdout).toMatch(/\[progress\] job=session id=lc_[0-9a-f]+ state=processing polls=1/);
    expect(run.stdout).toMatch(/Summary of the research on kelp farming/);
    const report = join(out, "kelp-farming", "kelp-farming-report.md");
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(report, "utf8")).toContain("kelp farming");
    expect(existsSync(join(out, "kelp-farming", "kelp-farming-sources.csv"))).toBe(true);
    expect(run.stdout).toContain(report);
  }, 60_000);

  it("explains bad flags and exits 2", async () => {
    const run = await runAgent(["--topix", "x"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown option '--topix'/);
    expect(run.stderr).toContain("Usage: npm run agent");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it("prints help", async () => {
    const run = await runAgent(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--timeout <secs>");
  }, 30_000);

  describe("against an emulator the test controls", () => {
    let emulator: Emulator;
    let env: Record<string, string>;
    beforeAll(async () => {
      emulator = await startTestEmulator({ durations: { research: 1_500, session: 1_500 } });
      env = {
        GUMLOOP_API_KEY: emulator.apiKey,
        GUMLOOP_USER_ID: emulator.userId,
        GUMLOOP_BASE_URL: emulator.url,
      };
    });
    afterAll(() => emulator.close());

    it("reports an unknown agent clearly and exits 1", async () => {
      const run = await runAgent(["--agent", "no such agent", "--out", out], env);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/Gumloop: Gumloop API at http:\/\/127\.0\.0\.1/);
      expect(run.stderr).toMatch(/no Gumloop agent matches "no such agent"/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }, 30_000);

    it("finds the agent by id as well as by name", async () => {
      const run = await runAgent(["--agent", SEED_AGENTS.research, "--topic", "sea ice", "--out", out], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`get_single_gumloop_agent_by_id({"agent_id":"${SEED_AGENTS.research}"})`);
      expect(readFileSync(join(out, "sea-ice", "sea-ice-report.md"), "utf8")).toContain("sea ice");
    }, 30_000);

    it("reports a failing agent and exits 1", async () => {
      const run = await runAgent(["--agent", "flaky", "--out", out], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/The Gumloop session lc_[0-9a-f]+ ended as failed/);
    }, 30_000);

    it("gives up at --timeout and exits 1", async () => {
      const slow = await startTestEmulator({ durations: { research: 60_000 } });
      try {
        const run = await runAgent(["--timeout", "2", "--out", out], {
          GUMLOOP_API_KEY: slow.apiKey,
          GUMLOOP_USER_ID: slow.userId,
          GUMLOOP_BASE_URL: slow.url,
        });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/timed out after 2s/);
      } finally {
        await slow.close();
      }
    }, 30_000);

    it("cancels the Gumloop session on Ctrl-C and exits 130", async () => {
      const slow = await startTestEmulator({ durations: { research: 60_000 } });
      try {
        const run = await runAgent(
          ["--out", out],
          { GUMLOOP_API_KEY: slow.apiKey, GUMLOOP_USER_ID: slow.userId, GUMLOOP_BASE_URL: slow.url },
          (line, kill) => {
            if (line.startsWith("[progress]")) kill();
          },
        );
        expect(run.code).toBe(130);
        expect(run.stderr).toMatch(/Cancelled Gumloop session lc_[0-9a-f]+/);
        const sessions = (
          slow.inspect() as unknown as {
            sessions: { list: { id: string; agentId: string; state: string }[] };
          }
        ).sessions.list;
        const ours = sessions.filter((session) => session.id.startsWith("lc_"));
        expect(ours).toHaveLength(1);
        expect(ours[0]!.agentId).toBe(SEED_AGENTS.research);
        expect(ours[0]!.state).toBe("failed");
      } finally {
        await slow.close();
      }
    }, 30_000);
  });
});
