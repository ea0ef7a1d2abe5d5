/**
 * Sessions (sessions.yml): create, list, retrieve, send message, cancel. Runs and their outcomes live in
 * `runs.ts`; resolving approvals in `approvals.ts`.
 */
import { defineArea, type AreaEnv } from "../../area.js";
import { json, type RequestContext, type Reply } from "../../server/context.js";
import { conflict, invalidRequest, notFound } from "../../server/errors.js";
import type { SessionRecord, SessionState } from "../../world/model.js";
import { offsetPage, parsePageSize } from "../../server/pagination.js";
import { objectField, stringField } from "../../server/validate.js";
import { requireAgent } from "../agents/records.js";
import {
  parseAttachments,
  parseInput,
  requireSession,
  SESSION_ID_PATTERN,
  streamRequested,
} from "./input.js";
import { activeJob, cancelRun, emptyUsage, queuePosition, startRun, textMessage } from "./runs.js";
import { cancelledView, sessionListItem, sessionView } from "./views.js";
import { logPosition } from "./streamLog.js";
import { resumeReply, sessionStreamReply } from "./streamReply.js";

/** `{session, queue_position}`, the envelope of every session response. */
export function sessionEnvelope(env: AreaEnv, session: SessionRecord): Record<string, unknown> {
  return { session: sessionView(env, session), queue_position: queuePosition(env, session) };
}

function createSession(ctx: RequestContext): Reply {
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  const body = ctx.jsonObject();
  const streaming = streamRequested(ctx, body, `/agents/${agent.id}/sessions`);
  const input = parseInput(body);
  const sessionId = stringField(body, "session_id", { nullable: true, nonEmpty: true });
  if (sessionId && !SESSION_ID_PATTERN.test(sessionId)) {
    throw invalidRequest(
      "session_id may contain only letters, digits, '_' and '-' (1-128 chars)",
      "session_id",
    );
  }
  const metadata = objectField(body, "metadata", true);
  const rawName = stringField(body, "name", { nullable: true });
  const name = typeof rawName === "string" ? rawName.trim() : null;
  if (typeof rawName === "string" && (name === "" || name!.length > 256)) {
    throw invalidRequest("name must be 1-256 characters after trimming", "name");
  }
  if (sessionId && ctx.env.store.sessions.has(sessionId)) {
    throw conflict("session_already_exists", `A session with id ${sessionId} already exists.`, {
      session_id: sessionId,
    });
  }

  const now = ctx.now;
  const session: SessionRecord = {
    id: sessionId ?? ctx.env.ids.next("sess_", 10),
    agentId: agent.id,
    name,
    type: "api",
    state: "idle",
    messages: [],
    createdAt: now,
    creatorId: ctx.caller.userId,
    participantIds: [ctx.caller.userId],
    metadata: metadata ? { client: structuredClone(metadata) } : {},
    usage: emptyUsage(),
    pendingApprovals: [],
    jobId: null,
    runCount: 0,
  };
  if (input === null) {
    // No run, nothing to stream: a stub asked for with `stream: true` is answered as on the REST host (inference).
    ctx.env.store.sessions.set(session.id, session);
    return json(201, sessionEnvelope(ctx.env, session));
  }
  session.messages.push(textMessage(ctx.env, "user", input, now, ctx.caller.userId));
  const position = logPosition(ctx.env, session.id);
  // Start before storing: a concurrency 429 must leave no session behind, so a retry with the same id works.
  startRun(ctx.env, session, agent, { type: "turn", input });
  ctx.env.store.sessions.set(session.id, session);
  if (streaming) return sessionStreamReply(ctx.env, session, position);
  return json(202, sessionEnvelope(ctx.env, session));
}

function listSessions(ctx: RequestContext): Reply {
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  // sessions.yml declares no 400 for this list: an out-of-range page_size is clamped, an unknown sort order is the
  // default, an unknown state matches no session, and an unreadable cursor is ignored (inference, as for agents).
  const pageSize = parsePageSize(ctx.queryParam("page_size"), { lenient: true });
  const search = (ctx.queryParam("search") ?? ctx.queryParam("search_query") ?? "").toLowerCase();
  const sortOrder = ctx.queryParam("sort_order") === "oldest" ? "oldest" : "newest";
  const state = ctx.queryParam("state");
  const type = ctx.queryParam("type");
  const creator = ctx.queryParam("creator_user_id");
  const trigger = ctx.queryParam("trigger_id");
  const sessions = [...ctx.env.store.sessions.values()]
    .filter((s) => s.agentId === agent.id)
    .filter((s) => !state || s.state === state)
    .filter((s) => !type || s.type === type)
    .filter((s) => !creator || s.creatorId === creator)
    // API-created sessions have no trigger, so a trigger filter matches none of them.
    .filter(() => !trigger)
    .filter(
      (s) =>
        !search ||
        (s.name ?? "").toLowerCase().includes(search) ||
        s.messages.some((m) => (m.content ?? "").toLowerCase().includes(search)),
    )
    .sort((a, b) => (sortOrder === "newest" ? b.createdAt - a.createdAt : a.createdAt - b.createdAt));
  const fingerprint = JSON.stringify([agent.id, search, sortOrder, state, type, creator, trigger]);
  const { page, nextCursor } = offsetPage(sessions, pageSize, ctx.queryParam("cursor"), fingerprint, {
    lenient: true,
  });
  return json(200, { sessions: page.map((s) => sessionListItem(ctx.env, s)), next_cursor: nextCursor });
}

function retrieveSession(ctx: RequestContext): Reply {
  const session = requireSession(ctx, ctx.param("session_id"));
  // The REST host documents no 400 here, so it ignores `stream` and answers the session (inference).
  if (ctx.host === "stream" && ctx.queryParam("stream") === "true") return resumeReply(ctx, session);
  return json(200, sessionEnvelope(ctx.env, session));
}

function sendMessage(ctx: RequestContext): Reply {
  const session = requireSession(ctx, ctx.param("session_id"));
  const body = ctx.jsonObject();
  if (body.approval_responses !== undefined) {
    throw invalidRequest(
      "approval_responses are answered through POST /sessions/{session_id}/approvals (or the streaming host)",
      "approval_responses",
      "approvals_require_stream_or_approvals_endpoint",
    );
  }
  const streaming = streamRequested(ctx, body, `/sessions/${session.id}/messages`);
  const input = parseInput(body);
  if (input === null) throw invalidRequest("input is required", "input");
  const attachments = parseAttachments(body);
  if (activeJob(ctx.env, session)) {
    throw conflict(
      "interaction_not_in_terminal_state",
      `Session ${session.id} is ${session.state}; wait until it is idle, completed, failed or approval_required.`,
      { state: session.state },
    );
  }
  const agent = ctx.env.store.agents.get(session.agentId);
  if (!agent || !agent.isActive) throw notFound("Agent", session.agentId);

  const message = textMessage(ctx.env, "user", input, ctx.now, ctx.caller.userId, attachments);
  session.messages.push(message);
  const position = logPosition(ctx.env, session.id);
  try {
    startRun(ctx.env, session, agent, { type: "turn", input });
  } catch (error) {
    session.messages.pop(); // a rejected (429) message is not part of the transcript
    throw error;
  }
  // A follow-up leaves any pending ask unanswered; the session moves on without it.
  session.pendingApprovals = session.pendingApprovals.filter((ask) => ask.resolution !== null);
  if (!session.participantIds.includes(ctx.caller.userId)) session.participantIds.push(ctx.caller.userId);
  if (streaming) return sessionStreamReply(ctx.env, session, position);
  return json(202, sessionEnvelope(ctx.env, session));
}

function cancelSession(ctx: RequestContext): Reply {
  const session = requireSession(ctx, ctx.param("session_id"));
  // queued/processing → failed (documented); completed/failed/idle unchanged. approval_required is a paused run,
  // so cancelling it fails the session too (inference: Gumloop does not say).
  if (session.state === "queued" || session.state === "processing" || session.state === "approval_required") {
    cancelRun(ctx.env, session);
    for (const ask of session.pendingApprovals) ask.resolution ??= "rejected";
  }
  return json(200, { session: cancelledView(session), queue_position: null });
}

/** Read-only counts for `inspect()`. */
export interface SessionsSnapshot {
  total: number;
  byState: Record<string, number>;
  perAgent: Record<string, number>;
  list: {
    id: string;
    agentId: string;
    state: SessionState;
    queuePosition: number | null;
    messages: number;
  }[];
}

/** The sessions area. */
export const sessionsArea = defineArea({
  name: "sessions",
  routes(r) {
    // Create, retrieve and send-message are served by the streaming host too: with `stream: true` (resume:
    // `?stream=true`) they stream, without it they answer as on the REST host.
    r.post("/agents/{agent_id}/sessions", createSession, {
      host: "both",
      statuses: [201, 202, 400, 401, 403, 404, 409, 429, 500],
    });
    r.get("/agents/{agent_id}/sessions", listSessions, { statuses: [200, 401, 403, 404, 500] });
    r.get("/sessions/{session_id}", retrieveSession, { host: "both", statuses: [200, 401, 403, 404, 500] });
    r.post("/sessions/{session_id}/messages", sendMessage, {
      host: "both",
      statuses: [202, 400, 401, 403, 404, 409, 429, 500],
    });
    r.post("/sessions/{session_id}/cancel", cancelSession, { statuses: [200, 401, 403, 404, 500] });
  },
  inspect(env): SessionsSnapshot {
    const snapshot: SessionsSnapshot = { total: 0, byState: {}, perAgent: {}, list: [] };
    for (const s of env.store.sessions.values()) {
      snapshot.total++;
      snapshot.byState[s.state] = (snapshot.byState[s.state] ?? 0) + 1;
      snapshot.perAgent[s.agentId] = (snapshot.perAgent[s.agentId] ?? 0) + 1;
      snapshot.list.push({
        id: s.id,
        agentId: s.agentId,
        state: s.state,
        queuePosition: queuePosition(env, s),
        messages: s.messages.length,
      });
    }
    return snapshot;
  },
});
