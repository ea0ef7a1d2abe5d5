/**
 * The MCP server's catalogue: the 38 operations (as the LangChain tools build them, so schemas and answers are the
 * same) plus the three job tools, each with a title, its input schema (object root, no `$ref`) and MCP's four
 * annotations. One filter selects from all 41, with the same rules as `GumloopToolManager` (job tools are `write`
 * tools with their own tags, and a `names` filter may name them).
 */
import type { DynamicStructuredTool } from "@langchain/core/tools";
import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { DirectoryEntry } from "../catalogue/discovery.js";
import { selectEntries, type CatalogueFilter, type FilterableEntry } from "../catalogue/filter.js";
import { toolInputSchema } from "../langchain/discoveryTools.js";
import type { GumloopToolManager } from "../toolManager.js";
import { ALL_ENDPOINTS } from "../tools/index.js";
import type { MethodClass, ToolTag } from "../tools/types.js";
import type { GumloopMcpJobs, JobToolName } from "./jobs.js";

/** One tool the MCP server can serve. */
export interface McpToolEntry extends FilterableEntry, DirectoryEntry {
  readonly title: string;
  readonly annotations: ToolAnnotations & { readonly readOnlyHint: boolean };
  readonly method: MethodClass;
  /** The LangChain tool that runs a catalogue operation. */
  readonly tool?: DynamicStructuredTool;
  /** Set for the three long-job tools. */
  readonly job?: JobToolName;
}

/** The job tools, each with the operation that starts its job. */
export const JOB_TOOLS: readonly {
  name: JobToolName;
  title: string;
  tags: readonly ToolTag[];
  openWorld: boolean;
}[] = [
  {
    name: "run_gumloop_agent_session",
    title: "Run a Gumloop agent and wait for it",
    tags: ["sessions", "artifacts"],
    openWorld: true,
  },
  { name: "run_gumloop_flow", title: "Run a Gumloop flow and wait for it", tags: ["flows"], openWorld: true },
  {
    name: "export_gumloop_data",
    title: "Export Gumloop data and wait for the CSV",
    tags: ["exports", "admin"],
    openWorld: false,
  },
];

const REQUEST_KEY_HELP =
  " Calling again with the same arguments returns the same job (waiting for it if it still runs); to run it again, pass a new request_key.";

/** "list_all_gumloop_agents" → "List all Gumloop agents". */
function titleOf(name: string): string {
  const words = name.split("_").map((word) => (word === "gumloop" ? "Gumloop" : word));
  const sentence = words.join(" ");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function endpointEntries(manager: GumloopToolManager): McpToolEntry[] {
  return ALL_ENDPOINTS.map((definition) => {
    const tool = manager.getTool(definition.name);
    return {
      name: definition.name,
      title: titleOf(definition.name),
      description: definition.description,
      method: definition.method,
      tags: definition.tags,
      inputSchema: toolInputSchema(tool),
      annotations: { openWorldHint: false, ...definition.annotations },
      tool,
    };
  });
}

function jobEntries(jobs: GumloopMcpJobs): McpToolEntry[] {
  return JOB_TOOLS.map(({ name, title, tags, openWorld }) => {
    const tool = jobs.tool(name);
    const schema = toolInputSchema(tool);
    const properties = (schema["properties"] ?? {}) as Record<string, unknown>;
    return {
      name,
      title,
      description: tool.description + REQUEST_KEY_HELP,
      method: "write" as const,
      tags,
      inputSchema: {
        ...schema,
        properties: {
          ...properties,
          request_key: { type: "string", description: "Optional; a new one runs the same call again" },
        },
      },
      // Starting a job is not read-only, but repeating the same call is harmless: it finds the same job.
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: openWorld,
      },
      job: name,
    };
  });
}

/** Every tool the server knows, in catalogue order with the job tools last. */
export function allEntries(manager: GumloopToolManager, jobs: GumloopMcpJobs): McpToolEntry[] {
  return [...endpointEntries(manager), ...jobEntries(jobs)];
}

/** The entries a filter selects; throws (naming the valid values) on unknown values or an empty match. */
export function selectTools(entries: readonly McpToolEntry[], filter: CatalogueFilter): McpToolEntry[] {
  return selectEntries(entries, filter);
}

/**
 * Checks a filter against the catalogue's 41 names, tags and methods without building any tool (for the store,
 * which refuses a server whose filter matches nothing, as Truto does). Returns the selected names.
 */
export function validateFilter(filter: CatalogueFilter): string[] {
  const entries: FilterableEntry[] = [
    ...ALL_ENDPOINTS,
    ...JOB_TOOLS.map(({ name, tags }) => ({
      name,
      method: "write" as const,
      tags,
      annotations: { readOnlyHint: false },
    })),
  ];
  return selectEntries(entries, filter).map((entry) => entry.name);
}
