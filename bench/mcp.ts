/**
 * The MCP server's benchmarks, measured in one run:
 * - model turns for "run the research agent, wait, read the report" through MCP (the SDK client and
 *   @langchain/mcp-adapters' `loadMcpTools`, a scripted model as in turns.ts): the composite session tool against
 *   the raw tools;
 * - o200k tokens of `tools/list` with the discovery exposure against the full list;
 * - the cost of one MCP tool call over Streamable HTTP against the same LangChain `tool.invoke` in process, with
 *   the emulator in its own process (alternating blocks, median of block means, as overhead.ts does).
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loadMcpTools } from "@langchain/mcp-adapters";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { getEncoding } from "js-tiktoken";
import { GumloopClient } from "../src/client/client.js";
import { SEED_SESSIONS, startEmulator, VirtualClock } from "gumloop-emulator";
import type { CatalogueFilter } from "../src/catalogue/filter.js";
import { createGumloopMcpHttpHandler } from "../src/mcp/http.js";
import { createGumloopMcpServer, type GumloopMcpServerOptions } from "../src/mcp/server.js";
import { McpServerStore } from "../src/mcp/store.js";
import { GumloopToolManager } from "../src/toolManager.js";
import type { BenchRow } from "./table.js";
import { TS_NODE_FLAGS } from "../test/helpers/tsNode.js";
import { EMULATOR_CLI } from "./emulatorCli.js";
import { compositePolicy, plainPolicy, researchRun } from "./turns.js";

async function inMemoryClient(options: GumloopMcpServerOptions): Promise<Client> {
  const server = createGumloopMcpServer(options);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "bench", version: "0" });
  await client.connect(clientSide);
  return client;
}

async function turns(mode: "plain" | "composite") {
  const clock = new VirtualClock({ autoAdvance: true });
  const emulator = await startEmulator({ port: 0, clock, durations: { research: 60_000 } });
  try {
    const filter: CatalogueFilter =
      mode === "plain"
        ? { tags: ["agents", "sessions", "artifacts"], methods: ["read", "write"] }
        : { names: ["list_all_gumloop_agents", "run_gumloop_agent_session"] };
    const client = await inMemoryClient({
      client: new GumloopClient(emulator.clientOptions()),
      filter,
      jobOptions: { download: { insecureHosts: [emulator.host] } },
    });
    // The raw set is the manager's agents/sessions/artifacts tools: the job tool its tags also select is left out.
    const tools = (await loadMcpTools("gumloop", client)).filter(
      (tool) => mode === "composite" || !tool.name.startsWith("run_gumloop"),
    );
    const result = await researchRun(
      mode === "plain" ? plainPolicy : compositePolicy,
      tools,
      clock,
      emulator,
    );
    await client.close();
    return result;
  } finally {
    await emulator.close();
  }
}

async function listTokens(): Promise<{ all: number; discovery: number }> {
  const encoder = getEncoding("o200k_base");
  const client = new GumloopClient({ apiKey: "bench", env: {} });
  const count = async (toolExposure: "all" | "discovery") => {
    const mcp = await inMemoryClient({ client, toolExposure });
    const { tools } = await mcp.listTools();
    await mcp.close();
    return encoder.encode(JSON.stringify(tools)).length;
  };
  return { all: await count("all"), discovery: await count("discovery") };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

async function callOverhead(rounds = 40, block = 25): Promise<{ mcp: number; local: number }> {
  const child = spawn(process.execPath, [...TS_NODE_FLAGS, EMULATOR_CLI, "--json", "--port", "0"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const handlerStore = new McpServerStore(
    join(mkdtempSync(join(tmpdir(), "gumloop-mcp-bench-")), "servers.json"),
  );
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
    const { token } = handlerStore.create({ name: "bench", filter: { tags: ["sessions"] } });
    const handler = createGumloopMcpHttpHandler({ store: handlerStore, client });
    const http = createServer((request, response) => void handler(request, response));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const address = http.address() as { port: number };
    const mcp = new Client({ name: "bench", version: "0" });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${address.port}/mcp/${token}`)),
    );
    const args = { id: Object.values(SEED_SESSIONS)[0] as string };
    const calls: Record<"mcp" | "local", () => Promise<unknown>> = {
      mcp: () => mcp.callTool({ name: "get_single_gumloop_session_by_id", arguments: args }),
      local: () => tool.invoke(args),
    };
    const means: Record<"mcp" | "local", number[]> = { mcp: [], local: [] };
    for (let i = 0; i < 200; i++) await calls[i % 2 ? "mcp" : "local"]();
    for (let round = 0; round < rounds; round++) {
      for (const name of (round % 2 ? ["mcp", "local"] : ["local", "mcp"]) as ("mcp" | "local")[]) {
        const started = performance.now();
        for (let i = 0; i < block; i++) await calls[name]();
        means[name].push(((performance.now() - started) * 1_000) / block);
      }
    }
    await mcp.close();
    await handler.close();
    http.closeAllConnections();
    http.close();
    return { mcp: median(means.mcp), local: median(means.local) };
  } finally {
    child.kill("SIGTERM");
  }
}

export async function mcpBench(): Promise<BenchRow[]> {
  const plain = await turns("plain");
  const composite = await turns("composite");
  const tokens = await listTokens();
  const overhead = await callOverhead();
  const turnRatio = composite.calls / plain.calls;
  return [
    {
      name: "MCP model turns: research run of 60 s (composite tool vs raw tools, via mcp-adapters)",
      value: `${composite.calls} vs ${plain.calls} model calls; ${composite.requests} vs ${plain.requests} Gumloop requests; done after ${composite.seconds.toFixed(0)} s vs ${plain.seconds.toFixed(0)} s`,
      ratio: turnRatio,
      goal: "≤ 0.25x",
      pass: turnRatio <= 0.25,
    },
    {
      name: "MCP tokens: tools/list, discovery exposure vs all 41 tools (o200k)",
      value: `${tokens.discovery} vs ${tokens.all}`,
      ratio: tokens.discovery / tokens.all,
      goal: "(for information)",
      pass: null,
    },
    {
      name: "MCP overhead: tools/call over Streamable HTTP vs tool.invoke in process (mean per call)",
      value: `${overhead.mcp.toFixed(0)} µs vs ${overhead.local.toFixed(0)} µs`,
      ratio: overhead.mcp / overhead.local,
      goal: "(for information)",
      pass: null,
    },
  ];
}
