/**
 * One call per tool with only its required fields and one with all of them, plus where each field must end up
 * on the wire. The table-driven emulator test and the property tests share it.
 */
import { SEED_AGENTS, SEED_FLOWS, SEED_RUNS, SEED_SESSIONS, SEED_UPLOAD } from "../../src/emulator/index.js";
import type { ToolName } from "../../src/tools/index.js";

export interface ToolCase {
  /** Only the required fields. */
  readonly required: Record<string, unknown>;
  /** Every field. */
  readonly all: Record<string, unknown>;
  /** Expected request: method and path (after expansion). */
  readonly method: string;
  readonly path: string;
  /** Fields expected in the query string and in the body (for the `all` call). */
  readonly query?: readonly string[];
  readonly body?: readonly string[];
  /** Status Gumloop documents for success (per variant when they differ). */
  readonly status?: number | { readonly required: number; readonly all: number };
}

const SKILL_MD =
  "---\nname: Lead enrichment\ndescription: Enrich a lead from its email\n---\n# Steps\n1. Look it up";
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const RANGE = { start_date: "2026-01-01T00:00:00Z", end_date: "2026-06-01T00:00:00Z" };

/** Filled per test run with ids the emulator creates (a skill, an export, a run). */
export interface DynamicIds {
  skillId: string;
  exportId: string;
  runId: string;
  organizationId: string;
  workspaceId: string;
  groupId: string;
  memberEmail: string;
  mcpServerId: string;
  mcpToolName: string;
  /** A second team of the default user (the target of a team transfer). */
  secondTeamId: string;
  /** A member of the seeded organization, by user id. */
  memberUserId: string;
}

/** Fields the `all` call leaves out, and why (everything else a schema has must be in it). */
export const NOT_IN_ALL: Readonly<Record<string, string>> = {
  cursor: "needs the next_cursor of an earlier page (the pagination tests cover it)",
  version_id: "needs a version id from an earlier call (the emulator tests cover it)",
};

export function toolCases(ids: DynamicIds): Record<ToolName, ToolCase> {
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
      required: { agent_id: agentId },
      all: { agent_id: agentId },
      method: "GET",
      path: `/agents/${agentId}`,
    },
    update_a_gumloop_agent_by_id: {
      required: { agent_id: SEED_AGENTS.assistant },
      all: {
        agent_id: SEED_AGENTS.assistant,
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
      required: { artifact_id: "ARTIFACT" },
      all: { artifact_id: "ARTIFACT" },
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
    get_single_gumloop_file_by_id: {
      required: {
        file_name: "solar-energy-storage-report.md",
        run_id: SEED_RUNS.report,
        saved_item_id: SEED_FLOWS.report,
      },
      all: {
        file_name: "solar-energy-storage-report.md",
        run_id: SEED_RUNS.report,
        saved_item_id: SEED_FLOWS.report,
      },
      method: "POST",
      path: "/download_file",
      body: ["file_name", "run_id", "saved_item_id", "user_id"],
    },
    list_all_gumloop_files: {
      required: { file_names: ["solar-energy-storage-report.md"], run_id: SEED_RUNS.report },
      all: {
        file_names: ["solar-energy-storage-report.md", "solar-energy-storage-data.csv"],
        run_id: SEED_RUNS.report,
        saved_item_id: SEED_FLOWS.report,
      },
      method: "POST",
      path: "/download_files",
      body: ["file_names", "run_id", "saved_item_id", "user_id"],
    },
    create_a_gumloop_file: {
      required: { file_name: "notes.txt", file_content: b64("hello") },
      all: { file_name: "notes2.txt", file_content: b64("hello again") },
      method: "POST",
      path: "/upload_file",
      body: ["file_name", "file_content", "user_id"],
    },
    gumloop_files_bulk_create: {
      required: { files: [{ file_name: "a.txt", file_content: b64("a") }] },
      all: {
        files: [
          { file_name: "b.txt", file_content: b64("b") },
          { file_name: "c.csv", file_content: b64("x,y\n1,2\n") },
        ],
      },
      method: "POST",
      path: "/upload_files",
      body: ["files", "user_id"],
    },
    list_all_gumloop_flows: {
      required: {},
      all: {},
      method: "GET",
      path: "/list_saved_items",
      query: ["user_id"],
    },
    list_all_gumloop_workbooks: {
      required: {},
      all: {},
      method: "GET",
      path: "/list_workbooks",
      query: ["user_id"],
    },
    get_single_gumloop_automation_by_id: {
      required: { saved_item_id: SEED_FLOWS.summarize },
      all: { saved_item_id: SEED_FLOWS.summarize },
      method: "GET",
      path: "/get_inputs",
      query: ["saved_item_id", "user_id"],
    },
    list_all_gumloop_automation_runs: {
      required: { saved_item_id: SEED_FLOWS.summarize },
      all: { saved_item_id: SEED_FLOWS.summarize, workbook_id: "wb_research0001" },
      method: "GET",
      path: "/get_plrun_saved_item_map",
      query: ["saved_item_id", "workbook_id", "user_id"],
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
            ref: "first",
          },
          {
            server_id: ids.mcpServerId,
            tool_name: ids.mcpToolName,
            arguments: { channel: "#random", text: "yo" },
            ref: "second",
          },
        ],
      },
      method: "POST",
      path: "/mcp/tools/call",
      body: ["calls"],
    },
    list_all_gumloop_mcp_servers: { required: {}, all: {}, method: "GET", path: "/mcp/servers" },
    get_single_gumloop_mcp_server_by_id: {
      required: { server_id: ids.mcpServerId },
      all: { server_id: ids.mcpServerId },
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
    create_a_gumloop_export_datum: {
      required: {
        export_fields: ["agent_id", "agent_name"],
        data_type: "agents",
        include_all_workspaces: true,
        ...RANGE,
      },
      all: {
        data_type: "agents",
        export_fields: ["agent_id", "agent_name", "agent_model"],
        export_level: "workspace",
        workspace_ids: [ids.workspaceId],
        entity_ids: [agentId],
        include_all_workspaces: false,
        include_personal_workspaces: true,
        category_filter: "AGENT_RUN",
        ...RANGE,
      },
      method: "POST",
      path: "/export_data",
      body: [
        "data_type",
        "export_fields",
        "start_date",
        "end_date",
        "export_level",
        "workspace_ids",
        "entity_ids",
        "include_all_workspaces",
        "include_personal_workspaces",
        "category_filter",
        "user_id",
      ],
    },
    get_single_gumloop_data_export_by_id: {
      required: { data_export_id: ids.exportId },
      all: { data_export_id: ids.exportId, download: false },
      method: "GET",
      path: "/export_status",
      query: ["data_export_id", "download", "user_id"],
    },
    list_all_gumloop_audit_logs: {
      required: {
        organization_id: ids.organizationId,
        start_time: "2026-01-01T00:00:00Z",
        end_time: "2026-12-31T00:00:00Z",
      },
      all: {
        organization_id: ids.organizationId,
        start_time: "2026-01-01T00:00:00Z",
        end_time: "2026-12-31T00:00:00Z",
        event_types: ["user_sign_in"],
        user_ids: [ids.memberUserId],
        ip_addresses: ["203.0.113.7"],
        workspace_ids: [ids.workspaceId],
        entity_ids: [agentId],
        page: 1,
        page_size: 10,
      },
      method: "GET",
      path: "/get_audit_logs",
      query: [
        "organization_id",
        "start_time",
        "end_time",
        "event_types",
        "user_ids",
        "ip_addresses",
        "workspace_ids",
        "entity_ids",
        "page",
        "page_size",
        "user_id",
      ],
    },
    update_a_gumloop_permission_group_user_by_id: {
      required: {
        organization_id: ids.organizationId,
        group_id: ids.groupId,
        action: "add",
        user_email: ids.memberEmail,
      },
      all: {
        organization_id: ids.organizationId,
        group_id: ids.groupId,
        action: "remove",
        user_email: ids.memberEmail,
      },
      method: "POST",
      path: "/manage_permission_group_users",
      body: ["organization_id", "group_id", "action", "user_email", "user_id"],
    },
    gumloop_workspace_users_bulk_update: {
      required: {
        organization_id: ids.organizationId,
        workspace_id: ids.workspaceId,
        action: "add",
        user_email: ids.memberEmail,
      },
      all: {
        organization_id: ids.organizationId,
        workspace_id: ids.workspaceId,
        action: "add",
        user_email: ids.memberEmail,
        is_admin: true,
      },
      method: "POST",
      path: "/manage_workspace_users",
      body: ["organization_id", "workspace_id", "action", "user_email", "is_admin", "user_id"],
    },
    delete_a_gumloop_flow_run_by_id: {
      required: { run_id: ids.runId },
      all: { run_id: ids.runId },
      method: "POST",
      path: "/kill_pipeline",
      body: ["run_id", "user_id"],
    },
    create_a_gumloop_flow_run: {
      required: { saved_item_id: SEED_FLOWS.summarize },
      all: {
        saved_item_id: SEED_FLOWS.summarize,
        inputs: { url: "https://example.com/article", focus: "costs" },
      },
      method: "POST",
      path: "/start_pipeline",
      body: ["saved_item_id", "url", "focus", "user_id"],
    },
    get_single_gumloop_run_by_id: {
      required: { run_id: SEED_RUNS.report },
      all: { run_id: SEED_RUNS.report },
      method: "GET",
      path: "/get_pl_run",
      query: ["run_id", "user_id"],
    },
    delete_a_gumloop_session_by_id: {
      required: { session_id: sessionId },
      all: { session_id: sessionId },
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
      required: { session_id: sessionId },
      all: { session_id: sessionId },
      method: "GET",
      path: `/sessions/${sessionId}`,
    },
    create_a_gumloop_skill: {
      required: { files: [{ file_name: "SKILL.md", content: SKILL_MD }] },
      all: {
        files: [
          { file_name: "SKILL.md", content: SKILL_MD.replace("Lead enrichment", "Lead enrichment 2") },
          { file_name: "notes.txt", content: "extra" },
        ],
      },
      method: "POST",
      path: "/skills",
      status: 201,
    },
    delete_a_gumloop_skill_by_id: {
      required: { skill_id: ids.skillId },
      all: { skill_id: ids.skillId },
      method: "DELETE",
      path: `/skills/${ids.skillId}`,
    },
    get_single_gumloop_skill_by_id: {
      required: { skill_id: ids.skillId },
      all: { skill_id: ids.skillId },
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
      required: { skill_id: ids.skillId, files: [{ file_name: "SKILL.md", content: SKILL_MD }] },
      all: {
        skill_id: ids.skillId,
        files: [
          { file_name: "SKILL.md", content: SKILL_MD },
          { file_name: "extra.txt", content_base64: b64("x") },
        ],
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
  };
}

export { SEED_UPLOAD };
