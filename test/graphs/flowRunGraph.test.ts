import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GumloopValidationError } from "../../src/client/errors.js";
import { SEED_FLOWS } from "gumloop-emulator";
import { createRunFlowTool } from "../../src/langchain/compositeTools.js";
import { createFlowRunGraph } from "../../src/graphs/flowRunGraph.js";
import { ConcurrencyGate } from "../../src/graphs/gate/index.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const starts = () =>
  h.emulator.requests.filter(
    (request) => request.method === "POST" && request.path.endsWith("/start_pipeline"),
  );

describe("createFlowRunGraph", () => {
  it("checks the inputs against the flow, runs it, and returns its outputs and log", async () => {
    const graph = createFlowRunGraph({ client: h.client, ...h.seams });
    const out = await graph.invoke({
      savedItemId: SEED_FLOWS.summarize,
      inputs: { url: "https://example.com/tidal-power" },
    });
    expect(out.status).toBe("completed");
    expect(out.state).toBe("DONE");
    expect(out.runId).toMatch(/^run_/);
    expect(String(out.outputs["summary"])).toContain("https://example.com/tidal-power");
    expect(out.log.length).toBeGreaterThan(0);
    expect(out.inputSchema.map((input) => input.name)).toContain("url");
    expect(out.polls).toBeGreaterThan(0);
    const start = starts()[0]!;
    expect(start.body).toMatchObject({
      saved_item_id: SEED_FLOWS.summarize,
      url: "https://example.com/tidal-power",
    });
  });

  it("rejects inputs the flow does not have, naming the valid ones, before starting anything", async () => {
    const graph = createFlowRunGraph({ client: h.client, ...h.seams });
    const error = await graph
      .invoke({ savedItemId: SEED_FLOWS.summarize, inputs: { link: "x" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GumloopValidationError);
    expect((error as Error).message).toMatch(
      /inputs\.link: is not an input of this flow; its inputs are: url, focus/,
    );
    expect(starts()).toHaveLength(0);
  });

  it("passes any inputs to a flow that declares none (Gumloop forwards the body to a Webhook Input)", async () => {
    const graph = createFlowRunGraph({ client: h.client, ...h.seams });
    const payload = { event: "signup", attempts: 2, user: { email: "ada@example.com" } };
    const out = await graph.invoke({ savedItemId: SEED_FLOWS.failing, inputs: payload });
    expect(out.inputSchema).toEqual([]);
    expect(starts()[0]!.body).toMatchObject({ saved_item_id: SEED_FLOWS.failing, ...payload });
    const reserved = await graph
      .invoke({ savedItemId: SEED_FLOWS.failing, inputs: { user_id: "someone_else" } })
      .catch((e: unknown) => e);
    expect((reserved as Error).message).toMatch(/inputs\.user_id: "user_id" is reserved by Gumloop/);
    expect(starts()).toHaveLength(1);
  });

  it("reports a failing flow as failed", async () => {
    const graph = createFlowRunGraph({ client: h.client, ...h.seams });
    const out = await graph.invoke({ savedItemId: SEED_FLOWS.failing, inputs: {} });
    expect(out.status).toBe("failed");
    expect(out.error).toMatch(/failed/);
    expect(out.log.join("\n")).toMatch(/Error/);
  });

  it("kills the run at the deadline when asked", async () => {
    await h.close();
    h = await startHarness({ durations: { flow: 10 * 60_000 } });
    const graph = createFlowRunGraph({
      client: h.client,
      ...h.seams,
      deadlineMs: 20_000,
      cancelOnTimeout: true,
    });
    const out = await graph.invoke({
      savedItemId: SEED_FLOWS.summarize,
      inputs: { url: "https://example.com/a" },
    });
    expect(out.status).toBe("timed_out");
    expect(out.cancelRequested).toBe(true);
    const run = await h.client.call<{ state: string }>(
      { name: "get", route: "GET /get_pl_run", context: { user_id: "query" } },
      { run_id: out.runId },
    );
    expect(["TERMINATING", "TERMINATED"]).toContain(run.data.state);
  });

  it("adopts the run a start created when its answer was lost, from the run history, and never starts it twice", async () => {
    h.emulator.faults.add({ route: "POST /start_pipeline", kind: "drop", phase: "after", times: 1 });
    const graph = createFlowRunGraph({ client: h.client, ...h.seams });
    const out = await graph.invoke({
      savedItemId: SEED_FLOWS.summarize,
      inputs: { url: "https://example.com/b" },
    });
    expect(out.status).toBe("completed");
    expect(out.outputs["summary"]).toContain("https://example.com/b");
    expect(starts()).toHaveLength(1);
    expect(h.emulator.requests.some((request) => request.path.endsWith("/get_plrun_saved_item_map"))).toBe(
      true,
    );
  });

  it("ends as outcome_unknown, listing the candidates, when the history holds two new runs of the flow", async () => {
    // Someone else starts the same flow moments before our start loses its answer: two new runs in the history,
    // and nothing in it tells them apart.
    await h.client.call(
      { name: "other_start", route: "POST /start_pipeline", context: { user_id: "body" }, spread: "inputs" },
      { saved_item_id: SEED_FLOWS.summarize, inputs: { url: "https://example.com/other" } },
    );
    h.emulator.faults.add({ route: "POST /start_pipeline", kind: "drop", phase: "after", times: 1 });
    const graph = createFlowRunGraph({ client: h.client, ...h.seams });
    const out = await graph.invoke({
      savedItemId: SEED_FLOWS.summarize,
      inputs: { url: "https://example.com/mine" },
    });
    expect(out.status).toBe("outcome_unknown");
    expect(out.runId).toBeNull();
    expect(out.error).toMatch(/2 runs of flow .* started since .*restart: true/);
    expect(starts()).toHaveLength(2);
  });

  it("keeps a free plan's 2 flow slots with a shared gate: no 429s", async () => {
    await h.close();
    h = await startHarness({ plan: "free" });
    const gate = new ConcurrencyGate(2);
    const graph = createFlowRunGraph({ client: h.client, ...h.seams, gate });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        graph.invoke({ savedItemId: SEED_FLOWS.summarize, inputs: { url: `https://example.com/${i}` } }),
      ),
    );
    expect(results.every((result) => result.status === "completed")).toBe(true);
    expect(h.emulator.requests.filter((request) => request.status === 429)).toHaveLength(0);
    expect(starts()).toHaveLength(6);
  });

  it("waits out 429s on a free plan without a gate, starting each run exactly once", async () => {
    await h.close();
    h = await startHarness({ plan: "free" });
    const graph = createFlowRunGraph({ client: h.client, ...h.seams });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        graph.invoke({ savedItemId: SEED_FLOWS.summarize, inputs: { url: `https://example.com/${i}` } }),
      ),
    );
    expect(results.every((result) => result.status === "completed")).toBe(true);
    expect(h.emulator.requests.filter((request) => request.status === 429).length).toBeGreaterThan(0);
    expect(starts().filter((request) => request.status === 200)).toHaveLength(5);
  });

  it("runs as one composite tool call", async () => {
    const tool = createRunFlowTool({ client: h.client, ...h.seams });
    const message = await tool.invoke({
      id: "c1",
      name: "run_gumloop_flow",
      type: "tool_call",
      args: { saved_item_id: SEED_FLOWS.summarize, inputs: { url: "https://example.com/c" } },
    });
    const content = JSON.parse(String(message.content));
    expect(content.status).toBe("completed");
    expect(content.outputs.summary).toContain("https://example.com/c");
  });
});
