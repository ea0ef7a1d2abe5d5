import { describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_SESSIONS } from "../src/index.js";
import { call, expectError, expectSessionEnvelope, type CallResult } from "./helpers.js";
import { clock, emulator, start, create, retrieve, send, cancel, stateOf } from "./sessionsFixture.js";

describe("POST /agents/{agent_id}/sessions (create_a_gumloop_session)", () => {
  it("without input: 201 idle stub, no messages, queue_position null", async () => {
    await start();
    const res = await create(SEED_AGENTS.assistant, { metadata: { ticket: 42 } });
    expect(res.status).toBe(201);
    expectSessionEnvelope(res.body);
    expect(res.body.session).toMatchObject({
      agent_id: SEED_AGENTS.assistant,
      state: "idle",
      messages: [],
      agent_name: "General Assistant",
      agent_team_id: emulator.teamId,
      agent_creator_user_id: emulator.userId,
      created_at: "2026-06-01T12:00:00Z",
      metadata: { client: { ticket: 42 } },
    });
    expect(res.body.queue_position).toBeNull();
    expect(res.body.session.participants[emulator.userId]).toEqual({
      first_name: "Ada",
      last_name: "Lovelace",
    });
    expect(Object.values(res.body.session.usage).every((v) => v === null)).toBe(true);
    expect((await retrieve(res.body.session.id)).body.session.state).toBe("idle");
  });

  it("with input: 202 processing with the user message (content and parts); `message` is an alias", async () => {
    await start();
    const res = await create(SEED_AGENTS.assistant, { input: "Hello there" });
    expect(res.status).toBe(202);
    expectSessionEnvelope(res.body);
    expect(res.body.session.state).toBe("processing");
    expect(res.body.queue_position).toBeNull();
    expect(res.body.session.messages).toHaveLength(1);
    expect(res.body.session.messages[0]).toMatchObject({
      role: "user",
      content: "Hello there",
      creator_id: emulator.userId,
      parts: [{ type: "text", text: "Hello there" }],
    });
    const alias = await create(SEED_AGENTS.assistant, { message: "Via alias" });
    expect(alias.status).toBe(202);
    expect(alias.body.session.messages[0].content).toBe("Via alias");
  });

  it("uses a caller-supplied session_id and answers a duplicate with 409 session_already_exists", async () => {
    await start();
    const first = await create(SEED_AGENTS.assistant, { session_id: "sess_mine_1", input: "hi" });
    expect(first.body.session.id).toBe("sess_mine_1");
    expectError(
      await create(SEED_AGENTS.assistant, { session_id: "sess_mine_1" }),
      409,
      "session_already_exists",
    );
    expectError(
      await create(SEED_AGENTS.assistant, { session_id: SEED_SESSIONS.quantum }),
      409,
      "session_already_exists",
    );
    expectError(await create(SEED_AGENTS.assistant, { session_id: "../x" }), 400);
  });

  it("rejects stream: true on the REST host with the streaming URL in the message", async () => {
    await start();
    const res = await create(SEED_AGENTS.assistant, { input: "hi", stream: true });
    expectError(res, 400);
    expect(res.body.error.message).toContain(
      `${emulator.streamUrl}/agents/${SEED_AGENTS.assistant}/sessions`,
    );
    expect(res.body.error.param).toBe("stream");
    expect(emulator.inspect().sessions.perAgent[SEED_AGENTS.assistant]).toBeUndefined();
  });

  it("404s an unknown agent, 403s another user's, 400s a malformed body", async () => {
    await start();
    expectError(await create("no_such_agent", { input: "x" }), 404);
    expectError(await create(SEED_AGENTS.otherUsers, { input: "x" }), 403);
    expectError(await create(SEED_AGENTS.assistant, { input: 42 }), 400);
    expectError(await create(SEED_AGENTS.assistant, { metadata: "x" }), 400);
    expectError(await create(SEED_AGENTS.assistant, { name: "  " }), 400);
    const malformed = await call(emulator, "POST", `/agents/${SEED_AGENTS.assistant}/sessions`, {
      rawBody: '{"input": ',
      headers: { "content-type": "application/json" },
    });
    expectError(malformed, 400, "invalid_request");
  });
});

describe("session state machine on the virtual clock", () => {
  it("research agent: processing until durations.research, then completed with a report naming the topic", async () => {
    await start();
    const { body } = await create(SEED_AGENTS.research, { input: "Perovskite solar cells" });
    await clock.advance(7_999);
    expect(await stateOf(body.session.id)).toBe("processing");
    await clock.advance(1);
    const done = await retrieve(body.session.id);
    expectSessionEnvelope(done.body);
    expect(done.body.session.state).toBe("completed");
    const reply = done.body.session.messages[1];
    expect(reply).toMatchObject({ role: "assistant", creator_id: null, created_at: "2026-06-01T12:00:08Z" });
    expect(reply.content).toContain("Perovskite solar cells");
    expect(reply.content).toContain("perovskite-solar-cells-report.md");
    expect(reply.parts[0]).toEqual({ type: "text", text: reply.content });
    expect(done.body.session.usage.input_tokens).toBeGreaterThan(0);
    expect(done.body.session.usage.credit_cost).toBeGreaterThan(0);
  });

  it("generic assistant replies after durations.session; flaky agent fails", async () => {
    await start({ durations: { session: 1_000 } });
    const echo = (await create(SEED_AGENTS.assistant, { input: "ping" })).body.session.id;
    const flaky = (await create(SEED_AGENTS.flaky, { input: "do it" })).body.session.id;
    await clock.advance(1_000);
    const echoed = (await retrieve(echo)).body.session;
    expect(echoed.state).toBe("completed");
    expect(echoed.messages[1].content).toContain("ping");
    const failed = (await retrieve(flaky)).body.session;
    expect(failed.state).toBe("failed");
    expect(failed.messages[1].content).toMatch(/error/i);
  });

  it("agents created over the API behave by name (a 'Research' agent produces a report)", async () => {
    await start();
    const agent = (
      await call(emulator, "POST", "/agents", {
        body: { name: "Market Research Bot", model_name: "openai/gpt-5" },
      })
    ).body.agent;
    const session = (await create(agent.id, { input: "Electric bikes" })).body.session;
    await clock.advance(8_000);
    expect((await retrieve(session.id)).body.session.messages[1].content).toContain(
      "electric-bikes-report.md",
    );
  });
});

describe("POST /sessions/{session_id}/messages (create_a_gumloop_session_message)", () => {
  it("202 with the new user message appended; 409 while processing; a second turn completes", async () => {
    await start();
    const id = (await create(SEED_AGENTS.assistant, { input: "first" })).body.session.id;
    expectError(await send(id, { input: "too soon" }), 409, "interaction_not_in_terminal_state");
    await clock.advance(3_000);
    const res = await send(id, { input: "second" });
    expect(res.status).toBe(202);
    expectSessionEnvelope(res.body);
    expect(res.body.session.state).toBe("processing");
    expect(res.body.session.messages.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
    ]);
    expect(res.body.session.messages[2].content).toBe("second");
    await clock.advance(3_000);
    const after = (await retrieve(id)).body.session;
    expect(after.state).toBe("completed");
    expect(after.messages).toHaveLength(4);
  });

  it("works on idle sessions; 400 without input; 400 approval_responses; 400 stream: true", async () => {
    await start();
    const id = (await create(SEED_AGENTS.assistant)).body.session.id;
    expectError(await send(id, {}), 400, "invalid_request");
    expectError(await send(id, { input: "" }), 400);
    expectError(
      await send(id, { input: "x", approval_responses: [] }),
      400,
      "approvals_require_stream_or_approvals_endpoint",
    );
    const streamed = await send(id, { input: "x", stream: true });
    expectError(streamed, 400);
    expect(streamed.body.error.message).toContain(`${emulator.streamUrl}/sessions/${id}/messages`);
    expectError(
      await send(id, { input: "x", attachments: [{ media_type: "text/plain" }] }),
      400,
      "invalid_attachment",
    );
    const ok = await send(id, {
      input: "now",
      attachments: [{ file_name: "inputs/a.txt", media_type: "text/plain" }],
    });
    expect(ok.status).toBe(202);
    expect(ok.body.session.messages[0].parts[1]).toEqual({
      type: "file",
      file_name: "inputs/a.txt",
      media_type: "text/plain",
    });
  });

  it("404s unknown sessions and 403s another user's", async () => {
    await start();
    expectError(await send("sess_nope", { input: "x" }), 404);
    expectError(await retrieve("sess_nope"), 404);
    const theirs = (await create(SEED_AGENTS.otherUsers, { input: "mine" }, "other")).body.session.id;
    expectError(await retrieve(theirs), 403);
    expectError(await send(theirs, { input: "x" }), 403);
    expectError(await cancel(theirs), 403);
  });
});

describe("POST /sessions/{session_id}/cancel (delete_a_gumloop_session_by_id)", () => {
  const expectCancelEnvelope = (res: CallResult, state: string) => {
    expect(res.status).toBe(200);
    expect(res.body.queue_position).toBeNull();
    expect(res.body.session).toEqual({
      id: expect.any(String),
      agent_id: expect.any(String),
      messages: [],
      created_at: null,
      state,
      agent_name: null,
      agent_team_id: null,
      agent_creator_user_id: null,
      agent_icon_url: null,
      agent_tools: [],
      participants: {},
      creator: null,
    });
  };

  it("processing → failed, populating only id, agent_id and state; the run never completes", async () => {
    await start();
    const id = (await create(SEED_AGENTS.research, { input: "topic" })).body.session.id;
    await clock.advance(1_000);
    expectCancelEnvelope(await cancel(id), "failed");
    await clock.advance(60_000);
    const after = (await retrieve(id)).body.session;
    expect(after.state).toBe("failed");
    expect(after.messages).toHaveLength(1);
    expect(emulator.inspect().artifacts.perSession[id]).toBeUndefined();
  });

  it("returns terminal and idle sessions unchanged", async () => {
    await start();
    expectCancelEnvelope(await cancel(SEED_SESSIONS.quantum), "completed");
    const idle = (await create(SEED_AGENTS.assistant)).body.session.id;
    expectCancelEnvelope(await cancel(idle), "idle");
    const failing = (await create(SEED_AGENTS.flaky, { input: "x" })).body.session.id;
    await clock.advance(3_000);
    expectCancelEnvelope(await cancel(failing), "failed");
    expectError(await cancel("sess_nope"), 404);
  });
});

describe("GET /agents/{agent_id}/sessions and inspect()", () => {
  it("lists sessions without messages, newest first, with cursor pagination", async () => {
    await start();
    const first = await call(emulator, "GET", `/agents/${SEED_AGENTS.research}/sessions`, {
      query: { page_size: 2 },
    });
    expect(first.status).toBe(200);
    expect(first.body.sessions.map((s: { id: string }) => s.id)).toEqual([
      SEED_SESSIONS.acme,
      SEED_SESSIONS.solar,
    ]);
    expect(first.body.sessions[0].messages).toEqual([]);
    const second = await call(emulator, "GET", `/agents/${SEED_AGENTS.research}/sessions`, {
      query: { page_size: 2, cursor: first.body.next_cursor },
    });
    expect(second.body.sessions.map((s: { id: string }) => s.id)).toEqual([SEED_SESSIONS.quantum]);
    expect(second.body.next_cursor).toBeNull();
    // sessions.yml declares no 400 here: an unknown state matches nothing, a bad page_size or cursor is ignored.
    const list = (query: Record<string, string | number>) =>
      call(emulator, "GET", `/agents/${SEED_AGENTS.research}/sessions`, { query });
    expect((await list({ state: "odd" })).body.sessions).toEqual([]);
    expect((await list({ page_size: 500 })).body.sessions).toHaveLength(3);
    expect((await list({ page_size: "ten", cursor: "!!nope" })).body.sessions).toHaveLength(3);
    expect((await list({ sort_order: "sideways", page_size: 1 })).body.sessions[0].id).toBe(
      SEED_SESSIONS.acme,
    );
  });

  it("inspect() reports sessions per agent and per state", async () => {
    await start();
    await create(SEED_AGENTS.flaky, { input: "x" });
    await create(SEED_AGENTS.flaky);
    const before = emulator.inspect().sessions;
    expect(before.perAgent[SEED_AGENTS.flaky]).toBe(2);
    expect(before.byState).toMatchObject({ completed: 3, processing: 1, idle: 1 });
    await clock.advance(3_000);
    expect(emulator.inspect().sessions.byState).toMatchObject({ failed: 1, idle: 1 });
  });
});
