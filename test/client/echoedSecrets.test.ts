/**
 * A server that echoes a credential back in an encoded form: JSON `\uXXXX` escapes of every character, `\/`
 * escapes, percent-encoding, base64 (as in `Basic base64(user:key)`), or in the `x-request-id` header. Parsing
 * decodes the escapes, so scrubbing only the raw text let the secret into the error's message and fields, and from
 * there into the ToolMessage a model reads. Nothing of it may survive, in any field.
 */
import { AIMessage, type ToolMessage } from "@langchain/core/messages";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GumloopClient } from "../../src/client/client.js";
import { APIError } from "../../src/client/errors.js";
import { Redactor } from "../../src/client/redact.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import { USER_ID, everything, getSession, recordingSleep } from "./fixtures.js";

/** A key with the characters JSON and URLs escape: `/` and `+`. */
const KEY = "gl_live/9Qx+7Tz/K3pW2vL8";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const client = () =>
  new GumloopClient({
    apiKey: KEY,
    userId: USER_ID,
    baseUrl: server.url,
    env: {},
    sleep: recordingSleep(),
    maxRetries: 0,
  });

/** `\uXXXX` for every character: valid JSON string content that parses to `text`. */
const unicodeEscaped = (text: string) =>
  [...text].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
const slashEscaped = (text: string) => text.replace(/\//g, "\\/");
const percentEncoded = (text: string) =>
  [...Buffer.from(text)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
const base64 = (text: string) => Buffer.from(text).toString("base64");

/** The secrets as they would appear in what we print, decoded or not. */
function expectNoSecret(text: string): void {
  for (const secret of [KEY, USER_ID]) {
    for (const form of [secret, encodeURIComponent(secret), base64(secret)]) {
      expect(text).not.toContain(form);
    }
  }
  expect(text).not.toContain(base64(`${USER_ID}:${KEY}`));
}

describe("secrets echoed in an encoded form", () => {
  it.each([
    ["\\u escapes of every character", unicodeEscaped],
    ["\\/ escapes", slashEscaped],
  ])("in every string of the error body (%s)", async (_name, encode) => {
    const key = encode(KEY);
    const user = encode(USER_ID);
    const body =
      `{"error":{"code":"${key}","message":"bad key ${key} for ${user}","type":"${user}",` +
      `"param":"${key}","details":{"echo":"${key}","nested":[{"user":"${user}"}]}}}`;
    server.queue({ status: 400, headers: { "content-type": "application/json" }, body });
    const error = (await client()
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expectNoSecret(everything(error));
    expect(error.message).toContain("bad key [REDACTED] for [REDACTED]");
    expect([error.code, error.type, error.param]).toEqual(["[REDACTED]", "[REDACTED]", "[REDACTED]"]);
    expect(error.details).toEqual({ echo: "[REDACTED]", nested: [{ user: "[REDACTED]" }] });
  });

  it.each([
    ["percent-encoded", percentEncoded(KEY)],
    [
      "percent-encoded in lower case, mixed with plain characters",
      encodeURIComponent(KEY).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    ],
    ["base64 of user:key", base64(`${USER_ID}:${KEY}`)],
    ["URL-safe base64 at an odd offset", Buffer.from(`x${KEY}`).toString("base64url")],
  ])("in a message (%s)", async (_name, echoed) => {
    server.queue({ status: 401, body: { error: { code: "unauthorized", message: `rejected ${echoed}` } } });
    const error = await client()
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expectNoSecret(everything(error));
    expect((error as Error).message).toContain("rejected ");
    expect((error as Error).message).toContain("[REDACTED]");
  });

  it("in the x-request-id header, on errors, responses and hooks", async () => {
    const seen: unknown[] = [];
    const echoing = new GumloopClient({
      apiKey: KEY,
      userId: USER_ID,
      baseUrl: server.url,
      env: {},
      maxRetries: 0,
      hooks: { onResponse: (event) => seen.push(event) },
    });
    server.queue(
      { status: 404, headers: { "x-request-id": `req-${KEY}` }, body: { error: { code: "not_found" } } },
      { status: 200, headers: { "x-request-id": `req-${USER_ID}` }, body: { session: { id: "s1" } } },
    );
    const error = (await echoing.call(getSession, { session_id: "s1" }).catch((e: unknown) => e)) as APIError;
    const response = await echoing.call(getSession, { session_id: "s1" });
    expect(error.requestId).toBe("req-[REDACTED]");
    expect(response.requestId).toBe("req-[REDACTED]");
    expectNoSecret(everything(error) + JSON.stringify(response) + JSON.stringify(seen));
  });

  it("never reaches the ToolMessage a model reads", async () => {
    const manager = new GumloopToolManager({ client: client() });
    const tool = manager.getTool("get_single_gumloop_session_by_id");
    server.queue({
      status: 403,
      headers: { "content-type": "application/json", "x-request-id": KEY },
      body: `{"error":{"code":"forbidden","message":"key ${unicodeEscaped(KEY)} may not read this"}}`,
    });
    const call = { name: tool.name, args: { id: "s1" }, id: "c1", type: "tool_call" as const };
    const out = (await new ToolNode([tool]).invoke({
      messages: [new AIMessage({ content: "", tool_calls: [call] })],
    })) as { messages: ToolMessage[] };
    const content = String(out.messages[0]!.content);
    expect(content).toContain("key [REDACTED] may not read this");
    expectNoSecret(content);
  });

  it("scrubs a value nested deeper than it walks instead of returning it whole", () => {
    let deep: unknown = { secret: KEY };
    for (let i = 0; i < 30; i++) deep = { next: deep };
    expect(JSON.stringify(new Redactor([KEY]).value(deep))).not.toContain(KEY);
  });
});
