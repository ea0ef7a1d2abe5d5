/**
 * The composite session tool rides the session graph's streaming path: one stream and one read per call, and the
 * agent's text reaching the caller's custom stream (a parent graph's, or an MCP server's progress) as it is written.
 */
import {
  END,
  MessagesAnnotation,
  START,
  StateGraph,
  type LangGraphRunnableConfig,
} from "@langchain/langgraph";
import { afterEach, beforeEach, expect, it } from "vitest";
import { SEED_AGENTS } from "gumloop-emulator";
import { isGumloopProgressEvent, type GumloopProgressEvent } from "../../src/graphs/polling.js";
import { createRunAgentSessionTool } from "../../src/langchain/compositeTools.js";
import { acceptedCreates, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

it("run_gumloop_agent_session streams: one stream, one read, the agent's text in the caller's custom stream", async () => {
  const tool = createRunAgentSessionTool({ client: h.client, ...h.seams, downloadArtifacts: false });
  let content: Record<string, unknown> = {};
  const parent = new StateGraph(MessagesAnnotation)
    .addNode("run", async (_state, config: LangGraphRunnableConfig) => {
      const message = await tool.invoke(
        {
          type: "tool_call",
          id: "call_stream_1",
          name: tool.name,
          args: { agent_id: SEED_AGENTS.research, input: "salt marshes" },
        },
        config,
      );
      content = JSON.parse(String(message.content)) as Record<string, unknown>;
      return {};
    })
    .addEdge(START, "run")
    .addEdge("run", END)
    .compile();
  const events: GumloopProgressEvent[] = [];
  for await (const chunk of await parent.stream({ messages: [] }, { streamMode: "custom" })) {
    if (isGumloopProgressEvent(chunk)) events.push(chunk);
  }
  expect(content["status"]).toBe("completed");
  expect(content["polls"]).toBe(1);
  const text = events.flatMap((event) => (event.delta === undefined ? [] : [event.delta])).join("");
  expect(text).toBe(content["final_message"]);
  for (let i = 0; i < 1_000 && acceptedCreates(h.emulator).length === 0; i++)
    await new Promise((resolve) => setImmediate(resolve));
  expect(acceptedCreates(h.emulator).map((request) => request.host)).toEqual(["stream"]);
  const reads = h.emulator.requests.filter(
    (request) => request.host === "api" && request.route === "/sessions/{session_id}",
  );
  expect(reads).toHaveLength(1);
});
