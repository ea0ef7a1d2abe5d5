/**
 * One attempt of a call: one request over the transport and what came back, sorted into the outcomes the client's
 * retry loop (client.ts) decides on: a 2xx (decoded, or for a stream the open body), an error status, the caller's
 * abort, or no usable answer (timeout, connection failure, unreadable body). Hooks see the request and the response
 * here, redacted.
 */
import { decodeBody, MalformedBodyError } from "./decode.js";
import { Deadline } from "./deadline.js";
import type { RequestDefinition } from "./definition.js";
import { errorFromResponse, redactedErrorBody, type APIError } from "./errors.js";
import { ParsedResponse } from "./parsedResponse.js";
import { parseRateLimit, type RateLimitInfo } from "./rateLimit.js";
import type { Redactor } from "./redact.js";
import { neverSent } from "./retry.js";
import type { BuiltRequest } from "./route.js";
import type { Clock } from "./sleep.js";
import type { HeaderSource, Transport } from "./transport.js";
import type { ClientHooks, GumloopResponse } from "./types.js";

/** A 2xx `text/event-stream` answer, open: its body is read by a `SessionEventStream`. */
export interface OpenedStream {
  readonly status: number;
  readonly requestId: string | null;
  readonly body: AsyncIterable<Uint8Array>;
  /** Aborting it closes the connection. */
  readonly connection: AbortController;
}

/** How one attempt ended. */
export type AttemptResult =
  | { readonly kind: "ok"; readonly response: GumloopResponse | OpenedStream }
  | { readonly kind: "status"; readonly error: APIError }
  /** The caller aborted; `maybeSent` unless the request provably never reached the server. */
  | { readonly kind: "aborted"; readonly maybeSent: boolean }
  | {
      readonly kind: "failed";
      readonly reason: "timeout" | "connection" | "malformed";
      readonly error: unknown;
    };

/** What attempts take from the client that makes them. */
export interface AttemptContext {
  /** Headers every request carries (accept, the caller's extras, auth). */
  readonly baseHeaders: Readonly<Record<string, string>>;
  readonly hooks: ClientHooks;
  readonly redactor: Redactor;
  readonly now: Clock;
  /** The transport to send with (loaded on first use). */
  transport(): Transport | Promise<Transport>;
}

/** One attempt to make. */
export interface AttemptSpec {
  readonly definition: RequestDefinition;
  readonly built: BuiltRequest;
  /** 1-based. */
  readonly attempt: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** An OAuth access token from the client's token function, sent instead of the configured credential. */
  readonly token: string | undefined;
  /** A stream is asked for (`Accept: text/event-stream`), and a 2xx stream comes back open. */
  readonly streaming: boolean;
}

/** Calls a hook; an observer's bug must not break the call. */
export function emitHook<K extends keyof ClientHooks>(
  hooks: ClientHooks,
  name: K,
  event: Parameters<NonNullable<ClientHooks[K]>>[0],
): void {
  try {
    (hooks[name] as ((event: unknown) => void) | undefined)?.(event);
  } catch {
    // Ignored on purpose (see above).
  }
}

/** Whether an answer is a Server-Sent Events stream. */
function isEventStream(headers: HeaderSource): boolean {
  return (headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase() === "text/event-stream";
}

/** The response's request id, scrubbed: a server may echo anything there, a credential included. */
function requestIdOf(headers: HeaderSource, redactor: Redactor): string | null {
  const id = headers.get("x-request-id") ?? headers.get("request-id");
  return id === null ? null : redactor.text(id);
}

/** Sends one attempt and sorts its outcome. */
export async function sendAttempt(context: AttemptContext, spec: AttemptSpec): Promise<AttemptResult> {
  const { definition, built, attempt, signal, streaming } = spec;
  const { hooks, redactor, now } = context;
  const operation = definition.name;
  const headers: Record<string, string> = { ...context.baseHeaders };
  if (spec.token !== undefined) headers["authorization"] = `Bearer ${spec.token}`;
  const accept = definition.accept ?? (streaming ? "text/event-stream" : undefined);
  if (accept) headers["accept"] = accept;
  if (built.contentType) headers["content-type"] = built.contentType;
  // The redacted URL is only needed for errors and hooks: build it on demand (this is the hot path).
  let shownUrl: string | undefined;
  const shown = () => (shownUrl ??= redactor.url(built.url));
  if (hooks.onRequest) {
    emitHook(hooks, "onRequest", {
      operation,
      attempt,
      method: built.method,
      url: shown(),
      headers: redactor.headers(headers),
    });
    // The hook may have aborted the caller's signal: nothing was sent, so send nothing.
    if (signal?.aborted) return { kind: "aborted", maybeSent: false };
  }

  // Carries both the timeout and the caller's abort to the transport (see Deadline). A stream outlives the
  // deadline, which bounds only its opening: its connection also follows a controller the stream keeps.
  const deadline = new Deadline(spec.timeoutMs, signal);
  const connection = streaming ? new AbortController() : undefined;
  const started = hooks.onResponse ? now() : 0;
  const answered = (status: number, rateLimit: RateLimitInfo, requestId: string | null) => {
    if (!hooks.onResponse) return;
    emitHook(hooks, "onResponse", {
      operation,
      attempt,
      method: built.method,
      url: shown(),
      status,
      durationMs: now() - started,
      rateLimit,
      requestId,
    });
  };
  try {
    const transport = await context.transport();
    const response = await transport({
      method: built.method,
      url: built.url,
      headers,
      body: built.body,
      signal: connection ? AbortSignal.any([deadline.signal, connection.signal]) : deadline.signal,
      streaming,
    });
    const rateLimit = parseRateLimit(response.headers, now());
    const requestId = requestIdOf(response.headers, redactor);
    if (response.status < 200 || response.status >= 300) {
      const body = redactedErrorBody(await response.text(), redactor);
      answered(response.status, rateLimit, requestId);
      const where = { operation, method: built.method, path: shown() };
      return { kind: "status", error: errorFromResponse(response.status, body, where, requestId, rateLimit) };
    }
    if (connection && isEventStream(response.headers)) {
      answered(response.status, rateLimit, requestId);
      return {
        kind: "ok",
        response: { status: response.status, requestId, body: response.chunks(), connection },
      };
    }
    const decoded = await decodeBody(response);
    answered(response.status, rateLimit, requestId);
    return {
      kind: "ok",
      response: new ParsedResponse(
        operation,
        response.status,
        decoded.format,
        decoded.data,
        decoded.mediaType,
        rateLimit,
        requestId,
        attempt,
        decoded.text,
      ),
    };
  } catch (error) {
    if (deadline.callerAborted) return { kind: "aborted", maybeSent: !neverSent(error) };
    if (deadline.expired) return { kind: "failed", reason: "timeout", error };
    if (error instanceof MalformedBodyError) return { kind: "failed", reason: "malformed", error };
    return { kind: "failed", reason: "connection", error };
  } finally {
    deadline.dispose();
  }
}
