/**
 * The API key, the user id and the OAuth token must not appear in any error the client produces: not in the
 * message, not in an enumerable field, not in the cause chain, not in hook payloads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GumloopClient } from "../../src/client/client.js";
import { closedPortUrl, startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import {
  API_KEY,
  OAUTH_TOKEN,
  USER_ID,
  auditLogs,
  everything,
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

describe("secret hygiene", () => {
  it("keeps the key, user id and token out of every error and hook payload", async () => {
    // Each client can only hide what it knows: the key client its key and user id, the OAuth client its token.
    const echo = `key=${API_KEY} user=${USER_ID}`;
    const hookPayloads: unknown[] = [];
    const hooks = {
      onRequest: (e: unknown) => hookPayloads.push(e),
      onResponse: (e: unknown) => hookPayloads.push(e),
      onRetry: (e: unknown) => hookPayloads.push(e),
    };
    const client = makeClient(server.url, { hooks, maxRetries: 1 });
    const oauth = new GumloopClient({
      accessToken: OAUTH_TOKEN,
      userId: USER_ID,
      baseUrl: server.url,
      env: {},
      sleep: recordingSleep(),
      hooks,
    });
    const errors: unknown[] = [];
    const capture = (promise: Promise<unknown>) =>
      promise.then(
        () => errors.push(new Error("expected a failure")),
        (e) => errors.push(e),
      );

    // The server echoes the secrets back in every shape of error body.
    server.queue(
      {
        status: 400,
        body: {
          error: {
            code: "bad",
            message: echo,
            type: "invalid_request_error",
            param: null,
            details: { user_id: USER_ID, echo },
          },
        },
      },
      { status: 403, body: { error: "policy_denied", denied_keys: [API_KEY], user: USER_ID } },
      { status: 500, headers: { "content-type": "text/plain" }, body: echo },
      { status: 500, headers: { "content-type": "text/plain" }, body: echo },
      { status: 429, headers: { "retry-after": "1" }, body: { error: { code: "rate", message: echo } } },
      { drop: true },
      { hang: true },
      {
        status: 401,
        body: { error: { code: "unauthorized", message: `bad token ${OAUTH_TOKEN} for ${USER_ID}` } },
      },
    );
    await capture(client.call(getSession, { session_id: "s1" }));
    await capture(client.call(auditLogs, { organization_id: "o1" }));
    await capture(client.call(getSession, { session_id: "s1" }));
    await capture(client.call(getSession, { session_id: "s1" }));
    await capture(client.call(startPipeline, { saved_item_id: "f1" }));
    await capture(
      makeClient(server.url, { hooks, timeoutMs: 20 }).call(startPipeline, { saved_item_id: "f1" }),
    );
    await capture(oauth.call(getSession, { session_id: "s1" }));
    await capture(client.call(getSession, { session_id: "../etc" }));
    await capture(
      makeClient(await closedPortUrl(), { maxRetries: 0 }).call(auditLogs, { organization_id: "o1" }),
    );
    await capture(client.download(`https://evil.example/x?X-Goog-Signature=${API_KEY}`));

    expect(errors).toHaveLength(10);
    for (const error of errors) {
      const text = everything(error);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(USER_ID);
      expect(text).not.toContain(OAUTH_TOKEN);
    }
    const hookText = JSON.stringify(hookPayloads);
    expect(hookPayloads.length).toBeGreaterThan(5);
    expect(hookText).not.toContain(API_KEY);
    expect(hookText).not.toContain(USER_ID);
    expect(hookText).not.toContain(OAUTH_TOKEN);
    expect(hookText).toContain("[REDACTED]");
  });
});
