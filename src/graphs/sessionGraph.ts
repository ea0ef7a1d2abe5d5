/**
 * The agent-session graph: the job core (plan → record_intent → start → poll ⟲) plus resolve_approvals (a session
 * paused for a human), list_artifacts and download_artifacts.
 *
 * The session id is chosen and checkpointed (plan) before the create call, so a retried or resumed create that
 * meets 409 `session_already_exists` adopts the session it made (checked: see sessionAdoption.ts) instead of
 * starting a second one.
 *
 * By default the session is created and followed over its event stream (sessionStream.ts: the start's `send` and
 * the wait step's follower), and polled when no stream can be had; `stream: false` polls from the start.
 */
import { randomBytes } from "node:crypto";
import { Annotation, END, interrupt, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { ConflictError, GumloopError, type ValidationIssue } from "../client/errors.js";
import { checkId } from "../ids.js";
import { ENDPOINTS } from "../tools/index.js";
import { attemptOf, type GraphDownloadOptions, type JobGraphParams } from "./common.js";
import { approvalResponses, type ApprovalDecision, type ApprovalRequest } from "./approvals.js";
import { holdingSlot } from "./gate/index.js";
import { buildJobGraph } from "./job/build.js";
import { jobRuntime, nodeWaits, readPolicy } from "./job/runtime.js";
import type { Accepted, JobSpec } from "./job/spec.js";
import { jobStateFields, replace, type JobStatus } from "./job/state.js";
import { SESSION_SCHEDULE, SESSION_STATES } from "./polling.js";
import { resolveSessionApprovals } from "../tools/sessionApprovals.js";
import { waitBeforeRetry } from "./retry.js";
import { sessionArtifactNodes } from "./sessionArtifacts.js";
import { sessionStreaming, type SessionStreamMode } from "./sessionStream.js";
import { foreignSessionError, isOwnSession, markedMetadata } from "./sessionAdoption.js";
import {
  lastAssistantText,
  type GumloopSession,
  type SessionArtifact,
  type SessionEnvelope,
} from "./types.js";

export { approvalRequestOf } from "./approvals.js";
export type { ApprovalDecision, ApprovalRequest } from "./approvals.js";
export type { SessionStreamMode } from "./sessionStream.js";

/** How the session graph ended; see {@link JobStatus}. */
export type SessionStatus = JobStatus;

/** State of the session graph. Input: `{ agentId, input, sessionId? }` (and `restart: true` to run it again). */
export const SessionGraphState = Annotation.Root({
  /** The agent to run. */
  agentId: Annotation<string>,
  /** The first user message (e.g. a research topic). */
  input: Annotation<string>,
  /** Caller-chosen or generated session id; set before the create call. */
  sessionId: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** Gumloop's session object, as last read (null until it is read; a streamed session is read when it ends). */
  session: Annotation<GumloopSession | null>({ reducer: replace, default: () => null }),
  /** True once the session is known to exist on Gumloop (its create was answered, or it was adopted). */
  created: Annotation<boolean>({ reducer: replace, default: () => false }),
  /** How the session is followed: over its event stream, or polled; see {@link SessionStreamMode}. */
  streamMode: Annotation<SessionStreamMode>({ reducer: replace, default: () => "off" }),
  /**
   * The `stream_cursor` of the last stream event the graph saved: a graph resumed in a new process picks the
   * stream up after it (`last_cursor`). Null before the first saved event.
   */
  streamCursor: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** The agent's last reply, from `content` or `parts`. */
  finalMessage: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** The session's artifacts (Gumloop's files, not LangChain tool artifacts), with bytes when downloads are on. */
  artifacts: Annotation<SessionArtifact[]>({ reducer: replace, default: () => [] }),
  ...jobStateFields,
});

/** The session graph's state, as `invoke()` returns it. */
export type SessionGraphStateType = typeof SessionGraphState.State;

/** Options of `createSessionGraph()`: the job options, artifact downloads, session ids, metadata and approvals. */
export interface CreateSessionGraphParams extends JobGraphParams {
  /** Download each artifact's bytes (through its signed URL). @default true */
  downloadArtifacts?: boolean;
  /** Where signed URLs may point, byte cap, timeout. @default Gumloop's storage host over https, 25 MiB */
  download?: GraphDownloadOptions;
  /** Session ids for new sessions. @default `lc_` + 24 random hex chars */
  newSessionId?: () => string;
  /** Client metadata stored with the session (Gumloop keeps it under `metadata.client`). */
  metadata?: Record<string, unknown>;
  /**
   * What to do when the session pauses for approval. `"interrupt"`: stop with LangGraph's `interrupt()` and resume
   * with `Command({ resume })`; it needs a checkpointer (the graph's own, or a parent graph's), and is refused
   * before anything is sent when there is none. `"return"`: end the graph with status `approval_required` and the
   * pending approvals in `session.pending_approvals`, e.g. for a tool whose caller (a model) answers later; the
   * session stays paused on Gumloop and gives up its gate slot. @default "interrupt" when a checkpointer is there
   * to keep the paused graph, else "return"
   */
  onApproval?: "interrupt" | "return";
  /**
   * Follow the session over Gumloop's event stream (the streaming host) rather than polling it: the end is seen the
   * moment it comes, with one request, then the session is read once; the agent's text reaches the custom stream
   * as progress events with `delta`. A dropped stream is resumed from its last cursor; when no stream can be had
   * (the host or a proxy refuses it, strips it, or the cursor has expired) the session is polled instead, and
   * that client is not asked for a stream again for 10 minutes. `false` polls from the start. @default true
   */
  stream?: boolean;
  /**
   * Longest stretch of stream reading in one graph step (one checkpoint, with the last cursor): a graph resumed
   * after a crash replays at most this much of the stream. 0 ends a step after every event. @default 15000
   */
  streamWindowMs?: number;
}

/** The graph's keys from one view of the session. */
function seen({ session, queue_position }: SessionEnvelope): Accepted<SessionGraphStateType> {
  return {
    state: session.state,
    queuePosition: queue_position ?? null,
    update: { session, finalMessage: lastAssistantText(session) },
  };
}

/** Whether a LangGraph checkpointer reaches this run (the graph's own, or its parent's). */
function hasCheckpointer(config: LangGraphRunnableConfig): boolean {
  return Boolean(config.configurable?.["__pregel_checkpointer"]);
}

/**
 * Builds the compiled session graph.
 *
 * @example
 * ```ts
 * const graph = createSessionGraph({ client, checkpointer: new MemorySaver() });
 * const out = await graph.invoke({ agentId, input: "tidal energy" }, { configurable: { thread_id: "job-1" } });
 * console.log(out.status, out.finalMessage, out.artifacts.map((a) => a.filename));
 * ```
 */
export function createSessionGraph(params: CreateSessionGraphParams) {
  if (params.onApproval === "interrupt" && params.checkpointer === false) {
    throw new GumloopError(
      'onApproval "interrupt" needs a checkpointer to keep the paused graph; give one, or use onApproval "return".',
    );
  }
  const newSessionId = params.newSessionId ?? (() => `lc_${randomBytes(12).toString("hex")}`);
  const streamWindowMs = params.streamWindowMs ?? 15_000;
  if (typeof streamWindowMs !== "number" || !(streamWindowMs >= 0) || !Number.isFinite(streamWindowMs))
    throw new GumloopError(`streamWindowMs must be a finite number >= 0 (got ${String(streamWindowMs)})`);
  /** The approval mode of one run: the explicit one, else interrupt exactly when a checkpointer can keep it. */
  const approvalMode = (config: LangGraphRunnableConfig) =>
    params.onApproval ?? (hasCheckpointer(config) ? "interrupt" : "return");

  const spec: JobSpec<SessionGraphStateType, SessionEnvelope, SessionEnvelope> = {
    kind: "session",
    noun: "Session",
    operation: "run_gumloop_agent_session",
    // A streamed session exists (and is followed) before it is ever read.
    idOf: (state) => state.session?.id ?? (state.created ? state.sessionId : null),
    schedule: SESSION_SCHEDULE,
    defaultDeadlineMs: 10 * 60_000,
    states: {
      running: SESSION_STATES.intermediate,
      done: ["completed", "idle"],
      failed: ["failed"],
      paused: SESSION_STATES.paused,
    },
    validate: (state) => {
      const issues: ValidationIssue[] = [];
      const badAgent = checkId(state.agentId);
      if (badAgent) issues.push({ field: "agentId", message: badAgent });
      if (typeof state.input !== "string" || !state.input.trim())
        issues.push({ field: "input", message: "is required" });
      const badSession = state.sessionId === null ? null : checkId(state.sessionId);
      if (badSession) issues.push({ field: "sessionId", message: badSession });
      return issues;
    },
    identity: (state) => ({ agentId: state.agentId, input: state.input }),
    fresh: (state) => {
      // A thread's second job gets a fresh id unless the caller named a new one (its old id is taken).
      const previous = state.jobKey === null ? null : (state.session?.id ?? state.sessionId);
      const named = state.sessionId !== null && state.sessionId !== previous;
      return {
        sessionId: named ? state.sessionId : newSessionId(),
        session: null,
        created: false,
        streamMode: params.stream === false ? "off" : "wanted",
        streamCursor: null,
        finalMessage: null,
        artifacts: [],
      };
    },
    start: {
      definition: ENDPOINTS.create_a_gumloop_session,
      body: (state) => ({
        agent_id: state.agentId,
        input: state.input,
        session_id: state.sessionId,
        metadata: markedMetadata(params.metadata, state.jobKey!),
      }),
      accepted: seen,
      // The caller-chosen id makes a repeated create harmless: Gumloop answers it with 409.
      settle: "resend",
      recover: async (error, state, context) => {
        if (!(error instanceof ConflictError) || error.code !== "session_already_exists") return null;
        const read = await context.read(() =>
          context.client.call(
            ENDPOINTS.get_single_gumloop_session_by_id,
            { session_id: state.sessionId },
            { signal: context.signal },
          ),
        );
        if (read === null) throw error;
        const job = { agentId: state.agentId, input: state.input, jobKey: state.jobKey! };
        if (!isOwnSession(read.data.session, job)) throw foreignSessionError(error, state.sessionId!);
        const adopted = seen(read.data);
        // A session created over a stream whose answer was lost is followed over its stream from here.
        const streamMode = state.streamMode === "wanted" ? "open" : state.streamMode;
        return { ...adopted, update: { ...adopted.update, created: true, streamMode } };
      },
      send: (state, context) => streaming.send(state, context),
    },
    read: {
      definition: ENDPOINTS.get_single_gumloop_session_by_id,
      body: (id) => ({ session_id: id }),
      view: seen,
    },
    follow: {
      active: (state) => streaming.follower.active(state),
      follow: (state, context) => streaming.follower.follow(state, context),
    },
    cancel: {
      definition: ENDPOINTS.delete_a_gumloop_session_by_id,
      body: (id) => ({ session_id: id }),
    },
  };
  const runtime = jobRuntime(spec, params);
  const streaming = sessionStreaming<SessionGraphStateType>({
    body: (state) => spec.start.body(state),
    seen,
    windowMs: streamWindowMs,
    now: runtime.now,
  });
  const policy = readPolicy(runtime);

  const preflight = (config: LangGraphRunnableConfig) => {
    if (params.onApproval === "interrupt" && !hasCheckpointer(config)) {
      throw new GumloopError(
        'onApproval "interrupt" needs a checkpointer to keep the paused graph, and this run has none: compile the ' +
          'graph with one (or run it inside a graph that has one), or use onApproval "return". Nothing was sent.',
      );
    }
  };

  // While the session waits for a human its slot is given back (the interrupt is a throw holdingSlot does not
  // retry, and a decision may never come); the resumed node claims it again.
  const resolveApprovals = async (state: SessionGraphStateType, config: LangGraphRunnableConfig) => {
    const { client, gate } = await runtime.bind(config, state);
    return holdingSlot(gate, state.slotKey!, { policy, attempt: attemptOf(config) }, async () => {
      const pending = state.session?.pending_approvals ?? [];
      const request: ApprovalRequest = {
        kind: "gumloop_approval",
        sessionId: state.session!.id,
        pendingApprovals: pending,
      };
      // Everything above this line runs again on resume; it only reads state.
      const decision = interrupt<ApprovalRequest, ApprovalDecision>(request);
      const { data } = await waitBeforeRetry(
        () =>
          client.call(
            resolveSessionApprovals,
            { session_id: state.session!.id, approval_responses: approvalResponses(decision, pending) },
            { signal: config.signal },
          ),
        { ...nodeWaits(runtime, config, state), deadlineAt: null },
      );
      // The resumed run's events come after the answer's cursor: a followed stream resumes from there.
      return {
        session: data.session,
        state: data.session.state,
        streamCursor: data.stream_cursor ?? state.streamCursor,
      };
    });
  };

  const { listArtifacts, downloadArtifacts, nextDownload } = sessionArtifactNodes(runtime, params.download);

  return buildJobGraph(
    SessionGraphState,
    runtime,
    {
      preflight,
      paused: (_state, config) => (approvalMode(config) === "interrupt" ? "resolve_approvals" : END),
      completed: () => "list_artifacts",
      // With "return" the graph ends on approval_required, so nothing of it runs to give the slot back.
      holdsSlot: (status: JobStatus, config) =>
        status === "running" || (status === "approval_required" && approvalMode(config) === "interrupt"),
      nodes: {
        resolve_approvals: {
          run: resolveApprovals,
          retryPolicy: policy,
          next: () => "poll",
          targets: ["poll"],
        },
        list_artifacts: {
          run: listArtifacts,
          retryPolicy: policy,
          next: (state) => (params.downloadArtifacts === false ? END : nextDownload(state)),
          targets: ["download_artifacts", END],
        },
        download_artifacts: {
          run: downloadArtifacts,
          retryPolicy: policy,
          next: nextDownload,
          targets: ["download_artifacts", END],
        },
      },
    },
    { name: params.name ?? "gumloop_session", checkpointer: params.checkpointer },
  );
}
