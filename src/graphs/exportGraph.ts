/**
 * The data-export graph: plan_export → start_export → poll_export ⟲ → download_export.
 *
 * Gumloop exports have no idempotency key and cannot be listed, so the export id is written to state the moment
 * it is known, and a start whose answer was lost (dropped connection, timeout, 500/502/504) ends as
 * `outcome_unknown` instead of being sent again.
 */
import { parse } from "csv-parse/sync";
import { Annotation, END, START, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { GumloopError, GumloopValidationError } from "../client/errors.js";
import { zodIssues } from "../langchain/strictSchema.js";
import { ENDPOINTS } from "../tools/index.js";
import type { ExportDataType } from "../tools/exports.js";
import { GRAPH_CONFIG, attemptOf, waitContext, emitProgress, seams, type JobGraphParams } from "./common.js";
import { EXPORT_SCHEDULE, EXPORT_STATES, pollDelayMs } from "./polling.js";
import { unknownStartOutcome } from "./outcome.js";
import { DeadlineReachedError, gumloopRetryPolicy, pollRead, waitBeforeRetry } from "./retry.js";

export type ExportStatus = "running" | "completed" | "failed" | "timed_out" | "outcome_unknown";

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

interface ExportStatusBody {
  readonly data_export_id?: string;
  readonly state: string;
  readonly created_ts?: string;
  readonly finished_ts?: string | null;
}

const replace = <T>(_previous: T, next: T) => next;

/** State of the export graph. Input: `{ request }`. */
export const ExportGraphState = Annotation.Root({
  request: Annotation<ExportRequest>,
  exportId: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** Gumloop's export state: REQUESTED, IN_PROGRESS, COMPLETED or FAILED. */
  state: Annotation<string | null>({ reducer: replace, default: () => null }),
  status: Annotation<ExportStatus | null>({ reducer: replace, default: () => null }),
  /** The CSV as downloaded. */
  csv: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** The CSV's columns, in order (also when it has no rows). */
  columns: Annotation<string[]>({ reducer: replace, default: () => [] }),
  /** The CSV parsed into rows keyed by column name. */
  rows: Annotation<Record<string, string>[]>({ reducer: replace, default: () => [] }),
  polls: Annotation<number>({ reducer: replace, default: () => 0 }),
  startedAt: Annotation<number | null>({ reducer: replace, default: () => null }),
  deadlineAt: Annotation<number | null>({ reducer: replace, default: () => null }),
  /** Why the graph stopped short (outcome unknown, failure). */
  error: Annotation<string | null>({ reducer: replace, default: () => null }),
});

export type ExportGraphStateType = typeof ExportGraphState.State;

export interface CreateExportGraphParams extends JobGraphParams {
  /** Fetch and parse the CSV when the export completes. @default true */
  download?: boolean;
}

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
  const { client } = params;
  const { sleep, now, random } = seams(params);
  const schedule = { ...EXPORT_SCHEDULE, ...params.schedule };
  const deadlineMs = params.deadlineMs ?? 60 * 60_000;
  const stepWindowMs = params.stepWindowMs ?? 300_000;
  const retry = params.retry;

  // The deadline is fixed (and checkpointed) before the start, so the start's 429 waits, repeated node runs
  // included, cannot move it.
  const planExport = (state: ExportGraphStateType) => {
    if (state.exportId) return {};
    const startedAt = now();
    return { startedAt, deadlineAt: startedAt + deadlineMs };
  };

  const startExport = async (state: ExportGraphStateType, config: LangGraphRunnableConfig) => {
    if (state.exportId) return {};
    const definition = ENDPOINTS.create_a_gumloop_export_datum;
    // The scope rules (a non-credit-log export needs a scope) are checked here, before anything is sent.
    const checked = definition.input.safeParse(state.request ?? {});
    if (!checked.success) throw new GumloopValidationError("export_gumloop_data", zodIssues(checked.error));
    try {
      const { data } = await waitBeforeRetry(
        () =>
          client.call<{ data_export_id: string; state?: string }>(definition, checked.data, {
            signal: config.signal,
          }),
        { safe: false, ...waitContext(config, { sleep, now }, retry, state.deadlineAt) },
      );
      return { exportId: data.data_export_id, state: data.state ?? "REQUESTED", status: "running" as const };
    } catch (error) {
      if (error instanceof DeadlineReachedError)
        return { status: "timed_out" as const, error: error.message };
      const unknown = unknownStartOutcome(error, definition);
      if (unknown === null) throw error;
      return { status: "outcome_unknown" as const, error: unknown };
    }
  };

  const pollExport = async (state: ExportGraphStateType, config: LangGraphRunnableConfig) => {
    let current = state.state ?? "REQUESTED";
    let polls = state.polls;
    const windowStart = now();
    while (!(EXPORT_STATES.terminal as readonly string[]).includes(current)) {
      const remaining = state.deadlineAt! - now();
      if (remaining <= 0) return { state: current, polls, status: "timed_out" as const };
      if (polls > state.polls && now() - windowStart >= stepWindowMs) return { state: current, polls };
      await sleep(Math.min(pollDelayMs(schedule, polls + 1, null, random), remaining), config.signal);
      const read = await pollRead(
        () =>
          client.call<ExportStatusBody>(
            ENDPOINTS.get_single_gumloop_data_export_by_id,
            { data_export_id: state.exportId },
            { signal: config.signal },
          ),
        waitContext(config, { sleep, now }, retry, state.deadlineAt),
      );
      if (read === null) return { state: current, polls, status: "timed_out" as const };
      const { data } = read;
      current = data.state;
      polls += 1;
      emitProgress(config, {
        job: "export",
        id: state.exportId!,
        state: current,
        polls,
        queuePosition: null,
        elapsedMs: now() - state.startedAt!,
      });
    }
    const status = current === "COMPLETED" ? ("completed" as const) : ("failed" as const);
    return {
      state: current,
      polls,
      status,
      error: status === "failed" ? `Export ${state.exportId} failed` : null,
    };
  };

  const downloadExport = async (state: ExportGraphStateType, config: LangGraphRunnableConfig) => {
    const response = await waitBeforeRetry(
      () =>
        client.call(
          ENDPOINTS.get_single_gumloop_data_export_by_id,
          { data_export_id: state.exportId, download: true },
          { signal: config.signal },
        ),
      { safe: true, sleep, signal: config.signal, attempt: attemptOf(config), options: retry },
    );
    const csv =
      response.format === "text"
        ? (response.data as string)
        : response.format === "binary"
          ? new TextDecoder().decode((response.data as { bytes: Uint8Array }).bytes)
          : null;
    if (csv === null) throw new GumloopError(`Export ${state.exportId} did not return a CSV file`);
    const records = parse(csv, { skip_empty_lines: true, bom: true }) as string[][];
    const [columns = [], ...values] = records;
    const rows = values.map((record) =>
      Object.fromEntries(columns.map((column, index) => [column, record[index] ?? ""])),
    );
    return { csv, columns, rows };
  };

  const graph = new StateGraph(ExportGraphState)
    .addNode("plan_export", planExport)
    .addNode("start_export", startExport, { retryPolicy: gumloopRetryPolicy(false, retry) })
    .addNode("poll_export", pollExport, { retryPolicy: gumloopRetryPolicy(true, retry) })
    .addNode("download_export", downloadExport, { retryPolicy: gumloopRetryPolicy(true, retry) })
    .addEdge(START, "plan_export")
    .addEdge("plan_export", "start_export")
    .addConditionalEdges("start_export", (state) => (state.status === "running" ? "poll_export" : END), [
      "poll_export",
      END,
    ])
    .addConditionalEdges(
      "poll_export",
      (state) =>
        state.status === "completed"
          ? params.download === false
            ? END
            : "download_export"
          : state.status === "running"
            ? "poll_export"
            : END,
      ["poll_export", "download_export", END],
    )
    .addEdge("download_export", END);

  return graph
    .compile({ checkpointer: params.checkpointer, name: params.name ?? "gumloop_export" })
    .withConfig(GRAPH_CONFIG);
}
