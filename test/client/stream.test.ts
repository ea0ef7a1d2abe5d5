/**
 * `client.stream()` against the emulator's streaming host: a session seen to its end over one request, a dropped
 * stream resumed from its cursor with nothing lost or repeated, the approval pause and cancellation as the stream
 * shows them, and the refusals a caller must tell apart (409 to adopt, 429 to wait).
 */
import { describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_SESSIONS } from "gumloop-emulator";
import { ConflictError, RateLimitError } from "../../src/client/errors.js";
import type { SessionStreamEvent } from "../../src/client/sessionEvent.js";
import { StreamInterruptedError } from "../../src/client/streamErrors.js";
import { ENDPOINTS } from "../../src/tools/index.js";
import { SESSION_STREAMS } from "../../src/tools/sessionStreams.js";
import { drain, shape, textOf, worldsPerTest, type StreamWorld } from "./streamFixtures.js";

const { world } = worldsPerTest();

const lastAssistant = async (w: StreamWorld, sessionId: string) => {
  const { data } = await w.client.call<any>(ENDPOINTS.get_single_gumloop_session_by_id, {
    session_id: sessionId,
  });
  return data.session as { state: string; messages: { role: string; content: string }[] };
};

describe("a session over one stream", () => {
  it.each([
    ["the built-in transport", {}],
    ["an injected fetch", { fetch: globalThis.fetch }],
  ])("sees the run to its end with %s: one request, every event, the final text", async (_, options) => {
    const w = await world({}, options);
    const stream = await w.client.stream(SESSION_STREAMS.create, {
      agent_id: SEED_AGENTS.assistant,
      input: "What moves the tides?",
    });
    expect(stream.status).toBe(200);
    expect(stream.requestId).toMatch(/^req_/);
    const { events, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(events[0]).toMatchObject({ type: "interaction-ready", final: null, error: null });
    expect(events.at(-1)).toMatchObject({ type: "finish", final: true, finishReason: "stop" });
    expect(events.filter((e) => e.type === "finish").map((e) => e.final)).toEqual([false, true]);
    expect(stream.completed).toBe(true);
    expect(stream.sessionId).toBe(events[0]!.raw["interaction_id"]);
    expect(stream.lastCursor).toBe(events.at(-1)!.cursor);
    expect(stream.malformedEvents).toBe(0);

    const session = await lastAssistant(w, stream.sessionId!);
    expect(session.state).toBe("completed");
    expect(textOf(events)).toBe(session.messages.at(-1)!.content);
    const streamed = w.emulator.requests.filter((r) => r.host === "stream");
    expect(streamed).toHaveLength(1);
    expect(streamed[0]).toMatchObject({ method: "POST", body: { stream: true }, status: 200 });
    expect(streamed[0]!.headers["accept"]).toBe("text/event-stream");
  });

  it("send-message streams the next run of the same session", async () => {
    const w = await world();
    const first = await w.client.stream(SESSION_STREAMS.create, {
      agent_id: SEED_AGENTS.assistant,
      input: "one",
      session_id: "sess_twoTurns",
    });
    await drain(first);
    const second = await w.client.stream(SESSION_STREAMS.sendMessage, {
      session_id: "sess_twoTurns",
      input: "two",
    });
    const { events } = await drain(second);
    expect(second.sessionId).toBe("sess_twoTurns");
    expect(events.filter((e) => e.type === "interaction-ready")).toHaveLength(1);
    expect(textOf(events)).toContain('"two"');
  });
});

describe("a stream dropped mid-run", () => {
  it("is resumed from its cursor with no event lost or repeated", async () => {
    const w = await world();
    const input = { agent_id: SEED_AGENTS.assistant, input: "Explain neap tides and spring tides" };
    const reference = shape((await drain(await w.client.stream(SESSION_STREAMS.create, input))).events);

    w.emulator.faults.add({
      route: "POST /agents/{agent_id}/sessions",
      host: "stream",
      phase: "stream",
      kind: "drop",
      afterEvents: 4,
      times: 1,
    });
    const broken = await drain(await w.client.stream(SESSION_STREAMS.create, input));
    const error = broken.error as StreamInterruptedError;
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(broken.events).toHaveLength(4);
    expect(error.lastCursor).toBe(broken.events.at(-1)!.cursor);
    expect(error.sessionId).toBe(broken.events[0]!.raw["interaction_id"]);
    expect(error.resumeInput).toEqual({ session_id: error.sessionId, last_cursor: error.lastCursor });
    expect(error.message).toMatch(/stream_a_gumloop_session stream was interrupted/);

    const resumed = await drain(await w.client.stream(SESSION_STREAMS.resume, { ...error.resumeInput! }));
    expect(resumed.error).toBeUndefined();
    const all = [...broken.events, ...resumed.events];
    expect(shape(all)).toEqual(reference);
    const cursors = all.map((e) => e.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    const session = await lastAssistant(w, error.sessionId!);
    expect(textOf(all)).toBe(session.messages.at(-1)!.content);
  });

  it("a truncated event is dropped, not handed out half", async () => {
    const w = await world();
    w.emulator.faults.add({ route: "*", host: "stream", phase: "stream", kind: "truncated", afterEvents: 2 });
    const { events, error } = await drain(
      await w.client.stream(SESSION_STREAMS.create, { agent_id: SEED_AGENTS.assistant, input: "cut short" }),
    );
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(events.map((e) => e.type)).toEqual(["interaction-ready", "text-start"]);
  });

  it("a resumed session that has meanwhile finished answers a lone not_resumable finish", async () => {
    const w = await world();
    const stream = await w.client.stream(SESSION_STREAMS.resume, { session_id: SEED_SESSIONS.quantum });
    const { events } = await drain(stream);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "finish",
      finishReason: "not_resumable",
      final: true,
      cursor: null,
    });
  });
});

describe("what the stream shows of the session", () => {
  it("an approval pause: the ask, then a stop finish; the session waits in approval_required", async () => {
    const w = await world();
    const stream = await w.client.stream(SESSION_STREAMS.create, {
      agent_id: SEED_AGENTS.approval,
      input: "Send the quarterly update",
    });
    const { events } = await drain(stream);
    const ask = events.find((e) => e.type === "tool-approval-request");
    expect(ask?.raw).toMatchObject({ tool_name: "gmail_send_email", action_request_id: expect.any(String) });
    expect(events.at(-1)).toMatchObject({ type: "finish", finishReason: "stop", final: true });
    expect((await lastAssistant(w, stream.sessionId!)).state).toBe("approval_required");
  });

  it("cancellation ends the stream (abort, no final finish); the session is failed", async () => {
    const w = await world({ autoAdvance: false });
    const stream = await w.client.stream(SESSION_STREAMS.create, {
      agent_id: SEED_AGENTS.assistant,
      input: "never mind",
    });
    const events: SessionStreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === "text-start") {
        await w.client.call(ENDPOINTS.delete_a_gumloop_session_by_id, { session_id: stream.sessionId! });
      }
    }
    expect(events.map((e) => e.type)).toEqual(["interaction-ready", "text-start", "abort"]);
    expect(stream.completed).toBe(false);
    expect((await lastAssistant(w, stream.sessionId!)).state).toBe("failed");
  });

  it("a failed run: finishReason error with the envelope's error and errorMessage", async () => {
    const w = await world();
    const { events } = await drain(
      await w.client.stream(SESSION_STREAMS.create, { agent_id: SEED_AGENTS.flaky, input: "x" }),
    );
    expect(events.at(-1)).toMatchObject({
      type: "finish",
      final: true,
      finishReason: "error",
      error: "agent_run_failed",
      errorMessage: expect.stringMatching(/failed/),
    });
  });

  it("an event whose data is not JSON is skipped and counted; the rest comes", async () => {
    const w = await world();
    w.emulator.faults.add({ route: "*", host: "stream", phase: "stream", kind: "malformed", afterEvents: 2 });
    const stream = await w.client.stream(SESSION_STREAMS.create, {
      agent_id: SEED_AGENTS.assistant,
      input: "x",
    });
    const { events, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(stream.malformedEvents).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: "finish", final: true });
  });
});

describe("refusals before a stream opens", () => {
  it("409 session_already_exists stays a ConflictError, so a caller can adopt the session", async () => {
    const w = await world();
    const error = await w.client
      .stream(SESSION_STREAMS.create, {
        agent_id: SEED_AGENTS.assistant,
        input: "x",
        session_id: SEED_SESSIONS.acme,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe("session_already_exists");
  });

  it("429 past the plan's concurrency stays a RateLimitError", async () => {
    const w = await world({ plan: "free", slots: { agents: 0 } });
    const error = await w.client
      .stream(SESSION_STREAMS.create, { agent_id: SEED_AGENTS.assistant, input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
  });
});
