/**
 * `__proto__` (and `constructor`) are ordinary key names inside free-form objects: session `metadata`, flow
 * `inputs`, a webhook payload, MCP `arguments`. A model's JSON can carry them; they must reach Gumloop as data,
 * not be dropped (zod's record parser leaves `__proto__` out, and createAgent's hand-over copies it into a
 * prototype) and not become any object's prototype.
 */
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { createAgent } from "langchain";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_FLOWS, type Emulator } from "gumloop-emulator";
import type { GumloopToolManager } from "../../src/toolManager.js";
import { restoreProtoKeys } from "../../src/langchain/protoKeys.js";
import { ENDPOINTS } from "../../src/tools/index.js";
import { startEmulatorTools } from "./emulatorTools.js";

let emulator: Emulator;
let manager: GumloopToolManager;
beforeAll(async () => ({ emulator, manager } = await startEmulatorTools()));
afterAll(() => emulator.close());
beforeEach(() => emulator.clearRequests());

/** As a model's tool call arrives: parsed JSON, where `__proto__` is an own key. */
const TRICKY = '{"__proto__": {"polluted": "yes"}, "constructor": "c", "plain": 1}';
const tricky = () => JSON.parse(TRICKY) as Record<string, unknown>;

/** The body the emulator received for the one request to a path ending in `suffix`. */
function sentBody(suffix: string): Record<string, unknown> {
  const requests = emulator.requests.filter((request) => request.path.endsWith(suffix));
  expect(requests).toHaveLength(1);
  return requests[0]!.body as Record<string, unknown>;
}

function expectTricky(value: unknown): void {
  const object = value as Record<string, unknown>;
  expect(Object.keys(object)).toEqual(["__proto__", "constructor", "plain"]);
  expect(Object.getOwnPropertyDescriptor(object, "__proto__")?.value).toEqual({ polluted: "yes" });
  expect(object["polluted"]).toBeUndefined();
}

describe("__proto__ keys in free-form objects reach Gumloop as data", () => {
  it("session metadata, plain and strict tools, and back from Gumloop", async () => {
    const session = JSON.parse(
      String(
        await manager
          .getTool("create_a_gumloop_session")
          .invoke({ agent_id: SEED_AGENTS.assistant, metadata: tricky() }),
      ),
    ).result as { id: string };
    expectTricky(sentBody("/sessions").metadata);
    const read = await manager.client.call(ENDPOINTS.get_single_gumloop_session_by_id, {
      session_id: session.id,
    });
    expectTricky((read.data.session["metadata"] as { client: unknown }).client);

    emulator.clearRequests();
    await manager.getTool("create_a_gumloop_session", { strict: true }).invoke({
      agent_id: SEED_AGENTS.assistant,
      metadata: TRICKY,
      input: null,
      session_id: null,
      name: null,
    });
    expectTricky(sentBody("/sessions").metadata);
  });

  it("flow inputs, spread into the start body", async () => {
    await manager
      .getTool("create_a_gumloop_flow_run")
      .invoke({ saved_item_id: SEED_FLOWS.summarize, inputs: { ...tricky(), url: "https://example.com/p" } });
    const body = sentBody("/start_pipeline");
    expect(Object.keys(body)).toEqual(expect.arrayContaining(["__proto__", "constructor", "plain", "url"]));
    expect(Object.getOwnPropertyDescriptor(body, "__proto__")?.value).toEqual({ polluted: "yes" });
  });

  it("a webhook payload of a per-flow tool", async () => {
    const tool = await manager.getFlowTool(SEED_FLOWS.failing);
    emulator.clearRequests();
    await tool.invoke({ payload: tricky() }).catch(() => undefined);
    const body = sentBody("/start_pipeline");
    expect(Object.getOwnPropertyDescriptor(body, "__proto__")?.value).toEqual({ polluted: "yes" });
  });

  it("MCP arguments", async () => {
    await manager
      .getTool("create_a_gumloop_mcp_tool")
      .invoke({
        calls: [{ server_id: "gumloop_slack", tool_name: "slack_send_message", arguments: tricky() }],
      })
      .catch(() => undefined);
    const [call] = sentBody("/mcp/tools/call").calls as { arguments: unknown }[];
    expectTricky(call!.arguments);
  });

  it("from a model's tool call through an agent", async () => {
    const model = fakeModel()
      .respondWithTools([
        {
          name: "create_a_gumloop_session",
          args: JSON.parse(`{"agent_id": "${SEED_AGENTS.assistant}", "metadata": ${TRICKY}}`),
          id: "c1",
        },
      ])
      .respond(new AIMessage("Done."));
    const agent = createAgent({ model, tools: manager.getTools({ names: ["create_a_gumloop_session"] }) });
    await agent.invoke({ messages: [new HumanMessage("Start a session")] });
    expectTricky(sentBody("/sessions").metadata);
  });

  it("leaves Object.prototype alone, and still refuses what is not an object", async () => {
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    const error = await manager
      .getTool("create_a_gumloop_session")
      .invoke({ agent_id: SEED_AGENTS.assistant, metadata: [1] })
      .catch((e: unknown) => e as Error);
    expect((error as Error).message).toContain("metadata: must be a JSON object");
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("restoreProtoKeys", () => {
  /** What a copy by assignment makes of parsed JSON: `__proto__` becomes the prototype. */
  function copiedByAssignment(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(copiedByAssignment);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = copiedByAssignment(item);
    return out;
  }

  it("puts the keys back at any depth, nested __proto__ values and arrays included", () => {
    // Restored keys come first: a copy does not say where they were.
    const json =
      '{"__proto__": [1, 2], "a": [{"__proto__": {"__proto__": {"x": 1}, "y": 2}, "z": 3}], "b": 4}';
    const copied = copiedByAssignment(JSON.parse(json));
    expect(JSON.stringify(copied)).not.toContain("__proto__");
    expect(JSON.stringify(restoreProtoKeys(copied))).toBe(JSON.stringify(JSON.parse(json)));
  });

  it("returns the same value when nothing was turned, and leaves class instances and binaries alone", () => {
    const plain = JSON.parse(`{"m": ${TRICKY}, "list": [1, {"a": null}]}`);
    expect(restoreProtoKeys(plain)).toBe(plain);
    class Point {
      constructor(readonly x: number) {}
    }
    const others = {
      point: new Point(1),
      bytes: new Uint8Array([1, 2]),
      when: new Date(0),
      bare: Object.create(null),
    };
    const restored = restoreProtoKeys(others) as typeof others;
    expect(restored).toBe(others);
  });
});
