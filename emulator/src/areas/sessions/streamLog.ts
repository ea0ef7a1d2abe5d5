/**
 * Each session's stream log: every event its runs have streamed, in order, each with a sequence number that the
 * event's `stream_cursor` encodes. A stream is a reader of this log from a position (after a cursor, or from the
 * start of the current run), so a stream resumed after a cut gets exactly the events it had not had.
 *
 * Cursors are opaque base64 JSON, in the style of Gumloop's page cursors (`{"session_id", "seq"}`); how long
 * Gumloop keeps them is not documented, so the emulator keeps every event of a session (inference).
 */
import type { AreaEnv } from "../../area.js";
import { invalidRequest } from "../../server/errors.js";
import { decodeCursor, encodeCursor } from "../../server/pagination.js";

/** One logged event. */
export interface StreamEntry {
  /** Position in the session's log, from 0. */
  readonly seq: number;
  /** The event as sent: `type`, its fields and `stream_cursor`. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** The last event of its run's stream (the final `finish`, or `abort`): a stream ends after it. */
  readonly last: boolean;
}

interface SessionLog {
  readonly entries: StreamEntry[];
  /** Position just before the current run's first event (-1 at the start of the log). */
  runStart: number;
  readonly listeners: Set<() => void>;
}

function logOf(env: AreaEnv, sessionId: string): SessionLog {
  const logs = env.store.area("sessionStreams", () => new Map<string, SessionLog>());
  let log = logs.get(sessionId);
  if (!log) logs.set(sessionId, (log = { entries: [], runStart: -1, listeners: new Set() }));
  return log;
}

/** The cursor of the event at `seq`. */
export function streamCursor(sessionId: string, seq: number): string {
  return encodeCursor({ session_id: sessionId, seq });
}

/** The position of the last logged event (-1 when none): a stream started here gets only what comes next. */
export function logPosition(env: AreaEnv, sessionId: string): number {
  return logOf(env, sessionId).entries.length - 1;
}

/** Where the current run's events begin (for a resume without a cursor). */
export function runStartPosition(env: AreaEnv, sessionId: string): number {
  return logOf(env, sessionId).runStart;
}

/** Marks the start of a new run at the current end of the log. */
export function markRunStart(env: AreaEnv, sessionId: string): void {
  const log = logOf(env, sessionId);
  log.runStart = log.entries.length - 1;
}

/** Forgets events after `position` (a run that was refused with a 429 streams nothing). */
export function truncateLog(env: AreaEnv, sessionId: string, position: number, runStart: number): void {
  const log = logOf(env, sessionId);
  log.entries.length = Math.max(0, position + 1);
  log.runStart = runStart;
}

/** Appends an event and wakes the streams waiting on this session. */
export function appendStreamEvent(
  env: AreaEnv,
  sessionId: string,
  type: string,
  fields: Readonly<Record<string, unknown>> = {},
  last = false,
): StreamEntry {
  const log = logOf(env, sessionId);
  const seq = log.entries.length;
  const entry: StreamEntry = {
    seq,
    payload: { type, ...fields, stream_cursor: streamCursor(sessionId, seq) },
    last,
  };
  log.entries.push(entry);
  for (const listener of [...log.listeners]) listener();
  return entry;
}

/** The events after `position`, oldest first. */
export function entriesAfter(env: AreaEnv, sessionId: string, position: number): readonly StreamEntry[] {
  return logOf(env, sessionId).entries.slice(position + 1);
}

/** Calls `listener` on every event appended to the session's log until the returned function is called. */
export function onStreamEvent(env: AreaEnv, sessionId: string, listener: () => void): () => void {
  const { listeners } = logOf(env, sessionId);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The log position a `last_cursor` names: 400 `invalid_cursor` when it is not one of this session's cursors
 * (the slug is the one Gumloop's page cursors use; for stream cursors it is inference).
 */
export function positionOfCursor(env: AreaEnv, sessionId: string, cursor: string): number {
  const invalid = () => invalidRequest("last_cursor is invalid or expired", "last_cursor", "invalid_cursor");
  let decoded: Record<string, unknown>;
  try {
    decoded = decodeCursor(cursor);
  } catch {
    throw invalid();
  }
  const { seq } = decoded;
  if (decoded.session_id !== sessionId || typeof seq !== "number" || !Number.isInteger(seq)) throw invalid();
  if (seq < 0 || seq > logPosition(env, sessionId)) throw invalid();
  return seq;
}
