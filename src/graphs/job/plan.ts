/**
 * The plan step: checks the input, decides whether this invocation is a new job or the thread's existing one,
 * and fixes the deadline. It sends nothing.
 *
 * A thread holds one job at a time. Invoked with the input its job was started for, it carries on with that job
 * (a finished one is returned as it stands, with no request; a timed-out one is waited for again). Invoked with a
 * different input, it starts a new job if the old one is finished, and refuses while the old one is still in
 * flight, rather than ever answering the new input with the old job's result. (LangGraph writes an invocation's
 * input into the thread before any step runs, so after a refusal the way back to the old job is to invoke with
 * its input again, not `invoke(null)`.) `restart: true` starts a new job
 * regardless: the caller's explicit say-so, e.g. after `outcome_unknown`.
 */
import { createHash, randomBytes } from "node:crypto";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { GumloopError, GumloopValidationError } from "../../client/errors.js";
import { jobIdOf, type JobRuntime } from "./runtime.js";
import { FINISHED_STATUSES, type JobState } from "./state.js";

/** JSON with object keys sorted, so that equal values have one text whatever order their keys came in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (!item || typeof item !== "object" || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) {
      Object.defineProperty(sorted, key, {
        value: (item as Record<string, unknown>)[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return sorted;
  });
}

/** A short fingerprint of what a job is for. */
export function fingerprint(kind: string, identity: unknown): string {
  return createHash("sha256")
    .update(`${kind}\u0000${canonicalJson(identity) ?? "null"}`)
    .digest("hex")
    .slice(0, 32);
}

export function planNode<S extends JobState>(
  runtime: JobRuntime<S>,
  preflight?: (config: LangGraphRunnableConfig) => void,
) {
  const { spec, now } = runtime;
  return async (state: S, config: LangGraphRunnableConfig): Promise<Partial<JobState>> => {
    preflight?.(config);
    const issues = spec.validate(state);
    if (issues.length) throw new GumloopValidationError(spec.operation, issues);
    // The run's account (a pool's end user): checked against the thread's job, recorded for a new one.
    const { account } = await runtime.bind(config, state);
    const jobKey = fingerprint(spec.kind, spec.identity(state));
    if (!state.restart && state.jobKey !== null) {
      if (state.jobKey === jobKey) return sameJob(state);
      const id = jobIdOf(runtime, state);
      // A job that never got as far as a start request can simply be replaced.
      const inFlight = id !== null || state.intent !== null;
      if (inFlight && !FINISHED_STATUSES.includes(state.status ?? "running")) {
        throw new GumloopError(
          `This thread's ${spec.noun.toLowerCase()}${id ? ` (${id})` : ""} is still ` +
            `${state.status ?? "starting"} for another input. To carry on with it, invoke the thread with that ` +
            `input again (nothing new is started); for this input, use a new thread_id, or pass restart: true to ` +
            `start it here anyway.`,
        );
      }
    }
    const startedAt = now();
    return {
      // A new job: every shared key reset, then the graph's own keys for a new job (its id cleared).
      status: "running",
      state: null,
      polls: 0,
      queuePosition: null,
      startedAt,
      deadlineAt: startedAt + runtime.deadlineMs,
      cancelRequested: false,
      error: null,
      restart: false,
      jobKey,
      intent: null,
      retryAt: null,
      startAttempts: [],
      startRefusals: 0,
      slotKey: `${spec.kind}_${randomBytes(8).toString("hex")}`,
      account,
      ...spec.fresh(state),
    } as Partial<JobState>;
  };

  /** The thread's own job again: nothing to start. A timed-out wait, not cancelled, is simply resumed. */
  function sameJob(state: S): Partial<JobState> {
    if (state.status === "timed_out" && jobIdOf(runtime, state) && !state.cancelRequested) {
      return { status: "running", error: null, deadlineAt: now() + runtime.deadlineMs };
    }
    return {};
  }
}
