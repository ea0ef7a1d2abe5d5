/**
 * Streaming against polling, on a virtual clock, measured in the same run:
 * - a ~300 s session (length T·U[0.8, 1.2]): requests the session graph sends per session (every request, from the
 *   create to the artifact list) and the mean delay from the session's end to the graph seeing it (its read of the
 *   session after the end; on the emulator's clock), streaming (the default) against polling (`stream: false`);
 * - 50 sessions on 5 slots (free plan, shared gate), streaming: makespan against the floor ceil(50 / 5) × job time.
 */
import { GumloopClient } from "../src/client/client.js";
import { SEED_AGENTS, startEmulator, VirtualClock } from "gumloop-emulator";
import { createSessionGraph } from "../src/graphs/sessionGraph.js";
import { lcg } from "./polling.js";
import type { BenchRow } from "./table.js";
import { FLOOR_MS, runLoad } from "./throughput.js";

interface Trial {
  readonly requests: number;
  readonly delayMs: number;
}

async function trial(jobMs: number, stream: boolean, random: () => number): Promise<Trial> {
  const clock = new VirtualClock({ autoAdvance: true });
  const emulator = await startEmulator({ port: 0, clock, durations: { session: jobMs } });
  try {
    const client = new GumloopClient(emulator.clientOptions());
    const graph = createSessionGraph({ client, random, downloadArtifacts: false, stream });
    const startedAt = clock.now();
    const out = await graph.invoke({ agentId: SEED_AGENTS.assistant, input: "hello" });
    if (out.status !== "completed") throw new Error(`bench session ended ${out.status}: ${out.error}`);
    // A stream is logged when it closes: wait (in real turns, no clock time) until the create is there.
    const isCreate = (request: (typeof emulator.requests)[number]) =>
      request.method === "POST" && request.route === "/agents/{agent_id}/sessions";
    for (let i = 0; i < 1_000 && !emulator.requests.some(isCreate); i++)
      await new Promise((resolve) => setImmediate(resolve));
    const reads = emulator.requests.filter(
      (request) => request.host === "api" && request.route === "/sessions/{session_id}",
    );
    // The graph saw the end when it read the completed session (its last read; for a stream, its only one).
    const seenAt = reads.at(-1)!.time;
    return { requests: emulator.requests.length, delayMs: seenAt - (startedAt + jobMs) };
  } finally {
    await emulator.close();
  }
}

const mean = (list: readonly Trial[], key: keyof Trial) =>
  list.reduce((sum, item) => sum + item[key], 0) / list.length;

export async function streamingCost(trials = 20): Promise<BenchRow[]> {
  const lengths = lcg(300);
  const random = lcg(300 * 7919 + 1);
  const results = { stream: [] as Trial[], poll: [] as Trial[] };
  for (let i = 0; i < trials; i++) {
    const jobMs = Math.round(300_000 * (0.8 + 0.4 * lengths()));
    results.stream.push(await trial(jobMs, true, random));
    results.poll.push(await trial(jobMs, false, random));
  }
  const streamRequests = mean(results.stream, "requests");
  const pollRequests = mean(results.poll, "requests");
  const streamDelay = mean(results.stream, "delayMs") / 1_000;
  const pollDelay = mean(results.poll, "delayMs") / 1_000;
  const worstStreamRequests = Math.max(...results.stream.map((result) => result.requests));

  const load = await runLoad("gate", true);
  const ratio = load.makespanMs / FLOOR_MS;
  return [
    {
      name: "streaming: ~300 s session, requests per session (streaming vs polling)",
      value:
        `${streamRequests.toFixed(1)} vs ${pollRequests.toFixed(1)} requests (most ${worstStreamRequests} streaming; ` +
        `create, reads, artifact list); ${trials} sessions each`,
      ratio: streamRequests / pollRequests,
      goal: "≤ 3 requests per session streaming",
      pass: worstStreamRequests <= 3,
    },
    {
      name: "streaming: ~300 s session, mean delay from its end to the graph seeing it (streaming vs polling)",
      value: `${streamDelay.toFixed(2)} s vs ${pollDelay.toFixed(2)} s`,
      ratio: pollDelay > 0 ? streamDelay / pollDelay : null,
      goal: "≤ 0.5 s streaming",
      pass: streamDelay <= 0.5,
    },
    {
      name: "throughput: 50 sessions, 5 slots (ours, shared gate, streaming)",
      value:
        `makespan ${(load.makespanMs / 1_000).toFixed(1)} s (floor ${FLOOR_MS / 1_000} s); ` +
        `${load.rateLimited} × 429; ${load.failed} failed; ${load.duplicates} duplicates`,
      ratio,
      goal: "≤ 1.03x, 0 failed, 0 duplicates",
      pass: ratio <= 1.03 && load.failed === 0 && load.duplicates === 0,
    },
  ];
}
