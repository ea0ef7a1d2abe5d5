/**
 * Four worker processes share one 5-slot account through the PostgreSQL gate: 50 sessions, no 429, no failure,
 * no duplicate. The makespan against the floor (ceil(50 / 5) × session time) is a benchmark (bench/sharedGate.ts,
 * goal ≤ 1.10x on an idle machine); here, beside other test files running at once, it is only bounded loosely.
 */
import { describe, expect, it } from "vitest";
import { runSharedGate } from "../../bench/sharedGate.js";
import { freshTable, postgresUrl } from "../helpers/postgres.js";

describe("a PostgreSQL gate shared by worker processes", () => {
  it("keeps 4 workers within one account's 5 slots: 0 × 429, 0 failed, 0 duplicates", async () => {
    const run = await runSharedGate({ postgres: { url: postgresUrl(), table: freshTable() } });
    expect(run.rateLimited).toBe(0);
    expect(run.failed).toBe(0);
    expect(run.duplicates).toBe(0);
    expect(run.makespanMs).toBeLessThanOrEqual(1.6 * run.floorMs);
  }, 120_000);
});
