/**
 * Hostile request bodies: secrets in bodies never reach the request log, absurdly nested JSON is a 400 (not a
 * stack overflow and a 500), and an oversized body gets a 413 rather than a connection reset.
 */
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/index.js";
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from "../src/server/body.js";
import { SEED_FLOWS } from "../src/areas/flows/seed.js";
import { SEED_SKILLS } from "../src/areas/skills/store.js";
import { call, expectError, startTestEmulator } from "./helpers.js";

let emulator: Emulator;
afterEach(() => emulator?.close());

const lastLog = () => emulator.requests[emulator.requests.length - 1]!;

describe("request log masking", () => {
  it("masks secret keys in JSON bodies at any depth, and api_key in the query", async () => {
    ({ emulator } = await startTestEmulator());
    const res = await call(emulator, "POST", "/start_pipeline", {
      auth: "none",
      query: { api_key: emulator.apiKey },
      body: {
        user_id: emulator.userId,
        saved_item_id: SEED_FLOWS.summarize,
        url: "https://example.com/a",
        openai_token: "sk-live-SECRET",
        api_key: "gl_SECRET_IN_BODY",
        nested: [
          { credentials: { access_token: "at-SECRET", client_password: "pw-SECRET", keep: "visible" } },
        ],
      },
    });
    expect(res.status).toBe(200);
    const entry = lastLog();
    expect(entry.query).toEqual({ api_key: "[REDACTED]" });
    expect(entry.body).toEqual({
      user_id: emulator.userId,
      saved_item_id: SEED_FLOWS.summarize,
      url: "https://example.com/a",
      openai_token: "[REDACTED]",
      api_key: "[REDACTED]",
      nested: [
        { credentials: { access_token: "[REDACTED]", client_password: "[REDACTED]", keep: "visible" } },
      ],
    });
    expect(JSON.stringify(emulator.requests)).not.toMatch(/SECRET/);
  });

  it("masks form bodies, and bodies of requests that failed before parsing", async () => {
    ({ emulator } = await startTestEmulator());
    const form = `user_id=${emulator.userId}&saved_item_id=${SEED_FLOWS.summarize}&url=https://a.b/c&api_key=gl_FORM_SECRET&password=hunter2`;
    await call(emulator, "POST", "/start_pipeline", {
      rawBody: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(lastLog().body).toMatchObject({
      api_key: "[REDACTED]",
      password: "[REDACTED]",
      url: "https://a.b/c",
    });
    // A bad key: 401 before the body is parsed; the logged raw text is masked all the same.
    const denied = await call(emulator, "POST", "/agents", {
      auth: "none",
      headers: { authorization: "Bearer nope" },
      body: { name: "x", openai_token: "sk-RAW-SECRET" },
    });
    expect(denied.status).toBe(401);
    expect(lastLog().body).toBe('{"name":"x","openai_token":"[REDACTED]"}');
    expect(JSON.stringify(emulator.requests)).not.toMatch(/SECRET|hunter2/);
  });

  it("masks the signature of a storage URL in the logged query", async () => {
    ({ emulator } = await startTestEmulator());
    const link = await call(emulator, "GET", `/skills/${SEED_SKILLS.leadEnrichment}/download`);
    const url = new URL(link.body.download_url);
    expect((await fetch(url)).status).toBe(200);
    expect(lastLog().host).toBe("storage");
    expect(lastLog().query).toEqual({ expires: url.searchParams.get("expires"), signature: "[REDACTED]" });
  });
});

describe("JSON nesting limit", () => {
  const nested = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

  it("answers 400 invalid_request for a body nested too deep, and keeps serving", async () => {
    ({ emulator } = await startTestEmulator());
    const res = await call(emulator, "POST", "/agents", {
      rawBody: `{"name":"x","model_name":"gpt-4o","metadata":${nested(20_000)}}`,
      headers: { "content-type": "application/json" },
    });
    expectError(res, 400, "invalid_request");
    expect(res.body.error.message).toMatch(new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`));
    expect((await call(emulator, "GET", "/agents")).status).toBe(200);
    // The same without a content type (parsed as JSON leniently).
    const untyped = await call(emulator, "POST", "/agents/agtAssistant002/sessions", {
      rawBody: `{"metadata":${nested(5_000)}}`,
    });
    expectError(untyped, 400, "invalid_request");
  });

  it("accepts nesting up to the limit", async () => {
    ({ emulator } = await startTestEmulator());
    const res = await call(emulator, "POST", "/agents", {
      rawBody: `{"name":"x","model_name":"gpt-4o","metadata":${nested(MAX_JSON_DEPTH - 1)}}`,
      headers: { "content-type": "application/json" },
    });
    expect(res.status, res.text).toBe(201);
  });
});

describe("oversized bodies", () => {
  /** Sends `total` bytes to /upload_file (declaring them or chunked) until the server answers or drops. */
  function upload(
    total: number,
    declare: boolean,
  ): Promise<{ status: number; connection?: string; body: string } | { cut: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${emulator.apiKey}`,
        "content-type": "application/json",
      };
      if (declare) headers["content-length"] = String(total);
      const req = http.request(`${emulator.url}/upload_file`, { method: "POST", headers }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      });
      // Once the server has answered and closed, further writes fail with EPIPE: expected, not a failure. The
      // server stops reading mid-upload, so TCP may also cut the connection (EPIPE / ECONNRESET) before the client
      // has read the 413: that is a valid outcome too, reported as `cut`.
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (answered) return;
        if (error.code === "EPIPE" || error.code === "ECONNRESET") resolve({ cut: error.code });
        else reject(error);
      });
      let answered = false;
      req.on("response", () => (answered = true));
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (!answered && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
  }

  it("413 with connection: close at once when content-length is over the limit", async () => {
    ({ emulator } = await startTestEmulator());
    // Declares more than the limit but sends ~nothing: the answer must not wait for the body.
    const res = await new Promise<{ status: number; connection?: string; body: string }>(
      (resolve, reject) => {
        const req = http.request(`${emulator.url}/upload_file`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${emulator.apiKey}`,
            "content-type": "application/json",
            "content-length": String(MAX_BODY_BYTES + 1),
          },
        });
        req.on("response", (r) => {
          let body = "";
          r.on("data", (c) => (body += c));
          r.on("end", () => resolve({ status: r.statusCode!, connection: r.headers.connection, body }));
        });
        req.on("error", reject);
        req.write("{");
      },
    );
    expect(res.status).toBe(413);
    expect(res.connection).toBe("close");
    expect(JSON.parse(res.body).error.code).toBe("payload_too_large");
  }, 10_000);

  it("413 then close when a chunked body passes the limit", async () => {
    ({ emulator } = await startTestEmulator());
    const res = await upload(MAX_BODY_BYTES + 8 * 1024 * 1024, false);
    if ("status" in res) {
      expect(res.status).toBe(413);
      expect(res.connection).toBe("close");
    }
    // Whether or not the client read it before the cut, the server answered 413 (and stopped buffering).
    await expect.poll(() => emulator.requests.map((e) => e.status)).toEqual([413]);
  }, 60_000);
});
