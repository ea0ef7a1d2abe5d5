/**
 * Overhead of the whole stack (tool.invoke → schema validation → GumloopClient → transport → decode → model
 * content) against a raw `fetch` of the same emulator endpoint. The emulator runs in its own process (as a remote
 * API would).
 *
 * Method: the variants alternate in blocks of {@link BLOCK} calls, round after round, and each variant's cost is
 * the median over rounds of its mean time per call in a block. Means over a block include the work a call leaves
 * behind (garbage collection, finalizers) that a median of single calls would skip; alternating blocks, in a new
 * order each round, cancels drift and spreads that leftover work evenly. A raw-vs-raw pair shows the noise floor.
 *
 * Rows: our tool as shipped (built-in node:http transport) against raw fetch, which is the goal; the same tool
 * with `fetch` injected as its transport, which is the stack's own cost on top of fetch; and a bare LangChain tool
 * around the raw fetch, which is LangChain's share.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { DynamicStructuredTool } from "@langchain/core/tools";
import { z } from "zod";
import { SEED_SESSIONS } from "gumloop-emulator";
import { GumloopClient } from "../src/client/client.js";
import { GumloopToolManager } from "../src/toolManager.js";
import type { BenchRow } from "./table.js";
import { TS_NODE_FLAGS } from "../test/helpers/tsNode.js";
import { EMULATOR_CLI } from "./emulatorCli.js";

const BLOCK = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/**
 * The `index`-th of the orderings of `items` (read as a number in the factorial base), so every run uses the same
 * orders and consecutive rounds go through all of them.
 */
function nthOrder<T>(items: readonly T[], index: number): T[] {
  const pool = [...items];
  const order: T[] = [];
  let rest = index;
  for (let size = pool.length; size > 0; size--) {
    order.push(pool.splice(rest % size, 1)[0]!);
    rest = Math.floor(rest / size);
  }
  return order;
}

export async function overhead(rounds = 160): Promise<BenchRow[]> {
  const child = spawn(process.execPath, [...TS_NODE_FLAGS, EMULATOR_CLI, "--json", "--port", "0"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  try {
    const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
    const info = JSON.parse(first.value as string) as { url: string; apiKey: string; userId: string };
    const connection = { apiKey: info.apiKey, userId: info.userId, baseUrl: info.url, env: {} };
    const tool = new GumloopToolManager({ client: new GumloopClient(connection) }).getTool(
      "get_single_gumloop_session_by_id",
    );
    const viaFetch = new GumloopToolManager({
      client: new GumloopClient({ ...connection, fetch: globalThis.fetch }),
    }).getTool("get_single_gumloop_session_by_id");
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
      tool: () => tool.invoke({ id: sessionId }),
      viaFetch: () => viaFetch.invoke({ id: sessionId }),
    };
    const names = Object.keys(calls);
    const blockMeans: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    for (let i = 0; i < 1_000; i++) await calls[names[i % names.length]!]!();
    for (let round = 0; round < rounds; round++) {
      // A new order every round, so no variant always follows the one whose garbage it collects.
      for (const name of nthOrder(names, round)) {
        const started = performance.now();
        for (let i = 0; i < BLOCK; i++) await calls[name]!();
        blockMeans[name]!.push(((performance.now() - started) * 1_000) / BLOCK);
      }
    }
    const cost = (name: string) => median(blockMeans[name]!);
    const raw = cost("raw");
    const noise = cost("rawAgain") / raw;

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
    const row = (name: string, label: string, goal: string, limit: number | null): BenchRow => ({
      name: label,
      value: `${cost(name).toFixed(0)} µs vs ${raw.toFixed(0)} µs`,
      ratio: cost(name) / raw,
      goal,
      pass: limit === null ? null : cost(name) / raw <= limit,
    });
    return [
      {
        ...row(
          "tool",
          "overhead: tool.invoke vs raw fetch, GET /sessions/{id} (mean per call)",
          "≤ 1.10x",
          1.1,
        ),
        value: `${cost("tool").toFixed(0)} µs vs ${raw.toFixed(0)} µs (raw vs raw again: ${noise.toFixed(2)}x)`,
      },
      row(
        "viaFetch",
        "overhead: the same tool with `fetch` injected as its transport",
        "(attribution)",
        null,
      ),
      row(
        "bare",
        "overhead: a bare LangChain tool around the same raw fetch (LangChain's share)",
        "(attribution)",
        null,
      ),
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
