/**
 * The emulated model: which model ids exist, and a deterministic answer for a validated request.
 *
 * - The reply is derived from the last user message: "capital of Canada" → `Ottawa.` (the spec's example),
 *   anything else → `Echo from <model>: <message>`. After a `tool` message it reports the tool's result.
 * - With `tools` (and `tool_choice` not "none"), the model calls a tool when the last user message names it (the
 *   function name, or the name with spaces for underscores), always when `tool_choice` is "required" (the named
 *   tool, else the first) or names a function. Arguments are filled from the tool's JSON schema: required string
 *   properties get the user's message, numbers 1, booleans true, enums their first value.
 * - `response_format` json_object → `{"reply": ...}`; json_schema → an object shaped by the schema.
 * - `max_completion_tokens` truncates the reply (`finish_reason: "length"`).
 * - Image models (`gpt-image-*`, `dall-e-*`, `*-image-preview`) return one 1×1 PNG in `message.images`.
 * - Tokens are counted as ceil(characters / 4), plus 4 per message and 3 per request for the prompt.
 */
import { isPlainObject } from "../../server/context.js";
import type { ChatRequest, ToolDef } from "./request.js";

/**
 * Image-generation model ids (reached with `modalities: ["image"]` or `image_config`). They are not in
 * `GET /models`'s picker groups, so the chat area accepts them on top of those ids (inference).
 */
export const IMAGE_MODELS: readonly string[] = [
  "gpt-image-1",
  "gpt-image-1.5",
  "dall-e-3",
  "gemini-2.5-flash-image-preview",
];

/** True for an image-generation model id. */
export function isImageModel(model: string): boolean {
  return IMAGE_MODELS.includes(model);
}

/** A 1×1 transparent PNG. */
const PIXEL_PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/** Chat finish reasons. */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error";

/** What the model answers, before ids are assigned. */
export interface ModelAnswer {
  content: string;
  /** Tool calls without ids (assigned by the caller). */
  toolCalls: { name: string; arguments: string }[];
  images: Record<string, unknown>[];
  finishReason: FinishReason;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** Rough token count: ceil(characters / 4). */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function sampleValue(schema: unknown, text: string, depth = 0): unknown {
  if (!isPlainObject(schema)) return text;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "integer":
    case "number":
      return 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return depth > 3 ? {} : objectFrom(schema, text, depth + 1);
    default:
      return text;
  }
}

/** An object with every required property (all properties when none is marked required). */
function objectFrom(schema: Record<string, unknown>, text: string, depth = 0): Record<string, unknown> {
  const props = isPlainObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required)
    ? schema.required.filter((r): r is string => typeof r === "string")
    : Object.keys(props);
  return Object.fromEntries(required.map((name) => [name, sampleValue(props[name], text, depth)]));
}

function mentionedTool(tools: readonly ToolDef[], text: string): ToolDef | undefined {
  const lower = text.toLowerCase();
  return tools.find(
    (t) =>
      lower.includes(t.name.toLowerCase()) || lower.includes(t.name.toLowerCase().replace(/[_-]+/g, " ")),
  );
}

function chooseTool(req: ChatRequest, lastUserText: string, lastIsUser: boolean): ToolDef | undefined {
  if (req.tools.length === 0 || req.toolChoice === "none" || req.wantsImage) return undefined;
  const choice = req.toolChoice;
  if (typeof choice === "object") return req.tools.find((t) => t.name === choice.name);
  if (!lastIsUser) return undefined;
  const mentioned = mentionedTool(req.tools, lastUserText);
  return choice === "required" ? (mentioned ?? req.tools[0]) : mentioned;
}

function baseReply(req: ChatRequest): string {
  const last = req.messages[req.messages.length - 1]!;
  if (last.role === "tool") {
    const call = req.messages.flatMap((m) => m.toolCalls).find((c) => c.id === last.toolCallId);
    return `The ${call?.name ?? "tool"} tool returned: ${last.text}`;
  }
  const user = [...req.messages].reverse().find((m) => m.role === "user");
  if (!user || user.text.trim() === "") return "Hello! How can I help you today?";
  if (/capital of canada/i.test(user.text)) return "Ottawa.";
  return `Echo from ${req.model}: ${user.text}`;
}

/** The model's deterministic answer to a validated request. */
export function answer(req: ChatRequest): ModelAnswer {
  const promptTokens = req.messages.reduce((sum, m) => sum + 4 + countTokens(m.text), 3);
  const last = req.messages[req.messages.length - 1]!;
  const lastUser = [...req.messages].reverse().find((m) => m.role === "user");
  const result = (partial: Omit<ModelAnswer, "usage">, completionTokens: number): ModelAnswer => ({
    ...partial,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  });

  if (req.wantsImage) {
    const content = `Here is the generated image for: ${lastUser?.text ?? "your prompt"}`;
    const images = [{ type: "image_url", image_url: { url: PIXEL_PNG } }];
    return result({ content, toolCalls: [], images, finishReason: "stop" }, countTokens(content));
  }

  const tool = chooseTool(req, lastUser?.text ?? "", last.role === "user");
  if (tool) {
    const args = JSON.stringify(tool.parameters ? objectFrom(tool.parameters, lastUser?.text ?? "") : {});
    return result(
      {
        content: "",
        toolCalls: [{ name: tool.name, arguments: args }],
        images: [],
        finishReason: "tool_calls",
      },
      countTokens(tool.name) + countTokens(args),
    );
  }

  const reply = baseReply(req);
  let content =
    req.responseFormat.type === "json_object"
      ? JSON.stringify({ reply })
      : req.responseFormat.type === "json_schema"
        ? JSON.stringify(sampleValue(req.responseFormat.schema, reply))
        : reply;
  let finishReason: FinishReason = "stop";
  if (req.maxTokens !== null && countTokens(content) > req.maxTokens) {
    content = content.slice(0, req.maxTokens * 4);
    finishReason = "length";
  }
  return result({ content, toolCalls: [], images: [], finishReason }, countTokens(content));
}
