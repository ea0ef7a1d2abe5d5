/**
 * Schemas are built on first use: importing the catalogue builds none, building a tool builds none, and the first
 * model binding or call builds its one schema once. This is what keeps the package's import cheap
 * (bench/importCost.ts); these tests keep it true, and keep lazy tools behaving exactly like eager ones.
 */
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { GumloopClient } from "../../src/client/client.js";
import { GumloopValidationError } from "../../src/client/errors.js";
import { DISCOVERY_INPUTS } from "../../src/catalogue/discovery.js";
import { buildTool } from "../../src/langchain/buildTool.js";
import { buildDiscoveryTools } from "../../src/langchain/discoveryTools.js";
import { GumloopStructuredTool } from "../../src/langchain/gumloopTool.js";
import { ALL_ENDPOINTS, defineEndpoint } from "../../src/tools/index.js";
import { READ } from "../../src/tools/types.js";
import type { Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";

/** A read of one model list, with an input function that counts how often it runs. */
function countedDefinition() {
  const built = { count: 0 };
  const definition = defineEndpoint({
    name: "list_all_gumloop_models",
    method: "read",
    tags: ["models"],
    route: "GET /models",
    description: "List models.",
    annotations: READ,
    input: () => {
      built.count += 1;
      return z.object({ provider: z.string().optional().describe("Provider") });
    },
  });
  return { definition, built };
}

describe("definitions build their input schema on first read", () => {
  it("every catalogue definition is written lazily: its input is a getter", () => {
    const eager = ALL_ENDPOINTS.filter(
      (definition) => typeof Object.getOwnPropertyDescriptor(definition, "input")?.get !== "function",
    );
    expect(eager.map((definition) => definition.name)).toEqual([]);
    expect(ALL_ENDPOINTS).toHaveLength(38);
  });

  it("runs the input function once, on the first read, and keeps its schema", () => {
    const { definition, built } = countedDefinition();
    expect(built.count).toBe(0);
    expect(Object.keys(definition)).toContain("input");
    const first = definition.input;
    expect(definition.input).toBe(first);
    expect(built.count).toBe(1);
    expect(definition.idempotent).toBe(true);
  });

  it("still takes a schema built up front, as callers' own definitions may give it", () => {
    const input = z.object({ q: z.string() });
    const definition = defineEndpoint({ ...countedDefinition().definition, input });
    expect(definition.input).toBe(input);
  });

  it("builds the discovery inputs on first read, once", () => {
    expect(typeof Object.getOwnPropertyDescriptor(DISCOVERY_INPUTS, "call_tool")?.get).toBe("function");
    expect(DISCOVERY_INPUTS.call_tool).toBe(DISCOVERY_INPUTS.call_tool);
    expect(Object.keys(DISCOVERY_INPUTS)).toEqual(["search_tools", "get_tool_schema", "call_tool"]);
  });
});

describe("tools build their schema on first use", () => {
  let emulator: Emulator;
  let client: GumloopClient;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    client = new GumloopClient(emulator.clientOptions());
  });
  afterAll(() => emulator.close());

  it("building a tool builds no schema; binding it builds one, once, and calls reuse it", async () => {
    const { definition, built } = countedDefinition();
    const tool = buildTool(definition, client);
    expect(built.count).toBe(0);

    const bound = convertToOpenAITool(tool);
    expect(bound.function.parameters).toMatchObject({ properties: { provider: { type: "string" } } });
    expect(built.count).toBe(1);

    const message = await tool.invoke({ type: "tool_call", id: "call_1", name: tool.name, args: {} });
    expect(String(message.content)).toContain("result");
    expect(built.count).toBe(1);
  });

  it("checks input against the lazily built schema before anything is sent", async () => {
    const { definition } = countedDefinition();
    const tool = buildTool(definition, client);
    const before = emulator.requests.length;
    await expect(tool.invoke({ provider: 7 })).rejects.toThrow(GumloopValidationError);
    expect(emulator.requests.length).toBe(before);
  });

  it("a strict tool builds its strict variant lazily too", () => {
    const { definition, built } = countedDefinition();
    const tool = buildTool(definition, client, { strict: true });
    expect(built.count).toBe(0);
    const parameters = convertToOpenAITool(tool, { strict: true }).function.parameters as {
      required?: string[];
    };
    expect(parameters.required).toEqual(["provider"]);
    expect(built.count).toBe(1);
  });

  it("discovery tools build the directory of schemas on the first search, not when they are built", async () => {
    const { definition, built } = countedDefinition();
    const [search] = buildDiscoveryTools([buildTool(definition, client)]);
    expect(built.count).toBe(0);
    const found = JSON.parse(String(await search!.invoke({ query: "provider models" }))) as {
      result: { name: string }[];
    };
    expect(found.result.map((hit) => hit.name)).toEqual(["list_all_gumloop_models"]);
    expect(built.count).toBe(1);
  });

  it("a lazy schema can be replaced like LangChain's own field", () => {
    let calls = 0;
    const tool = new GumloopStructuredTool({
      name: "echo",
      description: "Echo.",
      schema: () => {
        calls += 1;
        return z.object({ text: z.string() });
      },
      func: async (input: Record<string, unknown>) => JSON.stringify(input),
    });
    const replacement = z.object({ other: z.number() });
    tool.schema = replacement;
    expect(tool.schema).toBe(replacement);
    expect(calls).toBe(0);
  });
});
