/**
 * `POST /sessions/{session_id}/approvals` (Oct spec, gumloop-api.md 3.10): answer the pending asks of a session
 * paused in `approval_required`. Once every ask is answered the agent resumes (a new run), and finishes by
 * carrying the action out (accept) or reporting that it was rejected.
 */
import { defineArea } from "../../area.js";
import { isPlainObject, json, type RequestContext, type Reply } from "../../server/context.js";
import { conflict, invalidRequest } from "../../server/errors.js";
import { logPosition, streamCursor } from "./streamLog.js";
import { requireSession } from "./input.js";
import { startRun } from "./runs.js";
import { sessionEnvelope } from "./routes.js";
import { notFound } from "../../server/errors.js";

interface ApprovalResponse {
  actionRequestId: string;
  action: "accept" | "reject";
  reason: string | null;
}

function parseResponses(body: Record<string, unknown>): ApprovalResponse[] {
  const list = body.approval_responses;
  if (!Array.isArray(list) || list.length < 1 || list.length > 20) {
    throw invalidRequest("approval_responses must be an array of 1 to 20 items", "approval_responses");
  }
  const seen = new Set<string>();
  return list.map((item, i) => {
    const at = `approval_responses[${i}]`;
    if (!isPlainObject(item)) throw invalidRequest(`${at} must be an object`, at);
    const id = item.action_request_id;
    if (typeof id !== "string" || id === "")
      throw invalidRequest(`${at}.action_request_id is required`, `${at}.action_request_id`);
    if (seen.has(id))
      throw invalidRequest(`action_request_id ${id} appears more than once`, `${at}.action_request_id`);
    seen.add(id);
    if (item.action !== "accept" && item.action !== "reject") {
      throw invalidRequest(`${at}.action must be "accept" or "reject"`, `${at}.action`);
    }
    const reason = item.reason;
    if (reason !== undefined && reason !== null && (typeof reason !== "string" || reason.length > 1000)) {
      throw invalidRequest(`${at}.reason must be a string of at most 1000 characters`, `${at}.reason`);
    }
    if (item.response !== undefined && !isPlainObject(item.response)) {
      throw invalidRequest(`${at}.response must be an object`, `${at}.response`);
    }
    return { actionRequestId: id, action: item.action, reason: typeof reason === "string" ? reason : null };
  });
}

function resolveApprovals(ctx: RequestContext): Reply {
  const session = requireSession(ctx, ctx.param("session_id"));
  const body = ctx.jsonObject();
  const responses = parseResponses(body);
  if (session.state !== "approval_required") {
    throw conflict("session_not_awaiting_approval", `Session ${session.id} has no pending approvals.`, {
      state: session.state,
    });
  }
  // Validate everything before changing anything: one bad id fails the whole request.
  for (const response of responses) {
    const ask = session.pendingApprovals.find((a) => a.actionRequestId === response.actionRequestId);
    const wanted = response.action === "accept" ? "accepted" : "rejected";
    if (!ask || (ask.resolution !== null && ask.resolution !== wanted)) {
      throw invalidRequest(
        `Unknown or already-resolved action_request_id ${response.actionRequestId}`,
        "approval_responses",
      );
    }
  }
  const results = responses.map((response) => {
    const ask = session.pendingApprovals.find((a) => a.actionRequestId === response.actionRequestId)!;
    const wanted = response.action === "accept" ? "accepted" : "rejected";
    const outcome = ask.resolution === wanted ? `already_${wanted}` : wanted;
    ask.resolution = wanted;
    return { action_request_id: response.actionRequestId, action: response.action, outcome };
  });

  let cursor: string | null = null;
  if (session.pendingApprovals.every((ask) => ask.resolution !== null)) {
    const agent = ctx.env.store.agents.get(session.agentId);
    if (!agent || !agent.isActive) throw notFound("Agent", session.agentId);
    const accepted = session.pendingApprovals.every((ask) => ask.resolution === "accepted");
    const toolName = session.pendingApprovals[0]?.toolName ?? "requested";
    const reasons = responses.map((r) => r.reason).filter((r): r is string => r !== null);
    // The cursor of the last event before the resumed run: resuming the stream with it gets that run's events.
    const position = logPosition(ctx.env, session.id);
    // Gumloop documents no 429 here, so a resumed run waits for a slot instead of being rejected (inference).
    startRun(ctx.env, session, agent, { type: "approval", accepted, toolName, reasons }, "queue");
    session.pendingApprovals = [];
    cursor = position < 0 ? null : streamCursor(session.id, position);
  }
  const envelope = sessionEnvelope(ctx.env, session);
  return json(200, { session: envelope.session, results, stream_cursor: cursor });
}

/** The approvals area. */
export const approvalsArea = defineArea({
  name: "approvals",
  routes(r) {
    r.post("/sessions/{session_id}/approvals", resolveApprovals);
  },
});
