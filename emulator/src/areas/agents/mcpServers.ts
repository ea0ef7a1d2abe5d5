/**
 * An agent's MCP servers (agents.yml `listAgentMcpServers`, `attachAgentMcpServer`, `detachAgentMcpServer`): the
 * MCP entries of the agent's `tools`, listed with secrets and server URLs scrubbed, attached or updated (upsert)
 * by catalogue id, and detached (idempotent: `detached: false` when it was not attached).
 *
 * On attach, the identity fields (`type`, `server_id`, `secret_id`, `mcp_server_url`) come from the caller's MCP
 * catalogue, never from the body, which carries free-form configuration only. An id outside the catalogue is 404
 * `mcp_server_not_found`, a server blocked for the organization 403 `mcp_server_restricted`, and an agent holding
 * the server twice 409 `ambiguous_mcp_server` (documented slugs). The operation declares no 400, so a body that is
 * not a JSON object is taken as no configuration (inference). `auth_status` is `authenticated` for a connected
 * server, else the catalogue's status (e.g. `unauthenticated`; the value set is not documented).
 */
import { defineArea } from "../../area.js";
import { isPlainObject, json, type RequestContext, type Reply } from "../../server/context.js";
import { ApiError, conflict } from "../../server/errors.js";
import type { AgentRecord } from "../../world/model.js";
import { MCP_SERVERS, type McpServerDef } from "../mcp/catalog.js";
import { mcpServerStatuses } from "../mcp/routes.js";
import { publicTools, requireAgent } from "./records.js";

/** Tool types that are MCP servers (mcp.yml's server types). */
const MCP_TYPES = new Set(["gumcp_server", "gumstack_server", "mcp_server"]);

/** Keys of an attached server's config that only the catalogue sets. */
const IDENTITY_KEYS = new Set(["type", "server_id", "secret_id", "mcp_server_url", "server", "id"]);

/** Whether an agent tool entry is MCP server `serverId` (entries name it by several keys, as seeds do). */
function isServer(tool: Record<string, unknown>, serverId: string): boolean {
  return tool.server_id === serverId || tool.server === serverId || tool.id === serverId;
}

function listAgentMcpServers(ctx: RequestContext): Reply {
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  const servers = agent.tools.filter((tool) => MCP_TYPES.has(String(tool.type)));
  return json(200, { agent_id: agent.id, mcp_servers: publicTools(servers) });
}

function catalogServer(ctx: RequestContext): McpServerDef {
  const serverId = ctx.param("server_id");
  const server = MCP_SERVERS.find((s) => s.id === serverId);
  if (!server) {
    throw new ApiError(404, "mcp_server_not_found", `MCP server not found in your catalog: ${serverId}`, {
      param: "server_id",
      details: { server_id: serverId },
    });
  }
  return server;
}

/** The body as configuration: a JSON object without the catalogue's identity keys, else none. */
function configOf(ctx: RequestContext): Record<string, unknown> {
  let body: unknown;
  try {
    body = ctx.jsonObject();
  } catch {
    return {};
  }
  if (!isPlainObject(body)) return {};
  return Object.fromEntries(Object.entries(body).filter(([key]) => !IDENTITY_KEYS.has(key)));
}

function attachAgentMcpServer(ctx: RequestContext): Reply {
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  const server = catalogServer(ctx);
  const status = mcpServerStatuses(ctx.env.store).get(server.id) ?? server.status;
  if (status === "blocked") {
    throw new ApiError(
      403,
      "mcp_server_restricted",
      `MCP server ${server.id} is restricted for your organization.`,
      {
        details: { server_id: server.id },
      },
    );
  }
  const at = agent.tools.flatMap((tool, i) => (isServer(tool, server.id) ? [i] : []));
  if (at.length > 1) {
    throw conflict(
      "ambiguous_mcp_server",
      `Agent ${agent.id} holds ${server.id} ${at.length} times; remove the duplicates.`,
      {
        server_id: server.id,
      },
    );
  }
  const tool: Record<string, unknown> = {
    ...configOf(ctx),
    type: server.type,
    server_id: server.id,
    // Scrubbed from every answer, kept as Gumloop keeps them: the secret reference and the upstream URL.
    secret_id: `secret_${server.id}`,
    ...(server.mcpUrl ? { mcp_server_url: server.mcpUrl } : {}),
  };
  const created = at.length === 0;
  if (created) agent.tools.push(tool);
  else agent.tools[at[0]!] = tool;
  agent.updatedAt = ctx.now;
  return json(200, {
    agent_id: agent.id,
    mcp_server: publicTools([tool])[0],
    created,
    auth_status: status === "connected" ? "authenticated" : status,
  });
}

function detachAgentMcpServer(ctx: RequestContext): Reply {
  const agent: AgentRecord = requireAgent(ctx, ctx.param("agent_id"));
  const serverId = ctx.param("server_id");
  const kept = agent.tools.filter((tool) => !isServer(tool, serverId));
  const detached = kept.length < agent.tools.length;
  if (detached) {
    agent.tools = kept;
    agent.updatedAt = ctx.now;
  }
  return json(200, { agent_id: agent.id, server_id: serverId, detached });
}

/** The agent MCP servers area. */
export const agentMcpServersArea = defineArea({
  name: "agentMcpServers",
  routes(r) {
    const path = "/agents/{agent_id}/mcp-servers";
    r.get(path, listAgentMcpServers, { statuses: [200, 401, 403, 404, 500] });
    r.put(`${path}/{server_id}`, attachAgentMcpServer, { statuses: [200, 401, 403, 404, 409, 500] });
    r.delete(`${path}/{server_id}`, detachAgentMcpServer, { statuses: [200, 401, 403, 404, 500] });
  },
});
