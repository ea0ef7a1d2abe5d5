/**
 * The errors of session streams (`client.stream()`), apart from the errors every call can end with.
 *
 * Two families, for the two decisions a caller makes:
 * - {@link StreamUnavailableError}: no stream was opened. Fall back to polling; `accepted` says whether the request
 *   was carried out anyway (then follow its work, do not send it again).
 * - {@link StreamError} and its subclasses: a stream was open and stopped before the server ended it. The work goes
 *   on at Gumloop; `resumeInput` is the input of the resume call that picks the stream up after the last event seen.
 *
 * Like every error of the client, none of them carries a credential: messages are built from the operation name,
 * statuses and the server's redacted error body.
 */
import { GumloopError, type APIError } from "./errors.js";
import type { GumloopResponse } from "./types.js";

/** The input of the resume call (`GET /sessions/{session_id}?stream=true&last_cursor=…`) after a broken stream. */
export interface StreamResumeInput {
  readonly session_id: string;
  /** Absent when no event with a cursor arrived: the server then replays from the start of the current run. */
  readonly last_cursor?: string;
}

/** Where a stream got to: enough to resume it. */
export interface StreamPosition {
  readonly operation: string;
  /** The session the stream belongs to (from the input, or from the stream's `interaction-ready` event). */
  readonly sessionId: string | null;
  /** The `stream_cursor` of the last event seen, or null when none had one. */
  readonly lastCursor: string | null;
  /** The stream response's request id. */
  readonly requestId: string | null;
}

/** A stream that was open stopped before the server ended it. */
export class StreamError extends GumloopError {
  readonly operation: string;
  readonly sessionId: string | null;
  readonly lastCursor: string | null;
  readonly requestId: string | null;
  /** Input for the resume definition that continues after the last event seen; null when the session is unknown. */
  readonly resumeInput: StreamResumeInput | null;

  constructor(position: StreamPosition, message: string, options?: { cause?: unknown }) {
    super(`${position.operation} stream ${message}`, options);
    this.operation = position.operation;
    this.sessionId = position.sessionId;
    this.lastCursor = position.lastCursor;
    this.requestId = position.requestId;
    this.resumeInput =
      position.sessionId === null
        ? null
        : {
            session_id: position.sessionId,
            ...(position.lastCursor === null ? {} : { last_cursor: position.lastCursor }),
          };
  }
}

const RESUME = "the session goes on at Gumloop: resume the stream from its last cursor, or poll the session.";

/**
 * The connection broke mid-stream (reset, closed before the stream's end, a proxy cut it). Nothing is lost at
 * Gumloop: resume from `lastCursor` (see `resumeInput`) to get the events after the last one seen.
 */
export class StreamInterruptedError extends StreamError {
  constructor(position: StreamPosition, detail = "the connection was lost", options?: { cause?: unknown }) {
    super(position, `was interrupted (${detail}); ${RESUME}`, options);
  }
}

/**
 * No byte arrived (no event, no keep-alive) for `idleTimeoutMs`: the connection is taken for dead and closed. A
 * kind of interruption: resume as for {@link StreamInterruptedError}.
 */
export class StreamIdleTimeoutError extends StreamInterruptedError {
  readonly idleTimeoutMs: number;
  constructor(position: StreamPosition, idleTimeoutMs: number) {
    super(position, `nothing arrived for ${idleTimeoutMs} ms`);
    this.idleTimeoutMs = idleTimeoutMs;
  }
}

/** The stream sent more than `maxBytes` on one connection, and was closed there. */
export class StreamTooLargeError extends StreamError {
  readonly maxBytes: number;
  constructor(position: StreamPosition, maxBytes: number) {
    super(position, `passed its ${maxBytes}-byte cap and was closed; the session goes on at Gumloop.`);
    this.maxBytes = maxBytes;
  }
}

/**
 * The streaming host (or a proxy before it) did not open a stream: it refused the route or the stream (404, 405,
 * 406, 415, 501, or a 400 about `stream`), or answered a 2xx that is not `text/event-stream` (a proxy that buffers
 * or strips Server-Sent Events). Fall back to the REST host and poll.
 *
 * `accepted: false`: the request was refused, nothing was done; send it to the REST host instead.
 * `accepted: true`: the request was answered with a 2xx that is not a stream, so it must be taken as carried out (a
 * session created, a message enqueued); `response` holds the decoded answer (e.g. the session envelope, scrubbed of
 * credentials like any error). Poll that work; do not send it again.
 */
export class StreamUnavailableError extends GumloopError {
  readonly operation: string;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** Whether the request was answered 2xx without a stream, and so must be taken as carried out. */
  readonly accepted: boolean;
  /** The decoded 2xx answer when `accepted`; null otherwise. */
  readonly response: GumloopResponse | null;
  /** The refusal's error (with Gumloop's code and message) when not `accepted`. */
  readonly refusal: APIError | null;

  constructor(
    operation: string,
    answer: { readonly response: GumloopResponse } | { readonly refusal: APIError },
  ) {
    const accepted = "response" in answer;
    const status = accepted ? answer.response.status : answer.refusal.status;
    super(
      accepted
        ? `${operation}: the request was answered ${status} with ` +
            `${answer.response.mediaType ?? "no content type"} instead of a stream (a proxy may strip Server-Sent ` +
            "Events); treat it as carried out: follow its work by polling, and do not send it again."
        : `${operation}: no stream was opened, nothing was done (${answer.refusal.message}); send it to the REST ` +
            "host and poll instead.",
      accepted ? undefined : { cause: answer.refusal },
    );
    this.operation = operation;
    this.status = status;
    this.accepted = accepted;
    this.response = accepted ? answer.response : null;
    this.refusal = accepted ? null : answer.refusal;
  }
}

/** Statuses with which a host or proxy says it does not serve this route, method or representation. */
const REFUSALS: ReadonlySet<number> = new Set([404, 405, 406, 415, 501]);

/**
 * Whether an error answer to a stream request means "no stream here" rather than "this request is wrong": the
 * statuses above, and a 400 about streaming itself (the REST host's answer to `stream: true`, which names the
 * streaming host). A 404 is taken as a refusal even when it may mean "no such session": the REST host, asked next,
 * gives the authoritative answer at the cost of one request, while a missing route would otherwise look final.
 */
export function isStreamRefusal(error: APIError): boolean {
  if (REFUSALS.has(error.status)) return true;
  if (error.status !== 400) return false;
  // The message starts with the operation's name, which may itself say "stream": only the server's part counts.
  const said = error.message.slice(error.operation.length);
  return error.param === "stream" || /stream/i.test(`${error.code ?? ""} ${said}`);
}
