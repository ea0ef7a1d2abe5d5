/**
 * Per-flow tools: a saved flow's own inputs (from `get_inputs`) become the tool's schema, so a model fills named
 * fields instead of assembling Gumloop's input list by hand.
 */
import type { DynamicStructuredTool } from "@langchain/core/tools";
import { z } from "zod";
import { clientForRun, type ClientSource, type RunCredentialsSource } from "../client/clientPool.js";
import { GumloopError, GumloopValidationError } from "../client/errors.js";
import { ENDPOINTS } from "../tools/index.js";
import { fileName, jsonObject, modelSchema } from "../tools/fields.js";
import { isReservedInputName, type FlowInput } from "../tools/flowInputs.js";
import type { SavedItem } from "../tools/responses.js";
import { toModelContent } from "./content.js";
import { GumloopStructuredTool } from "./gumloopTool.js";
import { zodIssues } from "../tools/validation.js";
import { toolInput, variantOf } from "./strictSchema.js";

/** Options of `manager.getFlowTool()`: the tool's name and description, its content cap, a strict schema. */
export interface FlowToolOptions {
  /** Tool name. @default `run_gumloop_flow_<flow name>` (sanitised, at most 64 chars) */
  name?: string;
  /** Tool description. @default the flow's own description, plus how to follow the run */
  description?: string;
  /** Cap on the text returned to the model. */
  maxContentChars?: number;
  /**
   * With a client pool: a run of the end user whose flow it is (its `context` or `configurable`), whose client
   * reads the flow's inputs now. Each call of the tool then runs with the credentials of the run it is called in.
   */
  run?: RunCredentialsSource;
  /** OpenAI strict-mode schema (every field required, optional ones nullable). @default false */
  strict?: boolean;
  /** Gemini's schema subset (a webhook payload as JSON text); ignored with `strict`. @default false */
  gemini?: boolean;
}

/** `^[a-zA-Z0-9_-]{1,64}$`, as OpenAI and Anthropic require. */
export function toolNameFor(flowName: string): string {
  const slug = flowName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return `run_gumloop_flow_${slug || "flow"}`.slice(0, 64).replace(/_+$/, "");
}

/**
 * The field of a per-flow tool for a flow that declares no named inputs: Gumloop forwards the whole start body to a
 * Webhook Input node, whose fields `get_inputs` does not list, so the model may send any.
 */
export const WEBHOOK_PAYLOAD = "payload";

/** What every provider accepts as a property key (Anthropic's rule, the narrowest): `^[a-zA-Z0-9_.-]{1,64}$`. */
const PROPERTY_KEY = /^[a-zA-Z0-9_.-]{1,64}$/;

/**
 * Property keys for a flow's inputs, each mapped to the input's real name: a name providers accept is kept ("url"),
 * another becomes a snake_case key ("Company Name" → "company_name"), made unique with a number when two inputs
 * would meet. The model fills the keys; the tool sends the real names.
 */
export function flowInputKeys(names: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  const taken = new Set(names.filter((name) => PROPERTY_KEY.test(name)));
  for (const name of names) {
    if (PROPERTY_KEY.test(name)) {
      keys.set(name, name);
      continue;
    }
    const base =
      name
        .normalize("NFKD")
        // Accents come apart from their letters: drop the marks, keep the letters ("Région" → "Region").
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/[^a-zA-Z0-9_.-]+/g, "_")
        .replace(/^_+|_+$/g, "")
        .toLowerCase()
        .slice(0, 60) || "input";
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
    taken.add(key);
    keys.set(key, name);
  }
  return keys;
}

/**
 * The zod schema of a flow's inputs under their property keys (see {@link flowInputKeys}). Gumloop does not say
 * which are required, so none is. A flow with no named inputs gets one free-form {@link WEBHOOK_PAYLOAD} object.
 */
export function flowInputSchema(
  inputs: readonly FlowInput[],
  keys: ReadonlyMap<string, string>,
): z.ZodObject {
  const byName = new Map(inputs.map((input) => [input.name, input]));
  const shape: Record<string, z.ZodType> = {};
  for (const [key, name] of keys) {
    const input = byName.get(name)!;
    const about = input.description ?? input.name;
    shape[key] =
      input.data_type === "file"
        ? fileName(`${about} (name of a file uploaded with create_a_gumloop_file)`).optional()
        : z.string().describe(about).optional();
  }
  if (inputs.length === 0) {
    shape[WEBHOOK_PAYLOAD] = jsonObject("Body fields for the flow's Webhook Input, if it has one").optional();
  }
  return modelSchema(z.object(shape));
}

/** The tool for one saved flow (see `GumloopToolManager.getFlowTool`). */
export async function buildFlowTool(
  source: ClientSource,
  savedItemId: string,
  options: FlowToolOptions,
): Promise<DynamicStructuredTool> {
  const client = await clientForRun(source, options.run);
  const { data } = await client.call(ENDPOINTS.get_single_gumloop_automation_by_id, {
    saved_item_id: savedItemId,
  });
  const inputs = data.inputs ?? [];
  let flow: SavedItem | undefined;
  if (!options.name || !options.description) {
    const list = await client.call(ENDPOINTS.list_all_gumloop_flows, {});
    flow = list.data.saved_items?.find((item) => item.saved_item_id === savedItemId);
    if (!flow && !options.name) throw new GumloopError(`Flow ${savedItemId} is not among your saved flows`);
  }
  const name = options.name ?? toolNameFor(flow?.name ?? savedItemId);
  const description =
    options.description ??
    `Run the Gumloop flow "${flow?.name ?? savedItemId}"${flow?.description ? `: ${flow.description}` : ""}. ` +
      "Returns run_id; poll get_single_gumloop_run_by_id until state is DONE, FAILED or TERMINATED.";
  // Reserved names (user_id, api_key...) are not inputs a model may set: they would override the call's fields.
  const keys = flowInputKeys(
    inputs.map((input) => input.name).filter((input) => !isReservedInputName(input)),
  );
  const schema = toolInput(name, flowInputSchema(inputs, keys), variantOf(options));
  const definition = ENDPOINTS.create_a_gumloop_flow_run;
  return new GumloopStructuredTool({
    name,
    description,
    schema: schema.schema,
    responseFormat: "content_and_artifact",
    metadata: {
      method: "write",
      tags: ["flows"],
      route: definition.route,
      savedItemId,
    },
    func: async (raw: Record<string, unknown>, _runManager, config) => {
      const values = schema.read(raw);
      // Back to the flow's own input names ("company_name" → "Company Name").
      const named = Object.fromEntries(
        Object.entries(values).map(([key, value]) => [keys.get(key) ?? key, value]),
      );
      const checked = definition.input.safeParse({
        saved_item_id: savedItemId,
        inputs: inputs.length > 0 ? named : (values[WEBHOOK_PAYLOAD] ?? {}),
      });
      // Reserved names (user_id, api_key...) in a webhook payload would override the call's own fields.
      if (!checked.success) throw new GumloopValidationError(name, zodIssues(checked.error));
      const input = checked.data;
      const response = await (
        await clientForRun(source, config)
      ).call(definition, input, {
        signal: config?.signal,
      });
      return [toModelContent(response, input, {}, options.maxContentChars), response];
    },
  });
}
