/**
 * The client's transport seam: one request out, one response back, whatever carries it. Two implementations:
 * the built-in Node transport (node:http / node:https with keep-alive, see nodeTransport.ts), and any `fetch`
 * the caller injects. The client reads responses only through this interface, so both behave alike: status,
 * headers, the body as bytes or text, and real cancellation through the signal.
 */
import { BodyTooLargeError, bodyCap } from "./decode.js";
import type { HttpMethod } from "./definition.js";
import { readCapped } from "./readCapped.js";

/** Response headers: `Headers` satisfies it, and so does the built-in transport's view of Node's header record. */
export interface HeaderSource {
  /** The value for a header name (any case), or null. */
  get(name: string): string | null;
  /** The header names, in lower case. */
  keys(): Iterable<string>;
}

export interface TransportRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text, FormData, or undefined for no body. */
  readonly body: string | FormData | undefined;
  /** Aborting it cancels the request and the body read, and frees the connection. */
  readonly signal: AbortSignal;
  /**
   * The caller reads a 2xx body as it arrives ({@link TransportResponse.chunks}), e.g. Server-Sent Events: the
   * transport must not read it ahead, buffer it whole, or ask for it compressed (a compressing proxy buffers).
   */
  readonly streaming?: boolean;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: HeaderSource;
  /** The whole body, decompressed. */
  bytes(): Promise<Uint8Array>;
  /** The whole body as UTF-8 text, without a byte-order mark. */
  text(): Promise<string>;
  /** Drops the body unread (e.g. a 204). */
  discard(): Promise<void>;
  /**
   * The body, decompressed, chunk by chunk as it arrives, for a request sent with `streaming`. Iteration ends with
   * the body and throws when the connection is lost or the request's signal aborts; read it at most once, and not
   * together with `bytes()` / `text()`.
   */
  chunks(): AsyncIterable<Uint8Array>;
}

/**
 * What a transport that can see its socket (the built-in one) rejects with when it failed before any connection
 * was established: no byte reached the server, so the client may repeat even a write. It keeps the original
 * failure's name, message and code, and holds the original as its `cause`.
 */
export class ConnectionNotMadeError extends Error {
  /** The original failure's code (`ECONNREFUSED`, `ENETUNREACH`...), when it has one. */
  readonly code: string | undefined;

  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = cause instanceof Error ? cause.name : "Error";
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === "string" ? code : undefined;
  }
}

/** Sends one request; rejects on connection failure ({@link ConnectionNotMadeError} when provably before any connection) or abort, resolves once the status and headers are in. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** A transport over a `fetch` implementation (redirects are not followed: a 3xx is an answer, not a hop). */
export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (request) => {
    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      signal: request.signal,
      redirect: "manual",
    };
    if (request.body !== undefined) init.body = request.body;
    const response = await fetchImpl(request.url, init);
    let read: Promise<Uint8Array> | undefined;
    const bytes = () => (read ??= cappedBody(response, request.signal));
    return {
      status: response.status,
      headers: response.headers,
      bytes,
      // UTF-8 with the byte-order mark dropped, as Response.text() decodes.
      text: async () => UTF8.decode(await bytes()),
      discard: async () => {
        await response.body?.cancel();
      },
      chunks: () => webChunks(response.body),
    };
  };
}

const UTF8 = new TextDecoder();

/**
 * The body read up to its cap ({@link bodyCap}), as the built-in transport reads it: past the cap the transfer is
 * cancelled with {@link BodyTooLargeError}. For an error status the status is the answer and its body only detail,
 * so a body that cannot be read whole (too large, undecodable, cut) becomes empty; an abort still rejects.
 */
async function cappedBody(response: Response, signal: AbortSignal): Promise<Uint8Array> {
  try {
    return await readCapped(response.body, bodyCap(response.status), () => new BodyTooLargeError());
  } catch (error) {
    const isError = response.status < 200 || response.status >= 300;
    if (isError && !signal.aborted) return new Uint8Array(0);
    throw error;
  }
}

/** A web stream's chunks as an async iterable (Node 20's ReadableStream is one, but the DOM typings say otherwise). */
async function* webChunks(body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopped early (the caller closed the stream): cancel the transfer rather than leave it half-read.
    reader.cancel().catch(() => {});
  }
}

/**
 * The built-in Node transport, imported on first use so that a runtime without node:http (an edge worker) falls
 * back to its `fetch` instead of failing to load the package.
 */
export async function defaultTransport(): Promise<Transport> {
  try {
    return (await import("./nodeTransport.js")).nodeTransport;
  } catch {
    return fetchTransport(globalThis.fetch.bind(globalThis));
  }
}
