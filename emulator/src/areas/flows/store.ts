/**
 * Records of the flows area (Gumloop's older "pipeline" API): workbooks, saved flows (saved items), and runs,
 * kept in the store's private slot `store.area("flows")`, with the access rule every flow and file route shares
 * and the wire views of gumloop-api.md 2.5.
 */
import type { AreaEnv } from "../../area.js";
import type { LegacyScope, Principal } from "../../server/auth.js";
import { ApiError, invalidRequest, notFound } from "../../server/errors.js";
import { iso } from "../../world/time.js";
import type { StoredFile } from "../files/store.js";

/** Who owns a workbook (and so its flows and their runs): a user's personal space, or a team. */
export interface Owner {
  /** The creating user (for team workbooks too). */
  userId: string;
  /** The team (project) the workbook lives in; null for the personal space. */
  teamId: string | null;
}

/** A workbook. */
export interface WorkbookRecord extends Owner {
  id: string;
  name: string;
  description: string;
  createdAt: number;
  /** Saved flows, in creation order. */
  flowIds: string[];
}

/** What a flow does when it runs (emulator-only). */
export type FlowBehavior = "summarize" | "report" | "fail" | "echo";

/** An Input node of a flow. */
export interface FlowInput {
  name: string;
  dataType: "string" | "file";
  description: string | null;
  /** Emulator-only: a run without a value for it fails (Gumloop's `get_inputs` has no `required`). */
  required: boolean;
}

/** A saved flow (a "saved item"). */
export interface FlowRecord {
  id: string;
  workbookId: string;
  name: string;
  description: string;
  createdAt: number;
  inputs: FlowInput[];
  behavior: FlowBehavior;
}

/** Flow run states (gumloop-api.md 3.9; `STARTED` appears only in prose and is not used). */
export type RunState = "QUEUED" | "RUNNING" | "TERMINATING" | "DONE" | "FAILED" | "TERMINATED";

/** States after which nothing changes. */
export const TERMINAL_STATES: readonly RunState[] = ["DONE", "FAILED", "TERMINATED"];

/** One log line, visible from clock time `at` (the log "grows as the run progresses"). */
export interface LogEntry {
  at: number;
  text: string;
}

/** A flow run. */
export interface RunRecord {
  id: string;
  savedItemId: string;
  workbookId: string;
  /** The user the run was started for (`user_id` of start_pipeline). */
  userId: string;
  /** The team of the flow's workbook (runs of team flows belong to the team); null for personal flows. */
  teamId: string | null;
  /** `project_id` given at start, if any. */
  projectId: string | null;
  state: RunState;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Input values by Input-node name. */
  inputs: Record<string, string>;
  /** Filled when the run is DONE. */
  outputs: Record<string, string>;
  log: LogEntry[];
  /** Files of the run by name: its file inputs from the start, its output files once DONE. */
  files: Map<string, StoredFile>;
  /** Scheduler job while queued or running. */
  jobId: number | null;
}

/** The flows area's state. */
export interface FlowsState {
  workbooks: Map<string, WorkbookRecord>;
  flows: Map<string, FlowRecord>;
  runs: Map<string, RunRecord>;
}

/** The flows area's records. */
export function flowsState(env: AreaEnv): FlowsState {
  return env.store.area("flows", () => ({
    workbooks: new Map<string, WorkbookRecord>(),
    flows: new Map<string, FlowRecord>(),
    runs: new Map<string, RunRecord>(),
  }));
}

/**
 * Whether a legacy request may touch something `owner` owns: team things need membership of the team (checked
 * on the key, as `legacyScope` does for `project_id`), personal things need the request's user to be the owner
 * and a personal credential (a team key never reaches personal items).
 */
export function canAccess(env: AreaEnv, principal: Principal, scope: LegacyScope, owner: Owner): boolean {
  if (principal.kind === "team") {
    // A team key acts for its team only: naming a member with `user_id` picks who acts, it does not open that
    // member's personal workspace or their other teams.
    return owner.teamId !== null && principal.teamId === owner.teamId;
  }
  if (owner.teamId) return env.store.isMember(principal.userId, owner.teamId);
  return scope.userId === owner.userId;
}

/** The owner of a flow (its workbook's). */
export function ownerOfFlow(env: AreaEnv, flow: FlowRecord): Owner {
  const workbook = flowsState(env).workbooks.get(flow.workbookId)!;
  return { userId: workbook.userId, teamId: workbook.teamId };
}

/** What differs between new runs of a flow: the rest of a new record is the flow's, or empty. */
export interface NewRun {
  id: string;
  /** The user the run is started for. */
  userId: string;
  projectId: string | null;
  state: "QUEUED" | "RUNNING";
  createdAt: number;
  startedAt: number | null;
  inputs: Record<string, string>;
  /** File inputs, by file name. */
  files: ReadonlyMap<string, StoredFile>;
}

/** A run of `flow` that has not finished: no outputs, no log lines and no scheduler job yet. */
export function newRun(env: AreaEnv, flow: FlowRecord, init: NewRun): RunRecord {
  return {
    ...init,
    savedItemId: flow.id,
    workbookId: flow.workbookId,
    teamId: ownerOfFlow(env, flow).teamId,
    finishedAt: null,
    inputs: { ...init.inputs },
    outputs: {},
    log: [],
    files: new Map(init.files),
    jobId: null,
  };
}

/** The owner of a run: its user, and the team of its flow. */
export function ownerOfRun(run: RunRecord): Owner {
  return { userId: run.userId, teamId: run.teamId };
}

/** A required string parameter (query or body): 400 when missing, empty or not a string. */
export function requiredString(value: unknown, name: string): string {
  if (value === undefined || value === null || value === "") throw invalidRequest(`Missing ${name}`, name);
  if (typeof value !== "string") throw invalidRequest(`${name} must be a string`, name);
  return value;
}

/** 403 as the legacy docs word it for a key that does not match the requested user or object. */
export function keyMismatch(): ApiError {
  return new ApiError(403, "api_key_mismatch", "API key does not match");
}

/** The saved flow `id`: 404 when unknown, 403 when the request may not see it. */
export function requireFlow(env: AreaEnv, principal: Principal, scope: LegacyScope, id: string): FlowRecord {
  const flow = flowsState(env).flows.get(id);
  if (!flow) throw notFound("Saved item", id);
  if (!canAccess(env, principal, scope, ownerOfFlow(env, flow))) throw keyMismatch();
  return flow;
}

/** The run `id`, or 404. (Access is checked by the caller: each route words its 403 differently.) */
export function findRun(env: AreaEnv, id: string): RunRecord {
  const run = flowsState(env).runs.get(id);
  if (!run) throw notFound("Run", id);
  return run;
}

/** `saved_items[]` entry of list_saved_items / list_workbooks. */
export function savedItemView(flow: FlowRecord): Record<string, unknown> {
  return {
    saved_item_id: flow.id,
    name: flow.name,
    description: flow.description,
    created_ts: iso(flow.createdAt),
  };
}

/** `workbooks[]` entry of list_workbooks. */
export function workbookView(env: AreaEnv, workbook: WorkbookRecord): Record<string, unknown> {
  const flows = flowsState(env).flows;
  return {
    workbook_id: workbook.id,
    name: workbook.name,
    description: workbook.description,
    created_ts: iso(workbook.createdAt),
    saved_items: workbook.flowIds
      .map((id) => flows.get(id))
      .filter((flow): flow is FlowRecord => flow !== undefined)
      .sort(newestFirst)
      .map(savedItemView),
  };
}

/** Newest first, then by id (the order of both list routes; Gumloop documents none, inference). */
export function newestFirst(
  a: { createdAt: number; id: string },
  b: { createdAt: number; id: string },
): number {
  return b.createdAt - a.createdAt || a.id.localeCompare(b.id);
}

/** The log lines visible at `now`. */
export function visibleLog(run: RunRecord, now: number): string[] {
  return run.log.filter((entry) => entry.at <= now).map((entry) => entry.text);
}

/**
 * `finished_ts` once the run has finished, else nothing: data-access.yml types it as a date-time string (not
 * nullable), so an unfinished run leaves it out rather than sending null.
 */
function finishedTs(run: RunRecord): { finished_ts?: string } {
  return run.finishedAt === null ? {} : { finished_ts: iso(run.finishedAt) };
}

/** The body of `GET /get_pl_run`: exactly the documented fields. */
export function runView(run: RunRecord, now: number): Record<string, unknown> {
  return {
    user_id: run.userId,
    state: run.state,
    outputs: run.state === "DONE" ? { ...run.outputs } : {},
    created_ts: iso(run.createdAt),
    ...finishedTs(run),
    log: visibleLog(run, now),
  };
}

/**
 * One run of `get_plrun_saved_item_map`. Gumloop does not document these fields; run_id, state, created_ts and
 * finished_ts mirror `get_pl_run` (inference).
 */
export function historyItemView(run: RunRecord): Record<string, unknown> {
  return {
    run_id: run.id,
    state: run.state,
    created_ts: iso(run.createdAt),
    ...finishedTs(run),
  };
}
