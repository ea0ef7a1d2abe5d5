/**
 * GumloopToolManager: the 38 Gumloop operations as LangChain tools, in the style of Truto's TrutoToolManager.
 * Tools keep Truto's exact names, so prompts and agents written for Truto work unchanged.
 */
import type { DynamicStructuredTool } from "@langchain/core/tools";
import { GumloopClient, type GumloopClientOptions } from "./client/client.js";
import { GumloopError } from "./client/errors.js";
import { buildTool } from "./langchain/buildTool.js";
import { DEFAULT_MAX_CONTENT_CHARS } from "./langchain/content.js";
import { buildFlowTool, type FlowToolOptions } from "./langchain/flowTool.js";
import { ALL_ENDPOINTS, ENDPOINTS, type ToolName } from "./tools/index.js";
import { TOOL_TAGS, type EndpointDefinition, type MethodClass } from "./tools/types.js";

export interface GumloopToolManagerOptions extends GumloopClientOptions {
  /** Reuse a client; otherwise one is built from the other options (and the environment). */
  client?: GumloopClient;
  /** Cap on the text a tool returns to the model; the full response is always in the artifact. @default 16000 */
  maxContentChars?: number;
}

/** Which tools to return. Every part given must hold (AND), as Truto combines methods and tags. */
export interface ToolFilter {
  /** Truto method classes: `read` (list/get), `write` (create/update/delete), `custom` (bulk operations). */
  methods?: readonly MethodClass[];
  /** Area tags; a tool matches when it carries any of them (e.g. `["sessions", "artifacts"]`, or `["admin"]`). */
  tags?: readonly string[];
  /** Exact tool names. */
  names?: readonly string[];
  /** Only tools that change nothing on Gumloop. @default false (no constraint) */
  readOnly?: boolean;
  /** OpenAI strict-mode schemas, for `bindTools(tools, { strict: true })`. A `null` argument means "not given". */
  strict?: boolean;
}

const METHODS: readonly MethodClass[] = ["read", "write", "custom"];

/**
 * Builds LangChain tools for the Gumloop API, ready for `model.bindTools(tools)` or an agent.
 *
 * @example
 * ```ts
 * const manager = new GumloopToolManager({ apiKey: process.env.GUMLOOP_API_KEY, userId: process.env.GUMLOOP_USER_ID });
 * const tools = manager.getTools({ tags: ["sessions", "artifacts"], readOnly: true });
 * const model = new ChatOpenAI({ model: "gpt-4o-mini" }).bindTools(tools);
 * ```
 */
export class GumloopToolManager {
  /** The client every tool sends its requests through. */
  readonly client: GumloopClient;
  readonly #maxContentChars: number;
  readonly #cache = new Map<string, DynamicStructuredTool>();

  constructor(options: GumloopToolManagerOptions = {}) {
    const { client, maxContentChars, ...clientOptions } = options;
    this.client = client ?? new GumloopClient(clientOptions);
    this.#maxContentChars = maxContentChars ?? DEFAULT_MAX_CONTENT_CHARS;
  }

  /** The definitions a filter selects, in catalogue order. Throws on unknown names or tags, or an empty match. */
  getDefinitions(filter: ToolFilter = {}): EndpointDefinition[] {
    checkFilter(filter);
    const tags = filter.tags ? new Set(filter.tags) : null;
    const names = filter.names ? new Set(filter.names) : null;
    const selected = ALL_ENDPOINTS.filter(
      (definition) =>
        (!filter.methods || filter.methods.includes(definition.method)) &&
        (!tags || definition.tags.some((tag) => tags.has(tag))) &&
        (!names || names.has(definition.name)) &&
        (!filter.readOnly || definition.annotations.readOnlyHint),
    );
    if (selected.length === 0) {
      throw new GumloopError(
        `No Gumloop tool matches the filter ${JSON.stringify(filter)}: every part must hold.`,
      );
    }
    return selected;
  }

  /** The tools a filter selects, in catalogue order. */
  getTools(filter: ToolFilter = {}): DynamicStructuredTool[] {
    return this.getDefinitions(filter).map((definition) => this.#tool(definition, filter.strict ?? false));
  }

  /** One tool by its Truto name. */
  getTool(name: ToolName | (string & {}), options: { strict?: boolean } = {}): DynamicStructuredTool {
    // Own keys only: "constructor" or "toString" must be unknown names, not Object.prototype members.
    const definition = Object.hasOwn(ENDPOINTS, name)
      ? (ENDPOINTS as Record<string, EndpointDefinition>)[name]
      : undefined;
    if (!definition) {
      throw new GumloopError(
        `Unknown Gumloop tool "${name}". Valid names: ${Object.keys(ENDPOINTS).join(", ")}`,
      );
    }
    return this.#tool(definition, options.strict ?? false);
  }

  /**
   * A tool for one saved flow whose schema is exactly that flow's inputs (read with `get_inputs`), so the model
   * never assembles flow inputs by hand. It starts a run and returns its `run_id`.
   */
  getFlowTool(savedItemId: string, options: FlowToolOptions = {}): Promise<DynamicStructuredTool> {
    return buildFlowTool(this.client, savedItemId, { maxContentChars: this.#maxContentChars, ...options });
  }

  #tool(definition: EndpointDefinition, strict: boolean): DynamicStructuredTool {
    const key = `${definition.name}:${strict}`;
    let tool = this.#cache.get(key);
    if (!tool) {
      tool = buildTool(definition, this.client, { strict, maxContentChars: this.#maxContentChars });
      this.#cache.set(key, tool);
    }
    return tool;
  }
}

function checkFilter(filter: ToolFilter): void {
  const unknown = (given: readonly string[] | undefined, valid: readonly string[]) =>
    (given ?? []).filter((value) => !valid.includes(value));
  const badMethods = unknown(filter.methods, METHODS);
  if (badMethods.length) {
    throw new GumloopError(`Unknown method class ${badMethods.join(", ")}. Valid: ${METHODS.join(", ")}`);
  }
  const badTags = unknown(filter.tags, TOOL_TAGS);
  if (badTags.length)
    throw new GumloopError(`Unknown tag ${badTags.join(", ")}. Valid tags: ${TOOL_TAGS.join(", ")}`);
  const badNames = unknown(filter.names, Object.keys(ENDPOINTS));
  if (badNames.length) {
    throw new GumloopError(
      `Unknown tool name ${badNames.join(", ")}. Valid names: ${Object.keys(ENDPOINTS).join(", ")}`,
    );
  }
}
