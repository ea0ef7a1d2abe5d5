/**
 * A worker SIGKILLed while its jobs hold slots of a PostgreSQL gate: the slots come back within the lease, and
 * the jobs resume on another worker from the PostgreSQL checkpoints, with one session each on the emulator.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GumloopClient } from "../../src/client/client.js";
import { realClock, realSleep } from "../../src/client/sleep.js";
import type { Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { ConcurrencyGate } from "../../src/graphs/gate/index.js";
import { PostgresSlotStore } from "../../src/graphs/gate/postgresSlotStore.js";
import { createSessionGraph } from "../../src/graphs/sessionGraph.js";
import { freshTable, postgresUrl } from "../helpers/postgres.js";
import type { CrashSettings } from "./fixtures/crashPlan.js";
import { TS_NODE_FLAGS } from "../helpers/tsNode.js";

const CHILD = new URL("./fixtures/crashChild.ts", import.meta.url).pathname;
const JOBS = 3;
const LEASE_MS = 2_000;

let emulator: Emulator;
let pool: pg.Pool;
beforeEach(async () => {
  emulator = await startTestEmulator({ plan: "free", durations: { research: 4_000 } });
  pool = new pg.Pool({ connectionString: postgresUrl() });
});
afterEach(async () => {
  await pool.end();
  await emulator.close();
});

describe("a worker killed while holding gate slots", () => {
  it("gives its slots back within the lease; another worker resumes its jobs, one session each", async () => {
    const schema = freshTable("worker_crash");
    const table = freshTable();
    const settings: CrashSettings = {
      url: emulator.url,
      apiKey: emulator.apiKey,
      userId: emulator.userId,
      store: { kind: "postgres", url: postgresUrl(), schema },
      job: "session",
      count: JOBS,
      schedule: { initialMs: 100, factor: 1.5, capMs: 200 },
      gate: { url: postgresUrl(), table, slots: JOBS, leaseMs: LEASE_MS },
    };
    const child = spawn(process.execPath, [...TS_NODE_FLAGS, CHILD, "start", JSON.stringify(settings)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const polled = new Set<string>();
    await new Promise<void>((resolve) =>
      createInterface({ input: child.stdout! }).on("line", (line) => {
        const trial = /^poll (\d+) /.exec(line)?.[1];
        if (trial) polled.add(trial);
        if (polled.size === JOBS) resolve();
      }),
    );
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    // Another worker: the dead one's three rows still hold every slot, until their leases lapse.
    const store = new PostgresSlotStore({ pool, table, leaseMs: LEASE_MS, pollMs: 100 });
    const gate = new ConcurrencyGate({ slots: JOBS, store, account: "crash" });
    const killedAt = Date.now();
    await gate.acquire("probe", undefined, { at: realClock() + 10_000, now: realClock, sleep: realSleep });
    const waited = Date.now() - killedAt;
    expect(waited).toBeGreaterThan(200);
    expect(waited).toBeLessThan(LEASE_MS + 1_500);
    await gate.release("probe");

    // The jobs resume here from their PostgreSQL checkpoints, claiming their slots again.
    const checkpointer = PostgresSaver.fromConnString(postgresUrl(), { schema });
    const graph = createSessionGraph({
      client: new GumloopClient({ ...emulator.clientOptions() }),
      checkpointer,
      gate,
      downloadArtifacts: false,
      schedule: settings.schedule,
    });
    const resumed = await Promise.all(
      Array.from({ length: JOBS }, (_, trial) =>
        graph.invoke(null, { configurable: { thread_id: `session-${trial}` } }),
      ),
    );
    await checkpointer.end();
    await store.close();
    expect(resumed.map((out) => out.status)).toEqual(Array(JOBS).fill("completed"));
    const creates = emulator.requests.filter(
      (request) => request.method === "POST" && request.route === "/agents/{agent_id}/sessions",
    );
    expect(creates).toHaveLength(JOBS);
    expect(new Set(resumed.map((out) => out.session?.id)).size).toBe(JOBS);
  }, 60_000);
});
