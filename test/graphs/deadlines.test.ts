/** A 429 whose Retry-After reaches past the job's deadline ends the job at the deadline, not after the wait. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_FLOWS } from "gumloop-emulator";
import { createExportGraph } from "../../src/graphs/exportGraph.js";
import { createFlowRunGraph } from "../../src/graphs/flowRunGraph.js";
import { ConcurrencyGate } from "../../src/graphs/gate/index.js";
import { createSessionGraph } from "../../src/graphs/sessionGraph.js";
import { AGENTS_EXPORT, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({
    plan: "enterprise",
    durations: { research: 10 * 60_000, flow: 10 * 60_000, export: 10 * 60_000 },
  });
});
afterEach(() => h.close());

const DEADLINE_MS = 20_000;
/** A 429 on every poll asking for 50 s: longer than the whole deadline, shorter than the 60 s wait cap. */
const slowDown = (route: string) =>
  h.emulator.faults.add({ route, kind: "status", status: 429, headers: { "Retry-After": "50" } });

const refused = () => h.emulator.requests.filter((request) => request.status === 429).length;

describe("a 429 that would wait past the deadline", () => {
  it("ends a session poll as timed_out at the deadline and releases its slot", async () => {
    slowDown("GET /sessions/{session_id}");
    const gate = new ConcurrencyGate(1);
    const graph = createSessionGraph({
      client: h.client,
      ...h.seams,
      gate,
      deadlineMs: DEADLINE_MS,
      downloadArtifacts: false,
      stream: false,
    });
    const startedAt = h.clock.now();
    const out = await graph.invoke({ agentId: SEED_AGENTS.research, input: "slow" });
    expect(out.status).toBe("timed_out");
    expect(h.clock.now() - startedAt).toBeLessThanOrEqual(DEADLINE_MS);
    expect(refused()).toBeGreaterThan(0);
    expect(gate.active).toBe(0);
  });

  it("ends a flow-run poll as timed_out at the deadline", async () => {
    slowDown("GET /get_pl_run");
    const graph = createFlowRunGraph({ client: h.client, ...h.seams, deadlineMs: DEADLINE_MS });
    const startedAt = h.clock.now();
    const out = await graph.invoke({
      savedItemId: SEED_FLOWS.summarize,
      inputs: { url: "https://example.com/d" },
    });
    expect(out.status).toBe("timed_out");
    expect(h.clock.now() - startedAt).toBeLessThanOrEqual(DEADLINE_MS);
    expect(refused()).toBeGreaterThan(0);
  });

  it("ends an export poll as timed_out at the deadline", async () => {
    slowDown("GET /export_status");
    const graph = createExportGraph({ client: h.client, ...h.seams, deadlineMs: DEADLINE_MS });
    const startedAt = h.clock.now();
    const out = await graph.invoke({ request: AGENTS_EXPORT });
    expect(out.exportId).toBeTruthy();
    expect(out.status).toBe("timed_out");
    expect(h.clock.now() - startedAt).toBeLessThanOrEqual(DEADLINE_MS);
    expect(refused()).toBeGreaterThan(0);
  });

  it("ends an export start as timed_out at the deadline, without starting it", async () => {
    slowDown("POST /export_data");
    const graph = createExportGraph({ client: h.client, ...h.seams, deadlineMs: DEADLINE_MS });
    const startedAt = h.clock.now();
    const out = await graph.invoke({ request: AGENTS_EXPORT });
    expect(out.status).toBe("timed_out");
    expect(out.exportId).toBeNull();
    expect(out.error).toMatch(/deadline/);
    expect(h.clock.now() - startedAt).toBeLessThanOrEqual(DEADLINE_MS);
    expect(refused()).toBeGreaterThan(0);
  });
});
