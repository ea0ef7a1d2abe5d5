/**
 * Table-driven over all 38 tools against the emulator: each tool called with only its required fields and with
 * all of them; method, path, query and body placement checked in the emulator's request log; the documented
 * response reaches the model in the unified `{ result, next_cursor }` shape, and the full response is the artifact.
 */
import type { ToolMessage } from "@langchain/core/messages";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GumloopClient } from "../../src/client/client.js";
import type { GumloopResponse } from "../../src/client/client.js";
import {
  SEED_FLOWS,
  SEED_MCP_SERVERS,
  SEED_ORG,
  SEED_SESSIONS,
  SEED_SKILLS,
  SEED_AGENTS,
  type Emulator,
} from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { ALL_ENDPOINTS, ENDPOINTS, type ToolName } from "../../src/tools/index.js";
import { NOT_IN_ALL, toolCases, type DynamicIds } from "./cases.js";

let emulator: Emulator;
let manager: GumloopToolManager;
let ids: DynamicIds & { artifactId: string };

beforeEach(async () => {
  emulator = await startTestEmulator({ plan: "enterprise" });
  const client = new GumloopClient({
    apiKey: emulator.apiKey,
    userId: emulator.userId,
    baseUrl: emulator.url,
    streamBaseUrl: emulator.streamUrl,
    env: {},
  });
  manager = new GumloopToolManager({ client });
  const exported = await client.call<{ data_export_id: string }>(ENDPOINTS.create_a_gumloop_export_datum, {
    data_type: "agents",
    export_fields: ["agent_id"],
    start_date: "2026-01-01T00:00:00Z",
    end_date: "2026-06-01T00:00:00Z",
    include_all_workspaces: true,
  });
  const run = await client.call<{ run_id: string }>(ENDPOINTS.create_a_gumloop_flow_run, {
    saved_item_id: SEED_FLOWS.summarize,
    inputs: { url: "https://example.com/x" },
  });
  const artifacts = await client.call<{ artifacts: { id: string }[] }>(ENDPOINTS.list_all_gumloop_artifacts, {
    agent_id: SEED_AGENTS.research,
    session_id: Object.values(SEED_SESSIONS)[0],
  });
  ids = {
    skillId: SEED_SKILLS.leadEnrichment ?? Object.values(SEED_SKILLS)[0]!,
    exportId: exported.data.data_export_id,
    runId: run.data.run_id,
    organizationId: SEED_ORG.organizationId,
    workspaceId: SEED_ORG.workspaces.operations,
    groupId: SEED_ORG.roles.analysts,
    memberEmail: SEED_ORG.emails.charles,
    mcpServerId: SEED_MCP_SERVERS.slack ?? "gumloop_slack",
    mcpToolName: "slack_send_message",
    secondTeamId: emulator.secondTeamId,
    memberUserId: SEED_ORG.userIds.charles,
    artifactId: artifacts.data.artifacts[0]!.id,
  };
  emulator.clearRequests();
});
afterEach(() => emulator.close());

function substitute(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value).replaceAll("ARTIFACT", ids.artifactId)) as Record<string, unknown>;
}

it("the all-fields call of every tool gives every field of its schema (but those NOT_IN_ALL names)", () => {
  const cases = toolCases(ids);
  const missing = ALL_ENDPOINTS.flatMap((definition) =>
    Object.keys(definition.input.shape)
      .filter((field) => !(field in cases[definition.name as ToolName].all) && !(field in NOT_IN_ALL))
      .map((field) => `${definition.name}.${field}`),
  );
  expect(missing).toEqual([]);
});

describe.each(ALL_ENDPOINTS.map((definition) => [definition.name as ToolName]))("%s", (name) => {
  it.each(["required", "all"] as const)(
    "with %s fields: placement on the wire and the unified result",
    async (variant) => {
      const spec = toolCases(ids)[name];
      const input = substitute(spec[variant]);
      const tool = manager.getTool(name);
      const message = (await tool.invoke({
        id: "call_1",
        name,
        args: input,
        type: "tool_call",
      })) as ToolMessage;
      expect(message.status, String(message.content)).toBe("success");

      const requests = emulator.requests.filter((request) => request.host !== "storage");
      expect(requests).toHaveLength(1);
      const [request] = requests;
      expect(request!.method).toBe(spec.method);
      expect(request!.path.replace(/^\/(ws\/)?api\/v1/, "")).toBe(substitute({ p: spec.path })["p"]);
      if (variant === "all") {
        for (const key of spec.query ?? [])
          expect(Object.keys(request!.query), `query ${key}`).toContain(key);
        const body = (request!.body ?? {}) as Record<string, unknown>;
        for (const key of spec.body ?? []) expect(Object.keys(body), `body ${key}`).toContain(key);
      }
      // Identity never leaks into paths, and the user id is only where Gumloop reads it.
      expect(request!.path).not.toContain(emulator.userId);

      const artifact = message.artifact as GumloopResponse;
      const status = typeof spec.status === "object" ? spec.status[variant] : (spec.status ?? 200);
      expect(artifact.status).toBe(status);
      const content = JSON.parse(String(message.content)) as { result: unknown; next_cursor?: unknown };
      expect(content).toHaveProperty("result");
      if (artifact.format === "binary" || artifact.format === "text") {
        expect(content.result).toMatchObject({ file: { size: expect.any(Number) } });
      } else {
        const documented = Object.keys(artifact.data as object).filter((key) => key !== "next_cursor");
        expect(Object.keys(content.result as object).sort()).toEqual(documented.sort());
      }
    },
  );
});
