/**
 * A process killed with SIGKILL in the middle of polling resumes in a new process, from the SQLite checkpoint, and
 * finishes without starting the job a second time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_FLOWS, type Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { AGENTS_EXPORT } from "./harness.js";

const CHILD = new URL("./fixtures/crashChild.ts", import.meta.url).pathname;
let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startTestEmulator({
    plan: "enterprise",
    durations: { research: 1_500, flow: 1_500, export: 1_500 },
  });
  dir = mkdtempSync(join(tmpdir(), "gumloop-crash-"));
});
afterEach(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(
  mode: string,
  job: string,
  settings: object,
): { child: ChildProcess; lines: AsyncIterableIterator<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, mode, job, JSON.stringify(settings)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Starts a job in a child, SIGKILLs it after two polls, resumes it in a new child; returns the final line. */
async function crashAndResume(job: string, settings: object): Promise<{ status: string; polls: number }> {
  const first = run("start", job, settings);
  let polled = 0;
  for await (const line of first.lines) {
    if (line.startsWith("poll ")) polled += 1;
    if (polled === 2) break;
  }
  first.child.kill("SIGKILL");
  await exitOf(first.child);
  expect(first.child.signalCode).toBe("SIGKILL");
  const second = run("resume", job, settings);
  const output: string[] = [];
  for await (const line of second.lines) output.push(line);
  expect(await exitOf(second.child)).toBe(0);
  return JSON.parse(output.at(-1)!.replace(/^done /, "")) as { status: string; polls: number };
}

describe("crash and resume", () => {
  it("resumes an export killed mid-poll and starts exactly one export", async () => {
    const done = await crashAndResume("export", {
      url: emulator.url,
      apiKey: emulator.apiKey,
      userId: emulator.userId,
      db: join(dir, "export.db"),
      thread: "crash-export-1",
      input: {
        request: AGENTS_EXPORT,
      },
    });
    expect(done.status).toBe("completed");
    const starts = emulator.requests.filter(
      (request) => request.method === "POST" && request.path.endsWith("/export_data"),
    );
    expect(starts).toHaveLength(1);
  }, 30_000);

  it("resumes a flow run killed mid-poll and starts exactly one run", async () => {
    const done = await crashAndResume("flow", {
      url: emulator.url,
      apiKey: emulator.apiKey,
      userId: emulator.userId,
      db: join(dir, "flow.db"),
      thread: "crash-flow-1",
      input: { savedItemId: SEED_FLOWS.summarize, inputs: { url: "https://example.com/crash" } },
    });
    expect(done.status).toBe("completed");
    const starts = emulator.requests.filter(
      (request) => request.method === "POST" && request.path.endsWith("/start_pipeline"),
    );
    expect(starts).toHaveLength(1);
  }, 30_000);

  it("resumes a session graph killed mid-poll and creates exactly one session", async () => {
    const settings = {
      url: emulator.url,
      apiKey: emulator.apiKey,
      userId: emulator.userId,
      db: join(dir, "checkpoints.db"),
      thread: "crash-session-1",
      input: { agentId: SEED_AGENTS.research, input: "crash safety" },
    };
    const first = run("start", "session", settings);
    let polled = 0;
    for await (const line of first.lines) {
      if (line.startsWith("poll ")) polled += 1;
      if (polled === 2) break;
    }
    first.child.kill("SIGKILL");
    await exitOf(first.child);
    expect(first.child.signalCode).toBe("SIGKILL");

    const second = run("resume", "session", settings);
    const output: string[] = [];
    for await (const line of second.lines) output.push(line);
    expect(await exitOf(second.child)).toBe(0);
    const done = JSON.parse(output.at(-1)!.replace(/^done /, "")) as { status: string; polls: number };
    expect(done.status).toBe("completed");
    expect(done.polls).toBeGreaterThanOrEqual(2);

    const creates = emulator.requests.filter(
      (request) => request.method === "POST" && request.path.endsWith("/sessions"),
    );
    expect(creates).toHaveLength(1);
    const sessions = (
      emulator.inspect() as unknown as { sessions: { list: { agentId: string; id: string }[] } }
    ).sessions.list;
    expect(sessions.filter((session) => session.id.startsWith("lc_"))).toHaveLength(1);
  }, 30_000);
});
