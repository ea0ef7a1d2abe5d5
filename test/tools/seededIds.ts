/**
 * Ids a tool test needs beside the emulator's seeds: an export, a flow run and an artifact it creates or finds
 * through the client, and the seeded skill, organization and MCP server. Shared by the table-driven tests.
 */
import {
  SEED_AGENTS,
  SEED_FLOWS,
  SEED_MCP_SERVERS,
  SEED_ORG,
  SEED_SESSIONS,
  SEED_SKILLS,
  type Emulator,
} from "gumloop-emulator";
import type { GumloopClient } from "../../src/client/client.js";
import { ENDPOINTS } from "../../src/tools/index.js";
import type { DynamicIds } from "./caseTypes.js";

/** The ids of one emulator run, for the cases (and the id of one of its artifacts). */
export async function seededIds(
  emulator: Emulator,
  client: GumloopClient,
): Promise<DynamicIds & { artifactId: string }> {
  const exported = await client.call<{ data_export_id: string }>(ENDPOINTS.create_a_gumloop_export_datum, {
    data_type: "agents",
    export_fields: ["agent_id"],
    start_date: "2026-01-01T00:00:00Z",
    end_date: "2026-06-01T00:00:00Z",
    include_all_workspaces: true,
  });
  const run = await client.call<{ run_id: string }>(ENDPOINTS.create_a_gumloop_flow_run, {
    saved_item_id: SEED_FLOWS.summarize,
    inputs: { url: "https://example.com/x" },
  });
  const artifacts = await client.call<{ artifacts: { id: string }[] }>(ENDPOINTS.list_all_gumloop_artifacts, {
    agent_id: SEED_AGENTS.research,
    session_id: Object.values(SEED_SESSIONS)[0],
  });
  return {
    skillId: SEED_SKILLS.leadEnrichment ?? Object.values(SEED_SKILLS)[0]!,
    exportId: exported.data.data_export_id,
    runId: run.data.run_id,
    organizationId: SEED_ORG.organizationId,
    workspaceId: SEED_ORG.workspaces.operations,
    groupId: SEED_ORG.roles.analysts,
    memberEmail: SEED_ORG.emails.charles,
    mcpServerId: SEED_MCP_SERVERS.slack ?? "gumloop_slack",
    mcpToolName: "slack_send_message",
    secondTeamId: emulator.secondTeamId,
    memberUserId: SEED_ORG.userIds.charles,
    artifactId: artifacts.data.artifacts[0]!.id,
  };
}
