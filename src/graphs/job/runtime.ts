/**
 * A job graph's resolved settings: the spec, the client, the seams, the schedule and deadlines, and the intents
 * this graph instance has armed. Built once per `create*Graph` call and shared by the core's nodes.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { GumloopClient } from "../../client/client.js";
import type { GumloopClientPool } from "../../client/clientPool.js";
import { GumloopError } from "../../client/errors.js";
import { seams, waitContext, type JobGraphParams, type Seams } from "../common.js";
import type { ConcurrencyGate } from "../gate/index.js";
import type { PollSchedule } from "../polling.js";
import { gumloopRetryPolicy, readPatiently, type NodeRetryOptions, type WaitContext } from "../retry.js";
import type { JobSpec, StartContext } from "./spec.js";
import type { JobState } from "./state.js";

/** The client and gate slot of one run: its end user's, when the graph serves many. */
export interface Bound {
  readonly client: GumloopClient;
  readonly gate: ConcurrencyGate | undefined;
  /** The account the run's credentials name (a pool's), or null for a graph with one client. */
  readonly account: string | null;
}

export interface JobRuntime<S extends JobState> extends Seams {
  readonly spec: JobSpec<S>;
  /** The run's client and gate; refuses a run whose account is not the one the thread's job started under. */
  bind(config: LangGraphRunnableConfig, state: S): Promise<Bound>;
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
  const { client, gate } = params;
  const bind = async (config: LangGraphRunnableConfig, state: S): Promise<Bound> => {
    if (client instanceof GumloopClient) return { client, gate, account: null };
    const run = await (client as GumloopClientPool).clientFor(config);
    if (state.account !== null && state.account !== run.account) {
      throw new GumloopError(
        `This thread's ${spec.noun.toLowerCase()} belongs to another Gumloop account than this run's ` +
          "credentials. Resume it with the credentials it started with, or use a new thread_id.",
      );
    }
    return { client: run.client, gate: gate?.forAccount(run.account), account: run.account };
  };
  return {
    ...seams(params),
    spec,
    bind,
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
  client: GumloopClient,
): StartContext {
  return {
    client,
    signal: config.signal,
    read: (call) => readPatiently(call, nodeWaits(runtime, config, state)),
  };
}

/** The retry policy of the core's read nodes. */
export function readPolicy<S extends JobState>(runtime: JobRuntime<S>) {
  return gumloopRetryPolicy(true, runtime.retry);
}
