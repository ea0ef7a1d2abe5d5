import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import type { ToolMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_FLOWS, type Emulator } from "gumloop-emulator";
import { flowInputKeys, toolNameFor } from "../../src/langchain/flowTool.js";
import { GumloopClient } from "../../src/client/client.js";
import { GumloopToolManager as Manager } from "../../src/toolManager.js";
import { startTestEmulator } from "../helpers/emulator.js";
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

  it("gives inputs with names providers refuse keys they accept, and sends the real names", async () => {
    const named = await startTestEmulator({
      seedData: {
        flows: [
          {
            name: "Lead Lookup",
            inputs: [
              { name: "Company Name", data_type: "string" },
              { name: "company_name", data_type: "string" },
              { name: "Région / pays", data_type: "string" },
            ],
          },
        ],
      },
    });
    try {
      const flows = new Manager({ client: new GumloopClient(named.clientOptions()) });
      const listed = await flows.client.call(
        (await import("../../src/tools/index.js")).ENDPOINTS.list_all_gumloop_flows,
      );
      const id = listed.data.saved_items!.find((item) => item.name === "Lead Lookup")!.saved_item_id;
      for (const strict of [false, true]) {
        const tool = await flows.getFlowTool(id, { strict });
        const parameters = convertToOpenAITool(tool, strict ? { strict } : undefined).function.parameters as {
          properties: Record<string, unknown>;
          required?: string[];
        };
        const keys = Object.keys(parameters.properties);
        expect(keys.sort()).toEqual(["company_name", "company_name_2", "region_pays"]);
        for (const key of keys) expect(key).toMatch(/^[a-zA-Z0-9_.-]{1,64}$/);
        if (strict) expect(parameters.required?.sort()).toEqual(keys.sort());
        named.clearRequests();
        const args = strict
          ? { company_name_2: "Acme", company_name: "lower", region_pays: null }
          : { company_name_2: "Acme", company_name: "lower" };
        const message = (await tool.invoke({
          id: "c1",
          name: tool.name,
          type: "tool_call",
          args,
        })) as ToolMessage;
        expect(message.status, String(message.content)).not.toBe("error");
        const start = named.requests.find((request) => request.path.endsWith("/start_pipeline"))!;
        expect(start.body).toMatchObject({ "Company Name": "Acme", company_name: "lower" });
      }
    } finally {
      await named.close();
    }
  });

  it("keeps a valid name as it is and numbers colliding keys", () => {
    expect([...flowInputKeys(["url", "Company Name", "company_name"])]).toEqual([
      ["url", "url"],
      ["company_name_2", "Company Name"],
      ["company_name", "company_name"],
    ]);
  });
});
