/**
 * A flow's inputs: how `get_inputs` describes them, the names Gumloop reserves, and the one check of a start's
 * inputs against them. The flow-run tool's definition, the per-flow tools and the flow-run graph all use it.
 */
import type { ValidationIssue } from "../client/errors.js";

/** A flow input as `get_inputs` describes it. */
export interface FlowInput {
  readonly name: string;
  readonly data_type: "string" | "file" | (string & {});
  readonly description?: string | null;
}

/** Names Gumloop reserves in a start_pipeline body; a flow input may not use them. */
export const RESERVED_INPUT_NAMES = [
  "api_key",
  "saved_item_id",
  "user_id",
  "project_id",
  "openai_token",
  "action_id",
  "reuse_action",
  "trigger_id",
  "pipeline_inputs",
] as const;

/** Whether `name` is one Gumloop reserves. */
export function isReservedInputName(name: string): boolean {
  return (RESERVED_INPUT_NAMES as readonly string[]).includes(name);
}

/**
 * Problems with a start's `inputs` (each reported under `inputs.<name>`). Reserved names are always refused: they
 * would override the call's own fields. Given the flow's declared inputs (`schema`), only those are accepted, as
 * strings (their data types are `string` and `file`), so a misspelt name is an error rather than a value Gumloop
 * silently drops. Without a schema, or for a flow that declares none (Gumloop forwards the whole body to a Webhook
 * Input node, whose fields `get_inputs` does not list), any other name is accepted.
 */
export function flowInputIssues(
  inputs: Readonly<Record<string, unknown>>,
  schema: readonly FlowInput[] = [],
): ValidationIssue[] {
  const known = new Map(schema.map((input) => [input.name, input]));
  const issues: ValidationIssue[] = [];
  for (const [name, value] of Object.entries(inputs ?? {})) {
    if (isReservedInputName(name)) {
      issues.push({
        field: `inputs.${name}`,
        message: `"${name}" is reserved by Gumloop; rename the flow input`,
      });
    } else if (known.size === 0) {
      continue;
    } else if (!known.has(name)) {
      issues.push({
        field: `inputs.${name}`,
        message: `is not an input of this flow; its inputs are: ${[...known.keys()].join(", ")}`,
      });
    } else if (typeof value !== "string") {
      issues.push({
        field: `inputs.${name}`,
        message: `must be a string (${known.get(name)!.data_type} input)`,
      });
    }
  }
  return issues;
}
