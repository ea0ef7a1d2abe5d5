/**
 * Every provider, offline: the real provider classes (ChatOpenAI on the chat and responses APIs, strict and not;
 * ChatAnthropic; ChatGoogleGenerativeAI) send their requests to a local recording server that checks each
 * request's tool schemas against that provider's documented rules (schemaRules.ts) and answers in the provider's
 * wire format (wire.ts) with a tool call. A `createAgent` loop then runs the tool against the emulator and the
 * provider sees its result. The tools bound: the 38, the three discovery tools, the three composite tools and a
 * per-flow tool whose input is named "Company Name", in their strict (or Gemini) variants where the provider needs
 * them.
 */
import { ChatAnthropic } from "@langchain/anthropic";
import { HumanMessage } from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { ChatGoogleGenerativeAI } from "@langchain/google-genai";
import { ChatOpenAI } from "@langchain/openai";
import { createAgent } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "gumloop-emulator";
import { GumloopClient } from "../../../src/client/client.js";
import {
  createExportDataTool,
  createRunAgentSessionTool,
  createRunFlowTool,
} from "../../../src/langchain/compositeTools.js";
import { GumloopToolManager } from "../../../src/toolManager.js";
import { ENDPOINTS } from "../../../src/tools/index.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { startRecordingServer, type RecordingServer } from "../../helpers/recordingServer.js";
import { anthropic, gemini, openAiChat, openAiResponses, withNulls, type ProviderWire } from "./wire.js";

interface Provider {
  readonly name: string;
  readonly wire: ProviderWire;
  readonly strict: boolean;
  readonly gemini?: boolean;
  readonly model: (origin: string) => BaseChatModel;
}

const PROVIDERS: readonly Provider[] = [
  {
    name: "ChatOpenAI (chat completions)",
    wire: openAiChat,
    strict: false,
    model: (origin) =>
      new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", configuration: { baseURL: origin } }),
  },
  {
    name: "ChatOpenAI (chat completions, strict)",
    wire: openAiChat,
    strict: true,
    model: (origin) =>
      new ChatOpenAI({
        model: "gpt-4o-mini",
        apiKey: "sk-test",
        supportsStrictToolCalling: true,
        configuration: { baseURL: origin },
      }),
  },
  {
    name: "ChatOpenAI (responses)",
    wire: openAiResponses,
    strict: false,
    model: (origin) =>
      new ChatOpenAI({
        model: "gpt-4o-mini",
        apiKey: "sk-test",
        useResponsesApi: true,
        configuration: { baseURL: origin },
      }),
  },
  {
    name: "ChatOpenAI (responses, strict)",
    wire: openAiResponses,
    strict: true,
    model: (origin) =>
      new ChatOpenAI({
        model: "gpt-4o-mini",
        apiKey: "sk-test",
        useResponsesApi: true,
        supportsStrictToolCalling: true,
        configuration: { baseURL: origin },
      }),
  },
  {
    name: "ChatAnthropic",
    wire: anthropic,
    strict: false,
    model: (origin) =>
      new ChatAnthropic({
        model: "claude-sonnet-4-5",
        apiKey: "sk-ant-test",
        anthropicApiUrl: origin,
        maxRetries: 0,
      }),
  },
  {
    name: "ChatGoogleGenerativeAI",
    wire: gemini,
    strict: false,
    gemini: true,
    model: (origin) =>
      new ChatGoogleGenerativeAI({
        model: "gemini-2.0-flash",
        apiKey: "test-key",
        baseUrl: origin,
        maxRetries: 0,
      }),
  },
];

let emulator: Emulator;
let server: RecordingServer;
let manager: GumloopToolManager;
let flowId: string;

beforeAll(async () => {
  emulator = await startTestEmulator({
    seedData: { flows: [{ name: "Lead Lookup", inputs: [{ name: "Company Name", data_type: "string" }] }] },
  });
  server = await startRecordingServer();
  manager = new GumloopToolManager({ client: new GumloopClient(emulator.clientOptions()) });
  const flows = await manager.client.call(ENDPOINTS.list_all_gumloop_flows);
  flowId = flows.data.saved_items!.find((flow) => flow.name === "Lead Lookup")!.saved_item_id;
});
afterAll(async () => {
  await server.close();
  await emulator.close();
});

/** Every tool we build, in the variant the provider runs. */
async function allTools(variant: { strict: boolean; gemini: boolean }): Promise<StructuredToolInterface[]> {
  const client = manager.client;
  return [
    ...manager.getTools(variant),
    ...manager.getTools({ ...variant, exposure: "discovery" }),
    createRunAgentSessionTool({ client, ...variant }),
    createRunFlowTool({ client, ...variant }),
    createExportDataTool({ client, ...variant }),
    await manager.getFlowTool(flowId, variant),
  ];
}

describe.each(PROVIDERS.map((provider) => [provider.name, provider] as const))("%s", (_name, provider) => {
  it("accepts every tool's schema, calls a tool, and reads its result from the emulator", async () => {
    server.reset();
    const problems: string[] = [];
    let seenResult: string | null = null;
    server.fallback = (request) => {
      const body = request.json as Record<string, any>;
      problems.push(...provider.wire.problems(body));
      seenResult = provider.wire.toolResult(body);
      if (seenResult !== null)
        return { status: 200, body: provider.wire.text("The research agent is there.") };
      const name = "list_all_gumloop_agents";
      const args = { search: "research" };
      const call = provider.strict ? withNulls(provider.wire.parameters(body, name), args) : args;
      return { status: 200, body: provider.wire.toolCall(name, call) };
    };
    const agent = createAgent({
      model: provider.model(new URL(server.url).origin),
      tools: await allTools({ strict: provider.strict, gemini: provider.gemini ?? false }),
    });
    const out = await agent.invoke({ messages: [new HumanMessage("Which research agents do we have?")] });

    expect(problems).toEqual([]);
    expect(server.requests).toHaveLength(2);
    const sent = JSON.stringify(server.requests[0]!.json);
    for (const name of ["run_gumloop_flow_lead_lookup", "call_tool", "run_gumloop_agent_session"])
      expect(sent).toContain(name);
    expect(seenResult).toContain("Deep Research Agent");
    expect(out.messages.at(-1)!.text).toContain("research agent");
  });
});
