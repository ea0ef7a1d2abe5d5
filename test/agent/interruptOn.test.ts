/**
 * `gumloopInterruptOn`: the `interruptOn` map of `humanInTheLoopMiddleware` from the catalogue's marks, checked
 * over every kind of Gumloop tool, and used in a real `createAgent` loop that pauses a flow start for a human.
 */
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { tool } from "@langchain/core/tools";
import { Command, MemorySaver } from "@langchain/langgraph";
import { createAgent, humanInTheLoopMiddleware } from "langchain";
import { z } from "zod";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_FLOWS } from "gumloop-emulator";
import { gumloopInterruptOn, gumloopToolRetryMiddleware } from "../../src/agent/index.js";
import {
  createExportDataTool,
  createRunAgentSessionTool,
  createRunFlowTool,
} from "../../src/graphs/index.js";
import { ALL_ENDPOINTS } from "../../src/tools/index.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { startHarness, type Harness } from "../graphs/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const SPENDING = [
  "create_a_gumloop_chat_completion",
  "create_a_gumloop_mcp_tool",
  "create_a_gumloop_flow_run",
  "create_a_gumloop_session",
  "create_a_gumloop_session_message",
];

describe("gumloopInterruptOn", () => {
  it("asks before every destructive tool and every tool that spends credits, and no other", () => {
    const tools = new GumloopToolManager({ client: h.client }).getTools();
    const interruptOn = gumloopInterruptOn(tools);
    const destructive = ALL_ENDPOINTS.filter((d) => d.annotations.destructiveHint).map((d) => d.name);
    expect(destructive).toContain("delete_a_gumloop_skill_by_id");
    expect(Object.keys(interruptOn).sort()).toEqual([...new Set([...destructive, ...SPENDING])].sort());
    // Reads never ask.
    for (const definition of ALL_ENDPOINTS.filter((d) => d.annotations.readOnlyHint))
      expect(interruptOn).not.toHaveProperty(definition.name);

    expect(Object.keys(gumloopInterruptOn(tools, { destructive: false })).sort()).toEqual(
      [...SPENDING].sort(),
    );
    expect(Object.keys(gumloopInterruptOn(tools, { spendsCredits: false })).sort()).toEqual(
      destructive.sort(),
    );
    const { allowedDecisions } = gumloopInterruptOn(tools, { allowedDecisions: ["approve", "reject"] })[
      "delete_a_gumloop_skill_by_id"
    ]!;
    expect(allowedDecisions).toEqual(["approve", "reject"]);
  });

  it("judges composite tools by their job, per-flow tools as flow starts, call_tool by what it may run", async () => {
    const manager = new GumloopToolManager({ client: h.client });
    const params = { client: h.client, ...h.seams };
    const other = tool(async () => "x", {
      name: "other",
      description: "not Gumloop's",
      schema: z.object({}),
    });
    const tools = [
      createRunAgentSessionTool(params),
      createRunFlowTool(params),
      createExportDataTool(params),
      await manager.getFlowTool(SEED_FLOWS.summarize),
      other,
    ];
    const interruptOn = gumloopInterruptOn(tools);
    expect(Object.keys(interruptOn).sort()).toEqual(
      ["run_gumloop_agent_session", "run_gumloop_flow", "run_gumloop_flow_summarize_article"].sort(),
    );
    const reviewText = (name: string) =>
      (interruptOn[name]!.description as (call: object) => string)({ name, args: { a: 1 }, id: "c" });
    expect(reviewText("run_gumloop_flow")).toMatch(
      /^Spends Gumloop credits\.\n\nTool: run_gumloop_flow\nArgs: /,
    );

    const discovery = (filter: Parameters<GumloopToolManager["getTools"]>[0]) =>
      Object.keys(gumloopInterruptOn(manager.getTools({ ...filter, exposure: "discovery" })));
    expect(discovery({ readOnly: true })).toEqual([]);
    expect(discovery({ tags: ["skills"] })).toEqual(["call_tool"]);
    const [callTool] = manager.getTools({ tags: ["skills", "sessions"], exposure: "discovery" }).slice(-1);
    const text = (gumloopInterruptOn([callTool!])["call_tool"]!.description as (call: object) => string)({
      name: "call_tool",
      args: {},
    });
    expect(text).toContain("delete_a_gumloop_skill_by_id");
    expect(text).toContain(
      "Spends Gumloop credits (create_a_gumloop_session, create_a_gumloop_session_message)",
    );
  });

  it("pauses a flow start in createAgent until a human decides; rejected, nothing starts", async () => {
    const tools = new GumloopToolManager({ client: h.client }).getTools({
      names: ["list_all_gumloop_flows", "create_a_gumloop_flow_run"],
    });
    const starts = () =>
      h.emulator.requests.filter((request) => request.path.endsWith("/start_pipeline")).length;
    const agentFor = () =>
      createAgent({
        model: fakeModel()
          .respond(
            new AIMessage({
              content: "",
              tool_calls: [
                { name: "list_all_gumloop_flows", args: {}, id: "list", type: "tool_call" },
                {
                  name: "create_a_gumloop_flow_run",
                  args: { saved_item_id: SEED_FLOWS.summarize, inputs: { url: "https://example.com" } },
                  id: "start",
                  type: "tool_call",
                },
              ],
            }),
          )
          .respond(new AIMessage("done")),
        tools,
        checkpointer: new MemorySaver(),
        middleware: [
          humanInTheLoopMiddleware({ interruptOn: gumloopInterruptOn(tools) }),
          gumloopToolRetryMiddleware(),
        ],
      });

    const approved = agentFor();
    const config = { configurable: { thread_id: "approve" } };
    const paused = await approved.invoke({ messages: [new HumanMessage("summarize it")] }, config);
    const request = paused.__interrupt__![0]!.value as {
      actionRequests: { name: string; description: string }[];
    };
    expect(request.actionRequests.map((action) => action.name)).toEqual(["create_a_gumloop_flow_run"]);
    expect(request.actionRequests[0]!.description).toMatch(/^Spends Gumloop credits\./);
    expect(starts()).toBe(0);
    const done = await approved.invoke(new Command({ resume: { decisions: [{ type: "approve" }] } }), config);
    const started = done.messages.find(
      (message) => ToolMessage.isInstance(message) && message.name === "create_a_gumloop_flow_run",
    ) as ToolMessage;
    expect(started.status).toBe("success");
    expect(starts()).toBe(1);

    const rejected = agentFor();
    const other = { configurable: { thread_id: "reject" } };
    await rejected.invoke({ messages: [new HumanMessage("summarize it")] }, other);
    await rejected.invoke(
      new Command({ resume: { decisions: [{ type: "reject", message: "not now" }] } }),
      other,
    );
    expect(starts()).toBe(1);
  });
});
