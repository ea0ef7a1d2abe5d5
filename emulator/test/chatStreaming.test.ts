/** Emulator chat completions: server-sent events (stream: true) and error answers. */
import { describe, expect, it } from "vitest";
import { DEFAULT_IDENTITY } from "../src/index.js";
import { DEFAULT_CHAT_CREDITS, type ChatSnapshot } from "../src/areas/chat/routes.js";
import { call, expectError, expectShape, startTestEmulator } from "./helpers.js";
import {
  emulator,
  start,
  USAGE,
  ask,
  chat,
  expectCompletion,
  sseChunks,
  stream,
  weatherTool,
} from "./chatFixture.js";

describe("streaming (stream: true)", () => {
  it("text/event-stream: role delta, content deltas, a final chunk with finish_reason and usage, then [DONE]", async () => {
    await start();
    const { res, text } = await stream({
      model: "claude-sonnet-4-5",
      messages: ask("Write about the sea and the sky"),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const chunks = sseChunks(text);
    expect(chunks[0].choices[0]).toEqual({
      index: 0,
      delta: { role: "assistant", content: "" },
      finish_reason: null,
    });
    const middle = chunks.slice(1, -1);
    expect(middle.length).toBeGreaterThan(3);
    for (const c of middle) expect(c.choices[0].finish_reason).toBeNull();
    const content = middle.map((c) => c.choices[0].delta.content).join("");
    const last = chunks[chunks.length - 1];
    expect(last.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: "stop" });
    expectShape(last.usage, USAGE, "usage");

    const unary = expectCompletion(
      await chat({ model: "claude-sonnet-4-5", messages: ask("Write about the sea and the sky") }),
    );
    expect(content).toBe(unary.choices[0].message.content);
    expect(last.usage).toEqual(unary.usage);
    expect(emulator.inspect().chat as ChatSnapshot).toMatchObject({ completions: 2, streamed: 1 });
  });

  it("streams tool calls as tool_calls deltas and ends with finish_reason tool_calls", async () => {
    await start();
    const { text } = await stream({
      model: "gpt-4.1",
      messages: ask("please get_weather"),
      tools: [weatherTool],
    });
    const chunks = sseChunks(text);
    const deltas = chunks.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({
      index: 0,
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    const args = deltas.map((d: any) => d.function.arguments).join("");
    expect(JSON.parse(args)).toEqual({ city: "please get_weather", unit: "celsius" });
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe("tool_calls");
  });

  it("validation errors come back as JSON before any stream starts", async () => {
    await start();
    const { res, text } = await stream({ model: "no-such-model", messages: ask("hi") });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(JSON.parse(text).error.param).toBe("model");
  });
});

describe("errors", () => {
  it("400 for a missing or unknown model, missing or bad messages and roles, and other bad fields", async () => {
    await start();
    const m = ask("hi");
    const cases: [unknown, string][] = [
      [{ messages: m }, "model"],
      [{ model: 42, messages: m }, "model"],
      [{ model: "gpt-99", messages: m }, "model"],
      [{ model: "gpt-4o" }, "messages"],
      [{ model: "gpt-4o", messages: [] }, "messages"],
      [{ model: "gpt-4o", messages: "hi" }, "messages"],
      [{ model: "gpt-4o", messages: [{ role: "robot", content: "x" }] }, "messages[0].role"],
      [{ model: "gpt-4o", messages: [{ role: "user", content: 7 }] }, "messages[0].content"],
      [{ model: "gpt-4o", messages: [{ role: "system", content: null }] }, "messages[0].content"],
      [
        {
          model: "gpt-4o",
          messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://x" } }] }],
        },
        "messages[0].content[0]",
      ],
      [{ model: "gpt-4o", messages: [...m, { role: "tool", content: "x" }] }, "messages[1].tool_call_id"],
      [
        { model: "gpt-4o", messages: [...m, { role: "tool", tool_call_id: "call_x", content: "x" }] },
        "messages[1].tool_call_id",
      ],
      [{ model: "gpt-4o", messages: m, stream: "yes" }, "stream"],
      [{ model: "gpt-4o", messages: m, temperature: 3 }, "temperature"],
      [{ model: "gpt-4o", messages: m, max_completion_tokens: 0 }, "max_completion_tokens"],
      [{ model: "gpt-4o", messages: m, tools: [{ type: "function" }] }, "tools[0]"],
      [
        {
          model: "gpt-4o",
          messages: m,
          tools: [weatherTool],
          tool_choice: { type: "function", function: { name: "nope" } },
        },
        "tool_choice",
      ],
      [{ model: "gpt-4o", messages: m, tool_choice: "required" }, "tool_choice"],
      [{ model: "gpt-4o", messages: m, response_format: { type: "xml" } }, "response_format.type"],
      [{ model: "gpt-4o", messages: m, modalities: ["image"] }, "modalities"],
      [{ model: "gpt-image-1", messages: m }, "modalities"],
    ];
    for (const [body, param] of cases) {
      const res = await chat(body);
      expectError(res, 400, "invalid_request");
      expect(res.body.error.param, JSON.stringify(body)).toBe(param);
    }
    const malformed = await call(emulator, "POST", "/chat/completions", {
      base: "stream",
      rawBody: '{"model": ',
      headers: { "content-type": "application/json" },
    });
    expectError(malformed, 400);
  });

  it("401 without a key, or a personal key without x-auth-key", async () => {
    await start();
    expectError(await chat({ model: "gpt-4o", messages: ask("hi") }, { auth: "none" }), 401);
    const noAuthKey = await call(emulator, "POST", "/chat/completions", {
      base: "stream",
      body: { model: "gpt-4o", messages: ask("hi") },
      auth: "none",
      headers: { authorization: `Bearer ${emulator.apiKey}` },
    });
    expectError(noAuthKey, 401);
    expect((await chat({ model: "gpt-4o", messages: ask("hi") }, { auth: "oauth" })).status).toBe(200);
  });

  it("402 insufficient_credits when seedData.chat.credits is 0 (unary and stream)", async () => {
    await start({ seedData: { chat: { credits: 0 } } });
    const res = await chat({ model: "claude-sonnet-4-5", messages: ask("hi") });
    expectError(res, 402, "insufficient_credits");
    expect(res.body.error.details).toEqual({ required: 1, balance: 0 });
    const { res: streamed, text } = await stream({ model: "claude-sonnet-4-5", messages: ask("hi") });
    expect(streamed.status).toBe(402);
    expect(JSON.parse(text).error.code).toBe("insufficient_credits");
  });

  it("per-user balances: credits are charged per completion and only the empty account gets 402", async () => {
    await start({ seedData: { chat: { credits: { [DEFAULT_IDENTITY.otherUserId]: 0 } } } });
    expectError(await chat({ model: "gpt-4o", messages: ask("hi") }, { auth: "other" }), 402);
    expectCompletion(await chat({ model: "gpt-4o", messages: ask("hi") }));
    const image = expectCompletion(
      await chat({ model: "dall-e-3", messages: ask("a cat"), modalities: ["image"] }),
    );
    expect(image.choices[0].message.images).toHaveLength(1);
    const credits = (emulator.inspect().chat as ChatSnapshot).credits;
    expect(credits[emulator.userId]).toBe(DEFAULT_CHAT_CREDITS - 1 - 31);
    expect(credits[emulator.otherUser.userId]).toBe(0);
  });

  it("seedData.chat.models adds model ids", async () => {
    await start({ seedData: { chat: { models: ["acme/house-model"] } } });
    expectCompletion(await chat({ model: "acme/house-model", messages: ask("hi") }));
  });

  it("rejects a malformed seedData.chat at start-up", async () => {
    await expect(startTestEmulator({ seedData: { chat: { credits: -5 } } })).rejects.toThrow(
      /seedData\.chat/,
    );
    await expect(startTestEmulator({ seedData: { exports: { fail: "yes" } } })).rejects.toThrow(
      /seedData\.exports/,
    );
  });
});
