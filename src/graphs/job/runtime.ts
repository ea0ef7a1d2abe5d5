/**
 * A job graph's resolved settings: the spec, the client, the seams, the schedule and deadlines, and the intents
 * this graph instance has armed. Built once per `create*Graph` call and shared by the core's nodes.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { GumloopClient } from "../../client/client.js";
import { GumloopError } from "../../client/errors.js";
import { seams, waitContext, type JobGraphParams, type Seams } from "../common.js";
import type { ConcurrencyGate } from "../gate/index.js";
import type { PollSchedule } from "../polling.js";
import { gumloopRetryPolicy, readPatiently, type NodeRetryOptions, type WaitContext } from "../retry.js";
import type { JobSpec, StartContext } from "./spec.js";
import type { JobState } from "./state.js";

export interface JobRuntime<S extends JobState> extends Seams {
  readonly spec: JobSpec<S>;
  readonly client: GumloopClient;
  readonly gate: ConcurrencyGate | undefined;
  readonly schedule: PollSchedule;
  readonly deadlineMs: number;
  readonly stepWindowMs: number;
  readonly cancelOnTimeout: boolean;
  readonly retry: NodeRetryOptions | undefined;
  /** Nonces of the start intents this graph instance wrote and has not sent yet (see job/start.ts). */
  readonly armed: Set<string>;
}

export function jobRuntime<S extends JobState>(spec: JobSpec<S>, params: JobGraphParams): JobRuntime<S> {
  const schedule = { ...spec.schedule, ...params.schedule };
  for (const [key, value] of Object.entries(schedule)) {
    if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value))
      throw new GumloopError(`schedule.${key} must be a finite number >= 0 (got ${String(value)})`);
  }
  return {
    ...seams(params),
    spec,
    client: params.client,
    gate: params.gate,
    schedule,
    deadlineMs: positive("deadlineMs", params.deadlineMs ?? spec.defaultDeadlineMs),
    stepWindowMs: params.stepWindowMs ?? 300_000,
    cancelOnTimeout: params.cancelOnTimeout ?? false,
    retry: params.retry,
    armed: new Set(),
  };
}

function positive(name: string, value: number): number {
  if (typeof value !== "number" || !(value > 0))
    throw new GumloopError(`${name} must be a positive number of milliseconds (got ${String(value)})`);
  return value;
}

/** The job's id, or null before the job exists. */
export function jobIdOf<S extends JobState>(runtime: JobRuntime<S>, state: S): string | null {
  return runtime.spec.idOf(state) || null;
}

/** The retry waits of one node run, bounded by the job's deadline. */
export function nodeWaits<S extends JobState>(
  runtime: JobRuntime<S>,
  config: LangGraphRunnableConfig,
  state: S,
): WaitContext {
  return waitContext(config, runtime, runtime.retry, state.deadlineAt);
}

/** What a spec's settle and recover steps get. */
export function startContext<S extends JobState>(
  runtime: JobRuntime<S>,
  config: LangGraphRunnableConfig,
  state: S,
): StartContext {
  return {
    client: runtime.client,
    signal: config.signal,
    read: (call) => readPatiently(call, nodeWaits(runtime, config, state)),
  };
}

/** The retry policy of the core's read nodes. */
export function readPolicy<S extends JobState>(runtime: JobRuntime<S>) {
  return gumloopRetryPolicy(true, runtime.retry);
}
