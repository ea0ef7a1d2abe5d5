/**
 * What a run streams, and when, on the emulator's clock. runs.ts calls these at the run's moments; the events go
 * to the session's stream log (streamLog.ts), where streams read them.
 *
 * The order follows what was seen live on Gumloop's streaming host (gumloop-api.md 3.7): `interaction-ready`
 * (`interaction_id`) when the run is accepted; `text-start` (`id`) when it takes a slot; `text-delta` (`id`,
 * `delta`) spread over the run's duration; `text-end`; then `finish` twice, `final: false` and `final: true`
 * (`finishReason`, `queuedContinuation`). The rest is inference, kept to the same vocabulary (the AI SDK's UI
 * stream, which those names match): every event carries a `stream_cursor` (seen live on `interaction-ready` and
 * `text-delta`; given to all here, so a resume neither repeats nor skips one); a pause for approval sends one
 * `tool-approval-request` per ask before a `stop` finish (live, only the `stop` finish is documented); a failed run
 * finishes with `finishReason: "error"` and the envelope's `error` / `errorMessage`; a cancelled run ends with an
 * `abort` event and no `finish`.
 */
import type { AreaEnv } from "../../area.js";
import type { SessionRecord } from "../../world/model.js";
import type { Job, TimedEvent } from "../../world/scheduler.js";
import { appendStreamEvent, markRunStart } from "./streamLog.js";

/** At most this many `text-delta` events per run: enough to see text arrive in pieces. */
const MAX_PIECES = 8;

interface PendingDelta {
  readonly delta: string;
  readonly event: TimedEvent;
}

/** The run a session is streaming: its text part's id and the deltas not yet sent. */
interface RunStream {
  readonly textId: string;
  readonly pending: PendingDelta[];
}

function runsOf(env: AreaEnv): Map<string, RunStream> {
  return env.store.area("sessionStreamRuns", () => new Map<string, RunStream>());
}

/** The text in at most {@link MAX_PIECES} pieces of whole words (with their spacing), which join back exactly. */
export function textPieces(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const per = Math.max(1, Math.ceil(words.length / MAX_PIECES));
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += per) pieces.push(words.slice(i, i + per).join(""));
  return pieces;
}

/** A run was accepted (running or queued): `interaction-ready`. */
export function streamRunAccepted(env: AreaEnv, session: SessionRecord, run: number): void {
  markRunStart(env, session.id);
  appendStreamEvent(env, session.id, "interaction-ready", { interaction_id: session.id });
  runsOf(env).set(session.id, { textId: `${session.id}-text-${run}`, pending: [] });
}

/** The run took a slot: `text-start`, and the reply's deltas scheduled over the run's duration. */
export function streamRunStarted(env: AreaEnv, session: SessionRecord, job: Job, text: string): void {
  const run = runsOf(env).get(session.id);
  if (!run) return;
  appendStreamEvent(env, session.id, "text-start", { id: run.textId });
  const start = job.startedAt ?? env.clock.now();
  const span = Math.max(0, (job.endsAt ?? start) - start);
  const pieces = textPieces(text);
  pieces.forEach((delta, i) => {
    const at = Math.round(start + (span * (i + 1)) / (pieces.length + 1));
    const event = env.scheduler.at(at, () => {
      run.pending.shift();
      appendStreamEvent(env, session.id, "text-delta", { id: run.textId, delta });
    });
    run.pending.push({ delta, event });
  });
}

/** Sends the deltas still scheduled now (a run whose end came first, e.g. with a zero duration). */
function flushDeltas(env: AreaEnv, sessionId: string, run: RunStream): void {
  for (const { delta, event } of run.pending.splice(0)) {
    event.cancel();
    appendStreamEvent(env, sessionId, "text-delta", { id: run.textId, delta });
  }
}

/** The run ended (session state already set): `text-end`, approval asks, and the two `finish` events. */
export function streamRunFinished(env: AreaEnv, session: SessionRecord): void {
  const run = runsOf(env).get(session.id);
  if (!run) return;
  runsOf(env).delete(session.id);
  flushDeltas(env, session.id, run);
  appendStreamEvent(env, session.id, "text-end", { id: run.textId });
  let finish: Record<string, unknown> = { finishReason: "stop" };
  if (session.state === "approval_required") {
    for (const ask of session.pendingApprovals.filter((a) => a.resolution === null)) {
      appendStreamEvent(env, session.id, "tool-approval-request", {
        action_request_id: ask.actionRequestId,
        tool_name: ask.toolName,
        title: ask.title,
      });
    }
  } else if (session.state === "failed") {
    const reply = session.messages.at(-1)?.content ?? "The agent run failed.";
    finish = { finishReason: "error", error: "agent_run_failed", errorMessage: reply };
  }
  appendStreamEvent(env, session.id, "finish", { ...finish, final: false, queuedContinuation: false });
  appendStreamEvent(env, session.id, "finish", { ...finish, final: true, queuedContinuation: false }, true);
}

/** The run was cancelled (queued or running): its deltas are dropped and the stream ends with `abort`. */
export function streamRunCancelled(env: AreaEnv, session: SessionRecord): void {
  const run = runsOf(env).get(session.id);
  if (!run) return;
  runsOf(env).delete(session.id);
  for (const { event } of run.pending.splice(0)) event.cancel();
  appendStreamEvent(env, session.id, "abort", { reason: "cancelled" }, true);
}

/** A run refused before it was accepted (a 429): forget its stream. */
export function streamRunRefused(env: AreaEnv, session: SessionRecord): void {
  runsOf(env).delete(session.id);
}
