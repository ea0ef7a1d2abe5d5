/**
 * The `interruptOn` map of LangChain's `humanInTheLoopMiddleware`, built from the catalogue's own marks: a tool
 * that may delete, cancel or overwrite something on Gumloop (`destructiveHint`), and a tool that spends Gumloop
 * credits (`spendsCredits`: an agent session, a message to one, a flow run, a model call, an MCP tool call), wait
 * for a human's decision before they run. Composite tools are judged by the job they start, per-flow tools as the
 * flow start they are, and `call_tool` by every tool it may run.
 */
import type { ToolCall } from "@langchain/core/messages/tool";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { InterruptOnConfig } from "langchain";
import type { EndpointDefinition } from "../tools/types.js";
import { operationsOf } from "./toolKinds.js";

/** A decision a reviewer may take on a paused tool call (LangChain's `DecisionType`). */
export type ApprovalDecisionType = "approve" | "edit" | "reject";

/** Options of {@link gumloopInterruptOn}: which marks ask for approval, and what the reviewer may decide. */
export interface GumloopInterruptOnOptions {
  /** Ask before tools that may delete, cancel or overwrite something on Gumloop. @default true */
  readonly destructive?: boolean;
  /** Ask before tools that spend Gumloop credits (agent sessions, flow runs, model and MCP tool calls). @default true */
  readonly spendsCredits?: boolean;
  /** The decisions a reviewer may take. @default ["approve", "edit", "reject"] */
  readonly allowedDecisions?: readonly ApprovalDecisionType[];
}

/** What a tool is asked about for, in words for the reviewer, or none. */
function reasonsFor(operations: readonly EndpointDefinition[], options: GumloopInterruptOnOptions): string[] {
  const reasons: string[] = [];
  const destructive = operations.filter((definition) => definition.annotations.destructiveHint);
  const paid = operations.filter((definition) => definition.spendsCredits === true);
  const which = (found: readonly EndpointDefinition[]) =>
    operations.length > 1 ? ` (${found.map((definition) => definition.name).join(", ")})` : "";
  if ((options.destructive ?? true) && destructive.length > 0)
    reasons.push(`May delete, cancel or overwrite something on Gumloop${which(destructive)}.`);
  if ((options.spendsCredits ?? true) && paid.length > 0)
    reasons.push(`Spends Gumloop credits${which(paid)}.`);
  return reasons;
}

/** The description a reviewer reads: why this tool asks, then the call itself. */
function describe(reasons: readonly string[]) {
  return (call: ToolCall): string =>
    `${reasons.join(" ")}\n\nTool: ${call.name}\nArgs: ${JSON.stringify(call.args ?? {}, null, 2)}`;
}

/**
 * The `interruptOn` map for `humanInTheLoopMiddleware` over `tools`: one entry per Gumloop tool that is destructive
 * or spends credits (as the options select), saying why it asks; other tools, and Gumloop's reads, run unasked.
 *
 * @example
 * ```ts
 * const agent = createAgent({
 *   model,
 *   tools,
 *   checkpointer: new MemorySaver(),
 *   middleware: [humanInTheLoopMiddleware({ interruptOn: gumloopInterruptOn(tools) }), gumloopToolRetryMiddleware()],
 * });
 * ```
 */
export function gumloopInterruptOn(
  tools: readonly StructuredToolInterface[],
  options: GumloopInterruptOnOptions = {},
): Record<string, InterruptOnConfig> {
  const allowedDecisions = [...(options.allowedDecisions ?? ["approve", "edit", "reject"])];
  const interruptOn: Record<string, InterruptOnConfig> = {};
  for (const tool of tools) {
    const reasons = reasonsFor(operationsOf(tool), options);
    if (reasons.length === 0) continue;
    interruptOn[tool.name] = { allowedDecisions, description: describe(reasons) };
  }
  return interruptOn;
}
