import { describe, expect, it } from "vitest";
import { RealClock, VirtualClock } from "../src/index.js";
import { Scheduler } from "../src/world/scheduler.js";
import { SEED_AGENTS } from "../src/index.js";
import { authHeaders, startTestEmulator } from "./helpers.js";

describe("VirtualClock", () => {
  it("starts at 2026-06-01T12:00:00Z unless told otherwise", () => {
    expect(new VirtualClock().now()).toBe(Date.parse("2026-06-01T12:00:00Z"));
    expect(new VirtualClock({ start: "2030-01-01T00:00:00Z" }).now()).toBe(
      Date.parse("2030-01-01T00:00:00Z"),
    );
    expect(new VirtualClock({ start: 5 }).now()).toBe(5);
    expect(() => new VirtualClock({ start: "not a date" })).toThrow(TypeError);
  });

  it("resolves sleepers only when virtual time reaches them, in due order", async () => {
    const clock = new VirtualClock();
    const woke: string[] = [];
    void clock.sleep(300).then(() => woke.push("300"));
    void clock.sleep(100).then(() => woke.push("100"));
    void clock.sleep(200).then(() => woke.push("200a"));
    void clock.sleep(200).then(() => woke.push("200b"));
    expect(clock.pendingSleepers).toBe(4);
    await clock.advance(99);
    expect(woke).toEqual([]);
    await clock.advance(101);
    expect(woke).toEqual(["100", "200a", "200b"]);
    expect(clock.pendingSleepers).toBe(1);
    await clock.advance(1000);
    expect(woke).toEqual(["100", "200a", "200b", "300"]);
    expect(clock.now()).toBe(Date.parse("2026-06-01T12:00:00Z") + 1200);
  });

  it("wakes chained sleeps that fall inside one advance, at their own times", async () => {
    const clock = new VirtualClock({ start: 0 });
    const seen: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(100);
        seen.push(clock.now());
      }
    })();
    await clock.advance(250);
    expect(seen).toEqual([100, 200]);
    expect(clock.now()).toBe(250);
  });

  it("works with detached now and sleep", async () => {
    const clock = new VirtualClock({ start: 1000 });
    const { now, sleep } = clock;
    const done = sleep(50);
    await clock.advance(50);
    await done;
    expect(now()).toBe(1050);
  });

  it("resolves zero-length sleeps at once and rejects aborted ones with the signal's reason", async () => {
    const clock = new VirtualClock();
    await clock.sleep(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    expect(clock.pendingSleepers).toBe(1);
    controller.abort(new Error("stop"));
    await expect(sleeping).rejects.toThrow("stop");
    expect(clock.pendingSleepers).toBe(0);
    await expect(clock.sleep(10, AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
  });

  it("never moves backwards and rejects negative advances", async () => {
    const clock = new VirtualClock({ start: 100 });
    await clock.advanceTo(50);
    expect(clock.now()).toBe(100);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });

  it("auto-advance runs a 30-minute sleep loop in real milliseconds", async () => {
    const clock = new VirtualClock({ autoAdvance: true, start: 0 });
    const started = Date.now();
    for (let i = 0; i < 30; i++) await clock.sleep(60_000);
    expect(clock.now()).toBe(30 * 60_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("auto-advance waits while work is held", async () => {
    const clock = new VirtualClock({ autoAdvance: true, start: 0 });
    const release = clock.hold();
    let woke = false;
    void clock.sleep(1000).then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(false);
    expect(clock.now()).toBe(0);
    release();
    release(); // idempotent
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(true);
    expect(clock.now()).toBe(1000);
  });

  it("auto-advance lets a client poll a long emulator job without real waiting", async () => {
    const clock = new VirtualClock({ autoAdvance: true });
    const { emulator } = await startTestEmulator({ clock, durations: { research: 30 * 60_000 } });
    try {
      const headers = { ...authHeaders(emulator), "content-type": "application/json" };
      const created = await fetch(`${emulator.url}/agents/${SEED_AGENTS.research}/sessions`, {
        method: "POST",
        headers,
        body: JSON.stringify({ input: "Tidal power" }),
      });
      const { session } = (await created.json()) as { session: { id: string } };
      const started = Date.now();
      let state = "processing";
      let polls = 0;
      while (state === "processing") {
        await clock.sleep(60_000);
        const res = await fetch(`${emulator.url}/sessions/${session.id}`, { headers });
        state = ((await res.json()) as { session: { state: string } }).session.state;
        polls++;
      }
      expect(state).toBe("completed");
      expect(polls).toBe(30);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await emulator.close();
    }
  });
});

describe("RealClock", () => {
  it("follows Date.now and sleeps for real", async () => {
    const clock = new RealClock();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
    const t0 = Date.now();
    await clock.sleep(5);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4);
    clock.hold()();
    await expect(clock.sleep(1000, AbortSignal.abort(new Error("x")))).rejects.toThrow("x");
  });
});

describe("Scheduler (lazy settling)", () => {
  it("replays due transitions in time order, so late settling equals a timer", () => {
    const scheduler = new Scheduler({ agents: 1, flows: 1 }, "queue");
    const events: string[] = [];
    const job = (name: string, ms: number) =>
      scheduler.submit(
        {
          pool: "agents",
          account: "org",
          durationMs: ms,
          onStart: (at) => events.push(`${name} start ${at}`),
          onFinish: (at) => events.push(`${name} end ${at}`),
        },
        0,
      );
    job("a", 100);
    const b = job("b", 50);
    job("c", 10);
    scheduler.at(120, (at) => events.push(`tick ${at}`));
    expect(b.ok && scheduler.queuePosition(b.job)).toBe(1);
    scheduler.settle(1000);
    expect(events).toEqual([
      "a start 0",
      "a end 100",
      "b start 100",
      "tick 120",
      "b end 150",
      "c start 150",
      "c end 160",
    ]);
  });

  it("rejects overflow on reject plans and reports when a slot frees", () => {
    const scheduler = new Scheduler({ agents: 1, flows: 1 }, "reject");
    const spec = { pool: "flows" as const, account: "org", durationMs: 500, onFinish: () => undefined };
    expect(scheduler.submit(spec, 0).ok).toBe(true);
    const second = scheduler.submit(spec, 100);
    expect(second).toEqual({ ok: false, limit: 1, running: 1, earliestEndAt: 500 });
    scheduler.settle(500);
    expect(scheduler.submit(spec, 500).ok).toBe(true);
  });
});
