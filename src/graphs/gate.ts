/**
 * A shared concurrency gate: at most `slots` Gumloop jobs of one account running at once from this process.
 * Gumloop limits concurrency, not request rate (free plan: 5 agent sessions, 2 flow runs); a job started over the
 * limit is refused with 429 (free/pro) and its slot opens only when one of our own jobs ends. Waiting here, in
 * FIFO order, is cheaper and fairer than meeting those 429s.
 */
import { isGraphBubbleUp, type RetryPolicy } from "@langchain/langgraph";
import { GumloopError } from "../client/errors.js";
import type { Clock, Sleep } from "../client/sleep.js";
import { DeadlineReachedError } from "./retry.js";

/** When a wait for a slot gives up: the job's deadline, on the graph's own clock and sleep (virtual in tests). */
export interface SlotDeadline {
  /** Epoch ms. */
  readonly at: number;
  readonly now: Clock;
  readonly sleep: Sleep;
}

interface Waiter {
  readonly key: string;
  grant(): void;
}

export class ConcurrencyGate {
  readonly slots: number;
  #active = new Set<string>();
  #waiting: Waiter[] = [];

  constructor(slots: number) {
    if (!Number.isInteger(slots) || slots < 1)
      throw new GumloopError("ConcurrencyGate needs at least one slot");
    this.slots = slots;
  }

  /** Jobs holding a slot (more than `slots` for a while after {@link claim}). */
  get active(): number {
    return this.#active.size;
  }

  /** Jobs waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Takes a slot for `key` (a job's id) before the job starts; re-acquiring a key already held is a no-op
   * (resumed graphs). Rejects with the signal's reason on abort, and with {@link DeadlineReachedError} when
   * `deadline` comes first (the job then never starts).
   */
  acquire(key: string, signal?: AbortSignal, deadline?: SlotDeadline): Promise<void> {
    if (this.#active.has(key)) return Promise.resolve();
    if (this.#active.size < this.slots) {
      this.#active.add(key);
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
        this.#waiting = this.#waiting.filter((waiter) => waiter !== entry);
        signal?.removeEventListener("abort", onAbort);
        timer.abort();
        reject(reason);
      };
      const onAbort = () => giveUp(signal!.reason);
      const entry: Waiter = {
        key,
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
      this.#waiting.push(entry);
    });
  }

  /**
   * Counts `key` as holding a slot at once, even when that puts the gate over `slots`: for a job that is already
   * running on Gumloop (a graph resumed in a new process, or a node that runs again after releasing its slot).
   * Such a job occupies one of the account's slots whatever we do, so making it queue behind jobs that have not
   * started would only delay its own result (and could time it out) while the slot it waits for, handed to a new
   * job, would meet Gumloop's 429. Counting it at once keeps new jobs waiting until the account really has room.
   */
  claim(key: string): void {
    this.#active.add(key);
  }

  /** Frees `key`'s slot, if it holds one, and hands free slots to the longest waiters. */
  release(key: string): void {
    if (!this.#active.delete(key)) return;
    while (this.#active.size < this.slots && this.#waiting.length > 0) {
      const next = this.#waiting.shift()!;
      this.#active.add(next.key);
      next.grant();
    }
  }
}

/** Longest single sleep while waiting for a deadline. */
const DEADLINE_CHECK_MS = 5_000;

/**
 * Resolves when the deadline has passed, sleeping in steps of at most 5 s and re-reading the clock after each. A
 * clock that jumps to its next due sleeper when idle (the emulator's VirtualClock with autoAdvance) then never
 * leaps a whole deadline ahead in the moment another job is between two steps, with no sleeper of its own yet.
 */
async function untilDeadline(deadline: SlotDeadline, signal: AbortSignal): Promise<void> {
  for (let left = deadline.at - deadline.now(); left > 0; left = deadline.at - deadline.now()) {
    await deadline.sleep(Math.min(left, DEADLINE_CHECK_MS), signal);
  }
}

function deadlineError(): DeadlineReachedError {
  return new DeadlineReachedError("The job's deadline passed while it waited for a concurrency slot");
}

/**
 * Runs the body of a node that runs while its job holds a slot (the job is running on Gumloop): claims the slot
 * first (a no-op when held; a resumed job is counted again) and releases it when the node throws for good (abort,
 * 404, exhausted retries, a failed cancel, an approval interrupt), so a failed or paused graph never keeps it.
 * A throw the node's retry policy will retry keeps the slot: the job is still running, and the node runs again
 * at once (after its own wait for the server's hint); released, the slot would go to a waiting job whose start
 * Gumloop would then refuse.
 */
export async function holdingSlot<T>(
  gate: ConcurrencyGate | undefined,
  key: string,
  retry: { readonly policy: RetryPolicy; readonly attempt: number },
  body: () => Promise<T>,
): Promise<T> {
  if (!gate) return body();
  gate.claim(key);
  try {
    return await body();
  } catch (error) {
    if (!willRetry(error, retry.policy, retry.attempt)) gate.release(key);
    throw error;
  }
}

/** Mirrors LangGraph's retry loop: bubble-ups (interrupts) never, others while attempts remain and `retryOn`. */
function willRetry(error: unknown, policy: RetryPolicy, attempt: number): boolean {
  if (isGraphBubbleUp(error)) return false;
  if (attempt >= (policy.maxAttempts ?? 3)) return false;
  return policy.retryOn ? policy.retryOn(error) : false;
}
