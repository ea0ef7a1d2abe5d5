/**
 * What the client makes of a stream's bytes and of the answers around it, on a recording server that answers
 * exactly what each test scripts: the SSE `event:` name as the type when the JSON has none, keep-alive comments
 * and malformed events skipped, CRLF and multi-line data, a cut-off last event dropped, a compressed stream, and
 * the statuses that mean "no stream here" against those that mean "this request is wrong".
 */
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APIError, BadRequestError, OutcomeUnknownError } from "../../src/client/errors.js";
import { StreamUnavailableError } from "../../src/client/streamErrors.js";
import { SESSION_STREAMS } from "../../src/tools/sessionStreams.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import { makeClient } from "./fixtures.js";
import { drain } from "./streamFixtures.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const sse = { "content-type": "text/event-stream; charset=utf-8" };
const transports = [
  ["built-in transport", {}],
  ["injected fetch", { fetch: globalThis.fetch }],
] as const;

describe.each(transports)("parsing with the %s", (_name, transport) => {
  it("takes the SSE event name when the JSON has no type, skips comments, counts malformed events", async () => {
    server.fallback = () => ({
      status: 200,
      headers: sse,
      body: [
        ": keep-alive\r\n\r\n",
        'event: finish\r\ndata: {"finishReason":"stop","final":false}\r\n\r\n',
        'data: {"type":"text-delta",\ndata: "delta":"hi","stream_cursor":"c2"}\n\n',
        "event: ping\ndata: [1, 2]\n\n",
        "data: not json\n\n",
        'data: {"type":"tool-output","error":{"code":"e1"},"errorMessage":"boom","data":{"x":1}}\n\n',
        'data: {"type":"cut-off"',
      ].join(""),
    });
    const stream = await makeClient(server.url, transport).stream(SESSION_STREAMS.resume, {
      session_id: "s1",
      last_cursor: "c1",
    });
    const { events, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(["finish", "text-delta", "tool-output"]);
    expect(events[0]).toMatchObject({ finishReason: "stop", final: false, cursor: null, data: null });
    expect(events[1]).toMatchObject({ cursor: "c2", raw: { delta: "hi" } });
    expect(events[2]).toMatchObject({ error: '{"code":"e1"}', errorMessage: "boom", data: { x: 1 } });
    expect(stream.malformedEvents).toBe(2);
    expect(stream.lastCursor).toBe("c2");
    expect(stream.completed).toBe(false);
    expect(stream.sessionId).toBe("s1");

    const request = server.requests[0]!;
    expect(request.method).toBe("GET");
    expect(request.url.pathname).toBe("/api/v1/sessions/s1");
    expect(Object.fromEntries(request.url.searchParams)).toEqual({ stream: "true", last_cursor: "c1" });
    expect(request.headers.accept).toBe("text/event-stream");
  });

  it("sends stream: true in the body of a POST, with the caller's fields", async () => {
    server.fallback = () => ({ status: 200, headers: sse, body: 'data: {"type":"finish","final":true}\n\n' });
    const stream = await makeClient(server.url, transport).stream(SESSION_STREAMS.sendMessage, {
      session_id: "s1",
      input: "hello",
      stream: false,
    });
    expect((await drain(stream)).events).toHaveLength(1);
    expect(stream.completed).toBe(true);
    expect(server.requests[0]!.json).toEqual({ input: "hello", stream: true });
  });
});

describe("around the stream", () => {
  it("decompresses a stream the server compressed anyway (it was asked for identity)", async () => {
    server.fallback = () => ({
      status: 200,
      headers: { ...sse, "content-encoding": "gzip" },
      body: new Uint8Array(gzipSync('data: {"type":"finish","final":true,"stream_cursor":"z"}\n\n')),
    });
    const stream = await makeClient(server.url).stream(SESSION_STREAMS.resume, { session_id: "s1" });
    expect((await drain(stream)).events.map((e) => e.cursor)).toEqual(["z"]);
    expect(server.requests[0]!.headers["accept-encoding"]).toBe("identity");
  });

  it.each([404, 405, 406, 415, 501])(
    "%i is a refusal: StreamUnavailableError, not accepted",
    async (status) => {
      server.fallback = () => ({ status, body: { error: { code: "nope", message: "not here" } } });
      const error = await makeClient(server.url)
        .stream(SESSION_STREAMS.create, { agent_id: "a1", input: "x" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StreamUnavailableError);
      expect((error as StreamUnavailableError).accepted).toBe(false);
      expect((error as StreamUnavailableError).refusal).toBeInstanceOf(APIError);
    },
  );

  it("a 400 about the input stays a BadRequestError: falling back would meet it again", async () => {
    server.fallback = () => ({
      status: 400,
      body: { error: { code: "invalid_request", message: "input is required", param: "input" } },
    });
    const error = await makeClient(server.url)
      .stream(SESSION_STREAMS.sendMessage, { session_id: "s1", input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
  });

  it("a resume (a read) is retried on a 503 like any read, then streams", async () => {
    server.queue(
      { status: 503, body: { error: { code: "unavailable", message: "busy" } } },
      { status: 200, headers: sse, body: 'data: {"type":"finish","final":true}\n\n' },
    );
    const stream = await makeClient(server.url).stream(SESSION_STREAMS.resume, { session_id: "s1" });
    expect((await drain(stream)).events).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it("a send-message whose answer is lost before the stream opens has an unknown outcome", async () => {
    server.fallback = () => ({ drop: true });
    const error = await makeClient(server.url)
      .stream(SESSION_STREAMS.sendMessage, { session_id: "s1", input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(server.requests).toHaveLength(1);
  });

  it("a stream that ends without a final finish just ends: the caller checks the session", async () => {
    server.fallback = () => ({ status: 200, headers: sse, body: 'data: {"type":"text-start","id":"t"}\n\n' });
    const stream = await makeClient(server.url).stream(SESSION_STREAMS.resume, { session_id: "s1" });
    const { events, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(events).toHaveLength(1);
    expect(stream.completed).toBe(false);
  });
});
