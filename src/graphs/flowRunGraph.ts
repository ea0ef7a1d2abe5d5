/**
 * The flow-run graph: get_inputs → start_flow_run → poll_flow_run ⟲.
 *
 * Inputs are checked against the flow's own schema (from `get_inputs`) before the run starts. `start_pipeline`
 * has no idempotency key: the run id is written to state the moment it is known, and a start whose answer was
 * lost (dropped connection, timeout, 500/502/504) ends as `outcome_unknown` instead of being sent again.
 */
import { Annotation, END, START, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { randomBytes } from "node:crypto";
import { GumloopValidationError, type ValidationIssue } from "../client/errors.js";
import { checkId } from "../client/route.js";
import type { FlowInput } from "../langchain/flowTool.js";
import { ENDPOINTS } from "../tools/index.js";
import { RESERVED_INPUT_NAMES } from "../tools/flows.js";
import { GRAPH_CONFIG, attemptOf, waitContext, emitProgress, seams, type JobGraphParams } from "./common.js";
import { FLOW_RUN_STATES, FLOW_SCHEDULE, pollDelayMs } from "./polling.js";
import { holdingSlot } from "./gate.js";
import { unknownStartOutcome } from "./outcome.js";
import {
  DeadlineReachedError,
  gumloopRetryPolicy,
  pollRead,
  startRetryOptions,
  waitBeforeRetry,
} from "./retry.js";

export type FlowRunStatus =
  "running" | "completed" | "failed" | "cancelled" | "timed_out" | "outcome_unknown";

interface RunBody {
  readonly state: string;
  readonly outputs?: Record<string, unknown> | null;
  readonly log?: readonly string[] | null;
  readonly created_ts?: string;
  readonly finished_ts?: string | null;
}

const replace = <T>(_previous: T, next: T) => next;

/** The gate key of a run: its slot key, or (for state saved without one) its run id. */
const slotKeyOf = (state: { slotKey: string | null; runId: string | null }) =>
  state.slotKey ?? state.runId ?? "";

/** State of the flow-run graph. Input: `{ savedItemId, inputs }`. */
export const FlowRunGraphState = Annotation.Root({
  savedItemId: Annotation<string>,
  /** Input name → value: text for the flow's named Input nodes; any JSON for a flow that declares none (webhook). */
  inputs: Annotation<Record<string, unknown>>({ reducer: replace, default: () => ({}) }),
  /** The flow's inputs, from `get_inputs`. */
  inputSchema: Annotation<FlowInput[]>({ reducer: replace, default: () => [] }),
  runId: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** Link to the run in Gumloop's UI. */
  url: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** Gumloop's run state: QUEUED, RUNNING, DONE, FAILED, TERMINATING, TERMINATED. */
  state: Annotation<string | null>({ reducer: replace, default: () => null }),
  status: Annotation<FlowRunStatus | null>({ reducer: replace, default: () => null }),
  outputs: Annotation<Record<string, unknown>>({ reducer: replace, default: () => ({}) }),
  log: Annotation<string[]>({ reducer: replace, default: () => [] }),
  polls: Annotation<number>({ reducer: replace, default: () => 0 }),
  startedAt: Annotation<number | null>({ reducer: replace, default: () => null }),
  deadlineAt: Annotation<number | null>({ reducer: replace, default: () => null }),
  killRequested: Annotation<boolean>({ reducer: replace, default: () => false }),
  /** Gate key held while the run occupies a concurrency slot. */
  slotKey: Annotation<string | null>({ reducer: replace, default: () => null }),
  error: Annotation<string | null>({ reducer: replace, default: () => null }),
});

export type FlowRunGraphStateType = typeof FlowRunGraphState.State;

export interface CreateFlowRunGraphParams extends JobGraphParams {
  /** Kill the run when the deadline passes. @default false */
  killOnTimeout?: boolean;
}

/**
 * Problems with `inputs` against the flow's schema. Reserved names are always refused. A flow that declares named
 * inputs gets only those, as strings (their data types are `string` and `file`), so a misspelt name is an error
 * rather than a value Gumloop silently drops. A flow that declares none takes any inputs: Gumloop forwards the whole
 * body to a Webhook Input node, whose fields `get_inputs` does not list.
 */
export function checkFlowInputs(
  inputs: Record<string, unknown>,
  schema: readonly FlowInput[],
): ValidationIssue[] {
  const known = new Map(schema.map((input) => [input.name, input]));
  const issues: ValidationIssue[] = [];
  for (const [name, value] of Object.entries(inputs ?? {})) {
    if ((RESERVED_INPUT_NAMES as readonly string[]).includes(name)) {
      issues.push({ field: `inputs.${name}`, message: "is a name Gumloop reserves" });
    } else if (known.size === 0) {
      continue;
    } else if (!known.has(name)) {
      const valid = [...known.keys()].join(", ");
      issues.push({
        field: `inputs.${name}`,
        message: `is not an input of this flow; its inputs are: ${valid}`,
      });
    } else if (typeof value !== "string") {
      issues.push({
        field: `inputs.${name}`,
        message: `must be a string (${known.get(name)!.data_type} input)`,
      });
    }
  }
  return issues;
}

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
  const { client, gate } = params;
  const { sleep, now, random } = seams(params);
  const schedule = { ...FLOW_SCHEDULE, ...params.schedule };
  const deadlineMs = params.deadlineMs ?? 30 * 60_000;
  const stepWindowMs = params.stepWindowMs ?? 300_000;
  const retry = params.retry;
  const safePolicy = gumloopRetryPolicy(true, retry);
  const startRetry = startRetryOptions(retry);

  const getInputs = async (state: FlowRunGraphStateType, config: LangGraphRunnableConfig) => {
    const problem = checkId(state.savedItemId);
    if (problem)
      throw new GumloopValidationError("run_gumloop_flow", [{ field: "savedItemId", message: problem }]);
    const { data } = await waitBeforeRetry(
      () =>
        client.call<{ inputs?: FlowInput[] }>(
          ENDPOINTS.get_single_gumloop_automation_by_id,
          { saved_item_id: state.savedItemId },
          { signal: config.signal },
        ),
      { safe: true, sleep, signal: config.signal, attempt: attemptOf(config), options: retry },
    );
    const inputSchema = data.inputs ?? [];
    const issues = checkFlowInputs(state.inputs, inputSchema);
    if (issues.length) throw new GumloopValidationError("run_gumloop_flow", issues);
    const startedAt = state.startedAt ?? now();
    return {
      inputSchema,
      slotKey: state.slotKey ?? `flow_${randomBytes(8).toString("hex")}`,
      startedAt,
      deadlineAt: state.deadlineAt ?? startedAt + deadlineMs,
    };
  };

  const startFlowRun = async (state: FlowRunGraphStateType, config: LangGraphRunnableConfig) => {
    if (state.runId) return {};
    const slotKey = state.slotKey!;
    const definition = ENDPOINTS.create_a_gumloop_flow_run;
    try {
      await gate?.acquire(slotKey, config.signal, { at: state.deadlineAt!, now, sleep });
      const { data } = await waitBeforeRetry(
        () =>
          client.call<{ run_id: string; url?: string }>(
            definition,
            { saved_item_id: state.savedItemId, inputs: state.inputs },
            { signal: config.signal },
          ),
        { safe: false, ...waitContext(config, { sleep, now }, startRetry, state.deadlineAt) },
      );
      return { runId: data.run_id, url: data.url ?? null, state: "QUEUED", status: "running" as const };
    } catch (error) {
      // A run that may have started is not tracked (there is no run id to poll), so its slot is given back too.
      gate?.release(slotKey);
      if (error instanceof DeadlineReachedError)
        return { status: "timed_out" as const, error: error.message };
      const unknown = unknownStartOutcome(error, definition);
      if (unknown === null) throw error;
      return { status: "outcome_unknown" as const, error: unknown };
    }
  };

  const pollFlowRun = (state: FlowRunGraphStateType, config: LangGraphRunnableConfig) =>
    // The run holds a slot while this node runs; a checkpoint resumed in a new process claims it here.
    holdingSlot(gate, slotKeyOf(state), { policy: safePolicy, attempt: attemptOf(config) }, () =>
      pollUntilDone(state, config),
    );

  const pollUntilDone = async (state: FlowRunGraphStateType, config: LangGraphRunnableConfig) => {
    let run: RunBody = { state: state.state ?? "QUEUED", outputs: state.outputs, log: state.log };
    let polls = state.polls;
    let killRequested = state.killRequested;
    const windowStart = now();
    const finish = (status: FlowRunStatus) => {
      gate?.release(slotKeyOf(state));
      return {
        state: run.state,
        polls,
        killRequested,
        status,
        outputs: run.outputs ?? {},
        log: [...(run.log ?? [])],
        error: status === "failed" ? `Flow run ${state.runId} failed` : null,
      };
    };
    const timeOut = async () => {
      if (params.killOnTimeout && !killRequested) {
        await client.call(
          ENDPOINTS.delete_a_gumloop_flow_run_by_id,
          { run_id: state.runId },
          { signal: config.signal },
        );
        killRequested = true;
      }
      return finish("timed_out");
    };
    while (!(FLOW_RUN_STATES.terminal as readonly string[]).includes(run.state)) {
      const remaining = state.deadlineAt! - now();
      if (remaining <= 0) return timeOut();
      if (polls > state.polls && now() - windowStart >= stepWindowMs)
        return { state: run.state, polls, killRequested };
      await sleep(
        Math.min(pollDelayMs(schedule, polls + 1, null, random, (gate?.waiting ?? 0) > 0), remaining),
        config.signal,
      );
      const read = await pollRead(
        () =>
          client.call<RunBody>(
            ENDPOINTS.get_single_gumloop_run_by_id,
            { run_id: state.runId },
            { signal: config.signal },
          ),
        waitContext(config, { sleep, now }, retry, state.deadlineAt),
      );
      if (read === null) return timeOut();
      run = read.data;
      polls += 1;
      emitProgress(config, {
        job: "flow_run",
        id: state.runId!,
        state: run.state,
        polls,
        queuePosition: null,
        elapsedMs: now() - state.startedAt!,
      });
    }
    return finish(run.state === "DONE" ? "completed" : run.state === "TERMINATED" ? "cancelled" : "failed");
  };

  const graph = new StateGraph(FlowRunGraphState)
    .addNode("get_inputs", getInputs, { retryPolicy: safePolicy })
    .addNode("start_flow_run", startFlowRun, { retryPolicy: gumloopRetryPolicy(false, startRetry) })
    .addNode("poll_flow_run", pollFlowRun, { retryPolicy: safePolicy })
    .addEdge(START, "get_inputs")
    .addEdge("get_inputs", "start_flow_run")
    .addConditionalEdges("start_flow_run", (state) => (state.status === "running" ? "poll_flow_run" : END), [
      "poll_flow_run",
      END,
    ])
    .addConditionalEdges("poll_flow_run", (state) => (state.status === "running" ? "poll_flow_run" : END), [
      "poll_flow_run",
      END,
    ]);

  return graph
    .compile({ checkpointer: params.checkpointer, name: params.name ?? "gumloop_flow_run" })
    .withConfig(GRAPH_CONFIG);
}
