import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InternalServerError,
  OutcomeUnknownError,
  RateLimitError,
} from "../../src/client/errors.js";
import { nodeTransport } from "../../src/client/nodeTransport.js";
import { neverSent, retryDelayMs } from "../../src/client/retry.js";
import { ConnectionNotMadeError } from "../../src/client/transport.js";
import type { RetryEvent } from "../../src/client/client.js";
import { closedPortUrl, startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import {
  cancelSession,
  createSession,
  getSession,
  makeClient,
  recordingSleep,
  startPipeline,
} from "./fixtures.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const ok = { status: 200, body: { session: { id: "s1" } } };

describe("client retries", () => {
  it("retries a GET on 503 and honours Retry-After", async () => {
    server.queue({ status: 503, headers: { "retry-after": "2" }, body: {} }, ok);
    const sleep = recordingSleep();
    const retries: RetryEvent[] = [];
    const response = await makeClient(server.url, {
      sleep,
      hooks: { onRetry: (event) => retries.push(event) },
    }).call(getSession, { session_id: "s1" });
    expect(response.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(sleep.waits).toEqual([2_000]);
    expect(retries).toEqual([
      { operation: "get_single_gumloop_session_by_id", attempt: 1, delayMs: 2_000, reason: "status 503" },
    ]);
  });

  it("backs off exponentially with jitter when the server gives no hint, then gives up", async () => {
    server.queue({ status: 500 }, { status: 502 }, { status: 504 });
    const sleep = recordingSleep();
    const error = await makeClient(server.url, { sleep, random: () => 0.5 })
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(504);
    expect(server.requests).toHaveLength(3);
    // The one backoff rule without a hint: 1 s, 2 s (jitter drawn at its middle).
    expect(sleep.waits).toEqual([1_000, 2_000]);
  });

  it("retries a GET after a dropped connection", async () => {
    server.queue({ drop: true }, ok);
    const response = await makeClient(server.url).call(getSession, { session_id: "s1" });
    expect(response.attempts).toBe(2);
  });

  it("retries a write marked idempotent (cancel) on 5xx", async () => {
    server.queue({ status: 500 }, ok);
    const response = await makeClient(server.url).call(cancelSession, { session_id: "s1" });
    expect(response.attempts).toBe(2);
  });

  it("never retries a POST that may have started work on 500: its outcome is unknown", async () => {
    server.queue({ status: 500, body: { error: { code: "internal", message: "boom" } } });
    const error = await makeClient(server.url)
      .call(startPipeline, { saved_item_id: "f1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).cause).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  it("reports a POST whose connection dropped as outcome-unknown and does not repeat it", async () => {
    server.queue({ drop: true }, ok);
    const error = await makeClient(server.url)
      .call(startPipeline, { saved_item_id: "f1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as Error).message).toContain("list_all_gumloop_automation_runs");
    expect(server.requests).toHaveLength(1);
  });

  it("reports a POST that timed out as outcome-unknown", async () => {
    server.queue({ hang: true });
    const error = await makeClient(server.url, { timeoutMs: 50 })
      .call(createSession, { agent_id: "a1", input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a POST whose connection was refused (it never reached the server)", async () => {
    const dead = makeClient(await closedPortUrl(), { maxRetries: 1 });
    const error = await dead.call(startPipeline, { saved_item_id: "f1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/create_a_gumloop_flow_run failed: connection error/);
  });

  it("surfaces a 429 with its wait instead of retrying it", async () => {
    server.queue({ status: 429, headers: { "retry-after": "7", "ratelimit-remaining": "0" }, body: {} }, ok);
    const error = await makeClient(server.url)
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7_000);
    expect((error as RateLimitError).rateLimit.remaining).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it("retries 429 (even on a POST) when retryOnRateLimit is on, waiting for the reset", async () => {
    server.queue({ status: 429, headers: { "ratelimit-reset": "3" }, body: {} }, ok);
    const sleep = recordingSleep();
    const response = await makeClient(server.url, { sleep, retryOnRateLimit: true }).call(startPipeline, {
      saved_item_id: "f1",
    });
    expect(response.attempts).toBe(2);
    expect(sleep.waits).toEqual([3_000]);
  });

  it("does not sleep through a server delay longer than maxRetryAfterMs", async () => {
    server.queue({ status: 503, headers: { "retry-after": "3600" } }, ok);
    const error = await makeClient(server.url)
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  it("stops at once when the signal aborts during backoff", async () => {
    server.queue({ status: 503, headers: { "retry-after": "5" } }, ok);
    const controller = new AbortController();
    const sleep = async (_ms: number, signal?: AbortSignal) => {
      controller.abort(new Error("user cancelled"));
      if (signal?.aborted) throw signal.reason;
    };
    const error = await makeClient(server.url, { sleep })
      .call(getSession, { session_id: "s1" }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });

  it("aborts an in-flight request with the caller's signal", async () => {
    server.queue({ hang: true });
    const error = await makeClient(server.url)
      .call(getSession, { session_id: "s1" }, { signal: AbortSignal.timeout(30) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
  });

  it("times out a hanging GET, retries, and reports a timeout", async () => {
    server.queue({ hang: true }, { hang: true });
    const error = await makeClient(server.url, { timeoutMs: 30, maxRetries: 1 })
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toBe(
      "get_single_gumloop_session_by_id failed: no response within 30 ms (timed out)",
    );
    expect(server.requests).toHaveLength(2);
  });

  it("retries a malformed JSON body on a GET", async () => {
    server.queue({ status: 200, headers: { "content-type": "application/json" }, body: '{"session": {' }, ok);
    const response = await makeClient(server.url).call(getSession, { session_id: "s1" });
    expect(response.attempts).toBe(2);
  });
});

describe("what counts as never sent", () => {
  /** How Node's fetch reports a connection failure: `TypeError: fetch failed` with the socket error as cause. */
  const fetchFailure = (code: string) =>
    Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error(`connect ${code} 10.0.0.7:443`), { code }),
    });

  it("trusts only pre-connect codes when the transport cannot tell (an injected fetch)", () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"])
      expect(neverSent(fetchFailure(code))).toBe(true);
    // On Linux these can also fail a connection after the request was written.
    for (const code of ["EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"])
      expect(neverSent(fetchFailure(code))).toBe(false);
  });

  it("the built-in transport marks failures before any connection, and only those", async () => {
    const request = (url: string) => ({
      method: "POST" as const,
      url: `${url}/start_pipeline`,
      headers: {},
      body: "{}",
      signal: new AbortController().signal,
    });
    const refused = await nodeTransport(request(await closedPortUrl())).catch((e: unknown) => e);
    expect(neverSent(refused)).toBe(true);
    // Said by the error's own type, with the original failure kept: no side table between transport and retry.
    expect(refused).toBeInstanceOf(ConnectionNotMadeError);
    expect((refused as ConnectionNotMadeError).code).toBe("ECONNREFUSED");
    expect((refused as ConnectionNotMadeError).cause).toBeInstanceOf(Error);
    server.queue({ drop: true });
    const dropped = await nodeTransport(request(server.url)).catch((e: unknown) => e);
    expect(neverSent(dropped)).toBe(false);
  });

  it("a write refused before it could be sent (invalid header) is not reported as outcome-unknown", async () => {
    const error = await makeClient(server.url, { headers: { "x-trace": "a\nb" }, maxRetries: 0 })
      .call(startPipeline, { saved_item_id: "f1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(OutcomeUnknownError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("retry arithmetic", () => {
  it("waits as long as a plausible server hint asks, refuses an implausible one, and never hurries", () => {
    expect(retryDelayMs(0, 1_500, 60_000, () => 0)).toBe(1_500);
    expect(retryDelayMs(0, 61_000, 60_000)).toBeNull();
    // A zero, negative or past hint is no hint: the floor holds.
    expect(retryDelayMs(0, 0, 60_000, () => 0)).toBe(1_000);
    expect(retryDelayMs(1, -5, 60_000, () => 0.5)).toBe(2_000);
  });
});
