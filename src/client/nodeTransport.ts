/**
 * The default transport: node:http / node:https with keep-alive agents. On Node 20 it takes about half the CPU
 * of the built-in `fetch` per call (no WHATWG stream or Request/Response objects in between; see
 * bench/overhead.ts), which is most of the client's cost on a fast network. It keeps fetch's observable
 * behaviour: gzip / deflate / br bodies are decompressed, redirects are not followed (the client sends
 * `redirect: "manual"` to fetch too), a UTF-8 BOM is dropped from text, and the signal cancels the request at any
 * point, destroying the socket. Beyond fetch: bodies are capped at MAX_RESPONSE_BYTES, error bodies at
 * MAX_ERROR_BODY_BYTES (compressed and inflated), an error status survives a body it cannot read or decode, and a failure before any connection was made is marked as
 * such, so the client knows the request never reached the server (see retry.ts).
 */
import { Buffer } from "node:buffer";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { VERSION } from "../version.js";
import { BodyTooLargeError, bodyCap } from "./decode.js";
import {
  ConnectionNotMadeError,
  type HeaderSource,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "./transport.js";

// Idle connections are closed after 4 s (undici's default) or a second before the server's `Keep-Alive:
// timeout=N` hint, so a request rarely lands on a socket the server is closing. Idle sockets are unref'd by
// Node and never keep the process alive.
const IDLE_MS = 4_000;
const agents = {
  http: new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
  https: new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
};

const USER_AGENT = `langchain-gumloop/${VERSION} node/${process.versions.node}`;

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/** Node's lower-cased header record, read like `Headers`. */
class RecordHeaders implements HeaderSource {
  readonly #record: IncomingHttpHeaders;

  constructor(record: IncomingHttpHeaders) {
    this.#record = record;
  }

  get(name: string): string | null {
    const value = this.#record[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }

  keys(): Iterable<string> {
    return Object.keys(this.#record);
  }
}

async function inflated(body: Buffer, encoding: string | null, cap: number): Promise<Buffer> {
  // Inflating stops past the cap: a small gzip bomb must not expand into gigabytes.
  const limit = { maxOutputLength: cap };
  switch (encoding?.trim().toLowerCase() ?? "") {
    case "":
    case "identity":
      return body;
    case "gzip":
    case "x-gzip":
      return gunzip(body, limit);
    case "deflate":
      // "deflate" is zlib-wrapped per the RFC, but some servers send raw deflate; fetch accepts both.
      return inflate(body, limit).catch(() => inflateRaw(body, limit));
    case "br":
      return brotli(body, limit);
    default:
      throw new Error(`unsupported content-encoding "${encoding}"`);
  }
}

async function decompress(body: Buffer, encoding: string | null, cap: number): Promise<Buffer> {
  // An empty body stays empty whatever the header claims (zlib would call it "unexpected end of file").
  if (body.length === 0) return body;
  try {
    return await inflated(body, encoding, cap);
  } catch (error) {
    throw (error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE" ? new BodyTooLargeError() : error;
  }
}

/** Reads the whole body as it arrives, up to the cap; rejects if the connection closes first (abort, reset). */
function collect(response: IncomingMessage, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let total = 0;
    response.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total <= cap) {
        chunks.push(chunk);
        return;
      }
      chunks = [];
      reject(new BodyTooLargeError());
      // Stop the transfer: the rest is not wanted, and a connection left mid-body cannot be reused anyway.
      response.destroy();
    });
    response.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    response.on("error", reject);
    response.on("close", () => {
      if (!response.complete)
        reject(Object.assign(new Error("the connection closed mid-body"), { code: "ECONNRESET" }));
    });
  });
}

class NodeResponse implements TransportResponse {
  readonly status: number;
  readonly headers: HeaderSource;
  readonly #body: Promise<Buffer>;

  constructor(response: IncomingMessage) {
    this.status = response.statusCode ?? 0;
    this.headers = new RecordHeaders(response.headers);
    this.#body = collect(response, bodyCap(this.status));
    // The body is read eagerly (so the socket returns to the pool); a failure surfaces when it is asked for.
    this.#body.catch(() => {});
  }

  async bytes(): Promise<Uint8Array> {
    // A copy, not a view: small Node buffers share a pool, which callers must not see through `.buffer`.
    return new Uint8Array(await this.#decoded());
  }

  async text(): Promise<string> {
    const body = await this.#decoded();
    const text = body.toString("utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  async #decoded(): Promise<Buffer> {
    // An error status is the answer; its body only adds detail. Keep the status rather than turn an oversized or
    // undecodable error body into a failed attempt. (A connection lost mid-body, or an abort, still fails: that
    // body never arrived whole.)
    const isError = this.status < 200 || this.status >= 300;
    let body: Buffer;
    try {
      body = await this.#body;
    } catch (error) {
      if (isError && error instanceof BodyTooLargeError) return Buffer.alloc(0);
      throw error;
    }
    try {
      return await decompress(body, this.headers.get("content-encoding"), bodyCap(this.status));
    } catch (error) {
      if (isError) return Buffer.alloc(0);
      throw error;
    }
  }

  async discard(): Promise<void> {
    await this.#body.catch(() => {});
  }
}

/** multipart/form-data bytes and content type (with its boundary), encoded the way fetch would send them. */
async function encodeForm(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const encoded = new Response(form);
  return {
    body: Buffer.from(await encoded.arrayBuffer()),
    contentType: encoded.headers.get("content-type")!,
  };
}

async function send(request: TransportRequest): Promise<TransportResponse> {
  let body: string | Buffer | undefined;
  const headers: Record<string, string> = {
    "accept-encoding": "gzip, deflate, br",
    "user-agent": USER_AGENT,
    ...request.headers,
  };
  if (request.body instanceof FormData) {
    const form = await encodeForm(request.body);
    body = form.body;
    headers["content-type"] = form.contentType;
  } else body = request.body;
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));

  const secure = request.url.startsWith("https:");
  return new Promise((resolve, reject) => {
    // Until a connection is established (TCP connect, or a pooled socket handed over) no byte can have reached
    // the server, so a failure before then is marked as never sent: the client may repeat even a write. After it,
    // any failure may have come after the request was written, whatever its code.
    let connected = false;
    const fail = (error: unknown) => reject(connected ? error : new ConnectionNotMadeError(error));
    const options = {
      method: request.method,
      headers,
      agent: secure ? agents.https : agents.http,
      signal: request.signal,
    };
    let outgoing: http.ClientRequest;
    try {
      outgoing = (secure ? https : http).request(request.url, options, (response) =>
        resolve(new NodeResponse(response)),
      );
    } catch (error) {
      // Refused synchronously (e.g. an invalid header value): nothing was sent.
      fail(error);
      return;
    }
    outgoing.on("socket", (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once("connect", () => (connected = true));
    });
    outgoing.on("error", fail);
    outgoing.end(body);
  });
}

/** The built-in Node transport. */
export const nodeTransport: Transport = send;
