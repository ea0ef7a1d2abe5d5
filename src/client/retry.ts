/**
 * The client's retry rules, as pure functions.
 *
 * Only calls that are safe to repeat are retried: reads, and writes marked idempotent. They are retried on
 * connection errors, timeouts, 408 and 5xx, with capped exponential backoff and jitter, or after the server's
 * delay when it gives one. A call that may have started work (start a flow, send a message, export, upload) is
 * never repeated, except when it provably never reached the server (connection refused, DNS failure).
 * 429 is not retried here unless the caller opts in: graph nodes and callers decide, with the wait in hand.
 */

/** Connection failures that happen before any byte reaches the server: repeating them cannot do work twice. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

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

/** True when the request provably never reached the server. */
export function neverSent(error: unknown): boolean {
  const code = connectionErrorCode(error);
  return code !== null && NEVER_SENT_CODES.has(code);
}

/** Statuses a safe call is retried on (429 only with `retryOnRateLimit`). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status >= 500;
}

/**
 * Backoff before retry number `retry` (0-based): `min(500 ms · 2^retry, 8 s) · (1 − 0.25·random)`, the
 * Stainless (openai-node, anthropic) schedule.
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** retry, 8_000);
  return Math.round(base * (1 - 0.25 * random()));
}

/**
 * The wait before the next attempt: the server's hint when it gave a plausible one (0..maxHintMs), else backoff.
 * Returns null when the server asks for longer than `maxHintMs`: then we do not wait, we surface the error.
 */
export function retryDelayMs(
  retry: number,
  serverHintMs: number | null,
  maxHintMs: number,
  random: () => number = Math.random,
): number | null {
  if (serverHintMs !== null) return serverHintMs <= maxHintMs ? serverHintMs : null;
  return backoffMs(retry, random);
}
