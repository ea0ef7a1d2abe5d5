/**
 * Polling cost: requests per session and mean detection delay (completion seen − completion happened), for
 * sessions of about 10 s, 60 s and 300 s, on a virtual clock. Ours (the session graph's capped backoff) against
 * fixed 1 s polling, which is what Gumloop's own SDKs do. Each trial draws the job length from T·U[0.8, 1.2].
 */
import { GumloopClient } from "../src/client/client.js";
import { SEED_AGENTS, startEmulator, VirtualClock } from "gumloop-emulator";
import { createSessionGraph } from "../src/graphs/sessionGraph.js";
import type { SessionEnvelope } from "../src/graphs/types.js";
import { ENDPOINTS } from "../src/tools/index.js";
import type { BenchRow } from "./table.js";

interface Trial {
  readonly polls: number;
  readonly delayMs: number;
}

/** A seeded random source (a linear congruential generator), so that runs repeat. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

async function trial(jobMs: number, strategy: "ours" | "fixed", random: () => number): Promise<Trial> {
  const clock = new VirtualClock({ autoAdvance: true });
  const emulator = await startEmulator({ port: 0, clock, durations: { session: jobMs } });
  try {
    const client = new GumloopClient(emulator.clientOptions());
    const startedAt = clock.now();
    let sessionId: string;
    if (strategy === "ours") {
      const graph = createSessionGraph({
        client,
        random,
        downloadArtifacts: false,
        // The polling schedule itself: streaming (the default) has its own rows (streaming.ts).
        stream: false,
      });
      const out = await graph.invoke({ agentId: SEED_AGENTS.assistant, input: "hello" });
      sessionId = out.sessionId!;
    } else {
      const { data } = await client.call<SessionEnvelope>(ENDPOINTS.create_a_gumloop_session, {
        agent_id: SEED_AGENTS.assistant,
        input: "hello",
      });
      sessionId = data.session.id;
      for (let state = data.session.state; state !== "completed" && state !== "failed";) {
        await clock.sleep(1_000);
        const polled = await client.call<SessionEnvelope>(ENDPOINTS.get_single_gumloop_session_by_id, {
          session_id: sessionId,
        });
        state = polled.data.session.state;
      }
    }
    const polls = emulator.requests.filter(
      (request) => request.method === "GET" && request.path.endsWith(`/sessions/${sessionId}`),
    );
    const seenAt = polls.at(-1)!.time;
    return { polls: polls.length, delayMs: seenAt - (startedAt + jobMs) };
  } finally {
    await emulator.close();
  }
}

export async function pollingCost(trials = 60): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const seconds of [10, 60, 300]) {
    // Separate streams for job lengths and for the graph's jitter, so neither biases the other.
    const lengths = lcg(seconds);
    const random = lcg(seconds * 7919 + 1);
    const results = { ours: [] as Trial[], fixed: [] as Trial[] };
    for (let i = 0; i < trials; i++) {
      const jobMs = Math.round(seconds * 1_000 * (0.8 + 0.4 * lengths()));
      results.ours.push(await trial(jobMs, "ours", random));
      results.fixed.push(await trial(jobMs, "fixed", random));
    }
    const mean = (list: Trial[], key: keyof Trial) =>
      list.reduce((sum, item) => sum + item[key], 0) / list.length;
    const oursPolls = mean(results.ours, "polls");
    const fixedPolls = mean(results.fixed, "polls");
    const oursDelay = mean(results.ours, "delayMs") / 1_000;
    const fixedDelay = mean(results.fixed, "delayMs") / 1_000;
    const goal = seconds === 300 ? "≤ 0.10x requests, delay ≤ 8 s" : "(for information)";
    rows.push({
      name: `polling: ~${seconds} s session, requests (ours vs fixed 1 s)`,
      value: `${oursPolls.toFixed(1)} vs ${fixedPolls.toFixed(1)} polls; mean delay ${oursDelay.toFixed(1)} s vs ${fixedDelay.toFixed(1)} s`,
      ratio: oursPolls / fixedPolls,
      goal,
      pass: seconds === 300 ? oursPolls / fixedPolls <= 0.1 && oursDelay <= 8 : null,
    });
  }
  return rows;
}
