/** Shared by the chat-completion contract tests: the emulator, the documented response shapes, and calls. */
import { expect } from "vitest";
import { call, expectShape, type AuthKind, type CallResult } from "./helpers.js";
import { emulator } from "./fixture.js";
export { clock, emulator, start } from "./fixture.js";

export const FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter", "error"] as const;
/** chat-completions.yml 200 (unary). */
export const COMPLETION = {
  id: "string",
  object: "string",
  created: "integer",
  model: "string",
  choices: "array",
  usage: "object",
} as const;
export const CHOICE = { index: "integer", finish_reason: FINISH_REASONS, message: "object" } as const;
export const MESSAGE = { role: "string", content: "string" } as const;
export const USAGE = {
  prompt_tokens: "integer",
  completion_tokens: "integer",
  total_tokens: "integer",
} as const;
/** The stream's chunk (chat.completion.chunk, from the yml's text/event-stream example). */
export const CHUNK = {
  id: "string",
  object: "string",
  created: "integer",
  model: "string",
  choices: "array",
} as const;

export const ask = (content: string) => [{ role: "user", content }];

export function chat(
  body: unknown,
  options: { auth?: AuthKind; base?: "api" | "stream" } = {},
): Promise<CallResult> {
  return call(emulator, "POST", "/chat/completions", {
    body,
    base: options.base ?? "stream",
    auth: options.auth,
  });
}

export function expectCompletion(res: CallResult): any {
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  expectShape(res.body, COMPLETION, "completion");
  expect(res.body.object).toBe("chat.completion");
  expect(res.body.id).toMatch(/^chatcmpl-/);
  expect(res.body.choices).toHaveLength(1);
  expectShape(res.body.choices[0], CHOICE, "choices[0]");
  expectShape(res.body.choices[0].message, MESSAGE, "message");
  expectShape(res.body.usage, USAGE, "usage");
  const u = res.body.usage;
  expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
  return res.body;
}

/** Splits an SSE body into its `data:` payloads; asserts the `data: [DONE]` terminator and returns the chunks. */
export function sseChunks(text: string): any[] {
  const events = text.split("\n\n").filter((e) => e !== "");
  for (const e of events) expect(e.startsWith("data: "), e).toBe(true);
  expect(events[events.length - 1]).toBe("data: [DONE]");
  expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice("data: ".length)));
  chunks.forEach((c, i) => {
    expectShape(c, CHUNK, `chunk ${i}`);
    expect(c.object).toBe("chat.completion.chunk");
    expect(c.id).toBe(chunks[0].id);
  });
  return chunks;
}

export async function stream(body: Record<string, unknown>): Promise<{ res: Response; text: string }> {
  const res = await fetch(`${emulator.streamUrl}/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${emulator.apiKey}`,
      "x-auth-key": emulator.userId,
      "content-type": "application/json",
    },
    body: JSON.stringify({ ...body, stream: true }),
  });
  // Read the body as a stream, chunk by chunk, as an SSE client does.
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return { res, text };
}

export const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["city", "unit"],
    },
  },
};
