/**
 * What a model is told when a tool's write may have taken effect: Gumloop answered 500, 502 or 504 after starting
 * the flow run (the emulator's handler ran, then its answer was spoiled). The ToolMessage must say so, name how to
 * check, and the run must exist once; 501 and 503 (nothing was handled) stay plain failures. Nothing is sent twice.
 */
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { createAgent } from "langchain";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED_FLOWS, type Emulator } from "gumloop-emulator";
import type { GumloopToolManager } from "../../src/toolManager.js";
import { ENDPOINTS } from "../../src/tools/index.js";
import { startEmulatorTools } from "./emulatorTools.js";

let emulator: Emulator;
let manager: GumloopToolManager;
beforeAll(async () => ({ emulator, manager } = await startEmulatorTools()));
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.faults.clear();
  emulator.clearRequests();
});

const runs = () => (emulator.inspect() as unknown as { flows: { runs: { total: number } } }).flows.runs.total;
const starts = () => emulator.requests.filter((request) => request.path.endsWith("/start_pipeline"));

/** Runs one create_a_gumloop_flow_run call through an agent and returns the ToolMessage the model sees. */
async function startThroughAgent(): Promise<ToolMessage> {
  const model = fakeModel()
    .respondWithTools([
      {
        name: "create_a_gumloop_flow_run",
        args: { saved_item_id: SEED_FLOWS.summarize, inputs: { url: "https://example.com/outcome" } },
        id: "c1",
      },
    ])
    .respond(new AIMessage("Done."));
  const agent = createAgent({ model, tools: manager.getTools({ names: ["create_a_gumloop_flow_run"] }) });
  const out = await agent.invoke({ messages: [new HumanMessage("Start the flow")] });
  return out.messages.find((message) => message instanceof ToolMessage) as ToolMessage;
}

describe("create_a_gumloop_flow_run answered with a status after the run was created", () => {
  it.each([
    [500, "internal_error"],
    [502, "bad_gateway"],
    [504, "gateway_timeout"],
  ])("%i: the model is told it may have taken effect and how to check", async (status, code) => {
    emulator.faults.add({ route: "POST /start_pipeline", kind: "status", status, phase: "after", times: 1 });
    const before = runs();
    const message = await startThroughAgent();
    const content = String(message.content);
    expect(message.status).toBe("error");
    expect(content).toContain("create_a_gumloop_flow_run may or may not have taken effect");
    expect(content).toContain(`Gumloop answered ${status} ${code} after the request was sent`);
    expect(content).toContain("It was not sent again");
    expect(content).toContain(ENDPOINTS.create_a_gumloop_flow_run.reconcileHint);
    expect(content).not.toContain(`create_a_gumloop_flow_run failed: ${status}`);
    expect(starts()).toHaveLength(1);
    expect(runs() - before).toBe(1);
  });

  it.each([
    [501, "internal_error"],
    [503, "service_unavailable"],
  ])("%i (not handled) stays a plain failure, not sent again", async (status, code) => {
    emulator.faults.add({ route: "POST /start_pipeline", kind: "status", status, times: 1 });
    const before = runs();
    const message = await startThroughAgent();
    const content = String(message.content);
    expect(message.status).toBe("error");
    expect(content).toContain(`create_a_gumloop_flow_run failed: ${status} ${code}`);
    expect(content).not.toContain("taken effect");
    expect(starts()).toHaveLength(1);
    expect(runs()).toBe(before);
  });
});
