import { describe, expect, it } from "vitest";
import { legacyScope, type Principal } from "../src/server/auth.js";
import { errorType } from "../src/server/errors.js";
import { seedIdentity } from "../src/world/identity.js";
import { SEED_AGENTS } from "../src/index.js";
import { resolveOptions } from "../src/options.js";
import { Store } from "../src/world/store.js";
import { call, expectError, startTestEmulator } from "./helpers.js";
import { clock, emulator, start } from "./fixture.js";

describe("startEmulator", () => {
  it("exposes URLs on one port, credentials, and the storage host", async () => {
    await start();
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(emulator.streamUrl).toBe(emulator.url.replace("/api/v1", "/ws/api/v1"));
    expect(emulator.host).toBe(new URL(emulator.url).host);
    expect(emulator.storageHosts).toEqual([emulator.host]);
    expect(emulator.otherUser.userId).not.toBe(emulator.userId);
    expect(emulator.clock).toBe(clock);
  });

  it("accepts credential overrides and rejects bad options", async () => {
    await start({ apiKey: "my_key", userId: "user_me", teamId: "team_me" });
    const res = await call(emulator, "GET", "/agents", {
      auth: "none",
      headers: { authorization: "Bearer my_key", "x-auth-key": "user_me" },
    });
    expect(res.status).toBe(200);
    expect(emulator.teamId).toBe("team_me");
    await expect(startTestEmulator({ plan: "gold" as never })).rejects.toThrow(TypeError);
    await expect(startTestEmulator({ rateLimit: { limit: 0, windowMs: 1 } })).rejects.toThrow(TypeError);
  });

  it("close() resolves and refuses further connections", async () => {
    await start();
    await emulator.close();
    await emulator.close(); // idempotent
    await expect(fetch(`${emulator.url}/agents`)).rejects.toThrow();
  });
});

describe("every response", () => {
  it("carries content-type and a unique x-request-id, errors included", async () => {
    await start();
    const results = [
      await call(emulator, "GET", "/agents"),
      await call(emulator, "GET", "/agents", { auth: "none" }),
      await call(emulator, "GET", "/no/such/route"),
      await fetch(`${emulator.origin}/elsewhere`).then(async (r) => ({
        headers: r.headers,
        status: r.status,
      })),
    ];
    const ids = results.map((r) => r.headers.get("x-request-id"));
    expect(new Set(ids).size).toBe(4);
    for (const r of results) {
      expect(r.headers.get("content-type")).toContain("application/json");
      expect(r.headers.get("x-request-id")).toMatch(/^req_\d+$/);
    }
  });

  it("answers unknown routes with 404 and wrong methods with 405, in the envelope", async () => {
    await start();
    expectError(await call(emulator, "GET", "/nothing-here"), 404, "not_found");
    const wrongMethod = await call(emulator, "DELETE", "/agents");
    expectError(wrongMethod, 405, "method_not_allowed");
    expect(wrongMethod.headers.get("allow")).toContain("GET");
  });

  it("answers malformed JSON with 400 invalid_request", async () => {
    await start();
    const res = await call(emulator, "POST", "/agents", {
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expectError(res, 400, "invalid_request");
    expect(res.body.error.param).toBeNull();
    expect(res.body.error.details).toEqual({});
  });

  it("maps statuses to Gumloop's error types", () => {
    expect([401, 403, 404, 429, 500, 502, 400, 409, 413].map(errorType)).toEqual([
      "authentication_error",
      "permission_error",
      "not_found_error",
      "rate_limit_error",
      "api_error",
      "api_error",
      "invalid_request_error",
      "invalid_request_error",
      "invalid_request_error",
    ]);
  });
});

describe("authentication (gumloop-api.md 3.2)", () => {
  it("401s a missing key, an unknown key and a non-Bearer header", async () => {
    await start();
    expectError(await call(emulator, "GET", "/agents", { auth: "none" }), 401);
    expectError(
      await call(emulator, "GET", "/agents", {
        auth: "none",
        headers: { authorization: "Bearer nope", "x-auth-key": emulator.userId },
      }),
      401,
      "invalid_api_key",
    );
    expectError(
      await call(emulator, "GET", "/agents", {
        auth: "none",
        headers: { authorization: `Basic ${emulator.apiKey}` },
      }),
      401,
    );
  });

  it("401s a personal key without x-auth-key or with another user's id", async () => {
    await start();
    const bearer = { authorization: `Bearer ${emulator.apiKey}` };
    expectError(
      await call(emulator, "GET", "/agents", { auth: "none", headers: bearer }),
      401,
      "missing_auth_key",
    );
    expectError(
      await call(emulator, "GET", "/agents", {
        auth: "none",
        headers: { ...bearer, "x-auth-key": emulator.otherUser.userId },
      }),
      401,
      "invalid_auth_key",
    );
  });

  it("accepts an OAuth token with Bearer only", async () => {
    await start();
    const res = await call(emulator, "GET", `/agents/${SEED_AGENTS.research}`, { auth: "oauth" });
    expect(res.status).toBe(200);
  });

  it("acts for the team key's team, validating team_id and x-auth-key members", async () => {
    await start();
    const res = await call(emulator, "GET", "/agents", { auth: "team" });
    expect(res.status).toBe(200);
    expect(res.body.agents.every((a: { team_id: string }) => a.team_id === emulator.teamId)).toBe(true);
    expect(
      (await call(emulator, "GET", "/agents", { auth: "team", query: { team_id: emulator.teamId } })).status,
    ).toBe(200);
    expectError(
      await call(emulator, "GET", "/agents", { auth: "team", query: { team_id: emulator.otherUser.teamId } }),
      403,
    );
    expectError(
      await call(emulator, "GET", "/agents", {
        auth: "team",
        headers: { "x-auth-key": emulator.otherUser.userId },
      }),
      403,
    );
    expect((await call(emulator, "GET", `/agents/${SEED_AGENTS.research}`, { auth: "team" })).status).toBe(
      200,
    );
    expectError(await call(emulator, "GET", `/agents/${SEED_AGENTS.sales}`, { auth: "team" }), 403);
  });

  it("403s objects owned by another user, with permission_error", async () => {
    await start();
    expectError(await call(emulator, "GET", `/agents/${SEED_AGENTS.otherUsers}`), 403, "permission_denied");
    expect((await call(emulator, "GET", `/agents/${SEED_AGENTS.otherUsers}`, { auth: "other" })).status).toBe(
      200,
    );
  });

  it("checks legacy user_id / project_id parameters against the key", () => {
    const store = new Store();
    const identity = seedIdentity(store, resolveOptions({}));
    const personal: Principal = { kind: "personal", userId: identity.userId, teamId: null, scopes: [] };
    const team: Principal = { kind: "team", userId: identity.userId, teamId: identity.teamId, scopes: [] };
    expect(legacyScope(personal, store, { user_id: identity.userId })).toEqual({
      userId: identity.userId,
      teamId: null,
    });
    expect(legacyScope(personal, store, { project_id: identity.teamId })).toEqual({
      userId: identity.userId,
      teamId: identity.teamId,
    });
    expect(() => legacyScope(personal, store, {})).toThrow(/user_id or project_id/);
    expect(() => legacyScope(personal, store, { user_id: identity.otherUser.userId })).toThrow(
      "API key does not match",
    );
    expect(() => legacyScope(personal, store, { project_id: identity.otherUser.teamId })).toThrow(
      "API key does not match",
    );
    expect(legacyScope(team, store, { user_id: identity.userId }).userId).toBe(identity.userId);
    expect(() => legacyScope(team, store, { user_id: identity.otherUser.userId })).toThrow(
      "API key does not match",
    );
  });
});
