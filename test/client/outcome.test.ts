/**
 * Calls whose outcome the client cannot see: a write answered 500, 502 or 504 (which may come after the work was
 * done) or whose answer was lost, a session create (retryable through its session_id) whose answer was lost meets
 * its own 409 on the retry, and a write aborted after it was sent. All must say the call may have taken effect and
 * how to check; only the client decides it, once, so callers need nothing but `instanceof OutcomeUnknownError`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GumloopClient } from "../../src/client/client.js";
import {
  APIConnectionError,
  APIUserAbortError,
  ConflictError,
  InternalServerError,
  OutcomeUnknownError,
} from "../../src/client/errors.js";
import { SEED_AGENTS, type Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { ENDPOINTS } from "../../src/tools/index.js";
import { closedPortUrl, startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import {
  cancelSession,
  createSession,
  getSession,
  makeClient,
  recordingSleep,
  startPipeline,
} from "./fixtures.js";

const keyedCreate = { ...createSession, idempotencyKey: "session_id" };
const envelope = (status: number, code: string) => ({
  status,
  body: { error: { code, message: `Injected ${status}`, type: "api_error" } },
});

describe("a write answered with a status that may follow the work", () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it.each([
    [500, "internal_error"],
    [502, "bad_gateway"],
    [504, "gateway_timeout"],
  ])(
    "%i is an OutcomeUnknownError with the status, the code, the hint and the 5xx as cause",
    async (status, code) => {
      server.queue(envelope(status, code));
      const error = (await makeClient(server.url)
        .call(startPipeline, { saved_item_id: "f1" })
        .catch((e: unknown) => e)) as OutcomeUnknownError;
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect(error.status).toBe(status);
      expect(error.code).toBe(code);
      expect(error.message).toBe(
        `create_a_gumloop_flow_run may or may not have taken effect: Gumloop answered ${status} ${code} after the ` +
          `request was sent. It was not sent again, to avoid doing the work twice. ${startPipeline.reconcileHint}`,
      );
      expect(error.cause).toBeInstanceOf(InternalServerError);
      expect((error.cause as InternalServerError).status).toBe(status);
      expect(server.requests).toHaveLength(1);
    },
  );

  it.each([501, 503])(
    "%i says the request was not handled: a plain InternalServerError, not sent again",
    async (status) => {
      server.queue(envelope(status, "unavailable"));
      const error = await makeClient(server.url)
        .call(startPipeline, { saved_item_id: "f1" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).not.toBeInstanceOf(OutcomeUnknownError);
      expect(server.requests).toHaveLength(1);
    },
  );

  it("a read or an idempotent write keeps the plain 5xx after its retries", async () => {
    server.fallback = () => envelope(502, "bad_gateway");
    const read = await makeClient(server.url)
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    const cancel = await makeClient(server.url)
      .call(cancelSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    for (const error of [read, cancel]) {
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).not.toBeInstanceOf(OutcomeUnknownError);
    }
    expect(server.requests).toHaveLength(6);
  });

  it("a lost answer has a null status and code", async () => {
    server.queue({ drop: true });
    const error = (await makeClient(server.url)
      .call(startPipeline, { saved_item_id: "f1" })
      .catch((e: unknown) => e)) as OutcomeUnknownError;
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect([error.status, error.code]).toEqual([null, null]);
    expect(error.message).toContain("the connection failed after the request was sent");
    expect(error.cause).toBeInstanceOf(APIConnectionError);
  });

  it("a keyed create is repeated with its key, and still ends as outcome-unknown when every answer is a 502", async () => {
    server.fallback = () => envelope(502, "bad_gateway");
    const error = (await makeClient(server.url)
      .call(keyedCreate, { agent_id: "a1", session_id: "sess-1", input: "hi" })
      .catch((e: unknown) => e)) as OutcomeUnknownError;
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error.status).toBe(502);
    expect(server.requests.map((request) => request.json)).toEqual(
      Array(3).fill({ session_id: "sess-1", input: "hi" }),
    );
  });

  it("a keyed create whose earlier attempt may have acted ends as outcome-unknown whatever the last status", async () => {
    server.queue({ drop: true }, envelope(503, "service_unavailable"), envelope(503, "service_unavailable"));
    const error = (await makeClient(server.url)
      .call(keyedCreate, { agent_id: "a1", session_id: "sess-2", input: "hi" })
      .catch((e: unknown) => e)) as OutcomeUnknownError;
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect([error.status, error.code]).toEqual([503, "service_unavailable"]);
    expect(error.message).toContain(
      "an earlier attempt reached Gumloop and its answer was lost or a 5xx; the last one ended with: " +
        "Gumloop answered 503 service_unavailable.",
    );
  });

  it("a keyed create whose every answer was lost ends as outcome-unknown, not a connection error", async () => {
    server.fallback = () => ({ drop: true });
    const error = await makeClient(server.url)
      .call(keyedCreate, { agent_id: "a1", session_id: "sess-3", input: "hi" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(server.requests).toHaveLength(3);
  });

  it("a keyed create refused at once (503, nothing done before) stays a plain error", async () => {
    server.fallback = () => envelope(503, "service_unavailable");
    const error = await makeClient(server.url)
      .call(keyedCreate, { agent_id: "a1", session_id: "sess-4" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(3);
  });
});

describe("a keyed create retried after a lost answer", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.close());

  const hint = ENDPOINTS.create_a_gumloop_session.reconcileHint!;

  it.each(["drop", "truncated"] as const)(
    "reply %s after the handler ran: the 409 says the earlier attempt made it, and stays a ConflictError",
    async (kind) => {
      const retries: string[] = [];
      const client = new GumloopClient({
        ...emulator.clientOptions(),
        sleep: recordingSleep(),
        hooks: { onRetry: (event) => retries.push(event.reason) },
      });
      emulator.faults.add({ route: "POST /agents/{agent_id}/sessions", kind, phase: "after", times: 1 });
      const session_id = `sess-lost-${kind}`;
      const error = await client
        .call(ENDPOINTS.create_a_gumloop_session, {
          agent_id: SEED_AGENTS.assistant,
          session_id,
          input: "hi",
        })
        .catch((e: unknown) => e);
      expect(retries).toEqual(["connection error"]);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).status).toBe(409);
      expect((error as ConflictError).code).toBe("session_already_exists");
      expect((error as Error).message).toContain("An earlier attempt of this call most likely created it");
      expect((error as Error).message).toContain(hint);
      // It did: the session is there.
      const read = await client.call(ENDPOINTS.get_single_gumloop_session_by_id, { session_id });
      expect(read.status).toBe(200);
    },
  );

  it("a 502 after the handler ran: the retry's 409 says the earlier attempt made it", async () => {
    const client = new GumloopClient({ ...emulator.clientOptions(), sleep: recordingSleep() });
    emulator.faults.add({
      route: "POST /agents/{agent_id}/sessions",
      kind: "status",
      status: 502,
      phase: "after",
      times: 1,
    });
    const error = await client
      .call(ENDPOINTS.create_a_gumloop_session, { agent_id: SEED_AGENTS.assistant, session_id: "sess-502" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain("An earlier attempt of this call most likely created it");
  });

  it("a 409 on the first attempt is a plain conflict (someone else's session)", async () => {
    const client = new GumloopClient({ ...emulator.clientOptions(), sleep: recordingSleep() });
    const input = { agent_id: SEED_AGENTS.assistant, session_id: "sess-taken", input: "hi" };
    await client.call(ENDPOINTS.create_a_gumloop_session, input);
    const error = await client.call(ENDPOINTS.create_a_gumloop_session, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).not.toContain("earlier attempt");
  });
});

describe("aborts", () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it("an onRequest hook that aborts the signal stops the call before anything is sent", async () => {
    const controller = new AbortController();
    server.fallback = () => ({ hang: true });
    const client = makeClient(server.url, {
      timeoutMs: 200,
      hooks: { onRequest: () => controller.abort() },
    });
    const error = await client
      .call(startPipeline, { saved_item_id: "f1" }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as Error).message).toBe("create_a_gumloop_flow_run was aborted by the caller");
    expect(server.requests).toHaveLength(0);
  });

  it("a write aborted after it was sent says it may have taken effect, with the reconcile hint", async () => {
    const controller = new AbortController();
    server.fallback = () => {
      controller.abort();
      return { hang: true };
    };
    const error = await makeClient(server.url)
      .call(startPipeline, { saved_item_id: "f1" }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as Error).message).toContain("may have taken effect");
    expect((error as Error).message).toContain(startPipeline.reconcileHint!);
    expect(server.requests).toHaveLength(1);
  });

  it("a write without a hint gets the generic advice; a read aborted mid-flight gets none", async () => {
    const controller = new AbortController();
    server.fallback = () => {
      controller.abort();
      return { hang: true };
    };
    const write = await makeClient(server.url)
      .call(createSession, { agent_id: "a1" }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((write as Error).message).toMatch(
      /may have taken effect\. Check whether create_a_gumloop_session/,
    );

    const again = new AbortController();
    server.fallback = () => {
      again.abort();
      return { hang: true };
    };
    const read = await makeClient(server.url)
      .call(getSession, { session_id: "s1" }, { signal: again.signal })
      .catch((e: unknown) => e);
    expect(read).toBeInstanceOf(APIUserAbortError);
    expect((read as Error).message).toBe("get_single_gumloop_session_by_id was aborted by the caller");
  });

  it("a write refused before connecting (nothing sent) and then aborted in the backoff is a plain abort", async () => {
    const controller = new AbortController();
    const sleep = async () => {
      controller.abort();
      throw new Error("aborted");
    };
    const error = await makeClient(await closedPortUrl(), { sleep })
      .call(startPipeline, { saved_item_id: "f1" }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as Error).message).toBe("create_a_gumloop_flow_run was aborted by the caller");
  });
});
