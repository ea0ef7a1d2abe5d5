import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  parseErrorBody,
} from "../../src/client/errors.js";
import type { BinaryBody } from "../../src/client/decode.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import { createSession, getSession, makeClient } from "./fixtures.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const envelope = (
  code: string,
  message: string,
  type = "invalid_request_error",
  param: string | null = null,
) => ({
  error: { code, message, type, param, details: { hint: "x" } },
});

describe("status to error class", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [402, APIError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [413, PayloadTooLargeError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [502, InternalServerError],
    [503, InternalServerError],
  ])("maps %i to %s", async (status, Class) => {
    server.queue({ status, body: envelope("some_code", "Something happened") });
    const error = await makeClient(server.url, { maxRetries: 0 })
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(status);
    expect((error as Error).name).toBe(Class.name);
  });
});

describe("error bodies", () => {
  it("parses Gumloop's envelope into code, type, param and details, and names the operation", async () => {
    server.queue({
      status: 409,
      headers: { "x-request-id": "req_123" },
      body: envelope(
        "session_already_exists",
        "Session sess_1 already exists",
        "invalid_request_error",
        "session_id",
      ),
    });
    const error = (await makeClient(server.url)
      .call(createSession, { agent_id: "a1", session_id: "sess_1", input: "x" })
      .catch((e: unknown) => e)) as ConflictError;
    expect(error.code).toBe("session_already_exists");
    expect(error.type).toBe("invalid_request_error");
    expect(error.param).toBe("session_id");
    expect(error.details).toEqual({ hint: "x" });
    expect(error.requestId).toBe("req_123");
    expect(error.operation).toBe("create_a_gumloop_session");
    expect(error.message).toBe(
      "create_a_gumloop_session failed: 409 session_already_exists: Session sess_1 already exists (field: session_id)",
    );
  });

  it("parses the legacy flat shape", async () => {
    server.queue({
      status: 403,
      body: { error: "tier_required_enterprise", minimum_tier: "enterprise", denied_keys: ["export"] },
    });
    const error = (await makeClient(server.url)
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e)) as PermissionDeniedError;
    expect(error.code).toBe("tier_required_enterprise");
    expect(error.details).toEqual({ minimum_tier: "enterprise", denied_keys: ["export"] });
    expect(error.message).toContain("requires the enterprise plan");
    expect(error.message).toContain("denied: export");
  });

  it("falls back to the raw text of a non-JSON body, truncated", async () => {
    server.queue({
      status: 502,
      headers: { "content-type": "text/html" },
      body: `<html>${"Bad gateway ".repeat(100)}</html>`,
    });
    const error = (await makeClient(server.url, { maxRetries: 0 })
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e)) as InternalServerError;
    expect(error.message).toMatch(/^get_single_gumloop_session_by_id failed: 502: <html>Bad gateway/);
    expect(error.message.length).toBeLessThan(400);
    expect(error.code).toBeNull();
  });

  it("names the status when the body is empty", async () => {
    server.queue({ status: 404 });
    const error = await makeClient(server.url)
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe("get_single_gumloop_session_by_id failed: 404: not found");
  });

  it.each([
    ['{"message":"plain message"}', null, "plain message"],
    ['{"detail":"fastapi style"}', null, "fastapi style"],
    ['{"error":{"message":"only a message"}}', null, "only a message"],
    ["[1,2]", null, "[1,2]"],
  ])("parseErrorBody(%s)", (text, code, message) => {
    const body = parseErrorBody(text);
    expect(body.code).toBe(code);
    expect(body.message).toBe(message);
  });
});

describe("response decoding", () => {
  it("decodes JSON", async () => {
    server.queue({ status: 200, body: { session: { id: "s1", state: "idle" }, queue_position: null } });
    const response = await makeClient(server.url).call(getSession, { session_id: "s1" });
    expect(response.format).toBe("json");
    expect(response.data).toEqual({ session: { id: "s1", state: "idle" }, queue_position: null });
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(1);
  });

  it("decodes CSV as text", async () => {
    server.queue({ status: 200, headers: { "content-type": "text/csv; charset=utf-8" }, body: "a,b\n1,2\n" });
    const response = await makeClient(server.url).call(getSession, { session_id: "s1" });
    expect(response.format).toBe("text");
    expect(response.data).toBe("a,b\n1,2\n");
    expect(response.mediaType).toBe("text/csv");
  });

  it("decodes binary bodies as bytes with media type, size and file name", async () => {
    const zip = new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 1, 2]);
    server.queue({
      status: 200,
      headers: {
        "content-type": "application/zip",
        "content-disposition": 'attachment; filename="files.zip"',
      },
      body: zip,
    });
    const response = await makeClient(server.url).call(getSession, { session_id: "s1" });
    expect(response.format).toBe("binary");
    const body = response.data as BinaryBody;
    expect([...body.bytes]).toEqual([...zip]);
    expect(body).toMatchObject({ mediaType: "application/zip", size: 8, filename: "files.zip" });
  });

  it("decodes 204 as empty", async () => {
    server.queue({ status: 204 });
    const response = await makeClient(server.url).call(getSession, { session_id: "s1" });
    expect(response.format).toBe("empty");
    expect(response.data).toBeNull();
  });
});
