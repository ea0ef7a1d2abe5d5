/**
 * Slots kept in this process's memory: the default store. Exact and instant, and gone with the process (so no
 * leases are needed: a crashed process takes its slots with it, and a job resumed elsewhere claims its slot again).
 */
import { DeadlineReachedError } from "../retry.js";
import type { PoolCounts, SlotDeadline, SlotKey, SlotStore } from "./slotStore.js";

interface Waiter {
  readonly holder: string;
  readonly limit: number;
  grant(): void;
}

interface Pool {
  readonly active: Set<string>;
  waiting: Waiter[];
}

/** Longest single sleep while waiting for a deadline. */
const DEADLINE_CHECK_MS = 5_000;

/** Slots kept in this process's memory: the default store of a gate. */
export class MemorySlotStore implements SlotStore {
  readonly #pools = new Map<string, Pool>();

  #pool(account: string, pool: string): Pool {
    const name = JSON.stringify([account, pool]);
    let found = this.#pools.get(name);
    if (!found) {
      found = { active: new Set(), waiting: [] };
      this.#pools.set(name, found);
    }
    return found;
  }

  acquire(key: SlotKey, limit: number, signal?: AbortSignal, deadline?: SlotDeadline): Promise<void> {
    const pool = this.#pool(key.account, key.pool);
    if (pool.active.has(key.holder)) return Promise.resolve();
    // Only when nobody is in line: a newcomer never overtakes a job that asked first.
    if (pool.active.size < limit && pool.waiting.length === 0) {
      pool.active.add(key.holder);
      return Promise.resolve();
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const remaining = deadline ? deadline.at - deadline.now() : Infinity;
    if (remaining <= 0) return Promise.reject(deadlineError());
    return new Promise<void>((resolve, reject) => {
      // Stops the deadline's sleep once the wait is over either way.
      const timer = new AbortController();
      let settled = false;
      const giveUp = (reason: unknown) => {
        if (settled) return;
        settled = true;
        pool.waiting = pool.waiting.filter((waiter) => waiter !== entry);
        signal?.removeEventListener("abort", onAbort);
        timer.abort();
        reject(reason);
        // A waiter leaving can let the next one in (it may have been the one blocking the line).
        this.#admit(pool);
      };
      const onAbort = () => giveUp(signal!.reason);
      const entry: Waiter = {
        holder: key.holder,
        limit,
        grant: () => {
          settled = true;
          signal?.removeEventListener("abort", onAbort);
          timer.abort();
          resolve();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      if (deadline) {
        untilDeadline(deadline, timer.signal).then(
          () => giveUp(deadlineError()),
          () => undefined,
        );
      }
      pool.waiting.push(entry);
    });
  }

  claim(key: SlotKey): Promise<void> {
    this.#pool(key.account, key.pool).active.add(key.holder);
    return Promise.resolve();
  }

  release(key: SlotKey): Promise<void> {
    const pool = this.#pool(key.account, key.pool);
    if (pool.active.delete(key.holder)) this.#admit(pool);
    return Promise.resolve();
  }

  counts(account: string, pool: string): PoolCounts {
    const found = this.#pool(account, pool);
    return { active: found.active.size, waiting: found.waiting.length };
  }

  /** Hands free slots to the longest waiters, in order. */
  #admit(pool: Pool): void {
    while (pool.waiting.length > 0 && pool.active.size < pool.waiting[0]!.limit) {
      const next = pool.waiting.shift()!;
      pool.active.add(next.holder);
      next.grant();
    }
  }
}

/**
 * Resolves when the deadline has passed, sleeping in steps of at most 5 s and re-reading the clock after each. A
 * clock that jumps to its next due sleeper when idle (the emulator's VirtualClock with autoAdvance) then never
 * leaps a whole deadline ahead in the moment another job is between two steps, with no sleeper of its own yet.
 */
export async function untilDeadline(deadline: SlotDeadline, signal: AbortSignal): Promise<void> {
  for (let left = deadline.at - deadline.now(); left > 0; left = deadline.at - deadline.now()) {
    await deadline.sleep(Math.min(left, DEADLINE_CHECK_MS), signal);
  }
}

export function deadlineError(): DeadlineReachedError {
  return new DeadlineReachedError("The job's deadline passed while it waited for a concurrency slot");
}
