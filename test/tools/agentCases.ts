/** Cases for the agent-side areas: agents, artifacts, chat, sessions, skills, MCP, models, teams. */
import { SEED_AGENTS, SEED_FLOWS, SEED_SESSIONS } from "gumloop-emulator";
import type { ToolName } from "../../src/tools/index.js";
import type { DynamicIds, ToolCase } from "./caseTypes.js";

const SKILL_MD =
  "---\nname: Lead enrichment\ndescription: Enrich a lead from its email\n---\n# Steps\n1. Look it up";
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

export function agentCases(ids: DynamicIds) {
  const agentId = SEED_AGENTS.research;
  const sessionId = Object.values(SEED_SESSIONS)[0] as string;
  return {
    create_a_gumloop_agent: {
      required: { name: "Test agent", model_name: "anthropic/claude-sonnet-4" },
      all: {
        name: "Test agent 2",
        model_name: "anthropic/claude-sonnet-4",
        description: "for tests",
        system_prompt: "Be brief.",
        tools: [{ type: "gumcp_server", server: "gmail" }],
        resources: [],
        metadata: { owner: "tests" },
        skill_ids: [],
        folder_id: "folder_1",
        agent_id: "lc_case_agent_1",
      },
      method: "POST",
      path: "/agents",
      body: ["name", "model_name", "description", "system_prompt", "tools", "metadata", "agent_id"],
      status: 201,
    },
    list_all_gumloop_agents: {
      required: {},
      all: {
        search: "research",
        creator: "user_case0001",
        has_triggers: false,
        tool: ids.mcpServerId,
        flow: SEED_FLOWS.summarize,
        sort_order: "name_asc",
        page_size: 5,
      },
      method: "GET",
      path: "/agents",
      query: ["search", "creator", "has_triggers", "tool", "flow", "sort_order", "page_size"],
    },
    get_single_gumloop_agent_by_id: {
      required: { id: agentId },
      all: { id: agentId },
      method: "GET",
      path: `/agents/${agentId}`,
    },
    update_a_gumloop_agent_by_id: {
      required: { id: SEED_AGENTS.assistant },
      all: {
        id: SEED_AGENTS.assistant,
        name: "Renamed",
        model_name: "anthropic/claude-sonnet-4",
        description: "d",
        system_prompt: "s",
        tools: [],
        resources: [],
        metadata: { a: 1 },
        is_active: true,
        team_id: ids.secondTeamId,
      },
      method: "PATCH",
      path: `/agents/${SEED_AGENTS.assistant}`,
      body: [
        "name",
        "model_name",
        "description",
        "system_prompt",
        "tools",
        "metadata",
        "is_active",
        "team_id",
      ],
    },
    get_single_gumloop_artifact_by_id: {
      required: { id: "ARTIFACT" },
      all: { id: "ARTIFACT", include_content: true },
      method: "GET",
      path: "/artifacts/ARTIFACT/download",
    },
    list_all_gumloop_artifacts: {
      required: { agent_id: agentId },
      all: {
        agent_id: agentId,
        session_id: sessionId,
        search_query: "report",
        sort_order: "oldest",
        page_size: 2,
      },
      method: "GET",
      path: `/agents/${agentId}/artifacts`,
      query: ["session_id", "search_query", "sort_order", "page_size"],
    },
    create_a_gumloop_chat_completion: {
      required: {
        model: "claude-sonnet-4-5",
        messages: [{ role: "user", content: "What is the capital of Canada?" }],
      },
      all: {
        model: "claude-sonnet-4-5",
        messages: [
          { role: "system", content: "Answer in one word." },
          { role: "user", content: "Capital of Canada?" },
        ],
        temperature: 0.2,
        max_completion_tokens: 50,
      },
      method: "POST",
      path: "/chat/completions",
      body: ["model", "messages", "temperature", "max_completion_tokens"],
    },
    create_a_gumloop_mcp_tool: {
      required: {
        calls: [
          {
            server_id: ids.mcpServerId,
            tool_name: ids.mcpToolName,
            arguments: { channel: "#general", text: "hi" },
          },
        ],
      },
      all: {
        calls: [
          {
            server_id: ids.mcpServerId,
            tool_name: ids.mcpToolName,
            arguments: { channel: "#general", text: "hi" },
          },
          {
            server_id: ids.mcpServerId,
            tool_name: ids.mcpToolName,
            arguments: { channel: "#random", text: "yo" },
          },
        ],
      },
      method: "POST",
      path: "/mcp/tools/call",
      body: ["calls"],
    },
    list_all_gumloop_mcp_servers: { required: {}, all: {}, method: "GET", path: "/mcp/servers" },
    get_single_gumloop_mcp_server_by_id: {
      required: { id: ids.mcpServerId },
      all: { id: ids.mcpServerId },
      method: "GET",
      path: `/mcp/servers/${ids.mcpServerId}`,
    },
    list_all_gumloop_mcp_server_tools: {
      required: { server_id: ids.mcpServerId },
      all: { server_id: ids.mcpServerId },
      method: "GET",
      path: `/mcp/servers/${ids.mcpServerId}/tools`,
    },
    list_all_gumloop_models: { required: {}, all: {}, method: "GET", path: "/models" },
    delete_a_gumloop_session_by_id: {
      required: { id: sessionId },
      all: { id: sessionId },
      method: "POST",
      path: `/sessions/${sessionId}/cancel`,
    },
    create_a_gumloop_session: {
      required: { agent_id: SEED_AGENTS.assistant },
      all: {
        agent_id: SEED_AGENTS.assistant,
        input: "hello",
        session_id: "lc_case_session_1",
        metadata: { source: "tests" },
        name: "Case session",
      },
      method: "POST",
      path: `/agents/${SEED_AGENTS.assistant}/sessions`,
      body: ["input", "session_id", "metadata", "name"],
      // Without input Gumloop makes an idle stub (201); with input it enqueues the run (202).
      status: { required: 201, all: 202 },
    },
    get_single_gumloop_session_by_id: {
      required: { id: sessionId },
      all: { id: sessionId },
      method: "GET",
      path: `/sessions/${sessionId}`,
    },
    create_a_gumloop_skill: {
      required: { file: { name: "SKILL.md", content: SKILL_MD } },
      all: {
        file: { name: "lead.md", content: SKILL_MD.replace("Lead enrichment", "Lead enrichment 2") },
      },
      method: "POST",
      path: "/skills",
      status: 201,
    },
    delete_a_gumloop_skill_by_id: {
      required: { id: ids.skillId },
      all: { id: ids.skillId },
      method: "DELETE",
      path: `/skills/${ids.skillId}`,
    },
    get_single_gumloop_skill_by_id: {
      required: { id: ids.skillId },
      all: { id: ids.skillId, include_content: true },
      method: "GET",
      path: `/skills/${ids.skillId}/download`,
    },
    list_all_gumloop_skills: {
      required: {},
      all: {
        search_query: "lead",
        sort_order: "newest",
        agent_id: agentId,
        creator_user_id: "user_case0001",
        related_server_id: ids.mcpServerId,
        unused: true,
        page_size: 5,
      },
      method: "GET",
      path: "/skills",
      query: [
        "search_query",
        "sort_order",
        "agent_id",
        "creator_user_id",
        "related_server_id",
        "unused",
        "page_size",
      ],
    },
    update_a_gumloop_skill_by_id: {
      required: { id: ids.skillId, file: { name: "SKILL.md", content: SKILL_MD } },
      all: {
        id: ids.skillId,
        file: { name: "SKILL.md", content_base64: b64(SKILL_MD) },
      },
      method: "PATCH",
      path: `/skills/${ids.skillId}`,
    },
    list_all_gumloop_teams: { required: {}, all: {}, method: "GET", path: "/teams" },
    create_a_gumloop_session_message: {
      required: { session_id: sessionId, input: "and now?" },
      all: { session_id: sessionId, input: "and now?" },
      method: "POST",
      path: `/sessions/${sessionId}/messages`,
      body: ["input"],
      status: 202,
    },
  } satisfies Partial<Record<ToolName, ToolCase>>;
}
