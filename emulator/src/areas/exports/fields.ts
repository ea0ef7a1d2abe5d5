/**
 * The columns an export may ask for, per `data_type` (organization.yml `exportData`, plus the Oct-spec additions:
 * agents `agent_evaluations_enabled, folder_id, folder_name`; credit_logs `correlation_id, balance_scope`; the
 * `interaction_evaluations` type). Gumloop does not publish the columns of the Oct-spec `gumstack` type ("Gumstack
 * tool call activity"); the list here is inference.
 */

/** Export data types (Jul spec four, Oct spec six). */
export const EXPORT_DATA_TYPES = [
  "workflows",
  "agents",
  "agent_interactions",
  "credit_logs",
  "interaction_evaluations",
  "gumstack",
] as const;

export type ExportDataType = (typeof EXPORT_DATA_TYPES)[number];

/** Allowed `export_fields` per data type, in the order the docs list them. */
export const EXPORT_FIELDS: Readonly<Record<ExportDataType, readonly string[]>> = {
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
    "agent_evaluations_enabled",
    "creator_email",
    "workspace_id",
    "workspace_name",
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
    "correlation_id",
    "balance_scope",
    "project_id",
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
  gumstack: [
    "tool_call_id",
    "server_name",
    "tool_name",
    "user_email",
    "status",
    "credit_cost",
    "called_ts",
    "workspace_id",
    "workspace_name",
  ],
};

/** A CSV cell before formatting. Objects and arrays are written as JSON. */
export type CsvValue = string | number | boolean | null | undefined | object;

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Quotes a cell when it holds the delimiter, a quote or a line break (RFC 4180 / Python's QUOTE_MINIMAL). */
function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: header row = `columns`, CRLF line endings, trailing newline. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, CsvValue>[]): string {
  const lines = [columns.map(quote).join(",")];
  for (const row of rows) lines.push(columns.map((c) => quote(cell(row[c]))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
