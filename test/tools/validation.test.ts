/**
 * Property tests: for every tool, generated invalid inputs are all rejected before any request reaches the
 * emulator, with an error that names the field. Valid base inputs come from the shared cases; each run breaks one
 * field in a way its schema cannot accept (wrong type, missing required value, unsafe id, unknown key).
 */
import * as fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { GumloopClient } from "../../src/client/client.js";
import type { Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { isJsonObject } from "../../src/tools/fields.js";
import { toolSchema } from "../../src/langchain/buildTool.js";
import { ALL_ENDPOINTS, ENDPOINTS, type ToolName } from "../../src/tools/index.js";
import { toolCases } from "./cases.js";

let emulator: Emulator;
let manager: GumloopToolManager;
const cases = toolCases({
  skillId: "skill_x",
  exportId: "exp_x",
  runId: "run_x",
  organizationId: "org_x",
  workspaceId: "ws_x",
  groupId: "grp_x",
  memberEmail: "someone@example.com",
  mcpServerId: "gumloop_slack",
  mcpToolName: "slack_send_message",
  secondTeamId: "team_51d0e7aa",
  memberUserId: "user_5c1a9e3d",
});

beforeAll(async () => {
  emulator = await startTestEmulator();
  const client = new GumloopClient({
    apiKey: emulator.apiKey,
    userId: emulator.userId,
    baseUrl: emulator.url,
    env: {},
  });
  manager = new GumloopToolManager({ client });
});
afterAll(() => emulator.close());

type Zod = z.ZodType;

function unwrap(schema: Zod): { inner: Zod; optional: boolean } {
  let inner = schema;
  let optional = false;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable || inner instanceof z.ZodDefault) {
    optional ||= inner instanceof z.ZodOptional || inner instanceof z.ZodDefault;
    inner = inner.unwrap() as Zod;
  }
  return { inner, optional };
}

/** Values the field's schema cannot accept. */
function invalidValues(schema: Zod): fc.Arbitrary<unknown> {
  const { inner } = unwrap(schema);
  const notString = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant({}),
    fc.constant([1]),
  );
  if (inner instanceof z.ZodString) {
    // Ids must also refuse path tricks: when the field is an id, these are invalid too.
    const ids = inner.safeParse("..").success
      ? notString
      : fc.oneof(notString, fc.constantFrom("..", ".", "a/b", "x y", ""));
    return ids;
  }
  if (inner instanceof z.ZodNumber)
    return fc.oneof(fc.string(), fc.constant(null), fc.constant(-1), fc.constant({}));
  if (inner instanceof z.ZodBoolean) return fc.oneof(fc.string(), fc.integer(), fc.constant(null));
  if (inner instanceof z.ZodEnum)
    return fc.string().filter((value) => !(inner.options as string[]).includes(value));
  if (inner instanceof z.ZodArray)
    return fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant({ a: 1 }));
  if (inner instanceof z.ZodRecord || inner instanceof z.ZodObject || isJsonObject(inner))
    return fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant([1]));
  return fc.constant(Symbol("unexpected"));
}

interface Broken {
  readonly field: string;
  readonly input: Record<string, unknown>;
}

function brokenInputs(name: ToolName): fc.Arbitrary<Broken> {
  const definition = ALL_ENDPOINTS.find((candidate) => candidate.name === name)!;
  const base = cases[name].required;
  const shape = toolSchema(definition).shape as Record<string, Zod>;
  const variants: fc.Arbitrary<Broken>[] = [];
  for (const [field, schema] of Object.entries(shape)) {
    variants.push(
      invalidValues(schema)
        .filter((value) => !schema.safeParse(value).success)
        .map((value) => ({ field, input: { ...base, [field]: value } })),
    );
    if (!unwrap(schema).optional && field in base) {
      const { [field]: _dropped, ...rest } = base;
      variants.push(fc.constant({ field, input: rest }));
    }
  }
  variants.push(
    fc
      .stringMatching(/^[a-z][a-z_]{2,12}$/)
      .filter((key) => !(key in shape))
      .map((key) => ({ field: key, input: { ...base, [key]: "unexpected" } })),
  );
  return fc.oneof(...variants);
}

describe("invalid input never leaves the process", () => {
  it.each(ALL_ENDPOINTS.map((definition) => [definition.name as ToolName]))("%s", async (name) => {
    const tool = manager.getTool(name);
    const strictTool = manager.getTool(name, { strict: true });
    emulator.clearRequests();
    await fc.assert(
      fc.asyncProperty(brokenInputs(name), async ({ field, input }) => {
        const shape = toolSchema(ALL_ENDPOINTS.find((definition) => definition.name === name)!)
          .shape as Record<string, Zod>;
        // The strict variant lists every field (null = not given), so its input carries every key.
        const strictInput = Object.fromEntries(
          Object.keys(shape).map((key) => [key, key in input ? input[key] : null]),
        );
        for (const key of Object.keys(input)) if (!(key in shape)) strictInput[key] = input[key];
        if (!(field in input) && field in shape) delete strictInput[field];
        const nullMeansAbsent = input[field] === null && unwrap(shape[field] ?? z.never()).optional;
        const attempts: [typeof tool, Record<string, unknown>][] = [[tool, input]];
        if (!nullMeansAbsent) attempts.push([strictTool, strictInput]);
        for (const [candidate, args] of attempts) {
          const error = await candidate.invoke(args).then(
            () => null,
            (e: unknown) => e as Error,
          );
          expect(error, `${candidate.name} accepted ${JSON.stringify(args)}`).toBeInstanceOf(Error);
          expect(error!.message).toContain(field);
          expect(error!.message).not.toMatch(/\n\s+at /);
        }
      }),
      { numRuns: 25, seed: 42 },
    );
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("export rules, as Gumloop states them", () => {
  const exportInput = ENDPOINTS.create_a_gumloop_export_datum.input;
  const range = { start_date: "2026-01-01T00:00:00Z", end_date: "2026-02-01T00:00:00Z" };
  const problems = (input: Record<string, unknown>) => {
    const parsed = exportInput.safeParse({ ...range, ...input });
    return parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  };

  it("export_level workspace needs one workspace id, except for credit_logs (where Gumloop ignores both)", () => {
    expect(
      problems({
        data_type: "agents",
        export_fields: ["agent_id"],
        export_level: "workspace",
        entity_ids: ["a"],
      }),
    ).toEqual(["workspace_ids: export_level workspace needs exactly one workspace id"]);
    expect(
      problems({ data_type: "credit_logs", export_fields: ["log_id"], export_level: "workspace" }),
    ).toEqual([]);
  });

  it("interaction_evaluations exports take their own columns", () => {
    expect(
      problems({
        data_type: "interaction_evaluations",
        export_fields: ["evaluation_id", "grade"],
        include_all_workspaces: true,
      }),
    ).toEqual([]);
    expect(
      problems({
        data_type: "interaction_evaluations",
        export_fields: ["agent_name"],
        include_all_workspaces: true,
      })[0],
    ).toMatch(/^export_fields: not interaction_evaluations columns: agent_name\. Allowed: evaluation_id, /);
  });
});

describe("messages a model can act on", () => {
  const refusal = (name: ToolName, args: Record<string, unknown>, strict = false) =>
    manager
      .getTool(name, { strict })
      .invoke(args)
      .then(
        () => "",
        (error: Error) => error.message,
      );

  it("names the fields a tool takes when given Gumloop's name instead of Truto's, and says what is required", async () => {
    const message = await refusal("get_single_gumloop_session_by_id", { session_id: "s1" });
    expect(message).toContain("id: required (string)");
    expect(message).toContain("session_id: not a field of this tool; its fields are id");
    const strict = await refusal("get_single_gumloop_session_by_id", { id: "s1", session_id: "s1" }, true);
    expect(strict).toContain("session_id: not a field of this tool; its fields are id");
  });
});
