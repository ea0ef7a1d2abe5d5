/**
 * Session streams on the streaming host (sessions.yml "Streaming the response", gumloop-api.md 3.7): create and
 * send-message with `stream: true`, resume with `?stream=true&last_cursor=`, the event envelope and order, cursors,
 * keep-alives, the approval pause, cancellation, and the REST host's 400 pointing at a URL that streams.
 */
import { describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_SESSIONS } from "../src/index.js";
import { call, expectError, expectSessionEnvelope } from "./helpers.js";
import { cancel, clock, create, emulator, retrieve, start, stateOf } from "./sessionsFixture.js";
import { openStream, types, type Frame } from "./sseReader.js";

const createPath = (agentId: string) => `/agents/${agentId}/sessions`;
const streamCreate = (agentId: string, body: Record<string, unknown>) =>
  openStream(emulator, "POST", createPath(agentId), { ...body, stream: true });
const resume = (sessionId: string, lastCursor?: string) =>
  openStream(emulator, "GET", `/sessions/${sessionId}`, undefined, {
    stream: "true",
    ...(lastCursor ? { last_cursor: lastCursor } : {}),
  });

/** The text the deltas of `frames` spell. */
const spelt = (frames: readonly Frame[]) =>
  frames
    .filter((f) => f.json?.type === "text-delta")
    .map((f) => f.json.delta as string)
    .join("");

describe("a session streamed from the start (POST /agents/{agent_id}/sessions, stream: true)", () => {
  it("streams the documented envelope in order, spread over the run, and ends after the final finish", async () => {
    await start();
    const stream = await streamCreate(SEED_AGENTS.assistant, { input: "Tell me about tides" });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(stream.headers.get("x-request-id")).toMatch(/^req_/);

    // At the start: the run is accepted and takes its slot; its text has not come yet.
    const ready = (await stream.next())!.json;
    expect(ready).toMatchObject({
      type: "interaction-ready",
      interaction_id: expect.stringMatching(/^sess_/),
    });
    expect(typeof ready.stream_cursor).toBe("string");
    expect((await stream.next())!.json.type).toBe("text-start");
    const sessionId = ready.interaction_id as string;
    expect(await stateOf(sessionId)).toBe("processing");

    // Half-way through the run, some deltas have arrived; the rest come with the clock.
    const rest = stream.collect();
    await clock.advance(1_500);
    await clock.advance(1_500);
    const frames = await rest;
    expect(types(frames)).toEqual([
      ...frames.filter((f) => f.json.type === "text-delta").map(() => "text-delta"),
      "text-end",
      "finish",
      "finish",
    ]);
    const finishes = frames.filter((f) => f.json.type === "finish").map((f) => f.json);
    expect(finishes).toMatchObject([
      { finishReason: "stop", final: false, queuedContinuation: false },
      { finishReason: "stop", final: true },
    ]);
    const session = (await retrieve(sessionId)).body.session;
    expect(session.state).toBe("completed");
    expect(spelt(frames)).toBe(session.messages.at(-1).content);

    // Every event carries its own cursor, so a resume can start after any of them.
    const cursors = [ready, ...frames.map((f) => f.json)].map((e) => e.stream_cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
  });

  it("the REST host's 400 for stream: true names a streaming URL that answers the same request", async () => {
    await start();
    const refused = await create(SEED_AGENTS.assistant, { input: "hi", stream: true });
    expectError(refused, 400, "invalid_request");
    const url = refused.body.error.details.streaming_url as string;
    expect(url).toBe(`${emulator.streamUrl}${createPath(SEED_AGENTS.assistant)}`);
    const stream = await openStream(emulator, "POST", url.slice(emulator.streamUrl.length), {
      input: "hi",
      stream: true,
    });
    expect(stream.status).toBe(200);
    const frames = stream.collect();
    await clock.advance(3_000);
    expect(types(await frames).at(-1)).toBe("finish");
  });

  it("without stream: true the streaming host answers JSON as the REST host does", async () => {
    await start();
    const res = await call(emulator, "POST", createPath(SEED_AGENTS.assistant), {
      base: "stream",
      body: { input: "plain" },
    });
    expect(res.status).toBe(202);
    expectSessionEnvelope(res.body);
    const stub = await call(emulator, "POST", createPath(SEED_AGENTS.assistant), {
      base: "stream",
      body: { stream: true },
    });
    expect(stub.status).toBe(201);
    const read = await call(emulator, "GET", `/sessions/${SEED_SESSIONS.quantum}`, { base: "stream" });
    expect(read.status).toBe(200);
  });

  it("refuses before any stream opens: 404 agent, 409 duplicate id, 429 past the plan, 401 without a key", async () => {
    await start({ plan: "free", slots: { agents: 1 } });
    const notFound = await call(emulator, "POST", createPath("agtNope"), {
      base: "stream",
      body: { input: "x", stream: true },
    });
    expectError(notFound, 404);
    const first = await streamCreate(SEED_AGENTS.assistant, { input: "x", session_id: "sess_dup" });
    expect(first.status).toBe(200);
    const dup = await call(emulator, "POST", createPath(SEED_AGENTS.assistant), {
      base: "stream",
      body: { input: "x", session_id: "sess_dup", stream: true },
    });
    expectError(dup, 409, "session_already_exists");
    const busy = await call(emulator, "POST", createPath(SEED_AGENTS.assistant), {
      base: "stream",
      body: { input: "y", session_id: "sess_busy", stream: true },
    });
    expectError(busy, 429);
    const anonymous = await call(emulator, "POST", createPath(SEED_AGENTS.assistant), {
      base: "stream",
      auth: "none",
      body: { input: "x", stream: true },
    });
    expectError(anonymous, 401);
    first.close();
  });

  it("a refused run leaves nothing in the stream log: the same id streams cleanly once a slot frees", async () => {
    await start({ plan: "free", slots: { agents: 1 } });
    const holder = await streamCreate(SEED_AGENTS.assistant, { input: "first" });
    const refused = await call(emulator, "POST", createPath(SEED_AGENTS.assistant), {
      base: "stream",
      body: { input: "again", session_id: "sess_retry", stream: true },
    });
    expectError(refused, 429);
    const done = holder.collect();
    await clock.advance(3_000);
    await done;
    const retried = await streamCreate(SEED_AGENTS.assistant, { input: "again", session_id: "sess_retry" });
    const frames = retried.collect();
    await clock.advance(3_000);
    const all = await frames;
    expect(types(all).filter((t) => t === "interaction-ready")).toHaveLength(1);
    expect(all[0]!.json.stream_cursor).toBe(
      Buffer.from(JSON.stringify({ session_id: "sess_retry", seq: 0 })).toString("base64"),
    );
  });

  it("a failed run finishes with finishReason error and the envelope's error fields", async () => {
    await start();
    const stream = await streamCreate(SEED_AGENTS.flaky, { input: "break" });
    const frames = stream.collect();
    await clock.advance(3_000);
    const last = (await frames).at(-1)!.json;
    expect(last).toMatchObject({
      type: "finish",
      final: true,
      finishReason: "error",
      error: "agent_run_failed",
    });
    expect(last.errorMessage).toMatch(/failed/);
  });
});

describe("send-message streams (POST /sessions/{session_id}/messages, stream: true)", () => {
  it("streams only the new run; 409 while a run is in progress", async () => {
    await start();
    const first = await streamCreate(SEED_AGENTS.assistant, { input: "one" });
    const sessionId = (await first.next())!.json.interaction_id as string;
    const busy = await call(emulator, "POST", `/sessions/${sessionId}/messages`, {
      base: "stream",
      body: { input: "two", stream: true },
    });
    expectError(busy, 409, "interaction_not_in_terminal_state");
    const done = first.collect();
    await clock.advance(3_000);
    await done;

    const second = await openStream(emulator, "POST", `/sessions/${sessionId}/messages`, {
      input: "two",
      stream: true,
    });
    const frames = second.collect();
    await clock.advance(3_000);
    const all = await frames;
    expect(types(all)[0]).toBe("interaction-ready");
    expect(types(all).filter((t) => t === "interaction-ready")).toHaveLength(1);
    expect(spelt(all)).toContain('"two"');
  });
});

describe("resume (GET /sessions/{session_id}?stream=true&last_cursor=)", () => {
  it("after a cursor: exactly the events after it, then the rest of the run live", async () => {
    await start();
    const stream = await streamCreate(SEED_AGENTS.assistant, { input: "resume me please" });
    const seen = [(await stream.next())!.json, (await stream.next())!.json];
    await clock.advance(1_000);
    seen.push((await stream.next())!.json);
    stream.close();
    const sessionId = seen[0].interaction_id as string;

    const resumed = await resume(sessionId, seen.at(-1).stream_cursor);
    const frames = resumed.collect();
    await clock.advance(2_000);
    const rest = (await frames).map((f) => f.json);
    const all = [...seen, ...rest];
    const seqs = all.map((e) => JSON.parse(Buffer.from(e.stream_cursor, "base64").toString()).seq);
    expect(seqs).toEqual(all.map((_, i) => i));
    expect(rest.at(-1)).toMatchObject({ type: "finish", final: true });
  });

  it("without a cursor: from the current run's start", async () => {
    await start();
    const stream = await streamCreate(SEED_AGENTS.assistant, { input: "from the top" });
    const sessionId = (await stream.next())!.json.interaction_id as string;
    stream.close();
    const resumed = await resume(sessionId);
    expect((await resumed.next())!.json.type).toBe("interaction-ready");
    resumed.close();
  });

  it("a finished session: one finish with finishReason not_resumable", async () => {
    await start();
    const stream = await resume(SEED_SESSIONS.quantum);
    expect((await stream.collect()).map((f) => f.json)).toEqual([
      { type: "finish", finishReason: "not_resumable", final: true },
    ]);
  });

  it("400 invalid_cursor for a cursor that is not this session's; the REST host ignores stream=true", async () => {
    await start();
    const stream = await streamCreate(SEED_AGENTS.assistant, { input: "x" });
    const sessionId = (await stream.next())!.json.interaction_id as string;
    const foreign = Buffer.from(JSON.stringify({ session_id: "sess_other", seq: 0 })).toString("base64");
    for (const cursor of ["garbage", foreign]) {
      const res = await call(emulator, "GET", `/sessions/${sessionId}`, {
        base: "stream",
        query: { stream: "true", last_cursor: cursor },
      });
      expectError(res, 400, "invalid_cursor");
    }
    const rest = await call(emulator, "GET", `/sessions/${sessionId}`, { query: { stream: "true" } });
    expect(rest.status).toBe(200);
    expectSessionEnvelope(rest.body);
    stream.close();
  });
});

describe("waiting, pausing and cancelling", () => {
  it("sends keep-alive comments while a queued run waits for a slot, then its events", async () => {
    await start({ plan: "enterprise", slots: { agents: 1 }, streamKeepAliveMs: 2_000 });
    const holder = await streamCreate(SEED_AGENTS.research, { input: "long job" });
    const queued = await streamCreate(SEED_AGENTS.assistant, { input: "waiting" });
    const sessionId = (await queued.next())!.json.interaction_id as string;
    expect(await stateOf(sessionId)).toBe("queued");
    const frames = queued.collect({ comments: true });
    await clock.advance(8_000 + 3_000);
    const all = await frames;
    const comments = all.filter((f) => f.comment !== undefined);
    // Queued for the research run's 8 s: a comment every 2 s of clock time before its first event.
    expect(all.findIndex((f) => f.json?.type === "text-start")).toBeGreaterThanOrEqual(3);
    expect(comments.length).toBeGreaterThanOrEqual(3);
    expect(comments[0]!.comment).toBe("keep-alive");
    expect(types(all.filter((f) => f.json))).toContain("text-start");
    holder.close();
  });

  it("an approval pause: tool-approval-request, a stop finish, and the approvals' cursor resumes the next run", async () => {
    await start();
    const stream = await streamCreate(SEED_AGENTS.approval, { input: "Quarterly update" });
    const frames = stream.collect();
    await clock.advance(3_000);
    const all = (await frames).map((f) => f.json);
    const ask = all.find((e) => e.type === "tool-approval-request");
    expect(ask).toMatchObject({ tool_name: "gmail_send_email", action_request_id: expect.any(String) });
    expect(all.at(-1)).toMatchObject({ type: "finish", finishReason: "stop", final: true });
    const sessionId = all[0].interaction_id as string;
    expect(await stateOf(sessionId)).toBe("approval_required");

    const answer = await call(emulator, "POST", `/sessions/${sessionId}/approvals`, {
      body: { approval_responses: [{ action_request_id: ask.action_request_id, action: "accept" }] },
    });
    expect(answer.body.stream_cursor).toBe(all.at(-1).stream_cursor);
    const resumed = await resume(sessionId, answer.body.stream_cursor);
    const next = resumed.collect();
    await clock.advance(3_000);
    const run = await next;
    expect(types(run)[0]).toBe("interaction-ready");
    expect(spelt(run)).toMatch(/approved/);
  });

  it("cancelling ends the stream with abort; the session is failed", async () => {
    await start();
    const stream = await streamCreate(SEED_AGENTS.assistant, { input: "stop me" });
    const sessionId = (await stream.next())!.json.interaction_id as string;
    const rest = stream.collect();
    expect((await cancel(sessionId)).status).toBe(200);
    expect(types(await rest)).toEqual(["text-start", "abort"]);
    expect(await stateOf(sessionId)).toBe("failed");
  });
});

describe("stream faults (phase stream)", () => {
  it("drop: the connection is cut after afterEvents events; the rest is there to resume", async () => {
    await start();
    emulator.faults.add({
      route: "POST /agents/{agent_id}/sessions",
      host: "stream",
      phase: "stream",
      kind: "drop",
      afterEvents: 2,
      times: 1,
    });
    const stream = await streamCreate(SEED_AGENTS.assistant, { input: "cut" });
    const got = [(await stream.next())!.json, (await stream.next())!.json];
    const cut = stream.next();
    await clock.advance(1_000);
    await expect(cut).rejects.toThrow();
    const resumed = await resume(got[0].interaction_id, got[1].stream_cursor);
    const frames = resumed.collect();
    await clock.advance(3_000);
    expect(types(await frames)[0]).toBe("text-delta");
  });

  it("hang: a stall; nothing more is sent, not even keep-alives, and the connection stays open", async () => {
    await start({ streamKeepAliveMs: 1_000 });
    emulator.faults.add({ route: "*", host: "stream", phase: "stream", kind: "hang", afterEvents: 1 });
    const stream = await streamCreate(SEED_AGENTS.assistant, { input: "stall" });
    expect((await stream.next())!.json.type).toBe("interaction-ready");
    await clock.advance(10_000);
    const next = stream.next();
    const outcome = await Promise.race([
      next.then(() => "frame"),
      new Promise((resolve) => setTimeout(() => resolve("silent"), 100)),
    ]);
    expect(outcome).toBe("silent");
    stream.close();
    await next.catch(() => undefined);
  });

  it("malformed: one event whose data is not JSON, then the stream goes on", async () => {
    await start();
    emulator.faults.add({ route: "*", host: "stream", phase: "stream", kind: "malformed", afterEvents: 1 });
    const stream = await streamCreate(SEED_AGENTS.assistant, { input: "garble" });
    const frames = stream.collect();
    await clock.advance(3_000);
    const all = await frames;
    expect(all[1]!.json).toBeUndefined();
    expect(all[1]!.data).toMatch(/^\{"type": "text-delta"/);
    expect(types(all.filter((f) => f.json)).at(-1)).toBe("finish");
  });

  it("phase after on a streaming create: the session exists, the stream never opens", async () => {
    await start();
    emulator.faults.add({
      route: "POST /agents/{agent_id}/sessions",
      host: "stream",
      phase: "after",
      kind: "drop",
    });
    await expect(
      streamCreate(SEED_AGENTS.assistant, { input: "lost", session_id: "sess_lost" }),
    ).rejects.toThrow();
    expect((await retrieve("sess_lost")).status).toBe(200);
  });

  it("rejects stream-phase faults of other kinds and a negative afterEvents", async () => {
    await start();
    expect(() => emulator.faults.add({ route: "*", phase: "stream", kind: "status" })).toThrow(TypeError);
    expect(() => emulator.faults.add({ route: "*", phase: "stream", kind: "drop", afterEvents: -1 })).toThrow(
      TypeError,
    );
  });
});
