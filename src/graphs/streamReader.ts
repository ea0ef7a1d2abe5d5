/**
 * Reading one session stream across the session graph's wait steps.
 *
 * A stream outlives a graph step: the wait step reads it for a window, then ends (one checkpoint, with the cursor)
 * and the next step reads on from the same connection, without a request. So an open stream is parked between
 * steps, in memory, under its job's key, and taken back by the next step; a new process finds nothing parked and
 * resumes from the checkpointed cursor instead. A parked stream nobody takes (its run was abandoned) is closed
 * after {@link PARK_LIMIT_MS}, or at once when its run's signal aborts.
 *
 * A wait for the next event is bounded by a timer on the graph's clock (the window's end, the job's deadline). An
 * event that arrives after its timer fired is not lost: the pending read is kept for the next call.
 */
import type { SessionEventStream } from "../client/eventStream.js";
import type { SessionStreamEvent } from "../client/sessionEvent.js";
import type { Clock, Sleep } from "../client/sleep.js";

/** How waiting for the next event ended. */
export type NextEvent =
  | { readonly kind: "event"; readonly event: SessionStreamEvent }
  /** The server ended the stream (or it was closed). */
  | { readonly kind: "end" }
  /** The stream broke (interrupted, idle, too large, or the run's signal aborted). */
  | { readonly kind: "error"; readonly error: unknown }
  /** The timer ran out first. */
  | { readonly kind: "timer" };

const TIMER: NextEvent = { kind: "timer" };

/** One open stream, read event by event, with a pending read that survives a timer. */
export class StreamReader {
  readonly #stream: SessionEventStream;
  readonly #iterator: AsyncIterator<SessionStreamEvent>;
  #pending: Promise<NextEvent> | null = null;

  constructor(stream: SessionEventStream) {
    this.#stream = stream;
    this.#iterator = stream[Symbol.asyncIterator]();
  }

  /** The next event, or `timer` once `ms` of the graph's clock have passed first (null: no timer). */
  async next(ms: number | null, sleep: Sleep): Promise<NextEvent> {
    // Settles, never rejects: a read left pending while the stream is parked must not become an unhandled rejection.
    this.#pending ??= this.#iterator.next().then(
      (result): NextEvent => (result.done ? { kind: "end" } : { kind: "event", event: result.value }),
      (error: unknown): NextEvent => ({ kind: "error", error }),
    );
    const pending = this.#pending;
    if (ms === null || !Number.isFinite(ms)) return this.#taken(await pending);
    const timer = new AbortController();
    const timeout = sleep(Math.max(0, ms), timer.signal).then(
      () => TIMER,
      () => pending,
    );
    const result = await Promise.race([pending, timeout]);
    timer.abort();
    return result === TIMER ? TIMER : this.#taken(result);
  }

  /** Closes the connection; a pending read ends quietly. */
  close(): void {
    this.#stream.close();
  }

  #taken(result: NextEvent): NextEvent {
    this.#pending = null;
    return result;
  }
}

/** How long a parked stream waits for the next step of its run before it is closed, real ms. */
export const PARK_LIMIT_MS = 60_000;

interface Parked {
  readonly reader: StreamReader;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** The streams of one graph instance parked between steps, by job key. */
export class ParkedStreams {
  readonly #parked = new Map<string, Parked>();

  /** Parks `reader` for the next step of job `key`; a run whose `signal` aborts closes it. */
  park(key: string, reader: StreamReader, signal: AbortSignal | undefined): void {
    this.#drop(key);
    if (signal?.aborted) {
      reader.close();
      return;
    }
    const onAbort = () => this.#drop(key);
    // A resource guard, not a wait of the job's: real time, and it never keeps the process alive.
    const timer = setTimeout(onAbort, PARK_LIMIT_MS);
    timer.unref?.();
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#parked.set(key, { reader, timer, signal, onAbort });
  }

  /** Takes the stream parked for job `key`, if any. */
  take(key: string): StreamReader | null {
    const parked = this.#parked.get(key);
    if (!parked) return null;
    this.#release(key, parked);
    return parked.reader;
  }

  /** Streams parked now. */
  get size(): number {
    return this.#parked.size;
  }

  #drop(key: string): void {
    const parked = this.#parked.get(key);
    if (!parked) return;
    this.#release(key, parked);
    parked.reader.close();
  }

  #release(key: string, parked: Parked): void {
    clearTimeout(parked.timer);
    parked.signal?.removeEventListener("abort", parked.onAbort);
    this.#parked.delete(key);
  }
}

/** How long a client whose streaming host refused a stream is not asked for one again, ms of the graph's clock. */
export const REFUSAL_MEMORY_MS = 10 * 60_000;

const refusals = new WeakMap<object, number>();

/**
 * Whether `client`'s streaming host (or a proxy before it) refused a stream lately: the account or the network
 * does not allow streams, so jobs go straight to polling rather than paying a refused request each.
 */
export function streamRefused(client: object, now: Clock): boolean {
  const until = refusals.get(client);
  return until !== undefined && now() < until;
}

/** Remembers that `client` could not have a stream. */
export function rememberRefusal(client: object, now: Clock): void {
  refusals.set(client, now() + REFUSAL_MEMORY_MS);
}
