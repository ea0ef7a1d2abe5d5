/**
 * The fixed tables behind exports (May 2026, before the virtual clock's 2026-06-01 start): four workbooks with
 * four runs each for `workflows` (one per workspace of the seeded organization and one personal; the names include
 * a comma and quotes, and `pipeline` is JSON), 24 credit-log entries for `credit_logs`, and six Gumstack tool calls
 * for `gumstack`. Also the row type and the helpers `rows.ts` shares.
 */
import type { AreaEnv } from "../../area.js";
import { iso } from "../../world/time.js";
import { SEED_AGENTS } from "../agents/seed.js";
import type { CsvValue } from "./fields.js";
import { rolesOf, SEED_ORG } from "../organization/seed.js";

/** A row before filtering: its timestamp, workspace (null = personal) and entity, and its cells. */
export interface SourceRow {
  time: number;
  /** null = a personal workspace. */
  workspaceId: string | null;
  entityId: string | null;
  category?: string;
  values: Record<string, CsvValue>;
}

const at = (value: string) => Date.parse(value);
export const round2 = (n: number) => Math.round(n * 100) / 100;
const PERSONAL = "Personal";

interface Workbook {
  id: string;
  name: string;
  workspace: "research" | "sales" | "operations" | null;
  runner: "admin" | "charles" | "mary";
  created: string;
  pipeline: Record<string, unknown>;
}

/** The fixed workbooks of the workflows export (their ids also appear in the audit log). */
const WORKBOOKS: readonly Workbook[] = [
  {
    id: "wb_lead0001",
    name: "Lead enrichment, weekly",
    workspace: "research",
    runner: "admin",
    created: "2026-04-02T10:00:00Z",
    pipeline: {
      nodes: [
        { id: "n1", type: "input", name: "company" },
        {
          id: "n2",
          type: "llm",
          model: "claude-sonnet-4-5",
          prompt: 'Find the "decision maker", then summarise',
        },
      ],
    },
  },
  {
    id: "wb_tickets02",
    name: 'Summarise "urgent" tickets',
    workspace: "sales",
    runner: "admin",
    created: "2026-04-10T14:30:00Z",
    pipeline: {
      nodes: [
        { id: "n1", type: "zendesk_reader" },
        { id: "n2", type: "summarizer" },
      ],
    },
  },
  {
    id: "wb_invoice03",
    name: "Invoice parser",
    workspace: "operations",
    runner: "mary",
    created: "2026-04-15T08:00:00Z",
    pipeline: {
      nodes: [
        { id: "n1", type: "pdf_reader" },
        { id: "n2", type: "extractor" },
      ],
    },
  },
  {
    id: "wb_personal4",
    name: "Personal digest",
    workspace: null,
    runner: "charles",
    created: "2026-04-20T18:00:00Z",
    pipeline: { nodes: [{ id: "n1", type: "rss_reader" }] },
  },
];

function userIdFor(env: AreaEnv, who: "admin" | "charles" | "mary"): string {
  return who === "admin" ? env.identity.userId : SEED_ORG.userIds[who];
}

export function emailOf(env: AreaEnv, userId: string | null): string {
  return (userId && env.store.users.get(userId)?.email) || "";
}

export function workspaceName(env: AreaEnv, workspaceId: string | null): string {
  return workspaceId === null ? PERSONAL : (env.store.teams.get(workspaceId)?.name ?? "");
}

function workspaceIdOf(env: AreaEnv, key: Workbook["workspace"]): string | null {
  if (key === null) return null;
  if (key === "research") return env.identity.teamId;
  if (key === "sales") return env.identity.secondTeamId;
  return SEED_ORG.workspaces.operations;
}

/** The fixed workflow runs (seeded organization only). */
export function fixedWorkflowRows(env: AreaEnv): SourceRow[] {
  const rows: SourceRow[] = [];
  WORKBOOKS.forEach((wb, w) => {
    const workspaceId = workspaceIdOf(env, wb.workspace);
    const userId = userIdFor(env, wb.runner);
    for (let k = 0; k < 4; k++) {
      const started = at("2026-05-03T09:00:00Z") + k * 7 * 86_400_000 + w * 3_600_000;
      rows.push({
        time: started,
        workspaceId,
        entityId: wb.id,
        values: {
          workbook_id: wb.id,
          workbook_name: wb.name,
          workbook_created_ts: wb.created,
          user_id: userId,
          user_email: emailOf(env, userId),
          workspace_id: workspaceId,
          workspace_name: workspaceName(env, workspaceId),
          run_id: `plr_${wb.id.slice(3)}_${k + 1}`,
          credit_cost: round2(2.5 + w * 1.25 + k * 0.5),
          pl_run_created_ts: iso(started),
          pl_run_finished_ts: iso(started + 90_000 + k * 15_000),
          pipeline: wb.pipeline,
        },
      });
    }
  });
  return rows;
}

const CREDIT_KINDS = [
  { category: "PIPELINE_RUN", type: "flow_run", name: "Flow run: Lead enrichment, weekly", amount: 12.5 },
  { category: "AGENT_RUN", type: "agent_interaction", name: 'Agent run: "Deep Research Agent"', amount: 2.4 },
  { category: "CUSTOM_NODE_RD", type: "custom_node", name: "Custom node: Score lead", amount: 1 },
  { category: "EXTERNAL_GUMCP_CALL", type: "mcp_tool_call", name: "Gmail: send_email", amount: 0.2 },
] as const;

/** The fixed credit log of an organization (the roles columns reflect current role membership). */
export function creditLogRows(env: AreaEnv, orgId: string): SourceRow[] {
  const users = [env.identity.userId, SEED_ORG.userIds.charles, SEED_ORG.userIds.mary];
  const projects = [env.identity.teamId, SEED_ORG.workspaces.operations, SEED_ORG.workspaces.operations];
  let balance = 50_000;
  const rows: SourceRow[] = [];
  for (let n = 0; n < 24; n++) {
    const kind = CREDIT_KINDS[n % CREDIT_KINDS.length]!;
    const userId = users[n % users.length]!;
    const time = at("2026-05-01T08:00:00Z") + n * 30 * 3_600_000;
    balance = round2(balance - kind.amount);
    const roles = rolesOf(env, orgId, userId);
    rows.push({
      time,
      workspaceId: null,
      entityId: null,
      category: kind.category,
      values: {
        user_email: emailOf(env, userId),
        permission_group_id: roles.map((r) => r.id).join(";"),
        permission_group_name: roles.map((r) => r.name).join(";"),
        timestamp: iso(time),
        category: kind.category,
        type: kind.type,
        name: kind.name,
        amount: kind.amount,
        balance,
        log_id: `clog_${(n + 1).toString().padStart(5, "0")}`,
        correlation_id: kind.category === "AGENT_RUN" ? SEED_AGENTS.research : `plr_lead0001_${(n % 4) + 1}`,
        balance_scope: "organization",
        project_id: projects[n % projects.length],
      },
    });
  }
  return rows;
}

const GUMSTACK_CALLS = [
  ["gmail", "send_email", "success"],
  ["slack", "post_message", "success"],
  ["salesforce", "query_records", "error"],
  ["gmail", "search_emails", "success"],
  ["slack", "list_channels", "unauthenticated"],
  ["salesforce", "update_record", "success"],
] as const;

/** The fixed Gumstack tool calls. */
export function gumstackRows(env: AreaEnv): SourceRow[] {
  const users = [env.identity.userId, SEED_ORG.userIds.mary];
  const spaces = [env.identity.teamId, SEED_ORG.workspaces.operations];
  return GUMSTACK_CALLS.map(([server, tool, status], n) => {
    const time = at("2026-05-04T12:00:00Z") + n * 4 * 86_400_000;
    const workspaceId = spaces[n % spaces.length]!;
    return {
      time,
      workspaceId,
      entityId: server,
      values: {
        tool_call_id: `gtc_${(n + 1).toString().padStart(6, "0")}`,
        server_name: server,
        tool_name: tool,
        user_email: emailOf(env, users[n % users.length]!),
        status,
        credit_cost: status === "success" ? 0.2 : 0,
        called_ts: iso(time),
        workspace_id: workspaceId,
        workspace_name: workspaceName(env, workspaceId),
      },
    };
  });
}
