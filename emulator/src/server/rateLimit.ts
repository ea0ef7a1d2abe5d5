/**
 * An optional request-rate limit. Gumloop documents none (it limits concurrency); this stands in for a gateway
 * such as Truto's, which sends the IETF draft fields. `RateLimit-Reset` is delta-seconds, never an epoch.
 */
import type { EmulatorClock } from "../world/clock.js";
import type { RateLimitOptions } from "../options.js";

/** Outcome of counting one request. */
export interface RateLimitVerdict {
  allowed: boolean;
  /** Headers for the response (sent on every response while the limit is on). */
  headers: Record<string, string>;
}

/** Fixed windows aligned to multiples of `windowMs` on the emulator's clock. */
export class RateLimiter {
  readonly #options: RateLimitOptions;
  readonly #clock: EmulatorClock;
  #windowStart = -1;
  #count = 0;

  constructor(options: RateLimitOptions, clock: EmulatorClock) {
    this.#options = options;
    this.#clock = clock;
  }

  /** Counts a request (rejected ones do not use quota) and says whether it may proceed. */
  take(): RateLimitVerdict {
    const { limit, windowMs } = this.#options;
    const now = this.#clock.now();
    const windowStart = Math.floor(now / windowMs) * windowMs;
    if (windowStart !== this.#windowStart) {
      this.#windowStart = windowStart;
      this.#count = 0;
    }
    const allowed = this.#count < limit;
    if (allowed) this.#count++;
    const resetSeconds = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    const headers: Record<string, string> = {
      "RateLimit-Limit": String(limit),
      "RateLimit-Remaining": String(Math.max(0, limit - this.#count)),
      "RateLimit-Reset": String(resetSeconds),
      "RateLimit-Policy": `${limit};w=${Math.max(1, Math.round(windowMs / 1000))}`,
    };
    if (!allowed) headers["Retry-After"] = String(resetSeconds);
    return { allowed, headers };
  }
}
