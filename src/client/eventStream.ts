/**
 * An open session stream: the body of a `text/event-stream` answer, parsed by eventsource-parser into events and
 * handed out one by one as an async iterable.
 *
 * What ends it, and how:
 * - the server ends the body: iteration ends (the run's end is a `finish` event with `final: true`, which
 *   `completed` records; a stream can also end without one, e.g. when the session was cancelled);
 * - the connection breaks before that: {@link StreamInterruptedError}, carrying the last cursor to resume from;
 * - nothing arrives (no event, no keep-alive comment) for `idleTimeoutMs` while the caller waits for the next
 *   event: {@link StreamIdleTimeoutError}. Time the caller spends between events does not count;
 * - more than `maxBytes` arrive on the connection: {@link StreamTooLargeError};
 * - the caller's signal aborts: {@link APIUserAbortError};
 * - `close()` (or leaving a `for await` loop early): iteration ends quietly and the connection is closed.
 *
 * Keep-alive comments are skipped. An event whose data is not a JSON object is skipped and counted in
 * `malformedEvents` rather than thrown: one bad line does not cost a long stream, the events after it still come,
 * and the end of a run is confirmed by the session's state anyway. An event cut off by the stream's end (no closing
 * blank line) is dropped, as the SSE specification says.
 */
import { createParser } from "eventsource-parser";
import { APIUserAbortError, type GumloopError } from "./errors.js";
import { sanitizedCopy } from "./failures.js";
import type { Redactor } from "./redact.js";
import { sessionEventOf, sessionIdOf, type SessionStreamEvent } from "./sessionEvent.js";
import {
  StreamIdleTimeoutError,
  StreamInterruptedError,
  StreamTooLargeError,
  type StreamPosition,
} from "./streamErrors.js";

/** Everything an open stream needs: the body, the means to close its connection, and its limits. */
export interface OpenStreamInit {
  readonly operation: string;
  /** The response body, chunk by chunk. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Aborting it closes the connection (the transport's signal follows it). */
  readonly connection: AbortController;
  /** The caller's signal: aborting it closes the stream with {@link APIUserAbortError}. */
  readonly signal: AbortSignal | undefined;
  /** Longest wait for the next byte while the caller waits for an event; Infinity for none. */
  readonly idleTimeoutMs: number;
  /** Most bytes read on this connection. */
  readonly maxBytes: number;
  /** The session, when the input named it (else learnt from the stream's `interaction-ready` event). */
  readonly sessionId: string | null;
  readonly requestId: string | null;
  readonly status: number;
  readonly redactor: Redactor;
}

/** Why the client itself stopped the stream, when it did. */
type Stop = "closed" | "aborted" | "idle" | "too_large";

/**
 * The events of one session stream, in order. Iterate it once (`for await`); `lastCursor` is the cursor to resume
 * from at any point.
 */
export class SessionEventStream implements AsyncIterable<SessionStreamEvent> {
  /** The operation that opened the stream, e.g. `"stream_a_gumloop_session"`. */
  readonly operation: string;
  /** The stream response's request id (redacted), for support tickets. */
  readonly requestId: string | null;
  /** The HTTP status of the stream response. */
  readonly status: number;
  readonly #init: OpenStreamInit;
  #sessionId: string | null;
  #lastCursor: string | null = null;
  #malformed = 0;
  #completed = false;
  #bytes = 0;
  #stop: Stop | null = null;
  #iterator: AsyncGenerator<SessionStreamEvent, void, undefined> | undefined;
  readonly #onAbort = () => this.#halt("aborted");

  constructor(init: OpenStreamInit) {
    this.operation = init.operation;
    this.requestId = init.requestId;
    this.status = init.status;
    this.#init = init;
    this.#sessionId = init.sessionId;
    if (init.signal?.aborted) this.#halt("aborted");
    else init.signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** The `stream_cursor` of the last event handed out that had one; null before any. */
  get lastCursor(): string | null {
    return this.#lastCursor;
  }

  /** The session streamed: from the input, or from the `interaction-ready` event once it has arrived. */
  get sessionId(): string | null {
    return this.#sessionId;
  }

  /** Events skipped because their data was not a JSON object. */
  get malformedEvents(): number {
    return this.#malformed;
  }

  /** Whether a `finish` event with `final: true` has been handed out (the run ended, or paused for approval). */
  get completed(): boolean {
    return this.#completed;
  }

  /** Bytes read on this connection so far. */
  get bytesRead(): number {
    return this.#bytes;
  }

  /** Closes the connection; an iteration in progress ends quietly. Safe to call more than once. */
  close(): void {
    this.#halt("closed");
  }

  [Symbol.asyncIterator](): AsyncIterator<SessionStreamEvent> {
    // One pass over one connection: a second loop continues (or finds the end of) the first.
    return (this.#iterator ??= this.#events());
  }

  async *#events(): AsyncGenerator<SessionStreamEvent, void, undefined> {
    const ready: SessionStreamEvent[] = [];
    const parser = createParser({
      onEvent: (message) => {
        const event = sessionEventOf(message);
        if (event) ready.push(event);
        else this.#malformed++;
      },
      // Keep-alive comments and `retry:` hints carry nothing a caller needs: the parser drops them.
    });
    const decoder = new TextDecoder();
    const chunks = this.#init.body[Symbol.asyncIterator]();
    try {
      for (;;) {
        if (this.#stop) throw new Error(`stream stopped: ${this.#stop}`);
        const next = await this.#nextChunk(chunks);
        if (next.done) break;
        this.#bytes += next.value.byteLength;
        if (this.#bytes > this.#init.maxBytes) {
          this.#halt("too_large");
          throw new Error("over the byte cap");
        }
        parser.feed(decoder.decode(next.value, { stream: true }));
        yield* this.#handOut(ready);
      }
      parser.feed(decoder.decode());
      yield* this.#handOut(ready);
    } catch (error) {
      const failure = this.#failure(error);
      if (failure) throw failure;
    } finally {
      this.#release();
      void chunks.return?.();
    }
  }

  /** Hands out the parsed events, unless the stream was stopped meanwhile (a closed stream gives no more). */
  *#handOut(ready: SessionStreamEvent[]): Generator<SessionStreamEvent, void, undefined> {
    while (ready.length > 0) {
      if (this.#stop) throw new Error(`stream stopped: ${this.#stop}`);
      yield this.#seen(ready.shift()!);
    }
  }

  /** The next chunk, with the idle timer running only while we wait for it. */
  async #nextChunk(chunks: AsyncIterator<Uint8Array>): Promise<IteratorResult<Uint8Array>> {
    const idle = this.#init.idleTimeoutMs;
    const timer = idle === Infinity ? undefined : setTimeout(() => this.#halt("idle"), idle);
    try {
      return await chunks.next();
    } finally {
      clearTimeout(timer);
    }
  }

  #seen(event: SessionStreamEvent): SessionStreamEvent {
    if (event.cursor !== null) this.#lastCursor = event.cursor;
    this.#sessionId ??= sessionIdOf(event);
    if (event.type === "finish" && event.final === true) this.#completed = true;
    return event;
  }

  /** Stops the stream for `why` (the first reason wins) and closes its connection. */
  #halt(why: Stop): void {
    this.#stop ??= why;
    this.#init.connection.abort();
    this.#release();
  }

  #release(): void {
    this.#init.signal?.removeEventListener("abort", this.#onAbort);
  }

  #position(): StreamPosition {
    return {
      operation: this.operation,
      sessionId: this.#sessionId,
      lastCursor: this.#lastCursor,
      requestId: this.requestId,
    };
  }

  /** The error a stopped or broken stream ends with; null for a quiet end (closed by the caller). */
  #failure(error: unknown): GumloopError | null {
    switch (this.#stop) {
      case "closed":
        return null;
      case "aborted":
        return new APIUserAbortError(
          this.operation,
          "the stream was closed; the request had been accepted, so its work goes on at Gumloop",
        );
      case "idle":
        return new StreamIdleTimeoutError(this.#position(), this.#init.idleTimeoutMs);
      case "too_large":
        return new StreamTooLargeError(this.#position(), this.#init.maxBytes);
      case null: {
        const cause = sanitizedCopy(error, this.#init.redactor);
        // The stream is over either way: close what may be left of the connection.
        this.#init.connection.abort();
        return new StreamInterruptedError(this.#position(), cause.message, { cause });
      }
    }
  }
}
