/**
 * Endpoint definition -> LangChain tool. One code path for every operation: validate, call the client, shape
 * the content for the model, keep the full response as the artifact.
 */
import type { DynamicStructuredTool } from "@langchain/core/tools";
import type { GumloopResponse } from "../client/client.js";
import { clientForRun, type ClientSource } from "../client/clientPool.js";
import { GumloopValidationError } from "../client/errors.js";
import { modelSchema } from "../tools/fields.js";
import type { EndpointDefinition } from "../tools/types.js";
import { toModelContent } from "./content.js";
import { GumloopStructuredTool } from "./gumloopTool.js";
import { fromStrictInput, toStrictSchema } from "./strictSchema.js";
import { zodIssues } from "../tools/validation.js";

export interface BuildToolOptions {
  /** OpenAI strict-mode schema (all fields required, optional ones nullable). @default false */
  readonly strict?: boolean;
  /** Cap on the text returned to the model. */
  readonly maxContentChars?: number;
}

/** What `ToolMessage.artifact` holds: the whole decoded response, typed. */
export type GumloopToolArtifact = GumloopResponse;

/** Tool metadata, for callers that filter or gate tools (e.g. approval for destructive ones). */
export interface GumloopToolMetadata {
  readonly [key: string]: unknown;
  readonly method: EndpointDefinition["method"];
  readonly tags: EndpointDefinition["tags"];
  readonly route: EndpointDefinition["route"];
  readonly annotations: EndpointDefinition["annotations"];
}

export function buildTool(
  definition: EndpointDefinition,
  client: ClientSource,
  options: BuildToolOptions = {},
): DynamicStructuredTool {
  const strict = options.strict ? toStrictSchema(definition.input) : null;
  const metadata: GumloopToolMetadata = {
    method: definition.method,
    tags: definition.tags,
    route: definition.route,
    annotations: definition.annotations,
  };
  return new GumloopStructuredTool({
    name: definition.name,
    description: definition.description,
    schema: strict ? strict.schema : modelSchema(definition.input),
    responseFormat: "content_and_artifact",
    metadata,
    func: async (raw: Record<string, unknown>, _runManager, config) => {
      let input = raw;
      if (strict) {
        // A null from the model means "not given"; then the regular schema (with its cross-field rules) decides.
        const converted = fromStrictInput(raw, strict.jsonPaths);
        if (converted.issues.length) throw new GumloopValidationError(definition.name, converted.issues);
        const parsed = definition.input.safeParse(converted.value);
        if (!parsed.success) throw new GumloopValidationError(definition.name, zodIssues(parsed.error));
        input = parsed.data as Record<string, unknown>;
      }
      // With a pool, the client of the run's end user (from the run's context or configurable).
      const response = await (
        await clientForRun(client, config)
      ).call(definition, input, {
        signal: config?.signal,
      });
      const content = toModelContent(response, input, definition.pagination, options.maxContentChars);
      return [content, response satisfies GumloopToolArtifact];
    },
  });
}
