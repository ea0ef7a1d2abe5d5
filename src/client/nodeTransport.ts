/**
 * The default transport: node:http / node:https with keep-alive agents. On Node 20 it takes about half the CPU
 * of the built-in `fetch` per call (no WHATWG stream or Request/Response objects in between; see
 * bench/overhead.ts), which is most of the client's cost on a fast network. It keeps fetch's observable
 * behaviour: gzip / deflate / br bodies are decompressed, redirects are not followed (the client sends
 * `redirect: "manual"` to fetch too), a UTF-8 BOM is dropped from text, and the signal cancels the request at any
 * point, destroying the socket. Beyond fetch: bodies are capped at MAX_RESPONSE_BYTES, error bodies at
 * MAX_ERROR_BODY_BYTES (compressed and inflated), an error status survives a body it cannot read or decode, and a failure before any connection was made is marked as
 * such, so the client knows the request never reached the server (see retry.ts). A request sent with `streaming`
 * (Server-Sent Events) asks for an uncompressed body and gets its 2xx body chunk by chunk, as it arrives.
 */
import { Buffer } from "node:buffer";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import type { Transform } from "node:stream";
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

/**
 * Streams get connections of their own, without the idle timeout: a quiet stream is not an idle socket, and a
 * connection that carried a stream is not worth pooling (the stream's idle timeout is the client's, see
 * eventStream.ts).
 */
const streamAgents = {
  http: new http.Agent({ keepAlive: false }),
  https: new https.Agent({ keepAlive: false }),
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
      if (!response.complete) reject(midBody());
    });
  });
}

class NodeResponse implements TransportResponse {
  readonly status: number;
  readonly headers: HeaderSource;
  readonly #response: IncomingMessage;
  #read: Promise<Buffer> | undefined;

  constructor(response: IncomingMessage, streaming: boolean) {
    this.status = response.statusCode ?? 0;
    this.headers = new RecordHeaders(response.headers);
    this.#response = response;
    // The body is read eagerly (so the socket returns to the pool); a failure surfaces when it is asked for. A
    // streamed 2xx is left for chunks(): reading it ahead would hold a long stream in memory.
    const is2xx = this.status >= 200 && this.status < 300;
    if (!streaming || !is2xx) this.#collected();
  }

  /** The whole body as it is read up to its cap, started on first use. */
  #collected(): Promise<Buffer> {
    if (!this.#read) {
      this.#read = collect(this.#response, bodyCap(this.status));
      this.#read.catch(() => {});
    }
    return this.#read;
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
      body = await this.#collected();
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
    await this.#collected().catch(() => {});
  }

  chunks(): AsyncIterable<Uint8Array> {
    return streamedBody(this.#response);
  }
}

/** A decompressing stream for a content-encoding, or null for identity (or a coding zlib cannot undo). */
function decoder(encoding: string | null): Transform | null {
  switch (encoding?.trim().toLowerCase() ?? "") {
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip();
    case "deflate":
      return zlib.createInflate();
    case "br":
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * A streamed body chunk by chunk, decompressed when the server compressed it anyway (the request asks for
 * identity). Node's IncomingMessage is itself async-iterable: it ends with the body, and throws when the socket
 * closes before the body's end (a dropped stream) or the request's signal aborts.
 */
async function* streamedBody(response: IncomingMessage): AsyncIterable<Uint8Array> {
  const inflater = decoder(response.headers["content-encoding"] ?? null);
  const source: AsyncIterable<Buffer> = inflater ? response.pipe(inflater) : response;
  if (inflater) response.once("error", (error) => inflater.destroy(error));
  // A connection closed mid-body makes Node end the message quietly on some versions: check it came whole.
  response.once("close", () => {
    if (!response.complete) inflater?.destroy(midBody());
  });
  try {
    for await (const chunk of source) yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!response.complete) throw midBody();
  } finally {
    // Stopped early (the caller closed the stream): close the connection rather than leave it half-read.
    if (!response.complete) response.destroy();
  }
}

function midBody(): Error {
  return Object.assign(new Error("the connection closed mid-body"), { code: "ECONNRESET" });
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
  const streaming = request.streaming === true;
  const headers: Record<string, string> = {
    // A stream is asked for uncompressed: a compressed one arrives in the compressor's blocks, not as events.
    "accept-encoding": streaming ? "identity" : "gzip, deflate, br",
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
    const pool = streaming ? streamAgents : agents;
    const options = {
      method: request.method,
      headers,
      agent: secure ? pool.https : pool.http,
      signal: request.signal,
    };
    let outgoing: http.ClientRequest;
    try {
      outgoing = (secure ? https : http).request(request.url, options, (response) =>
        resolve(new NodeResponse(response, streaming)),
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
