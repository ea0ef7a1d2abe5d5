/**
 * Duration options at their edges. Node's setTimeout turns a delay above 2^31 − 1 ms (or Infinity) into 1 ms, so
 * a "very long" timeout handed to it as is fails the call at once: Infinity must mean no timer, longer values are
 * clamped, and 0 / negative / NaN are refused up front, naming the option.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GumloopError } from "../../src/client/errors.js";
import { MAX_TIMER_MS, realSleep } from "../../src/client/sleep.js";
import { startRecordingServer, type RecordingServer, type Reply } from "../helpers/recordingServer.js";
import { getSession, makeClient, startPipeline } from "./fixtures.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** Answers after a few milliseconds: longer than the 1 ms a mis-set timer would allow. */
const answerSoon = (reply: Reply) => () =>
  new Promise<Reply>((resolve) => setTimeout(() => resolve(reply), 30));
const session = { status: 200, body: { session: { id: "s1" } } };

describe("timeoutMs and maxRetryAfterMs", () => {
  it.each([0, -1, Number.NaN])("refuses timeoutMs %s at construction, naming the option", (value) => {
    expect(() => makeClient(server.url, { timeoutMs: value })).toThrow(GumloopError);
    expect(() => makeClient(server.url, { timeoutMs: value })).toThrow(/timeoutMs must be a positive number/);
  });

  it.each([-1, Number.NaN])("refuses maxRetryAfterMs %s, and accepts 0 (sleep through no hint)", (value) => {
    expect(() => makeClient(server.url, { maxRetryAfterMs: value })).toThrow(
      /maxRetryAfterMs must be 0 or more/,
    );
    expect(() => makeClient(server.url, { maxRetryAfterMs: 0 })).not.toThrow();
  });

  it("refuses a per-call timeoutMs of 0 before sending anything", async () => {
    const error = await makeClient(server.url)
      .call(getSession, { session_id: "s1" }, { timeoutMs: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GumloopError);
    expect((error as Error).message).toMatch(/timeoutMs/);
    expect(server.requests).toHaveLength(0);
  });

  it("timeoutMs: Infinity sets no timer: a write that takes a moment succeeds", async () => {
    server.fallback = answerSoon(session);
    const response = await makeClient(server.url, { timeoutMs: Infinity }).call(startPipeline, {
      saved_item_id: "f1",
    });
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(1);
  });

  it("a timeout beyond a timer's range is clamped, not turned into 1 ms (client and per call)", async () => {
    server.fallback = answerSoon(session);
    const client = makeClient(server.url, { timeoutMs: 3e9, maxRetries: 0 });
    expect(client.timeoutMs).toBe(MAX_TIMER_MS);
    expect((await client.call(getSession, { session_id: "s1" })).status).toBe(200);
    const perCall = await makeClient(server.url, { maxRetries: 0 }).call(
      startPipeline,
      { saved_item_id: "f1" },
      { timeoutMs: Infinity },
    );
    expect(perCall.status).toBe(200);
  });

  it("a download with timeoutMs: Infinity waits for its answer", async () => {
    const host = new URL(server.url).host;
    server.fallback = answerSoon({ status: 200, headers: { "content-type": "text/plain" }, body: "bytes" });
    const body = await makeClient(server.url).download(`http://${host}/f?signature=s`, {
      timeoutMs: Infinity,
    });
    expect(new TextDecoder().decode(body.bytes)).toBe("bytes");
  });
});

describe("realSleep", () => {
  /** Whether `promise` settles before a short real timer (a mis-set timer fires after 1 ms). */
  async function settlesSoon(promise: Promise<void>): Promise<boolean> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    return settled;
  }

  it.each([Infinity, 3e9])(
    "sleeps through %s ms instead of waking after 1 ms, and still aborts",
    async (ms) => {
      const controller = new AbortController();
      const sleeping = realSleep(ms, controller.signal);
      expect(await settlesSoon(sleeping)).toBe(false);
      controller.abort(new Error("stop"));
      await expect(sleeping).rejects.toThrow("stop");
    },
  );

  it("still wakes after a short wait, and at once for 0, negative or NaN", async () => {
    expect(await settlesSoon(realSleep(1))).toBe(true);
    for (const ms of [0, -5, Number.NaN]) expect(await settlesSoon(realSleep(ms))).toBe(true);
  });
});
