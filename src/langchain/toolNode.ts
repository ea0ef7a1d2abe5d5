/**
 * A ToolNode for agents built from the plain Gumloop tools. Tool errors become error ToolMessages for the model,
 * as usual, except a `RateLimitError`: the model cannot do anything useful about a 429, so it is let through to
 * the node's retry policy and the graph waits (for the server's `Retry-After`) and retries instead.
 *
 * A retried node runs again from the start. So that sibling tool calls that already succeeded in the failed
 * attempt (one of them might have started a flow) are not run twice, their results are kept and reused: only
 * for the same step of the same thread, and only for a call with the same id, tool and arguments. They are dropped
 * when the node succeeds or gives up.
 */
import type { ToolMessage } from "@langchain/core/messages";
import { ToolMessage as ToolMessageClass } from "@langchain/core/messages";
import type { ToolCall } from "@langchain/core/messages/tool";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { isGraphInterrupt, type LangGraphRunnableConfig, type RetryPolicy } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { OutcomeUnknownError, isRateLimitError, type RateLimitError } from "../client/errors.js";
import { realSleep, type Sleep } from "../client/sleep.js";
import { gumloopRetryPolicy, retryWaitMs, type NodeRetryOptions } from "../graphs/retry.js";

/** Options of `createGumloopToolNode()`: name, longest wait, attempts and seams. */
export interface GumloopToolNodeOptions {
  /** Node name. @default "tools" */
  name?: string;
  /** Longest wait for one server hint. @default 60000 */
  maxWaitMs?: number;
  /** Sleep (test seam). @default real, abortable time */
  sleep?: Sleep;
  /** Random source for the backoff's jitter (test seam). @default Math.random */
  random?: () => number;
  /**
   * Attempts the node's retry policy allows (the `maxAttempts` given to {@link gumloopToolNodeRetryPolicy}). On
   * the last one a 429 is rethrown at once and the results kept for the retry are dropped. @default 20
   */
  maxAttempts?: number;
}

/** The retry policy to attach to a Gumloop tool node: it retries only the rate-limited calls. */
export function gumloopToolNodeRetryPolicy(options: NodeRetryOptions = {}): RetryPolicy {
  return gumloopRetryPolicy(false, options);
}

/** Scopes kept at most: a node whose policy gives up earlier than `maxAttempts` leaves its scope behind. */
const MAX_SCOPES = 256;

/** A ToolNode that hands 429s to the graph's retry policy and never runs a settled sibling call twice. */
export class GumloopToolNode extends ToolNode {
  /** Results kept for a retry of the same step: step scope → call key → message. */
  readonly #settled = new Map<string, Map<string, ToolMessage>>();
  readonly #rateLimited = new WeakMap<object, RateLimitError>();
  /** The call each message answers (see callKey). */
  readonly #callKeys = new WeakMap<object, string>();
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #maxWaitMs: number;
  readonly #maxAttempts: number;

  constructor(tools: StructuredToolInterface[], options: GumloopToolNodeOptions = {}) {
    super(tools, { name: options.name ?? "tools", handleToolErrors: false });
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#maxWaitMs = options.maxWaitMs ?? 60_000;
    this.#maxAttempts = options.maxAttempts ?? 20;
  }

  protected override async runTool(call: ToolCall, config: LangGraphRunnableConfig, state: unknown) {
    const key = callKey(call);
    const cached = this.#settled.get(scopeOf(config))?.get(key);
    if (cached) return cached;
    try {
      const result = await super.runTool(call, config, state);
      if (result && typeof result === "object") this.#callKeys.set(result, key);
      return result;
    } catch (error) {
      if (isGraphInterrupt(error)) throw error;
      const message = new ToolMessageClass({
        status: "error",
        content: errorContent(error),
        name: call.name,
        tool_call_id: call.id ?? "",
      });
      // Hold the 429 back until every sibling call has settled (see run()). Other errors are kept like results:
      // the call may have done work (an outcome-unknown start) and must not run again.
      if (isRateLimitError(error)) this.#rateLimited.set(message, error);
      else this.#callKeys.set(message, key);
      return message;
    }
  }

  protected override async run(input: unknown, config: LangGraphRunnableConfig) {
    const scope = scopeOf(config);
    let output: unknown;
    try {
      output = await super.run(input, config);
    } catch (error) {
      this.#settled.delete(scope);
      throw error;
    }
    const messages = collectToolMessages(output);
    const limited = messages
      .map((message) => this.#rateLimited.get(message))
      .filter((e): e is RateLimitError => !!e);
    const attempt = config.executionInfo?.nodeAttempt ?? 1;
    // Outside a graph (no executionInfo) nothing runs the node again: a 429 is final there too.
    const final = !config.executionInfo || attempt >= this.#maxAttempts;
    if (limited.length === 0 || final) {
      this.#settled.delete(scope);
      if (limited.length === 0) return output as Awaited<ReturnType<ToolNode["run"]>>;
      throw limited[0];
    }
    const kept = this.#settled.get(scope) ?? new Map<string, ToolMessage>();
    for (const message of messages) {
      const key = this.#callKeys.get(message);
      if (!this.#rateLimited.has(message) && key) kept.set(key, message);
    }
    this.#keep(scope, kept);
    // The longest wait any refused call asks for, by the one backoff rule (never less than its floor).
    const waits = limited.map((error) =>
      retryWaitMs(attempt, error, this.#random, { maxWaitMs: this.#maxWaitMs }),
    );
    try {
      await this.#sleep(Math.max(...waits), config.signal);
    } catch (error) {
      this.#settled.delete(scope);
      throw error;
    }
    throw limited[0];
  }

  #keep(scope: string, kept: Map<string, ToolMessage>): void {
    this.#settled.delete(scope);
    this.#settled.set(scope, kept);
    for (const oldest of this.#settled.keys()) {
      if (this.#settled.size <= MAX_SCOPES) break;
      this.#settled.delete(oldest);
    }
  }
}

/**
 * What the model reads for a failed call. A call that may have taken effect must not be "fixed" and sent again:
 * its message already says how to check, and nothing is added that invites a repeat.
 */
function errorContent(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof OutcomeUnknownError)
    return `Error: ${message}\n Do not repeat this call before checking.`;
  return `Error: ${message}\n Please fix your mistakes.`;
}

/**
 * The step a node run belongs to: thread and task namespace (which names the checkpoint's task), so a retry of
 * the same step finds its kept results and no other thread or step does.
 */
function scopeOf(config: LangGraphRunnableConfig): string {
  const info = config.executionInfo;
  return JSON.stringify([
    info?.threadId ?? config.configurable?.["thread_id"] ?? null,
    info?.checkpointNs ?? null,
  ]);
}

/** A call is the same call only with the same id, tool and arguments. */
function callKey(call: ToolCall): string {
  return JSON.stringify([call.id ?? null, call.name, call.args ?? null]);
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
