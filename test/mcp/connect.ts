/** MCP clients for the tests: the SDK's own `Client`, in memory or over Streamable HTTP against our handler. */
import { createServer, type Server as HttpServer } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { createGumloopMcpHttpHandler, type GumloopMcpHttpOptions } from "../../src/mcp/http.js";
import { createGumloopMcpServer, type GumloopMcpServerOptions } from "../../src/mcp/server.js";
import { McpServerStore } from "../../src/mcp/store.js";

/** An SDK client connected in memory to a new server. */
export async function connectInMemory(options: GumloopMcpServerOptions): Promise<Client> {
  const server = createGumloopMcpServer(options);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "test", version: "0.0.0" });
  await client.connect(clientSide);
  return client;
}

/** A store in a fresh temporary folder. */
export function tempStore(now?: () => number): McpServerStore {
  const folder = mkdtempSync(join(tmpdir(), "gumloop-mcp-"));
  return new McpServerStore(join(folder, "servers.json"), now ? { now } : {});
}

export interface HttpMcp {
  readonly url: string;
  readonly store: McpServerStore;
  readonly log: string[];
  /** An SDK client over Streamable HTTP to `/mcp/<token>`, with optional extra headers. */
  connect(token: string, headers?: Record<string, string>): Promise<Client>;
  close(): Promise<void>;
}

/** Our HTTP handler on a loopback port, with a store of its own. */
export async function startHttpMcp(
  options: Omit<GumloopMcpHttpOptions, "store"> & { store?: McpServerStore },
): Promise<HttpMcp> {
  const store = options.store ?? tempStore();
  const log: string[] = [];
  const handler = createGumloopMcpHttpHandler({ ...options, store, log: (line) => log.push(line) });
  const http: HttpServer = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const clients: Client[] = [];
  return {
    url,
    store,
    log,
    async connect(token, headers = {}) {
      const client = new Client({ name: "test", version: "0.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${url}/mcp/${token}`), { requestInit: { headers } }),
      );
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((client) => client.close().catch(() => {})));
      await handler.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
