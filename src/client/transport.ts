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
