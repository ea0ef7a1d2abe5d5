/**
 * Time for the emulator. Job state on the emulator is a pure function of clock time, so a test can swap real time
 * for a {@link VirtualClock} and run a 30-minute job in a few milliseconds, deterministically.
 */

/** What the emulator needs from a clock. Both {@link VirtualClock} and {@link RealClock} implement it. */
export interface EmulatorClock {
  /** Milliseconds since the epoch. Safe to call detached (`const { now } = clock`). */
  readonly now: () => number;
  /** Resolves once `ms` have passed on this clock; rejects with `signal.reason` on abort. Safe to call detached. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Marks work in flight (the server calls it for every request it is answering). While any hold is open, an
   * auto-advancing clock does not jump. Returns an idempotent release function.
   */
  hold(): () => void;
  /** True for a {@link VirtualClock}. */
  readonly virtual: boolean;
}

/** Options for {@link VirtualClock}. */
export interface VirtualClockOptions {
  /**
   * Start time, as epoch ms, an ISO string or a Date.
   * @default "2026-06-01T12:00:00Z"
   */
  start?: number | string | Date;
  /**
   * Jump to the earliest pending sleeper whenever nothing has happened for a few macrotask turns and no work is
   * held (see {@link EmulatorClock.hold}). Lets a client that sleeps on this clock poll a long job in milliseconds.
   * @default false
   */
  autoAdvance?: boolean;
}

/** The default start of virtual time: a fixed date, so ids, timestamps and cursors repeat run to run. */
export const DEFAULT_VIRTUAL_START = Date.parse("2026-06-01T12:00:00Z");

interface Sleeper {
  readonly due: number;
  readonly seq: number;
  readonly resolve: () => void;
  readonly cleanup: () => void;
}

/** Waits for `n` macrotask turns, so promise continuations (and I/O callbacks) triggered by a wake-up can run. */
function turns(n: number): Promise<void> {
  let p = Promise.resolve();
  for (let i = 0; i < n; i++) p = p.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  return p;
}

/**
 * A clock that only moves when told to (or, with `autoAdvance`, when everything is idle).
 *
 * @example
 * const clock = new VirtualClock();
 * const emulator = await startEmulator({ port: 0, clock });
 * // ... create a research session ...
 * await clock.advance(8_000); // the session is now completed
 */
export class VirtualClock implements EmulatorClock {
  /** Current virtual time in epoch ms. Bound, so it can be passed around as a plain function. */
  readonly now: () => number;
  /** Sleeps on virtual time. Bound, so it can be passed around as a plain function. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly virtual = true;

  #time: number;
  #seq = 0;
  #sleepers: Sleeper[] = [];
  #holds = 0;
  #activity = 0;
  #autoAdvance: boolean;
  #idleLoopRunning = false;
  /** Serialises advances, so an explicit advance and an automatic jump never interleave. */
  #advancing: Promise<void> = Promise.resolve();

  constructor(options: VirtualClockOptions = {}) {
    const start = options.start ?? DEFAULT_VIRTUAL_START;
    this.#time = typeof start === "number" ? start : new Date(start).getTime();
    if (!Number.isFinite(this.#time))
      throw new TypeError(`VirtualClock: invalid start ${String(options.start)}`);
    this.#autoAdvance = options.autoAdvance ?? false;
    this.now = () => this.#time;
    this.sleep = (ms, signal) => this.#sleep(ms, signal);
  }

  /** Number of sleepers waiting for a future time. */
  get pendingSleepers(): number {
    return this.#sleepers.length;
  }

  /** Whether the clock jumps on its own when idle. */
  get autoAdvance(): boolean {
    return this.#autoAdvance;
  }

  /** Turns auto-advance on or off. */
  setAutoAdvance(on: boolean): void {
    this.#autoAdvance = on;
    this.#poke();
  }

  /** Moves time forward by `ms`, waking due sleepers one due time at a time, in order. */
  advance(ms: number): Promise<void> {
    if (!(ms >= 0)) return Promise.reject(new RangeError(`advance: ms must be >= 0, got ${ms}`));
    return this.#serial(() => this.#advanceTo(this.#time + ms));
  }

  /** Moves time forward to the epoch-ms instant `time` (no-op if it is in the past). */
  advanceTo(time: number): Promise<void> {
    return this.#serial(() => this.#advanceTo(time));
  }

  hold(): () => void {
    this.#holds++;
    this.#activity++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      this.#poke();
    };
  }

  #serial(step: () => Promise<void>): Promise<void> {
    const next = this.#advancing.then(step);
    // Keep the chain alive even if a step throws, so later advances still run.
    this.#advancing = next.catch(() => undefined);
    return next;
  }

  async #advanceTo(target: number): Promise<void> {
    this.#activity++;
    for (;;) {
      const first = this.#sleepers[0];
      if (!first || first.due > target) break;
      this.#time = Math.max(this.#time, first.due);
      // Wake everyone due at this instant, then give their continuations a chance to schedule new sleepers
      // (which may themselves be due before `target`).
      while (this.#sleepers[0] && this.#sleepers[0].due <= this.#time) {
        const sleeper = this.#sleepers.shift()!;
        sleeper.cleanup();
        sleeper.resolve();
      }
      await turns(2);
    }
    this.#time = Math.max(this.#time, target);
  }

  #sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const due = this.#time + ms;
      const onAbort = () => {
        const i = this.#sleepers.indexOf(sleeper);
        if (i >= 0) this.#sleepers.splice(i, 1);
        reject(signal!.reason);
      };
      const sleeper: Sleeper = {
        due,
        seq: this.#seq++,
        resolve,
        cleanup: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      // Keep sorted by (due, seq): FIFO among sleepers due at the same instant.
      let i = this.#sleepers.length;
      while (i > 0 && this.#sleepers[i - 1]!.due > due) i--;
      this.#sleepers.splice(i, 0, sleeper);
      this.#poke();
    });
  }

  /** Records activity and, in auto-advance mode, starts the idle watcher if it is not running. */
  #poke(): void {
    this.#activity++;
    if (!this.#autoAdvance || this.#idleLoopRunning) return;
    this.#idleLoopRunning = true;
    void this.#idleLoop();
  }

  async #idleLoop(): Promise<void> {
    try {
      while (this.#autoAdvance && this.#holds === 0 && this.#sleepers.length > 0) {
        const seen = this.#activity;
        // A few turns plus one timer tick: on loopback, a request that is on the wire reaches the server (and
        // takes a hold) within this window, so time does not jump under an in-flight request.
        await turns(4);
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        await turns(2);
        if (seen !== this.#activity || this.#holds > 0) continue;
        const first = this.#sleepers[0];
        if (!first) break;
        await this.#serial(() => this.#advanceTo(first.due));
      }
    } finally {
      this.#idleLoopRunning = false;
    }
  }
}

/** Real time: `Date.now()` and `setTimeout`. Holds are no-ops. Used when no clock is passed to the emulator. */
export class RealClock implements EmulatorClock {
  readonly now: () => number = () => Date.now();
  readonly virtual = false;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  hold(): () => void {
    return () => undefined;
  }
}
