/**
 * How a session stream fails, against the emulator: a host or proxy that gives no stream (a distinct error a graph
 * falls back to polling on, saying whether the request was carried out), a stall past the idle timeout, the
 * caller's abort, the byte cap, and no credential in any of these errors.
 */
import { describe, expect, it } from "vitest";
import { SEED_AGENTS, type Emulator } from "gumloop-emulator";
import { GumloopClient } from "../../src/client/client.js";
import { APIUserAbortError, BadRequestError, GumloopError, NotFoundError } from "../../src/client/errors.js";
import {
  StreamIdleTimeoutError,
  StreamInterruptedError,
  StreamTooLargeError,
  StreamUnavailableError,
} from "../../src/client/streamErrors.js";
import { ENDPOINTS } from "../../src/tools/index.js";
import { SESSION_STREAMS } from "../../src/tools/sessionStreams.js";
import { everything } from "./fixtures.js";
import { drain, sseStrippingProxy, worldsPerTest } from "./streamFixtures.js";

const { world, defer } = worldsPerTest();

const createInput = { agent_id: SEED_AGENTS.assistant, input: "Tell me about tides" };

/** Asserts none of the emulator's credentials appears anywhere in `error`. */
function expectNoSecrets(error: unknown, e: Emulator): void {
  const text = everything(error);
  expect(text).not.toContain(e.apiKey);
  expect(text).not.toContain(e.userId);
}

describe("no stream to be had: StreamUnavailableError", () => {
  it("the REST host's 400 (stream base URL set to it): refused, nothing done, the 400 kept", async () => {
    const w = await world();
    const client = new GumloopClient({ ...w.emulator.clientOptions(), streamBaseUrl: w.emulator.url });
    const error = (await client
      .stream(SESSION_STREAMS.create, { ...createInput, session_id: "sess_refused" })
      .catch((e: unknown) => e)) as StreamUnavailableError;
    expect(error).toBeInstanceOf(StreamUnavailableError);
    expect(error).toMatchObject({ accepted: false, status: 400, response: null });
    expect(error.refusal).toBeInstanceOf(BadRequestError);
    expect(error.refusal?.param).toBe("stream");
    expect(error.message).toMatch(/nothing was done/);
    // The fallback works: the same request on the REST host, without stream.
    const fallback = await client.call(ENDPOINTS.create_a_gumloop_session, {
      ...createInput,
      session_id: "sess_refused",
    });
    expect(fallback.status).toBe(202);
    expectNoSecrets(error, w.emulator);
  });

  it("a host that does not serve the route (404 No route): refused", async () => {
    const w = await world();
    const client = new GumloopClient({
      ...w.emulator.clientOptions(),
      streamBaseUrl: `${w.emulator.origin}/elsewhere/api/v1`,
    });
    const error = (await client.stream(SESSION_STREAMS.create, createInput).catch((e: unknown) => e)) as
      StreamUnavailableError | undefined;
    expect(error).toBeInstanceOf(StreamUnavailableError);
    expect(error!.refusal).toBeInstanceOf(NotFoundError);
    expect(w.emulator.inspect().sessions.total).toBe(3);
  });

  it("a proxy that strips Server-Sent Events and answers JSON: accepted, with the session to follow", async () => {
    const w = await world();
    const proxy = await sseStrippingProxy(w.emulator);
    defer(proxy.close);
    const client = new GumloopClient({ ...w.emulator.clientOptions(), streamBaseUrl: proxy.url });
    const error = (await client
      .stream(SESSION_STREAMS.create, createInput)
      .catch((e: unknown) => e)) as StreamUnavailableError;
    expect(error).toBeInstanceOf(StreamUnavailableError);
    expect(error).toMatchObject({ accepted: true, status: 202, refusal: null });
    expect(error.message).toMatch(/do not send it again/);
    const { session } = error.response!.data as { session: { id: string; state: string } };
    expect(session.state).toBe("processing");
    const read = await client.call<any>(ENDPOINTS.get_single_gumloop_session_by_id, {
      session_id: session.id,
    });
    expect(read.data.session.id).toBe(session.id);
    expectNoSecrets(error, w.emulator);
  });
});

describe("a stream that stops", () => {
  it("stalls: StreamIdleTimeoutError after idleTimeoutMs without a byte, with the cursor to resume from", async () => {
    const w = await world();
    w.emulator.faults.add({
      route: "*",
      host: "stream",
      phase: "stream",
      kind: "hang",
      afterEvents: 2,
      times: 1,
    });
    const stream = await w.client.stream(SESSION_STREAMS.create, createInput, { idleTimeoutMs: 150 });
    const { events, error } = await drain(stream);
    expect(error).toBeInstanceOf(StreamIdleTimeoutError);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    const idle = error as StreamIdleTimeoutError;
    expect(idle.idleTimeoutMs).toBe(150);
    expect(idle.lastCursor).toBe(events[1]!.cursor);
    expect(idle.message).toMatch(/nothing arrived for 150 ms/);
    expectNoSecrets(error, w.emulator);
    const rest = await drain(await w.client.stream(SESSION_STREAMS.resume, { ...idle.resumeInput! }));
    expect(rest.events.at(-1)).toMatchObject({ type: "finish", final: true });
  });

  it("time the caller spends between events does not count as idle", async () => {
    const w = await world();
    const stream = await w.client.stream(SESSION_STREAMS.create, createInput, { idleTimeoutMs: 60 });
    const events: unknown[] = [];
    for await (const event of stream) {
      events.push(event);
      if (events.length === 2) await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(events.at(-1)).toMatchObject({ type: "finish", final: true });
  });

  it("the caller's abort ends it with APIUserAbortError, saying the work goes on, and closes the connection", async () => {
    const w = await world({ autoAdvance: false });
    const controller = new AbortController();
    const stream = await w.client.stream(SESSION_STREAMS.create, createInput, { signal: controller.signal });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const event of stream) {
        seen.push(event);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as Error).message).toMatch(/its work goes on at Gumloop/);
    await expect.poll(() => w.emulator.requests.some((r) => r.host === "stream")).toBe(true);
  });

  it("an already aborted signal refuses before sending", async () => {
    const w = await world();
    const error = await w.client
      .stream(SESSION_STREAMS.create, createInput, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(w.emulator.requests).toHaveLength(0);
  });

  it("close() ends an iteration quietly", async () => {
    const w = await world({ autoAdvance: false });
    const stream = await w.client.stream(SESSION_STREAMS.create, createInput);
    const seen: unknown[] = [];
    for await (const event of stream) {
      seen.push(event);
      stream.close();
    }
    expect(seen).toHaveLength(1);
    stream.close();
  });

  it("passes maxBytes: StreamTooLargeError, with the events before it handed out", async () => {
    const w = await world();
    const stream = await w.client.stream(SESSION_STREAMS.create, createInput, { maxBytes: 600 });
    const { events, error } = await drain(stream);
    expect(error).toBeInstanceOf(StreamTooLargeError);
    expect((error as StreamTooLargeError).maxBytes).toBe(600);
    expect(events.length).toBeGreaterThan(0);
    expect(stream.bytesRead).toBeGreaterThan(600);
    expect((error as StreamTooLargeError).lastCursor).toBe(events.at(-1)!.cursor);
    expectNoSecrets(error, w.emulator);
  });

  it("refuses bad limits before sending anything", async () => {
    const w = await world();
    for (const options of [{ idleTimeoutMs: 0 }, { maxBytes: -1 }, { maxBytes: 1.5 }]) {
      const error = await w.client
        .stream(SESSION_STREAMS.create, createInput, options)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GumloopError);
    }
    expect(w.emulator.requests).toHaveLength(0);
  });
});
