/**
 * Endpoint definition -> LangChain tool. One code path for every operation: validate, call the client, read a file
 * when the model asked to, shape the content for the model, keep the full response as the artifact.
 */
import type { DynamicStructuredTool } from "@langchain/core/tools";
import type { GumloopClient, GumloopResponse } from "../client/client.js";
import { clientForRun, type ClientSource } from "../client/clientPool.js";
import type { BinaryBody } from "../client/decode.js";
import type { DownloadOptions } from "../client/download.js";
import { GumloopError } from "../client/errors.js";
import { identityField, modelSchema } from "../tools/fields.js";
import type { EndpointDefinition } from "../tools/types.js";
import { toModelContent } from "./content.js";
import { GumloopStructuredTool } from "./gumloopTool.js";
import { readFileContent } from "./readContent.js";
import { toolInput, variantOf } from "./strictSchema.js";
import { once } from "../lazy.js";

/** How a catalogue tool is built: strict schema, content cap, identity pinning, download limits. */
export interface BuildToolOptions {
  /** OpenAI strict-mode schema (all fields required, optional ones nullable). @default false */
  readonly strict?: boolean;
  /**
   * Schemas for Gemini's function declarations, which refuse an object without properties: free-form objects
   * (metadata, flow inputs, MCP arguments) travel as JSON text. Ignored with `strict`. @default false
   */
  readonly gemini?: boolean;
  /** Cap on the text returned to the model. */
  readonly maxContentChars?: number;
  /** Leave identity fields (user_id, team_id, project_id) out of the schema; the configured ones are used. */
  readonly pinIdentity?: boolean;
  /** Limits of the downloads a tool makes to read a file for the model (hosts, byte cap, timeout). */
  readonly download?: DownloadOptions;
}

/**
 * What `ToolMessage.artifact` holds: the whole decoded response, typed; and when the tool fetched a file for the
 * model (`include_content`), its bytes as `download`.
 */
export type GumloopToolArtifact = GumloopResponse & { readonly download?: BinaryBody };

/** Tool metadata, for callers that filter or gate tools (e.g. approval for destructive ones). */
export interface GumloopToolMetadata {
  readonly [key: string]: unknown;
  readonly method: EndpointDefinition["method"];
  readonly tags: EndpointDefinition["tags"];
  readonly route: EndpointDefinition["route"];
  readonly annotations: EndpointDefinition["annotations"];
}

/** The tool's regular schema: the definition's input, plus the identity fields unless identity is pinned. */
export function toolSchema(definition: EndpointDefinition, pinIdentity = false) {
  const fields = pinIdentity ? [] : (definition.identity ?? []);
  const shape = Object.fromEntries(fields.map((field) => [field, identityField()]));
  return modelSchema(fields.length ? definition.input.safeExtend(shape) : definition.input);
}

/**
 * With identity pinned the model cannot pass a user or team, so a route that needs one the deployment did not
 * configure is refused with the setting to add (the client's own message would tell the model to pass it).
 */
function checkPinnedIdentity(definition: EndpointDefinition, client: GumloopClient): void {
  const required = definition.requiresContext;
  if (!required) return;
  const fields = Object.keys(definition.context ?? {});
  const has = (field: string) => (field === "user_id" ? client.hasUserId : client.hasTeamId);
  const ok = required === true ? fields.some(has) : has(required);
  if (ok) return;
  const setting =
    (required === true ? fields[0] : required) === "user_id"
      ? "userId (GUMLOOP_USER_ID)"
      : "teamId (GUMLOOP_TEAM_ID)";
  throw new GumloopError(
    `${definition.name} needs a ${required === true ? fields.join(" or ") : required}, and this deployment pins identity: ` +
      `configure the tool manager with ${setting}. Nothing was sent.`,
  );
}

/** The LangChain tool for one endpoint definition, sending through `client`. */
export function buildTool(
  definition: EndpointDefinition,
  client: ClientSource,
  options: BuildToolOptions = {},
): DynamicStructuredTool {
  // Built on first use (a model binding the tool, or a call): building tools builds no schema.
  const input = once(() =>
    toolInput(definition.name, toolSchema(definition, options.pinIdentity), variantOf(options)),
  );
  const metadata: GumloopToolMetadata = {
    method: definition.method,
    tags: definition.tags,
    route: definition.route,
    annotations: definition.annotations,
  };
  const readable = definition.readable;
  return new GumloopStructuredTool({
    name: definition.name,
    description: definition.description,
    schema: () => input().schema,
    responseFormat: "content_and_artifact",
    metadata,
    func: async (raw: Record<string, unknown>, _runManager, config) => {
      const args = input().read(raw);
      // With a pool, the client of the run's end user (from the run's context or configurable).
      const runClient = await clientForRun(client, config);
      if (options.pinIdentity) checkPinnedIdentity(definition, runClient);
      const signal = config?.signal;
      const response = await runClient.call(definition, args, { signal });
      const read =
        readable && args[readable.flag] === true
          ? await readFileContent(runClient, readable, response, { ...options.download, signal })
          : null;
      const content = toModelContent(response, args, definition, options.maxContentChars, read?.file);
      const artifact: GumloopToolArtifact = read?.download
        ? { ...response, download: read.download }
        : response;
      return [content, artifact];
    },
  });
}
