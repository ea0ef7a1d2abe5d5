/**
 * A scripted chat model that behaves as a model would in "run the research agent, wait, read the report": it
 * reads the tool results so far and asks for the next tool calls, one turn at a time (a turn costs `turnMs` on the
 * given clock). Shared by the model-turn benchmarks and the MCP agent test.
 */
import { AIMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ChatResult } from "@langchain/core/outputs";

/** One tool call the model asks for. */
export type Call = { name: string; args: Record<string, unknown> };

/** Reads the conversation's tool results (by tool name, parsed JSON) and returns the next calls, or null to end. */
export type Policy = (results: Map<string, unknown[]>) => Call[] | null;

/**
 * The text of a tool message: a string, or the text blocks of a content array. Through @langchain/mcp-adapters and
 * `createAgent`, a single MCP text block arrives as that block serialised (`{"type":"text","text":…}`): unwrapped.
 */
export function messageText(message: ToolMessage): string {
  const content = message.content;
  if (typeof content !== "string") {
    return content
      .map((block) =>
        (block as { type?: string }).type === "text" ? String((block as { text?: unknown }).text) : "",
      )
      .join("");
  }
  try {
    const block = JSON.parse(content) as { type?: unknown; text?: unknown };
    if (block && block.type === "text" && typeof block.text === "string") return block.text;
  } catch {
    // Not JSON: the text itself.
  }
  return content;
}

function parsed(message: ToolMessage): unknown {
  try {
    return JSON.parse(messageText(message));
  } catch {
    return null;
  }
}

/** The scripted model; `calls` counts its turns. */
export class ScriptedModel extends BaseChatModel {
  calls = 0;
  constructor(
    private readonly policy: Policy,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly options: { turnMs?: number; answer?: (results: Map<string, unknown[]>) => string } = {},
  ) {
    super({});
  }
  _llmType(): string {
    return "scripted";
  }
  override bindTools(): this {
    return this;
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.calls += 1;
    await this.sleep(this.options.turnMs ?? 2_000);
    const results = new Map<string, unknown[]>();
    for (const message of messages) {
      if (ToolMessage.isInstance(message))
        results.set(message.name!, [...(results.get(message.name!) ?? []), parsed(message)]);
    }
    const next = this.policy(results);
    const message = next
      ? new AIMessage({
          content: "",
          tool_calls: next.map((call, i) => ({
            ...call,
            id: `c${this.calls}_${i}`,
            type: "tool_call" as const,
          })),
        })
      : new AIMessage(this.options.answer?.(results) ?? "Here is the report summary.");
    return { generations: [{ text: String(message.content), message }] };
  }
}
