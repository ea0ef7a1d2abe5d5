/**
 * The tool class every Gumloop tool is built on. It checks the input against the tool's schema before LangChain
 * does, because LangChain's failure (ToolInputParsingException) prints every zod issue, and an agent wraps it with
 * the whole input: 20,000 invalid items make a ToolMessage of megabytes. A {@link GumloopValidationError} names the
 * first few issues and counts the rest, and keeps them all on `issues`.
 */
import { DynamicStructuredTool } from "@langchain/core/tools";
import type { z } from "zod";
import { GumloopValidationError } from "../client/errors.js";
import { zodIssues } from "./strictSchema.js";

/** A LangChain tool call (`{ type: "tool_call", args, ... }`), as `tool.invoke` may receive it. */
function argsOf(input: unknown): unknown {
  const call = input as { type?: unknown; args?: unknown } | null;
  return call && typeof call === "object" && call.type === "tool_call" ? call.args : input;
}

export class GumloopStructuredTool extends DynamicStructuredTool {
  /** LangChain's entry point for `invoke` too: the input is checked here, then handed on unchanged. */
  override async call(
    arg: unknown,
    configArg?: unknown,
    tags?: string[],
  ): ReturnType<DynamicStructuredTool["call"]> {
    const checked = (this.schema as z.ZodType).safeParse(argsOf(arg));
    if (!checked.success) throw new GumloopValidationError(this.name, zodIssues(checked.error));
    return super.call(arg as never, configArg as never, tags);
  }
}
