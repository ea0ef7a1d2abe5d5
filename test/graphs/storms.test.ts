import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_FLOWS } from "gumloop-emulator";
import { createExportGraph } from "../../src/graphs/exportGraph.js";
import { createFlowRunGraph } from "../../src/graphs/flowRunGraph.js";
import { createSessionGraph } from "../../src/graphs/sessionGraph.js";
import { acceptedCreates, AGENTS_EXPORT, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ plan: "enterprise" });
});
afterEach(() => h.close());

function createdSessions(agentId: string): number {
  const snapshot = h.emulator.inspect() as unknown as { sessions: { list: { agentId: string }[] } };
  return snapshot.sessions.list.filter((session) => session.agentId === agentId).length;
}

describe("under a 429 storm", () => {
  it("finishes every job, creates no duplicates, and honours Retry-After", async () => {
    h.emulator.faults.add({
      route: "*",
      kind: "status",
      status: 429,
      headers: { "Retry-After": "2" },
      probability: 0.3,
    });
    const graph = createSessionGraph({ client: h.client, ...h.seams, download: h.downloads });
    const before = createdSessions(SEED_AGENTS.research);
    const startedAt = h.clock.now();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        graph.invoke({ agentId: SEED_AGENTS.research, input: `storm topic ${i}` }),
      ),
    );
    const limited = h.emulator.requests.filter((request) => request.status === 429);
    expect(limited.length).toBeGreaterThan(20);
    expect(results.filter((result) => result.status !== "completed")).toHaveLength(0);
    expect(
      results.every((result) => result.artifacts.length === 2 && result.artifacts.every((a) => a.bytes)),
    ).toBe(true);
    // Exactly one session per job, whatever the retries.
    expect(createdSessions(SEED_AGENTS.research) - before).toBe(20);
    expect(acceptedCreates(h.emulator)).toHaveLength(20);
    expect(h.clock.now() - startedAt).toBeGreaterThan(2_000);
  });

  it("also survives 503s and dropped connections on reads", async () => {
    h.emulator.faults.add({
      route: "GET /sessions/{session_id}",
      kind: "status",
      status: 503,
      probability: 0.3,
    });
    h.emulator.faults.add({ route: "GET /agents/{agent_id}/artifacts", kind: "drop", probability: 0.3 });
    const graph = createSessionGraph({ client: h.client, ...h.seams, download: h.downloads });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        graph.invoke({ agentId: SEED_AGENTS.research, input: `flaky net ${i}` }),
      ),
    );
    expect(results.every((result) => result.status === "completed" && result.artifacts.length === 2)).toBe(
      true,
    );
  });
});

describe("flow runs and exports under a 429 storm", () => {
  it("finish every job and start each exactly once", async () => {
    h.emulator.faults.add({
      route: "*",
      kind: "status",
      status: 429,
      headers: { "Retry-After": "1" },
      probability: 0.3,
    });
    const flows = createFlowRunGraph({ client: h.client, ...h.seams });
    const exports = createExportGraph({ client: h.client, ...h.seams });
    const [runs, exported] = await Promise.all([
      Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          flows.invoke({ savedItemId: SEED_FLOWS.summarize, inputs: { url: `https://example.com/${i}` } }),
        ),
      ),
      Promise.all(Array.from({ length: 4 }, () => exports.invoke({ request: AGENTS_EXPORT }))),
    ]);
    expect(runs.every((run) => run.status === "completed")).toBe(true);
    expect(exported.every((result) => result.status === "completed" && result.rows.length > 0)).toBe(true);
    const accepted = (suffix: string) =>
      h.emulator.requests.filter(
        (entry) => entry.method === "POST" && entry.path.endsWith(suffix) && entry.status === 200,
      );
    expect(accepted("/start_pipeline")).toHaveLength(8);
    expect(accepted("/export_data")).toHaveLength(4);
    expect(h.emulator.requests.filter((entry) => entry.status === 429).length).toBeGreaterThan(5);
  });
});
