/**
 * The flow-run graph: the job core (plan → get_inputs → record_intent → start → poll ⟲).
 *
 * Inputs are checked against the flow's own schema (from `get_inputs`) before the run starts. `start_pipeline`
 * has no idempotency key: a start whose outcome is unknown (a lost answer, a 500/502/504, or a crash while the
 * request was in flight) is settled through the flow's run history (see flowRunHistory.ts), never sent again.
 */
import { Annotation, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { GumloopValidationError, type ValidationIssue } from "../client/errors.js";
import { checkId } from "../ids.js";
import { ENDPOINTS } from "../tools/index.js";
import { flowInputIssues, type FlowInput } from "../tools/flowInputs.js";
import type { FlowRunBody, FlowStartBody } from "../tools/responses.js";
import type { JobGraphParams } from "./common.js";
import { settleFromHistory } from "./flowRunHistory.js";
import { buildJobGraph } from "./job/build.js";
import { jobRuntime, nodeWaits, readPolicy } from "./job/runtime.js";
import type { JobSpec } from "./job/spec.js";
import { jobStateFields, replace, type JobStatus } from "./job/state.js";
import { FLOW_RUN_STATES, FLOW_SCHEDULE } from "./polling.js";
import { waitBeforeRetry } from "./retry.js";

/** How the flow-run graph ended; see {@link JobStatus}. */
export type FlowRunStatus = JobStatus;

/** State of the flow-run graph. Input: `{ savedItemId, inputs }` (and `restart: true` to run it again). */
export const FlowRunGraphState = Annotation.Root({
  savedItemId: Annotation<string>,
  /** Input name → value: text for the flow's named Input nodes; any JSON for a flow that declares none (webhook). */
  inputs: Annotation<Record<string, unknown>>({ reducer: replace, default: () => ({}) }),
  /** The flow's inputs, from `get_inputs`. */
  inputSchema: Annotation<FlowInput[]>({ reducer: replace, default: () => [] }),
  runId: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** Link to the run in Gumloop's UI. */
  url: Annotation<string | null>({ reducer: replace, default: () => null }),
  outputs: Annotation<Record<string, unknown>>({ reducer: replace, default: () => ({}) }),
  log: Annotation<string[]>({ reducer: replace, default: () => [] }),
  ...jobStateFields,
});

/** The flow-run graph's state, as `invoke()` returns it. */
export type FlowRunGraphStateType = typeof FlowRunGraphState.State;

/** Options of `createFlowRunGraph()`: the job options every graph takes. */
export type CreateFlowRunGraphParams = JobGraphParams;

/** A flow run as a job: started by `start_pipeline`, read by `get_pl_run`, killed by `kill_pipeline`. */
const FLOW_RUN_JOB: JobSpec<FlowRunGraphStateType, FlowStartBody, FlowRunBody> = {
  kind: "flow_run",
  noun: "Flow run",
  operation: "run_gumloop_flow",
  idOf: (state) => state.runId,
  schedule: FLOW_SCHEDULE,
  defaultDeadlineMs: 30 * 60_000,
  states: {
    running: FLOW_RUN_STATES.intermediate,
    done: ["DONE"],
    failed: ["FAILED"],
    cancelled: ["TERMINATED"],
  },
  validate: (state) => {
    const problem = checkId(state.savedItemId);
    const issues: ValidationIssue[] = problem ? [{ field: "savedItemId", message: problem }] : [];
    if (state.inputs !== undefined && (typeof state.inputs !== "object" || Array.isArray(state.inputs)))
      issues.push({ field: "inputs", message: "must be an object of input name -> value" });
    // Reserved names are refused here too, so that nothing is read for a call that can never be sent.
    else issues.push(...flowInputIssues(state.inputs ?? {}));
    return issues;
  },
  identity: (state) => ({ savedItemId: state.savedItemId, inputs: state.inputs ?? {} }),
  fresh: () => ({ runId: null, url: null, inputSchema: [], outputs: {}, log: [] }),
  start: {
    definition: ENDPOINTS.create_a_gumloop_flow_run,
    body: (state) => ({ saved_item_id: state.savedItemId, inputs: state.inputs }),
    accepted: (body) => ({
      state: "QUEUED",
      queuePosition: null,
      update: { runId: body.run_id, url: body.url ?? null },
    }),
    settle: (state, context) =>
      settleFromHistory(state.savedItemId, state.intent?.at ?? state.startedAt!, context),
  },
  read: {
    definition: ENDPOINTS.get_single_gumloop_run_by_id,
    body: (id) => ({ run_id: id }),
    view: (run) => ({
      state: run.state,
      queuePosition: null,
      update: { outputs: run.outputs ?? {}, log: [...(run.log ?? [])] },
    }),
  },
  cancel: {
    definition: ENDPOINTS.delete_a_gumloop_flow_run_by_id,
    body: (id) => ({ run_id: id }),
  },
};

/**
 * Builds the compiled flow-run graph.
 *
 * @example
 * ```ts
 * const graph = createFlowRunGraph({ client });
 * const out = await graph.invoke({ savedItemId: "flow_abc", inputs: { topic: "tides" } });
 * console.log(out.status, out.outputs);
 * ```
 */
export function createFlowRunGraph(params: CreateFlowRunGraphParams) {
  const runtime = jobRuntime(FLOW_RUN_JOB, params);

  // The flow's own inputs, read before the run is started, so a misspelt input name never starts a run.
  const getInputs = async (state: FlowRunGraphStateType, config: LangGraphRunnableConfig) => {
    const { client } = await runtime.bind(config, state);
    const { data } = await waitBeforeRetry(
      () =>
        client.call(
          ENDPOINTS.get_single_gumloop_automation_by_id,
          { saved_item_id: state.savedItemId },
          { signal: config.signal },
        ),
      nodeWaits(runtime, config, state),
    );
    const inputSchema = data.inputs ?? [];
    const issues = flowInputIssues(state.inputs, inputSchema);
    if (issues.length) throw new GumloopValidationError("run_gumloop_flow", issues);
    return { inputSchema };
  };

  return buildJobGraph(
    FlowRunGraphState,
    runtime,
    {
      prepare: "get_inputs",
      nodes: {
        get_inputs: {
          run: getInputs,
          retryPolicy: readPolicy(runtime),
          next: () => "record_intent",
          targets: ["record_intent"],
        },
      },
    },
    { name: params.name ?? "gumloop_flow_run", checkpointer: params.checkpointer },
  );
}
