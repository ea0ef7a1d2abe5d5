import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS } from "gumloop-emulator";
import { createRunAgentSessionTool } from "../../src/langchain/compositeTools.js";
import { ConcurrencyGate } from "../../src/graphs/gate/index.js";
import { createGumloopToolNode, gumloopToolNodeRetryPolicy } from "../../src/langchain/toolNode.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

function toolGraph(tools: ReturnType<GumloopToolManager["getTools"]>) {
  return new StateGraph(MessagesAnnotation)
    .addNode("tools", createGumloopToolNode(tools, { sleep: h.clock.sleep }), {
      retryPolicy: gumloopToolNodeRetryPolicy(),
    })
    .addEdge(START, "tools")
    .addEdge("tools", END)
    .compile();
}

const call = (name: string, args: Record<string, unknown>, id: string) => ({
  name,
  args,
  id,
  type: "tool_call" as const,
});

describe("createGumloopToolNode", () => {
  it("turns ordinary tool errors into error ToolMessages for the model", async () => {
    const manager = new GumloopToolManager({ client: h.client });
    const graph = toolGraph(manager.getTools({ tags: ["agents"] }));
    const out = await graph.invoke({
      messages: [
        new AIMessage({
          content: "",
          tool_calls: [call("get_single_gumloop_agent_by_id", { id: "agt_missing_0000" }, "c1")],
        }),
      ],
    });
    const message = out.messages.at(-1) as ToolMessage;
    expect(message.status).toBe("error");
    expect(message.content).toMatch(/^Error: get_single_gumloop_agent_by_id failed: 404/);
  });

  it("lets a 429 through to the retry policy, which waits and retries only the rate-limited call", async () => {
    const manager = new GumloopToolManager({ client: h.client });
    h.emulator.faults.add({
      route: "GET /agents",
      kind: "status",
      status: 429,
      headers: { "Retry-After": "3" },
      times: 2,
    });
    const graph = toolGraph(
      manager.getTools({ names: ["list_all_gumloop_agents", "create_a_gumloop_session"] }),
    );
    const startedAt = h.clock.now();
    const out = await graph.invoke({
      messages: [
        new AIMessage({
          content: "",
          tool_calls: [
            call("list_all_gumloop_agents", {}, "c1"),
            call("create_a_gumloop_session", { agent_id: SEED_AGENTS.assistant, input: "hello" }, "c2"),
          ],
        }),
      ],
    });
    const messages = out.messages.filter((message) => message instanceof ToolMessage) as ToolMessage[];
    expect(
      messages.map((message) => message.status),
      JSON.stringify(messages.map((m) => m.content)),
    ).toEqual(["success", "success"]);
    expect(h.clock.now() - startedAt).toBeGreaterThanOrEqual(6_000);
    expect(h.emulator.requests.filter((request) => request.path === "/api/v1/agents")).toHaveLength(3);
    // The session was created once, although the node ran three times.
    expect(
      h.emulator.requests.filter(
        (request) => request.method === "POST" && request.path.endsWith("/sessions"),
      ),
    ).toHaveLength(1);
  });
});

describe("results kept for a retried tool step", () => {
  const agentCalls = (agentId: string) =>
    h.emulator.requests.filter((request) => request.path === `/api/v1/agents/${agentId}`).length;
  const rateLimitAgentList = () =>
    h.emulator.faults.add({
      route: "GET /agents",
      kind: "status",
      status: 429,
      headers: { "Retry-After": "1" },
      times: 1,
    });

  it("are not reused for a call with the same id but other arguments", async () => {
    const manager = new GumloopToolManager({ client: h.client });
    const node = createGumloopToolNode(
      manager.getTools({ names: ["get_single_gumloop_agent_by_id", "list_all_gumloop_agents"] }),
      { sleep: h.clock.sleep },
    );
    rateLimitAgentList();
    await expect(
      node.invoke({
        messages: [
          new AIMessage({
            content: "",
            tool_calls: [
              call("get_single_gumloop_agent_by_id", { id: SEED_AGENTS.research }, "call_0"),
              call("list_all_gumloop_agents", {}, "call_1"),
            ],
          }),
        ],
      }),
    ).rejects.toThrow(/429/);
    // Another thread whose model happens to reuse the id "call_0" for another agent.
    const out = await node.invoke({
      messages: [
        new AIMessage({
          content: "",
          tool_calls: [call("get_single_gumloop_agent_by_id", { id: SEED_AGENTS.assistant }, "call_0")],
        }),
      ],
    });
    expect(String((out.messages[0] as ToolMessage).content)).toContain(SEED_AGENTS.assistant);
    expect(agentCalls(SEED_AGENTS.assistant)).toBe(1);
  });

  it("are dropped when the node gives up, so the same call later runs again", async () => {
    const manager = new GumloopToolManager({ client: h.client });
    const node = createGumloopToolNode(
      manager.getTools({ names: ["get_single_gumloop_agent_by_id", "list_all_gumloop_agents"] }),
      { sleep: h.clock.sleep },
    );
    const lookup = call("get_single_gumloop_agent_by_id", { id: SEED_AGENTS.research }, "call_0");
    rateLimitAgentList();
    const first = node.invoke({
      messages: [
        new AIMessage({ content: "", tool_calls: [lookup, call("list_all_gumloop_agents", {}, "call_1")] }),
      ],
    });
    await expect(first).rejects.toThrow(/429/);
    await node.invoke({ messages: [new AIMessage({ content: "", tool_calls: [lookup] })] });
    expect(agentCalls(SEED_AGENTS.research)).toBe(2);
  });

  it("rethrows a 429 at once on the policy's last attempt", async () => {
    const manager = new GumloopToolManager({ client: h.client });
    h.emulator.faults.add({
      route: "GET /agents",
      kind: "status",
      status: 429,
      headers: { "Retry-After": "3" },
    });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode(
        "tools",
        createGumloopToolNode(manager.getTools({ names: ["list_all_gumloop_agents"] }), {
          sleep: h.clock.sleep,
          random: () => 0,
          maxAttempts: 2,
        }),
        { retryPolicy: gumloopToolNodeRetryPolicy({ maxAttempts: 2 }) },
      )
      .addEdge(START, "tools")
      .addEdge("tools", END)
      .compile();
    const startedAt = h.clock.now();
    await expect(
      graph.invoke({
        messages: [new AIMessage({ content: "", tool_calls: [call("list_all_gumloop_agents", {}, "c1")] })],
      }),
    ).rejects.toThrow(/429/);
    // One wait (before the second attempt, as long as the server asked: no jitter drawn), none after the last.
    expect(h.clock.now() - startedAt).toBe(3_000);
  });
});

describe("composite tools", () => {
  it("lets createAgent run the research agent in one tool call instead of a polling loop", async () => {
    const manager = new GumloopToolManager({ client: h.client });
    const runSession = createRunAgentSessionTool({ client: h.client, ...h.seams, download: h.downloads });
    const model = fakeModel()
      .respondWithTools([{ name: "list_all_gumloop_agents", args: { search: "research" }, id: "c1" }])
      .respondWithTools([
        {
          name: "run_gumloop_agent_session",
          args: { agent_id: SEED_AGENTS.research, input: "kelp farming" },
          id: "c2",
        },
      ])
      .respond(new AIMessage("The report on kelp farming is ready."));
    // Annotated: a spread plus one more tool makes a tuple type that createAgent's overloads do not infer.
    const tools: StructuredToolInterface[] = [
      ...manager.getTools({ names: ["list_all_gumloop_agents"] }),
      runSession,
    ];
    const agent = createAgent({ model, tools });
    const out = await agent.invoke({ messages: [new HumanMessage("Research kelp farming")] });
    const toolMessages = out.messages.filter((message) => message instanceof ToolMessage) as ToolMessage[];
    expect(toolMessages.map((message) => message.status)).toEqual(["success", "success"]);
    const result = JSON.parse(String(toolMessages[1]!.content));
    expect(result.status).toBe("completed");
    expect(result.final_message).toContain("kelp farming");
    expect(result.artifacts.map((artifact: { filename: string }) => artifact.filename).sort()).toEqual([
      "kelp-farming-report.md",
      "kelp-farming-sources.csv",
    ]);
    expect(toolMessages[1]!.artifact.artifacts[0].bytes).toBeInstanceOf(Uint8Array);
    expect(model.callCount).toBe(3);
  });

  it("reports a session that needs approval as approval_required, without a checkpointer", async () => {
    const gate = new ConcurrencyGate(1);
    const runSession = createRunAgentSessionTool({
      client: h.client,
      ...h.seams,
      gate,
      downloadArtifacts: false,
    });
    const message = await runSession.invoke({
      id: "call_approval_1",
      name: "run_gumloop_agent_session",
      type: "tool_call" as const,
      args: { agent_id: SEED_AGENTS.approval, input: "send the email" },
    });
    const content = JSON.parse(String(message.content));
    expect(content.status).toBe("approval_required");
    expect(content.pending_approvals[0].action_request_id).toBeTruthy();
    expect(gate.active).toBe(0);
  });

  it("runs one session per tool call, even when the tool step runs again", async () => {
    const runSession = createRunAgentSessionTool({ client: h.client, downloadArtifacts: false });
    const call = {
      id: "call_same_1",
      name: "run_gumloop_agent_session",
      type: "tool_call" as const,
      args: { agent_id: SEED_AGENTS.research, input: "reefs" },
    };
    const first = await runSession.invoke(call);
    const again = await runSession.invoke(call);
    expect(JSON.parse(String(again.content)).session_id).toBe(JSON.parse(String(first.content)).session_id);
    expect(JSON.parse(String(again.content)).status).toBe("completed");
    const accepted = h.emulator.requests.filter(
      (request) => request.method === "POST" && request.path.endsWith("/sessions") && request.status === 202,
    );
    expect(accepted).toHaveLength(1);
  });
});
