/** Discovery exposure of GumloopToolManager: three tools that find, describe and run the selected tools. */
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import { ToolMessage } from "@langchain/core/messages";
import { getEncoding } from "js-tiktoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GumloopError } from "../../src/client/errors.js";
import type { Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { GumloopToolManager } from "../../src/toolManager.js";

let emulator: Emulator;
let manager: GumloopToolManager;
beforeAll(async () => {
  emulator = await startTestEmulator();
  manager = new GumloopToolManager(emulator.clientOptions());
});
afterAll(() => emulator.close());

const byName = (tools: ReturnType<GumloopToolManager["getTools"]>) =>
  Object.fromEntries(tools.map((tool) => [tool.name, tool]));
const call = (id: string, name: string, args: Record<string, unknown>) => ({
  type: "tool_call" as const,
  id,
  name,
  args,
});

describe("getTools({ exposure: 'discovery' })", () => {
  it("returns search_tools, get_tool_schema and call_tool within 700 o200k tokens", () => {
    const tools = manager.getTools({ exposure: "discovery" });
    expect(tools.map((tool) => tool.name)).toEqual(["search_tools", "get_tool_schema", "call_tool"]);
    const encoder = getEncoding("o200k_base");
    const tokens = tools.reduce(
      (sum, tool) => sum + encoder.encode(JSON.stringify(convertToOpenAITool(tool))).length,
      0,
    );
    expect(tokens).toBeLessThanOrEqual(700);
  });

  it("search_tools finds tools by name, tag, description and argument words, best first", async () => {
    const { search_tools } = byName(manager.getTools({ exposure: "discovery" }));
    const hits = (query: string, limit?: number) =>
      search_tools!
        .invoke({ query, ...(limit ? { limit } : {}) })
        .then((text) => JSON.parse(String(text)).result.map((hit: { name: string }) => hit.name));
    expect((await hits("start an agent session"))[0]).toBe("create_a_gumloop_session");
    expect(await hits("export credit logs")).toContain("create_a_gumloop_export_datum");
    expect(await hits("saved_item_id")).toContain("get_single_gumloop_automation_by_id");
    expect(await hits("skills", 2)).toHaveLength(2);
    expect(await hits("zzzz unrelated")).toEqual([]);
  });

  it("get_tool_schema returns schemas of 1-5 selected tools and did-you-mean for others", async () => {
    const { get_tool_schema } = byName(manager.getTools({ exposure: "discovery", readOnly: true }));
    const answer = JSON.parse(
      String(
        await get_tool_schema!.invoke({
          tool_names: ["list_all_gumloop_agents", "list_gumloop_agent", "create_a_gumloop_agent"],
        }),
      ),
    ).result;
    expect(answer.tools.map((tool: { name: string }) => tool.name)).toEqual(["list_all_gumloop_agents"]);
    expect(answer.tools[0].input_schema.type).toBe("object");
    expect(answer.tools[0].input_schema.properties.search).toBeDefined();
    // Outside the read-only filter, create_a_gumloop_agent is as unknown as a misspelt name.
    expect(answer.unknown.map((item: { name: string }) => item.name)).toEqual([
      "list_gumloop_agent",
      "create_a_gumloop_agent",
    ]);
    expect(answer.unknown[0].did_you_mean[0]).toBe("list_all_gumloop_agents");
    await expect(get_tool_schema!.invoke({ tool_names: [] })).rejects.toThrow();
    await expect(get_tool_schema!.invoke({ tool_names: ["a", "b", "c", "d", "e", "f"] })).rejects.toThrow();
  });

  it("call_tool returns what the direct tool returns, content and artifact", async () => {
    const { call_tool } = byName(manager.getTools({ exposure: "discovery", tags: ["agents"] }));
    const args = { search: "research" };
    const direct = (await manager
      .getTool("list_all_gumloop_agents")
      .invoke(call("direct", "list_all_gumloop_agents", args))) as ToolMessage;
    const viaCall = (await call_tool!.invoke(
      call("via", "call_tool", { tool_name: "list_all_gumloop_agents", arguments: args }),
    )) as ToolMessage;
    expect(viaCall.content).toBe(direct.content);
    expect((viaCall.artifact as { data: unknown }).data).toEqual((direct.artifact as { data: unknown }).data);
  });

  it("call_tool validates like the direct tool and reaches only the selected tools", async () => {
    const { call_tool } = byName(
      manager.getTools({ exposure: "discovery", tags: ["agents"], readOnly: true }),
    );
    const direct = manager.getTool("list_all_gumloop_agents").invoke({ bogus: 1 } as never);
    const viaCall = call_tool!.invoke({ tool_name: "list_all_gumloop_agents", arguments: { bogus: 1 } });
    const [directError, viaError] = await Promise.all([direct.catch((e) => e), viaCall.catch((e) => e)]);
    expect((viaError as Error).message).toBe((directError as Error).message);
    const before = emulator.requests.length;
    await expect(
      call_tool!.invoke({ tool_name: "create_a_gumloop_agent", arguments: { name: "x" } }),
    ).rejects.toThrow(GumloopError);
    await expect(call_tool!.invoke({ tool_name: "list_all_gumloop_teams", arguments: {} })).rejects.toThrow(
      /Unknown tool "list_all_gumloop_teams".*Did you mean/,
    );
    expect(emulator.requests.length).toBe(before);
  });
});
