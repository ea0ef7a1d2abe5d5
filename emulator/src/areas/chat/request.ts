/**
 * Validation of a chat-completions body (chat-completions.yml `createChatCompletion`, plus the Oct-spec roles
 * `developer` and `tool`). Every rejection is a 400 `invalid_request` naming the field, e.g.
 * `messages[3].tool_call_id` as in the Oct spec's example.
 */
import { isPlainObject } from "../../server/context.js";
import { invalidRequest } from "../../server/errors.js";
import { isImageModel } from "./reply.js";

/** Message roles (Jul: system, user, assistant; Oct adds developer and tool). */
export const CHAT_ROLES = ["system", "developer", "user", "assistant", "tool"] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

/** A message, reduced to what the emulated model reads. */
export interface ChatMessage {
  role: ChatRole;
  /** The text parts joined with newlines ("" when content is null). */
  text: string;
  toolCallId: string | null;
  /** Tool calls of an assistant message: id → function name. */
  toolCalls: { id: string; name: string }[];
}

/** An OpenAI-shape function tool. */
export interface ToolDef {
  name: string;
  parameters: Record<string, unknown> | null;
}

export type ToolChoice = "auto" | "none" | "required" | { name: string };

export type ResponseFormat =
  { type: "text" } | { type: "json_object" } | { type: "json_schema"; schema: Record<string, unknown> };

/** A validated request. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  maxTokens: number | null;
  wantsImage: boolean;
  responseFormat: ResponseFormat;
  tools: ToolDef[];
  toolChoice: ToolChoice;
}

const IMAGE_URL = /^(https?:\/\/\S+|data:image\/(jpeg|jpg|png|gif|webp);base64,[A-Za-z0-9+/=]+)$/i;
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function contentText(value: unknown, role: ChatRole, where: string): string {
  if (typeof value === "string") return value;
  if (value === null && role === "assistant") return "";
  if (!Array.isArray(value)) throw invalidRequest(`${where} must be a string or an array of parts`, where);
  const texts: string[] = [];
  value.forEach((part, j) => {
    const at = `${where}[${j}]`;
    if (isPlainObject(part) && part.type === "text" && typeof part.text === "string") texts.push(part.text);
    else if (isPlainObject(part) && part.type === "image_url" && role === "user") {
      const url = isPlainObject(part.image_url) ? part.image_url.url : undefined;
      if (typeof url !== "string" || !IMAGE_URL.test(url)) {
        throw invalidRequest(`${at}.image_url.url must be an http(s) URL or a base64 image data URL`, at);
      }
    } else {
      throw invalidRequest(
        role === "user"
          ? `${at} must be a {"type": "text"} or {"type": "image_url"} part`
          : `${at} must be a {"type": "text", "text": "..."} part`,
        at,
      );
    }
  });
  return texts.join("\n");
}

function parseMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidRequest("messages must be a non-empty array", "messages");
  }
  const seenCalls = new Set<string>();
  return value.map((item, i) => {
    const where = `messages[${i}]`;
    if (!isPlainObject(item)) throw invalidRequest(`${where} must be an object`, where);
    const role = item.role as ChatRole;
    if (!CHAT_ROLES.includes(role)) {
      throw invalidRequest(`${where}.role must be one of ${CHAT_ROLES.join(", ")}`, `${where}.role`);
    }
    const text = contentText(item.content, role, `${where}.content`);
    const toolCalls: ChatMessage["toolCalls"] = [];
    if (role === "assistant" && item.tool_calls !== undefined && item.tool_calls !== null) {
      if (!Array.isArray(item.tool_calls)) {
        throw invalidRequest(`${where}.tool_calls must be an array`, `${where}.tool_calls`);
      }
      item.tool_calls.forEach((call, j) => {
        const fn = isPlainObject(call) && isPlainObject(call.function) ? call.function : null;
        if (!isPlainObject(call) || typeof call.id !== "string" || !fn || typeof fn.name !== "string") {
          throw invalidRequest(
            `${where}.tool_calls[${j}] must be {id, type: "function", function: {name, arguments}}`,
            `${where}.tool_calls[${j}]`,
          );
        }
        toolCalls.push({ id: call.id, name: fn.name });
        seenCalls.add(call.id);
      });
    }
    let toolCallId: string | null = null;
    if (role === "tool") {
      if (typeof item.tool_call_id !== "string" || !seenCalls.has(item.tool_call_id)) {
        throw invalidRequest(
          `${where}.tool_call_id must name a tool call of an earlier assistant message`,
          `${where}.tool_call_id`,
        );
      }
      toolCallId = item.tool_call_id;
    }
    return { role, text, toolCallId, toolCalls };
  });
}

function parseTools(value: unknown): ToolDef[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidRequest("tools must be an array", "tools");
  return value.map((tool, i) => {
    const fn = isPlainObject(tool) ? tool.function : undefined;
    if (
      !isPlainObject(tool) ||
      tool.type !== "function" ||
      !isPlainObject(fn) ||
      typeof fn.name !== "string"
    ) {
      throw invalidRequest(`tools[${i}] must be {type: "function", function: {name, ...}}`, `tools[${i}]`);
    }
    if (!TOOL_NAME.test(fn.name)) {
      throw invalidRequest(`tools[${i}].function.name must match ${TOOL_NAME}`, `tools[${i}].function.name`);
    }
    if (fn.parameters !== undefined && fn.parameters !== null && !isPlainObject(fn.parameters)) {
      throw invalidRequest(
        `tools[${i}].function.parameters must be an object`,
        `tools[${i}].function.parameters`,
      );
    }
    return { name: fn.name, parameters: isPlainObject(fn.parameters) ? fn.parameters : null };
  });
}

function parseToolChoice(value: unknown, tools: ToolDef[]): ToolChoice {
  if (value === undefined || value === null) return "auto";
  if (value === "auto" || value === "none") return value;
  if (value === "required") {
    if (tools.length === 0) throw invalidRequest('tool_choice "required" needs tools', "tool_choice");
    return value;
  }
  const fn = isPlainObject(value) && value.type === "function" ? value.function : undefined;
  if (isPlainObject(fn) && typeof fn.name === "string") {
    if (!tools.some((t) => t.name === fn.name)) {
      throw invalidRequest(`tool_choice names an unknown tool: ${fn.name}`, "tool_choice");
    }
    return { name: fn.name };
  }
  throw invalidRequest(
    'tool_choice must be "auto", "none", "required" or {"type": "function", "function": {"name": ...}}',
    "tool_choice",
  );
}

function parseResponseFormat(value: unknown): ResponseFormat {
  if (value === undefined || value === null) return { type: "text" };
  if (!isPlainObject(value)) throw invalidRequest("response_format must be an object", "response_format");
  if (value.type === "text" || value.type === "json_object") return { type: value.type };
  if (value.type === "json_schema") {
    const spec = value.json_schema;
    if (!isPlainObject(spec) || typeof spec.name !== "string" || !isPlainObject(spec.schema)) {
      throw invalidRequest(
        "response_format.json_schema must be {name, strict?, schema}",
        "response_format.json_schema",
      );
    }
    return { type: "json_schema", schema: spec.schema };
  }
  throw invalidRequest(
    "response_format.type must be text, json_object or json_schema",
    "response_format.type",
  );
}

function positiveInt(body: Record<string, unknown>, name: string): number | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw invalidRequest(`${name} must be a positive integer`, name);
  }
  return value;
}

/** Validates a body against the known models; throws 400 on the first problem. */
export function parseChatRequest(
  body: Record<string, unknown>,
  knownModel: (id: string) => boolean,
): ChatRequest {
  if (body.model === undefined || body.model === null || body.model === "") {
    throw invalidRequest("model is required", "model");
  }
  if (typeof body.model !== "string") throw invalidRequest("model must be a string", "model");
  if (body.messages === undefined) throw invalidRequest("messages is required", "messages");
  const model = body.model;
  if (!knownModel(model)) {
    throw invalidRequest(`Unknown model: ${model}. Use an id from GET /models.`, "model");
  }
  const messages = parseMessages(body.messages);
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
    throw invalidRequest("stream must be a boolean", "stream");
  }
  // Gumloop documents no range; 0–2 is OpenAI's, which this OpenAI-shaped endpoint is assumed to share (inference).
  const temperature = body.temperature;
  if (temperature !== undefined && temperature !== null) {
    if (typeof temperature !== "number" || temperature < 0 || temperature > 2) {
      throw invalidRequest("temperature must be a number between 0 and 2", "temperature");
    }
  }
  const maxTokens = positiveInt(body, "max_completion_tokens") ?? positiveInt(body, "max_tokens");
  let modalities: string[] = ["text"];
  if (body.modalities !== undefined && body.modalities !== null) {
    if (!Array.isArray(body.modalities) || body.modalities.some((m) => m !== "text" && m !== "image")) {
      throw invalidRequest('modalities must be an array of "text" and "image"', "modalities");
    }
    modalities = body.modalities as string[];
  }
  const imageConfig = body.image_config;
  if (imageConfig !== undefined && imageConfig !== null && !isPlainObject(imageConfig)) {
    throw invalidRequest("image_config must be an object", "image_config");
  }
  const image = isImageModel(model);
  const wantsImage = modalities.includes("image") || (image && isPlainObject(imageConfig));
  if (modalities.includes("image") && !image) {
    throw invalidRequest(`Unsupported modality combination: ${model} does not generate images`, "modalities");
  }
  if (image && !wantsImage) {
    throw invalidRequest(
      `${model} is an image-generation model: send modalities ["image"] or image_config`,
      "modalities",
    );
  }
  const tools = parseTools(body.tools);
  return {
    model,
    messages,
    stream: body.stream === true,
    maxTokens,
    wantsImage,
    responseFormat: parseResponseFormat(body.response_format),
    tools,
    toolChoice: parseToolChoice(body.tool_choice, tools),
  };
}
