/** Agents: create, list, retrieve, update (`/agents`). */
import { z } from "zod";
import { cursor, id, jsonObject, pageSize, text } from "./fields.js";
import { CREATE, READ, UPDATE, defineEndpoint } from "./types.js";

const agentFields = () => ({
  description: z.string().optional().describe("Purpose"),
  system_prompt: z.string().optional().describe("Instructions"),
  tools: z.array(jsonObject()).optional().describe("Tool configs"),
  resources: z.array(jsonObject()).optional().describe("Resources"),
  metadata: jsonObject("Metadata").optional(),
});

export const create_a_gumloop_agent = defineEndpoint({
  name: "create_a_gumloop_agent",
  method: "write",
  tags: ["agents"],
  route: "POST /agents",
  context: { team_id: "body" },
  identity: ["team_id"],
  result: "agent",
  description: "Create an agent; returns it with its id.",
  annotations: CREATE,
  input: () =>
    z.object({
      name: text("Display name"),
      model_name: text("From list_all_gumloop_models"),
      ...agentFields(),
      skill_ids: z.array(z.string()).optional().describe("Skills"),
      folder_id: z.string().optional().describe("Folder"),
      // Gumloop does not document what a duplicate caller-chosen agent_id does, so it is not an idempotency guard.
      agent_id: id("Own id").optional(),
      // `is_active` is left out: creating an agent already retired has no use.
    }),
});

export const list_all_gumloop_agents = defineEndpoint({
  name: "list_all_gumloop_agents",
  method: "read",
  tags: ["agents"],
  route: "GET /agents",
  identity: ["team_id"],
  pagination: {
    style: "cursor",
    cursorParam: "cursor",
    nextCursorField: "next_cursor",
    itemsField: "agents",
  },
  description: "List agents; search by name.",
  annotations: READ,
  // `include_last_used` / `include_last_updated` (extra timestamps) are left out to keep the schema short.
  input: () =>
    z.object({
      search: z.string().optional().describe("Name contains"),
      creator: id("Creator").optional(),
      has_triggers: z.boolean().optional().describe("Has triggers"),
      tool: id("Uses MCP server").optional(),
      flow: id("Uses flow").optional(),
      sort_order: z.enum(["newest", "oldest", "name_asc", "name_desc"]).optional().describe("Order"),
      page_size: pageSize(),
      cursor: cursor(),
    }),
});

export const get_single_gumloop_agent_by_id = defineEndpoint({
  name: "get_single_gumloop_agent_by_id",
  method: "read",
  tags: ["agents"],
  route: "GET /agents/{agent_id}",
  aliases: { id: "agent_id" },
  result: "agent",
  description: "Get an agent.",
  annotations: READ,
  input: () => z.object({ id: id("Agent id") }),
});

export const update_a_gumloop_agent_by_id = defineEndpoint({
  name: "update_a_gumloop_agent_by_id",
  method: "write",
  tags: ["agents"],
  route: "PATCH /agents/{agent_id}",
  aliases: { id: "agent_id" },
  // No configured team: a body team_id moves the agent to that team, which only an explicit input may ask for.
  context: {},
  result: "agent",
  description: "Update an agent; only given fields change.",
  annotations: UPDATE,
  input: () =>
    z.object({
      id: id("Agent id"),
      name: text("Display name").optional(),
      model_name: text("Model id").optional(),
      ...agentFields(),
      is_active: z.boolean().optional().describe("false retires it for good"),
      team_id: id("Move to this team").optional(),
    }),
});
