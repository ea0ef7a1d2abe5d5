/** MCP servers connected to Gumloop, their tools, and batched tool calls. */
import { z } from "zod";
import { id, jsonObject, modelSchema, text, unlisted } from "./fields.js";
import { CREATE, READ, defineEndpoint } from "./types.js";

export const list_all_gumloop_mcp_servers = defineEndpoint({
  name: "list_all_gumloop_mcp_servers",
  method: "read",
  tags: ["mcp"],
  route: "GET /mcp/servers",
  identity: ["team_id"],
  result: "servers",
  description: "List MCP servers; one not connected needs its gumloop_auth_url.",
  annotations: READ,
  input: () => z.object({}),
});

export const get_single_gumloop_mcp_server_by_id = defineEndpoint({
  name: "get_single_gumloop_mcp_server_by_id",
  method: "read",
  tags: ["mcp"],
  route: "GET /mcp/servers/{server_id}",
  aliases: { id: "server_id" },
  identity: ["team_id"],
  result: "server",
  description: "Get an MCP server, with allowed_tool_call_ids.",
  annotations: READ,
  input: () => z.object({ id: id("Server id") }),
});

export const list_all_gumloop_mcp_server_tools = defineEndpoint({
  name: "list_all_gumloop_mcp_server_tools",
  method: "read",
  tags: ["mcp"],
  route: "GET /mcp/servers/{server_id}/tools",
  identity: ["team_id"],
  result: "tools",
  description: "List a server's tools with input_schema (none until connected).",
  annotations: READ,
  input: () => z.object({ server_id: id("Server id") }),
});

export const create_a_gumloop_mcp_tool = defineEndpoint({
  name: "create_a_gumloop_mcp_tool",
  method: "write",
  tags: ["mcp"],
  route: "POST /mcp/tools/call",
  context: { team_id: "body" },
  identity: ["team_id"],
  result: "results",
  description: "Call 1-5 MCP tools at once; each result has its own status.",
  annotations: { ...CREATE, openWorldHint: true },
  spendsCredits: true,
  input: () =>
    z.object({
      calls: unlisted(
        z
          .array(
            modelSchema(
              // `ref` (a label Gumloop echoes) is left out: results come back in call order.
              z.object({
                server_id: id("Server id"),
                tool_name: text("Tool name (not tool_call_id)"),
                arguments: jsonObject("Per input_schema").optional(),
              }),
            ),
          )
          .min(1)
          .max(5),
      ).describe("Tool calls"),
    }),
});
