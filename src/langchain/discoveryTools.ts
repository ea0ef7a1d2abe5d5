/**
 * The discovery exposure as LangChain tools: `search_tools`, `get_tool_schema` and `call_tool` over the tools a
 * manager's filter selected. `call_tool` runs the selected tool itself, so it validates and answers exactly as the
 * direct tool would (content for the model, the full response as the artifact).
 */
import { randomBytes } from "node:crypto";
import { DynamicStructuredTool } from "@langchain/core/tools";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import { ToolMessage } from "@langchain/core/messages";
import {
  DISCOVERY_DESCRIPTIONS,
  DISCOVERY_INPUTS,
  ToolDirectory,
  type DirectoryEntry,
} from "../catalogue/discovery.js";

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

/** The three discovery tools over `tools` (only these can be found, described or called). */
export function buildDiscoveryTools(tools: readonly DynamicStructuredTool[]): DynamicStructuredTool[] {
  const directory = new ToolDirectory(tools.map(entryOf));
  return [
    new DynamicStructuredTool({
      name: "search_tools",
      description: DISCOVERY_DESCRIPTIONS.search_tools,
      schema: DISCOVERY_INPUTS.search_tools,
      metadata: { discovery: true },
      func: async ({ query, limit }: { query: string; limit?: number }) =>
        JSON.stringify({ result: directory.search(query, limit ?? 5) }),
    }),
    new DynamicStructuredTool({
      name: "get_tool_schema",
      description: DISCOVERY_DESCRIPTIONS.get_tool_schema,
      schema: DISCOVERY_INPUTS.get_tool_schema,
      metadata: { discovery: true },
      func: async ({ tool_names }: { tool_names: string[] }) =>
        JSON.stringify({ result: directory.schemas(tool_names) }),
    }),
    new DynamicStructuredTool({
      name: "call_tool",
      description: DISCOVERY_DESCRIPTIONS.call_tool,
      schema: DISCOVERY_INPUTS.call_tool,
      responseFormat: "content_and_artifact",
      // The names of the tools it may run (catalogue tools), for approval gates.
      metadata: { discovery: true, callable: tools.map((tool) => tool.name) },
      func: async (
        input: { tool_name: string; arguments?: Record<string, unknown> },
        _runManager,
        config,
      ) => {
        const { tool } = directory.resolve(input.tool_name);
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
