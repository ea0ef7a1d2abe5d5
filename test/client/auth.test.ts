import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GumloopClient } from "../../src/client/client.js";
import { APIUserAbortError, GumloopError, GumloopValidationError } from "../../src/client/errors.js";
import { ENDPOINTS } from "../../src/tools/index.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import {
  API_KEY,
  OAUTH_TOKEN,
  TEAM_ID,
  USER_ID,
  createSession,
  createSkill,
  getSession,
  makeClient,
} from "./fixtures.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe("authentication", () => {
  it("sends the personal key as Bearer and the user id as x-auth-key", async () => {
    await makeClient(server.url).call(getSession, { session_id: "sess_1" });
    const [request] = server.requests;
    expect(request!.headers["authorization"]).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers["x-auth-key"]).toBe(USER_ID);
    expect(request!.headers["accept"]).toBe("application/json");
  });

  it("sends team_id in the query for team keys, and in the body where Gumloop reads it there", async () => {
    const client = makeClient(server.url, { userId: undefined, teamId: TEAM_ID });
    await client.call(getSession, { session_id: "sess_1" });
    await client.call(createSkill, {
      files: [{ file_name: "SKILL.md", content: "---\nname: a\ndescription: b\n---\n" }],
    });
    expect(server.requests[0]!.headers["x-auth-key"]).toBeUndefined();
    expect(server.requests[0]!.url.searchParams.get("team_id")).toBe(TEAM_ID);
    expect(server.requests[1]!.url.searchParams.has("team_id")).toBe(false);
    expect(server.requests[1]!.body.toString("utf8")).toContain(`name="team_id"\r\n\r\n${TEAM_ID}`);
  });

  it("never fills a configured team into an agent update (a body team_id moves the agent)", async () => {
    const client = makeClient(server.url, { teamId: TEAM_ID });
    await client.call(ENDPOINTS.update_a_gumloop_agent_by_id, { agent_id: "agt_1", name: "Renamed" });
    const [request] = server.requests;
    expect(request!.url.searchParams.has("team_id")).toBe(false);
    expect(request!.json).toEqual({ name: "Renamed" });
  });

  it("refuses a flow start without a user id even when a team is configured (Gumloop requires user_id)", async () => {
    const client = makeClient(server.url, { userId: undefined, teamId: TEAM_ID });
    const refused = await client
      .call(ENDPOINTS.create_a_gumloop_flow_run, { saved_item_id: "flow_1" })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GumloopValidationError);
    expect(String((refused as Error).message)).toMatch(/user_id is required .*userId \(GUMLOOP_USER_ID\)/);
    expect(server.requests).toHaveLength(0);
    // The other flow routes take the team alone.
    await client.call(ENDPOINTS.get_single_gumloop_run_by_id, { run_id: "run_1" });
    expect(server.requests[0]!.url.searchParams.get("project_id")).toBe(TEAM_ID);
  });

  it("uses an OAuth access token as Bearer without x-auth-key", async () => {
    const client = new GumloopClient({
      accessToken: OAUTH_TOKEN,
      userId: USER_ID,
      baseUrl: server.url,
      env: {},
    });
    await client.call(getSession, { session_id: "sess_1" });
    expect(server.requests[0]!.headers["authorization"]).toBe(`Bearer ${OAUTH_TOKEN}`);
    expect(server.requests[0]!.headers["x-auth-key"]).toBeUndefined();
  });

  it("fails at construction without a key, naming the variable to set", () => {
    expect(() => new GumloopClient({ env: {} })).toThrow(GumloopError);
    expect(() => new GumloopClient({ env: {} })).toThrow(/GUMLOOP_API_KEY/);
  });

  it("reads key, user, team and base URL from the environment", async () => {
    const client = new GumloopClient({
      env: {
        GUMLOOP_API_KEY: API_KEY,
        GUMLOOP_USER_ID: USER_ID,
        GUMLOOP_TEAM_ID: TEAM_ID,
        GUMLOOP_BASE_URL: server.url,
      },
    });
    expect(client.baseUrl).toBe(server.url);
    await client.call(createSession, { agent_id: "agent_1", input: "hi" });
    const [request] = server.requests;
    expect(request!.headers["x-auth-key"]).toBe(USER_ID);
    expect(request!.url.searchParams.get("team_id")).toBe(TEAM_ID);
  });

  it("defaults to Gumloop's hosts and derives the stream host from an api. base URL", () => {
    const plain = new GumloopClient({ apiKey: API_KEY, env: {} });
    expect(plain.baseUrl).toBe("https://api.gumloop.com/api/v1");
    expect(plain.streamBaseUrl).toBe("https://ws.gumloop.com/api/v1");
    const staging = new GumloopClient({
      apiKey: API_KEY,
      env: {},
      baseUrl: "https://api.staging.example/api/v1",
    });
    expect(staging.streamBaseUrl).toBe("https://ws.staging.example/api/v1");
  });

  it("never exposes the key or user id as a readable property", () => {
    const client = makeClient(server.url);
    const shown = JSON.stringify(client) + Object.values(client).join(" ");
    expect(shown).not.toContain(API_KEY);
    expect(shown).not.toContain(USER_ID);
    expect(client.hasUserId).toBe(true);
  });
});

describe("OAuth token function", () => {
  /** A provider that hands out tok_1, tok_2, … and records how it was asked. */
  function tokenProvider() {
    const asked: boolean[] = [];
    const provider = async ({ refresh }: { refresh: boolean }) => {
      asked.push(refresh);
      return `oauth_tok_${asked.length}_abcdef`;
    };
    return { asked, provider };
  }
  const refusedOnce = (request: { headers: Record<string, unknown> }) =>
    request.headers["authorization"] === "Bearer oauth_tok_1_abcdef"
      ? { status: 401, body: { error: "invalid_token", message: "token oauth_tok_1_abcdef expired" } }
      : { status: 200, body: { session: { id: "s1" } } };

  it("asks once, caches the token for later calls, and sends no x-auth-key", async () => {
    const { asked, provider } = tokenProvider();
    const client = new GumloopClient({
      accessToken: provider,
      userId: USER_ID,
      baseUrl: server.url,
      env: {},
    });
    await Promise.all([1, 2, 3].map(() => client.call(getSession, { session_id: "s1" })));
    await client.call(getSession, { session_id: "s1" });
    expect(asked).toEqual([false]);
    expect(server.requests.map((r) => r.headers["authorization"])).toEqual(
      Array(4).fill("Bearer oauth_tok_1_abcdef"),
    );
    expect(server.requests[0]!.headers["x-auth-key"]).toBeUndefined();
  });

  it("after a 401 refreshes once and repeats the call, even a write, outside the retry budget", async () => {
    const { asked, provider } = tokenProvider();
    server.fallback = refusedOnce;
    const retries: string[] = [];
    const client = new GumloopClient({
      accessToken: provider,
      baseUrl: server.url,
      env: {},
      maxRetries: 0,
      hooks: { onRetry: (event) => retries.push(event.reason) },
    });
    const response = await client.call(createSession, { agent_id: "a1", input: "hi" });
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    expect(asked).toEqual([false, true]);
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(server.requests[1]!.headers["authorization"]).toBe("Bearer oauth_tok_2_abcdef");
    expect(retries).toEqual(["status 401, access token refreshed"]);
  });

  it("concurrent calls refused together share one refresh", async () => {
    const { asked, provider } = tokenProvider();
    server.fallback = refusedOnce;
    const client = new GumloopClient({ accessToken: provider, baseUrl: server.url, env: {} });
    await Promise.all([1, 2, 3, 4].map(() => client.call(getSession, { session_id: "s1" })));
    expect(asked).toEqual([false, true]);
  });

  it("a second 401 is thrown, and neither token appears in the error", async () => {
    const { provider } = tokenProvider();
    server.fallback = (request) => ({
      status: 401,
      body: { error: "invalid_token", message: `bad token ${String(request.headers["authorization"])}` },
    });
    const client = new GumloopClient({ accessToken: provider, baseUrl: server.url, env: {} });
    const error = await client.call(getSession, { session_id: "s1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GumloopError);
    expect((error as GumloopError & { status: number }).status).toBe(401);
    expect(server.requests).toHaveLength(2);
    const shown = JSON.stringify({ message: (error as Error).message, error });
    expect(shown).not.toMatch(/oauth_tok_/);
  });

  it("a provider that never answers does not hang the call: the caller's abort ends it", async () => {
    const client = new GumloopClient({
      accessToken: () => new Promise<string>(() => {}),
      baseUrl: server.url,
      env: {},
    });
    const controller = new AbortController();
    const pending = client
      .call(getSession, { session_id: "s1" }, { signal: controller.signal })
      .catch((e: unknown) => e);
    controller.abort();
    expect(await pending).toBeInstanceOf(APIUserAbortError);
    const already = await client
      .call(getSession, { session_id: "s1" }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(already).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it("a provider that never answers fails the call at its timeout, saying so without secrets", async () => {
    const client = new GumloopClient({
      accessToken: () => new Promise<string>(() => {}),
      userId: USER_ID,
      baseUrl: server.url,
      env: {},
      timeoutMs: 20,
    });
    const error = await client.call(createSession, { agent_id: "a1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GumloopError);
    expect((error as Error).message).toBe(
      "create_a_gumloop_session failed: the accessToken function did not return a token within 20 ms, so " +
        "nothing was sent. Check the token provider (e.g. its refresh request).",
    );
    expect(JSON.stringify({ m: (error as Error).message, error })).not.toContain(USER_ID);
    expect(server.requests).toHaveLength(0);
  });

  it("a refresh that never answers after a 401 also ends at the timeout", async () => {
    let asked = 0;
    server.fallback = () => ({ status: 401, body: { error: "invalid_token" } });
    const client = new GumloopClient({
      accessToken: () => (asked++ === 0 ? "oauth_tok_first_abcdef" : new Promise<string>(() => {})),
      baseUrl: server.url,
      env: {},
      timeoutMs: 20,
    });
    const error = await client.call(getSession, { session_id: "s1" }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/did not return a token within 20 ms/);
    expect(server.requests).toHaveLength(1);
  });

  it("a provider that fails or returns nothing gives a clear error and sends nothing", async () => {
    const failing = new GumloopClient({
      accessToken: () => {
        throw new Error("refresh token revoked");
      },
      baseUrl: server.url,
      env: {},
    });
    await expect(failing.call(getSession, { session_id: "s1" })).rejects.toThrow(
      /could not get a Gumloop access token: refresh token revoked/,
    );
    const empty = new GumloopClient({ accessToken: () => "", baseUrl: server.url, env: {} });
    await expect(empty.call(getSession, { session_id: "s1" })).rejects.toThrow(/returned no token/);
    expect(server.requests).toHaveLength(0);
  });
});
