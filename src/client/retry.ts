/**
 * The client's retry rules, as pure functions.
 *
 * Only calls that are safe to repeat are retried: reads, and writes marked idempotent. They are retried on
 * connection errors, timeouts, 408 and 5xx, by the one backoff rule (backoff.ts): the server's delay when it gives
 * one, else capped exponential backoff with jitter, and never less than the rule's floor. A call that may have started work (start a flow, send a message, export, upload) is
 * never repeated, except when it provably never reached the server (connection refused, DNS failure).
 * 429 is not retried here unless the caller opts in: graph nodes and callers decide, with the wait in hand.
 */
import { backoffMs, usableHint } from "./backoff.js";
import type { RateLimitInfo } from "./rateLimit.js";
import { ConnectionNotMadeError } from "./transport.js";

/**
 * Error codes that can only happen before a connection exists (refused, DNS): repeating them cannot do work twice.
 * Not ENETUNREACH / EHOSTUNREACH: on Linux an ICMP unreachable can also fail a connection already in use, after
 * the request was written. Those count as never sent only when the transport saw that no connection was made.
 */
const PRE_CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** The error code of a failed fetch (`TypeError: fetch failed` with a `cause.code`). */
export function connectionErrorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * True when the request provably never reached the server: the transport saw no connection made, or (for a
 * transport that cannot tell, such as an injected fetch) the error code is one only a connection attempt gives.
 */
export function neverSent(error: unknown): boolean {
  if (error instanceof ConnectionNotMadeError) return true;
  const code = connectionErrorCode(error);
  return code !== null && PRE_CONNECT_CODES.has(code);
}

/** Statuses a safe call is retried on (429 only with `retryOnRateLimit`). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status >= 500;
}

/** How a call may be retried after an HTTP error status. */
export interface StatusRetryPolicy {
  /** Safe to repeat (a read, idempotent, or carrying its idempotency key). */
  readonly safe: boolean;
  readonly retryOnRateLimit: boolean;
  readonly maxHintMs: number;
  readonly random: () => number;
}

/** The wait before retry number `retry` (0-based) after `status`, or null when the status is not retried. */
export function statusRetryDelayMs(
  status: number,
  rateLimit: RateLimitInfo,
  retry: number,
  policy: StatusRetryPolicy,
): number | null {
  if (status === 429 && policy.retryOnRateLimit) {
    const hint = rateLimit.retryAfterMs ?? rateLimit.resetMs;
    return retryDelayMs(retry, hint, policy.maxHintMs, policy.random);
  }
  if (policy.safe && isRetryableStatus(status))
    return retryDelayMs(retry, rateLimit.retryAfterMs, policy.maxHintMs, policy.random);
  return null;
}

/**
 * The wait before retry number `retry` (0-based), by the package's one backoff rule (backoff.ts): the server's
 * hint when it gave a positive one (never sooner than asked), else 1 s, 2 s, 4 s … jittered, and never below the
 * 1 s floor, so a `Retry-After: 0` cannot make the retries a burst. Null when the server asks for longer than
 * `maxHintMs`: then we do not wait, we surface the error.
 */
export function retryDelayMs(
  retry: number,
  serverHintMs: number | null,
  maxHintMs: number,
  random: () => number = Math.random,
): number | null {
  if (usableHint(serverHintMs) && serverHintMs > maxHintMs) return null;
  return backoffMs(retry + 1, serverHintMs, random);
}
