/** Time seams. Tests inject a virtual clock and a sleep that returns at once; production uses real time. */

/** Waits `ms` milliseconds, or rejects with the signal's reason when it aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Milliseconds since the epoch. */
export type Clock = () => number;

/**
 * The longest delay `setTimeout` honours (2^31 − 1 ms, about 24.8 days). Node turns anything longer, Infinity
 * included, into 1 ms, so a "very long" timeout or wait handed to it as is fires at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A real, abortable sleep. A wait longer than {@link MAX_TIMER_MS} (or Infinity) is taken in timer-sized steps
 * rather than handed to setTimeout whole, which would wake it after 1 ms. Negative or NaN waits return at once.
 */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let remaining = ms > 0 ? ms : 0;
    let timer: ReturnType<typeof setTimeout>;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const step = () => {
      if (remaining <= MAX_TIMER_MS) {
        timer = setTimeout(() => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        }, remaining);
      } else {
        // Infinity stays Infinity: such a sleep ends only through the signal.
        remaining -= MAX_TIMER_MS;
        timer = setTimeout(step, MAX_TIMER_MS);
      }
    };
    step();
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export const realClock: Clock = () => Date.now();
