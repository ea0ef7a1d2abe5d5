/**
 * A local HTTPS server with the test certificate (test/fixtures/tls), answering every request with the session JSON
 * below, gzip-compressed when asked. Used in-process and by the child in https.test.ts.
 */
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

const TLS = new URL("../fixtures/tls/", import.meta.url);
export const CERT_PATH = new URL("cert.pem", TLS).pathname;
export const SESSION = { session: { id: "s1", state: "completed" } };

export async function startHttpsServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(
    { cert: readFileSync(new URL("cert.pem", TLS)), key: readFileSync(new URL("key.pem", TLS)) },
    (request, response) => {
      const body = Buffer.from(JSON.stringify({ ...SESSION, auth: request.headers["authorization"] }));
      const gzip = String(request.headers["accept-encoding"] ?? "").includes("gzip");
      response.writeHead(200, {
        "content-type": "application/json",
        ...(gzip ? { "content-encoding": "gzip" } : {}),
      });
      response.end(gzip ? gzipSync(body) : body);
    },
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `https://localhost:${(server.address() as AddressInfo).port}/api/v1`, server };
}
