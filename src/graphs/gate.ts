/**
 * A shared concurrency gate: at most `slots` Gumloop jobs of one account running at once from this process.
 * Gumloop limits concurrency, not request rate (free plan: 5 agent sessions, 2 flow runs); a job started over the
 * limit is refused with 429 (free/pro) and its slot opens only when one of our own jobs ends. Waiting here, in
 * FIFO order, is cheaper and fairer than meeting those 429s.
 */
import { GumloopError } from "../client/errors.js";

export class ConcurrencyGate {
  readonly slots: number;
  #active = new Set<string>();
  #waiting: { key: string; resolve: () => void; reject: (reason: unknown) => void }[] = [];

  constructor(slots: number) {
    if (!Number.isInteger(slots) || slots < 1)
      throw new GumloopError("ConcurrencyGate needs at least one slot");
    this.slots = slots;
  }

  /** Jobs holding a slot. */
  get active(): number {
    return this.#active.size;
  }

  /** Jobs waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Takes a slot for `key` (a job's id); re-acquiring a key already held is a no-op (resumed graphs). */
  acquire(key: string, signal?: AbortSignal): Promise<void> {
    if (this.#active.has(key)) return Promise.resolve();
    if (this.#active.size < this.slots) {
      this.#active.add(key);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = { key, resolve, reject };
      const onAbort = () => {
        this.#waiting = this.#waiting.filter((waiter) => waiter !== entry);
        reject(signal!.reason);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      entry.resolve = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      this.#waiting.push(entry);
    });
  }

  /** Frees `key`'s slot, if it holds one, and hands it to the longest waiter. */
  release(key: string): void {
    if (!this.#active.delete(key)) return;
    const next = this.#waiting.shift();
    if (next) {
      this.#active.add(next.key);
      next.resolve();
    }
  }
}
