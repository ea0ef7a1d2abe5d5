/**
 * Settling a flow start whose outcome is unknown, through the flow's run history (`get_plrun_saved_item_map`, the
 * flow's 10 most recent runs). `start_pipeline` takes no idempotency key, so this is the only way to tell whether
 * a start that lost its answer (or whose process died mid-request) created a run.
 *
 * Exactly one run created since the start intent (less a margin for clock skew between us and Gumloop) is this
 * job's run, and is adopted. None, or several (someone else started the same flow meanwhile: the history does not
 * show a run's inputs, so they cannot be told apart), ends the job as `outcome_unknown`, listing what was seen.
 * The per-run fields are not documented; `run_id`, `state` and `created_ts` mirror `get_pl_run` (inference), and
 * a run whose creation time cannot be read is counted as a candidate, never silently ignored.
 */
import { ENDPOINTS } from "../tools/index.js";
import type { FlowRunMapBody } from "../tools/responses.js";
import type { FlowRunGraphStateType } from "./flowRunGraph.js";
import type { Settled, StartContext } from "./job/spec.js";

/** How far Gumloop's clock may run behind ours before a run of ours would look older than its intent. */
export const CLOCK_SKEW_MS = 30_000;

/** A run as the history shows it. */
export interface HistoryRun {
  readonly runId: string;
  readonly state: string | null;
  /** Epoch ms, or null when the history gives no readable time. */
  readonly createdAt: number | null;
}

/** The runs of one flow in a `get_plrun_saved_item_map` answer (a map of saved item id to its runs). */
export function historyRuns(data: FlowRunMapBody, savedItemId: string): HistoryRun[] {
  // Defensive about the shape: Gumloop documents the map loosely, and a plain list of runs is taken as well.
  const list =
    data !== null && Object.hasOwn(data, savedItemId) ? data[savedItemId] : Array.isArray(data) ? data : [];
  if (!Array.isArray(list)) return [];
  const runs: HistoryRun[] = [];
  for (const item of list) {
    if (!item || typeof item !== "object") continue;
    const record = item as Record<string, unknown>;
    const runId = record["run_id"] ?? record["id"];
    if (typeof runId !== "string" || !runId) continue;
    const created = record["created_ts"] ?? record["created_at"];
    const time = typeof created === "string" ? Date.parse(created) : NaN;
    runs.push({
      runId,
      state: typeof record["state"] === "string" ? record["state"] : null,
      createdAt: Number.isNaN(time) ? null : time,
    });
  }
  return runs;
}

/** Looks for the run a start with intent time `since` created. */
export async function settleFromHistory(
  savedItemId: string,
  since: number,
  context: StartContext,
): Promise<Settled<FlowRunGraphStateType>> {
  const read = await context.read(() =>
    context.client.call(
      ENDPOINTS.list_all_gumloop_automation_runs,
      { saved_item_id: savedItemId },
      { signal: context.signal },
    ),
  );
  const check =
    `Check the flow's recent runs (list_all_gumloop_automation_runs with saved_item_id ${savedItemId}) before ` +
    `starting it again; to start it anyway, invoke this thread with { restart: true }.`;
  if (read === null) {
    return { kind: "unknown", message: `The run history could not be read before the deadline. ${check}` };
  }
  const from = since - CLOCK_SKEW_MS;
  const candidates = historyRuns(read.data, savedItemId).filter(
    (run) => run.createdAt === null || run.createdAt >= from,
  );
  if (candidates.length === 1) {
    const run = candidates[0]!;
    return {
      kind: "adopted",
      accepted: { state: run.state ?? "QUEUED", queuePosition: null, update: { runId: run.runId } },
    };
  }
  const when = new Date(from).toISOString();
  if (candidates.length === 0) {
    return {
      kind: "unknown",
      message: `No run of flow ${savedItemId} appears in its history since ${when}, so it most likely never started. ${check}`,
    };
  }
  const listed = candidates
    .map(
      (run) =>
        `${run.runId} (${run.state ?? "state unknown"}, created ${run.createdAt === null ? "at an unknown time" : new Date(run.createdAt).toISOString()})`,
    )
    .join(", ");
  return {
    kind: "unknown",
    message:
      `${candidates.length} runs of flow ${savedItemId} started since ${when}: ${listed}. Gumloop's history does ` +
      `not show their inputs, so the graph cannot tell which is this job's. ${check}`,
  };
}
