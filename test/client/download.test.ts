import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  APIUserAbortError,
  GumloopError,
  GumloopValidationError,
  InternalServerError,
  PermissionDeniedError,
} from "../../src/client/errors.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import { API_KEY, USER_ID, makeClient } from "./fixtures.js";

let server: RecordingServer;
let host: string;
beforeAll(async () => {
  server = await startRecordingServer();
  host = new URL(server.url).host;
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe("signed URL downloads", () => {
  it("downloads bytes without Gumloop credentials from an allowed host", async () => {
    server.queue({
      status: 200,
      headers: { "content-type": "text/markdown", "content-disposition": 'attachment; filename="report.md"' },
      body: "# Report",
    });
    const body = await makeClient(server.url).download(
      `http://${host}/__storage/a/1/report.md?signature=abc`,
      {
        insecureHosts: [host],
      },
    );
    expect(new TextDecoder().decode(body.bytes)).toBe("# Report");
    expect(body).toMatchObject({ mediaType: "text/markdown", size: 8, filename: "report.md" });
    const [request] = server.requests;
    expect(request!.headers["authorization"]).toBeUndefined();
    expect(request!.headers["x-auth-key"]).toBeUndefined();
  });

  it.each([
    [
      "plain http to a host not named insecure",
      (h: string) => `http://${h}/f`,
      { allowedHosts: [] as string[] },
    ],
    ["a host outside the allow-list", () => "https://evil.example/f", {}],
    ["the cloud metadata address", () => "http://169.254.169.254/latest", {}],
    ["a non-http scheme", () => "file:///etc/passwd", {}],
  ])("refuses %s without sending anything", async (_name, url, options) => {
    // A client whose API lives elsewhere: the recording server is just some host to it.
    const error = await makeClient("https://api.gumloop.example/api/v1")
      .download(url(host), options)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GumloopValidationError);
    expect(server.requests).toHaveLength(0);
  });

  it("trusts files on the configured API's own origin (a local emulator) without listing it", async () => {
    server.queue({ status: 200, headers: { "content-type": "text/plain" }, body: "ok" });
    const body = await makeClient(server.url).download(`http://${host}/__storage/x?signature=s`);
    expect(new TextDecoder().decode(body.bytes)).toBe("ok");
  });

  it("re-checks every redirect hop against the allow-list", async () => {
    server.queue({ status: 302, headers: { location: "https://evil.example/steal" } });
    const error = await makeClient(server.url)
      .download(`http://${host}/f`, { insecureHosts: [host] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GumloopValidationError);
    expect(server.requests).toHaveLength(1);
  });

  it("stops at the byte cap", async () => {
    server.queue({ status: 200, headers: { "content-type": "application/zip" }, body: new Uint8Array(2048) });
    const error = await makeClient(server.url)
      .download(`http://${host}/big.zip`, { insecureHosts: [host], maxBytes: 1024 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GumloopError);
    expect((error as Error).message).toMatch(/1024-byte cap/);
  });

  it("maps a 403 on an expired signature without leaking the signature", async () => {
    server.queue({ status: 403, body: { error: { code: "signature_expired", message: "expired" } } });
    const error = await makeClient(server.url)
      .download(`http://${host}/f?expires=1&signature=s3cr3tsig`, { insecureHosts: [host] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    const seen = JSON.stringify({ ...(error as object), message: (error as Error).message });
    expect(seen).not.toContain("s3cr3tsig");
    expect((error as PermissionDeniedError).path).toContain("signature=[REDACTED]");
    expect(seen).not.toContain(API_KEY);
    expect(seen).not.toContain(USER_ID);
  });

  it("reads an error body only up to 64 KiB: an endless 500 body is cut off, the status kept", async () => {
    let sent = 0;
    const endless = createServer((_request, response) => {
      response.writeHead(500, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!response.destroyed && sent < 1024 ** 3 && response.write(chunk)) sent += chunk.length;
        if (!response.destroyed) response.once("drain", pump);
      };
      pump();
    });
    endless.listen(0, "127.0.0.1");
    await once(endless, "listening");
    const address = `127.0.0.1:${(endless.address() as AddressInfo).port}`;
    try {
      const error = await makeClient(server.url)
        .download(`http://${address}/huge`, { insecureHosts: [address], timeoutMs: 5_000 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalServerError);
      expect((error as InternalServerError).status).toBe(500);
      // What the server managed to write before the client cancelled: socket buffers, not the body.
      expect(sent).toBeLessThan(16 * 1024 * 1024);
    } finally {
      endless.closeAllConnections();
      endless.close();
    }
  });

  it.each([
    ["maxBytes", NaN],
    ["maxBytes", 0],
    ["maxBytes", -1],
    ["maxBytes", 1.5],
    ["maxBytes", "1024"],
    ["maxRedirects", NaN],
    ["maxRedirects", -1],
    ["maxRedirects", 1.5],
    ["maxRedirects", Infinity],
  ])("refuses %s: %s before sending anything", async (name, value) => {
    server.fallback = () => ({ status: 302, headers: { location: `http://${host}/again` } });
    const error = await makeClient(server.url)
      .download(`http://${host}/f`, { insecureHosts: [host], timeoutMs: 2_000, [name]: value })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GumloopError);
    expect((error as Error).message).toMatch(new RegExp(`^${name} must be .* \\(got ${String(value)}\\)$`));
    expect(server.requests).toHaveLength(0);
  });

  it("takes maxBytes: Infinity (no cap) and maxRedirects: 0 (no hops)", async () => {
    server.queue(
      { status: 200, headers: { "content-type": "application/zip" }, body: new Uint8Array(2048) },
      { status: 302, headers: { location: `http://${host}/next` } },
    );
    const client = makeClient(server.url);
    const body = await client.download(`http://${host}/a.zip`, { insecureHosts: [host], maxBytes: Infinity });
    expect(body.size).toBe(2048);
    const error = await client
      .download(`http://${host}/b`, { insecureHosts: [host], maxRedirects: 0 })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/too many or empty redirects/);
    expect(server.requests).toHaveLength(2);
  });

  it("honours a signal that is already aborted: nothing is fetched", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await makeClient(server.url)
      .download(`http://${host}/f?signature=abc`, { insecureHosts: [host], signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it("times out", async () => {
    server.queue({ hang: true });
    const error = await makeClient(server.url)
      .download(`http://${host}/slow`, { insecureHosts: [host], timeoutMs: 30 })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("APIConnectionTimeoutError");
  });
});
