/** Emulator sessions: concurrency limits per plan (429 on free and pro, queueing on enterprise). */
import { describe, expect, it } from "vitest";
import { SEED_AGENTS } from "../src/index.js";
import { expectError } from "./helpers.js";
import { clock, emulator, start, create, retrieve, send, cancel, stateOf } from "./sessionsFixture.js";

describe("concurrency per plan", () => {
  it("free plan: the 6th concurrent session is a 429 (no Retry-After by default); a slot frees when a run ends", async () => {
    await start({ plan: "free" });
    for (let i = 0; i < 5; i++)
      expect((await create(SEED_AGENTS.assistant, { input: `run ${i}` })).status).toBe(202);
    const sixth = await create(SEED_AGENTS.assistant, { input: "one too many", session_id: "sess_sixth" });
    expectError(sixth, 429);
    expect(sixth.headers.get("retry-after")).toBeNull();
    const idle = (await create(SEED_AGENTS.assistant)).body.session.id; // idle stubs take no slot
    expectError(await send(idle, { input: "busy" }), 429);
    expect((await retrieve(idle)).body.session.messages).toEqual([]);
    await clock.advance(3_000);
    const retry = await create(SEED_AGENTS.assistant, { input: "now it fits", session_id: "sess_sixth" });
    expect(retry.status).toBe(202);
  });

  it("cancelling a run frees its slot at once", async () => {
    await start({ plan: "free" });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await create(SEED_AGENTS.assistant, { input: `run ${i}` })).body.session.id);
    expectError(await create(SEED_AGENTS.assistant, { input: "x" }), 429);
    await cancel(ids[0]!);
    expect((await create(SEED_AGENTS.assistant, { input: "x" })).status).toBe(202);
  });

  it("with concurrencyRetryAfter, the 429 carries Retry-After = seconds until the earliest run ends", async () => {
    await start({ plan: "free", concurrencyRetryAfter: true });
    for (let i = 0; i < 5; i++) await create(SEED_AGENTS.research, { input: `t${i}` });
    await clock.advance(2_500);
    const res = await create(SEED_AGENTS.research, { input: "x" });
    expectError(res, 429);
    expect(res.headers.get("retry-after")).toBe("6");
  });

  it("enterprise: overflow is queued with queue_position, and starts in order when a slot frees", async () => {
    await start({ plan: "enterprise", slots: { agents: 2 }, durations: { session: 1_000 } });
    const a = (await create(SEED_AGENTS.assistant, { input: "a" })).body.session.id;
    await clock.advance(500);
    const b = (await create(SEED_AGENTS.assistant, { input: "b" })).body.session.id;
    const c = await create(SEED_AGENTS.assistant, { input: "c" });
    const d = await create(SEED_AGENTS.assistant, { input: "d" });
    expect(c.status).toBe(202);
    expect(c.body.session.state).toBe("queued");
    expect(c.body.queue_position).toBe(1);
    expect(d.body.queue_position).toBe(2);
    expectError(await send(c.body.session.id, { input: "again" }), 409, "interaction_not_in_terminal_state");

    await clock.advance(500); // t=1000: a ends, c starts
    expect(await stateOf(a)).toBe("completed");
    const cNow = await retrieve(c.body.session.id);
    expect(cNow.body.session.state).toBe("processing");
    expect(cNow.body.queue_position).toBeNull();
    expect((await retrieve(d.body.session.id)).body.queue_position).toBe(1);

    await clock.advance(500); // t=1500: b ends, d starts
    expect(await stateOf(b)).toBe("completed");
    expect(await stateOf(d.body.session.id)).toBe("processing");
    await clock.advance(500); // t=2000: c ends (started at 1000)
    expect(await stateOf(c.body.session.id)).toBe("completed");
    expect(await stateOf(d.body.session.id)).toBe("processing");
    await clock.advance(500);
    expect(await stateOf(d.body.session.id)).toBe("completed");
  });

  it("enterprise: cancelling a queued session fails it and moves the queue up", async () => {
    await start({ plan: "enterprise", slots: { agents: 1 } });
    await create(SEED_AGENTS.assistant, { input: "a" });
    const b = (await create(SEED_AGENTS.assistant, { input: "b" })).body.session.id;
    const c = (await create(SEED_AGENTS.assistant, { input: "c" })).body.session.id;
    expect((await retrieve(c)).body.queue_position).toBe(2);
    const res = await cancel(b);
    expect(res.body.session.state).toBe("failed");
    expect((await retrieve(c)).body.queue_position).toBe(1);
    const snapshot = emulator.inspect();
    expect(snapshot.concurrency.agents).toMatchObject({ limit: 1, running: 1, queued: 1 });
  });
});
