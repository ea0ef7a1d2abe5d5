/**
 * The rows behind an export, per data type, all deterministic:
 * - `agents`, `agent_interactions`, `interaction_evaluations` come from the store (seeded and API-created agents
 *   and sessions of the organization's workspaces), so an export reflects what the emulator holds;
 * - `workflows` = the flow runs of the flows area (seeded and API-started, by the organization's members or in its
 *   workspaces) plus the fixed table of `tables.ts` (four workbooks with four runs each in May 2026, one per
 *   workspace and one personal). The fixed names include a comma (`Lead enrichment, weekly`) and quotes
 *   (`Summarise "urgent" tickets`), and `pipeline` is JSON, so a client needs a real CSV parser. A flow run's
 *   `credit_cost` is inference (1 credit + 0.1 per second of run time; 0 until it finishes);
 * - `credit_logs` and `gumstack` come from the fixed tables of `tables.ts`.
 *
 * Filtering (inference where the docs are silent): each row has a timestamp (run start, agent or interaction
 * creation, log time...) that must fall within `start_date`..`end_date` inclusive; workspace scoping and
 * `entity_ids` (workbook ids for workflows, agent ids for agents / interactions / evaluations, MCP server names for
 * gumstack) narrow the rows; credit logs are organization-wide and only `category_filter` narrows them.
 */
import type { AreaEnv } from "../../area.js";
import { iso } from "../../world/time.js";
import { publicTools } from "../agents/records.js";
import type { CsvValue, ExportDataType } from "./fields.js";
import {
  creditLogRows,
  emailOf,
  fixedWorkflowRows,
  gumstackRows,
  round2,
  workspaceName,
  type SourceRow,
} from "./tables.js";
import { flowsState } from "../flows/store.js";

/** Which rows an export covers. */
export interface ExportScope {
  orgId: string;
  start: number;
  end: number;
  /** `include_all_workspaces`: every workspace, personal ones included. */
  allWorkspaces: boolean;
  /** Named workspaces; null = not restricted by id. */
  workspaceIds: ReadonlySet<string> | null;
  includePersonal: boolean;
  /** Named entities; null = not restricted. */
  entityIds: ReadonlySet<string> | null;
  /** credit_logs only. */
  categoryFilter: string | null;
}

/** Runs of the flows area that belong to the organization (its members' personal runs, its workspaces' runs). */
function flowRunRows(env: AreaEnv, orgId: string): SourceRow[] {
  const flows = flowsState(env);
  const inOrg = (teamId: string | null, userId: string) =>
    teamId !== null
      ? env.store.teams.get(teamId)?.orgId === orgId
      : env.store.users.get(userId)?.orgId === orgId;
  return [...flows.runs.values()]
    .filter((run) => inOrg(run.teamId, run.userId))
    .map((run) => {
      const workbook = flows.workbooks.get(run.workbookId);
      const flow = flows.flows.get(run.savedItemId);
      const seconds =
        run.finishedAt !== null && run.startedAt !== null ? (run.finishedAt - run.startedAt) / 1000 : 0;
      return {
        time: run.createdAt,
        workspaceId: run.teamId,
        entityId: run.workbookId,
        values: {
          workbook_id: run.workbookId,
          workbook_name: workbook?.name ?? "",
          workbook_created_ts: workbook ? iso(workbook.createdAt) : "",
          user_id: run.userId,
          user_email: emailOf(env, run.userId),
          workspace_id: run.teamId,
          workspace_name: workspaceName(env, run.teamId),
          run_id: run.id,
          credit_cost: run.finishedAt !== null ? round2(1 + seconds * 0.1) : 0,
          pl_run_created_ts: iso(run.createdAt),
          pl_run_finished_ts: run.finishedAt !== null ? iso(run.finishedAt) : null,
          pipeline: {
            saved_item_id: run.savedItemId,
            name: flow?.name ?? "",
            inputs: (flow?.inputs ?? []).map((input) => ({ name: input.name, data_type: input.dataType })),
          },
        },
      };
    });
}

function workflowRows(env: AreaEnv, orgId: string): SourceRow[] {
  const rows: SourceRow[] = orgId === env.identity.orgId ? fixedWorkflowRows(env) : [];
  return [...rows, ...flowRunRows(env, orgId)];
}

/** Agents whose team is a workspace of `orgId`. */
function orgAgents(env: AreaEnv, orgId: string) {
  return [...env.store.agents.values()].filter(
    (agent) => agent.isActive && env.store.teams.get(agent.teamId)?.orgId === orgId,
  );
}

function agentRows(env: AreaEnv, orgId: string): SourceRow[] {
  return orgAgents(env, orgId).map((agent) => ({
    time: agent.createdAt,
    workspaceId: agent.teamId,
    entityId: agent.id,
    values: {
      agent_id: agent.id,
      agent_name: agent.name,
      agent_description: agent.description,
      agent_model: agent.modelName,
      agent_system_prompt: agent.systemPrompt,
      agent_created_ts: iso(agent.createdAt),
      agent_tools: publicTools(agent.tools),
      agent_metadata: agent.metadata,
      agent_evaluations_enabled: false,
      creator_email: emailOf(env, agent.creatorId),
      workspace_id: agent.teamId,
      workspace_name: workspaceName(env, agent.teamId),
      folder_id: agent.folderId,
      folder_name: agent.folderId ? `Folder ${agent.folderId}` : "",
    },
  }));
}

function orgSessions(env: AreaEnv, orgId: string) {
  const agents = new Map(orgAgents(env, orgId).map((a) => [a.id, a]));
  return [...env.store.sessions.values()]
    .filter((s) => agents.has(s.agentId))
    .map((session) => ({ session, agent: agents.get(session.agentId)! }))
    .sort((a, b) => a.session.createdAt - b.session.createdAt);
}

function interactionRows(env: AreaEnv, orgId: string): SourceRow[] {
  return orgSessions(env, orgId).map(({ session, agent }) => {
    const u = session.usage;
    const total = u.creditCost ?? 0;
    const tool = u.toolCreditCost ?? 0;
    const flow = u.flowCreditCost ?? 0;
    return {
      time: session.createdAt,
      workspaceId: agent.teamId,
      entityId: agent.id,
      values: {
        interaction_id: session.id,
        agent_id: agent.id,
        agent_name: agent.name,
        interaction_type: session.type,
        interaction_name: session.name ?? "",
        trigger_type: null,
        interaction_created_ts: iso(session.createdAt),
        user_email: emailOf(env, session.creatorId),
        credit_cost: total,
        llm_credit_cost: round2(Math.max(0, total - tool - flow)),
        tool_credit_cost: tool,
        flow_credit_cost: flow,
        message_count: session.messages.length,
        workspace_id: agent.teamId,
        workspace_name: workspaceName(env, agent.teamId),
      },
    };
  });
}

function evaluationRows(env: AreaEnv, orgId: string): SourceRow[] {
  return orgSessions(env, orgId)
    .filter(({ session }) => session.state === "completed")
    .map(({ session, agent }, i) => ({
      time: session.createdAt + 60_000,
      workspaceId: agent.teamId,
      entityId: agent.id,
      values: {
        evaluation_id: `eval_${session.id.replace(/^sess_/, "")}`,
        interaction_id: session.id,
        agent_id: agent.id,
        organization_evaluation_id: "",
        evaluation_created_ts: iso(session.createdAt + 60_000),
        status: "completed",
        grade: i % 3 === 2 ? "B" : "A",
        call_outcome: "resolved",
        sentiment: i % 2 === 0 ? "positive" : "neutral",
        error_code: "",
        summary: `The agent answered "${session.name ?? session.id}", citing sources`,
        evaluation_model: "claude-sonnet-4-5",
        credit_cost: 0.5,
        user_email: emailOf(env, session.creatorId),
      },
    }));
}

function sourceRows(env: AreaEnv, dataType: ExportDataType, orgId: string): SourceRow[] {
  switch (dataType) {
    case "workflows":
      return workflowRows(env, orgId);
    case "agents":
      return agentRows(env, orgId);
    case "agent_interactions":
      return interactionRows(env, orgId);
    case "credit_logs":
      return creditLogRows(env, orgId);
    case "interaction_evaluations":
      return evaluationRows(env, orgId);
    case "gumstack":
      return gumstackRows(env);
  }
}

/** The rows of an export, filtered by its scope and dates, oldest first. */
export function exportRows(
  env: AreaEnv,
  dataType: ExportDataType,
  scope: ExportScope,
): Record<string, CsvValue>[] {
  // The fixed tables belong to the seeded organization; any other organization exports none of them.
  const fixed = dataType === "credit_logs" || dataType === "gumstack";
  if (fixed && scope.orgId !== env.identity.orgId) return [];
  const restrictByWorkspace = !scope.allWorkspaces && (scope.workspaceIds !== null || scope.includePersonal);
  return sourceRows(env, dataType, scope.orgId)
    .filter((row) => row.time >= scope.start && row.time <= scope.end)
    .filter((row) => {
      if (dataType === "credit_logs") {
        return !scope.categoryFilter || row.category === scope.categoryFilter.toUpperCase();
      }
      if (restrictByWorkspace) {
        const inScope =
          row.workspaceId === null
            ? scope.includePersonal
            : (scope.workspaceIds?.has(row.workspaceId) ?? false);
        if (!inScope) return false;
      }
      return !scope.entityIds || (row.entityId !== null && scope.entityIds.has(row.entityId));
    })
    .sort((a, b) => a.time - b.time || (a.entityId ?? "").localeCompare(b.entityId ?? ""))
    .map((row) => row.values);
}
