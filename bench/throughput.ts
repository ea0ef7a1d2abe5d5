/**
 * Throughput under Gumloop's concurrency cap: 50 sessions on a free-plan account (5 agent slots; a session
 * started over the limit is refused with 429), on a virtual clock. Makespan against the floor
 * ceil(50 / 5) × job time, 429s met, failed jobs, duplicate sessions. Three ways to run the same load:
 * - ours with the shared ConcurrencyGate (5 slots), polling (the streamed run is in streaming.ts),
 * - ours without the gate (node retries that wait, then try again),
 * - the backoff loop from Truto's blog, which reads `ratelimit-reset` as a UNIX epoch (sleep = reset·1000 − now)
 *   and gives up after 3 retries, then polls every second.
 */
import { GumloopClient } from "../src/client/client.js";
import { RateLimitError } from "../src/client/errors.js";
import { SEED_AGENTS, startEmulator, VirtualClock } from "gumloop-emulator";
import { ConcurrencyGate } from "../src/graphs/gate/index.js";
import { createSessionGraph } from "../src/graphs/sessionGraph.js";
import type { SessionEnvelope } from "../src/graphs/types.js";
import { ENDPOINTS } from "../src/tools/index.js";
import type { BenchRow } from "./table.js";

const JOBS = 50;
const JOB_MS = 60_000;
/** The floor: ceil(50 / 5) waves of one job time each. */
export const FLOOR_MS = Math.ceil(JOBS / 5) * JOB_MS;

export interface Outcome {
  readonly makespanMs: number;
  readonly rateLimited: number;
  readonly failed: number;
  readonly duplicates: number;
}

/** Runs the load one way; `stream` follows each session over its event stream (gate and retry strategies). */
export async function runLoad(strategy: "gate" | "retry" | "blog", stream = false): Promise<Outcome> {
  const clock = new VirtualClock({ autoAdvance: true });
  const emulator = await startEmulator({ port: 0, clock, plan: "free", durations: { session: JOB_MS } });
  try {
    const client = new GumloopClient(emulator.clientOptions());
    // Warm up (the transport's first load takes real time, which the auto-advancing clock reads as idle time).
    await client.call(ENDPOINTS.list_all_gumloop_agents, {});
    const startedAt = clock.now();
    let failed = 0;
    if (strategy === "blog") {
      await Promise.all(
        Array.from({ length: JOBS }, async (_, i) => {
          let created: SessionEnvelope | null = null;
          for (let attempt = 0; attempt <= 3 && !created; attempt++) {
            try {
              created = (
                await client.call<SessionEnvelope>(ENDPOINTS.create_a_gumloop_session, {
                  agent_id: SEED_AGENTS.assistant,
                  input: `job ${i}`,
                })
              ).data;
            } catch (error) {
              if (!(error instanceof RateLimitError) || attempt === 3) break;
              // The blog's computation: an epoch reading of a delta-seconds header (NaN when absent).
              const reset = error.rateLimit.resetMs === null ? NaN : error.rateLimit.resetMs / 1_000;
              const sleepMs = reset * 1_000 - clock.now();
              await clock.sleep(Number.isFinite(sleepMs) && sleepMs > 0 ? sleepMs : 1);
            }
          }
          if (!created) {
            failed += 1;
            return;
          }
          for (let state = created.session.state; state !== "completed" && state !== "failed";) {
            await clock.sleep(1_000);
            state = (
              await client.call<SessionEnvelope>(ENDPOINTS.get_single_gumloop_session_by_id, {
                session_id: created.session.id,
              })
            ).data.session.state;
          }
        }),
      );
    } else {
      const gate = strategy === "gate" ? new ConcurrencyGate(5) : undefined;
      const graph = createSessionGraph({
        client,
        gate,
        downloadArtifacts: false,
        deadlineMs: 3 * 60 * 60_000,
        stream,
      });
      const results = await Promise.all(
        Array.from({ length: JOBS }, (_, i) =>
          graph.invoke({ agentId: SEED_AGENTS.assistant, input: `job ${i}` }).catch(() => null),
        ),
      );
      failed = results.filter((result) => result?.status !== "completed").length;
    }
    const makespanMs = clock.now() - startedAt;
    // A session is started by a 202 on the REST host, or by a stream opened (200) on the streaming host (logged
    // when the stream closes: wait for the last ones).
    const isAccepted = (request: (typeof emulator.requests)[number]) =>
      request.method === "POST" &&
      request.route === "/agents/{agent_id}/sessions" &&
      request.status === (request.host === "stream" ? 200 : 202);
    for (let i = 0; i < 1_000 && emulator.requests.filter(isAccepted).length < JOBS - failed; i++)
      await new Promise((resolve) => setImmediate(resolve));
    const accepted = emulator.requests.filter(isAccepted);
    return {
      makespanMs,
      rateLimited: emulator.requests.filter((request) => request.status === 429).length,
      failed,
      duplicates: accepted.length - (JOBS - failed),
    };
  } finally {
    await emulator.close();
  }
}

export async function throughput(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const labels = {
    gate: "ours, shared gate",
    retry: "ours, no gate (node retries)",
    blog: "Truto blog backoff loop",
  };
  for (const strategy of ["gate", "retry", "blog"] as const) {
    const outcome = await runLoad(strategy);
    const ratio = outcome.makespanMs / FLOOR_MS;
    rows.push({
      name: `throughput: 50 sessions, 5 slots (${labels[strategy]})`,
      value: `makespan ${(outcome.makespanMs / 1_000).toFixed(0)} s (floor ${FLOOR_MS / 1_000} s); ${outcome.rateLimited} × 429; ${outcome.failed} failed; ${outcome.duplicates} duplicates`,
      ratio,
      goal: strategy === "gate" ? "≤ 1.15x, 0 failed, 0 duplicates" : "(comparison)",
      pass: strategy === "gate" ? ratio <= 1.15 && outcome.failed === 0 && outcome.duplicates === 0 : null,
    });
  }
  return rows;
}
