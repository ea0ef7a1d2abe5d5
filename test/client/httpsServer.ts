/**
 * A local HTTPS server with the test certificate (test/fixtures/tls), answering every request with the session JSON
 * below, gzip-compressed when asked. Used in-process and by the child in https.test.ts.
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";

const TLS = new URL("../fixtures/tls/", import.meta.url);
export const CERT_PATH = new URL("cert.pem", TLS).pathname;
export const SESSION = { session: { id: "s1", state: "completed" } };

export async function startHttpsServer(): Promise<RecordingServer> {
  const server = await startRecordingServer({
    tls: { cert: readFileSync(new URL("cert.pem", TLS)), key: readFileSync(new URL("key.pem", TLS)) },
  });
  server.fallback = (request) => {
    const body = Buffer.from(JSON.stringify({ ...SESSION, auth: request.headers["authorization"] }));
    const gzip = String(request.headers["accept-encoding"] ?? "").includes("gzip");
    return {
      status: 200,
      headers: { "content-type": "application/json", ...(gzip ? { "content-encoding": "gzip" } : {}) },
      body: gzip ? gzipSync(body) : body,
    };
  };
  return server;
}
