/** Emulator sessions: human approvals (approval_required, POST /sessions/{session_id}/approvals). */
import { describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_SESSIONS } from "../src/index.js";
import { call, expectError, expectSessionEnvelope, expectShape } from "./helpers.js";
import { clock, emulator, start, create, retrieve, send, stateOf } from "./sessionsFixture.js";

describe("approvals (POST /sessions/{session_id}/approvals)", () => {
  async function pausedSession(): Promise<{ id: string; askId: string }> {
    const id = (await create(SEED_AGENTS.approval, { input: "Quarterly update" })).body.session.id;
    await clock.advance(3_000);
    const res = await retrieve(id);
    expectSessionEnvelope(res.body);
    expect(res.body.session.state).toBe("approval_required");
    expect(res.body.session.pending_approvals).toHaveLength(1);
    expect(res.body.session.pending_approvals[0]).toMatchObject({
      type: "tool_approval",
      tool_name: "gmail_send_email",
    });
    return { id, askId: res.body.session.pending_approvals[0].action_request_id };
  }

  it("accept: 200 {session, results, stream_cursor}, resumes, then completes having acted", async () => {
    await start();
    const { id, askId } = await pausedSession();
    const res = await call(emulator, "POST", `/sessions/${id}/approvals`, {
      body: { approval_responses: [{ action_request_id: askId, action: "accept" }] },
    });
    expect(res.status).toBe(200);
    expectShape(res.body, { session: "object", results: "array", stream_cursor: "string|null" });
    expect(res.body.results).toEqual([{ action_request_id: askId, action: "accept", outcome: "accepted" }]);
    expect(typeof res.body.stream_cursor).toBe("string");
    expect(res.body.session.state).toBe("processing");
    expect(res.body.session.pending_approvals).toEqual([]);
    await clock.advance(3_000);
    const done = (await retrieve(id)).body.session;
    expect(done.state).toBe("completed");
    expect(done.messages.at(-1).content).toMatch(/approved/);
  });

  it("reject: completes saying the action was rejected (with the reason)", async () => {
    await start();
    const { id, askId } = await pausedSession();
    const res = await call(emulator, "POST", `/sessions/${id}/approvals`, {
      body: {
        approval_responses: [{ action_request_id: askId, action: "reject", reason: "wrong recipient" }],
      },
    });
    expect(res.body.results[0].outcome).toBe("rejected");
    await clock.advance(3_000);
    const done = (await retrieve(id)).body.session;
    expect(done.state).toBe("completed");
    expect(done.messages.at(-1).content).toMatch(/rejected.*wrong recipient/s);
  });

  it("409 session_not_awaiting_approval otherwise; 400 on bad bodies and unknown ids", async () => {
    await start();
    const url = (id: string) => `/sessions/${id}/approvals`;
    const ok = { approval_responses: [{ action_request_id: "areq_x", action: "accept" }] };
    expectError(
      await call(emulator, "POST", url(SEED_SESSIONS.quantum), { body: ok }),
      409,
      "session_not_awaiting_approval",
    );
    const { id, askId } = await pausedSession();
    const bad = (body: unknown) => call(emulator, "POST", url(id), { body });
    expectError(await bad({}), 400);
    expectError(await bad({ approval_responses: [] }), 400);
    expectError(
      await bad({ approval_responses: Array(21).fill({ action_request_id: askId, action: "accept" }) }),
      400,
    );
    expectError(await bad({ approval_responses: [{ action_request_id: askId, action: "maybe" }] }), 400);
    expectError(
      await bad({
        approval_responses: [{ action_request_id: askId, action: "accept", reason: "x".repeat(1001) }],
      }),
      400,
    );
    expectError(await bad(ok), 400);
    expectError(
      await bad({
        approval_responses: [
          { action_request_id: askId, action: "accept" },
          { action_request_id: askId, action: "accept" },
        ],
      }),
      400,
    );
    expect(await stateOf(id)).toBe("approval_required");
    expectError(await call(emulator, "POST", url("sess_nope"), { body: ok }), 404);
  });

  it("a follow-up message on an approval_required session starts a new turn", async () => {
    await start();
    const { id } = await pausedSession();
    const res = await send(id, { input: "never mind" });
    expect(res.status).toBe(202);
    expect(res.body.session.pending_approvals).toEqual([]);
  });
});
