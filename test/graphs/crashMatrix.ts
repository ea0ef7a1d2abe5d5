/**
 * Never twice, with the process killed: for each job graph and each dangerous point (while the start request is in
 * flight after Gumloop did the work; between the start and the first poll; mid-poll), 20 trials run at once in a
 * child process with a durable checkpointer, the child is SIGKILLed at that point, and a new process resumes every
 * thread. Every trial ends with exactly one job on the emulator, or as outcome_unknown (exports, which cannot be
 * settled); none ever starts a second job. Sessions are also followed over their event streams, killed while the
 * streaming create is in flight and mid-stream: the new process resumes each stream from its saved cursor. Run once
 * per checkpointer (crashSqlite.test.ts, crashPostgres.test.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { crashFlowId, type CrashJob, type CrashSettings, type CrashStore } from "./fixtures/crashPlan.js";
import { TS_NODE_FLAGS } from "../helpers/tsNode.js";

const CHILD = new URL("./fixtures/crashChild.ts", import.meta.url).pathname;
const TRIALS = 20;
const START_ROUTES: Record<CrashJob, string> = {
  session: "POST /agents/{agent_id}/sessions",
  flow: "POST /start_pipeline",
  export: "POST /export_data",
};

/** The crash matrix, with checkpoints kept where `storeFor` says (`dir` is a fresh temporary folder). */
export function crashMatrix(label: string, storeFor: (job: CrashJob, dir: string) => CrashStore): void {
  let emulator: Emulator;
  let dir: string;

  beforeEach(async () => {
    emulator = await startTestEmulator({
      plan: "enterprise",
      durations: { research: 1_500, flow: 1_500, export: 1_500 },
      seedData: {
        flows: Array.from({ length: TRIALS }, (_, trial) => ({
          id: crashFlowId(trial),
          name: `Summarize crash ${trial}`,
        })),
      },
    });
    dir = mkdtempSync(join(tmpdir(), "gumloop-crash-"));
  });
  afterEach(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  interface Child {
    readonly process: ChildProcess;
    readonly lines: string[];
    /** Resolves when `done(lines)` holds, or when the child exits. */
    until(done: (lines: readonly string[]) => boolean): Promise<void>;
    exited: Promise<number | null>;
  }

  function spawnChild(mode: "start" | "resume", settings: CrashSettings): Child {
    const child = spawn(process.execPath, [...TS_NODE_FLAGS, CHILD, mode, JSON.stringify(settings)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines: string[] = [];
    const waiters = new Set<() => void>();
    createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      for (const wake of waiters) wake();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const until = (done: (lines: readonly string[]) => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (done(lines)) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        void exited.then(() => resolve());
        check();
      });
    return { process: child, lines, until, exited };
  }

  /** Resolves once `condition` holds, checking every 20 ms. */
  async function waitFor(condition: () => boolean, what: string): Promise<void> {
    for (let waited = 0; !condition(); waited += 20) {
      if (waited > 20_000) throw new Error(`gave up waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Jobs of this kind that exist on the emulator. */
  function jobsOnEmulator(job: CrashJob): number {
    const snapshot = emulator.inspect() as unknown as {
      sessions: { list: { id: string }[] };
      flows: { runs: { total: number } };
      exports: { total: number };
    };
    if (job === "session")
      return snapshot.sessions.list.filter((session) => session.id.startsWith("lc_")).length;
    if (job === "flow") return snapshot.flows.runs.total;
    return snapshot.exports.total;
  }

  const count = (lines: readonly string[], prefix: string) =>
    lines.filter((line) => line.startsWith(prefix)).length;
  const pollsOf = (lines: readonly string[], trial: number) => count(lines, `poll ${trial} `);

  type Point = "during the start" | "before the first poll" | "mid-poll" | "mid-stream";
  const textsOf = (lines: readonly string[], trial: number) => count(lines, `text ${trial}`);

  async function crashAndResume(job: CrashJob, point: Point, stream = false) {
    const flowRunsBefore = job === "flow" ? jobsOnEmulator("flow") : 0;
    const settings: CrashSettings = {
      url: emulator.url,
      streamUrl: emulator.streamUrl,
      apiKey: emulator.apiKey,
      userId: emulator.userId,
      store: storeFor(job, dir),
      job,
      count: TRIALS,
      stream,
      // Before the first poll: a long first wait holds every job between its start and its first read.
      schedule:
        point === "before the first poll"
          ? { initialMs: 5_000, factor: 1.5, capMs: 5_000 }
          : { initialMs: 40, factor: 1.5, capMs: 80 },
    };
    if (point === "during the start") {
      // Gumloop does the work, then the answer never comes: the process dies with every start in flight.
      emulator.faults.add({ route: START_ROUTES[job], kind: "hang", phase: "after", times: TRIALS });
    }
    const first = spawnChild("start", settings);
    if (point === "during the start") {
      await waitFor(
        () => jobsOnEmulator(job) - flowRunsBefore === TRIALS,
        "every start to reach the emulator",
      );
    } else if (point === "before the first poll") {
      await first.until((lines) => count(lines, "started ") === TRIALS);
    } else if (point === "mid-stream") {
      // Each trial's stream delivered two pieces of text (each step saved with its cursor), or (under load) ended.
      await first.until((lines) =>
        Array.from({ length: TRIALS }, (_, trial) => trial).every(
          (trial) => textsOf(lines, trial) >= 2 || lines.some((line) => line.startsWith(`done ${trial} `)),
        ),
      );
    } else {
      // Each trial polled twice, or (on a loaded machine) already finished.
      await first.until((lines) =>
        Array.from({ length: TRIALS }, (_, trial) => trial).every(
          (trial) => pollsOf(lines, trial) >= 2 || lines.some((line) => line.startsWith(`done ${trial} `)),
        ),
      );
    }
    first.process.kill("SIGKILL");
    await first.exited;
    expect(first.process.signalCode).toBe("SIGKILL");
    // Under load a few trials may finish before the kill; the rest are cut off at the chosen point.
    expect(count(first.lines, "done ")).toBeLessThan(TRIALS);

    const second = spawnChild("resume", settings);
    expect(await second.exited).toBe(0);
    const finals = second.lines
      .filter((line) => line.startsWith("done "))
      .map((line) => JSON.parse(line.replace(/^done \d+ /, "")) as { status: string; error: string | null });
    expect(finals).toHaveLength(TRIALS);
    return { finals, jobs: jobsOnEmulator(job) - flowRunsBefore };
  }

  const startsOf = (route: string) =>
    emulator.requests.filter((request) => `${request.method} ${request.route}` === route);

  describe.each(["during the start", "mid-stream"] as const)(`SIGKILL %s, resume from ${label}`, (point) => {
    it(`streamed sessions: ${TRIALS} trials, each exactly one session, resumed from the saved cursor`, async () => {
      const { finals, jobs } = await crashAndResume("session", point, true);
      expect(finals.map((final) => final.status)).toEqual(Array(TRIALS).fill("completed"));
      expect(jobs).toBe(TRIALS);
      const creates = emulator.requests.filter(
        (request) =>
          request.method === "POST" &&
          request.route === "/agents/{agent_id}/sessions" &&
          request.host === "stream",
      );
      if (point === "during the start") {
        // Every create was carried out, then hung: sent again after the kill, each met 409 and was adopted.
        expect(creates.filter((request) => request.status === 409)).toHaveLength(TRIALS);
      } else {
        const resumes = emulator.requests.filter(
          (request) =>
            request.method === "GET" &&
            request.route === "/sessions/{session_id}" &&
            request.host === "stream",
        );
        expect(resumes.length).toBeGreaterThan(0);
        // Every step was saved with its cursor: each resume picks up after the last saved event.
        expect(resumes.every((request) => typeof request.query["last_cursor"] === "string")).toBe(true);
        expect(creates).toHaveLength(TRIALS);
      }
    }, 60_000);
  });

  describe.each(["during the start", "before the first poll", "mid-poll"] as const)(
    `SIGKILL %s, resume from ${label}`,
    (point) => {
      it(`sessions: ${TRIALS} trials, each exactly one session`, async () => {
        const { finals, jobs } = await crashAndResume("session", point);
        expect(finals.map((final) => final.status)).toEqual(Array(TRIALS).fill("completed"));
        expect(jobs).toBe(TRIALS);
      }, 60_000);

      it(`flow runs: ${TRIALS} trials, each exactly one run`, async () => {
        const { finals, jobs } = await crashAndResume("flow", point);
        expect(finals.map((final) => final.status)).toEqual(Array(TRIALS).fill("completed"));
        expect(jobs).toBe(TRIALS);
        for (let trial = 0; trial < TRIALS; trial++) {
          const starts = startsOf(START_ROUTES.flow).filter(
            (request) => (request.body as { saved_item_id?: string }).saved_item_id === crashFlowId(trial),
          );
          expect(starts, `trial ${trial}`).toHaveLength(1);
        }
      }, 60_000);

      it(`exports: ${TRIALS} trials, never a second export`, async () => {
        const { finals, jobs } = await crashAndResume("export", point);
        // A start killed in flight cannot be settled (exports cannot be listed): outcome_unknown, not a retry. A
        // kill just after the answer, before its checkpoint was written, looks the same to the resumed process.
        const statuses = new Set(finals.map((final) => final.status));
        if (point === "during the start") expect([...statuses]).toEqual(["outcome_unknown"]);
        else expect(["completed", "outcome_unknown"]).toEqual(expect.arrayContaining([...statuses]));
        const unknown = finals.find((final) => final.status === "outcome_unknown");
        if (unknown) expect(unknown.error).toMatch(/not sent again.*restart: true/);
        expect(jobs).toBe(TRIALS);
        expect(startsOf(START_ROUTES.export)).toHaveLength(TRIALS);
      }, 60_000);
    },
  );
}
