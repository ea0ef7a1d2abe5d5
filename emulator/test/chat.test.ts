import { describe, expect, it } from "vitest";
import { type ChatSnapshot } from "../src/areas/chat/routes.js";
import { call, expectError } from "./helpers.js";
import { clock, emulator, start, ask, chat, expectCompletion, weatherTool } from "./chatFixture.js";

describe("POST /chat/completions (create_a_gumloop_chat_completion), unary", () => {
  it("200 chat.completion with a deterministic reply from the last user message", async () => {
    await start();
    const body = expectCompletion(
      await chat({ model: "claude-sonnet-4-5", messages: ask("Capital of Canada?") }),
    );
    expect(body).toMatchObject({
      model: "claude-sonnet-4-5",
      created: Math.floor(clock.now() / 1000),
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "Ottawa." } }],
      usage: { prompt_tokens: 12 },
    });
    const echo = expectCompletion(
      await chat({
        model: "gpt-4o-mini",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: "Answer in English." },
          { role: "user", content: "first question" },
          { role: "assistant", content: "first answer" },
          { role: "user", content: [{ type: "text", text: "Summarise the plan" }] },
        ],
        temperature: 0.2,
      }),
    );
    expect(echo.choices[0].message.content).toBe("Echo from gpt-4o-mini: Summarise the plan");
    const again = expectCompletion(await chat({ model: "gpt-4o-mini", messages: ask("Summarise the plan") }));
    expect(again.choices[0].message.content).toBe(echo.choices[0].message.content);
    expect(again.id).not.toBe(echo.id);
  });

  it("is served only by the streaming host: 404 on the REST host", async () => {
    await start();
    const res = await chat({ model: "claude-sonnet-4-5", messages: ask("hi") }, { base: "api" });
    expectError(res, 404);
    expect((emulator.inspect().chat as ChatSnapshot).completions).toBe(0);
  });

  it("accepts every model id GET /models lists", async () => {
    await start();
    const models = await call(emulator, "GET", "/models");
    expect(models.status).toBe(200);
    const ids: string[] = models.body.model_groups.flatMap((g: { options: { value: string }[] }) =>
      g.options.map((o) => o.value),
    );
    expect(ids.length).toBeGreaterThan(0);
    for (const model of ids) {
      const body = expectCompletion(await chat({ model, messages: ask("hi") }));
      expect(body.model).toBe(model);
    }
  });

  it("accepts image parts on user messages", async () => {
    await start();
    const messages = [
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this picture?" },
          { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
        ],
      },
    ];
    const body = expectCompletion(await chat({ model: "gpt-4o", messages }));
    expect(body.choices[0].message.content).toContain("What is in this picture?");
  });

  it("max_completion_tokens truncates the reply with finish_reason length", async () => {
    await start();
    const body = expectCompletion(
      await chat({
        model: "claude-sonnet-4-5",
        messages: ask("tell me a long story please"),
        max_completion_tokens: 2,
      }),
    );
    expect(body.choices[0].finish_reason).toBe("length");
    expect(body.choices[0].message.content).toHaveLength(8);
    expect(body.usage.completion_tokens).toBe(2);
  });

  it("response_format json_object and json_schema return parseable JSON", async () => {
    await start();
    const obj = expectCompletion(
      await chat({
        model: "claude-sonnet-4-5",
        messages: ask("Capital of Canada?"),
        response_format: { type: "json_object" },
      }),
    );
    expect(JSON.parse(obj.choices[0].message.content)).toEqual({ reply: "Ottawa." });
    const schema = {
      type: "object",
      properties: { capital: { type: "string" }, population: { type: "integer" } },
      required: ["capital", "population"],
      additionalProperties: false,
    };
    const structured = expectCompletion(
      await chat({
        model: "claude-sonnet-4-5",
        messages: ask("Capital of Canada?"),
        response_format: { type: "json_schema", json_schema: { name: "answer", strict: true, schema } },
      }),
    );
    expect(JSON.parse(structured.choices[0].message.content)).toEqual({ capital: "Ottawa.", population: 1 });
  });

  it("image models return images on the message", async () => {
    await start();
    const body = expectCompletion(
      await chat({
        model: "gpt-image-1.5",
        messages: ask("A red maple leaf"),
        modalities: ["image", "text"],
      }),
    );
    const images = body.choices[0].message.images;
    expect(images).toHaveLength(1);
    expect(images[0].image_url.url).toMatch(/^data:image\/png;base64,/);
  });
});

describe("tool calls", () => {
  it("calls a tool the last user message names, with schema-shaped arguments; then answers from the result", async () => {
    await start();
    const first = expectCompletion(
      await chat({ model: "gpt-4.1", messages: ask("Use get_weather for Paris"), tools: [weatherTool] }),
    );
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    const call0 = first.choices[0].message.tool_calls[0];
    expect(call0).toMatchObject({ type: "function", function: { name: "get_weather" } });
    expect(call0.id).toMatch(/^call_/);
    expect(JSON.parse(call0.function.arguments)).toEqual({
      city: "Use get_weather for Paris",
      unit: "celsius",
    });

    const followUp = expectCompletion(
      await chat({
        model: "gpt-4.1",
        tools: [weatherTool],
        messages: [
          ...ask("Use get_weather for Paris"),
          { role: "assistant", content: null, tool_calls: [call0] },
          { role: "tool", tool_call_id: call0.id, content: "18°C, sunny" },
        ],
      }),
    );
    expect(followUp.choices[0]).toMatchObject({
      finish_reason: "stop",
      message: { content: "The get_weather tool returned: 18°C, sunny" },
    });
  });

  it("tool_choice: none never calls, required always calls, a named function calls that one", async () => {
    await start();
    const noMention = ask("hello there");
    const plain = expectCompletion(
      await chat({ model: "gpt-4.1", messages: noMention, tools: [weatherTool] }),
    );
    expect(plain.choices[0].finish_reason).toBe("stop");
    const none = expectCompletion(
      await chat({
        model: "gpt-4.1",
        messages: ask("get weather"),
        tools: [weatherTool],
        tool_choice: "none",
      }),
    );
    expect(none.choices[0].message.tool_calls).toBeUndefined();
    const required = expectCompletion(
      await chat({ model: "gpt-4.1", messages: noMention, tools: [weatherTool], tool_choice: "required" }),
    );
    expect(required.choices[0].message.tool_calls[0].function.name).toBe("get_weather");
    const named = expectCompletion(
      await chat({
        model: "gpt-4.1",
        messages: noMention,
        tools: [weatherTool],
        tool_choice: { type: "function", function: { name: "get_weather" } },
      }),
    );
    expect(named.choices[0].finish_reason).toBe("tool_calls");
  });
});
