/**
 * Slots kept in a PostgreSQL table, so that every worker (several processes, several machines, LangGraph Server
 * replicas) shares one account's slots.
 *
 * One row per job that holds or waits for a slot: `(account, pool, holder)`, `state` ('held' or 'waiting'), when it
 * joined the line, and a lease. Granting runs in a transaction under an advisory lock for the account's pool
 * (`pg_advisory_xact_lock`), so two workers never both take the last slot: expired leases are swept, and a waiter is
 * granted when fewer than the limit are held and it is among the first in line (ordered by when it joined), so
 * waiters are served first come, first served across workers. A lock per pool, rather than `FOR UPDATE SKIP
 * LOCKED` on rows, because the decision is about the whole pool (how many are held, who is first), not one row.
 *
 * Leases: a holder's lease is renewed every third of `leaseMs` while its process lives, so a worker that crashes
 * (SIGKILL, lost machine) gives its slots back within `leaseMs`, and a job resumed elsewhere claims its own again.
 * Hand-off: a release, in the same locked transaction, promotes the first in line to holder and names it in a
 * NOTIFY, so the process waiting for it (any worker) goes on at once, and no other waiter is woken for nothing. A
 * waiter also looks every `pollMs` (a lost notification, or a lapsed lease that freed a slot).
 *
 * When the database cannot be reached, a job waiting for a slot keeps waiting (retrying by the backoff rule, until
 * its deadline): it never starts without a slot. Renewals and releases that fail are retried on the next beat; if
 * the database stays away longer than a lease, the slot lapses and may be given to another job, which at worst
 * meets Gumloop's 429 and waits: a slot store can over-admit for a while, but it cannot make a job run twice (that
 * is the job core's business, and it does not depend on the gate).
 */
import { backoffMs } from "../../client/backoff.js";
import { GumloopError } from "../../client/errors.js";
import { realSleep } from "../../client/sleep.js";
import { deadlineError } from "./memorySlotStore.js";
import type { PoolCounts, SlotDeadline, SlotKey, SlotStore } from "./slotStore.js";

/** The part of a `pg` client the store uses (a `pg.PoolClient` fits). */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  release(error?: Error | boolean): void;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** The part of a `pg.Pool` the store uses: bring your own pool (`new pg.Pool({ connectionString })`). */
export interface PgPoolLike {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  connect(): Promise<PgClientLike>;
}

/** Where and how a PostgreSQL slot store keeps its slots: your pg pool, the table, lease and poll interval. */
export interface PostgresSlotStoreOptions {
  readonly pool: PgPoolLike;
  /** Table name (created by {@link PostgresSlotStore.setup}). @default "gumloop_slots" */
  readonly table?: string;
  /** How long a slot outlives its worker's last renewal, ms. @default 30000 */
  readonly leaseMs?: number;
  /** Longest wait between two looks at the table while waiting, ms. @default 1000 */
  readonly pollMs?: number;
}

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Slots kept in a PostgreSQL table shared by every worker, with leases and first-come-first-served hand-off. */
export class PostgresSlotStore implements SlotStore {
  readonly #pool: PgPoolLike;
  readonly #table: string;
  readonly #channel: string;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  /** Rows this process holds or waits with, renewed by the heartbeat. */
  readonly #mine = new Map<string, SlotKey>();
  readonly #counts = new Map<string, PoolCounts>();
  /** This process's waiters by row: how to wake each when a release promotes it. */
  readonly #wakers = new Map<string, () => void>();
  /** Rows a release promoted, as announced: their next look at the table finds them holding. */
  readonly #promoted = new Set<string>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #listener: Promise<PgClientLike | null> | undefined;
  #closed = false;

  constructor(options: PostgresSlotStoreOptions) {
    const table = options.table ?? "gumloop_slots";
    if (!NAME.test(table))
      throw new GumloopError(`PostgresSlotStore: table must match ${NAME} (got "${table}")`);
    this.#pool = options.pool;
    this.#table = table;
    this.#channel = `${table}_promoted`;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 1_000;
    if (!(this.#leaseMs >= 1_000)) throw new GumloopError("PostgresSlotStore: leaseMs must be at least 1000");
    if (!(this.#pollMs >= 10)) throw new GumloopError("PostgresSlotStore: pollMs must be at least 10");
  }

  /** Creates the table if it does not exist. Safe to call from every worker at start-up. */
  async setup(): Promise<void> {
    // Workers that start together would race: two concurrent CREATE TABLE IF NOT EXISTS can both try to create the
    // table's row type and one fails (a known PostgreSQL race). Under one advisory lock they take turns.
    await this.#withLock(JSON.stringify([this.#table, "setup"]), (client) =>
      client.query(
        `CREATE TABLE IF NOT EXISTS ${this.#table} (
        account text NOT NULL,
        pool text NOT NULL,
        holder text NOT NULL,
        state text NOT NULL CHECK (state IN ('held', 'waiting')),
        slot_limit integer NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        lease_until timestamptz NOT NULL,
        PRIMARY KEY (account, pool, holder)
      )`,
      ),
    );
  }

  async acquire(key: SlotKey, limit: number, signal?: AbortSignal, deadline?: SlotDeadline): Promise<void> {
    const id = rowId(key);
    this.#mine.set(id, key);
    this.#startHeartbeat();
    void this.#listen();
    try {
      for (let failures = 0; ;) {
        if (signal?.aborted) throw signal.reason;
        if (deadline && deadline.at - deadline.now() <= 0) throw deadlineError();
        let granted: boolean;
        try {
          granted = await this.#tryGrant(key, limit);
          failures = 0;
        } catch (error) {
          if (!unreachable(error)) throw error;
          // The database is away: keep waiting, paced by the backoff rule, never starting without a slot.
          failures += 1;
          await this.#pause(id, backoffMs(failures, null), signal, deadline);
          continue;
        }
        if (granted) return;
        await this.#pause(id, this.#pollMs, signal, deadline);
      }
    } catch (error) {
      this.#mine.delete(id);
      await this.#leave(key).catch(() => undefined);
      throw error;
    } finally {
      this.#promoted.delete(id);
    }
  }

  async claim(key: SlotKey): Promise<void> {
    this.#mine.set(rowId(key), key);
    this.#startHeartbeat();
    await this.#pool.query(
      `INSERT INTO ${this.#table} (account, pool, holder, state, slot_limit, lease_until)
       VALUES ($1, $2, $3, 'held', 0, clock_timestamp() + $4 * interval '1 millisecond')
       ON CONFLICT (account, pool, holder) DO UPDATE SET state = 'held', lease_until = EXCLUDED.lease_until`,
      [key.account, key.pool, key.holder, this.#leaseMs],
    );
  }

  async release(key: SlotKey): Promise<void> {
    this.#mine.delete(rowId(key));
    // A failed release is not fatal: the lease lapses and the slot comes back anyway.
    await this.#leave(key).catch(() => undefined);
  }

  counts(account: string, pool: string): PoolCounts {
    return this.#counts.get(JSON.stringify([account, pool])) ?? { active: 0, waiting: 0 };
  }

  /** Stops renewing leases and listening. Rows still held lapse after `leaseMs`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    for (const wake of this.#wakers.values()) wake();
    const listener = await this.#listener;
    listener?.release();
  }

  /** One look at the pool: sweep lapsed leases, join the line, and take a slot if it is this holder's turn. */
  #tryGrant(key: SlotKey, limit: number): Promise<boolean> {
    return this.#locked(key, async (client) => {
      const { rows } = await client.query(
        `WITH swept AS (
           DELETE FROM ${this.#table}
           WHERE account = $1 AND pool = $2 AND lease_until < clock_timestamp() AND holder <> $3
         ),
         joined AS (
           INSERT INTO ${this.#table} (account, pool, holder, state, slot_limit, lease_until)
           VALUES ($1, $2, $3, 'waiting', $5, clock_timestamp() + $4 * interval '1 millisecond')
           ON CONFLICT (account, pool, holder) DO UPDATE SET lease_until = EXCLUDED.lease_until
           RETURNING state, joined_at
         ),
         live AS (
           SELECT holder, state, joined_at FROM ${this.#table}
           WHERE account = $1 AND pool = $2 AND holder <> $3 AND lease_until >= clock_timestamp()
         )
         SELECT
           (SELECT state FROM joined) AS mine,
           (SELECT count(*) FROM live WHERE state = 'held')::int AS held,
           (SELECT count(*) FROM live WHERE state = 'waiting')::int AS waiting,
           (SELECT count(*) FROM live l, joined j
              WHERE l.state = 'waiting' AND (l.joined_at, l.holder) < (j.joined_at, $3))::int AS ahead`,
        [key.account, key.pool, key.holder, this.#leaseMs, limit],
      );
      const row = rows[0]!;
      const held = Number(row["held"]);
      let granted = row["mine"] === "held";
      if (!granted && held + Number(row["ahead"]) < limit) {
        await client.query(
          `UPDATE ${this.#table} SET state = 'held' WHERE account = $1 AND pool = $2 AND holder = $3`,
          [key.account, key.pool, key.holder],
        );
        granted = true;
      }
      const waiting = Number(row["waiting"]) + (granted ? 0 : 1);
      this.#counts.set(JSON.stringify([key.account, key.pool]), {
        active: held + (granted ? 1 : 0),
        waiting,
      });
      return granted;
    });
  }

  /**
   * Leaves the pool (a release, or a waiter giving up) and, in the same transaction, promotes the first in line
   * to the freed slots and announces who they are.
   */
  #leave(key: SlotKey): Promise<void> {
    return this.#locked(key, async (client) => {
      await client.query(
        `DELETE FROM ${this.#table}
         WHERE account = $1 AND pool = $2 AND (holder = $3 OR lease_until < clock_timestamp())`,
        [key.account, key.pool, key.holder],
      );
      const { rows } = await client.query(
        `SELECT holder, state, slot_limit FROM ${this.#table} WHERE account = $1 AND pool = $2
         ORDER BY state, joined_at, holder`,
        [key.account, key.pool],
      );
      // 'held' sorts before 'waiting': count the holders, then fill free slots from the head of the line.
      let held = rows.filter((row) => row["state"] === "held").length;
      const promoted: string[] = [];
      for (const row of rows) {
        if (row["state"] !== "waiting") continue;
        if (held >= Number(row["slot_limit"])) break;
        promoted.push(String(row["holder"]));
        held += 1;
      }
      if (promoted.length === 0) return;
      await client.query(
        `UPDATE ${this.#table} SET state = 'held' WHERE account = $1 AND pool = $2 AND holder = ANY($3::text[])`,
        [key.account, key.pool, promoted],
      );
      const ids = promoted.map((holder) => rowId({ account: key.account, pool: key.pool, holder }));
      await client.query("SELECT pg_notify($1, $2)", [this.#channel, JSON.stringify(ids)]);
    });
  }

  /** Runs `body` in a transaction holding the pool's advisory lock. */
  #locked<T>(key: SlotKey, body: (client: PgClientLike) => Promise<T>): Promise<T> {
    return this.#withLock(JSON.stringify([this.#table, key.account, key.pool]), body);
  }

  /** Runs `body` in a transaction holding the advisory lock named `name`. */
  async #withLock<T>(name: string, body: (client: PgClientLike) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [name]);
      const result = await body(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      broken = error as Error;
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Waits `ms`, or until a release promotes `id` (or already has), the signal aborts or the deadline passes. */
  async #pause(id: string, ms: number, signal?: AbortSignal, deadline?: SlotDeadline): Promise<void> {
    if (this.#promoted.has(id)) return;
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#wakers.set(id, () => stop.abort("promoted"));
    try {
      const left = deadline ? Math.max(0, deadline.at - deadline.now()) : Infinity;
      // The deadline is on the graph's clock (virtual in tests); the poll interval is real time.
      const sleep = deadline && left <= ms ? deadline.sleep : realSleep;
      await sleep(Math.min(ms, left), stop.signal).catch(() => undefined);
    } finally {
      this.#wakers.delete(id);
      signal?.removeEventListener("abort", onAbort);
    }
    if (signal?.aborted) throw signal.reason;
  }

  /** Renews the leases of every row this process holds or waits with. */
  #startHeartbeat(): void {
    if (this.#heartbeat || this.#closed) return;
    this.#heartbeat = setInterval(
      () => {
        const keys = [...this.#mine.values()];
        if (keys.length === 0) return;
        void this.#pool
          .query(
            `UPDATE ${this.#table} SET lease_until = clock_timestamp() + $1 * interval '1 millisecond'
           WHERE (account, pool, holder) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))`,
            [
              this.#leaseMs,
              keys.map((key) => key.account),
              keys.map((key) => key.pool),
              keys.map((key) => key.holder),
            ],
          )
          .catch(() => undefined);
      },
      Math.max(100, Math.floor(this.#leaseMs / 3)),
    );
    this.#heartbeat.unref?.();
  }

  /** One connection that LISTENs for promotions and wakes this process's waiters; polling covers any gap. */
  #listen(): Promise<PgClientLike | null> {
    this.#listener ??= (async () => {
      try {
        const client = await this.#pool.connect();
        client.on("notification", (message) => {
          for (const id of parseIds(message.payload)) {
            this.#promoted.add(id);
            this.#wakers.get(id)?.();
          }
        });
        client.on("error", () => {
          this.#listener = undefined;
        });
        await client.query(`LISTEN ${this.#channel}`);
        return client;
      } catch {
        this.#listener = undefined;
        return null;
      }
    })();
    return this.#listener;
  }
}

/**
 * Whether an error means the database could not be reached (or dropped us), rather than that the store's SQL is
 * wrong: network errors, SQLSTATE class 08 (connection exception), 57P (shutdown), 53300 (too many connections),
 * and pg's own "Connection terminated" errors, which carry no code.
 */
function unreachable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string") return /connect|terminat|timeout/i.test(String((error as Error)?.message));
  return /^E[A-Z]+$/.test(code) || code.startsWith("08") || code.startsWith("57P") || code === "53300";
}

function parseIds(payload: string | undefined): string[] {
  try {
    const ids = JSON.parse(payload ?? "[]") as unknown;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

function rowId(key: SlotKey): string {
  return JSON.stringify([key.account, key.pool, key.holder]);
}
