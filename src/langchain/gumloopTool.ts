/**
 * The tool class every Gumloop tool is built on. It checks the input against the tool's schema before LangChain
 * does, because LangChain's failure (ToolInputParsingException) prints every zod issue, and an agent wraps it with
 * the whole input: 20,000 invalid items make a ToolMessage of megabytes. A {@link GumloopValidationError} names the
 * first few issues and counts the rest, and keeps them all on `issues`. It also restores `__proto__` keys that a
 * copy on the way turned into prototypes (see protoKeys.ts). Its schema may be given as a function that builds it
 * on first read, so that building 38 tools builds no schema until a model or a call needs one.
 */
import { DynamicStructuredTool, type DynamicStructuredToolInput } from "@langchain/core/tools";
import type { z } from "zod";
import { GumloopValidationError } from "../client/errors.js";
import { restoreProtoKeys } from "./protoKeys.js";
import { zodIssues } from "../tools/validation.js";
import { once } from "../lazy.js";

/** Whether `input` is a LangChain tool call (`{ type: "tool_call", args, ... }`), as `tool.invoke` may receive. */
function isToolCall(input: unknown): input is { type: "tool_call"; args: unknown } {
  return typeof input === "object" && input !== null && (input as { type?: unknown }).type === "tool_call";
}

/** DynamicStructuredTool's fields, with a schema that may be a function building it on first read. */
export type GumloopToolFields = Omit<DynamicStructuredToolInput, "schema"> & {
  readonly schema: z.ZodType | (() => z.ZodType);
};

export class GumloopStructuredTool extends DynamicStructuredTool {
  constructor(fields: GumloopToolFields) {
    const { schema } = fields;
    if (typeof schema !== "function") {
      super(fields as DynamicStructuredToolInput);
      return;
    }
    super({ ...fields, schema: undefined } as unknown as DynamicStructuredToolInput);
    // LangChain sets `schema` as an own field in its constructor; this getter takes its place.
    const built = once(schema);
    let replaced: unknown;
    Object.defineProperty(this, "schema", {
      enumerable: true,
      configurable: true,
      get: () => replaced ?? built(),
      set: (value: unknown) => {
        replaced = value;
      },
    });
  }

  /**
   * LangChain's entry point for `invoke` too: `__proto__` keys a copy turned into prototypes are put back (see
   * protoKeys.ts), the input is checked, then handed on.
   */
  override async call(
    arg: unknown,
    configArg?: unknown,
    tags?: string[],
  ): ReturnType<DynamicStructuredTool["call"]> {
    const given = isToolCall(arg) ? arg.args : arg;
    const args = restoreProtoKeys(given);
    const checked = (this.schema as z.ZodType).safeParse(args);
    if (!checked.success)
      throw new GumloopValidationError(this.name, zodIssues(checked.error, this.schema as z.ZodType));
    const restored = args === given ? arg : isToolCall(arg) ? { ...arg, args } : args;
    return super.call(restored as never, configArg as never, tags);
  }
}
