/**
 * A middleware for LangChain's `createAgent` that gives Gumloop tool calls the tool node's retry rules.
 * `createAgent` builds its own ToolNode, which hands a tool's error to the model with "Please fix your mistakes."
 * and no wait: a 429 then costs a model turn and comes straight back. Here a call is retried in place instead,
 * inside `wrapToolCall`, by the package's one backoff rule (the server's wait when it gives one, never less than
 * the floor), a bounded number of times; only when that fails does the model read the error.
 *
 * Nothing is ever done twice: only calls that are one Gumloop request are repeated, and only after a 429 (the
 * request was refused, not processed) or a transient failure the client has already judged safe to repeat (a read,
 * or a write that never reached Gumloop or was refused unhandled). A write that may have taken effect ends as
 * OutcomeUnknownError, which is never repeated: the model is told what to check before trying again. A composite
 * tool (a whole job) is never repeated here: its graph waits out 429s itself, and a failure may come after its
 * job started.
 */
import { ToolMessage } from "@langchain/core/messages";
import type { ToolCall } from "@langchain/core/messages/tool";
import { isGraphBubbleUp } from "@langchain/langgraph";
import { createMiddleware, ToolInvocationError, type AgentMiddleware } from "langchain";
import { BACKOFF, usableHint } from "../client/backoff.js";
import { GumloopError, OutcomeUnknownError, isRateLimitError } from "../client/errors.js";
import { realSleep, type Sleep } from "../client/sleep.js";
import { DEFAULT_MAX_WAIT_MS, DEFAULT_NODE_ATTEMPTS, isTransient, retryWaitMs } from "../graphs/retry.js";
import { toolKindOf } from "./toolKinds.js";

/** Options of {@link gumloopToolRetryMiddleware}: attempts, the longest wait, and test seams. */
export interface GumloopToolRetryOptions {
  /** Attempts per tool call, the first included. @default 20 */
  readonly maxAttempts?: number;
  /**
   * Longest wait before one retry, ms. A server that asks for a longer wait is not retried early: the model is
   * told how long Gumloop asked it to wait. @default 60000
   */
  readonly maxWaitMs?: number;
  /** Sleep between attempts (test seam: a virtual clock's sleep). @default real time, abortable */
  readonly sleep?: Sleep;
  /** Random source for the backoff's jitter (test seam). @default Math.random */
  readonly random?: () => number;
}

/** What the model reads for a Gumloop tool call that failed for good, and why it was not (or no longer) retried. */
function errorText(error: unknown, attempts: number, waitedMs: number, tooLongMs: number | null): string {
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof OutcomeUnknownError)
    return `Error: ${message}\n Do not repeat this call before checking.`;
  if (tooLongMs !== null) {
    return (
      `Error: ${message}\n Gumloop asked to wait ${Math.ceil(tooLongMs / 1000)} s before trying again; ` +
      "nothing was done. Do something else first, or try again after that."
    );
  }
  if (attempts > 1 && isRateLimitError(error)) {
    return (
      `Error: ${message}\n Gumloop refused this call ${attempts} times over ${Math.round(waitedMs / 1000)} s ` +
      "(rate limited); nothing was done. Try again later."
    );
  }
  if (attempts > 1 && isTransient(error)) {
    return (
      `Error: ${message}\n Gumloop did not answer this call through ${attempts} attempts over ` +
      `${Math.round(waitedMs / 1000)} s; it was not done. Try again later.`
    );
  }
  return `Error: ${message}\n Please fix your mistakes.`;
}

function errorMessage(call: ToolCall, content: string): ToolMessage {
  return new ToolMessage({ status: "error", content, name: call.name, tool_call_id: call.id ?? "" });
}

function checkOptions(maxAttempts: number, maxWaitMs: number): void {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new GumloopError(`maxAttempts must be an integer >= 1 (got ${String(maxAttempts)})`);
  // Below the floor, a cut wait would come back sooner than the backoff rule allows.
  if (!(maxWaitMs >= BACKOFF.floorMs))
    throw new GumloopError(`maxWaitMs must be at least ${BACKOFF.floorMs} ms (got ${String(maxWaitMs)})`);
}

/**
 * A `createAgent` middleware that retries Gumloop tool calls refused with 429, or failed transiently, in place:
 * it waits as the server asks (never less than the one backoff rule's 1 s floor, jittered), up to `maxAttempts`
 * per call, then hands the model an error that says what happened. A call that may have taken effect
 * (OutcomeUnknownError) is never repeated, and the model is told to check first (the message names the read that
 * tells). Composite tools (whole jobs) are not retried here, their graphs wait themselves; tools that are not
 * Gumloop's run untouched, and their errors reach the model as `createAgent` gives them without middleware.
 * List it before other `wrapToolCall` middleware (outermost) when theirs should see other tools' errors first.
 *
 * @example
 * ```ts
 * const agent = createAgent({ model, tools, middleware: [gumloopToolRetryMiddleware()] });
 * ```
 */
export function gumloopToolRetryMiddleware(options: GumloopToolRetryOptions = {}): AgentMiddleware {
  const maxAttempts = options.maxAttempts ?? DEFAULT_NODE_ATTEMPTS;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  checkOptions(maxAttempts, maxWaitMs);
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;

  return createMiddleware({
    name: "GumloopToolRetryMiddleware",
    wrapToolCall: async (request, handler) => {
      const kind = toolKindOf(request.tool);
      const signal = request.runtime.signal;
      let waitedMs = 0;
      for (let attempt = 1; ; attempt++) {
        try {
          return await handler(request);
        } catch (error) {
          // Interrupts and aborts belong to the graph; LangChain words its own input-parsing errors.
          if (isGraphBubbleUp(error) || signal?.aborted || ToolInvocationError.isInstance(error)) throw error;
          // As createAgent words a failed tool without middleware (it would raise an error from a middleware).
          if (kind === "other")
            return errorMessage(request.toolCall, `${String(error)}\n Please fix your mistakes.`);
          const retried = kind === "call" && (isRateLimitError(error) || isTransient(error));
          const hint = isRateLimitError(error) ? error.retryAfterMs : null;
          const tooLong = retried && usableHint(hint) && hint > maxWaitMs ? hint : null;
          if (!retried || tooLong !== null || attempt >= maxAttempts) {
            return errorMessage(request.toolCall, errorText(error, attempt, waitedMs, tooLong));
          }
          const wait = retryWaitMs(attempt, error, random, { maxWaitMs });
          await sleep(wait, signal);
          waitedMs += wait;
        }
      }
    },
  });
}
