/**
 * The agent-session graph: plan_session → create_session → poll_session ⟲ (→ resolve_approvals ⟲)
 * → list_artifacts → download_artifacts.
 *
 * The session id is chosen and checkpointed (plan_session) before the create call, so a retried or resumed
 * create that meets 409 `session_already_exists` adopts the session it made instead of starting a second one.
 */
import { randomBytes } from "node:crypto";
import {
  Annotation,
  END,
  START,
  StateGraph,
  interrupt,
  type LangGraphRunnableConfig,
} from "@langchain/langgraph";
import { ConflictError, GumloopError, GumloopValidationError } from "../client/errors.js";
import { checkId } from "../client/route.js";
import { ENDPOINTS } from "../tools/index.js";
import {
  GRAPH_CONFIG,
  attemptOf,
  waitContext,
  emitProgress,
  seams,
  type GraphDownloadOptions,
  type JobGraphParams,
} from "./common.js";
import { SESSION_SCHEDULE, SESSION_STATES, pollDelayMs } from "./polling.js";
import { approvalResponses, type ApprovalDecision, type ApprovalRequest } from "./approvals.js";
import { resolveSessionApprovals } from "./requests.js";
import { holdingSlot } from "./gate.js";
import {
  DeadlineReachedError,
  gumloopRetryPolicy,
  pollRead,
  startRetryOptions,
  waitBeforeRetry,
} from "./retry.js";
import { sessionArtifactNodes } from "./sessionArtifacts.js";
import {
  lastAssistantText,
  type GumloopSession,
  type SessionArtifact,
  type SessionEnvelope,
} from "./types.js";

export { approvalRequestOf } from "./approvals.js";
export type { ApprovalDecision, ApprovalRequest } from "./approvals.js";

export type SessionStatus =
  "running" | "approval_required" | "completed" | "failed" | "cancelled" | "timed_out";

const replace = <T>(_previous: T, next: T) => next;

/** State of the session graph. Input: `{ agentId, input, sessionId? }`. */
export const SessionGraphState = Annotation.Root({
  /** The agent to run. */
  agentId: Annotation<string>,
  /** The first user message (e.g. a research topic). */
  input: Annotation<string>,
  /** Caller-chosen or generated session id; set before the create call. */
  sessionId: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** Gumloop's session object, as last read. */
  session: Annotation<GumloopSession | null>({ reducer: replace, default: () => null }),
  status: Annotation<SessionStatus | null>({ reducer: replace, default: () => null }),
  /** The agent's last reply, from `content` or `parts`. */
  finalMessage: Annotation<string | null>({ reducer: replace, default: () => null }),
  /** The session's artifacts (Gumloop's files, not LangChain tool artifacts), with bytes when downloads are on. */
  artifacts: Annotation<SessionArtifact[]>({ reducer: replace, default: () => [] }),
  polls: Annotation<number>({ reducer: replace, default: () => 0 }),
  queuePosition: Annotation<number | null>({ reducer: replace, default: () => null }),
  startedAt: Annotation<number | null>({ reducer: replace, default: () => null }),
  deadlineAt: Annotation<number | null>({ reducer: replace, default: () => null }),
  /** True once the graph asked Gumloop to cancel (timeout), so a `failed` state reads as `cancelled`. */
  cancelRequested: Annotation<boolean>({ reducer: replace, default: () => false }),
});

export type SessionGraphStateType = typeof SessionGraphState.State;

export interface CreateSessionGraphParams extends JobGraphParams {
  /** Download each artifact's bytes (through its signed URL). @default true */
  downloadArtifacts?: boolean;
  /** Where signed URLs may point, byte cap, timeout. @default Gumloop's storage host over https, 25 MiB */
  download?: GraphDownloadOptions;
  /** Cancel the session when the deadline passes. @default false */
  cancelOnTimeout?: boolean;
  /** Session ids for new sessions. @default `lc_` + 24 random hex chars */
  newSessionId?: () => string;
  /** Client metadata stored with the session (Gumloop keeps it under `metadata.client`). */
  metadata?: Record<string, unknown>;
  /**
   * What to do when the session pauses for approval. `"interrupt"`: stop with LangGraph's `interrupt()` (needs a
   * checkpointer) and resume with `Command({ resume })`. `"return"`: end the graph with status
   * `approval_required` and the pending approvals in `session.pending_approvals`, e.g. for a tool whose caller
   * (a model) answers later or tells the user; the session stays paused on Gumloop and gives up its gate slot.
   * @default "interrupt"
   */
  onApproval?: "interrupt" | "return";
}

function statusOf(session: GumloopSession, cancelRequested: boolean): SessionStatus {
  if (session.state === "completed" || session.state === "idle") return "completed";
  if (session.state === "failed") return cancelRequested ? "cancelled" : "failed";
  if (session.state === "approval_required") return "approval_required";
  return "running";
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
  const { client, gate } = params;
  const { sleep, now, random } = seams(params);
  const schedule = { ...SESSION_SCHEDULE, ...params.schedule };
  const deadlineMs = params.deadlineMs ?? 10 * 60_000;
  const stepWindowMs = params.stepWindowMs ?? 300_000;
  const newSessionId = params.newSessionId ?? (() => `lc_${randomBytes(12).toString("hex")}`);
  const retry = params.retry;
  const safePolicy = gumloopRetryPolicy(true, retry);
  const startRetry = startRetryOptions(retry);
  const createPolicy = gumloopRetryPolicy(false, startRetry);
  const onApproval = params.onApproval ?? "interrupt";

  const planSession = (state: SessionGraphStateType) => {
    const issues = [];
    const badAgent = checkId(state.agentId);
    if (badAgent) issues.push({ field: "agentId", message: badAgent });
    if (typeof state.input !== "string" || !state.input.trim())
      issues.push({ field: "input", message: "is required" });
    const sessionId = state.sessionId ?? newSessionId();
    const badSession = checkId(sessionId);
    if (badSession) issues.push({ field: "sessionId", message: badSession });
    if (issues.length) throw new GumloopValidationError("run_gumloop_agent_session", issues);
    const startedAt = state.startedAt ?? now();
    return {
      sessionId,
      startedAt,
      deadlineAt: state.deadlineAt ?? startedAt + deadlineMs,
      status: "running" as const,
    };
  };

  const createSession = async (state: SessionGraphStateType, config: LangGraphRunnableConfig) => {
    if (state.session) return {};
    const sessionId = state.sessionId!;
    try {
      // Waiting for a slot ends at the deadline too: the job then ends as timed_out without being created.
      await gate?.acquire(sessionId, config.signal, { at: state.deadlineAt!, now, sleep });
      return await waitBeforeRetry(
        async () => {
          try {
            const { data } = await client.call<SessionEnvelope>(
              ENDPOINTS.create_a_gumloop_session,
              {
                agent_id: state.agentId,
                input: state.input,
                session_id: sessionId,
                metadata: params.metadata,
              },
              { signal: config.signal },
            );
            return { session: data.session, queuePosition: data.queue_position ?? null };
          } catch (error) {
            if (!(error instanceof ConflictError) || error.code !== "session_already_exists") throw error;
            // Our own earlier attempt (retried or resumed) created it: adopt it, if it is for the same agent.
            const { data } = await client.call<SessionEnvelope>(
              ENDPOINTS.get_single_gumloop_session_by_id,
              { session_id: sessionId },
              { signal: config.signal },
            );
            if (data.session.agent_id !== state.agentId) {
              throw new GumloopError(
                `Session id ${sessionId} is already used by another agent; choose another id`,
              );
            }
            return { session: data.session, queuePosition: data.queue_position ?? null };
          }
        },
        { safe: false, ...waitContext(config, { sleep, now }, startRetry, state.deadlineAt) },
      );
    } catch (error) {
      gate?.release(sessionId);
      if (error instanceof DeadlineReachedError) return { status: "timed_out" as const };
      throw error;
    }
  };

  const pollSession = (state: SessionGraphStateType, config: LangGraphRunnableConfig) =>
    // The session holds a slot while this node runs; a checkpoint resumed in a new process claims it here.
    holdingSlot(gate, state.sessionId!, { policy: safePolicy, attempt: attemptOf(config) }, () =>
      pollUntilDone(state, config),
    );

  const pollUntilDone = async (state: SessionGraphStateType, config: LangGraphRunnableConfig) => {
    const sessionId = state.sessionId!;
    let session = state.session!;
    let queuePosition = state.queuePosition;
    let polls = state.polls;
    let cancelRequested = state.cancelRequested;
    const windowStart = now();
    const timeOut = async () => {
      if (params.cancelOnTimeout && !cancelRequested) {
        await client.call(
          ENDPOINTS.delete_a_gumloop_session_by_id,
          { session_id: sessionId },
          { signal: config.signal },
        );
        cancelRequested = true;
      }
      gate?.release(sessionId);
      return { session, polls, queuePosition, cancelRequested, status: "timed_out" as const };
    };
    while (!(SESSION_STATES.terminal as readonly string[]).includes(session.state)) {
      if (session.state === "approval_required" && polls > state.polls) break;
      const remaining = state.deadlineAt! - now();
      if (remaining <= 0) return timeOut();
      if (polls > state.polls && now() - windowStart >= stepWindowMs) break;
      // The last poll lands just before the deadline rather than after it.
      await sleep(
        Math.min(
          pollDelayMs(schedule, polls + 1, queuePosition, random, (gate?.waiting ?? 0) > 0),
          remaining,
        ),
        config.signal,
      );
      const read = await pollRead(
        () =>
          client.call<SessionEnvelope>(
            ENDPOINTS.get_single_gumloop_session_by_id,
            { session_id: sessionId },
            { signal: config.signal },
          ),
        waitContext(config, { sleep, now }, retry, state.deadlineAt),
      );
      if (read === null) return timeOut();
      const { data } = read;
      session = data.session;
      queuePosition = data.queue_position ?? null;
      polls += 1;
      emitProgress(config, {
        job: "session",
        id: sessionId,
        state: session.state,
        polls,
        queuePosition,
        elapsedMs: now() - state.startedAt!,
      });
      if (session.state === "approval_required") break;
    }
    const status = statusOf(session, cancelRequested);
    // With onApproval "return" the graph ends on approval_required, so nothing of it runs to give the slot back.
    const holds = status === "running" || (status === "approval_required" && onApproval === "interrupt");
    if (!holds) gate?.release(sessionId);
    return {
      session,
      polls,
      queuePosition,
      cancelRequested,
      status,
      finalMessage: lastAssistantText(session),
    };
  };

  // While the session waits for a human its slot is given back (the interrupt is a throw holdingSlot does not
  // retry, and a decision may never come); the resumed node claims it again.
  const resolveApprovals = (state: SessionGraphStateType, config: LangGraphRunnableConfig) =>
    holdingSlot(gate, state.sessionId!, { policy: safePolicy, attempt: attemptOf(config) }, async () => {
      const pending = state.session?.pending_approvals ?? [];
      const request: ApprovalRequest = {
        kind: "gumloop_approval",
        sessionId: state.sessionId!,
        pendingApprovals: pending,
      };
      // Everything above this line runs again on resume; it only reads state.
      const decision = interrupt<ApprovalRequest, ApprovalDecision>(request);
      const { data } = await waitBeforeRetry(
        () =>
          client.call<SessionEnvelope>(
            resolveSessionApprovals,
            { session_id: state.sessionId, approval_responses: approvalResponses(decision, pending) },
            { signal: config.signal },
          ),
        { safe: true, sleep, signal: config.signal, attempt: attemptOf(config), options: retry },
      );
      return { session: data.session, status: statusOf(data.session, state.cancelRequested) };
    });

  const { listArtifacts, downloadArtifacts, nextDownload } = sessionArtifactNodes({
    client,
    sleep,
    retry,
    download: params.download,
  });

  const afterPoll = (state: SessionGraphStateType) => {
    if (state.status === "approval_required") return onApproval === "interrupt" ? "resolve_approvals" : END;
    if (state.status === "running") return "poll_session";
    return state.status === "completed" ? "list_artifacts" : END;
  };

  const graph = new StateGraph(SessionGraphState)
    .addNode("plan_session", planSession)
    .addNode("create_session", createSession, { retryPolicy: createPolicy })
    .addNode("poll_session", pollSession, { retryPolicy: safePolicy })
    .addNode("resolve_approvals", resolveApprovals, { retryPolicy: safePolicy })
    .addNode("list_artifacts", listArtifacts, { retryPolicy: safePolicy })
    .addNode("download_artifacts", downloadArtifacts, { retryPolicy: safePolicy })
    .addEdge(START, "plan_session")
    .addEdge("plan_session", "create_session")
    .addConditionalEdges("create_session", (state) => (state.status === "timed_out" ? END : "poll_session"), [
      "poll_session",
      END,
    ])
    .addConditionalEdges("poll_session", afterPoll, [
      "poll_session",
      "resolve_approvals",
      "list_artifacts",
      END,
    ])
    .addEdge("resolve_approvals", "poll_session")
    .addConditionalEdges(
      "list_artifacts",
      (state) => (params.downloadArtifacts === false ? END : nextDownload(state)),
      ["download_artifacts", END],
    )
    .addConditionalEdges("download_artifacts", nextDownload, ["download_artifacts", END]);

  return graph
    .compile({ checkpointer: params.checkpointer, name: params.name ?? "gumloop_session" })
    .withConfig(GRAPH_CONFIG);
}
