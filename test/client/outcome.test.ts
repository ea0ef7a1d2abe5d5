/**
 * Calls whose outcome the client cannot see: a session create (retryable through its session_id) whose answer was
 * lost meets its own 409 on the retry, and a write aborted after it was sent. Both must say the call most likely
 * (or may have) taken effect and how to check, and keep their error class.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GumloopClient } from "../../src/client/client.js";
import { APIUserAbortError, ConflictError } from "../../src/client/errors.js";
import { SEED_AGENTS, type Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { ENDPOINTS } from "../../src/tools/index.js";
import { closedPortUrl, startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import { createSession, getSession, makeClient, recordingSleep, startPipeline } from "./fixtures.js";

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
