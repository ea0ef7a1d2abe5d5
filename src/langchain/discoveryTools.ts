/**
 * The discovery exposure as LangChain tools: `search_tools`, `get_tool_schema` and `call_tool` over the tools a
 * manager's filter selected. `call_tool` runs the selected tool itself, so it validates and answers exactly as the
 * direct tool would (content for the model, the full response as the artifact).
 */
import { randomBytes } from "node:crypto";
import type { DynamicStructuredTool } from "@langchain/core/tools";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import { ToolMessage } from "@langchain/core/messages";
import {
  DISCOVERY_DESCRIPTIONS,
  DISCOVERY_INPUTS,
  ToolDirectory,
  type DirectoryEntry,
} from "../catalogue/discovery.js";
import { once } from "../lazy.js";
import { GumloopStructuredTool } from "./gumloopTool.js";
import { toolInput, variantOf } from "./strictSchema.js";

interface LangChainEntry extends DirectoryEntry {
  readonly tool: DynamicStructuredTool;
}

/** The JSON Schema a model is shown for a LangChain tool (what `bindTools` sends). */
export function toolInputSchema(tool: DynamicStructuredTool): Record<string, unknown> {
  return convertToOpenAITool(tool).function.parameters as Record<string, unknown>;
}

/** Directory entry of a catalogue tool built by `buildTool` (tags and annotations from its metadata). */
function entryOf(tool: DynamicStructuredTool): LangChainEntry {
  const metadata = (tool.metadata ?? {}) as {
    tags?: readonly string[];
    annotations?: Record<string, unknown>;
  };
  return {
    name: tool.name,
    description: tool.description,
    tags: metadata.tags ?? [],
    inputSchema: toolInputSchema(tool),
    ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
    tool,
  };
}

/**
 * The three discovery tools over `tools` (only these can be found, described or called). `strict` (or `gemini`)
 * gives the three that variant (`call_tool`'s arguments then travel as JSON text); the tools they find keep theirs.
 */
export function buildDiscoveryTools(
  tools: readonly DynamicStructuredTool[],
  options: { readonly strict?: boolean; readonly gemini?: boolean } = {},
): DynamicStructuredTool[] {
  // Built on first use, like every tool's schema: the directory holds the JSON Schema of every selected tool.
  const directory = once(() => new ToolDirectory(tools.map(entryOf)));
  const input = (name: keyof typeof DISCOVERY_INPUTS) =>
    once(() => toolInput(name, DISCOVERY_INPUTS[name], variantOf(options)));
  const search = input("search_tools");
  const schemas = input("get_tool_schema");
  const call = input("call_tool");
  return [
    new GumloopStructuredTool({
      name: "search_tools",
      description: DISCOVERY_DESCRIPTIONS.search_tools,
      schema: () => search().schema,
      metadata: { discovery: true },
      func: async (raw: Record<string, unknown>) => {
        const { query, limit } = search().read(raw) as { query: string; limit?: number };
        return JSON.stringify({ result: directory().search(query, limit ?? 5) });
      },
    }),
    new GumloopStructuredTool({
      name: "get_tool_schema",
      description: DISCOVERY_DESCRIPTIONS.get_tool_schema,
      schema: () => schemas().schema,
      metadata: { discovery: true },
      func: async (raw: Record<string, unknown>) => {
        const { tool_names } = schemas().read(raw) as { tool_names: string[] };
        return JSON.stringify({ result: directory().schemas(tool_names) });
      },
    }),
    new GumloopStructuredTool({
      name: "call_tool",
      description: DISCOVERY_DESCRIPTIONS.call_tool,
      schema: () => call().schema,
      responseFormat: "content_and_artifact",
      // The names of the tools it may run (catalogue tools), for approval gates.
      metadata: { discovery: true, callable: tools.map((tool) => tool.name) },
      func: async (raw: Record<string, unknown>, _runManager, config) => {
        const input = call().read(raw) as { tool_name: string; arguments?: Record<string, unknown> };
        const { tool } = directory().resolve(input.tool_name);
        // Called as a tool call, the inner tool hands back its artifact too (a plain invoke would drop it).
        const callId = (config as { toolCall?: { id?: string } } | undefined)?.toolCall?.id;
        const message = (await tool.invoke(
          {
            type: "tool_call",
            id: callId ?? `call_${randomBytes(8).toString("hex")}`,
            name: tool.name,
            args: input.arguments ?? {},
          },
          config,
        )) as ToolMessage;
        return [message.content, message.artifact];
      },
    }),
  ];
}
