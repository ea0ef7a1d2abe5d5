/**
 * The state keys every job graph shares. Each graph's state is these plus its own keys (its inputs, the job's id
 * under its own name, and what its extra nodes produce), so the three graphs end with the same shape.
 */
import { Annotation } from "@langchain/langgraph";

/**
 * How a job graph ended, or where it stands.
 * - `running`: still going (only seen mid-run or in a checkpoint).
 * - `approval_required`: the session paused for a human decision (sessions only).
 * - `completed`, `failed`: Gumloop's own verdict.
 * - `cancelled`: cancelled or killed (by the graph on timeout, or by someone else).
 * - `timed_out`: the graph stopped waiting at its deadline; the job may still be running on Gumloop.
 * - `outcome_unknown`: a start may or may not have happened and the graph could not tell which; it did not send
 *   the start again. `error` says what to check; invoke the thread with `{ restart: true }` to start anyway.
 */
export type JobStatus =
  "running" | "approval_required" | "completed" | "failed" | "cancelled" | "timed_out" | "outcome_unknown";

/** Statuses after which nothing more happens on the thread unless it is invoked again. */
export const FINISHED_STATUSES: readonly JobStatus[] = [
  "completed",
  "failed",
  "cancelled",
  "timed_out",
  "outcome_unknown",
];

/**
 * Written and checkpointed by its own step just before a start request that Gumloop cannot deduplicate. Found on
 * resume with no job id, it means the start may have been sent: the graph reconciles instead of sending it again.
 */
export interface StartIntent {
  /** Random, unique to this attempt. */
  readonly nonce: string;
  /** When the start was about to be sent (the graph's clock, epoch ms). */
  readonly at: number;
}

export const replace = <T>(_previous: T, next: T) => next;

/** The shared keys, to spread into a graph's `Annotation.Root`. */
export const jobStateFields = {
  /** Where the job stands; see {@link JobStatus}. */
  status: Annotation<JobStatus | null>({ reducer: replace, default: () => null }),
  /** Gumloop's own state of the job as last read (`processing`, `RUNNING`, `IN_PROGRESS`, …). */
  state: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** Status reads so far. */
  polls: Annotation<number>({ reducer: replace, default: () => 0 }),
  /** Place in Gumloop's queue, when it reports one. */
  queuePosition: Annotation<number | null>({ reducer: replace, default: () => null }),
  /** When the job was planned (epoch ms, the graph's clock). */
  startedAt: Annotation<number | null>({ reducer: replace, default: () => null }),
  /** When the graph stops waiting (epoch ms). */
  deadlineAt: Annotation<number | null>({ reducer: replace, default: () => null }),
  /** True once the graph asked Gumloop to cancel or kill the job. */
  cancelRequested: Annotation<boolean>({ reducer: replace, default: () => false }),
  /** Why the job did not complete, in words a model or a person can act on. */
  error: Annotation<string | null>({ reducer: replace, default: () => null }),
  /**
   * Input: start a new job even though this thread already has one for the same input (after `outcome_unknown`,
   * or to run the same job again). Cleared once the new job is planned.
   */
  restart: Annotation<boolean>({ reducer: replace, default: () => false }),
  /** Fingerprint of the input the thread's job was started for: a new input means a new job. */
  jobKey: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** The pending start (see {@link StartIntent}); cleared when the start is answered either way. */
  intent: Annotation<StartIntent | null>({ reducer: replace, default: () => null }),
  /** Earliest time of the next start attempt after a refusal (epoch ms). */
  retryAt: Annotation<number | null>({ reducer: replace, default: () => null }),
  /** Times of the start attempts of the last minute, for the per-minute bound. */
  startAttempts: Annotation<number[]>({ reducer: replace, default: () => [] }),
  /** Starts Gumloop refused (429) so far, for the backoff. */
  startRefusals: Annotation<number>({ reducer: replace, default: () => 0 }),
  /** Key the job holds in the concurrency gate. */
  slotKey: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** The account the job runs under, when the graph serves many end users (a client pool); else null. */
  account: Annotation<string | null>({ reducer: replace, default: () => null }),
};

/** The shared slice of a job graph's state, as nodes read it. */
export interface JobState {
  readonly status: JobStatus | null;
  readonly state: string | null;
  readonly polls: number;
  readonly queuePosition: number | null;
  readonly startedAt: number | null;
  readonly deadlineAt: number | null;
  readonly cancelRequested: boolean;
  readonly error: string | null;
  readonly restart: boolean;
  readonly jobKey: string | null;
  readonly intent: StartIntent | null;
  readonly retryAt: number | null;
  readonly startAttempts: number[];
  readonly startRefusals: number;
  readonly slotKey: string | null;
  readonly account: string | null;
}
