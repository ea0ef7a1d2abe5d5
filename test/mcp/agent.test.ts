/**
 * A LangChain agent on our MCP server through @langchain/mcp-adapters (a client no one here wrote): a scripted
 * model finds the research agent, runs it with the composite session tool in one call, and answers from the report.
 */
import { MultiServerMCPClient } from "@langchain/mcp-adapters";
import { ToolMessage } from "@langchain/core/messages";
import { createAgent } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedModel } from "../../bench/scriptedModel.js";
import { compositePolicy } from "../../bench/turns.js";
import { startHttpMcp, type HttpMcp } from "./connect.js";
import { answered, startMcpHarness, type McpHarness } from "./emulator.js";

let h: McpHarness;
let mcp: HttpMcp;
beforeAll(async () => {
  h = await startMcpHarness({ durations: { research: 60_000 } });
  mcp = await startHttpMcp({ client: h.client, jobOptions: h.jobOptions });
});
afterAll(async () => {
  await mcp.close();
  await h.close();
});

type Json = Record<string, any>;
const last = (results: Map<string, unknown[]>, name: string) => results.get(name)?.at(-1) as Json | undefined;

describe("a LangChain agent through @langchain/mcp-adapters", () => {
  it("researches a topic with the composite session tool and reads the report", async () => {
    const { token } = mcp.store.create({
      name: "agent",
      filter: { tags: ["agents", "sessions", "artifacts"] },
    });
    const client = new MultiServerMCPClient({
      mcpServers: { gumloop: { transport: "http", url: `${mcp.url}/mcp/${token}` } },
      prefixToolNameWithServerName: false,
      throwOnLoadError: true,
    });
    try {
      const tools = await client.getTools();
      expect(tools.map((tool) => tool.name)).toContain("run_gumloop_agent_session");
      const model = new ScriptedModel(compositePolicy, async () => {}, {
        answer: (results) => `Summary: ${last(results, "run_gumloop_agent_session")?.["final_message"]}`,
      });
      const state = await createAgent({ model, tools }).invoke(
        { messages: [{ role: "user", content: "Research tidal energy" }] },
        { recursionLimit: 20 },
      );
      const answer = String(state.messages.at(-1)!.content);
      expect(answer).toContain("Here is my research report on tidal energy");
      expect(model.calls).toBe(3);
      const run = state.messages.find(
        (message) => ToolMessage.isInstance(message) && message.name === "run_gumloop_agent_session",
      ) as ToolMessage;
      // The report file arrives as an embedded text resource: in the tool's artifact, not as base64.
      expect(JSON.stringify(run.artifact)).toContain("# Research report: tidal energy");
      expect(answered(h.emulator, "POST /agents/{agent_id}/sessions")).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
