/**
 * The data-export graph: the job core (plan → record_intent → start → poll ⟲) plus download_export, which fetches
 * the CSV and parses it into rows.
 *
 * Gumloop's `export_data` has no idempotency key and exports cannot be listed among our operations, so a start
 * whose outcome is unknown (a lost answer, a 500/502/504, or a crash while the request was in flight) cannot be
 * settled: the graph ends as `outcome_unknown` and never sends the export a second time on its own.
 */
import { parse } from "csv-parse/sync";
import { Annotation, END, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { GumloopError } from "../client/errors.js";
import { zodIssues } from "../tools/validation.js";
import { ENDPOINTS } from "../tools/index.js";
import type { ExportDataType } from "../tools/exports.js";
import type { ExportStartBody, ExportStatusAnswer } from "../tools/responses.js";
import type { JobGraphParams } from "./common.js";
import { buildJobGraph } from "./job/build.js";
import { jobRuntime, nodeWaits, readPolicy } from "./job/runtime.js";
import type { JobSpec } from "./job/spec.js";
import { jobStateFields, replace, type JobStatus } from "./job/state.js";
import { EXPORT_SCHEDULE, EXPORT_STATES } from "./polling.js";
import { waitBeforeRetry } from "./retry.js";

/** How the export graph ended; see {@link JobStatus}. */
export type ExportStatus = JobStatus;

/** The fields of Gumloop's `POST /export_data` (the user id comes from the client). */
export interface ExportRequest {
  readonly data_type?: ExportDataType;
  readonly export_fields: readonly string[];
  readonly start_date: string;
  readonly end_date: string;
  readonly export_level?: "workspace" | "organization";
  readonly workspace_ids?: readonly string[];
  readonly entity_ids?: readonly string[];
  readonly include_all_workspaces?: boolean;
  readonly include_personal_workspaces?: boolean;
  readonly category_filter?: string;
}

/** State of the export graph. Input: `{ request }` (and `restart: true` to export again on the same thread). */
export const ExportGraphState = Annotation.Root({
  request: Annotation<ExportRequest>,
  exportId: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** The CSV as downloaded. */
  csv: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** The CSV's columns, in order (also when it has no rows). */
  columns: Annotation<string[]>({ reducer: replace, default: () => [] }),
  /** The CSV parsed into rows keyed by column name. */
  rows: Annotation<Record<string, string>[]>({ reducer: replace, default: () => [] }),
  ...jobStateFields,
});

/** The export graph's state, as `invoke()` returns it. */
export type ExportGraphStateType = typeof ExportGraphState.State;

/** Options of `createExportGraph()`: the job options, and whether to download and parse the CSV. */
export interface CreateExportGraphParams extends JobGraphParams {
  /** Fetch and parse the CSV when the export completes. @default true */
  download?: boolean;
}

const definition = ENDPOINTS.create_a_gumloop_export_datum;

/** An export's state from a status read: its JSON answer (a file only comes back when asked for with `download`). */
const exportState = (data: ExportStatusAnswer): string | null =>
  typeof data === "object" && "state" in data ? data.state : null;

/** Gumloop's export as a job: started by `export_data`, read by `export_status`, never cancelled. */
const EXPORT_JOB: JobSpec<ExportGraphStateType, ExportStartBody, ExportStatusAnswer> = {
  kind: "export",
  noun: "Export",
  operation: "export_gumloop_data",
  idOf: (state) => state.exportId,
  schedule: EXPORT_SCHEDULE,
  defaultDeadlineMs: 60 * 60_000,
  states: { running: EXPORT_STATES.intermediate, done: ["COMPLETED"], failed: ["FAILED"] },
  // The export tool's own schema, scope rules included, checked before anything is sent.
  validate: (state) => {
    const checked = definition.input.safeParse(state.request ?? {});
    return checked.success ? [] : zodIssues(checked.error);
  },
  identity: (state) => state.request,
  fresh: () => ({ exportId: null, csv: null, columns: [], rows: [] }),
  start: {
    definition,
    body: (state) => definition.input.parse(state.request) as Record<string, unknown>,
    accepted: (body) => ({
      state: body.state ?? "REQUESTED",
      queuePosition: null,
      update: { exportId: body.data_export_id },
    }),
    settle: async () => ({
      kind: "unknown",
      message:
        "Exports cannot be listed through Gumloop's API, so the graph cannot tell whether this one started. " +
        "Ask a Gumloop organization admin to check the organization's recent exports before exporting again; " +
        "to export anyway, invoke this thread with { restart: true }.",
    }),
  },
  read: {
    definition: ENDPOINTS.get_single_gumloop_data_export_by_id,
    body: (id) => ({ data_export_id: id }),
    view: (data) => ({ state: exportState(data), queuePosition: null, update: {} }),
  },
  // Gumloop offers no call that cancels an export.
  cancel: null,
};

/**
 * Builds the compiled export graph.
 *
 * @example
 * ```ts
 * const graph = createExportGraph({ client });
 * const out = await graph.invoke({ request: { data_type: "agents", export_fields: ["agent_id", "agent_name"],
 *   start_date: "2026-01-01T00:00:00Z", end_date: "2026-02-01T00:00:00Z", include_all_workspaces: true } });
 * console.log(out.rows.length);
 * ```
 */
export function createExportGraph(params: CreateExportGraphParams) {
  const runtime = jobRuntime(EXPORT_JOB, params);

  const downloadExport = async (state: ExportGraphStateType, config: LangGraphRunnableConfig) => {
    const { client } = await runtime.bind(config, state);
    const response = await waitBeforeRetry(
      () =>
        client.call(
          ENDPOINTS.get_single_gumloop_data_export_by_id,
          { data_export_id: state.exportId, download: true },
          { signal: config.signal },
        ),
      // The export is done: fetching its file is not bound by the wait's deadline.
      { ...nodeWaits(runtime, config, state), deadlineAt: null },
    );
    const body = response.data;
    const csv =
      typeof body === "string"
        ? body
        : typeof body === "object" && "bytes" in body
          ? new TextDecoder().decode(body.bytes)
          : null;
    if (csv === null) throw new GumloopError(`Export ${state.exportId} did not return a CSV file`);
    const records = parse(csv, { skip_empty_lines: true, bom: true }) as string[][];
    const [columns = [], ...values] = records;
    const rows = values.map((record) =>
      Object.fromEntries(columns.map((column, index) => [column, record[index] ?? ""])),
    );
    return { csv, columns, rows };
  };

  return buildJobGraph(
    ExportGraphState,
    runtime,
    {
      completed: () => (params.download === false ? END : "download_export"),
      nodes: {
        download_export: {
          run: downloadExport,
          retryPolicy: readPolicy(runtime),
          next: () => END,
          targets: [END],
        },
      },
    },
    { name: params.name ?? "gumloop_export", checkpointer: params.checkpointer },
  );
}
