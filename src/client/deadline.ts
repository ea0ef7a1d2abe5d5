/**
 * Time limits: checking the duration options, and the per-attempt deadline that carries both the timeout and the
 * caller's abort to whatever the client is waiting on (the transport, a download, the access-token function).
 */
import { GumloopError } from "./errors.js";
import { MAX_TIMER_MS } from "./sleep.js";

/**
 * A time limit from an option (`timeoutMs`): a positive number of milliseconds, or Infinity for none. Longer than a
 * timer can hold is clamped to {@link MAX_TIMER_MS} (setTimeout would otherwise fire after 1 ms). 0, negatives and
 * NaN are refused: they are mistakes, and 0 would fail every call at once.
 */
export function timeLimitOption(name: string, value: number): number {
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
    throw new GumloopError(
      `${name} must be a positive number of milliseconds, or Infinity for no limit (got ${String(value)})`,
    );
  }
  return value === Infinity ? Infinity : Math.min(value, MAX_TIMER_MS);
}

/**
 * A cap on how long to wait (`maxRetryAfterMs`): 0 or more milliseconds, or Infinity for no cap. 0 is meaningful
 * (never sleep through a server-requested wait), so only negatives and NaN are refused. Not clamped: it is a
 * bound, not a timer, and the client's sleep takes long waits in timer-sized steps.
 */
export function waitCapOption(name: string, value: number): number {
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new GumloopError(
      `${name} must be 0 or more milliseconds, or Infinity for no cap (got ${String(value)})`,
    );
  }
  return value;
}

/**
 * One controller for one wait: it aborts when `timeoutMs` passes or when the caller's signal aborts, whichever
 * comes first, so the timeout and the caller's abort really cancel the request (and free its socket) instead of
 * abandoning it. A caller's signal that is already aborted aborts it at once: an abort listener added to an
 * aborted signal never fires.
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  #expired = false;
  readonly #onAbort = () => this.#controller.abort(this.#caller!.reason);

  /** @param timeoutMs a checked limit (see {@link timeLimitOption}); Infinity sets no timer. */
  constructor(timeoutMs: number, caller: AbortSignal | undefined) {
    this.#caller = caller;
    if (caller?.aborted) {
      this.#controller.abort(caller.reason);
      return;
    }
    caller?.addEventListener("abort", this.#onAbort, { once: true });
    if (timeoutMs !== Infinity) {
      this.#timer = setTimeout(() => {
        this.#expired = true;
        this.#controller.abort(new Error("timeout"));
      }, timeoutMs);
    }
  }

  /** Aborts on timeout or on the caller's abort. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The time limit passed (before any abort by the caller). */
  get expired(): boolean {
    return this.#expired;
  }

  /** The caller aborted (before the time limit passed). */
  get callerAborted(): boolean {
    return this.#caller?.aborted === true && !this.#expired;
  }

  /** `promise`, or a rejection with the abort reason if the deadline passes first (for waits that take no signal). */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  /** Clears the timer and the listener on the caller's signal (a shared signal must not collect listeners). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener("abort", this.#onAbort);
  }
}
