/**
 * Session streams on the streaming host (`/ws/api/v1`, standing in for ws.gumloop.com): create-session and
 * send-message with `stream: true`, and `GET /sessions/{session_id}?stream=true&last_cursor=<cursor>` to resume.
 *
 * A stream reads the session's stream log (streamLog.ts) from a position, following the run on the emulator's
 * clock: it sends what the log holds, then waits (on the clock) for the run's next moment or the next appended
 * event, whichever comes first, and ends after the run's last event (the final `finish`, or `abort` when the session
 * is cancelled). While nothing happens it sends a `: keep-alive` comment every `streamKeepAliveMs` of clock time
 * (Gumloop's interval is not documented; inference).
 */
import type { AreaEnv } from "../../area.js";
import { eventStream, type RequestContext, type Reply } from "../../server/context.js";
import type { StreamSink } from "../../server/sse.js";
import type { SessionRecord } from "../../world/model.js";
import { activeJob } from "./runs.js";
import { entriesAfter, onStreamEvent, positionOfCursor, runStartPosition } from "./streamLog.js";

/** Resolves after `ms` of clock time, on the next event appended to the session's log, or when the sink closes. */
function nextMoment(env: AreaEnv, sessionId: string, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = new AbortController();
    let off = () => {};
    const done = () => {
      off();
      signal.removeEventListener("abort", done);
      timer.abort();
      resolve();
    };
    off = onStreamEvent(env, sessionId, done);
    signal.addEventListener("abort", done, { once: true });
    env.clock.sleep(ms, timer.signal).then(done, () => {});
  });
}

/** Writes the session's events after `position` as they happen, until its run's last event. */
async function follow(env: AreaEnv, session: SessionRecord, position: number, sink: StreamSink) {
  const keepAliveMs = env.options.streamKeepAliveMs;
  let lastSentAt = env.clock.now();
  while (!sink.signal.aborted) {
    env.scheduler.settle(env.clock.now());
    for (const entry of entriesAfter(env, session.id, position)) {
      if (!sink.event(entry.payload)) return;
      position = entry.seq;
      lastSentAt = env.clock.now();
      if (entry.last) return sink.end();
    }
    // No run in progress and nothing left to send: nothing more will come (a safety net; a run's end is its last
    // event above).
    if (activeJob(env, session) === null) return sink.end();
    const now = env.clock.now();
    if (now - lastSentAt >= keepAliveMs) {
      if (!sink.comment("keep-alive")) return;
      lastSentAt = now;
    }
    const next = env.scheduler.nextEventTime();
    const untilNext = next === null ? Infinity : Math.max(0, next - now);
    await nextMoment(env, session.id, Math.min(lastSentAt + keepAliveMs - now, untilNext), sink.signal);
  }
}

/** The stream of a run just started (create-session or send-message): the log from `position` on. */
export function sessionStreamReply(env: AreaEnv, session: SessionRecord, position: number): Reply {
  return eventStream((sink) => follow(env, session, position, sink));
}

/**
 * `GET /sessions/{session_id}?stream=true[&last_cursor=…]` on the streaming host: the events after the cursor (or
 * from the current run's start), then the rest of the run live. On a session with no run in progress the answer is
 * one `finish` with `finishReason: "not_resumable"` (as Gumloop's SDK tests show), even when the cursor is older
 * than the run's end (inference: Gumloop resumes only live runs).
 */
export function resumeReply(ctx: RequestContext, session: SessionRecord): Reply {
  const cursor = ctx.queryParam("last_cursor");
  const position = cursor
    ? positionOfCursor(ctx.env, session.id, cursor)
    : runStartPosition(ctx.env, session.id);
  if (activeJob(ctx.env, session) === null) {
    return eventStream(async (sink) => {
      sink.event({ type: "finish", finishReason: "not_resumable", final: true });
      sink.end();
    });
  }
  return sessionStreamReply(ctx.env, session, position);
}
