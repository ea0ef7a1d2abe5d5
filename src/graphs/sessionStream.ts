/**
 * The session graph's streaming fast path: the session is created over Gumloop's event stream (the streaming host)
 * and followed there, so its end is seen the moment it comes, with one request, and the session is then read once
 * for its final state, messages and artifacts. Two pieces plug into the job core (no skeleton of their own):
 *
 * - the start's `send`: the streaming create. The stream is opened by the start step (which checkpoints the
 *   session as created) and parked for the wait step. A host or proxy that gives no stream falls back to the REST
 *   create, or, when the request was carried out anyway (a 2xx that is not a stream), to polling that session.
 * - the wait step's follower: reads the stream. Text deltas go to LangGraph's custom stream as progress events.
 *   Every `windowMs` the step ends with the last cursor (one checkpoint) and the next step reads on from the same
 *   connection; a new process (after a crash) resumes with `last_cursor` from the checkpoint, never creating a
 *   second session (the job core's start rules hold: caller-chosen id, intent before start, adopt on 409). A
 *   dropped stream is resumed from the last cursor after a wait by the one backoff rule; a stream that cannot be
 *   had (refused, stripped by a proxy, cursor rejected, or dropped {@link MAX_STREAM_FAILURES} times in a row
 *   without an event) hands the job over to polling.
 *
 * What ends the run on the stream (gumloop-api.md 3.7): a `finish` with `final: true` (a paused run finishes too,
 * with `stop`: the read tells), or `finishReason: "not_resumable"` on a resume (the run is over). Inference, not
 * documented by Gumloop: a stream that ends without either also calls for a read; an `abort` event (or a finish
 * whose reason says abort or cancel) means the session was cancelled; `text-start` and `text-delta` mean the run is
 * `processing`.
 */
import type { GumloopClient } from "../client/client.js";
import { BadRequestError, isRateLimitError } from "../client/errors.js";
import type { SessionStreamEvent } from "../client/sessionEvent.js";
import type { Clock } from "../client/sleep.js";
import { StreamError, StreamUnavailableError } from "../client/streamErrors.js";
import { ENDPOINTS } from "../tools/index.js";
import { SESSION_STREAMS } from "../tools/sessionStreams.js";
import type { Accepted, FollowContext, Followed, JobFollower, StartContext } from "./job/spec.js";
import type { JobState } from "./job/state.js";
import { isTransient, retryWaitMs } from "./retry.js";
import { ParkedStreams, rememberRefusal, StreamReader, streamRefused } from "./streamReader.js";
import type { SessionEnvelope } from "./types.js";

/**
 * How the session graph follows its session:
 * - `wanted`: to be created over its event stream (the graph's `stream` option, the default);
 * - `open`: followed over its event stream;
 * - `off`: polled (`stream: false`, or the stream could not be had).
 */
export type SessionStreamMode = "wanted" | "open" | "off";

/** Stream attempts in a row that fail without an event before the job is polled instead. */
export const MAX_STREAM_FAILURES = 3;

/** Finish reasons taken to mean a cancelled run (inference: Gumloop documents none). */
const CANCEL_REASONS = new Set(["abort", "aborted", "cancel", "cancelled", "canceled"]);

/** The slice of the session graph's state the streaming path reads. */
export interface StreamingSessionState extends JobState {
  readonly sessionId: string | null;
  readonly session: { readonly id: string } | null;
  readonly created: boolean;
  readonly streamMode: SessionStreamMode;
  readonly streamCursor: string | null;
}

/** What the streaming path takes from the session graph. */
export interface SessionStreamingOptions<S> {
  /** The REST create's body (the streaming create sends it with `stream: true`). */
  readonly body: (state: S) => Record<string, unknown>;
  /** The graph's keys from a session envelope. */
  readonly seen: (data: SessionEnvelope) => Accepted<S>;
  /** Longest stretch of stream read in one graph step, ms of the graph's clock (0: one step per event). */
  readonly windowMs: number;
  readonly now: Clock;
}

/** Whether `data` is a session envelope (a stripped stream may answer anything). */
function isEnvelope(data: unknown): data is SessionEnvelope {
  const session = (data as SessionEnvelope | null)?.session;
  return typeof session?.id === "string" && typeof session.state === "string";
}

/** Whether a resume was refused because its cursor is invalid or expired (cursor retention is not documented). */
function cursorRejected(error: unknown): boolean {
  return (
    error instanceof BadRequestError && (error.param === "last_cursor" || error.code === "invalid_cursor")
  );
}

/** The streaming create (the start's `send`) and the follower (the wait step's), sharing parked streams. */
export function sessionStreaming<S extends StreamingSessionState>(options: SessionStreamingOptions<S>) {
  const { now, windowMs } = options;
  const parked = new ParkedStreams();
  const keyOf = (state: S) => state.slotKey!;

  const send = async (state: S, { client, signal }: StartContext): Promise<Accepted<S>> => {
    const body = options.body(state);
    if (state.streamMode === "wanted" && !streamRefused(client, now)) {
      try {
        const stream = await client.stream(SESSION_STREAMS.create, body, { signal });
        parked.park(keyOf(state), new StreamReader(stream), signal);
        return { state: null, queuePosition: null, update: keys({ created: true, streamMode: "open" }) };
      } catch (error) {
        if (!(error instanceof StreamUnavailableError)) throw error;
        // Answered 2xx without a stream (a proxy that strips Server-Sent Events): the session exists; poll it.
        if (error.accepted) {
          rememberRefusal(client, now);
          return created(options, error.response?.data ?? null);
        }
        // Refused, nothing done: the REST create. Remembered only if the REST host takes what the streaming host
        // refused (a 404 for an unknown agent is the request's fault, not the stream's).
        const { data } = await client.call(ENDPOINTS.create_a_gumloop_session, body, { signal });
        rememberRefusal(client, now);
        return created(options, data);
      }
    }
    // Streams are off: the REST create, polled.
    const { data } = await client.call(ENDPOINTS.create_a_gumloop_session, body, { signal });
    return created(options, data);
  };

  const follower: JobFollower<S> = {
    active: (state) => state.streamMode === "open",
    follow: (state, context) => follow(state, context, keyOf(state)),
  };

  async function follow(state: S, context: FollowContext, key: string): Promise<Followed<S>> {
    const { client, waits } = context;
    const { sleep, signal } = waits;
    const deadlineAt = waits.deadlineAt ?? Infinity;
    const windowEnd = now() + windowMs;
    let current = state.state;
    let cursor = state.streamCursor;
    let failures = 0;
    let reader = parked.take(key);

    const outcome = (extra: Partial<StreamingSessionState> = {}) => ({
      state: current,
      update: keys<S>({ streamCursor: cursor, ...extra }),
    });
    const fallback = (data?: unknown): Followed<S> => ({
      kind: "fallback",
      ...outcome({ streamMode: "off" }),
      ...(isEnvelope(data) ? { data } : {}),
    });
    /** Waits before the next attempt by the one backoff rule; false when the deadline would come first. */
    const backOff = async (error: unknown): Promise<boolean> => {
      const wait = retryWaitMs(failures, error, waits.random, waits.options);
      if (now() + wait >= deadlineAt) return false;
      await sleep(wait, signal);
      return true;
    };

    try {
      for (;;) {
        if (now() >= deadlineAt) return { kind: "deadline", ...outcome() };
        if (!reader) {
          if (streamRefused(client, now)) return fallback();
          try {
            reader = await resume(client, state, cursor, signal);
          } catch (error) {
            if (error instanceof StreamUnavailableError) {
              // A 404 may be the session's (the read that follows says); anything else is the host's refusal.
              if (error.accepted || error.status !== 404) rememberRefusal(client, now);
              return fallback(error.accepted ? error.response?.data : undefined);
            }
            if (cursorRejected(error)) return fallback();
            if (!isRateLimitError(error) && !isTransient(error)) throw error;
            if (++failures >= MAX_STREAM_FAILURES) return fallback();
            if (!(await backOff(error))) return { kind: "deadline", ...outcome() };
            continue;
          }
        }
        const until = Math.min(deadlineAt, windowMs > 0 ? windowEnd : Infinity) - now();
        const next = await reader.next(Number.isFinite(until) ? until : null, sleep);
        if (next.kind === "timer") {
          if (now() >= deadlineAt) return { kind: "deadline", ...outcome() };
          parked.park(key, reader, signal);
          reader = null;
          context.progress(current);
          return { kind: "window", ...outcome() };
        }
        if (next.kind === "end") {
          reader = null;
          return { kind: "ended", cancelled: false, ...outcome() };
        }
        if (next.kind === "error") {
          reader = null;
          if (signal?.aborted || !(next.error instanceof StreamError)) throw next.error;
          // Dropped, stalled or over its cap: resume from the last cursor, after a wait, a few times at most.
          if (++failures >= MAX_STREAM_FAILURES) return fallback();
          if (!(await backOff(next.error))) return { kind: "deadline", ...outcome() };
          continue;
        }
        failures = 0;
        const { event } = next;
        if (event.cursor !== null) cursor = event.cursor;
        const seen = meaning(event);
        if (seen.running) current = "processing";
        if (seen.progress) context.progress(current, seen.text);
        if (seen.end) {
          reader.close();
          reader = null;
          return { kind: "ended", cancelled: seen.cancelled, ...outcome() };
        }
        if (now() >= windowEnd) {
          parked.park(key, reader, signal);
          reader = null;
          return { kind: "window", ...outcome() };
        }
      }
    } finally {
      // Leaving by an error (an abort among them) closes the connection; a parked stream was handed on.
      reader?.close();
    }
  }

  return { send, follower, parked };
}

/** What one event means for the wait. */
interface Meaning {
  /** The run is going (its text is being written). */
  readonly running: boolean;
  /** A progress event is due (the run was accepted or started, or text arrived). */
  readonly progress: boolean;
  readonly text?: { readonly delta: string; readonly textId?: string };
  /** The run is over (or paused): read the session. */
  readonly end: boolean;
  readonly cancelled: boolean;
}

const QUIET: Meaning = { running: false, progress: false, end: false, cancelled: false };

function meaning(event: SessionStreamEvent): Meaning {
  switch (event.type) {
    case "interaction-ready":
      return { ...QUIET, progress: true };
    case "text-start":
      return { ...QUIET, running: true, progress: true };
    case "text-delta": {
      const delta = event.raw["delta"];
      const textId = event.raw["id"];
      if (typeof delta !== "string" || delta === "") return { ...QUIET, running: true };
      const text = { delta, ...(typeof textId === "string" ? { textId } : {}) };
      return { ...QUIET, running: true, progress: true, text };
    }
    case "finish": {
      const cancelled = CANCEL_REASONS.has(event.finishReason ?? "");
      const end = event.final === true || event.finishReason === "not_resumable" || cancelled;
      return { ...QUIET, end, cancelled };
    }
    case "abort":
      return { ...QUIET, end: true, cancelled: true };
    default:
      return QUIET;
  }
}

/** Opens the session's stream again, after `cursor` (or from its current run's start when there is none). */
async function resume(
  client: GumloopClient,
  state: StreamingSessionState,
  cursor: string | null,
  signal: AbortSignal | undefined,
): Promise<StreamReader> {
  const id = state.session?.id ?? state.sessionId!;
  const input = { session_id: id, ...(cursor === null ? {} : { last_cursor: cursor }) };
  return new StreamReader(await client.stream(SESSION_STREAMS.resume, input, { signal }));
}

/** The start's answer for a session created without a stream: its envelope when there is one, then polled. */
function created<S extends StreamingSessionState>(
  options: SessionStreamingOptions<S>,
  data: unknown,
): Accepted<S> {
  const accepted: Accepted<S> = isEnvelope(data)
    ? options.seen(data)
    : { state: null, queuePosition: null, update: {} };
  return { ...accepted, update: { ...accepted.update, ...keys<S>({ created: true, streamMode: "off" }) } };
}

/** The streaming path's keys as the graph's update. */
function keys<S extends StreamingSessionState>(update: Partial<StreamingSessionState>): Partial<S> {
  return update as Partial<S>;
}
