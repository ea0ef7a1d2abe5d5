/** Options and helpers the three job graphs share. */
import type { BaseCheckpointSaver, LangGraphRunnableConfig } from "@langchain/langgraph";
import { GumloopClient } from "../client/client.js";
import type { GumloopClientPool } from "../client/clientPool.js";
import type { DownloadOptions } from "../client/download.js";
import { realClock, realSleep, type Clock, type Sleep } from "../client/sleep.js";
import type { ConcurrencyGate } from "./gate/index.js";
import type { GumloopProgressEvent, PollSchedule } from "./polling.js";
import type { NodeRetryOptions, WaitContext } from "./retry.js";

/** What every job graph takes: the client, a checkpointer, deadline, schedule, retries, gate and seams. */
export interface JobGraphParams {
  /**
   * The client every node calls Gumloop through; or, for an app serving many end users, a pool that gives each run
   * the client of its own user (from the run's context, see GumloopClientPool). A job stays with the account it
   * started under: a resumed run whose credentials name another account is refused.
   */
  client: GumloopClient | GumloopClientPool;
  /**
   * Where state is saved after every step, for resume (`invoke(null, { configurable: { thread_id } })`) and
   * approval interrupts: `new MemorySaver()` in-process, `SqliteSaver` for a durable local store, any LangGraph
   * saver (e.g. Postgres) for several workers. Needs a `thread_id` per run. @default none (or the parent graph's)
   */
  checkpointer?: BaseCheckpointSaver | boolean;
  /** Graph name. */
  name?: string;
  /** Poll schedule overrides. */
  schedule?: Partial<PollSchedule>;
  /**
   * Give up waiting after this long; the graph then ends with status `timed_out` (the job may still be running on
   * Gumloop: invoke the thread again with the same input to wait again). @default per job: sessions 10 min, flow
   * runs 10 min, exports 60 min
   */
  deadlineMs?: number;
  /**
   * Cancel the session or kill the flow run when the deadline passes. Exports cannot be cancelled (Gumloop offers
   * no call for it), so this has no effect on them. @default false
   */
  cancelOnTimeout?: boolean;
  /** Longest stretch of polling in one graph step (one checkpoint). @default 300000 */
  stepWindowMs?: number;
  /** Node retry settings for 429s and transient errors. */
  retry?: NodeRetryOptions;
  /** Shared gate that keeps this process within the account's concurrency slots. */
  gate?: ConcurrencyGate;
  /** Sleep between polls (test seam: a virtual clock's sleep). @default the client's sleep */
  sleep?: Sleep;
  /** Clock (test seam). @default the client's clock */
  now?: Clock;
  /** Random source for jitter (test seam). @default Math.random */
  random?: () => number;
}

/** Seams with their defaults filled in. */
export interface Seams {
  readonly sleep: Sleep;
  readonly now: Clock;
  readonly random: () => number;
}

export function seams(params: JobGraphParams): Seams {
  return {
    // A graph waits on the same clock as its client unless told otherwise (tests give the client a virtual one).
    sleep: params.sleep ?? (params.client instanceof GumloopClient ? params.client.sleep : realSleep),
    now: params.now ?? (params.client instanceof GumloopClient ? params.client.now : realClock),
    random: params.random ?? Math.random,
  };
}

/** The node attempt number LangGraph passes to a retried node (1 on the first run). */
export function attemptOf(config: LangGraphRunnableConfig): number {
  return config.executionInfo?.nodeAttempt ?? 1;
}

/**
 * The context of a node run's retry waits (a start's 429s, a poll's reads): the graph's seams, this attempt, and
 * the job's deadline, which no wait may pass.
 */
export function waitContext(
  config: LangGraphRunnableConfig,
  clock: Seams,
  options: NodeRetryOptions | undefined,
  deadlineAt: number | null,
): WaitContext {
  return {
    sleep: clock.sleep,
    now: clock.now,
    random: clock.random,
    signal: config.signal,
    attempt: attemptOf(config),
    options,
    deadlineAt,
  };
}

/** Emits a progress event on the custom stream, if anyone is listening. */
export function emitProgress(
  config: LangGraphRunnableConfig,
  event: Omit<GumloopProgressEvent, "kind">,
): void {
  config.writer?.({ kind: "gumloop_progress", ...event } satisfies GumloopProgressEvent);
}

/** Compiles with the shared settings: a generous recursion limit and synchronous checkpoints. */
export const GRAPH_CONFIG = {
  // Each poll window is one step; a long job must not hit LangGraph's default limit of 25 steps.
  recursionLimit: 10_000,
  // The step that records a job's id must be saved before the step that creates the job runs.
  durability: "sync",
} as const;

/** Download settings for signed URLs: Gumloop's storage host, plus whatever the caller allows. */
export type GraphDownloadOptions = Omit<DownloadOptions, "signal" | "operation">;
