/**
 * Waiting for a session that already exists: one an earlier run started (`--resume`), or this run's own after it
 * paused for approval. It runs the session graph with the session's own id, agent and first message: the graph's
 * create is answered 409 and, the session being the same job, adopted, so nothing new starts. The session is read
 * first, so an unknown id is reported as such rather than created.
 *
 * Approvals go through the graph's interrupt: `decide` answers each pause, either accepting everything pending
 * or leaving the session waiting (the result is then `approval_required`).
 */
import { randomBytes } from "node:crypto";
import { Command, MemorySaver } from "@langchain/langgraph";
import { ENDPOINTS, GumloopError, type GumloopClient, type Sleep } from "langchain-gumloop";
import {
  approvalRequestOf,
  createSessionGraph,
  isGumloopProgressEvent,
  messageText,
  type GumloopProgressEvent,
  type PendingApproval,
  type SessionGraphStateType,
} from "langchain-gumloop/graphs";

export type ApprovalAnswer = "accept" | "leave";

export interface FollowSessionParams {
  readonly client: GumloopClient;
  readonly sessionId: string;
  /** How long to wait for it. */
  readonly deadlineMs: number;
  readonly sleep: Sleep;
  readonly signal: AbortSignal;
  readonly onProgress: (event: GumloopProgressEvent) => void;
  /** Answers a pause for approval. */
  readonly decide: (pending: readonly PendingApproval[]) => Promise<ApprovalAnswer>;
}

export interface FollowedSession {
  readonly state: SessionGraphStateType;
  /** The session's first message: for a research session, its topic. */
  readonly topic: string;
}

export async function followSession(params: FollowSessionParams): Promise<FollowedSession> {
  const { client, sessionId, signal } = params;
  const { data } = await client.call(
    ENDPOINTS.get_single_gumloop_session_by_id,
    { session_id: sessionId },
    { signal },
  );
  const first = (data.session.messages ?? []).find((message) => message.role === "user");
  const topic = first ? messageText(first) : "";
  if (!topic)
    throw new GumloopError(`Session ${sessionId} has no first message, so there is nothing to wait for.`);

  const graph = createSessionGraph({
    client,
    checkpointer: new MemorySaver(),
    onApproval: "interrupt",
    deadlineMs: params.deadlineMs,
    sleep: params.sleep,
    schedule: { factor: 1.5 },
    // Polled, like the agent's own session tool (agentGraph.ts): the terminal shows the poll schedule.
    stream: false,
  });
  // A thread of its own: the graph keeps this session's job (and a pause for approval) there.
  const config = {
    configurable: { thread_id: `follow_${randomBytes(8).toString("hex")}` },
    signal,
    streamMode: ["custom", "updates"] as ("custom" | "updates")[],
    // Each poll window is one step; a long wait must not meet LangGraph's default limit of 25.
    recursionLimit: 1_000,
  };
  let input: unknown = { agentId: data.session.agent_id, input: topic, sessionId };
  for (;;) {
    let pending: readonly PendingApproval[] | null = null;
    const stream = await graph.stream(input as never, config);
    for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
      if (mode === "custom" && isGumloopProgressEvent(chunk)) params.onProgress(chunk);
      if (mode === "updates") pending = approvalRequestOf(chunk)?.pendingApprovals ?? pending;
    }
    const state = (await graph.getState(config)).values as SessionGraphStateType;
    if (!pending) return { state, topic };
    if ((await params.decide(pending)) === "leave")
      return { state: { ...state, status: "approval_required" }, topic };
    input = new Command({ resume: "accept" });
  }
}
