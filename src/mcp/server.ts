/**
 * `createGumloopMcpServer`: the catalogue as an MCP server (the SDK's low-level `Server`, so that each tool's JSON
 * Schema and answer are exactly the LangChain tool's, not a re-conversion). Tools are what the filter selects, or
 * with `toolExposure: "discovery"` the three discovery tools over them. Job tools report progress to clients that
 * send a progress token and run as MCP tasks for clients that ask for one.
 */
import { randomBytes } from "node:crypto";
import type { ToolMessage } from "@langchain/core/messages";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolRequest,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { GumloopClient, type GumloopClientOptions } from "../client/client.js";
import { GumloopValidationError } from "../client/errors.js";
import {
  DISCOVERY_DESCRIPTIONS,
  DISCOVERY_INPUTS,
  DISCOVERY_TOOL_NAMES,
  ToolDirectory,
} from "../catalogue/discovery.js";
import type { CatalogueFilter } from "../catalogue/filter.js";
import { zodIssues } from "../tools/validation.js";
import { GumloopToolManager } from "../toolManager.js";
import { VERSION } from "../version.js";
import { allEntries, selectTools, type McpToolEntry } from "./catalogue.js";
import { GumloopMcpJobs, type GumloopMcpJobsOptions } from "./jobs.js";
import { runJob } from "./jobCall.js";
import { DEFAULT_MAX_RESOURCE_CHARS, errorResult, responseFiles, toolResult } from "./results.js";

/** Options of {@link createGumloopMcpServer}. */
export interface GumloopMcpServerOptions extends GumloopClientOptions {
  /** Reuse a client; otherwise one is built from the other options and the environment (`GUMLOOP_API_KEY`, …). */
  client?: GumloopClient;
  /** Which tools to serve; every part given must hold. A filter that matches nothing is refused. @default all 41 */
  filter?: CatalogueFilter;
  /** `"all"`: every selected tool; `"discovery"`: `search_tools`, `get_tool_schema`, `call_tool` over them. @default "all" */
  toolExposure?: "all" | "discovery";
  /**
   * Names this server in job identities: two servers with different ids never share a job. Give each configured
   * server its own (the HTTP handler uses the stored server id). @default "gumloop"
   */
  serverId?: string;
  /** Jobs shared with other server instances (one per client session of the same server). @default a new set */
  jobs?: GumloopMcpJobs;
  /** Job settings (deadline, schedule, clock seams) when no `jobs` is given. */
  jobOptions?: GumloopMcpJobsOptions;
  /** Cap on the text a tool shows the model. @default 16000 */
  maxContentChars?: number;
  /** Cap on the text of an embedded file. @default 32000 */
  maxResourceChars?: number;
  /**
   * Pins the identity, as the tool manager's option does: `user_id`, `team_id` and `project_id` leave every tool's
   * schema and the configured values are always sent. @default false
   */
  pinIdentity?: boolean;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const INSTRUCTIONS =
  "Gumloop's API as tools. For long jobs use run_gumloop_agent_session, run_gumloop_flow or export_gumloop_data: " +
  "each waits for the job and returns its result, so do not poll.";

/** The three discovery tools as MCP tools. */
function discoveryTools(): Tool[] {
  return DISCOVERY_TOOL_NAMES.map((name) => ({
    name,
    title:
      name === "search_tools"
        ? "Search tools"
        : name === "get_tool_schema"
          ? "Get tool schemas"
          : "Call a tool",
    description: DISCOVERY_DESCRIPTIONS[name],
    inputSchema: toJsonSchema(DISCOVERY_INPUTS[name]) as Tool["inputSchema"],
    annotations:
      name === "call_tool" ? { openWorldHint: true } : { readOnlyHint: true, openWorldHint: false },
  }));
}

function toMcpTool(entry: McpToolEntry): Tool {
  return {
    name: entry.name,
    title: entry.title,
    description: entry.description,
    inputSchema: entry.inputSchema as Tool["inputSchema"],
    annotations: entry.annotations,
    ...(entry.job ? { execution: { taskSupport: "optional" as const } } : {}),
  };
}

/**
 * Builds an MCP server for the Gumloop API. Connect it to a transport (`StdioServerTransport`, a Streamable HTTP
 * transport) yourself, or use the `gumloop-mcp` bin / {@link createGumloopMcpHttpHandler}.
 *
 * @example
 * ```ts
 * const server = createGumloopMcpServer({ filter: { tags: ["sessions", "artifacts"] } });
 * await server.connect(new StdioServerTransport());
 * ```
 */
export function createGumloopMcpServer(options: GumloopMcpServerOptions = {}): Server {
  const {
    client: given,
    filter = {},
    toolExposure = "all",
    serverId = "gumloop",
    jobs: sharedJobs,
    jobOptions,
    maxContentChars,
    maxResourceChars = DEFAULT_MAX_RESOURCE_CHARS,
    pinIdentity = false,
    ...clientOptions
  } = options;
  const client = given ?? sharedJobs?.client ?? new GumloopClient(clientOptions);
  const jobs = sharedJobs ?? new GumloopMcpJobs(client, { maxResourceChars, ...jobOptions });
  const manager = new GumloopToolManager({
    client,
    pinIdentity,
    ...(maxContentChars ? { maxContentChars } : {}),
  });
  // Refused here, before any client connects, as Truto refuses to create a server whose filter matches nothing.
  const selected = selectTools(allEntries(manager, jobs), filter);
  const directory = new ToolDirectory(selected);
  const listed = toolExposure === "discovery" ? discoveryTools() : selected.map(toMcpTool);
  const redact = (text: string) => client.redact(text);

  const server = new Server(
    { name: "gumloop", title: "Gumloop", version: VERSION },
    {
      capabilities: { tools: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
      taskStore: jobs.tasks,
      // Only worth its tokens when the job tools are there.
      ...(selected.some((entry) => entry.job) ? { instructions: INSTRUCTIONS } : {}),
    },
  );

  const runEndpoint = async (entry: McpToolEntry, args: Record<string, unknown>, extra: Extra) => {
    const tool = entry.tool!;
    const parsed = (
      tool.schema as { safeParse(value: unknown): { success: boolean; error?: any } }
    ).safeParse(args);
    if (!parsed.success)
      return errorResult(
        entry.name,
        new GumloopValidationError(entry.name, zodIssues(parsed.error, tool.schema as never)),
        redact,
      );
    try {
      const message = (await tool.invoke(
        { type: "tool_call", id: `mcp_${randomBytes(8).toString("hex")}`, name: entry.name, args },
        { signal: extra.signal },
      )) as ToolMessage;
      const files = message.artifact ? responseFiles(message.artifact, maxResourceChars) : [];
      return toolResult(String(message.content), files);
    } catch (error) {
      return errorResult(entry.name, error, redact);
    }
  };

  const run = (entry: McpToolEntry, args: Record<string, unknown>, request: CallToolRequest, extra: Extra) =>
    entry.job
      ? runJob({ jobs, server, serverId, name: entry.job, args, request, extra, redact })
      : runEndpoint(entry, args, extra);

  const discovery = async (request: CallToolRequest, extra: Extra): Promise<CallToolResult> => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const name = request.params.name as (typeof DISCOVERY_TOOL_NAMES)[number];
    const parsed = DISCOVERY_INPUTS[name].safeParse(args);
    if (!parsed.success)
      return errorResult(name, new GumloopValidationError(name, zodIssues(parsed.error)), redact);
    const input = parsed.data as Record<string, any>;
    if (name === "search_tools")
      return toolResult(JSON.stringify({ result: directory.search(input["query"], input["limit"] ?? 5) }));
    if (name === "get_tool_schema")
      return toolResult(JSON.stringify({ result: directory.schemas(input["tool_names"]) }));
    let entry: McpToolEntry;
    try {
      entry = directory.resolve(input["tool_name"]);
    } catch (error) {
      return errorResult(name, error, redact);
    }
    // Progress and cancellation reach the job as for a direct call; tasks are for direct calls of job tools.
    const inner = {
      ...request,
      params: { ...request.params, name: entry.name, arguments: input["arguments"] ?? {} },
    };
    delete (inner.params as { task?: unknown }).task;
    return run(
      entry,
      (input["arguments"] ?? {}) as Record<string, unknown>,
      inner as CallToolRequest,
      extra,
    ) as Promise<CallToolResult>;
  };

  // Jobs made for this server alone end with it: their timers stop (running jobs still end at their deadline).
  if (!sharedJobs) server.onclose = () => jobs.close();
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const name = request.params.name;
    if (toolExposure === "discovery") {
      if (!(DISCOVERY_TOOL_NAMES as readonly string[]).includes(name))
        throw new McpError(
          ErrorCode.InvalidParams,
          `Unknown tool: ${name}. This server serves search_tools, get_tool_schema and call_tool.`,
        );
      if (request.params.task)
        throw new McpError(ErrorCode.InvalidParams, `Tool ${name} does not run as a task.`);
      return discovery(request, extra);
    }
    // Only the selected tools exist here: a tool outside the filter is unknown, as if misspelt.
    const entry = selected.find((candidate) => candidate.name === name);
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    if (request.params.task && !entry.job)
      throw new McpError(ErrorCode.InvalidParams, `Tool ${name} does not run as a task.`);
    return run(entry, (request.params.arguments ?? {}) as Record<string, unknown>, request, extra);
  });
  return server;
}
