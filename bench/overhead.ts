/**
 * Overhead of the whole stack (tool.invoke → schema validation → GumloopClient → fetch → decode → model content)
 * against a raw fetch of the same emulator endpoint. The emulator runs in its own process (as a remote API
 * would), and the two kinds of call alternate one by one, so drift hits both alike; medians of per-call times.
 * A raw-vs-raw pair shows the noise floor. Then the emulator's own throughput for GET /sessions/{id}.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { DynamicStructuredTool } from "@langchain/core/tools";
import { z } from "zod";
import { GumloopClient } from "../src/client/client.js";
import { SEED_SESSIONS } from "../src/emulator/index.js";
import { GumloopToolManager } from "../src/toolManager.js";
import type { BenchRow } from "./table.js";

const CLI = new URL("../src/emulator/cli.ts", import.meta.url).pathname;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

export async function overhead(iterations = 6_000): Promise<BenchRow[]> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "--json", "--port", "0"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  try {
    const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
    const info = JSON.parse(first.value as string) as { url: string; apiKey: string; userId: string };
    const client = new GumloopClient({
      apiKey: info.apiKey,
      userId: info.userId,
      baseUrl: info.url,
      env: {},
    });
    const tool = new GumloopToolManager({ client }).getTool("get_single_gumloop_session_by_id");
    const sessionId = Object.values(SEED_SESSIONS)[0] as string;
    const url = `${info.url}/sessions/${sessionId}`;
    const headers = {
      authorization: `Bearer ${info.apiKey}`,
      "x-auth-key": info.userId,
      accept: "application/json",
    };
    // The same raw fetch inside a bare LangChain tool: what LangChain's tool.invoke costs on its own.
    const bareTool = new DynamicStructuredTool({
      name: "bare",
      description: "raw fetch in a tool",
      schema: z.object({ session_id: z.string() }),
      func: async () => JSON.stringify(await (await fetch(url, { headers })).json()),
    });
    const calls: Record<string, () => Promise<unknown>> = {
      raw: async () => (await fetch(url, { headers })).json(),
      rawAgain: async () => (await fetch(url, { headers })).json(),
      bare: () => bareTool.invoke({ session_id: sessionId }),
      tool: () => tool.invoke({ session_id: sessionId }),
    };
    const names = Object.keys(calls);
    const times: Record<string, number[]> = { raw: [], rawAgain: [], bare: [], tool: [] };
    for (let i = 0; i < 600; i++) await calls[names[i % names.length]!]!();
    for (let i = 0; i < iterations * names.length; i++) {
      const name = names[i % names.length]!;
      const started = performance.now();
      await calls[name]!();
      times[name]!.push((performance.now() - started) * 1_000);
    }
    const raw = median(times["raw"]!);
    const noise = median(times["rawAgain"]!) / raw;
    const viaTool = median(times["tool"]!);
    const bare = median(times["bare"]!);

    const deadline = performance.now() + 3_000;
    let served = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (performance.now() < deadline) {
          await calls["raw"]!();
          served += 1;
        }
      }),
    );
    return [
      {
        name: "overhead: tool.invoke vs raw fetch, GET /sessions/{id} (median per call)",
        value: `${viaTool.toFixed(0)} µs vs ${raw.toFixed(0)} µs (raw vs raw again: ${noise.toFixed(2)}x)`,
        ratio: viaTool / raw,
        goal: "≤ 1.10x",
        pass: viaTool / raw <= 1.1,
      },
      {
        name: "overhead: a bare LangChain tool around the same raw fetch (LangChain's share)",
        value: `${bare.toFixed(0)} µs vs ${raw.toFixed(0)} µs`,
        ratio: bare / raw,
        goal: "(attribution)",
        pass: null,
      },
      {
        name: "emulator: GET /sessions/{id}, 32 concurrent clients, own process",
        value: `${Math.round(served / 3)} req/s`,
        ratio: null,
        goal: "not the bottleneck",
        pass: null,
      },
    ];
  } finally {
    child.kill("SIGTERM");
  }
}
