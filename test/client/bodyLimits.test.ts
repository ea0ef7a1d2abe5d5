/**
 * Both transports read whole bodies into memory, so they bound them: MAX_RESPONSE_BYTES on the bytes that arrive
 * and on what they inflate to (a gzip bomb is tiny on the wire). An error status survives a body it cannot decode.
 */
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_RESPONSE_BYTES } from "../../src/client/decode.js";
import type { RequestDefinition } from "../../src/client/definition.js";
import {
  APIConnectionError,
  InternalServerError,
  OutcomeUnknownError,
  PermissionDeniedError,
} from "../../src/client/errors.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import { makeClient, recordingSleep, startPipeline } from "./fixtures.js";

const file: RequestDefinition = { name: "download_file", route: "GET /files/{file_id}", accept: "*/*" };
const binary = { "content-type": "application/octet-stream" };

let server: RecordingServer;
/** Just over the cap once inflated, under 100 KiB on the wire. */
let bomb: Uint8Array;
beforeAll(async () => {
  server = await startRecordingServer();
  bomb = new Uint8Array(gzipSync(Buffer.alloc(MAX_RESPONSE_BYTES + 1)));
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const transports = [
  ["built-in transport", {}],
  ["injected fetch", { fetch: globalThis.fetch }],
] as const;

describe.each(transports)("%s body limits", (_name, transport) => {
  it("stops a gzip bomb at the cap with a clear error, and does not fetch it again", async () => {
    expect(bomb.length).toBeLessThan(1024 * 1024);
    server.fallback = () => ({ status: 200, headers: { ...binary, "content-encoding": "gzip" }, body: bomb });
    const sleep = recordingSleep();
    const error = await makeClient(server.url, { sleep, ...transport })
      .call(file, { file_id: "f1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/over the 67108864-byte \(64 MiB\) limit/);
    expect(server.requests).toHaveLength(1);
  });

  it("stops an uncompressed body past the cap while it arrives", async () => {
    server.queue({ status: 200, headers: binary, body: new Uint8Array(MAX_RESPONSE_BYTES + 1) });
    const error = await makeClient(server.url, transport)
      .call(file, { file_id: "f1" })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/over the 67108864-byte \(64 MiB\) limit/);
  });

  it("a write whose answer is too large to read has an unknown outcome", async () => {
    server.queue({ status: 200, headers: { ...binary, "content-encoding": "gzip" }, body: bomb });
    const error = await makeClient(server.url, transport)
      .call(startPipeline, { saved_item_id: "f1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
  });

  it("drops an error body over 64 KiB and keeps the status", async () => {
    const padded = (bytes: number) => ({
      status: 500,
      body: { error: { code: "boom", message: "kept", details: { pad: "x".repeat(bytes) } } },
    });
    server.queue(padded(60 * 1024), padded(70 * 1024));
    const client = makeClient(server.url, { maxRetries: 0, ...transport });
    const small = (await client
      .call(file, { file_id: "f1" })
      .catch((e: unknown) => e)) as InternalServerError;
    expect([small.status, small.code, small.message]).toEqual([
      500,
      "boom",
      "download_file failed: 500 boom: kept",
    ]);
    const large = (await client
      .call(file, { file_id: "f1" })
      .catch((e: unknown) => e)) as InternalServerError;
    expect([large.status, large.code, large.message]).toEqual([
      500,
      null,
      "download_file failed: 500: server error",
    ]);
  });

  it("keeps an error status whose body cannot be decoded (or is a bomb), with an empty body", async () => {
    const headers = { "content-type": "application/json", "content-encoding": "gzip" };
    server.queue({ status: 403, headers, body: "this is not gzip" }, { status: 500, headers, body: bomb });
    const client = makeClient(server.url, { maxRetries: 0, ...transport });
    const denied = await client.call(file, { file_id: "f1" }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect((denied as Error).message).toBe("download_file failed: 403: permission denied");
    const failed = await client.call(file, { file_id: "f1" }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(InternalServerError);
    expect((failed as InternalServerError).status).toBe(500);
  });
});
