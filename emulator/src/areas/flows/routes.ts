/**
 * Flows (data-access.yml, execution.yml; gumloop-api.md 2.5 and 3.8): list saved flows and workbooks, read a
 * flow's inputs, start / poll / kill runs, and run history. Legacy auth: the Bearer key alone (an `x-auth-key`
 * is accepted, never required), with `user_id` / `project_id` checked against the key on every call.
 *
 * Records live in `store.ts`, runs on the clock in `runs.ts`, the default seed in `seed.ts`.
 * Legacy error bodies are undocumented; the emulator answers with the same error envelope as everywhere else.
 */
import { parseJsonBounded } from "../../server/body.js";
import { defineArea, type AreaEnv } from "../../area.js";
import { authenticate, legacyScope, type LegacyScope, type Principal } from "../../server/auth.js";
import { isPlainObject, json, type RequestContext, type Reply } from "../../server/context.js";
import { ApiError, forbidden, invalidRequest, notFound } from "../../server/errors.js";
import { findUpload, type StoredFile, type WorkspaceKey } from "../files/store.js";
import { killRun, startRun } from "./runs.js";
import { seedFlows } from "./seed.js";
import {
  canAccess,
  findRun,
  flowsState,
  historyItemView,
  keyMismatch,
  newestFirst,
  ownerOfFlow,
  ownerOfRun,
  requiredString,
  requireFlow,
  runView,
  savedItemView,
  workbookView,
  type FlowRecord,
  type RunRecord,
  type WorkbookRecord,
} from "./store.js";

/** Body keys of start_pipeline that are never flow inputs (Gumloop's reserved names). */
export const RESERVED_INPUT_NAMES: readonly string[] = [
  "api_key",
  "saved_item_id",
  "user_id",
  "project_id",
  "openai_token",
  "action_id",
  "reuse_action",
  "trigger_id",
  "pipeline_inputs",
];

/** Runs per saved item in `get_plrun_saved_item_map` ("the 10 most recent"). */
export const HISTORY_LIMIT = 10;

/** The team a legacy request acts in: `project_id`, else a team key's own team, else none (personal space). */
function effectiveTeam(principal: Principal, scope: LegacyScope): string | null {
  return scope.teamId ?? (principal.kind === "team" ? principal.teamId : null);
}

/** Workbooks of the workspace a listing is for: the team's, or the user's personal ones. */
function workbooksInScope(env: AreaEnv, principal: Principal, scope: LegacyScope): WorkbookRecord[] {
  const teamId = effectiveTeam(principal, scope);
  return [...flowsState(env).workbooks.values()].filter((wb) =>
    teamId ? wb.teamId === teamId : wb.teamId === null && wb.userId === scope.userId,
  );
}

function listSavedItems(ctx: RequestContext): Reply {
  const scope = ctx.legacyScope();
  const flows = flowsState(ctx.env).flows;
  const items = workbooksInScope(ctx.env, ctx.caller, scope)
    .flatMap((wb) => wb.flowIds.map((id) => flows.get(id)))
    .filter((flow): flow is FlowRecord => flow !== undefined)
    .sort(newestFirst);
  return json(200, { saved_items: items.map(savedItemView) });
}

function listWorkbooks(ctx: RequestContext): Reply {
  const scope = ctx.legacyScope();
  const workbooks = workbooksInScope(ctx.env, ctx.caller, scope).sort(newestFirst);
  return json(200, { workbooks: workbooks.map((wb) => workbookView(ctx.env, wb)) });
}

function getInputs(ctx: RequestContext): Reply {
  const scope = ctx.legacyScope();
  const id = requiredString(ctx.queryParam("saved_item_id"), "saved_item_id");
  const flow = requireFlow(ctx.env, ctx.caller, scope, id);
  return json(200, {
    inputs: flow.inputs.map((input) => ({
      data_type: input.dataType,
      description: input.description,
      name: input.name,
    })),
  });
}

/**
 * The caller of start_pipeline: the Bearer key, or (documented alternative for webhook-style triggers) the
 * `api_key` query parameter when no Authorization header is sent. The route is registered with auth "none" so
 * that this can happen; the checks are the core's own.
 */
function pipelineCaller(ctx: RequestContext): Principal {
  const apiKey = ctx.queryParam("api_key");
  const headers =
    ctx.req.headers.authorization !== undefined || !apiKey
      ? ctx.req.headers
      : { ...ctx.req.headers, authorization: `Bearer ${apiKey}` };
  return authenticate(headers, ctx.env.store, "legacy");
}

/** A flow input value as the flow sees it: strings as is, other JSON serialised; null/undefined = no value. */
function inputValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** `pipeline_inputs` (older docs, Gumloop's legacy SDK): `[{input_name, value}]`, or that as a JSON string (GET). */
function pipelineInputs(raw: unknown): Record<string, string> {
  let value = raw;
  if (typeof value === "string") {
    try {
      // Bounded: the values are re-serialised with JSON.stringify, which overflows on absurd nesting.
      value = parseJsonBounded(value, "pipeline_inputs");
    } catch {
      throw invalidRequest("pipeline_inputs must be a JSON array of {input_name, value}", "pipeline_inputs");
    }
  }
  if (!Array.isArray(value)) {
    throw invalidRequest("pipeline_inputs must be an array of {input_name, value}", "pipeline_inputs");
  }
  // Null prototype: keys are caller-chosen names (`__proto__`, `constructor` must stay plain keys).
  const inputs: Record<string, string> = Object.create(null);
  value.forEach((item, i) => {
    const param = `pipeline_inputs[${i}]`;
    if (!isPlainObject(item)) throw invalidRequest(`${param} must be an object`, param);
    if (typeof item.input_name !== "string" || item.input_name === "") {
      throw invalidRequest(`${param}.input_name must be a non-empty string`, `${param}.input_name`);
    }
    const v = inputValue(item.value);
    if (v === undefined) return;
    if (inputs[item.input_name] !== undefined && inputs[item.input_name] !== v) {
      throw invalidRequest(`pipeline_inputs names ${item.input_name} twice with different values`, param);
    }
    inputs[item.input_name] = v;
  });
  return inputs;
}

/**
 * Collects inputs from both documented styles: top-level named properties (current spec) and `pipeline_inputs`
 * (older docs). The same name given in both with different values is a 400 ("conflicting parameters").
 */
function collectInputs(fields: Record<string, unknown>): Record<string, string> {
  // Null prototype: keys are caller-chosen names (`__proto__`, `constructor` must stay plain keys).
  const inputs: Record<string, string> = Object.create(null);
  for (const [name, raw] of Object.entries(fields)) {
    if (RESERVED_INPUT_NAMES.includes(name)) continue;
    const v = inputValue(raw);
    if (v !== undefined) inputs[name] = v;
  }
  if (fields.pipeline_inputs !== undefined && fields.pipeline_inputs !== null) {
    for (const [name, v] of Object.entries(pipelineInputs(fields.pipeline_inputs))) {
      if (inputs[name] !== undefined && inputs[name] !== v) {
        throw invalidRequest(
          `Input ${name} is given both as a property and in pipeline_inputs, with different values`,
          name,
        );
      }
      inputs[name] = v;
    }
  }
  return inputs;
}

function startPipeline(ctx: RequestContext): Reply {
  const principal = pipelineCaller(ctx);
  // Query fields first (the GET / `?api_key=` variants put everything there), then the JSON body.
  // Null prototype: keys are caller-chosen names (`__proto__`, `constructor` must stay plain keys).
  const fields: Record<string, unknown> = Object.create(null);
  for (const [key, value] of ctx.query) if (key !== "api_key") fields[key] = value;
  if (ctx.method === "POST") Object.assign(fields, ctx.jsonObject());

  const userId = requiredString(fields.user_id, "user_id");
  const scope = legacyScope(principal, ctx.env.store, { user_id: userId, project_id: fields.project_id });
  const savedItemId = requiredString(fields.saved_item_id, "saved_item_id");
  const given = collectInputs(fields);
  // Inference: an unknown flow is a 404, as on get_inputs (start_pipeline documents no 404).
  const flow = requireFlow(ctx.env, principal, scope, savedItemId);

  const owner = ownerOfFlow(ctx.env, flow);
  const workspaces = [
    ...new Set<WorkspaceKey>([
      ...(scope.teamId ? [`team:${scope.teamId}` as const] : []),
      ...(owner.teamId ? [`team:${owner.teamId}` as const] : []),
      // A team key must not pick up the member's personal uploads (it only reaches its team's things).
      ...(principal.kind === "team" ? [] : [`user:${userId}` as const]),
    ]),
  ];
  // Null prototype: keys are caller-chosen names (`__proto__`, `constructor` must stay plain keys).
  const inputs: Record<string, string> = Object.create(null);
  const files = new Map<string, StoredFile>();
  const problems: string[] = [];
  for (const input of flow.inputs) {
    const value = given[input.name];
    if (value === undefined || value.trim() === "") {
      if (input.required) problems.push(`required input "${input.name}" has no value`);
      continue;
    }
    inputs[input.name] = value;
    if (input.dataType === "file") {
      // Inference: a file input's value is the name of a file uploaded with /upload_file(s).
      const file = findUpload(ctx.env, workspaces, value);
      if (file) files.set(file.name, file);
      else problems.push(`file "${value}" for input "${input.name}" was not found in your uploaded files`);
    }
  }
  const ignored = Object.keys(given).filter((name) => !flow.inputs.some((input) => input.name === name));
  const notes = ignored.length ? [`Ignored inputs that match no Input node: ${ignored.join(", ")}`] : [];

  const run = startRun(ctx.env, flow, { userId, projectId: scope.teamId, inputs, files, problems, notes });
  return json(200, {
    run_id: run.id,
    saved_item_id: flow.id,
    workbook_id: flow.workbookId,
    url: `https://www.gumloop.com/pipeline?run_id=${encodeURIComponent(run.id)}`,
  });
}

/** The run named by `run_id` (query, then body) that the request may see; `denied` words the 403. */
function accessibleRun(ctx: RequestContext, scope: LegacyScope, denied: () => ApiError): RunRecord {
  const runId = requiredString(ctx.queryParam("run_id") ?? ctx.bodyField("run_id"), "run_id");
  const run = findRun(ctx.env, runId);
  if (!canAccess(ctx.env, ctx.caller, scope, ownerOfRun(run))) throw denied();
  return run;
}

function getRun(ctx: RequestContext): Reply {
  const scope = ctx.legacyScope();
  const run = accessibleRun(ctx, scope, keyMismatch);
  return json(200, runView(run, ctx.now));
}

function killPipeline(ctx: RequestContext): Reply {
  ctx.jsonObject(); // a body that is not a JSON object is a 400
  const scope = ctx.legacyScope();
  const run = accessibleRun(ctx, scope, () => forbidden("You do not have permission to kill this run."));
  killRun(ctx.env, run);
  return json(200, { success: true, run_id: run.id });
}

/** Runs of a flow, newest first (ties: the later started first), at most {@link HISTORY_LIMIT}. */
function recentRuns(env: AreaEnv, flowId: string): Record<string, unknown>[] {
  const runs = [...flowsState(env).runs.values()]
    .map((run, index) => ({ run, index }))
    .filter(({ run }) => run.savedItemId === flowId)
    .sort((a, b) => b.run.createdAt - a.run.createdAt || b.index - a.index);
  return runs.slice(0, HISTORY_LIMIT).map(({ run }) => historyItemView(run));
}

function runHistory(ctx: RequestContext): Reply {
  const scope = ctx.legacyScope();
  const savedItemId = ctx.queryParam("saved_item_id") || undefined;
  const workbookId = ctx.queryParam("workbook_id") || undefined;
  if (!savedItemId && !workbookId)
    throw invalidRequest("Missing workbook_id or saved_item_id", "saved_item_id");
  const state = flowsState(ctx.env);
  let flowIds: string[];
  if (workbookId) {
    const workbook = state.workbooks.get(workbookId);
    if (!workbook) throw notFound("Workbook", workbookId);
    if (!canAccess(ctx.env, ctx.caller, scope, workbook)) throw keyMismatch();
    flowIds = workbook.flowIds;
  }
  // Both given: the saved item wins (inference); the workbook was still checked above.
  if (savedItemId) flowIds = [requireFlow(ctx.env, ctx.caller, scope, savedItemId).id];
  const map: Record<string, unknown> = {};
  for (const id of flowIds!) map[id] = recentRuns(ctx.env, id);
  return json(200, map);
}

/** Read-only counts for `inspect()`. */
export interface FlowsSnapshot {
  workbooks: number;
  flows: number;
  runs: { total: number; byState: Record<string, number> };
}

/** execution.yml's statuses for `start_pipeline` (also served as GET with a query string, as Gumloop's docs show). */
const START_STATUSES: readonly number[] = [200, 400, 401, 403, 500];

/** The flows area. */
export const flowsArea = defineArea({
  name: "flows",
  seed: (env: AreaEnv) => seedFlows(env),
  routes(r) {
    r.get("/list_saved_items", listSavedItems, { auth: "legacy", statuses: [200, 400, 401, 403, 500] });
    r.get("/list_workbooks", listWorkbooks, { auth: "legacy", statuses: [200, 400, 401, 403, 500] });
    r.get("/get_inputs", getInputs, { auth: "legacy", statuses: [200, 400, 401, 403, 404] });
    // auth "none": start_pipeline authenticates itself, to also take the key as `?api_key=` (see pipelineCaller).
    r.post("/start_pipeline", startPipeline, { auth: "none", statuses: START_STATUSES });
    r.get("/start_pipeline", startPipeline, { auth: "none", statuses: START_STATUSES });
    r.get("/get_pl_run", getRun, { auth: "legacy", statuses: [200, 400, 404] });
    r.post("/kill_pipeline", killPipeline, { auth: "legacy", statuses: [200, 400, 401, 403, 404, 500] });
    r.get("/get_plrun_saved_item_map", runHistory, {
      auth: "legacy",
      statuses: [200, 400, 401, 403, 404, 500],
    });
  },
  inspect(env): FlowsSnapshot {
    const state = flowsState(env);
    const byState: Record<string, number> = {};
    for (const run of state.runs.values()) byState[run.state] = (byState[run.state] ?? 0) + 1;
    return {
      workbooks: state.workbooks.size,
      flows: state.flows.size,
      runs: { total: state.runs.size, byState },
    };
  },
});
