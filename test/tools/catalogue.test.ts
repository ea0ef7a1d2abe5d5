import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import { ChatOpenAI } from "@langchain/openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseRoute } from "../../src/client/definition.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { ALL_ENDPOINTS, ENDPOINTS, type EndpointDefinition } from "../../src/tools/index.js";

const manager = new GumloopToolManager({ apiKey: "test-key", userId: "user_1", env: {} });

/** Every object node of a JSON schema, with its path. */
function objects(schema: unknown, path = "$"): [string, Record<string, unknown>][] {
  if (schema === null || typeof schema !== "object") return [];
  const node = schema as Record<string, unknown>;
  const found: [string, Record<string, unknown>][] =
    node["type"] === "object" || node["properties"] ? [[path, node]] : [];
  for (const [key, value] of Object.entries(node)) {
    if (value && typeof value === "object") found.push(...objects(value, `${path}.${key}`));
  }
  return found;
}

const TRUTO_NAMES = [
  "create_a_gumloop_agent",
  "list_all_gumloop_agents",
  "get_single_gumloop_agent_by_id",
  "update_a_gumloop_agent_by_id",
  "get_single_gumloop_artifact_by_id",
  "list_all_gumloop_artifacts",
  "create_a_gumloop_chat_completion",
  "get_single_gumloop_file_by_id",
  "list_all_gumloop_files",
  "create_a_gumloop_file",
  "gumloop_files_bulk_create",
  "list_all_gumloop_flows",
  "list_all_gumloop_workbooks",
  "get_single_gumloop_automation_by_id",
  "list_all_gumloop_automation_runs",
  "create_a_gumloop_mcp_tool",
  "list_all_gumloop_mcp_servers",
  "get_single_gumloop_mcp_server_by_id",
  "list_all_gumloop_mcp_server_tools",
  "list_all_gumloop_models",
  "create_a_gumloop_export_datum",
  "get_single_gumloop_data_export_by_id",
  "list_all_gumloop_audit_logs",
  "update_a_gumloop_permission_group_user_by_id",
  "gumloop_workspace_users_bulk_update",
  "delete_a_gumloop_flow_run_by_id",
  "create_a_gumloop_flow_run",
  "get_single_gumloop_run_by_id",
  "delete_a_gumloop_session_by_id",
  "create_a_gumloop_session",
  "get_single_gumloop_session_by_id",
  "create_a_gumloop_skill",
  "delete_a_gumloop_skill_by_id",
  "get_single_gumloop_skill_by_id",
  "list_all_gumloop_skills",
  "update_a_gumloop_skill_by_id",
  "list_all_gumloop_teams",
  "create_a_gumloop_session_message",
];

describe("the catalogue", () => {
  it("has Truto's 38 tool names, unique and valid for OpenAI and Anthropic", () => {
    const names = ALL_ENDPOINTS.map((definition) => definition.name);
    expect(names).toEqual(TRUTO_NAMES);
    expect(new Set(names).size).toBe(38);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    for (const [key, definition] of Object.entries(ENDPOINTS)) expect(definition.name).toBe(key);
  });

  it("classes methods as Truto does: 21 read, 15 write, 2 custom", () => {
    const count = (method: string) =>
      ALL_ENDPOINTS.filter((definition) => definition.method === method).length;
    expect([count("read"), count("write"), count("custom")]).toEqual([21, 15, 2]);
    for (const definition of ALL_ENDPOINTS) {
      const expected = /^(list_all|get_single)_/.test(definition.name)
        ? "read"
        : /^(create_a|update_a|delete_a)_/.test(definition.name)
          ? "write"
          : "custom";
      expect(definition.method, definition.name).toBe(expected);
    }
  });

  it("gives each tool exactly one area tag, and admin to the five enterprise-admin operations", () => {
    const areas = [
      "agents",
      "artifacts",
      "chat",
      "files",
      "flows",
      "mcp",
      "models",
      "exports",
      "audit",
      "organization",
      "sessions",
      "skills",
      "teams",
    ];
    const counts: Record<string, number> = {};
    for (const definition of ALL_ENDPOINTS) {
      const own = definition.tags.filter((tag) => areas.includes(tag));
      expect(own, definition.name).toHaveLength(1);
      counts[own[0]!] = (counts[own[0]!] ?? 0) + 1;
    }
    expect(counts).toEqual({
      agents: 4,
      artifacts: 2,
      chat: 1,
      files: 4,
      flows: 7,
      mcp: 4,
      models: 1,
      exports: 2,
      audit: 1,
      organization: 2,
      sessions: 4,
      skills: 5,
      teams: 1,
    });
    const admin = ALL_ENDPOINTS.filter((definition) => definition.tags.includes("admin")).map((d) => d.name);
    expect(admin.sort()).toEqual([
      "create_a_gumloop_export_datum",
      "get_single_gumloop_data_export_by_id",
      "gumloop_workspace_users_bulk_update",
      "list_all_gumloop_audit_logs",
      "update_a_gumloop_permission_group_user_by_id",
    ]);
  });

  it.each(ALL_ENDPOINTS.map((definition) => [definition.name, definition] as const))(
    "%s: route variables are inputs, every field is described, the description says what to do",
    (_name, definition) => {
      const { pathParams } = parseRoute(definition.route);
      const shape = definition.input.shape as Record<string, z.ZodType>;
      // A path variable is an input, or the Gumloop name an input is mapped to (Truto's `id`).
      const wire = Object.keys(shape).map((key) => definition.aliases?.[key] ?? key);
      for (const param of pathParams) expect(wire).toContain(param);
      const parameters = convertToOpenAITool(manager.getTool(definition.name)).function.parameters as {
        properties: Record<string, { description?: string }>;
      };
      // Identity fields go undescribed (Gumloop's own names; a description would cost ~180 tokens).
      for (const [key, property] of Object.entries(parameters.properties)) {
        if ((definition.identity ?? []).includes(key as never)) continue;
        expect(property.description, `${definition.name}.${key}`).toBeTruthy();
      }
      expect(definition.description.length).toBeGreaterThan(10);
      expect(definition.description.length).toBeLessThan(260);
      expect(definition.annotations.readOnlyHint).toBe(definition.method === "read");
    },
  );

  it("follows Gumloop where Truto's descriptions differ", () => {
    expect(ENDPOINTS.delete_a_gumloop_session_by_id.route).toBe("POST /sessions/{session_id}/cancel");
    expect(ENDPOINTS.create_a_gumloop_flow_run.description).toContain("run_id");
    expect(ENDPOINTS.create_a_gumloop_session_message.description).toMatch(/no reply here/);
    expect((ENDPOINTS.create_a_gumloop_file as EndpointDefinition).encoding ?? "json").toBe("json");
    expect(ENDPOINTS.create_a_gumloop_session_message.description).toMatch(/approval_required/);
    expect(ENDPOINTS.create_a_gumloop_skill.encoding).toBe("multipart");
    expect(ENDPOINTS.create_a_gumloop_chat_completion.host).toBe("stream");
  });
});

describe("schemas as the providers see them", () => {
  const tools = manager.getTools();

  it.each(tools.map((tool) => [tool.name, tool] as const))(
    "%s: plain schema has no $ref, no $schema, an object root",
    (_n, tool) => {
      const openai = convertToOpenAITool(tool);
      const text = JSON.stringify(openai);
      expect(text).not.toContain("$ref");
      expect(text).not.toContain("$defs");
      expect(text).not.toContain("$schema");
      const parameters = openai.function.parameters as Record<string, unknown>;
      expect(parameters["type"]).toBe("object");
      // Anthropic takes the same JSON Schema as input_schema: an object with properties.
      expect(parameters["properties"]).toBeTypeOf("object");
    },
  );

  it.each(manager.getTools({ strict: true }).map((tool) => [tool.name, tool] as const))(
    "%s: strict variant lists every property as required and closes every object",
    (_n, tool) => {
      const parameters = convertToOpenAITool(tool, { strict: true }).function.parameters;
      for (const [path, node] of objects(parameters)) {
        const properties = Object.keys((node["properties"] as object) ?? {});
        expect(node["additionalProperties"], path).toBe(false);
        expect([...((node["required"] as string[]) ?? [])].sort(), path).toEqual(properties.sort());
      }
      expect(JSON.stringify(parameters)).not.toContain('"default"');
    },
  );

  it("binds to ChatOpenAI offline, plain and strict", () => {
    const model = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test" });
    const bound = model.bindTools(tools) as unknown as { defaultOptions: { tools: unknown[] } };
    expect(bound.defaultOptions.tools).toHaveLength(38);
    const strict = model.bindTools(manager.getTools({ strict: true }), { strict: true }) as unknown as {
      defaultOptions: { tools: { function: { strict?: boolean } }[] };
    };
    expect(strict.defaultOptions.tools.every((tool) => tool.function.strict === true)).toBe(true);
  });
});
