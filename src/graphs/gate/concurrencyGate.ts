/**
 * A shared concurrency gate: at most `slots` Gumloop jobs of one account's pool running at once. Gumloop limits
 * concurrency, not request rate (free plan: 5 agent sessions, 2 flow runs); a job started over the limit is refused
 * with 429 (free/pro) and its slot opens only when one of our own jobs ends. Waiting here, first come first served,
 * is cheaper and fairer than meeting those 429s. Where the slots live is the store's business: this process's
 * memory by default, or a PostgreSQL table shared by every worker (PostgresSlotStore).
 */
import { isGraphBubbleUp, type RetryPolicy } from "@langchain/langgraph";
import { GumloopError } from "../../client/errors.js";
import { MemorySlotStore } from "./memorySlotStore.js";
import type { SlotDeadline, SlotStore } from "./slotStore.js";

/** Slots, store, account and pool of a gate shared by many graphs or workers. */
export interface ConcurrencyGateOptions {
  /** Jobs that may run at once: the account's plan limit for the pool (or less, to leave room for others). */
  readonly slots: number;
  /** Where slots are kept. @default a new MemorySlotStore (this process only) */
  readonly store?: SlotStore;
  /**
   * The Gumloop account whose slots these are; gates of different accounts sharing a store never count each
   * other's jobs. @default "default"
   */
  readonly account?: string;
  /** The account's pool: `"agents"` for sessions, `"flows"` for flow runs. @default "agents" */
  readonly pool?: string;
}

/** Keeps one account's running jobs within its plan's slots, first come first served, in memory or shared through a store. */
export class ConcurrencyGate {
  readonly slots: number;
  readonly account: string;
  readonly pool: string;
  readonly store: SlotStore;

  /** `new ConcurrencyGate(5)`: five slots in this process; or the options, for a shared store. */
  constructor(options: number | ConcurrencyGateOptions) {
    const resolved = typeof options === "number" ? { slots: options } : options;
    if (!Number.isInteger(resolved.slots) || resolved.slots < 1)
      throw new GumloopError("ConcurrencyGate needs at least one slot");
    this.slots = resolved.slots;
    this.account = resolved.account ?? "default";
    this.pool = resolved.pool ?? "agents";
    this.store = resolved.store ?? new MemorySlotStore();
  }

  /** The same gate (store, slots, pool) for another account: how a pool of many users' clients shares one gate. */
  forAccount(account: string): ConcurrencyGate {
    if (account === this.account) return this;
    return new ConcurrencyGate({ slots: this.slots, store: this.store, account, pool: this.pool });
  }

  /** Jobs holding a slot (more than `slots` for a while after `claim()`), as the store last saw them. */
  get active(): number {
    return this.store.counts(this.account, this.pool).active;
  }

  /** Jobs waiting for a slot, as the store last saw them. */
  get waiting(): number {
    return this.store.counts(this.account, this.pool).waiting;
  }

  /**
   * Takes a slot for `holder` (a job) before it starts; re-acquiring a slot already held is a no-op (resumed
   * graphs). Rejects with the signal's reason on abort, and with DeadlineReachedError when `deadline` comes first.
   */
  acquire(holder: string, signal?: AbortSignal, deadline?: SlotDeadline): Promise<void> {
    return this.store.acquire(this.#key(holder), this.slots, signal, deadline);
  }

  /**
   * Counts `holder` as holding a slot at once, even over `slots`: for a job that is already running on Gumloop (a
   * graph resumed in a new process, or a node that runs again after releasing its slot). Such a job occupies one
   * of the account's slots whatever we do, so making it queue behind jobs that have not started would only delay
   * its own result while the slot it waits for, handed to a new job, would meet Gumloop's 429.
   */
  claim(holder: string): Promise<void> {
    return this.store.claim(this.#key(holder));
  }

  /** Frees `holder`'s slot, if it holds one, and hands free slots to the longest waiters. */
  release(holder: string): Promise<void> {
    return this.store.release(this.#key(holder));
  }

  #key(holder: string) {
    return { account: this.account, pool: this.pool, holder };
  }
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
  holder: string,
  retry: { readonly policy: RetryPolicy; readonly attempt: number },
  body: () => Promise<T>,
): Promise<T> {
  if (!gate) return body();
  await gate.claim(holder);
  try {
    return await body();
  } catch (error) {
    if (!willRetry(error, retry.policy, retry.attempt)) await gate.release(holder);
    throw error;
  }
}

/** Mirrors LangGraph's retry loop: bubble-ups (interrupts) never, others while attempts remain and `retryOn`. */
function willRetry(error: unknown, policy: RetryPolicy, attempt: number): boolean {
  if (isGraphBubbleUp(error)) return false;
  if (attempt >= (policy.maxAttempts ?? 3)) return false;
  return policy.retryOn ? policy.retryOn(error) : false;
}
