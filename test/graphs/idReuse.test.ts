/**
 * Reusing an id never returns someone else's result: a session id shared by two threads, a finished thread
 * invoked with a new input, a thread whose job is still in flight, composite tools called twice.
 */
import { MemorySaver } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, GumloopError } from "../../src/client/errors.js";
import { SEED_AGENTS, SEED_FLOWS } from "gumloop-emulator";
import { createRunAgentSessionTool, createRunFlowTool } from "../../src/langchain/compositeTools.js";
import { createFlowRunGraph } from "../../src/graphs/flowRunGraph.js";
import { isOwnSession } from "../../src/graphs/sessionAdoption.js";
import { createSessionGraph } from "../../src/graphs/sessionGraph.js";
import { acceptedCreates, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ plan: "enterprise" });
});
afterEach(() => h.close());

const posts = (suffix: string) =>
  h.emulator.requests.filter((request) => request.method === "POST" && request.path.endsWith(suffix));
const summarize = (url: string) => ({ savedItemId: SEED_FLOWS.summarize, inputs: { url } });

describe("one sessionId, two threads", () => {
  it("the second thread, with another input, gets a ConflictError, not the first thread's report", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const sessionId = "lc_chosen_by_caller_01";
    const first = await graph.invoke({ agentId: SEED_AGENTS.research, input: "coral reefs", sessionId });
    expect(first.status).toBe("completed");
    expect(first.finalMessage).toContain("coral reefs");
    const second = graph.invoke({ agentId: SEED_AGENTS.research, input: "desert winds", sessionId });
    await expect(second).rejects.toThrow(ConflictError);
    await expect(second).rejects.toThrow(
      /lc_chosen_by_caller_01 .*not created by this job.*another sessionId/,
    );
    expect(posts("/sessions")).toHaveLength(2);
  });

  it("adopts only a session whose mark, or else whose agent and first message, are this job's", () => {
    const job = { agentId: "agt_1", input: "tides", jobKey: "k1" };
    const base = { id: "s1", agent_id: "agt_1", state: "completed" };
    expect(isOwnSession({ ...base, metadata: { client: { langchain_gumloop_job: "k1" } } }, job)).toBe(true);
    expect(isOwnSession({ ...base, metadata: { client: { langchain_gumloop_job: "k2" } } }, job)).toBe(false);
    // Without metadata (Gumloop does not document returning it), the first user message decides.
    expect(isOwnSession({ ...base, messages: [{ role: "user", content: "tides" }] }, job)).toBe(true);
    expect(isOwnSession({ ...base, messages: [{ role: "user", content: "winds" }] }, job)).toBe(false);
    expect(isOwnSession({ ...base, messages: [] }, job)).toBe(false);
    expect(
      isOwnSession({ ...base, agent_id: "agt_2", messages: [{ role: "user", content: "tides" }] }, job),
    ).toBe(false);
  });
});

describe("a thread invoked again", () => {
  const setup = () => ({
    graph: createFlowRunGraph({ client: h.client, ...h.seams, checkpointer: new MemorySaver() }),
    config: { configurable: { thread_id: "reused" } },
  });

  it("with a new input after its job finished: runs a new job and returns its result", async () => {
    const { graph, config } = setup();
    const first = await graph.invoke(summarize("https://example.com/one"), config);
    const second = await graph.invoke(summarize("https://example.com/two"), config);
    expect(second.status).toBe("completed");
    expect(second.runId).not.toBe(first.runId);
    expect(second.outputs["summary"]).toContain("https://example.com/two");
    expect(posts("/start_pipeline")).toHaveLength(2);
  });

  it("with the same input: returns its job as it stands, with no request; restart: true runs it again", async () => {
    const { graph, config } = setup();
    const first = await graph.invoke(summarize("https://example.com/same"), config);
    const before = h.emulator.requests.length;
    const again = await graph.invoke(summarize("https://example.com/same"), config);
    expect(again.runId).toBe(first.runId);
    expect(h.emulator.requests.length).toBe(before);
    const restarted = await graph.invoke({ ...summarize("https://example.com/same"), restart: true }, config);
    expect(restarted.status).toBe("completed");
    expect(restarted.runId).not.toBe(first.runId);
    expect(restarted.restart).toBe(false);
    expect(posts("/start_pipeline")).toHaveLength(2);
  });

  it("with a new input while its job is in flight: refuses, naming the job and the ways out", async () => {
    const { graph, config } = setup();
    const controller = new AbortController();
    const running = graph.stream(summarize("https://example.com/slow"), {
      ...config,
      signal: controller.signal,
      streamMode: "custom",
    });
    for await (const _progress of await running) {
      controller.abort();
      break;
    }
    const state = await graph.getState(config);
    expect(state.values.runId).toBeTruthy();
    const other = graph.invoke(summarize("https://example.com/other"), config);
    await expect(other).rejects.toThrow(GumloopError);
    await expect(other).rejects.toThrow(
      /flow run \(run_\w+\) is still running for another input.*restart: true/,
    );
    // Invoked with its own input again, the first job carries on; nothing else was started.
    const resumed = await graph.invoke(summarize("https://example.com/slow"), config);
    expect(resumed.status).toBe("completed");
    expect(resumed.outputs["summary"]).toContain("https://example.com/slow");
    expect(posts("/start_pipeline")).toHaveLength(1);
  });
});

describe("composite tools called twice", () => {
  const toolCall = (id: string, args: Record<string, unknown>) => ({
    id,
    name: "",
    args,
    type: "tool_call" as const,
  });

  it("the session tool: the same call adopts its session; another call runs its own", async () => {
    const tool = createRunAgentSessionTool({ client: h.client, ...h.seams, downloadArtifacts: false });
    const args = { agent_id: SEED_AGENTS.research, input: "kelp" };
    const config = { configurable: { thread_id: "agent-thread" } };
    const first = JSON.parse(
      String((await tool.invoke({ ...toolCall("call_a", args), name: tool.name }, config)).content),
    );
    const repeat = JSON.parse(
      String((await tool.invoke({ ...toolCall("call_a", args), name: tool.name }, config)).content),
    );
    const other = JSON.parse(
      String((await tool.invoke({ ...toolCall("call_b", args), name: tool.name }, config)).content),
    );
    expect(repeat.session_id).toBe(first.session_id);
    expect(repeat.status).toBe("completed");
    expect(other.session_id).not.toBe(first.session_id);
    expect(acceptedCreates(h.emulator)).toHaveLength(2);
  });

  it("the flow tool with a checkpointer: the same call returns its run; another call (new inputs) runs anew", async () => {
    const tool = createRunFlowTool({ client: h.client, ...h.seams, checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "agent-thread" } };
    const call = (id: string, url: string) => ({
      ...toolCall(id, { saved_item_id: SEED_FLOWS.summarize, inputs: { url } }),
      name: tool.name,
    });
    const first = JSON.parse(
      String((await tool.invoke(call("call_1", "https://example.com/a"), config)).content),
    );
    const repeat = JSON.parse(
      String((await tool.invoke(call("call_1", "https://example.com/a"), config)).content),
    );
    const other = JSON.parse(
      String((await tool.invoke(call("call_2", "https://example.com/b"), config)).content),
    );
    expect(repeat.run_id).toBe(first.run_id);
    expect(other.run_id).not.toBe(first.run_id);
    expect(other.outputs.summary).toContain("https://example.com/b");
    expect(posts("/start_pipeline")).toHaveLength(2);
  });
});

describe('onApproval "interrupt" without a checkpointer', () => {
  it("is refused when the composite tool is built", () => {
    expect(() => createRunAgentSessionTool({ client: h.client, onApproval: "interrupt" })).toThrow(
      /needs a checkpointer/,
    );
  });

  it("is refused by the graph before anything is sent", async () => {
    h.emulator.clearRequests();
    const graph = createSessionGraph({ client: h.client, ...h.seams, onApproval: "interrupt" });
    await expect(graph.invoke({ agentId: SEED_AGENTS.approval, input: "send the mail" })).rejects.toThrow(
      /needs a checkpointer.*Nothing was sent/,
    );
    expect(h.emulator.requests).toHaveLength(0);
  });
});
