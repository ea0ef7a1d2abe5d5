/**
 * Calls written for Truto's tools, unchanged: one row per tool, built from exactly the parameters Truto publishes as
 * required (truto-tools.md), plus what Gumloop itself requires. Each row runs against the emulator and succeeds;
 * where Gumloop requires more than Truto lists, the Truto-only call fails with Gumloop's rule and a message that
 * names the fix, before anything is sent.
 */
import type { ToolMessage } from "@langchain/core/messages";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_FLOWS, SEED_RUNS, SEED_SESSIONS, type Emulator } from "gumloop-emulator";
import { GumloopClient } from "../../src/client/client.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { ALL_ENDPOINTS, type ToolName } from "../../src/tools/index.js";
import { startTestEmulator } from "../helpers/emulator.js";
import type { DynamicIds } from "./caseTypes.js";
import { seededIds } from "./seededIds.js";

const SKILL_MD = "---\nname: PDF parsing\ndescription: Pull tables out of PDFs\n---\n# Steps\n1. Parse";
const RANGE = { start_date: "2026-01-01T00:00:00Z", end_date: "2026-06-01T00:00:00Z" };

interface Row {
  /** Exactly Truto's required parameters. */
  readonly truto: Record<string, unknown>;
  /** What Gumloop requires beyond them (its own documented rule). */
  readonly gumloop?: Record<string, unknown>;
  /** How the Truto-only call is refused when Gumloop needs more: the message names the fix. */
  readonly refusal?: RegExp;
}

type Ids = DynamicIds & { artifactId: string; userId: string };

/** The 38 rows. Truto's required parameters first; Gumloop's additions second. */
function rows(ids: Ids): Record<ToolName, Row> {
  const session = SEED_SESSIONS.quantum;
  return {
    create_a_gumloop_agent: {
      truto: {},
      gumloop: { name: "Market Research", model_name: "anthropic/claude-sonnet-4" },
      refusal: /name: .*; model_name: /,
    },
    list_all_gumloop_agents: { truto: {} },
    get_single_gumloop_agent_by_id: { truto: { id: SEED_AGENTS.research } },
    update_a_gumloop_agent_by_id: { truto: { id: SEED_AGENTS.assistant } },
    get_single_gumloop_artifact_by_id: { truto: { id: ids.artifactId } },
    list_all_gumloop_artifacts: { truto: { agent_id: SEED_AGENTS.research } },
    create_a_gumloop_chat_completion: {
      truto: { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Capital of Canada?" }] },
    },
    // Gumloop's spec marks no field required; its 400 says "missing file_name or other required data".
    get_single_gumloop_file_by_id: {
      truto: {},
      gumloop: {
        file_name: "solar-energy-storage-report.md",
        run_id: SEED_RUNS.report,
        saved_item_id: SEED_FLOWS.report,
      },
      refusal: /400 .*file_name/,
    },
    list_all_gumloop_files: {
      truto: {},
      gumloop: { file_names: ["solar-energy-storage-report.md"], run_id: SEED_RUNS.report },
      refusal: /file_names: .*; run_id: /,
    },
    create_a_gumloop_file: { truto: { file: { name: "prices.csv", content: "sku,price\na,1\n" } } },
    gumloop_files_bulk_create: {
      truto: {
        file: [
          { name: "a.txt", content: "a" },
          { name: "b.txt", content_base64: "Yg==" },
        ],
      },
    },
    list_all_gumloop_flows: { truto: { user_id: ids.userId } },
    list_all_gumloop_workbooks: { truto: { user_id: ids.userId } },
    get_single_gumloop_automation_by_id: { truto: { saved_item_id: SEED_FLOWS.summarize } },
    list_all_gumloop_automation_runs: {
      truto: { user_id: ids.userId },
      gumloop: { saved_item_id: SEED_FLOWS.summarize },
      refusal: /saved_item_id: Gumloop needs saved_item_id or workbook_id/,
    },
    create_a_gumloop_mcp_tool: {
      truto: {},
      gumloop: {
        calls: [{ server_id: ids.mcpServerId, tool_name: ids.mcpToolName, arguments: { text: "hi" } }],
      },
      refusal: /calls: /,
    },
    list_all_gumloop_mcp_servers: { truto: {} },
    get_single_gumloop_mcp_server_by_id: { truto: { id: ids.mcpServerId } },
    list_all_gumloop_mcp_server_tools: { truto: { server_id: ids.mcpServerId } },
    list_all_gumloop_models: { truto: {} },
    create_a_gumloop_export_datum: {
      truto: { data_type: "credit_logs" },
      gumloop: RANGE,
      refusal: /start_date: Gumloop requires it: an ISO 8601 date-time such as 2026-01-01T00:00:00Z/,
    },
    get_single_gumloop_data_export_by_id: { truto: { data_export_id: ids.exportId } },
    list_all_gumloop_audit_logs: {
      truto: {},
      gumloop: {
        organization_id: ids.organizationId,
        start_time: "2026-01-01T00:00:00Z",
        end_time: "2026-12-31T00:00:00Z",
      },
      refusal: /organization_id: .*start_time: Gumloop requires it: an ISO 8601 date-time/,
    },
    update_a_gumloop_permission_group_user_by_id: {
      truto: {},
      gumloop: {
        organization_id: ids.organizationId,
        group_id: ids.groupId,
        action: "add",
        user_email: ids.memberEmail,
      },
      refusal: /organization_id: .*group_id: /,
    },
    gumloop_workspace_users_bulk_update: {
      truto: {},
      gumloop: {
        organization_id: ids.organizationId,
        workspace_id: ids.workspaceId,
        action: "add",
        user_email: ids.memberEmail,
      },
      refusal: /organization_id: .*workspace_id: /,
    },
    delete_a_gumloop_flow_run_by_id: { truto: {}, gumloop: { run_id: ids.runId }, refusal: /run_id: / },
    create_a_gumloop_flow_run: {
      truto: {},
      gumloop: {
        saved_item_id: SEED_FLOWS.summarize,
        pipeline_inputs: [{ input_name: "url", value: "https://x.io" }],
      },
      refusal: /saved_item_id: /,
    },
    get_single_gumloop_run_by_id: { truto: { run_id: SEED_RUNS.report } },
    delete_a_gumloop_session_by_id: { truto: { id: session } },
    create_a_gumloop_session: { truto: { agent_id: SEED_AGENTS.research } },
    get_single_gumloop_session_by_id: { truto: { id: session } },
    create_a_gumloop_skill: { truto: { file: { name: "SKILL.md", content: SKILL_MD } } },
    delete_a_gumloop_skill_by_id: { truto: { id: ids.skillId } },
    get_single_gumloop_skill_by_id: { truto: { id: ids.skillId } },
    list_all_gumloop_skills: { truto: {} },
    update_a_gumloop_skill_by_id: {
      truto: { id: ids.skillId, file: { name: "SKILL.md", content: SKILL_MD } },
    },
    list_all_gumloop_teams: { truto: {} },
    create_a_gumloop_session_message: {
      truto: { session_id: session },
      gumloop: { input: "And the risks?" },
      refusal: /input: /,
    },
  };
}

let emulator: Emulator;
let manager: GumloopToolManager;
let ids: Ids;

beforeEach(async () => {
  emulator = await startTestEmulator({ plan: "enterprise" });
  const client = new GumloopClient(emulator.clientOptions());
  manager = new GumloopToolManager({ client });
  ids = { ...(await seededIds(emulator, client)), userId: emulator.userId };
  emulator.clearRequests();
});
afterEach(() => emulator.close());

async function call(name: ToolName, args: Record<string, unknown>): Promise<ToolMessage> {
  const tool = manager.getTool(name);
  return (await tool
    .invoke({ id: "call_truto", name, args, type: "tool_call" })
    .catch((error: Error) => ({ status: "error", content: error.message }) as ToolMessage)) as ToolMessage;
}

it("has a row for each of the 38 tools", () => {
  expect(Object.keys(rows({} as Ids)).sort()).toEqual(
    ALL_ENDPOINTS.map((definition) => definition.name).sort(),
  );
});

describe.each(ALL_ENDPOINTS.map((definition) => [definition.name as ToolName]))(
  "%s the Truto way",
  (name) => {
    it("succeeds with Truto's required parameters (and Gumloop's own)", async () => {
      const row = rows(ids)[name];
      const message = await call(name, { ...row.truto, ...row.gumloop });
      expect(message.status, String(message.content)).toBe("success");
      expect(JSON.parse(String(message.content))).toHaveProperty("result");
    });

    it("without Gumloop's additions, fails only by Gumloop's rule, naming the fix", async () => {
      const row = rows(ids)[name];
      if (!row.gumloop) return;
      const message = await call(name, row.truto);
      expect(message.status).toBe("error");
      expect(String(message.content)).toMatch(row.refusal!);
    });
  },
);
