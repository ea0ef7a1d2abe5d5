/**
 * Overhead of the whole stack (tool.invoke → schema validation → GumloopClient → fetch → decode → model content)
 * against a raw fetch of the same emulator endpoint, measured interleaved in one run. Also the emulator's own
 * throughput for GET /sessions/{id}, so we know it is not the bottleneck of the other benchmarks.
 */
import { GumloopClient } from "../src/client/client.js";
import { SEED_SESSIONS, startEmulator } from "../src/emulator/index.js";
import { GumloopToolManager } from "../src/toolManager.js";
import type { BenchRow } from "./table.js";

export async function overhead(iterations = 3_000): Promise<BenchRow[]> {
  const emulator = await startEmulator({ port: 0 });
  try {
    const client = new GumloopClient({
      apiKey: emulator.apiKey,
      userId: emulator.userId,
      baseUrl: emulator.url,
      env: {},
    });
    const tool = new GumloopToolManager({ client }).getTool("get_single_gumloop_session_by_id");
    const sessionId = Object.values(SEED_SESSIONS)[0] as string;
    const url = `${emulator.url}/sessions/${sessionId}`;
    const headers = {
      authorization: `Bearer ${emulator.apiKey}`,
      "x-auth-key": emulator.userId,
      accept: "application/json",
    };
    const raw = async () => {
      const response = await fetch(url, { headers });
      return response.json();
    };
    const viaTool = () => tool.invoke({ session_id: sessionId });
    for (let i = 0; i < 300; i++) {
      await raw();
      await viaTool();
    }
    let rawMs = 0;
    let toolMs = 0;
    // Interleaved in small blocks, so drift (GC, CPU frequency) hits both sides alike.
    for (let block = 0; block < iterations / 50; block++) {
      let started = performance.now();
      for (let i = 0; i < 50; i++) await raw();
      rawMs += performance.now() - started;
      started = performance.now();
      for (let i = 0; i < 50; i++) await viaTool();
      toolMs += performance.now() - started;
    }
    emulator.clearRequests();
    // Emulator throughput: 32 concurrent keep-alive clients for a fixed time.
    const deadline = performance.now() + 3_000;
    let served = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (performance.now() < deadline) {
          await raw();
          served += 1;
        }
      }),
    );
    const rps = served / 3;
    const rawMean = (rawMs / iterations) * 1_000;
    const toolMean = (toolMs / iterations) * 1_000;
    return [
      {
        name: "overhead: tool.invoke vs raw fetch (GET /sessions/{id})",
        value: `${toolMean.toFixed(0)} µs vs ${rawMean.toFixed(0)} µs per call`,
        ratio: toolMean / rawMean,
        goal: "≤ 1.10x",
        pass: toolMean / rawMean <= 1.1,
      },
      {
        name: "emulator: GET /sessions/{id}, 32 concurrent clients",
        value: `${Math.round(rps)} req/s`,
        ratio: null,
        goal: "not the bottleneck",
        pass: null,
      },
    ];
  } finally {
    await emulator.close();
  }
}
