/**
 * Several worker processes sharing one account's concurrency slots: 4 workers, 50 sessions, a free-plan account
 * with 5 agent slots (Gumloop refuses a session over the limit with 429). Once with the PostgreSQL gate shared by
 * all four, once with each worker's own in-memory gate (each thinks it may run 5). Real time and real processes,
 * so sessions last a few seconds: makespan against the floor ceil(50 / 5) × session time, 429s met, failures,
 * duplicate sessions.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { SEED_AGENTS, startEmulator } from "gumloop-emulator";
import type { GateWorkerSettings } from "../test/graphs/fixtures/gateWorker.js";
import type { BenchRow } from "./table.js";
import { TS_NODE_FLAGS } from "../test/helpers/tsNode.js";

const WORKER = new URL("../test/graphs/fixtures/gateWorker.ts", import.meta.url).pathname;

export interface SharedGateRun {
  readonly makespanMs: number;
  readonly floorMs: number;
  readonly rateLimited: number;
  readonly failed: number;
  readonly duplicates: number;
}

export interface SharedGateOptions {
  readonly workers?: number;
  readonly sessions?: number;
  readonly slots?: number;
  readonly sessionMs?: number;
  /** A PostgreSQL URL and table for a shared gate; absent: each worker has its own in-memory gate. */
  readonly postgres?: { readonly url: string; readonly table: string };
}

export async function runSharedGate(options: SharedGateOptions = {}): Promise<SharedGateRun> {
  const workers = options.workers ?? 4;
  const sessions = options.sessions ?? 50;
  const slots = options.slots ?? 5;
  const sessionMs = options.sessionMs ?? 3_000;
  const emulator = await startEmulator({
    port: 0,
    plan: "free",
    slots: { agents: slots },
    durations: { research: sessionMs },
  });
  try {
    const topics = Array.from({ length: sessions }, (_, i) => `shared gate topic ${i}`);
    const children = Array.from({ length: workers }, (_, w) => {
      const settings: GateWorkerSettings = {
        url: emulator.url,
        apiKey: emulator.apiKey,
        userId: emulator.userId,
        agentId: SEED_AGENTS.research,
        topics: topics.filter((_, i) => i % workers === w),
        slots,
        ...(options.postgres ? { postgres: options.postgres } : {}),
      };
      const child = spawn(process.execPath, [...TS_NODE_FLAGS, WORKER, JSON.stringify(settings)], {
        stdio: ["pipe", "pipe", "inherit"],
      });
      const lines: string[] = [];
      const ready = new Promise<void>((resolve) =>
        createInterface({ input: child.stdout! }).on("line", (line) => {
          if (line === "ready") resolve();
          else lines.push(line);
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      // A worker that dies while starting (its error is on stderr) fails the run at once, saying which one.
      const started = Promise.race([
        ready,
        exited.then((code) => {
          throw new Error(`shared-gate worker ${w} exited with code ${code} before it was ready`);
        }),
      ]);
      return { child, lines, started, exited };
    });
    await Promise.all(children.map((worker) => worker.started)).catch((error: unknown) => {
      for (const worker of children) worker.child.kill("SIGKILL");
      throw error;
    });
    const startedAt = Date.now();
    for (const worker of children) worker.child.stdin!.write("go\n");
    await Promise.all(children.map((worker) => worker.exited));
    const makespanMs = Date.now() - startedAt;
    // Only the workers' "done {json}" lines are results; anything else a worker printed is named, not parsed.
    const lines = children.flatMap((worker) => worker.lines);
    const stray = lines.filter((line) => !line.startsWith("done {"));
    if (stray.length)
      throw new Error(`shared-gate workers printed unexpected lines: ${stray.slice(0, 3).join(" | ")}`);
    const results = lines.map(
      (line) => JSON.parse(line.slice("done ".length)) as { input: string; status: string },
    );
    const created = new Map<string, number>();
    for (const request of emulator.requests) {
      if (
        request.method !== "POST" ||
        request.route !== "/agents/{agent_id}/sessions" ||
        request.status !== 202
      )
        continue;
      const input = (request.body as { input?: string }).input ?? "";
      created.set(input, (created.get(input) ?? 0) + 1);
    }
    return {
      makespanMs,
      floorMs: Math.ceil(sessions / slots) * sessionMs,
      rateLimited: emulator.requests.filter((request) => request.status === 429).length,
      failed: sessions - results.filter((result) => result.status === "completed").length,
      duplicates: [...created.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    };
  } finally {
    await emulator.close();
  }
}

function row(label: string, run: SharedGateRun, goal: string, judged: boolean): BenchRow {
  const ratio = run.makespanMs / run.floorMs;
  return {
    name: `shared gate: 4 worker processes, 50 sessions, 5 slots (${label})`,
    value:
      `makespan ${(run.makespanMs / 1_000).toFixed(1)} s (floor ${run.floorMs / 1_000} s); ` +
      `${run.rateLimited} × 429; ${run.failed} failed; ${run.duplicates} duplicates`,
    ratio,
    goal,
    pass: judged ? ratio <= 1.1 && run.rateLimited === 0 && run.failed === 0 && run.duplicates === 0 : null,
  };
}

/** Bench rows: needs GUMLOOP_TEST_POSTGRES_URL (or the PostgreSQL binaries; see scripts/postgres.mjs). */
export async function sharedGate(postgresUrl: string): Promise<BenchRow[]> {
  const table = `bench_slots_${Date.now()}`;
  const shared = await runSharedGate({ postgres: { url: postgresUrl, table } });
  const local = await runSharedGate({});
  return [
    row("PostgreSQL gate", shared, "≤ 1.10x, 0 × 429, 0 failed, 0 duplicates", true),
    row("each worker's own in-memory gate", local, "(comparison)", false),
  ];
}
