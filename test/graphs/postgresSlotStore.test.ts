/**
 * The PostgreSQL slot store on a real server: two stores (two workers, each with its own connection pool) share
 * one account's slots first come first served, a release in one wakes a waiter in the other at once, a crashed
 * worker's slots come back after its lease, and a store that cannot reach the database waits rather than admits.
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { realClock, realSleep } from "../../src/client/sleep.js";
import { ConcurrencyGate } from "../../src/graphs/gate/index.js";
import { PostgresSlotStore } from "../../src/graphs/gate/postgresSlotStore.js";
import { DeadlineReachedError } from "../../src/graphs/retry.js";
import { freshTable, postgresUrl } from "../helpers/postgres.js";

const pools: pg.Pool[] = [];
const stores: PostgresSlotStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

async function worker(table: string, options: { leaseMs?: number; pollMs?: number; url?: string } = {}) {
  const pool = new pg.Pool({ connectionString: options.url ?? postgresUrl(), max: 4 });
  pools.push(pool);
  const store = new PostgresSlotStore({
    pool,
    table,
    leaseMs: options.leaseMs,
    pollMs: options.pollMs ?? 10_000,
  });
  stores.push(store);
  await store.setup().catch(() => undefined);
  return (slots: number) => new ConcurrencyGate({ slots, store, account: "acct_1", pool: "agents" });
}

const soon = (ms: number) => ({ at: realClock() + ms, now: realClock, sleep: realSleep });

describe("PostgresSlotStore", () => {
  it("sets up one table for workers that start together (concurrent CREATE TABLE IF NOT EXISTS races in PostgreSQL)", async () => {
    for (let round = 0; round < 10; round++) {
      const table = freshTable();
      const starting = Array.from({ length: 4 }, () => {
        const pool = new pg.Pool({ connectionString: postgresUrl(), max: 1 });
        pools.push(pool);
        const store = new PostgresSlotStore({ pool, table });
        stores.push(store);
        return store.setup();
      });
      const results = await Promise.allSettled(starting);
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    }
  });

  it("shares one account's slots between workers, first come first served", async () => {
    const table = freshTable();
    const a = (await worker(table))(2);
    const b = (await worker(table))(2);
    await a.acquire("job1");
    await b.acquire("job2");
    const order: string[] = [];
    const third = b.acquire("job3").then(() => order.push("job3"));
    await realSleep(50);
    const fourth = a.acquire("job4").then(() => order.push("job4"));
    await realSleep(50);
    expect(order).toEqual([]);
    // A release in worker A lets worker B's waiter in first (it asked first), at once: the poll interval is 10 s.
    const releasedAt = Date.now();
    await a.release("job1");
    await third;
    expect(Date.now() - releasedAt).toBeLessThan(2_000);
    expect(order).toEqual(["job3"]);
    await b.release("job2");
    await fourth;
    expect(order).toEqual(["job3", "job4"]);
  });

  it("gives a crashed worker's slots back after its lease", async () => {
    const table = freshTable();
    const crashed = (await worker(table, { leaseMs: 1_000 }))(1);
    const survivor = (await worker(table, { leaseMs: 1_000, pollMs: 100 }))(1);
    await crashed.acquire("held_by_the_dead");
    // The worker dies: its heartbeat stops, nothing releases the slot.
    await stores[0]!.close();
    const startedAt = Date.now();
    await survivor.acquire("next", undefined, soon(10_000));
    const waited = Date.now() - startedAt;
    expect(waited).toBeGreaterThanOrEqual(500);
    expect(waited).toBeLessThan(3_000);
  });

  it("keeps renewing a live holder's lease, so its slot is never given away", async () => {
    const table = freshTable();
    const holder = (await worker(table, { leaseMs: 1_000 }))(1);
    const other = (await worker(table, { leaseMs: 1_000, pollMs: 100 }))(1);
    await holder.acquire("long_job");
    await expect(other.acquire("second", undefined, soon(3_000))).rejects.toThrow(DeadlineReachedError);
  });

  it("counts a claimed (resumed) job at once, over the limit", async () => {
    const table = freshTable();
    const a = (await worker(table, { pollMs: 100 }))(1);
    const b = (await worker(table, { pollMs: 100 }))(1);
    await a.acquire("running");
    await b.claim("resumed_elsewhere");
    await a.release("running");
    // One slot, and the resumed job holds it: a new job still waits.
    await expect(a.acquire("new", undefined, soon(500))).rejects.toThrow(DeadlineReachedError);
    await b.release("resumed_elsewhere");
    await a.acquire("new", undefined, soon(2_000));
  });

  it("waits, and never admits, while the database cannot be reached", async () => {
    const gate = (await worker(freshTable(), { url: "postgresql://postgres@127.0.0.1:9/postgres" }))(5);
    const startedAt = Date.now();
    await expect(gate.acquire("job", undefined, soon(1_500))).rejects.toThrow(DeadlineReachedError);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_400);
  });
});
