/**
 * The one backoff rule. The client's retries, the graphs' start and poll retries and the tool node all wait by it,
 * so a zero or missing hint means the same thing everywhere.
 *
 * - The server's hint, when it is a positive number of milliseconds, is honoured: we never come back sooner than
 *   asked. It is stretched upwards by up to `jitter` so that jobs refused together do not return together, and it
 *   is never shorter than the floor.
 * - Without a usable hint (absent, zero, negative, NaN, or an HTTP-date in the past, which the parser turns into
 *   0), the wait grows exponentially from `baseMs` to `capMs`, jittered both ways, and again never below the floor.
 *
 * With the defaults (floor 1 s) a run of refusals can never send more than one request per second per caller,
 * whatever the server says: `Retry-After: 0` is a hint to retry soon, not a licence for a hot loop.
 */

/** The rule's constants. */
export interface BackoffRule {
  /** No wait is shorter than this, ms. */
  readonly floorMs: number;
  /** First wait without a hint, ms. */
  readonly baseMs: number;
  /** Longest wait without a hint, ms (a server's hint may be longer). */
  readonly capMs: number;
  /** Relative jitter: 0.2 = hint ×[1, 1.2]; no hint ×[0.8, 1.2]. */
  readonly jitter: number;
}

/** The defaults: 1 s floor; 1 s, 2 s, 4 s … up to 30 s without a hint; ±20 % jitter. */
export const BACKOFF: BackoffRule = Object.freeze({
  floorMs: 1_000,
  baseMs: 1_000,
  capMs: 30_000,
  jitter: 0.2,
});

/** Whether a server hint is one to honour: a positive, finite number of milliseconds. */
export function usableHint(hintMs: number | null | undefined): hintMs is number {
  return typeof hintMs === "number" && Number.isFinite(hintMs) && hintMs > 0;
}

/**
 * The wait before the next attempt, after `failures` refusals or transient failures in a row (1 after the first).
 *
 * @param hintMs the server's wait (Retry-After, RateLimit reset), or null when it gave none
 * @param random a source of numbers in [0, 1) for the jitter (injected in tests)
 */
export function backoffMs(
  failures: number,
  hintMs: number | null | undefined,
  random: () => number = Math.random,
  rule: BackoffRule = BACKOFF,
): number {
  const draw = clampUnit(random());
  if (usableHint(hintMs)) return Math.round(Math.max(hintMs, rule.floorMs) * (1 + rule.jitter * draw));
  const step = Math.max(1, Math.floor(failures)) - 1;
  const exponential = Math.min(rule.baseMs * 2 ** Math.min(step, 30), rule.capMs);
  return Math.round(Math.max(rule.floorMs, exponential * (1 - rule.jitter + 2 * rule.jitter * draw)));
}

/** A misbehaving random source (NaN, out of range) must not turn the floor into NaN or a negative wait. */
function clampUnit(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0.5;
}
