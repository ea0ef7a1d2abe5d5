/**
 * Live Server-Sent Events replies. A handler returns `eventStream(pump)`; once the core has applied its phase
 * "after" faults, it writes the `text/event-stream` headers and runs the pump, which writes events through a
 * {@link StreamSink} as they happen (a session stream follows its run on the emulator's clock). Phase "stream"
 * faults strike here, between events.
 *
 * The request's clock hold is released once the headers are out: a stream is open for as long as its run lasts,
 * and an auto-advancing virtual clock must keep moving meanwhile (the pump waits on that clock).
 */
import type { ServerResponse } from "node:http";
import type { FaultSpec } from "./faults.js";

/** Where a pump writes. */
export interface StreamSink {
  /** Writes one event (`data: <json>`). False when the stream takes no more (client gone, cut or stalled). */
  event(payload: Readonly<Record<string, unknown>>): boolean;
  /** Writes a comment line, e.g. a keep-alive. False as for {@link StreamSink.event}. */
  comment(text: string): boolean;
  /** Ends the response normally. */
  end(): void;
  /** Aborts when the stream can take no more: a pump stops waiting on it. */
  readonly signal: AbortSignal;
}

/** Writes a stream's events as they happen; resolves when it is done (after `end()`, or when the sink gives up). */
export type StreamPump = (sink: StreamSink) => Promise<void>;

/** A fault that strikes an open stream after `afterEvents` events. */
export interface StreamFault {
  readonly kind: FaultSpec["kind"];
  readonly afterEvents: number;
}

/** The wire form of one event: Gumloop's session streams carry the JSON payload in `data` (its `type` inside). */
function frame(payload: Readonly<Record<string, unknown>>): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** Data that is not JSON, for the `malformed` fault: an event cut inside its object. */
const MALFORMED_EVENT = 'data: {"type": "text-delta", "delta": "unterminated\n\n';

class Sink implements StreamSink {
  readonly #res: ServerResponse;
  readonly #controller = new AbortController();
  readonly #fault: StreamFault | null;
  #written = 0;
  #struck = false;
  #ended = false;

  constructor(res: ServerResponse, fault: StreamFault | null) {
    this.#res = res;
    this.#fault = fault;
    res.once("close", () => this.#controller.abort());
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Nothing more will be written (ended, client gone, cut or stalled). */
  get done(): boolean {
    return this.#ended || this.#controller.signal.aborted || this.#res.destroyed;
  }

  get ended(): boolean {
    return this.#ended;
  }

  event(payload: Readonly<Record<string, unknown>>): boolean {
    if (this.done) return false;
    if (this.#fault && !this.#struck && this.#written === this.#fault.afterEvents) {
      this.#struck = true;
      if (!this.#strike(this.#fault.kind, frame(payload))) return false;
    }
    this.#res.write(frame(payload));
    this.#written++;
    return true;
  }

  comment(text: string): boolean {
    if (this.done) return false;
    this.#res.write(`: ${text}\n\n`);
    return true;
  }

  end(): void {
    if (this.done) return;
    this.#ended = true;
    this.#res.end();
  }

  /** Applies the fault before the event `next`; false when the stream is over for the pump. */
  #strike(kind: FaultSpec["kind"], next: string): boolean {
    switch (kind) {
      case "malformed":
        this.#res.write(MALFORMED_EVENT);
        return true;
      case "truncated": {
        const half = Buffer.from(next, "utf8");
        this.#res.write(half.subarray(0, Math.max(1, Math.floor(half.length / 2))), () =>
          this.#res.socket?.destroy(),
        );
        this.#controller.abort();
        return false;
      }
      case "drop":
        this.#res.socket?.destroy();
        this.#controller.abort();
        return false;
      default:
        // "hang": a stall. The connection stays open and silent (no keep-alives) until the client gives up.
        this.#controller.abort();
        return false;
    }
  }
}

/**
 * Writes the headers of a stream reply and runs its pump. `opened` is called once the headers are out (the server
 * releases the request's clock hold there).
 */
export async function runEventStream(
  res: ServerResponse,
  reply: { status: number; headers?: Record<string, string>; stream: StreamPump },
  fault: StreamFault | null,
  opened: () => void,
): Promise<void> {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(reply.status, {
    ...reply.headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
  });
  res.flushHeaders();
  opened();
  const sink = new Sink(res, fault);
  try {
    await reply.stream(sink);
  } catch (error) {
    if (!sink.done) {
      process.stderr.write(`gumloop-emulator: stream: ${(error as Error)?.stack ?? String(error)}\n`);
      res.destroy();
      return;
    }
  }
  // A pump that returned without ending (it found nothing more to send) ends the stream; a cut or stalled stream
  // is left as the fault made it.
  if (!sink.done) sink.end();
}
