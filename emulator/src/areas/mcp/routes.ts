/**
 * MCP (mcp.yml; tools 16–19): the server catalogue, one server with its `allowed_tool_call_ids`, a server's tools,
 * and batched tool calls (1–5, run concurrently, one result each; 200 when every result has the same outcome,
 * 207 when some succeed and some fail).
 *
 * Server statuses start as the catalogue says (`catalog.ts`) and can be overridden per emulator with
 * `seedData.mcp_server_status` (`{ gumloop_gmail: "connected" }`), or in a test through
 * `mcpServerStatuses(emulatorEnv(emulator).store)` (src/internals.ts).
 */
import { defineArea, type AreaEnv } from "../../area.js";
import { isPlainObject, json, type RequestContext, type Reply } from "../../server/context.js";
import { ApiError, errorType, invalidRequest } from "../../server/errors.js";
import type { Store } from "../../world/store.js";
import { MCP_SERVERS, toolCallId, type McpContent, type McpServerDef } from "./catalog.js";
import { schemaErrors } from "./schema.js";

export { SEED_MCP_SERVERS, MCP_SERVERS } from "./catalog.js";

/** The most calls one `POST /mcp/tools/call` may carry. */
export const MAX_MCP_CALLS = 5;

/** Current status per server id. */
export function mcpServerStatuses(store: Store): Map<string, string> {
  return store.area("mcp", () => new Map(MCP_SERVERS.map((s) => [s.id, s.status])));
}

function statusOf(ctx: RequestContext, server: McpServerDef): string {
  return mcpServerStatuses(ctx.env.store).get(server.id) ?? server.status;
}

/** Tool call ids the caller may invoke: none on a blocked server, and never a policy-restricted tool. */
function allowedToolCallIds(server: McpServerDef, status: string): string[] {
  if (status === "blocked") return [];
  return server.tools.filter((t) => !t.restricted).map((t) => toolCallId(server.id, t.name));
}

function serverView(server: McpServerDef, status: string, withAllowed: boolean): Record<string, unknown> {
  return {
    server_id: server.id,
    name: server.name,
    type: server.type,
    status,
    icon_url: server.iconUrl,
    description: server.description,
    gumloop_auth_url: server.authUrl,
    mcp_url: server.mcpUrl,
    tool_count: server.tools.length,
    // "Populated only by the retrieve endpoint. Always null here" on the list.
    allowed_tool_call_ids: withAllowed ? allowedToolCallIds(server, status) : null,
  };
}

/** The server named by the path, or 404 `mcp_server_not_found` (a documented slug). */
function requireServer(ctx: RequestContext): McpServerDef {
  const serverId = ctx.param("server_id");
  const server = MCP_SERVERS.find((s) => s.id === serverId);
  if (!server) {
    throw new ApiError(404, "mcp_server_not_found", `MCP server not found: ${serverId}`, {
      param: "server_id",
      details: { server_id: serverId },
    });
  }
  return server;
}

function listServers(ctx: RequestContext): Reply {
  ctx.teamScope("query");
  return json(200, { servers: MCP_SERVERS.map((s) => serverView(s, statusOf(ctx, s), false)) });
}

function retrieveServer(ctx: RequestContext): Reply {
  ctx.teamScope("query");
  const server = requireServer(ctx);
  return json(200, { server: serverView(server, statusOf(ctx, server), true) });
}

function listServerTools(ctx: RequestContext): Reply {
  ctx.teamScope("query");
  const server = requireServer(ctx);
  const status = statusOf(ctx, server);
  const tools =
    status !== "connected"
      ? []
      : server.tools.map((t) => ({
          tool_call_id: toolCallId(server.id, t.name),
          name: t.name,
          description: t.description,
          input_schema: structuredClone(t.inputSchema),
          server_id: server.id,
          server_type: server.type,
          server: {},
        }));
  return json(200, { tools, server_id: server.id, status, gumloop_auth_url: server.authUrl });
}

/** One validated entry of `calls`. */
interface McpCall {
  ref: string;
  serverId: string;
  toolName: string;
  args: Record<string, unknown>;
}

/** One entry of `results`. */
interface McpCallResult {
  ref: string;
  server_id: string;
  tool_name: string;
  status: "success" | "unauthenticated" | "error";
  content: McpContent[] | null;
  error: {
    code: string;
    message: string;
    type: string;
    param: string | null;
    details: Record<string, unknown>;
  } | null;
}

/** Checks the request shape (a bad one is a top-level 400; everything about execution is per result). */
function parseCalls(body: Record<string, unknown>): McpCall[] {
  const calls = body.calls;
  if (calls === undefined || calls === null) throw invalidRequest("calls is required", "calls");
  if (!Array.isArray(calls)) throw invalidRequest("calls must be an array", "calls");
  if (calls.length < 1 || calls.length > MAX_MCP_CALLS) {
    throw invalidRequest(
      `calls must contain between 1 and ${MAX_MCP_CALLS} tool calls; got ${calls.length}`,
      "calls",
    );
  }
  return calls.map((call, i) => {
    const at = `calls[${i}]`;
    if (!isPlainObject(call)) throw invalidRequest(`${at} must be an object`, at);
    for (const key of ["server_id", "tool_name"] as const) {
      const value = call[key];
      if (value === undefined || value === null)
        throw invalidRequest(`${at}.${key} is required`, `${at}.${key}`);
      if (typeof value !== "string" || value.trim() === "") {
        throw invalidRequest(`${at}.${key} must be a non-empty string`, `${at}.${key}`);
      }
    }
    const ref = call.ref;
    if (ref !== undefined && ref !== null && typeof ref !== "string") {
      throw invalidRequest(`${at}.ref must be a string or null`, `${at}.ref`);
    }
    const args = call.arguments;
    if (args !== undefined && args !== null && !isPlainObject(args)) {
      throw invalidRequest(`${at}.arguments must be an object`, `${at}.arguments`);
    }
    return {
      // "When omitted, Gumloop assigns the call's zero-based index in calls as its ref" (ref is a string).
      ref: typeof ref === "string" ? ref : String(i),
      serverId: call.server_id as string,
      toolName: call.tool_name as string,
      args: (args as Record<string, unknown> | undefined) ?? {},
    };
  });
}

/**
 * Runs one call; never throws (every MCP-side failure is a result). Of the per-result codes, Gumloop documents
 * `auth_required` and `mcp_server_restricted`; `mcp_server_unavailable`, `tool_not_found`, `policy_denied` and
 * `invalid_arguments` are inferences for failures the docs name ("policy blocks, invalid tools...") but not code.
 */
async function runCall(ctx: RequestContext, call: McpCall): Promise<McpCallResult> {
  const base = { ref: call.ref, server_id: call.serverId, tool_name: call.toolName };
  const fail = (
    status: "unauthenticated" | "error",
    httpLike: number,
    code: string,
    message: string,
    param: string | null,
    details: Record<string, unknown> = {},
  ): McpCallResult => ({
    ...base,
    status,
    content: null,
    // The per-result error mirrors Gumloop's envelope; its type follows the status the failure would have had.
    error: { code, message, type: errorType(httpLike), param, details },
  });
  const ids = { server_id: call.serverId, tool_name: call.toolName };

  const server = MCP_SERVERS.find((s) => s.id === call.serverId);
  if (!server) {
    return fail("error", 404, "mcp_server_not_found", `MCP server not found: ${call.serverId}`, "server_id", {
      server_id: call.serverId,
    });
  }
  const status = statusOf(ctx, server);
  if (status === "unauthenticated") {
    return fail(
      "unauthenticated",
      403,
      "auth_required",
      `Connect ${server.name} before using this tool.`,
      "tool_name",
      {
        ...ids,
        gumloop_auth_url: server.authUrl,
      },
    );
  }
  if (status === "blocked") {
    return fail(
      "error",
      403,
      "mcp_server_restricted",
      `${server.name} is blocked by your workspace's MCP policy.`,
      "server_id",
      { ...ids, status },
    );
  }
  if (status !== "connected") {
    // Any other state the catalogue may be given (e.g. "error"): the server cannot take calls.
    return fail(
      "error",
      503,
      "mcp_server_unavailable",
      `${server.name} is not available (${status}).`,
      "server_id",
      {
        ...ids,
        status,
      },
    );
  }
  const tool = server.tools.find((t) => t.name === call.toolName);
  if (!tool) {
    const prefix = `${server.id}__`;
    const hint = call.toolName.startsWith(prefix)
      ? ` Pass the tool's name (${call.toolName.slice(prefix.length)}), not its tool_call_id.`
      : "";
    return fail(
      "error",
      404,
      "tool_not_found",
      `${server.name} has no tool ${call.toolName}.${hint}`,
      "tool_name",
      {
        ...ids,
        available_tools: server.tools.map((t) => t.name),
      },
    );
  }
  if (tool.restricted) {
    return fail(
      "error",
      403,
      "policy_denied",
      `${tool.name} is not allowed by your workspace's MCP policy.`,
      "tool_name",
      ids,
    );
  }
  const problems = schemaErrors(tool.inputSchema, call.args);
  if (problems.length > 0) {
    return fail(
      "error",
      400,
      "invalid_arguments",
      `Invalid arguments for ${tool.name}: ${problems.join("; ")}`,
      "arguments",
      { ...ids, errors: problems },
    );
  }
  const outcome = tool.run(structuredClone(call.args));
  if ("failure" in outcome) {
    return fail("error", 502, outcome.failure.code, outcome.failure.message, null, ids);
  }
  return { ...base, status: "success", content: outcome.content, error: null };
}

async function callTools(ctx: RequestContext): Promise<Reply> {
  const body = ctx.jsonObject();
  // "/mcp/tools/call reads team_id from the body" (SDK); a query team_id is not consulted.
  ctx.teamScope("body");
  const calls = parseCalls(body);
  const results = await Promise.all(calls.map((call) => runCall(ctx, call)));
  const succeeded = results.filter((r) => r.status === "success").length;
  const homogeneous = succeeded === 0 || succeeded === results.length;
  return json(homogeneous ? 200 : 207, { results });
}

/** Applies `seedData.mcp_server_status` (server id → status). */
function seedStatuses(env: AreaEnv): void {
  const overrides = env.options.seedData.mcp_server_status;
  if (overrides === undefined) return;
  if (!isPlainObject(overrides)) throw new TypeError("seedData.mcp_server_status must be an object");
  const statuses = mcpServerStatuses(env.store);
  for (const [id, status] of Object.entries(overrides)) {
    if (!statuses.has(id)) throw new TypeError(`seedData.mcp_server_status: unknown MCP server ${id}`);
    if (typeof status !== "string") throw new TypeError(`seedData.mcp_server_status.${id} must be a string`);
    statuses.set(id, status);
  }
}

/** The MCP area. */
export const mcpArea = defineArea({
  name: "mcp",
  seed: seedStatuses,
  routes(r) {
    r.get("/mcp/servers", listServers, { statuses: [200, 401, 403, 500] });
    r.get("/mcp/servers/{server_id}", retrieveServer, { statuses: [200, 401, 403, 404, 500] });
    r.get("/mcp/servers/{server_id}/tools", listServerTools, { statuses: [200, 401, 403, 404, 500] });
    r.post("/mcp/tools/call", callTools, { statuses: [200, 207, 400, 401, 403, 500] });
  },
  inspect(env) {
    return { servers: Object.fromEntries(mcpServerStatuses(env.store)) };
  },
});
