/** Enterprise data exports: start an export job, then poll it and download the CSV. */
import { z } from "zod";
import { dateTime, id, unlisted } from "./fields.js";
import { CREATE, READ, defineEndpoint } from "./types.js";
import { responds } from "../client/definition.js";
import type { ExportStartBody, ExportStatusAnswer } from "./responses.js";

/**
 * The columns Gumloop allows per export type. The October 2026 spec also names a `gumstack` type but publishes no
 * columns for it, so it is left out rather than guessed.
 */
export const EXPORT_FIELDS = {
  workflows: [
    "workbook_id",
    "workbook_name",
    "workbook_created_ts",
    "user_id",
    "user_email",
    "workspace_id",
    "workspace_name",
    "run_id",
    "credit_cost",
    "pl_run_created_ts",
    "pl_run_finished_ts",
    "pipeline",
  ],
  agents: [
    "agent_id",
    "agent_name",
    "agent_description",
    "agent_model",
    "agent_system_prompt",
    "agent_created_ts",
    "agent_tools",
    "agent_metadata",
    "creator_email",
    "workspace_id",
    "workspace_name",
    "agent_evaluations_enabled",
    "folder_id",
    "folder_name",
  ],
  agent_interactions: [
    "interaction_id",
    "agent_id",
    "agent_name",
    "interaction_type",
    "interaction_name",
    "trigger_type",
    "interaction_created_ts",
    "user_email",
    "credit_cost",
    "llm_credit_cost",
    "tool_credit_cost",
    "flow_credit_cost",
    "message_count",
    "workspace_id",
    "workspace_name",
  ],
  credit_logs: [
    "user_email",
    "permission_group_id",
    "permission_group_name",
    "timestamp",
    "category",
    "type",
    "name",
    "amount",
    "balance",
    "log_id",
    "project_id",
    "correlation_id",
    "balance_scope",
  ],
  interaction_evaluations: [
    "evaluation_id",
    "interaction_id",
    "agent_id",
    "organization_evaluation_id",
    "evaluation_created_ts",
    "status",
    "grade",
    "call_outcome",
    "sentiment",
    "error_code",
    "summary",
    "evaluation_model",
    "credit_cost",
    "user_email",
  ],
} as const satisfies Record<string, readonly string[]>;

/** What a data export covers: `workflows`, `agents`, `agent_interactions`, `credit_logs`, ... (its columns differ). */
export type ExportDataType = keyof typeof EXPORT_FIELDS;

const DATA_TYPES = Object.keys(EXPORT_FIELDS) as [ExportDataType, ...ExportDataType[]];

export const create_a_gumloop_export_datum = responds<ExportStartBody>()(
  defineEndpoint({
    name: "create_a_gumloop_export_datum",
    method: "write",
    tags: ["exports", "admin"],
    route: "POST /export_data",
    context: { user_id: "body" },
    identity: ["user_id"],
    requiresContext: true,
    reconcileHint: "Exports cannot be listed; ask the user before starting another one.",
    description:
      "Start a CSV export (enterprise admin; start_date, end_date required; except credit_logs, scope by workspace_ids, entity_ids or include_*). Poll get_single_gumloop_data_export_by_id.",
    annotations: CREATE,
    input: () =>
      z
        .object({
          data_type: z.enum(DATA_TYPES).optional().describe("Default workflows"),
          export_fields: unlisted(z.array(z.string()).min(1)).optional().describe("Columns (default all)"),
          start_date: dateTime("From (ISO 8601)"),
          end_date: dateTime("To (ISO 8601)"),
          export_level: z.enum(["workspace", "organization"]).optional().describe("Default organization"),
          workspace_ids: z.array(id()).optional().describe("Workspace ids"),
          entity_ids: z.array(id()).optional().describe("Workbook or agent ids"),
          include_all_workspaces: z.boolean().optional().describe("Scope: all"),
          include_personal_workspaces: z.boolean().optional().describe("Scope: personal"),
          category_filter: z.string().optional().describe("credit_logs only, e.g. AGENT_RUN"),
        })
        .superRefine((value, context) => {
          const type = value.data_type ?? "workflows";
          const allowed: readonly string[] = EXPORT_FIELDS[type];
          const unknown = (value.export_fields ?? []).filter((field) => !allowed.includes(field));
          if (unknown.length) {
            context.addIssue({
              code: "custom",
              path: ["export_fields"],
              message: `not ${type} columns: ${unknown.join(", ")}. Allowed: ${allowed.join(", ")}`,
            });
          }
          // Not a documented rule (inference): a range that ends before it starts can only be a mistake.
          if (Date.parse(value.end_date) < Date.parse(value.start_date)) {
            context.addIssue({
              code: "custom",
              path: ["end_date"],
              message: "must not be before start_date",
            });
          }
          const scoped =
            (value.workspace_ids?.length ?? 0) > 0 ||
            (value.entity_ids?.length ?? 0) > 0 ||
            value.include_all_workspaces === true ||
            value.include_personal_workspaces === true;
          if (type !== "credit_logs" && !scoped) {
            context.addIssue({
              code: "custom",
              path: ["workspace_ids"],
              message:
                "a non-credit_logs export needs a scope: workspace_ids, entity_ids, include_all_workspaces or include_personal_workspaces",
            });
          }
          // Gumloop ignores export_level and workspace_ids for credit_logs (always organization-wide).
          if (
            type !== "credit_logs" &&
            value.export_level === "workspace" &&
            value.workspace_ids?.length !== 1
          ) {
            context.addIssue({
              code: "custom",
              path: ["workspace_ids"],
              message: "export_level workspace needs exactly one workspace id",
            });
          }
        })
        // Gumloop requires export_fields; left out, they are every column of the data type (Truto asks for none).
        .overwrite((value) =>
          value.export_fields
            ? value
            : { ...value, export_fields: [...EXPORT_FIELDS[value.data_type ?? "workflows"]] },
        ),
  }),
);

export const get_single_gumloop_data_export_by_id = responds<ExportStatusAnswer>()(
  defineEndpoint({
    name: "get_single_gumloop_data_export_by_id",
    method: "read",
    tags: ["exports", "admin"],
    route: "GET /export_status",
    context: { user_id: "query" },
    identity: ["user_id"],
    requiresContext: true,
    readable: { flag: "download", from: "body" },
    accept: "application/json, text/csv",
    description: "Get an export's state; when COMPLETED, download=true reads the CSV.",
    annotations: READ,
    input: () =>
      z.object({
        data_export_id: id("Export id"),
        download: z.boolean().optional().describe("Read CSV"),
      }),
  }),
);
