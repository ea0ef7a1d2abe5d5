/**
 * Node-level retries for graph nodes that read from Gumloop (polls, artifact lists, downloads).
 *
 * LangGraph's RetryPolicy cannot read a server's delay (its `retryOn` is a boolean and its waits come from the
 * policy alone), so the node waits itself, by the package's one backoff rule (client/backoff.ts: the server's
 * hint, never less than our floor), and then rethrows; the policy, with a ~0 interval and no jitter, only decides
 * whether to run the node again. Starts are not retried this way: the job core loops through its own intent step
 * (job/start.ts), so that each attempt is checkpointed.
 */
import type { RetryPolicy } from "@langchain/langgraph";
import { backoffMs } from "../client/backoff.js";
import { APIConnectionError, GumloopError, InternalServerError, isRateLimitError } from "../client/errors.js";
import type { Clock, Sleep } from "../client/sleep.js";

/** How a graph node retries reads: attempts per node run, and the longest server-requested wait. */
export interface NodeRetryOptions {
  /** Attempts per node run, the first included. @default 20 */
  readonly maxAttempts?: number;
  /** Longest wait for one server hint; longer hints are cut to this. @default 60000 */
  readonly maxWaitMs?: number;
}

/** Default of {@link NodeRetryOptions.maxAttempts}. */
export const DEFAULT_NODE_ATTEMPTS = 20;
/** Default of {@link NodeRetryOptions.maxWaitMs}. */
export const DEFAULT_MAX_WAIT_MS = 60_000;

/** A job's deadline came while it was still waiting: the graph ends it as `timed_out`. */
export class DeadlineReachedError extends GumloopError {}

/** Transient failures a read may be repeated after (the client has already retried these a few times). */
export function isTransient(error: unknown): boolean {
  return error instanceof APIConnectionError || error instanceof InternalServerError;
}

/**
 * The RetryPolicy for a node. `safe` nodes (reads) are retried on 429, connection errors and 5xx; the others on
 * 429 only.
 */
export function gumloopRetryPolicy(safe: boolean, options: NodeRetryOptions = {}): RetryPolicy {
  return {
    maxAttempts: options.maxAttempts ?? DEFAULT_NODE_ATTEMPTS,
    initialInterval: 1,
    backoffFactor: 1,
    maxInterval: 1,
    jitter: false,
    // LangGraph's default logs every retry with console.log, error message included.
    logWarning: false,
    retryOn: (error: unknown) => isRateLimitError(error) || (safe && isTransient(error)),
  };
}

/** What a node run's waits need: its seams, its attempt, the job's deadline (see waitContext in common.ts). */
export interface WaitContext {
  readonly sleep: Sleep;
  readonly now: Clock;
  readonly random: () => number;
  readonly signal?: AbortSignal | undefined;
  /** 1-based attempt of this node run (`config.executionInfo.nodeAttempt`). */
  readonly attempt: number;
  readonly options?: NodeRetryOptions | undefined;
  /** The job's deadline (epoch ms): no wait runs past it; reaching it throws {@link DeadlineReachedError}. */
  readonly deadlineAt?: number | null | undefined;
}

/**
 * The wait after a refusal or a transient failure, by the one rule, cut to `maxWaitMs`: the server's hint when it
 * gave a positive one, else exponential backoff, never less than the floor.
 */
export function retryWaitMs(
  failures: number,
  error: unknown,
  random: () => number,
  options: NodeRetryOptions | undefined,
): number {
  const hint = isRateLimitError(error) ? error.retryAfterMs : null;
  return Math.min(backoffMs(failures, hint, random), options?.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
}

/**
 * Runs `call` (a read, safe to repeat); when it fails in a way the node's policy will retry, first waits by the
 * backoff rule, abortably and never past the job's deadline, then rethrows for the policy to run the node again.
 */
export async function waitBeforeRetry<T>(call: () => Promise<T>, context: WaitContext): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const maxAttempts = context.options?.maxAttempts ?? DEFAULT_NODE_ATTEMPTS;
    const retried = isRateLimitError(error) || isTransient(error);
    if (!retried || context.attempt >= maxAttempts) throw error;
    const wait = retryWaitMs(context.attempt, error, context.random, context.options);
    if (context.deadlineAt && context.now() + wait >= context.deadlineAt) {
      throw new DeadlineReachedError("The job's deadline passed while Gumloop kept refusing to answer", {
        cause: error,
      });
    }
    await context.sleep(wait, context.signal);
    throw error;
  }
}

/**
 * One read of a poll loop, waiting out a 429 as the server asks but never past the job's deadline: resolves to
 * `null` when the deadline would come first, so the loop ends the job as `timed_out` now, not after it.
 */
export async function pollRead<T>(read: () => Promise<T>, context: WaitContext): Promise<T | null> {
  try {
    return await waitBeforeRetry(read, context);
  } catch (error) {
    if (error instanceof DeadlineReachedError) return null;
    throw error;
  }
}

/**
 * A read (safe to repeat) retried in place, by the same rule, until it answers, fails for good, runs out of
 * attempts, or would wait past the deadline (then null). For steps that must not be re-run as a whole to retry
 * one read, such as a start that is settling whether it was sent.
 */
export async function readPatiently<T>(
  read: () => Promise<T>,
  context: Omit<WaitContext, "attempt">,
): Promise<T | null> {
  const maxAttempts = context.options?.maxAttempts ?? DEFAULT_NODE_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!(isRateLimitError(error) || isTransient(error)) || attempt >= maxAttempts) throw error;
      const wait = retryWaitMs(attempt, error, context.random, context.options);
      if (context.deadlineAt && context.now() + wait >= context.deadlineAt) return null;
      await context.sleep(wait, context.signal);
    }
  }
}
