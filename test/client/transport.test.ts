/**
 * The two transports behave alike: the built-in node:http one (the default) and an injected `fetch`. Every case
 * runs through both against a real local server, so a difference between them is a failing test, not a surprise
 * in production.
 */
import { spawn } from "node:child_process";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RequestDefinition } from "../../src/client/definition.js";
import type { BinaryBody } from "../../src/client/decode.js";
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  BadRequestError,
  NotFoundError,
} from "../../src/client/errors.js";
import type { GumloopClientOptions } from "../../src/client/types.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import { API_KEY, USER_ID, createSession, createSkill, getSession, makeClient } from "./fixtures.js";

const transports: [string, GumloopClientOptions][] = [
  ["node:http (default)", {}],
  ["injected fetch", { fetch: globalThis.fetch }],
];
const session = { session: { id: "s1", state: "completed", note: "naïve ☕" } };
const download: RequestDefinition = { name: "download_file", route: "GET /files/{file_id}", accept: "*/*" };

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe.each(transports)("transport: %s", (_name, options) => {
  const client = () => makeClient(server.url, { maxRetries: 0, ...options });

  it("sends the method, path, credentials and accept header, and decodes JSON", async () => {
    server.queue({ status: 200, body: session, headers: { "x-request-id": "req_1" } });
    const response = await client().call(getSession, { session_id: "s1" });
    expect(response).toMatchObject({ status: 200, format: "json", data: session, requestId: "req_1" });
    const [request] = server.requests;
    expect(request!.method).toBe("GET");
    expect(request!.url.pathname).toBe("/api/v1/sessions/s1");
    expect(request!.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      "x-auth-key": USER_ID,
      accept: "application/json",
    });
    if (!options.fetch)
      expect(request!.headers["user-agent"]).toMatch(/^langchain-gumloop\/\d+\.\d+\.\d+ node\//);
  });

  it("sends a JSON body with its content type and length", async () => {
    await client().call(createSession, { agent_id: "a1", input: "hello" });
    const [request] = server.requests;
    expect(request!.method).toBe("POST");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(Number(request!.headers["content-length"])).toBe(request!.body.length);
    expect(request!.json).toEqual({ input: "hello" });
  });

  it("sends multipart uploads with a boundary and the file bytes", async () => {
    const skill = "---\nname: notes\ndescription: Takes notes\n---\nBody";
    await client().call(createSkill, { files: [{ file_name: "SKILL.md", content: skill }], team_id: "t1" });
    const [request] = server.requests;
    expect(request!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const text = request!.body.toString("utf8");
    expect(text).toContain('filename="SKILL.md"');
    expect(text).toContain(skill);
    expect(text).toContain('name="team_id"');
  });

  it.each([
    ["gzip", "gzip", gzipSync],
    ["deflate (zlib-wrapped)", "deflate", deflateSync],
    ["deflate (raw, as some servers send it)", "deflate", deflateRawSync],
    ["br", "br", brotliCompressSync],
  ] as const)("decompresses a %s body", async (_label, encoding, compress) => {
    server.queue({
      status: 200,
      headers: { "content-type": "application/json", "content-encoding": encoding },
      body: new Uint8Array(compress(Buffer.from(JSON.stringify(session)))),
    });
    expect((await client().call(getSession, { session_id: "s1" })).data).toEqual(session);
  });

  it.each(["gzip", "deflate", "br"])(
    "reads an empty body labelled %s as empty, on a 2xx and on an error status",
    async (encoding) => {
      const headers = { "content-type": "application/json", "content-encoding": encoding };
      server.queue({ status: 200, headers }, { status: 400, headers });
      expect(await client().call(createSession, { agent_id: "a1" })).toMatchObject({
        status: 200,
        format: "empty",
        data: null,
      });
      const error = await client()
        .call(createSession, { agent_id: "a1" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).status).toBe(400);
    },
  );

  it("drops a UTF-8 byte-order mark before parsing JSON", async () => {
    server.queue({
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
      body: `\uFEFF${JSON.stringify(session)}`,
    });
    expect((await client().call(getSession, { session_id: "s1" })).data).toEqual(session);
  });

  it("returns binary bodies as bytes with their name, CSV as text and 204 as empty", async () => {
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 255, 7]);
    server.queue(
      {
        status: 200,
        headers: { "content-type": "application/zip", "content-disposition": 'attachment; filename="a.zip"' },
        body: bytes,
      },
      { status: 200, headers: { "content-type": "text/csv" }, body: "a,b\n1,2\n" },
      { status: 204 },
    );
    const binary = await client().call(download, { file_id: "f1" });
    expect(binary.format).toBe("binary");
    expect([...(binary.data as BinaryBody).bytes]).toEqual([...bytes]);
    expect((binary.data as BinaryBody).filename).toBe("a.zip");
    expect(await client().call(download, { file_id: "f2" })).toMatchObject({
      format: "text",
      data: "a,b\n1,2\n",
    });
    expect(await client().call(download, { file_id: "f3" })).toMatchObject({ format: "empty", data: null });
    expect(server.requests[0]!.headers.accept).toBe("*/*");
  });

  it("reads rate-limit headers and error bodies the same way", async () => {
    server.queue({
      status: 404,
      headers: { "ratelimit-limit": "100", "ratelimit-remaining": "7", "ratelimit-reset": "30" },
      body: { error: "session_not_found", message: "No session s9" },
    });
    const error = await client()
      .call(getSession, { session_id: "s9" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toContain("No session s9");
    expect((error as NotFoundError).rateLimit).toEqual({
      limit: 100,
      remaining: 7,
      resetMs: 30_000,
      retryAfterMs: null,
    });
  });

  it("does not follow redirects: a 3xx is the answer", async () => {
    server.queue({ status: 302, headers: { location: `${server.url}/sessions/elsewhere` } });
    const error = await client()
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(302);
    expect(server.requests).toHaveLength(1);
  });
});

describe.each(transports)("transport failures: %s", (_name, options) => {
  // A server of their own, so no connection pooled by an earlier test counts as open.
  it("reports a connection cut mid-body as a connection error", async () => {
    const cutting = await startRecordingServer();
    cutting.queue({ cutMidBody: true });
    try {
      const error = await makeClient(cutting.url, { maxRetries: 0, ...options })
        .call(getSession, { session_id: "s1" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionError);
    } finally {
      await cutting.close();
    }
  });

  it("cancels on abort (the built-in transport also closes the socket at once)", async () => {
    const cutting = await startRecordingServer();
    cutting.queue({ hang: true });
    try {
      const controller = new AbortController();
      const pending = makeClient(cutting.url, { maxRetries: 0, ...options })
        .call(getSession, { session_id: "s1" }, { signal: controller.signal })
        .catch((e: unknown) => e);
      await expect.poll(() => cutting.openConnections).toBe(1);
      controller.abort();
      expect(await pending).toBeInstanceOf(APIUserAbortError);
      // Node's fetch (undici) keeps the aborted connection open for a while; node:http destroys it.
      if (!options.fetch) await expect.poll(() => cutting.openConnections).toBe(0);
    } finally {
      await cutting.close();
    }
  });
});

describe("built-in transport connection pool", () => {
  it("an idle pooled connection does not keep the process alive", { timeout: 90_000 }, async () => {
    // The server would keep the idle connection open for a minute and the pool closes idle sockets after 4 s; the
    // child must exit at once, so neither a referenced socket nor the pool's idle timer may hold it.
    const patient = await startRecordingServer({ keepAliveMs: 60_000 });
    try {
      const child = spawn(process.execPath, [
        "--import",
        "tsx",
        new URL("./idleChild.ts", import.meta.url).pathname,
        patient.url,
      ]);
      let out = "";
      child.stdout.on("data", (chunk) => (out += chunk));
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(code).toBe(0);
      const [status, livedAfterResponseMs] = out.split(" ");
      expect(status).toBe("200");
      expect(patient.requests).toHaveLength(1);
      expect(Number(livedAfterResponseMs)).toBeLessThan(2_000);
    } finally {
      await patient.close();
    }
  });
});
