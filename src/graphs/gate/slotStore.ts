/**
 * Where a concurrency gate keeps its slots. Gumloop limits how many sessions and flow runs of one account run at
 * once (free 5 / 2, pro 25 / 5, enterprise 100 / 15); a gate keeps our own jobs within that, and the store decides
 * how far "our own" reaches: one process (MemorySlotStore) or every worker sharing a database
 * (PostgresSlotStore). Slots are keyed by account and pool (`agents`, `flows`), and a holder is one job.
 */
import type { Clock, Sleep } from "../../client/sleep.js";

/** One job's place in one account's pool. */
export interface SlotKey {
  /** The Gumloop account (one per set of credentials). */
  readonly account: string;
  /** The account's pool: `agents` for sessions, `flows` for flow runs (any name: a gate may keep other pools). */
  readonly pool: string;
  /** The job holding or waiting for the slot. */
  readonly holder: string;
}

/** When a wait for a slot gives up: the job's deadline, on the graph's own clock and sleep (virtual in tests). */
export interface SlotDeadline {
  /** Epoch ms. */
  readonly at: number;
  readonly now: Clock;
  readonly sleep: Sleep;
}

/** What a store reports of one pool. */
export interface PoolCounts {
  /** Jobs holding a slot (more than the limit for a while after a claim). */
  readonly active: number;
  /** Jobs waiting for one. */
  readonly waiting: number;
}

/** Where a gate keeps its slots: in memory, in PostgreSQL, or your own implementation of these four methods. */
export interface SlotStore {
  /**
   * Takes a slot for `key.holder` once fewer than `limit` are held in its pool and every job that asked before it
   * has been served (first come, first served); a holder that already has one returns at once. Rejects with the
   * signal's reason on abort, and with `DeadlineReachedError` when the deadline comes first (the job then never
   * starts).
   */
  acquire(key: SlotKey, limit: number, signal?: AbortSignal, deadline?: SlotDeadline): Promise<void>;
  /**
   * Counts `key.holder` as holding a slot at once, even over the limit: for a job already running on Gumloop (a
   * graph resumed in a new process), which occupies one of the account's slots whatever we do.
   */
  claim(key: SlotKey): Promise<void>;
  /** Frees the holder's slot (or its place in line), if it has one, and lets the next in line in. */
  release(key: SlotKey): Promise<void>;
  /** The pool as last seen (exact for the in-memory store; as of the last look at the table for PostgreSQL). */
  counts(account: string, pool: string): PoolCounts;
}
