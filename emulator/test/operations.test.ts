/** The emulator's operational controls: fault injection, the rate-limit option, the request log, admin routes. */
import { describe, expect, it } from "vitest";
import { SEED_AGENTS } from "../src/index.js";
import { authHeaders, call, expectError } from "./helpers.js";
import { clock, emulator, start } from "./fixture.js";

describe("fault injection", () => {
  it("status: answers with the status, the envelope and given headers, `times` then stops", async () => {
    await start();
    const id = emulator.faults.add({
      route: "GET /agents/{agent_id}",
      kind: "status",
      status: 503,
      headers: { "Retry-After": "2" },
      times: 1,
    });
    expect(emulator.faults.list()).toMatchObject([{ id, remaining: 1, hits: 0 }]);
    const faulted = await call(emulator, "GET", `/agents/${SEED_AGENTS.research}`);
    expectError(faulted, 503, "service_unavailable");
    expect(faulted.headers.get("retry-after")).toBe("2");
    expect(faulted.headers.get("x-request-id")).toBeTruthy();
    expect((await call(emulator, "GET", `/agents/${SEED_AGENTS.research}`)).status).toBe(200);
    expect(emulator.faults.list()).toEqual([]);
  });

  it("applies before auth and only to the matching method and route", async () => {
    await start();
    emulator.faults.add({ route: "GET /agents", kind: "status", status: 429 });
    expectError(await call(emulator, "GET", "/agents", { auth: "none" }), 429);
    expect((await call(emulator, "GET", `/agents/${SEED_AGENTS.research}`)).status).toBe(200);
    expect((await call(emulator, "POST", "/agents", { body: { name: "x", model_name: "m" } })).status).toBe(
      201,
    );
    emulator.faults.clear();
    emulator.faults.add({ route: "*", kind: "status", status: 500 });
    expectError(await call(emulator, "GET", "/sessions/anything"), 500);
    expect(emulator.faults.remove(emulator.faults.list()[0]!.id)).toBe(true);
    expect(emulator.faults.remove("fault_999")).toBe(false);
  });

  it("latency: delays the answer by real milliseconds", async () => {
    await start();
    emulator.faults.add({ route: "GET /agents", kind: "latency", latencyMs: 30 });
    const t0 = performance.now();
    expect((await call(emulator, "GET", "/agents")).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it("hang: never answers (the caller's timeout fires) and close() still completes", async () => {
    await start();
    emulator.faults.add({ route: "GET /agents", kind: "hang" });
    await expect(call(emulator, "GET", "/agents", { signal: AbortSignal.timeout(30) })).rejects.toThrow(
      /abort|timeout/i,
    );
    expect((await call(emulator, "GET", `/agents/${SEED_AGENTS.research}`)).status).toBe(200);
  });

  it("malformed: 200 with a JSON content type and a body that does not parse", async () => {
    await start();
    emulator.faults.add({ route: "GET /sessions/{session_id}", kind: "malformed" });
    const res = await fetch(`${emulator.url}/sessions/sess_x`, { headers: authHeaders(emulator) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    await expect(res.json()).rejects.toThrow();
  });

  it("truncated: declares a longer content-length and cuts the body short", async () => {
    await start();
    emulator.faults.add({ route: "GET /agents", kind: "truncated" });
    const res = await fetch(`${emulator.url}/agents`, { headers: authHeaders(emulator) });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it("drop: destroys the connection without a response", async () => {
    await start();
    emulator.faults.add({ route: "GET /agents", kind: "drop" });
    await expect(fetch(`${emulator.url}/agents`, { headers: authHeaders(emulator) })).rejects.toThrow(
      /fetch failed/,
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(emulator.requests.at(-1)).toMatchObject({ route: "/agents", status: 0 });
  });

  it("phase after: the handler's effect happens, then its answer is spoiled", async () => {
    await start();
    emulator.faults.add({
      route: "POST /agents/{agent_id}/sessions",
      kind: "drop",
      phase: "after",
      times: 1,
    });
    await expect(
      fetch(`${emulator.url}/agents/${SEED_AGENTS.assistant}/sessions`, {
        method: "POST",
        headers: { ...authHeaders(emulator), "content-type": "application/json" },
        body: JSON.stringify({ session_id: "sess_ambiguous", input: "hi" }),
      }),
    ).rejects.toThrow();
    expect((await call(emulator, "GET", "/sessions/sess_ambiguous")).status).toBe(200);
  });

  it("probability draws from the seeded PRNG, so runs repeat", async () => {
    const pattern = async () => {
      await start({ seed: 7 });
      emulator.faults.add({ route: "GET /agents", kind: "status", status: 502, probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await call(emulator, "GET", "/agents")).status);
      await emulator.close();
      return statuses;
    };
    const first = await pattern();
    expect(first).toEqual(await pattern());
    expect(first).toContain(502);
    expect(first).toContain(200);
  });

  it("rejects invalid fault specs", async () => {
    await start();
    expect(() => emulator.faults.add({ route: "*", kind: "explode" as never })).toThrow(TypeError);
    expect(() => emulator.faults.add({ route: "*", kind: "status", status: 99 })).toThrow(TypeError);
    expect(() => emulator.faults.add({ route: "*", kind: "status", probability: 2 })).toThrow(TypeError);
    expect(() => emulator.faults.add({ route: "", kind: "drop" })).toThrow(TypeError);
  });
});

describe("rate limit option", () => {
  it("429s past the limit with Retry-After and IETF RateLimit headers (reset in delta seconds)", async () => {
    await start({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const first = await call(emulator, "GET", "/agents");
    expect(first.headers.get("ratelimit-limit")).toBe("2");
    expect(first.headers.get("ratelimit-remaining")).toBe("1");
    expect(first.headers.get("ratelimit-reset")).toBe("60");
    expect(first.headers.get("ratelimit-policy")).toBe("2;w=60");
    await clock.advance(15_000);
    expect((await call(emulator, "GET", "/agents")).headers.get("ratelimit-remaining")).toBe("0");
    const limited = await call(emulator, "GET", "/agents");
    expectError(limited, 429, "rate_limit_exceeded");
    expect(limited.headers.get("retry-after")).toBe("45");
    expect(limited.headers.get("ratelimit-reset")).toBe("45");
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    await clock.advance(45_000);
    expect((await call(emulator, "GET", "/agents")).status).toBe(200);
  });

  it("adds real latency to every response with latencyMs", async () => {
    await start({ latencyMs: 20 });
    const t0 = performance.now();
    await call(emulator, "GET", "/agents");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
  });
});

describe("request log", () => {
  it("records each request with route pattern, clock time, query, masked headers, parsed body and status", async () => {
    await start();
    await clock.advance(1_234);
    await call(emulator, "POST", `/agents/${SEED_AGENTS.assistant}/sessions`, {
      query: { team_id: emulator.teamId, tag: "a" },
      headers: { cookie: "session=secret" },
      body: { input: "logged" },
    });
    const entry = emulator.requests.at(-1)!;
    expect(entry).toMatchObject({
      id: expect.stringMatching(/^req_/),
      time: clock.now(),
      method: "POST",
      path: `/api/v1/agents/${SEED_AGENTS.assistant}/sessions`,
      route: "/agents/{agent_id}/sessions",
      host: "api",
      query: { team_id: emulator.teamId, tag: "a" },
      body: { input: "logged" },
      status: 202,
    });
    expect(entry.headers.authorization).toBe("[REDACTED]");
    expect(entry.headers["x-auth-key"]).toBe("[REDACTED]");
    expect(entry.headers.cookie).toBe("[REDACTED]");
    expect(entry.headers["content-type"]).toBe("application/json");
    expect(JSON.stringify(emulator.requests)).not.toContain(emulator.apiKey);
    emulator.clearRequests();
    expect(emulator.requests).toEqual([]);
  });

  it("summarises multipart bodies and keeps unparsable ones as text", async () => {
    await start();
    const form = new FormData();
    form.append("team_id", emulator.teamId);
    form.append("files", new Blob(["---\nname: x\n---\n"], { type: "text/markdown" }), "SKILL.md");
    await fetch(`${emulator.url}/agents`, { method: "POST", headers: authHeaders(emulator), body: form });
    expect(emulator.requests.at(-1)!.body).toEqual({
      fields: { team_id: emulator.teamId },
      files: [{ field: "files", filename: "SKILL.md", mediaType: "text/markdown", size: 16 }],
    });
    await call(emulator, "POST", "/agents", {
      rawBody: "{oops",
      headers: { "content-type": "application/json" },
    });
    expect(emulator.requests.at(-1)).toMatchObject({ body: "{oops", status: 400 });
  });
});

describe("admin routes", () => {
  it("are off by default", async () => {
    await start();
    expect((await fetch(`${emulator.origin}/__emulator/requests`)).status).toBe(404);
  });

  it("add and clear faults, read the log, advance the clock and inspect over HTTP", async () => {
    await start({ admin: true });
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${emulator.origin}/__emulator${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? null : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

    const added = await admin("POST", "/faults", {
      route: "GET /agents",
      kind: "status",
      status: 500,
      times: 1,
    });
    expect(added.status).toBe(201);
    expect((await admin("GET", "/faults")).body.faults).toHaveLength(1);
    expectError(await call(emulator, "GET", "/agents"), 500);
    expect((await admin("POST", "/faults", { route: "*", kind: "nope" })).status).toBe(400);
    await admin("POST", "/faults", { route: "*", kind: "drop" });
    expect((await admin("DELETE", "/faults")).body).toEqual({ cleared: 1 });

    const log = await admin("GET", "/requests");
    expect(log.body.requests.map((r: { route: string }) => r.route)).toEqual(["/agents"]);
    const before = clock.now();
    expect((await admin("POST", "/clock/advance", { ms: 5_000 })).body).toEqual({ now: before + 5_000 });
    expect((await admin("POST", "/clock/advance", { ms: "soon" })).status).toBe(400);
    expect((await admin("GET", "/inspect")).body.agents.total).toBe(6);
    await admin("DELETE", "/requests");
    expect((await admin("GET", "/requests")).body.requests).toEqual([]);
  });
});
