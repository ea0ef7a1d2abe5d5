/**
 * The catalogue: all 38 Gumloop operations under the tool names Truto publishes, in Truto's order.
 * Data only; GumloopToolManager turns these into LangChain tools and GumloopClient executes them.
 */
import * as agents from "./agents.js";
import * as artifacts from "./artifacts.js";
import * as audit from "./audit.js";
import * as chat from "./chat.js";
import * as exportsArea from "./exports.js";
import * as files from "./files.js";
import * as flows from "./flows.js";
import * as mcp from "./mcp.js";
import * as models from "./models.js";
import * as organization from "./organization.js";
import * as sessions from "./sessions.js";
import * as skills from "./skills.js";
import * as teams from "./teams.js";
import type { EndpointDefinition } from "./types.js";

/** The 38 operations by Truto's tool name, e.g. `ENDPOINTS.create_a_gumloop_session`, for `client.call()`. */
export const ENDPOINTS = {
  create_a_gumloop_agent: agents.create_a_gumloop_agent,
  list_all_gumloop_agents: agents.list_all_gumloop_agents,
  get_single_gumloop_agent_by_id: agents.get_single_gumloop_agent_by_id,
  update_a_gumloop_agent_by_id: agents.update_a_gumloop_agent_by_id,
  get_single_gumloop_artifact_by_id: artifacts.get_single_gumloop_artifact_by_id,
  list_all_gumloop_artifacts: artifacts.list_all_gumloop_artifacts,
  create_a_gumloop_chat_completion: chat.create_a_gumloop_chat_completion,
  get_single_gumloop_file_by_id: files.get_single_gumloop_file_by_id,
  list_all_gumloop_files: files.list_all_gumloop_files,
  create_a_gumloop_file: files.create_a_gumloop_file,
  gumloop_files_bulk_create: files.gumloop_files_bulk_create,
  list_all_gumloop_flows: flows.list_all_gumloop_flows,
  list_all_gumloop_workbooks: flows.list_all_gumloop_workbooks,
  get_single_gumloop_automation_by_id: flows.get_single_gumloop_automation_by_id,
  list_all_gumloop_automation_runs: flows.list_all_gumloop_automation_runs,
  create_a_gumloop_mcp_tool: mcp.create_a_gumloop_mcp_tool,
  list_all_gumloop_mcp_servers: mcp.list_all_gumloop_mcp_servers,
  get_single_gumloop_mcp_server_by_id: mcp.get_single_gumloop_mcp_server_by_id,
  list_all_gumloop_mcp_server_tools: mcp.list_all_gumloop_mcp_server_tools,
  list_all_gumloop_models: models.list_all_gumloop_models,
  create_a_gumloop_export_datum: exportsArea.create_a_gumloop_export_datum,
  get_single_gumloop_data_export_by_id: exportsArea.get_single_gumloop_data_export_by_id,
  list_all_gumloop_audit_logs: audit.list_all_gumloop_audit_logs,
  update_a_gumloop_permission_group_user_by_id: organization.update_a_gumloop_permission_group_user_by_id,
  gumloop_workspace_users_bulk_update: organization.gumloop_workspace_users_bulk_update,
  delete_a_gumloop_flow_run_by_id: flows.delete_a_gumloop_flow_run_by_id,
  create_a_gumloop_flow_run: flows.create_a_gumloop_flow_run,
  get_single_gumloop_run_by_id: flows.get_single_gumloop_run_by_id,
  delete_a_gumloop_session_by_id: sessions.delete_a_gumloop_session_by_id,
  create_a_gumloop_session: sessions.create_a_gumloop_session,
  get_single_gumloop_session_by_id: sessions.get_single_gumloop_session_by_id,
  create_a_gumloop_skill: skills.create_a_gumloop_skill,
  delete_a_gumloop_skill_by_id: skills.delete_a_gumloop_skill_by_id,
  get_single_gumloop_skill_by_id: skills.get_single_gumloop_skill_by_id,
  list_all_gumloop_skills: skills.list_all_gumloop_skills,
  update_a_gumloop_skill_by_id: skills.update_a_gumloop_skill_by_id,
  list_all_gumloop_teams: teams.list_all_gumloop_teams,
  create_a_gumloop_session_message: sessions.create_a_gumloop_session_message,
} as const satisfies Record<string, EndpointDefinition>;

/** One of the 38 tool names Truto publishes, e.g. `"list_all_gumloop_agents"`. */
export type ToolName = keyof typeof ENDPOINTS;

/** Every definition, in catalogue order. */
export const ALL_ENDPOINTS: readonly EndpointDefinition[] = Object.values(ENDPOINTS);

export { defineEndpoint, TOOL_TAGS } from "./types.js";
export type {
  EndpointDefinition,
  EndpointSpec,
  IdentityField,
  MethodClass,
  ReadableContent,
  SpecInput,
  ToolAnnotations,
  ToolTag,
} from "./types.js";
