/**
 * Runs `examples/research-agent.ts` as a person does: its own Node process (tsx, as `npm run agent` does), from
 * the repository root, output through pipes. The environment is built from nothing but what the process needs to
 * start, so a developer's real GUMLOOP_* or OPENAI_* keys never reach a test run; each test passes the variables
 * it is about.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TS_NODE_FLAGS } from "../helpers/tsNode.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCRIPT = "examples/research-agent.ts";

export interface AgentRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit. */
  readonly ms: number;
  /**
   * From the first line of output (the script has started: tsx compiled it and the backends are chosen) to exit:
   * what a time limit of the script bounds, without Node's start-up, which is slow on a loaded machine.
   */
  readonly runMs: number;
}

export interface RunAgentOptions {
  /** The variables under test (GUMLOOP_*, OPENAI_*). */
  readonly env?: Record<string, string>;
  /** Sees each stdout line as it arrives; `interrupt` sends Ctrl-C (SIGINT). */
  readonly onLine?: (line: string, interrupt: () => void) => void;
  /** Kills the process if it is still running after this long. @default 45000 */
  readonly killAfterMs?: number;
}

/** Only what Node and tsx need to start; nothing of the developer's credentials. */
function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "SYSTEMROOT"];
  const env: Record<string, string> = { CI: "true", NO_COLOR: "1" };
  for (const name of keep) if (process.env[name]) env[name] = process.env[name]!;
  return env;
}

export function runAgent(args: readonly string[], options: RunAgentOptions = {}): Promise<AgentRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [...TS_NODE_FLAGS, SCRIPT, ...args], {
    cwd: ROOT,
    env: { ...baseEnv(), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: options.killAfterMs ?? 45_000,
  });
  let stdout = "";
  let stderr = "";
  let partial = "";
  let firstOutput: number | null = null;
  const output = () => (firstOutput ??= performance.now());
  child.stderr.once("data", output);
  child.stdout.on("data", (chunk: Buffer) => {
    output();
    const text = chunk.toString("utf8");
    stdout += text;
    const lines = (partial + text).split("\n");
    partial = lines.pop()!;
    for (const line of lines) options.onLine?.(line, () => child.kill("SIGINT"));
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const ended = performance.now();
      resolve({
        code,
        signal,
        stdout,
        stderr,
        ms: Math.round(ended - started),
        runMs: Math.round(ended - (firstOutput ?? started)),
      });
    });
  });
}

/** What to show when a run did not end as expected. */
export const describeRun = (run: AgentRun) =>
  `exit ${run.code}${run.signal ? ` (killed: ${run.signal})` : ""} after ${run.ms} ms (${run.runMs} ms running)\n` +
  `--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

/** The GUMLOOP_* variables that point the script at an emulator the test started, as its default user. */
export function emulatorEnv(emulator: {
  apiKey: string;
  userId: string;
  url: string;
}): Record<string, string> {
  return {
    GUMLOOP_API_KEY: emulator.apiKey,
    GUMLOOP_USER_ID: emulator.userId,
    GUMLOOP_BASE_URL: emulator.url,
  };
}

/** Ids of the sessions this package created (`lc_…`) on an emulator, with their agent, state and first input. */
export function ourSessions(emulator: { inspect(): unknown }) {
  const snapshot = emulator.inspect() as {
    sessions: { list: { id: string; agentId: string; state: string }[] };
  };
  return snapshot.sessions.list.filter((session) => session.id.startsWith("lc_"));
}
