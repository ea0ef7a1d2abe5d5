/**
 * The shape of an endpoint definition: one Gumloop operation as data. The factory (toolManager.ts) and the client
 * (client/client.ts) read these; there is no per-endpoint code anywhere else.
 */
import type { z } from "zod";
import type { RequestDefinition } from "../client/definition.js";
import { once } from "../lazy.js";

/** Truto's method classes: `list_all_*` / `get_single_*` are read, `create_a_*` / `update_a_*` / `delete_a_*` write, bulk ops custom. */
export type MethodClass = "read" | "write" | "custom";

/** Area tags (exactly one per tool) plus `admin` for the enterprise-admin operations. */
export const TOOL_TAGS = [
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
  "admin",
] as const;
/** An area tag of the catalogue (`agents`, `sessions`, `flows`, ..., and `admin`), for filters. */
export type ToolTag = (typeof TOOL_TAGS)[number];

/** Behaviour hints, named as MCP's `ToolAnnotations`. */
export interface ToolAnnotations {
  /** Changes nothing on Gumloop. */
  readonly readOnlyHint: boolean;
  /** May delete, cancel or overwrite something. */
  readonly destructiveHint: boolean;
  /** Repeating it with the same input has no further effect (the client may retry it). */
  readonly idempotentHint: boolean;
  /** Reaches systems outside Gumloop (MCP servers, model providers). */
  readonly openWorldHint?: boolean;
}

/** Identity fields Gumloop reads on some routes: the acting user, and the team (`project_id` on older routes). */
export type IdentityField = "user_id" | "team_id" | "project_id";

/**
 * How a download tool lets the model read a text-like file when it asks (`flag` set): `"signed-url"` follows the
 * response's `download_url`, `"skill-package"` does so and takes the package's SKILL.md, `"body"` reads the response
 * body itself (a file or CSV). Text reaches the model within the content budget; anything else stays in the artifact.
 */
export interface ReadableContent {
  readonly flag: string;
  readonly from: "signed-url" | "skill-package" | "body";
}

/** One of the 38 Gumloop operations as data: the request the client sends, and the tool a model sees. */
export interface EndpointDefinition<TInput extends z.ZodObject = z.ZodObject> extends RequestDefinition {
  /** Tool name, exactly as Truto publishes it, e.g. `"create_a_gumloop_session"`. */
  readonly name: string;
  readonly method: MethodClass;
  /** One area tag, plus `"admin"` for enterprise-admin operations. */
  readonly tags: readonly ToolTag[];
  /** For the model: what it does, what it returns, what to call next. Short: it is paid on every model call. */
  readonly description: string;
  /** Flat input schema; every field described; conditional rules as refinements. */
  readonly input: TInput;
  readonly annotations: ToolAnnotations;
  /**
   * Runs paid work on Gumloop (an agent run, a flow run, a model call, an MCP tool call): approval helpers ask a
   * human first. Kept beside the annotations, which follow MCP's names and go to MCP clients as they are.
   */
  readonly spendsCredits?: boolean;
  /**
   * Identity fields the model may pass (the configured values are the default). A manager that pins identity
   * leaves them out of the schema and always uses its own.
   */
  readonly identity?: readonly IdentityField[];
  /**
   * The key of Gumloop's body that holds the list or the resource (`"agents"`, `"session"`): the model reads it as
   * `result`, and the body's other keys (`queue_position`, `total_count`) beside it. Default: the pagination's
   * items field; without either, the whole body is the result.
   */
  readonly result?: string;
  /** A list inside the result whose newest items come last and matter most (a session's `messages`). */
  readonly newestLast?: string;
  /** How the model may read the file this tool fetches. */
  readonly readable?: ReadableContent;
}

/** A definition as written: its `input` may be a function that builds the schema (see {@link defineEndpoint}). */
export type EndpointSpec = Omit<EndpointDefinition, "idempotent" | "input"> & {
  readonly input: z.ZodObject | (() => z.ZodObject);
};

/** The schema type of a spec's `input`, whether given built or as a function that builds it. */
export type SpecInput<T extends EndpointSpec> = T["input"] extends () => infer S ? S : T["input"];

/**
 * Identity helper that keeps literal types, and derives the client's retry rule from the annotations.
 *
 * `input` may be given as a function that builds the schema: it runs on the first read of `definition.input` and
 * never again. The catalogue writes all 38 this way, so importing the package builds no schema, and a manager that
 * hands a model five tools builds five (zod schemas were most of what the import cost).
 */
export function defineEndpoint<const T extends EndpointSpec>(
  definition: T,
): Omit<T, "input"> & { readonly input: SpecInput<T>; readonly idempotent: boolean } {
  const { input, ...rest } = definition;
  const endpoint = { ...rest, idempotent: definition.annotations.idempotentHint };
  if (typeof input !== "function") return { ...endpoint, input } as never;
  return Object.defineProperty(endpoint, "input", { enumerable: true, get: once(input) }) as never;
}

/** Annotation presets. */
export const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true };
export const CREATE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false };
export const UPDATE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true };
export const DELETE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true };
