/** MCP servers connected to Gumloop, their tools, and batched tool calls. */
import { z } from "zod";
import { id, jsonObject, modelSchema, text } from "./fields.js";
import { CREATE, READ, defineEndpoint } from "./types.js";

export const list_all_gumloop_mcp_servers = defineEndpoint({
  name: "list_all_gumloop_mcp_servers",
  method: "read",
  tags: ["mcp"],
  route: "GET /mcp/servers",
  description: "List MCP servers; status connected = usable, else connect via gumloop_auth_url.",
  annotations: READ,
  input: z.object({}),
});

export const get_single_gumloop_mcp_server_by_id = defineEndpoint({
  name: "get_single_gumloop_mcp_server_by_id",
  method: "read",
  tags: ["mcp"],
  route: "GET /mcp/servers/{server_id}",
  description: "Get one MCP server, including allowed_tool_call_ids.",
  annotations: READ,
  input: z.object({ server_id: id("Server id, e.g. gumloop_slack") }),
});

export const list_all_gumloop_mcp_server_tools = defineEndpoint({
  name: "list_all_gumloop_mcp_server_tools",
  method: "read",
  tags: ["mcp"],
  route: "GET /mcp/servers/{server_id}/tools",
  description:
    "List a server's tools (name, description, input_schema). Empty until the server is connected.",
  annotations: READ,
  input: z.object({ server_id: id("Server id") }),
});

export const create_a_gumloop_mcp_tool = defineEndpoint({
  name: "create_a_gumloop_mcp_tool",
  method: "write",
  tags: ["mcp"],
  route: "POST /mcp/tools/call",
  context: { team_id: "body" },
  description:
    "Call 1-5 MCP tools concurrently. Each result has its own status (success, unauthenticated, error).",
  annotations: { ...CREATE, openWorldHint: true },
  spendsCredits: true,
  input: z.object({
    calls: z
      .array(
        modelSchema(
          z.object({
            server_id: id("Server id"),
            tool_name: text("Tool name (not tool_call_id)"),
            arguments: jsonObject("Per the tool's input_schema").optional(),
            ref: z.string().optional().describe("Your label, echoed back"),
          }),
        ),
      )
      .min(1)
      .max(5)
      .describe("Tool calls"),
  }),
});
