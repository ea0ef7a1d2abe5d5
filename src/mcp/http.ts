/**
 * Streamable HTTP for the configured servers: `POST|GET|DELETE /mcp/<token>`. The token picks the server; a server
 * with `requireApiTokenAuth` also needs `Authorization: Bearer <api token>`. Anything unknown, expired, revoked or
 * unauthenticated gets the same 401 with nothing listed. Each client gets its own MCP session (the transport's
 * `Mcp-Session-Id`), bound to the server that opened it; the jobs of one server are shared by all its sessions, so a
 * call re-sent on a new connection finds its job.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { GumloopClient, type GumloopClientOptions } from "../client/client.js";
import { GumloopMcpJobs, type GumloopMcpJobsOptions } from "./jobs.js";
import { createGumloopMcpServer } from "./server.js";
import { McpServerStore, type StoredServer } from "./store.js";
import { tokenMatches, hashToken } from "./tokens.js";

/** Options of {@link createGumloopMcpHttpHandler}. */
export interface GumloopMcpHttpOptions {
  /** The store file of configured servers (see `gumloop-mcp servers create`), or a store. */
  store: string | McpServerStore;
  /**
   * The API token that servers created with `requireApiTokenAuth` demand as `Authorization: Bearer …`.
   * @default process.env.GUMLOOP_MCP_API_TOKEN
   */
  apiToken?: string;
  /** The Gumloop client every server calls through. @default one built from `clientOptions` and the environment */
  client?: GumloopClient;
  clientOptions?: GumloopClientOptions;
  /** Job settings for every server. */
  jobOptions?: GumloopMcpJobsOptions;
  /** A session with no request for this long is closed, ms. @default 1800000 */
  sessionIdleMs?: number;
  /** Largest JSON-RPC request body, bytes. @default 4194304 */
  maxBodyBytes?: number;
  /** One line per request (method, `/mcp/…` without the token, status); never a token. @default none */
  log?: (line: string) => void;
}

/** A Node request handler for `/mcp/<token>`, with `close()` to end its sessions and timers. */
export interface GumloopMcpHttpHandler {
  (request: IncomingMessage, response: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

interface Session {
  readonly serverId: string;
  readonly stamp: string;
  readonly transport: StreamableHTTPServerTransport;
  readonly server: Server;
  lastSeen: number;
}

const UNAUTHORIZED = JSON.stringify({
  jsonrpc: "2.0",
  error: { code: -32001, message: "Unauthorized" },
  id: null,
});

function reply(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return;
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
}

function rpcError(message: string, code = -32600): string {
  return JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });
}

async function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Builds the handler. Mount it on any Node HTTP server; it answers every path under `/mcp/`.
 *
 * @example
 * ```ts
 * const handler = createGumloopMcpHttpHandler({ store: "./mcp-servers.json" });
 * http.createServer((request, response) => void handler(request, response)).listen(8080, "127.0.0.1");
 * ```
 */
export function createGumloopMcpHttpHandler(options: GumloopMcpHttpOptions): GumloopMcpHttpHandler {
  const store = typeof options.store === "string" ? new McpServerStore(options.store) : options.store;
  const apiToken = options.apiToken ?? process.env["GUMLOOP_MCP_API_TOKEN"];
  // Only the hash is kept in memory, like the stored server tokens.
  const apiTokenHash = apiToken ? hashToken(apiToken) : null;
  const client = options.client ?? new GumloopClient(options.clientOptions ?? {});
  const idleMs = options.sessionIdleMs ?? 1_800_000;
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const sessions = new Map<string, Session>();
  const jobs = new Map<string, GumloopMcpJobs>();

  const jobsOf = (serverId: string) => {
    let set = jobs.get(serverId);
    if (!set) jobs.set(serverId, (set = new GumloopMcpJobs(client, options.jobOptions)));
    return set;
  };
  const closeSessions = async (which: (session: Session) => boolean) => {
    const ending = [...sessions.entries()].filter(([, session]) => which(session));
    for (const [id] of ending) sessions.delete(id);
    await Promise.all(ending.map(([, session]) => session.server.close().catch(() => {})));
  };
  const forgetServer = async (serverId: string) => {
    await closeSessions((session) => session.serverId === serverId);
    jobs.get(serverId)?.close();
    jobs.delete(serverId);
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    void closeSessions((session) => now - session.lastSeen > idleMs);
    for (const id of store.sweepExpired()) void forgetServer(id);
  }, 60_000);
  sweep.unref();

  const authorized = (server: StoredServer, request: IncomingMessage) => {
    if (!server.requireApiTokenAuth) return true;
    const header = request.headers["authorization"];
    const match = typeof header === "string" ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    // Without a configured API token nobody passes; the comparison itself is on hashes, in constant time.
    return Boolean(match && apiTokenHash && tokenMatches(match[1]!, apiTokenHash));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<number> => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const match = /^\/mcp\/([^/]+)\/?$/.exec(path);
    if (!match) {
      reply(response, 404, rpcError("Not found"));
      return 404;
    }
    let token: string;
    try {
      token = decodeURIComponent(match[1]!);
    } catch {
      token = "";
    }
    const lookup = store.authenticate(token);
    if (!lookup.server || !authorized(lookup.server, request)) {
      reply(response, 401, UNAUTHORIZED, { "www-authenticate": "Bearer" });
      return 401;
    }
    const server = lookup.server;
    const sessionId = request.headers["mcp-session-id"];
    let body: unknown;
    if (request.method === "POST") {
      const text = await readBody(request, maxBody);
      if (text === null) {
        reply(response, 413, rpcError("Request body too large"), { connection: "close" });
        return 413;
      }
      try {
        body = JSON.parse(text);
      } catch {
        reply(response, 400, rpcError("Parse error", -32700));
        return 400;
      }
    }
    if (typeof sessionId === "string") {
      const session = sessions.get(sessionId);
      if (!session) {
        reply(response, 404, rpcError("Session not found", -32001));
        return 404;
      }
      // A session belongs to the server that opened it: another server's token cannot reach it.
      if (session.serverId !== server.id) {
        reply(response, 401, UNAUTHORIZED, { "www-authenticate": "Bearer" });
        return 401;
      }
      // Settings changed since the session opened: the client must open a new session to see them.
      if (session.stamp !== server.updatedAt) {
        sessions.delete(sessionId);
        void session.server.close();
        reply(response, 404, rpcError("Session not found", -32001));
        return 404;
      }
      session.lastSeen = Date.now();
      await session.transport.handleRequest(request, response, body);
      return response.statusCode;
    }
    if (request.method !== "POST" || !isInitializeRequest(body)) {
      reply(response, 400, rpcError("Bad Request: no valid session id; send initialize first"));
      return 400;
    }
    const mcpServer = createGumloopMcpServer({
      client,
      filter: server.filter,
      toolExposure: server.toolExposure,
      pinIdentity: server.pinIdentity ?? false,
      serverId: server.id,
      jobs: jobsOf(server.id),
    });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, {
          serverId: server.id,
          stamp: server.updatedAt,
          transport,
          server: mcpServer,
          lastSeen: Date.now(),
        });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await mcpServer.connect(transport);
    await transport.handleRequest(request, response, body);
    return response.statusCode;
  };

  const handler = (async (request: IncomingMessage, response: ServerResponse) => {
    let status = 500;
    try {
      status = await handle(request, response);
    } catch {
      // The message could carry request details; the client gets a generic error and the log a status.
      reply(response, 500, rpcError("Internal error", -32603));
    }
    options.log?.(`${request.method} /mcp/… ${status}`);
  }) as GumloopMcpHttpHandler;
  handler.close = async () => {
    clearInterval(sweep);
    await closeSessions(() => true);
    for (const set of jobs.values()) set.close();
    jobs.clear();
  };
  return handler;
}
