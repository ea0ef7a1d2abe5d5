/**
 * Table-driven over all 38 tools against the emulator: each tool called with only its required fields and with
 * all of them; method, path, query and body placement checked in the emulator's request log; the documented
 * response reaches the model in the unified `{ result, next_cursor }` shape, and the full response is the artifact.
 */
import type { ToolMessage } from "@langchain/core/messages";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GumloopClient } from "../../src/client/client.js";
import type { GumloopResponse } from "../../src/client/client.js";
import type { Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { ALL_ENDPOINTS, ENDPOINTS, type EndpointDefinition, type ToolName } from "../../src/tools/index.js";
import { NOT_IN_ALL, toolCases, type DynamicIds } from "./cases.js";
import { seededIds } from "./seededIds.js";

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
  ids = await seededIds(emulator, client);
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
      const content = JSON.parse(String(message.content)) as Record<string, unknown>;
      expect(content).toHaveProperty("result");
      if (artifact.format === "binary" || artifact.format === "text") {
        expect(content["result"]).toMatchObject({ size: expect.any(Number) });
      } else {
        // Truto's unified shape: the list or resource itself under `result`, Gumloop's other keys beside it.
        const definition = ENDPOINTS[name] as EndpointDefinition;
        const data = artifact.data as Record<string, unknown>;
        const key = definition.result ?? definition.pagination?.itemsField;
        const { next_cursor: _next, ...body } = data;
        if (key !== undefined) {
          const { [key]: inner, ...siblings } = body;
          expect(content["result"]).toEqual(inner);
          for (const sibling of Object.keys(siblings)) expect(content).toHaveProperty(sibling);
        } else {
          // A file read for the model (include_content) adds its text beside the download info.
          const shown = Object.keys(content["result"] as object).filter(
            (k) => !["content", "content_file"].includes(k),
          );
          expect(shown.sort()).toEqual(Object.keys(body).sort());
          if (definition.readable && input[definition.readable.flag] === true) {
            expect(typeof (content["result"] as Record<string, unknown>)["content"]).toBe("string");
          }
        }
      }
    },
  );
});
