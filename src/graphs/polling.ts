/**
 * Polling schedules for Gumloop's asynchronous jobs: capped exponential backoff with jitter, slower while
 * a job waits in a queue, and explicit state sets per job kind. Unknown states count as still running (Gumloop adds
 * states over time), so only a state we know to be terminal ends the wait.
 *
 * Defaults (reliability.md 3.3): sessions 1 s ×2 up to 15 s; exports 5 s ×1.5 up to 60 s; flow runs 1 s ×2 up to
 * 15 s. At 300 s this is ~24 polls and ~7 s mean detection delay, against 300 polls for fixed 1 s polling.
 * Jitter is ±10 %: enough to spread clients that started together, while wider jitter raises the mean delay
 * (E[delay] = E[interval²] / 2·E[interval]) and, for full jitter, doubles the polls.
 */

export interface PollSchedule {
  /** First wait after the job starts, ms. */
  readonly initialMs: number;
  /** Growth per poll. */
  readonly factor: number;
  /** Longest wait between polls, ms. */
  readonly capMs: number;
  /** Relative jitter, 0.1 = ±10 %. */
  readonly jitter: number;
  /** While queued: at least this much per position in the queue, ms. */
  readonly perQueuePositionMs: number;
  /** While queued: never more than this, ms. */
  readonly queuedCapMs: number;
  /**
   * While other jobs of ours wait for a slot in the shared gate, the longest wait, ms: a slot that frees unseen
   * idles a waiting job too, so a finished job is worth noticing sooner.
   */
  readonly contendedCapMs: number;
}

/** How sessions (and flow runs) are polled by default: 1 s ×2 up to 15 s, slower while queued, ±10 % jitter. */
export const SESSION_SCHEDULE: PollSchedule = {
  initialMs: 1_000,
  factor: 2,
  capMs: 15_000,
  jitter: 0.1,
  perQueuePositionMs: 5_000,
  queuedCapMs: 60_000,
  contendedCapMs: 4_000,
};
/** How exports are polled by default: 5 s ×1.5 up to 60 s, ±10 % jitter. */
export const EXPORT_SCHEDULE: PollSchedule = {
  initialMs: 5_000,
  factor: 1.5,
  capMs: 60_000,
  jitter: 0.1,
  perQueuePositionMs: 0,
  queuedCapMs: 60_000,
  contendedCapMs: 60_000,
};
/** Flow runs poll like sessions: both last seconds to minutes and wait for the same kind of plan slot. */
export const FLOW_SCHEDULE: PollSchedule = { ...SESSION_SCHEDULE };

/** Session states: the ones a wait ends on, and the ones it goes on through. */
export const SESSION_STATES = {
  intermediate: ["queued", "processing"] as const,
  terminal: ["completed", "failed", "idle"] as const,
  paused: ["approval_required"] as const,
};
export const EXPORT_STATES = {
  intermediate: ["REQUESTED", "IN_PROGRESS"] as const,
  terminal: ["COMPLETED", "FAILED"] as const,
};
export const FLOW_RUN_STATES = {
  intermediate: ["QUEUED", "STARTED", "RUNNING", "TERMINATING"] as const,
  terminal: ["DONE", "FAILED", "TERMINATED"] as const,
};

/** The wait before poll number `poll` (1-based: the wait before the first poll is `initialMs`). */
export function pollDelayMs(
  schedule: PollSchedule,
  poll: number,
  queuePosition: number | null | undefined,
  random: () => number = Math.random,
  contended = false,
): number {
  const cap = contended ? Math.min(schedule.capMs, schedule.contendedCapMs) : schedule.capMs;
  let base = Math.min(schedule.initialMs * schedule.factor ** Math.max(0, poll - 1), cap);
  if (queuePosition && queuePosition > 0 && schedule.perQueuePositionMs > 0) {
    // A job third in the queue will not start for a while: ask less often, in proportion to its position.
    base = Math.min(Math.max(base, schedule.perQueuePositionMs * queuePosition), schedule.queuedCapMs);
  }
  const spread = 1 + schedule.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base * spread));
}

/**
 * What a job graph reports through `config.writer` (LangGraph's `custom` stream), for live progress: one event per
 * status read, and for a session followed over its event stream, one per step of the stream (accepted, started,
 * each piece of the agent's text as it arrives, each checkpoint). Text events carry `delta`: join the deltas of a
 * `textId` in order and you have the agent's words as they were written.
 */
export interface GumloopProgressEvent {
  readonly kind: "gumloop_progress";
  readonly job: "session" | "export" | "flow_run";
  readonly id: string;
  /** Gumloop's state of the job as last known (`"starting"` before a streamed session says). */
  readonly state: string;
  /** Status reads so far. */
  readonly polls: number;
  readonly queuePosition: number | null;
  readonly elapsedMs: number;
  /** Streamed sessions: the piece of the agent's reply that just arrived (Gumloop's `text-delta`). */
  readonly delta?: string;
  /** Streamed sessions, with `delta`: the id of the text the piece belongs to (a run may write several). */
  readonly textId?: string;
}

/** Whether a `custom` stream chunk is one of our progress events (LangGraph types custom chunks as `any`). */
export function isGumloopProgressEvent(chunk: unknown): chunk is GumloopProgressEvent {
  return (
    typeof chunk === "object" && chunk !== null && (chunk as { kind?: unknown }).kind === "gumloop_progress"
  );
}
