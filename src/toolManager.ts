/**
 * GumloopToolManager: the 38 Gumloop operations as LangChain tools, in the style of Truto's TrutoToolManager.
 * Tools keep Truto's exact names, so prompts and agents written for Truto work unchanged.
 */
import type { DynamicStructuredTool } from "@langchain/core/tools";
import { GumloopClient, type GumloopClientOptions } from "./client/client.js";
import type { ClientSource } from "./client/clientPool.js";
import type { DownloadOptions } from "./client/download.js";
import { GumloopError } from "./client/errors.js";
import { selectEntries, type CatalogueFilter } from "./catalogue/filter.js";
import { buildTool } from "./langchain/buildTool.js";
import { DEFAULT_MAX_CONTENT_CHARS } from "./langchain/content.js";
import { buildDiscoveryTools } from "./langchain/discoveryTools.js";
import { buildFlowTool, type FlowToolOptions } from "./langchain/flowTool.js";
import { variantOf, type SchemaVariant } from "./langchain/strictSchema.js";
import { ALL_ENDPOINTS, ENDPOINTS, type ToolName } from "./tools/index.js";
import type { EndpointDefinition } from "./tools/types.js";

/**
 * The client options (or a client to reuse, or a pool of end users' clients), plus the cap on the text a tool
 * returns to the model, identity pinning and the limits of the downloads tools make to read files for the model.
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
  /**
   * Pins the identity: `user_id`, `team_id` and `project_id` leave every schema and the configured `userId` /
   * `teamId` are always used, for deployments that must not let the model act as another user or team. Without it
   * a model may pass them (Truto's flow tools require `user_id`), the configured values being the default.
   * @default false
   */
  pinIdentity?: boolean;
  /**
   * Limits of the downloads a tool makes when the model asks to read a file (`include_content`): allowed hosts
   * (Gumloop's storage and the API's own origin by default), byte cap, timeout.
   */
  download?: Omit<DownloadOptions, "signal" | "operation">;
}

/** Which tools to return. Every part given must hold (AND), as Truto combines methods and tags. */
export interface ToolFilter extends CatalogueFilter {
  /** OpenAI strict-mode schemas, for `bindTools(tools, { strict: true })`. A `null` argument means "not given". */
  strict?: boolean;
  /**
   * Schemas for Gemini (`ChatGoogleGenerativeAI`), whose function declarations refuse an object without properties:
   * free-form objects (metadata, flow inputs, MCP arguments) as JSON text. Ignored with `strict`.
   */
  gemini?: boolean;
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
  readonly #pinIdentity: boolean;
  readonly #download: DownloadOptions;
  readonly #cache = new Map<string, DynamicStructuredTool>();

  constructor(options: GumloopToolManagerOptions<C> = {}) {
    const { client, maxContentChars, pinIdentity, download, ...clientOptions } = options;
    this.client = client ?? (new GumloopClient(clientOptions) as C);
    this.#maxContentChars = maxContentChars ?? DEFAULT_MAX_CONTENT_CHARS;
    this.#pinIdentity = pinIdentity ?? false;
    this.#download = download ?? {};
  }

  /** The definitions a filter selects, in catalogue order. Throws on unknown names or tags, or an empty match. */
  getDefinitions(filter: ToolFilter = {}): EndpointDefinition[] {
    return selectEntries(ALL_ENDPOINTS, filter, Object.keys(ENDPOINTS));
  }

  /**
   * The tools a filter selects, in catalogue order; or the three discovery tools over them (with `strict`, the
   * three get strict schemas and call the selected tools with their plain ones).
   */
  getTools(filter: ToolFilter = {}): DynamicStructuredTool[] {
    const variant = variantOf(filter);
    const discovery = filter.exposure === "discovery";
    const tools = this.getDefinitions(filter).map((definition) =>
      this.#tool(definition, discovery ? "plain" : variant),
    );
    return discovery ? buildDiscoveryTools(tools, variant === "plain" ? {} : { [variant]: true }) : tools;
  }

  /** One tool by its Truto name. */
  getTool(
    name: ToolName | (string & {}),
    options: { strict?: boolean; gemini?: boolean } = {},
  ): DynamicStructuredTool {
    // Own keys only: "constructor" or "toString" must be unknown names, not Object.prototype members.
    const definition = Object.hasOwn(ENDPOINTS, name)
      ? (ENDPOINTS as Record<string, EndpointDefinition>)[name]
      : undefined;
    if (!definition) {
      throw new GumloopError(
        `Unknown Gumloop tool "${name}". Valid names: ${Object.keys(ENDPOINTS).join(", ")}`,
      );
    }
    return this.#tool(definition, variantOf(options));
  }

  /**
   * A tool for one saved flow whose schema is exactly that flow's inputs (read with `get_inputs`), so the model
   * never assembles flow inputs by hand (input names providers refuse, such as "Company Name", become keys they
   * accept, e.g. `company_name`, and are sent under the real name). It starts a run and returns its `run_id`. With
   * a pool, pass the end user's run as `options.run`: the inputs are read with that user's client.
   */
  getFlowTool(savedItemId: string, options: FlowToolOptions = {}): Promise<DynamicStructuredTool> {
    return buildFlowTool(this.client, savedItemId, { maxContentChars: this.#maxContentChars, ...options });
  }

  /** Whether identity is pinned (see {@link GumloopToolManagerOptions.pinIdentity}). */
  get pinIdentity(): boolean {
    return this.#pinIdentity;
  }

  #tool(definition: EndpointDefinition, variant: SchemaVariant): DynamicStructuredTool {
    const key = `${definition.name}:${variant}`;
    let tool = this.#cache.get(key);
    if (!tool) {
      tool = buildTool(definition, this.client, {
        strict: variant === "strict",
        gemini: variant === "gemini",
        maxContentChars: this.#maxContentChars,
        pinIdentity: this.#pinIdentity,
        download: this.#download,
      });
      this.#cache.set(key, tool);
    }
    return tool;
  }
}
