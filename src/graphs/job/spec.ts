/**
 * A job descriptor: what differs between Gumloop's three asynchronous jobs (agent sessions, flow runs, data
 * exports). The job core (plan, intent, start, poll) is built once from it; each graph is its spec plus its own
 * extra nodes.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { GumloopClient } from "../../client/client.js";
import type { RequestDefinition } from "../../client/definition.js";
import type { ValidationIssue } from "../../client/errors.js";
import type { GumloopProgressEvent, PollSchedule } from "../polling.js";
import type { WaitContext } from "../retry.js";
import type { JobState, JobStatus } from "./state.js";

/** Gumloop's states of one kind of job, by what they mean. A state in none of the lists counts as running. */
export interface JobStates {
  readonly running: readonly string[];
  readonly done: readonly string[];
  readonly failed: readonly string[];
  /** Cancelled or killed. */
  readonly cancelled?: readonly string[];
  /** Waiting for a human (sessions in `approval_required`). */
  readonly paused?: readonly string[];
}

/**
 * What the graph learns when a job is found or started: Gumloop's state of it, and the graph's own keys, the
 * job's id among them (under the graph's own name for it).
 */
export interface Accepted<S> {
  /** Gumloop's state of the job, or null when the answer does not say (a session started over its stream). */
  readonly state: string | null;
  readonly queuePosition: number | null;
  readonly update: Partial<S>;
}

/** How a start whose outcome is unknown was settled: the job was found, or it could not be told. */
export type Settled<S> =
  | { readonly kind: "adopted"; readonly accepted: Accepted<S> }
  | { readonly kind: "unknown"; readonly message: string };

/** What settling and recovering may use: the client, the abort signal, and a safe read with the job's retries. */
export interface StartContext {
  readonly client: GumloopClient;
  readonly signal: AbortSignal | undefined;
  /** Runs a read (safe to repeat) waiting out 429s and transient errors; null when the deadline comes first. */
  read<T>(call: () => Promise<T>): Promise<T | null>;
}

/**
 * `TStart` and `TRead` are the bodies of the start's and the read's answers, as their definitions declare them
 * (`responds<...>()`), so that `accepted` and `view` read them without casts.
 */
export interface JobSpec<S extends JobState, TStart = unknown, TRead = unknown> {
  /** The job as progress events name it. */
  readonly kind: "session" | "flow_run" | "export";
  /** The job in messages: "Session", "Flow run", "Export". */
  readonly noun: string;
  /** Operation name of input errors (the composite tool's name). */
  readonly operation: string;
  /** Gumloop's id of the job once it exists (a session's id only once it is created or adopted), else null. */
  idOf(state: S): string | null;
  /** Default poll schedule. */
  readonly schedule: PollSchedule;
  /** How long the graph waits by default, ms. */
  readonly defaultDeadlineMs: number;
  readonly states: JobStates;

  /** Problems with the job's input, found before anything is sent. */
  validate(state: S): ValidationIssue[];
  /** The input a job is for. Two invocations of a thread with equal values are the same job. */
  identity(state: S): unknown;
  /** The graph's own keys for a new job: the job's id cleared, results cleared, a fresh caller-chosen id. */
  fresh(state: S): Partial<S>;

  readonly start: {
    readonly definition: RequestDefinition<TStart>;
    body(state: S): Record<string, unknown>;
    /** The job as the start's answer describes it. */
    accepted(data: TStart, state: S): Accepted<S>;
    /**
     * How to settle a start that may have been sent without an answer (lost, 500/502/504, or a crash mid-request).
     * `"resend"`: the start carries an id Gumloop deduplicates (409), so sending it again is the way to find out.
     */
    readonly settle: "resend" | ((state: S, context: StartContext) => Promise<Settled<S>>);
    /** A start error the job resolves itself (a session's 409 on its own id), or null to let it through. */
    recover?(error: unknown, state: S, context: StartContext): Promise<Accepted<S> | null>;
    /**
     * Sends the start itself instead of `client.call(definition, body(state))` (a session started over its event
     * stream, or through the REST host when no stream can be had). Its errors are a start's errors.
     */
    send?(state: S, context: StartContext): Promise<Accepted<S>>;
  };

  readonly read: {
    readonly definition: RequestDefinition<TRead>;
    body(id: string, state: S): Record<string, unknown>;
    /** Gumloop's state, queue position and the graph's own keys from one read. */
    view(data: TRead, state: S): Accepted<S>;
  };

  /** A way to follow the job other than polling it (a session's event stream); polled when absent or inactive. */
  readonly follow?: JobFollower<S>;

  /** The call that cancels or kills the job, or null when Gumloop offers none (exports). */
  readonly cancel: {
    readonly definition: RequestDefinition;
    body(id: string): Record<string, unknown>;
  } | null;
}

/** What a follower gets from the wait step: the run's client, config and waits, and the job's progress events. */
export interface FollowContext {
  readonly client: GumloopClient;
  readonly config: LangGraphRunnableConfig;
  /** The wait step's seams, signal, retry options and the job's deadline (no wait may pass it). */
  readonly waits: WaitContext;
  /** Emits a progress event for the job in Gumloop state `state` (null: not known yet), with extra fields. */
  progress(state: string | null, extra?: Pick<GumloopProgressEvent, "delta" | "textId">): void;
}

/**
 * How following a job ended for this wait step. Every outcome carries the job's state as the follower last knew it
 * and the graph's own keys to save (e.g. the stream's cursor).
 * - `window`: still running; the step ends here (one checkpoint) and the next one follows on.
 * - `ended`: the job's end (or pause) was seen; the wait step reads the job's status once, at once. `cancelled`:
 *   what was seen says the job was cancelled, so a `failed` state read next means cancelled, not failed.
 * - `deadline`: the job's deadline came first.
 * - `fallback`: the job cannot be followed this way (any more): the wait step polls it from here, at once. `data`
 *   is a status read the follower already has (a stripped stream's JSON answer), used as the first poll.
 */
export type Followed<S> = { readonly state: string | null; readonly update: Partial<S> } & (
  | { readonly kind: "window" }
  | { readonly kind: "ended"; readonly cancelled: boolean }
  | { readonly kind: "deadline" }
  | { readonly kind: "fallback"; readonly data?: unknown }
);

/** Follows a running job instead of polling it, for as long as `active` says. */
export interface JobFollower<S> {
  /** Whether the job is followed this way now (checked only while it is running). */
  active(state: S): boolean;
  follow(state: S, context: FollowContext): Promise<Followed<S>>;
}

/** The graph's status for one of Gumloop's states. Unknown states count as running (Gumloop adds states). */
export function statusOf(states: JobStates, state: string | null, cancelRequested: boolean): JobStatus {
  if (state === null) return "running";
  if (states.done.includes(state)) return "completed";
  if (states.cancelled?.includes(state)) return "cancelled";
  if (states.failed.includes(state)) return cancelRequested ? "cancelled" : "failed";
  if (states.paused?.includes(state)) return "approval_required";
  return "running";
}
