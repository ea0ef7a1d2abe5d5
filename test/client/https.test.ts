/**
 * The built-in transport over TLS: certificates are verified (an untrusted one is a connection error), and with
 * the certificate trusted (NODE_EXTRA_CA_CERTS, read at process start, hence the child process) calls go through,
 * gzip bodies included, with the credentials on the wire only inside TLS.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APIConnectionError } from "../../src/client/errors.js";
import { getSession, makeClient } from "./fixtures.js";
import { CERT_PATH, SESSION, startHttpsServer } from "./httpsServer.js";
import { TS_NODE_FLAGS } from "../helpers/tsNode.js";

let server: Awaited<ReturnType<typeof startHttpsServer>>;
beforeAll(async () => {
  server = await startHttpsServer();
});
afterAll(() => server.close());

describe("https", () => {
  it("refuses a certificate it does not trust, as a connection error", async () => {
    const error = await makeClient(server.url, { maxRetries: 0 })
      .call(getSession, { session_id: "s1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/certificate/i);
  });

  it("calls through TLS when the certificate is trusted", async () => {
    const child = spawn(
      process.execPath,
      [...TS_NODE_FLAGS, new URL("./httpsChild.ts", import.meta.url).pathname],
      {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: CERT_PATH },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code, err).toBe(0);
    expect(JSON.parse(out)).toEqual({
      status: 200,
      data: { ...SESSION, auth: "Bearer gl_child_key_1234" },
      again: 200,
    });
  });
});
