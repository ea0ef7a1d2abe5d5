/**
 * GumloopToolManager: the 38 Gumloop operations as LangChain tools, in the style of Truto's TrutoToolManager.
 * Tools keep Truto's exact names, so prompts and agents written for Truto work unchanged.
 */
import type { DynamicStructuredTool } from "@langchain/core/tools";
import { GumloopClient, type GumloopClientOptions } from "./client/client.js";
import type { ClientSource } from "./client/clientPool.js";
import { GumloopError } from "./client/errors.js";
import { selectEntries, type CatalogueFilter } from "./catalogue/filter.js";
import { buildTool } from "./langchain/buildTool.js";
import { DEFAULT_MAX_CONTENT_CHARS } from "./langchain/content.js";
import { buildDiscoveryTools } from "./langchain/discoveryTools.js";
import { buildFlowTool, type FlowToolOptions } from "./langchain/flowTool.js";
import { ALL_ENDPOINTS, ENDPOINTS, type ToolName } from "./tools/index.js";
import type { EndpointDefinition } from "./tools/types.js";

/**
 * The client options (or a client to reuse, or a pool of end users' clients), plus the cap on the text a tool
 * returns to the model.
 */
export interface GumloopToolManagerOptions<
  C extends ClientSource = GumloopClient,
> extends GumloopClientOptions {
  /**
   * Reuse a client; otherwise one is built from the other options (and the environment). Or, for an app serving
   * many end users, a `GumloopClientPool`: every tool call then runs with the client of the end user of the run
   * it is called in (credentials read by the pool's resolver off the run's `context` or `configurable`, never
   * from the environment), and a call in a run without credentials is refused.
   */
  client?: C;
  /** Cap on the text a tool returns to the model; the full response is always in the artifact. @default 16000 */
  maxContentChars?: number;
}

/** Which tools to return. Every part given must hold (AND), as Truto combines methods and tags. */
export interface ToolFilter extends CatalogueFilter {
  /** OpenAI strict-mode schemas, for `bindTools(tools, { strict: true })`. A `null` argument means "not given". */
  strict?: boolean;
  /**
   * `"all"`: one tool per selected operation. `"discovery"`: three tools instead (`search_tools`,
   * `get_tool_schema`, `call_tool`) through which the model finds and runs the selected operations, for small
   * contexts (Truto's discovery exposure). @default "all"
   */
  exposure?: "all" | "discovery";
}

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
export class GumloopToolManager<C extends ClientSource = GumloopClient> {
  /** The client every tool sends its requests through, or the pool that picks one per run. */
  readonly client: C;
  readonly #maxContentChars: number;
  readonly #cache = new Map<string, DynamicStructuredTool>();

  constructor(options: GumloopToolManagerOptions<C> = {}) {
    const { client, maxContentChars, ...clientOptions } = options;
    this.client = client ?? (new GumloopClient(clientOptions) as C);
    this.#maxContentChars = maxContentChars ?? DEFAULT_MAX_CONTENT_CHARS;
  }

  /** The definitions a filter selects, in catalogue order. Throws on unknown names or tags, or an empty match. */
  getDefinitions(filter: ToolFilter = {}): EndpointDefinition[] {
    return selectEntries(ALL_ENDPOINTS, filter, Object.keys(ENDPOINTS));
  }

  /** The tools a filter selects, in catalogue order; or the three discovery tools over them. */
  getTools(filter: ToolFilter = {}): DynamicStructuredTool[] {
    const tools = this.getDefinitions(filter).map((definition) =>
      this.#tool(definition, filter.strict ?? false),
    );
    return filter.exposure === "discovery" ? buildDiscoveryTools(tools) : tools;
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
   * never assembles flow inputs by hand. It starts a run and returns its `run_id`. With a pool, pass the end
   * user's run as `options.run`: the inputs are read with that user's client.
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
