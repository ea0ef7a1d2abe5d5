/** The MCP server's tool set: the manager's filters, schemas, annotations, answers and errors, over the SDK client. */
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GumloopError } from "../../src/client/errors.js";
import { createGumloopMcpServer } from "../../src/mcp/server.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import type { CatalogueFilter } from "../../src/catalogue/filter.js";
import { JOB_TOOLS } from "../../src/mcp/catalogue.js";
import { connectInMemory } from "./connect.js";
import { startMcpHarness, type McpHarness } from "./emulator.js";

let h: McpHarness;
let manager: GumloopToolManager;
beforeAll(async () => {
  h = await startMcpHarness();
  manager = new GumloopToolManager({ client: h.client });
});
afterAll(() => h.close());

const text = (result: Record<string, unknown>) =>
  (result["content"] as { type: string; text: string }[])[0]!.text;
const listed = async (filter: CatalogueFilter, toolExposure?: "all" | "discovery") => {
  const client = await connectInMemory({
    client: h.client,
    filter,
    ...(toolExposure ? { toolExposure } : {}),
  });
  const { tools } = await client.listTools();
  await client.close();
  return tools;
};

describe("the MCP server's identity", () => {
  const identity = (tools: Awaited<ReturnType<typeof listed>>) =>
    tools.filter((tool) =>
      Object.keys(tool.inputSchema.properties ?? {}).some((key) => ["user_id", "project_id"].includes(key)),
    );

  it("lets the model pass user_id and project_id by default, and leaves them out with pinIdentity", async () => {
    expect(identity(await listed({ tags: ["flows"] })).length).toBeGreaterThan(0);
    const client = await connectInMemory({
      client: h.client,
      filter: { tags: ["flows"] },
      pinIdentity: true,
    });
    const { tools } = await client.listTools();
    await client.close();
    expect(identity(tools)).toEqual([]);
  });
});

describe("the MCP server's filters", () => {
  it.each<CatalogueFilter>([
    {},
    { methods: ["read"] },
    { methods: ["write"] },
    { methods: ["custom"] },
    { tags: ["sessions"] },
    { tags: ["sessions", "artifacts"] },
    { tags: ["admin"] },
    { tags: ["flows"], methods: ["read"] },
    { readOnly: true },
    { tags: ["skills"], readOnly: true },
  ])("serves what the manager selects for %j, plus the job tools it allows", async (filter) => {
    const names = (await listed(filter)).map((tool) => tool.name);
    let expected: string[] = [];
    try {
      expected = manager.getDefinitions(filter).map((definition) => definition.name);
    } catch {
      // Only job tools match (e.g. no catalogue tool) — none of these cases.
    }
    const jobs = JOB_TOOLS.filter(
      (job) =>
        !filter.readOnly &&
        (!filter.methods || filter.methods.includes("write")) &&
        (!filter.tags || job.tags.some((tag) => filter.tags!.includes(tag))),
    ).map((job) => job.name);
    expect(names).toEqual([...expected, ...jobs]);
  });

  it("counts 38 + 3 tools unfiltered, 21 read-only, and job tools by name", async () => {
    expect(await listed({})).toHaveLength(41);
    expect(await listed({ readOnly: true })).toHaveLength(21);
    expect((await listed({ names: ["run_gumloop_agent_session"] })).map((tool) => tool.name)).toEqual([
      "run_gumloop_agent_session",
    ]);
  });

  it("refuses a filter that matches nothing, or names unknown values, before serving", () => {
    expect(() =>
      createGumloopMcpServer({ client: h.client, filter: { tags: ["teams"], methods: ["write"] } }),
    ).toThrow(/No Gumloop tool matches/);
    expect(() => createGumloopMcpServer({ client: h.client, filter: { tags: ["billing"] } })).toThrow(
      GumloopError,
    );
    expect(() => createGumloopMcpServer({ client: h.client, filter: { names: ["rm_rf"] } })).toThrow(
      /Valid names/,
    );
  });

  it("gives every tool an object schema without $ref, a title and the four annotations", async () => {
    const tools = await listed({});
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe("object");
      expect(JSON.stringify(tool.inputSchema), tool.name).not.toMatch(/"\$ref"|"\$defs"|"\$schema"/);
      expect(tool.title, tool.name).toBeTruthy();
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"])
        expect(typeof (tool.annotations as Record<string, unknown>)[hint], `${tool.name} ${hint}`).toBe(
          "boolean",
        );
    }
    const session = tools.find((tool) => tool.name === "run_gumloop_agent_session")!;
    expect(session.execution?.taskSupport).toBe("optional");
    expect(Object.keys(session.inputSchema.properties!)).toContain("request_key");
    expect(
      tools.find((tool) => tool.name === "delete_a_gumloop_skill_by_id")!.annotations!.destructiveHint,
    ).toBe(true);
  });
});

describe("calling tools over MCP", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connectInMemory({
      client: h.client,
      filter: { tags: ["agents", "skills"], readOnly: true },
    });
  });
  afterAll(() => client.close());

  it("returns the LangChain tool's content, and the same JSON as structuredContent", async () => {
    const args = { search: "research" };
    const result = await client.callTool({ name: "list_all_gumloop_agents", arguments: args });
    const direct = await manager.getTool("list_all_gumloop_agents").invoke(args);
    expect(text(result)).toBe(direct);
    expect(result.structuredContent).toEqual(JSON.parse(String(direct)));
    expect(result.isError).toBeFalsy();
  });

  it("refuses a tool outside the filter without sending anything", async () => {
    const before = h.emulator.requests.length;
    await expect(
      client.callTool({ name: "create_a_gumloop_agent", arguments: { name: "x" } }),
    ).rejects.toThrow(McpError);
    await expect(client.callTool({ name: "list_all_gumloop_teams", arguments: {} })).rejects.toThrow(
      /Unknown tool/,
    );
    expect(h.emulator.requests.length).toBe(before);
  });

  it("answers invalid arguments with a tool error that names the field, sending nothing", async () => {
    const before = h.emulator.requests.length;
    const result = await client.callTool({ name: "list_all_gumloop_agents", arguments: { page_size: 500 } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Invalid input for list_all_gumloop_agents \(nothing was sent\): page_size/);
    expect(h.emulator.requests.length).toBe(before);
  });

  it("answers a 429 with a tool error that says how long to wait, and no secrets", async () => {
    h.emulator.faults.add({
      route: "GET /agents",
      kind: "status",
      status: 429,
      headers: { "Retry-After": "7" },
      times: 1,
    });
    const result = await client.callTool({ name: "list_all_gumloop_agents", arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/wait 7 s/);
    expect(
      (result.structuredContent as { error: { retry_after_seconds: number } }).error.retry_after_seconds,
    ).toBe(7);
    const all = JSON.stringify(result);
    for (const secret of [h.emulator.apiKey, h.emulator.userId]) expect(all).not.toContain(secret);
  });

  it("returns a downloaded text file as an embedded resource, never as base64 text", async () => {
    const skills = JSON.parse(
      text(await client.callTool({ name: "list_all_gumloop_skills", arguments: {} })),
    ).result;
    const result = await client.callTool({
      name: "get_single_gumloop_skill_by_id",
      arguments: { id: skills[0].id },
    });
    expect(result.isError).toBeFalsy();
    const blocks = result.content as {
      type: string;
      text?: string;
      resource?: { text?: string; blob?: string };
    }[];
    for (const block of blocks) {
      expect(block.resource?.blob).toBeUndefined();
      expect(block.text ?? "").not.toMatch(/[A-Za-z0-9+/]{200,}={0,2}/);
    }
    expect(blocks.some((block) => block.type === "resource" || block.type === "resource_link")).toBe(true);
  });
});

describe("discovery exposure over MCP", () => {
  it("lists only search_tools, get_tool_schema and call_tool, and call_tool reaches only the filter's tools", async () => {
    const client = await connectInMemory({
      client: h.client,
      filter: { tags: ["agents"] },
      toolExposure: "discovery",
    });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual([
      "search_tools",
      "get_tool_schema",
      "call_tool",
    ]);
    const found = await client.callTool({
      name: "search_tools",
      arguments: { query: "search agents by name" },
    });
    expect(JSON.parse(text(found)).result[0].name).toBe("list_all_gumloop_agents");
    const schema = await client.callTool({
      name: "get_tool_schema",
      arguments: { tool_names: ["list_all_gumloop_agents"] },
    });
    expect(JSON.parse(text(schema)).result.tools[0].input_schema.type).toBe("object");
    const called = await client.callTool({
      name: "call_tool",
      arguments: { tool_name: "list_all_gumloop_agents", arguments: { search: "research" } },
    });
    expect(text(called)).toBe(
      await manager.getTool("list_all_gumloop_agents").invoke({ search: "research" }),
    );
    const before = h.emulator.requests.length;
    const outside = await client.callTool({
      name: "call_tool",
      arguments: { tool_name: "list_all_gumloop_teams", arguments: {} },
    });
    expect(outside.isError).toBe(true);
    expect(text(outside)).toMatch(/Unknown tool "list_all_gumloop_teams"/);
    await expect(client.callTool({ name: "list_all_gumloop_agents", arguments: {} })).rejects.toThrow(
      /Unknown tool/,
    );
    expect(h.emulator.requests.length).toBe(before);
    await client.close();
  });
});
