/**
 * The concurrency gate's slots: released whenever a graph fails or pauses while its job holds one, claimed again
 * by a resumed job, and never waited for past a job's deadline.
 */
import { Command, MemorySaver } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/client/errors.js";
import { SEED_AGENTS, SEED_FLOWS } from "gumloop-emulator";
import { createFlowRunGraph } from "../../src/graphs/flowRunGraph.js";
import { ConcurrencyGate } from "../../src/graphs/gate/index.js";
import { createSessionGraph } from "../../src/graphs/sessionGraph.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const posts = (suffix: string) =>
  h.emulator.requests.filter((request) => request.method === "POST" && request.path.endsWith(suffix));
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("ConcurrencyGate", () => {
  it("counts a claimed job at once, over capacity, and lets waiters in only when there is room", async () => {
    const gate = new ConcurrencyGate(1);
    await gate.acquire("a");
    gate.claim("resumed");
    expect(gate.active).toBe(2);
    let started = false;
    const waiter = gate.acquire("b").then(() => (started = true));
    gate.release("a");
    await turn();
    expect(started).toBe(false);
    gate.release("resumed");
    await waiter;
    expect(gate.active).toBe(1);
  });
});

describe("gate slots held by a job", () => {
  it("are released when the signal aborts a poll", async () => {
    const gate = new ConcurrencyGate(1);
    const graph = createSessionGraph({ client: h.client, ...h.seams, gate, downloadArtifacts: false });
    const controller = new AbortController();
    h.clock.setAutoAdvance(false);
    const run = graph.invoke(
      { agentId: SEED_AGENTS.research, input: "abort me" },
      { signal: controller.signal },
    );
    while (h.clock.pendingSleepers === 0) await turn();
    expect(gate.active).toBe(1);
    controller.abort(new Error("user cancelled"));
    await expect(run).rejects.toThrow(/user cancelled|abort/i);
    await turn();
    expect(gate.active).toBe(0);
  });

  it("are released when a session poll fails for good (404), so the next job still runs", async () => {
    const gate = new ConcurrencyGate(1);
    const graph = createSessionGraph({ client: h.client, ...h.seams, gate, downloadArtifacts: false });
    h.emulator.faults.add({ route: "GET /sessions/{session_id}", kind: "status", status: 404, times: 1 });
    await expect(graph.invoke({ agentId: SEED_AGENTS.research, input: "x" })).rejects.toThrow(NotFoundError);
    expect(gate.active).toBe(0);
    const next = await graph.invoke({ agentId: SEED_AGENTS.research, input: "y" });
    expect(next.status).toBe("completed");
    expect(gate.active).toBe(0);
  });

  it("are released when a flow-run poll fails for good (404)", async () => {
    const gate = new ConcurrencyGate(1);
    const graph = createFlowRunGraph({ client: h.client, ...h.seams, gate });
    h.emulator.faults.add({ route: "GET /get_pl_run", kind: "status", status: 404, times: 1 });
    const inputs = { url: "https://example.com/404" };
    await expect(graph.invoke({ savedItemId: SEED_FLOWS.summarize, inputs })).rejects.toThrow(NotFoundError);
    expect(gate.active).toBe(0);
  });

  it("are kept through a poll the node retries (429), so no waiting job starts while this one runs", async () => {
    await h.close();
    h = await startHarness({ plan: "free", slots: { agents: 1 } });
    const gate = new ConcurrencyGate(1);
    const graph = createSessionGraph({
      client: h.client,
      ...h.seams,
      gate,
      downloadArtifacts: false,
      stream: false,
    });
    h.emulator.faults.add({
      route: "GET /sessions/{session_id}",
      kind: "status",
      status: 429,
      headers: { "Retry-After": "5" },
      times: 1,
    });
    const results = await Promise.all([
      graph.invoke({ agentId: SEED_AGENTS.research, input: "first" }),
      graph.invoke({ agentId: SEED_AGENTS.research, input: "second" }),
    ]);
    expect(results.map((result) => result.status)).toEqual(["completed", "completed"]);
    expect(posts("/sessions").map((request) => request.status)).toEqual([202, 202]);
    expect(gate.active).toBe(0);
  });

  it("are released while a session waits for approval (interrupt) and claimed again on resume", async () => {
    const gate = new ConcurrencyGate(1);
    const graph = createSessionGraph({
      client: h.client,
      ...h.seams,
      gate,
      checkpointer: new MemorySaver(),
      downloadArtifacts: false,
    });
    const config = { configurable: { thread_id: "gate-approval" } };
    await graph.invoke({ agentId: SEED_AGENTS.approval, input: "send the email" }, config);
    expect(gate.active).toBe(0);
    const out = await graph.invoke(new Command({ resume: "accept" }), config);
    expect(out.status).toBe("completed");
    expect(gate.active).toBe(0);
  });

  it("are claimed by a job resumed in a new process, so new jobs wait for it (no 429s)", async () => {
    await h.close();
    h = await startHarness({ plan: "free", slots: { agents: 1 } });
    const saver = new MemorySaver();
    const config = { configurable: { thread_id: "resumed-A" } };
    h.emulator.faults.add({ route: "GET /sessions/{session_id}", kind: "status", status: 404, times: 1 });
    const first = createSessionGraph({
      client: h.client,
      ...h.seams,
      gate: new ConcurrencyGate(1),
      checkpointer: saver,
      downloadArtifacts: false,
    });
    await expect(first.invoke({ agentId: SEED_AGENTS.research, input: "job A" }, config)).rejects.toThrow(
      NotFoundError,
    );
    // "A new process": a fresh gate, the same checkpoints.
    const gate = new ConcurrencyGate(1);
    const second = createSessionGraph({
      client: h.client,
      ...h.seams,
      gate,
      checkpointer: saver,
      downloadArtifacts: false,
    });
    const resumed = second.invoke(null, config);
    await turn();
    expect(gate.active).toBe(1);
    const other = second.invoke(
      { agentId: SEED_AGENTS.research, input: "job B" },
      { configurable: { thread_id: "new-B" } },
    );
    const [a, b] = await Promise.all([resumed, other]);
    expect([a.status, b.status]).toEqual(["completed", "completed"]);
    expect(h.emulator.requests.filter((request) => request.status === 429)).toHaveLength(0);
    expect(gate.active).toBe(0);
  });
});

describe("waiting for a gate slot", () => {
  it("ends a session at its deadline as timed_out, without creating it", async () => {
    await h.close();
    h = await startHarness({ durations: { research: 30 * 60_000 } });
    const gate = new ConcurrencyGate(1);
    const long = createSessionGraph({ client: h.client, ...h.seams, gate, downloadArtifacts: false });
    const short = createSessionGraph({
      client: h.client,
      ...h.seams,
      gate,
      downloadArtifacts: false,
      deadlineMs: 20_000,
    });
    const startedAt = h.clock.now();
    const running = long.invoke({ agentId: SEED_AGENTS.research, input: "long" });
    // The long job holds the slot (a streamed create is logged only when its stream ends).
    while (gate.active === 0) await turn();
    const out = await short.invoke({ agentId: SEED_AGENTS.research, input: "short" });
    expect(out.status).toBe("timed_out");
    expect(out.session).toBeNull();
    expect(out.created).toBe(false);
    expect(h.clock.now() - startedAt).toBeLessThanOrEqual(21_000);
    expect(gate.waiting).toBe(0);
    await running;
    // Logged once its stream is closed.
    for (let i = 0; i < 1_000 && posts("/sessions").length === 0; i++) await turn();
    expect(posts("/sessions")).toHaveLength(1);
  });

  it("ends a flow run at its deadline as timed_out, without starting it", async () => {
    await h.close();
    h = await startHarness({ durations: { flow: 30 * 60_000 } });
    const gate = new ConcurrencyGate(1);
    const long = createFlowRunGraph({ client: h.client, ...h.seams, gate });
    const short = createFlowRunGraph({ client: h.client, ...h.seams, gate, deadlineMs: 20_000 });
    const startedAt = h.clock.now();
    const running = long.invoke({
      savedItemId: SEED_FLOWS.summarize,
      inputs: { url: "https://example.com/l" },
    });
    while (posts("/start_pipeline").length === 0) await turn();
    const out = await short.invoke({
      savedItemId: SEED_FLOWS.summarize,
      inputs: { url: "https://example.com/s" },
    });
    expect(out.status).toBe("timed_out");
    expect(out.runId).toBeNull();
    expect(h.clock.now() - startedAt).toBeLessThanOrEqual(21_000);
    expect(posts("/start_pipeline")).toHaveLength(1);
    await running;
  });
});
