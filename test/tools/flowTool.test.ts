import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import type { ToolMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_FLOWS, type Emulator } from "gumloop-emulator";
import { toolNameFor } from "../../src/langchain/flowTool.js";
import type { GumloopToolManager } from "../../src/toolManager.js";
import { startEmulatorTools } from "./emulatorTools.js";

let emulator: Emulator;
let manager: GumloopToolManager;
beforeAll(async () => ({ emulator, manager } = await startEmulatorTools()));
afterAll(() => emulator.close());

describe("getFlowTool", () => {
  it("builds a tool named after the flow whose schema is exactly the flow's inputs", async () => {
    const tool = await manager.getFlowTool(SEED_FLOWS.report);
    expect(tool.name).toBe("run_gumloop_flow_generate_report");
    const parameters = convertToOpenAITool(tool).function.parameters as {
      properties: Record<string, { description?: string }>;
    };
    expect(Object.keys(parameters.properties).sort()).toEqual(["source_file", "topic"]);
    expect(parameters.properties["source_file"]!.description).toMatch(/create_a_gumloop_file/);
    expect(JSON.stringify(parameters)).not.toContain("pipeline_inputs");
  });

  it("starts a run with the values as the flow's named inputs", async () => {
    const tool = await manager.getFlowTool(SEED_FLOWS.summarize);
    emulator.clearRequests();
    const message = (await tool.invoke({
      id: "c1",
      name: tool.name,
      type: "tool_call",
      args: { url: "https://example.com/flow-tool" },
    })) as ToolMessage;
    expect(JSON.parse(String(message.content)).result.run_id).toMatch(/^run_/);
    const start = emulator.requests.find((request) => request.path.endsWith("/start_pipeline"))!;
    expect(start.body).toMatchObject({
      saved_item_id: SEED_FLOWS.summarize,
      url: "https://example.com/flow-tool",
    });
  });

  it("rejects inputs the flow does not have before sending anything", async () => {
    const tool = await manager.getFlowTool(SEED_FLOWS.summarize);
    emulator.clearRequests();
    await expect(tool.invoke({ link: "x" })).rejects.toThrow(/link/);
    expect(emulator.requests).toHaveLength(0);
  });

  it("gives a flow with no named inputs one payload object, sent as the body a Webhook Input receives", async () => {
    const tool = await manager.getFlowTool(SEED_FLOWS.failing);
    const parameters = convertToOpenAITool(tool).function.parameters as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(parameters.properties)).toEqual(["payload"]);
    emulator.clearRequests();
    await tool.invoke({ payload: { event: "signup", attempts: 2 } });
    const start = emulator.requests.find((request) => request.path.endsWith("/start_pipeline"))!;
    expect(start.body).toMatchObject({ saved_item_id: SEED_FLOWS.failing, event: "signup", attempts: 2 });
    emulator.clearRequests();
    await expect(tool.invoke({ payload: { user_id: "someone_else" } })).rejects.toThrow(
      /inputs\.user_id.*reserved by Gumloop/,
    );
    expect(emulator.requests).toHaveLength(0);
  });

  it("makes names the providers accept", () => {
    expect(toolNameFor("Weekly Report (v2) — EMEA!")).toBe("run_gumloop_flow_weekly_report_v2_emea");
    expect(toolNameFor("x".repeat(100))).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });
});
