/**
 * Node-level retries for graph nodes that call Gumloop.
 *
 * LangGraph's RetryPolicy cannot read a server's delay (its `retryOn` is a boolean and its waits come from the
 * policy alone), so the node waits for the server's `Retry-After` / rate-limit reset itself and then rethrows;
 * the policy, with a ~0 interval and no jitter, only decides whether to run the node again. Nodes that may have
 * started work are only retried on 429 (the request was refused, nothing happened).
 */
import type { RetryPolicy } from "@langchain/langgraph";
import { APIConnectionError, GumloopError, InternalServerError, isRateLimitError } from "../client/errors.js";
import type { Sleep } from "../client/sleep.js";

export interface NodeRetryOptions {
  /** Attempts per node run, the first included. @default 20 */
  readonly maxAttempts?: number;
  /** Longest wait for one server hint; longer hints are cut to this. @default 60000 */
  readonly maxWaitMs?: number;
}

/** A job's deadline came while it was still waiting to start: the graph ends it as `timed_out`. */
export class DeadlineReachedError extends GumloopError {}

/**
 * Retry settings for a node that starts a job: a refused start (429) is tried again until the job's deadline,
 * not for a fixed number of attempts, because under Gumloop's concurrency limit a slot may take a while.
 */
export function startRetryOptions(options: NodeRetryOptions = {}): NodeRetryOptions {
  return { ...options, maxAttempts: options.maxAttempts ?? 100_000 };
}

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
    maxAttempts: options.maxAttempts ?? 20,
    initialInterval: 1,
    backoffFactor: 1,
    maxInterval: 1,
    jitter: false,
    // LangGraph's default logs every retry with console.log, error message included.
    logWarning: false,
    retryOn: (error: unknown) => isRateLimitError(error) || (safe && isTransient(error)),
  };
}

/**
 * Runs `call`; when it fails in a way the node's policy will retry, first waits as long as the server asked (or
 * a capped backoff when it did not say), abortably, then rethrows.
 */
export async function waitBeforeRetry<T>(
  call: () => Promise<T>,
  context: {
    readonly safe: boolean;
    readonly sleep: Sleep;
    readonly signal?: AbortSignal | undefined;
    /** 1-based attempt of this node run (`config.executionInfo.nodeAttempt`). */
    readonly attempt: number;
    readonly options?: NodeRetryOptions;
    /** The job's deadline (epoch ms): no wait runs past it; reaching it throws {@link DeadlineReachedError}. */
    readonly deadlineAt?: number | null | undefined;
    readonly now?: () => number;
  },
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const maxAttempts = context.options?.maxAttempts ?? 20;
    const retried = isRateLimitError(error) || (context.safe && isTransient(error));
    if (!retried || context.attempt >= maxAttempts) throw error;
    const hint = isRateLimitError(error) ? error.retryAfterMs : null;
    // Without a hint, back off per attempt: 1 s, 2 s, 4 s ... up to 30 s (a concurrency slot frees when a job ends).
    const fallback = Math.min(1_000 * 2 ** (context.attempt - 1), 30_000) * (0.8 + 0.4 * Math.random());
    const wait = Math.min(hint ?? fallback, context.options?.maxWaitMs ?? 60_000);
    if (context.deadlineAt && context.now && context.now() + wait >= context.deadlineAt) {
      throw new DeadlineReachedError("The job's deadline passed while Gumloop kept refusing it (429)", {
        cause: error,
      });
    }
    await context.sleep(Math.round(wait), context.signal);
    throw error;
  }
}

/** What a node run's waits need: its seams, its attempt, the job's deadline (see waitContext in common.ts). */
export interface WaitContext {
  readonly sleep: Sleep;
  readonly signal?: AbortSignal | undefined;
  readonly attempt: number;
  readonly options?: NodeRetryOptions | undefined;
  readonly deadlineAt: number | null;
  readonly now: () => number;
}

/**
 * One read of a poll loop (safe to repeat), waiting out a 429 as the server asks but never past the job's deadline:
 * resolves to `null` when the deadline would come first, so the loop ends the job as `timed_out` now, not after it.
 */
export async function pollRead<T>(read: () => Promise<T>, context: WaitContext): Promise<T | null> {
  try {
    return await waitBeforeRetry(read, { safe: true, ...context });
  } catch (error) {
    if (error instanceof DeadlineReachedError) return null;
    throw error;
  }
}
