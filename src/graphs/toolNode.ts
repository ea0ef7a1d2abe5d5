/**
 * A ToolNode for agents built from the plain Gumloop tools. Tool errors become error ToolMessages for the model,
 * as usual, except a `RateLimitError`: the model cannot do anything useful about a 429, so it is let through to
 * the node's retry policy and the graph waits (for the server's `Retry-After`) and retries instead.
 *
 * A retried node runs again from the start. So that sibling tool calls that already succeeded in the failed
 * attempt (one of them might have started a flow) are not run twice, their results are kept and reused.
 */
import type { ToolMessage } from "@langchain/core/messages";
import { ToolMessage as ToolMessageClass } from "@langchain/core/messages";
import type { ToolCall } from "@langchain/core/messages/tool";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { isGraphInterrupt, type LangGraphRunnableConfig, type RetryPolicy } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { isRateLimitError, type RateLimitError } from "../client/errors.js";
import { realSleep, type Sleep } from "../client/sleep.js";
import { gumloopRetryPolicy, type NodeRetryOptions } from "./retry.js";

export interface GumloopToolNodeOptions {
  /** Node name. @default "tools" */
  name?: string;
  /** Longest wait for one server hint. @default 60000 */
  maxWaitMs?: number;
  /** Sleep (test seam). @default real, abortable time */
  sleep?: Sleep;
}

/** The retry policy to attach to a Gumloop tool node: it retries only the rate-limited calls. */
export function gumloopToolNodeRetryPolicy(options: NodeRetryOptions = {}): RetryPolicy {
  return gumloopRetryPolicy(false, options);
}

export class GumloopToolNode extends ToolNode {
  readonly #settled = new Map<string, ToolMessage>();
  readonly #rateLimited = new WeakMap<object, RateLimitError>();
  readonly #sleep: Sleep;
  readonly #maxWaitMs: number;

  constructor(tools: StructuredToolInterface[], options: GumloopToolNodeOptions = {}) {
    super(tools, { name: options.name ?? "tools", handleToolErrors: false });
    this.#sleep = options.sleep ?? realSleep;
    this.#maxWaitMs = options.maxWaitMs ?? 60_000;
  }

  protected override async runTool(call: ToolCall, config: LangGraphRunnableConfig, state: unknown) {
    const cached = call.id ? this.#settled.get(call.id) : undefined;
    if (cached) return cached;
    try {
      return await super.runTool(call, config, state);
    } catch (error) {
      if (isGraphInterrupt(error)) throw error;
      const message = new ToolMessageClass({
        status: "error",
        content: `Error: ${(error as Error)?.message ?? String(error)}\n Please fix your mistakes.`,
        name: call.name,
        tool_call_id: call.id ?? "",
      });
      // Hold the 429 back until every sibling call has settled (see run()).
      if (isRateLimitError(error)) this.#rateLimited.set(message, error);
      return message;
    }
  }

  protected override async run(input: unknown, config: LangGraphRunnableConfig) {
    const output = await super.run(input, config);
    const messages = collectToolMessages(output);
    const limited = messages
      .map((message) => this.#rateLimited.get(message))
      .filter((e): e is RateLimitError => !!e);
    if (limited.length === 0) {
      for (const message of messages) this.#settled.delete(message.tool_call_id);
      return output;
    }
    for (const message of messages) {
      if (!this.#rateLimited.has(message) && message.tool_call_id)
        this.#settled.set(message.tool_call_id, message);
    }
    const attempt = config.executionInfo?.nodeAttempt ?? 1;
    const hints = limited.map((error) => error.retryAfterMs ?? Math.min(1_000 * 2 ** (attempt - 1), 30_000));
    await this.#sleep(Math.min(Math.max(...hints), this.#maxWaitMs), config.signal);
    throw limited[0];
  }
}

function collectToolMessages(output: unknown): ToolMessage[] {
  const found: ToolMessage[] = [];
  const visit = (value: unknown) => {
    if (value instanceof ToolMessageClass) found.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object" && "messages" in value)
      visit((value as { messages: unknown }).messages);
  };
  visit(output);
  return found;
}

/**
 * A ToolNode for Gumloop tools with 429s handed to the graph's retry policy. Add it with
 * `graph.addNode("tools", createGumloopToolNode(tools), { retryPolicy: gumloopToolNodeRetryPolicy() })`.
 */
export function createGumloopToolNode(
  tools: StructuredToolInterface[],
  options: GumloopToolNodeOptions = {},
) {
  return new GumloopToolNode(tools, options);
}
