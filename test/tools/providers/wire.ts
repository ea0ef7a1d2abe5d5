/**
 * Each provider's wire format, for a local recording server that stands in for the provider: where a request
 * carries its tools, whether the conversation already holds a tool result, and the answer in the provider's own
 * format (a tool call first, then the final text). The schema checks are in schemaRules.ts.
 */
import { anthropicProblems, geminiProblems, openAiProblems } from "./schemaRules.js";

type Json = Record<string, any>;

/** What a fake provider needs to know about one request and how it answers. */
export interface ProviderWire {
  /** The tool schemas' problems by that provider's rules. */
  problems(body: Json): string[];
  /** The text of the tool result the conversation carries, or null before the tool ran. */
  toolResult(body: Json): string | null;
  /** The tool's parameters as the request sent them (to fill a strict call's nulls). */
  parameters(body: Json, tool: string): Json | undefined;
  /** A reply asking for one tool call. */
  toolCall(name: string, args: Json): Json;
  /** A reply with the final text. */
  text(text: string): Json;
}

const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };

/** OpenAI chat completions (`POST /chat/completions`). */
export const openAiChat: ProviderWire = {
  problems: (body) =>
    (body["tools"] ?? []).flatMap((tool: Json) =>
      openAiProblems(tool.function.name, tool.function.parameters, tool.function.strict === true),
    ),
  toolResult: (body) => body["messages"].find((message: Json) => message.role === "tool")?.content ?? null,
  parameters: (body, name) =>
    body["tools"].find((tool: Json) => tool.function.name === name)?.function.parameters,
  toolCall: (name, args) => ({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o-mini",
    choices: [
      {
        index: 0,
        finish_reason: "tool_calls",
        message: {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name, arguments: JSON.stringify(args) } },
          ],
        },
      },
    ],
    usage,
  }),
  text: (text) => ({
    id: "chatcmpl-2",
    object: "chat.completion",
    created: 2,
    model: "gpt-4o-mini",
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: text } }],
    usage,
  }),
};

/** OpenAI responses (`POST /responses`). */
export const openAiResponses: ProviderWire = {
  problems: (body) =>
    (body["tools"] ?? []).flatMap((tool: Json) =>
      openAiProblems(tool.name, tool.parameters, tool.strict === true),
    ),
  toolResult: (body) =>
    (body["input"] as Json[]).find((item) => item.type === "function_call_output")?.output ?? null,
  parameters: (body, name) => body["tools"].find((tool: Json) => tool.name === name)?.parameters,
  toolCall: (name, args) => ({
    id: "resp_1",
    object: "response",
    created_at: 1,
    status: "completed",
    model: "gpt-4o-mini",
    output: [
      {
        type: "function_call",
        id: "fc_1",
        call_id: "call_1",
        name,
        arguments: JSON.stringify(args),
        status: "completed",
      },
    ],
    usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 },
  }),
  text: (text) => ({
    id: "resp_2",
    object: "response",
    created_at: 2,
    status: "completed",
    model: "gpt-4o-mini",
    output: [
      {
        type: "message",
        id: "msg_1",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text, annotations: [] }],
      },
    ],
    usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 },
  }),
};

/** Anthropic messages (`POST /v1/messages`). */
export const anthropic: ProviderWire = {
  problems: (body) =>
    (body["tools"] ?? []).flatMap((tool: Json) => anthropicProblems(tool.name, tool.input_schema)),
  toolResult: (body) => {
    for (const message of body["messages"] as Json[]) {
      const blocks = Array.isArray(message.content) ? message.content : [];
      const result = blocks.find((block: Json) => block.type === "tool_result");
      if (result) return typeof result.content === "string" ? result.content : JSON.stringify(result.content);
    }
    return null;
  },
  parameters: (body, name) => body["tools"].find((tool: Json) => tool.name === name)?.input_schema,
  toolCall: (name, args) => ({
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5",
    content: [{ type: "tool_use", id: "toolu_1", name, input: args }],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  }),
  text: (text) => ({
    id: "msg_2",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5",
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  }),
};

const declarations = (body: Json): Json[] =>
  (body["tools"] ?? []).flatMap(
    (tool: Json) => tool.functionDeclarations ?? tool.function_declarations ?? [],
  );

/** Gemini (`POST /v1beta/models/{model}:generateContent`). */
export const gemini: ProviderWire = {
  problems: (body) =>
    declarations(body).flatMap((declaration) => geminiProblems(declaration.name, declaration.parameters)),
  toolResult: (body) => {
    for (const content of body["contents"] as Json[]) {
      const part = (content.parts ?? []).find((item: Json) => item.functionResponse);
      if (part) return JSON.stringify(part.functionResponse.response);
    }
    return null;
  },
  parameters: (body, name) => declarations(body).find((declaration) => declaration.name === name)?.parameters,
  toolCall: (name, args) => ({
    candidates: [
      {
        index: 0,
        finishReason: "STOP",
        content: { role: "model", parts: [{ functionCall: { name, args } }] },
      },
    ],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
  }),
  text: (text) => ({
    candidates: [{ index: 0, finishReason: "STOP", content: { role: "model", parts: [{ text }] } }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
  }),
};

/** `args` with every other property of a strict schema present as null (strict mode sends every key). */
export function withNulls(parameters: Json | undefined, args: Json): Json {
  const keys = Object.keys(parameters?.["properties"] ?? {});
  return Object.fromEntries(keys.map((key) => [key, key in args ? args[key] : null]));
}
