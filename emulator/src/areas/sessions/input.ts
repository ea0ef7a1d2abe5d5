/** Request-body rules shared by create-session and send-message. */
import type { RequestContext } from "../../server/context.js";
import { isPlainObject } from "../../server/context.js";
import { ApiError, forbidden, invalidRequest, notFound } from "../../server/errors.js";
import type { SessionRecord } from "../../world/model.js";

/**
 * The user message of a request: `input`, or its backwards-compatible alias `message`; a string, or (as the SDK
 * allows) a list of `{type: "text", text}` parts, joined with newlines. Blank → null.
 */
export function parseInput(body: Record<string, unknown>): string | null {
  const field = body.input !== undefined ? "input" : "message";
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (Array.isArray(value)) {
    const texts = value.map((part, i) => {
      if (!isPlainObject(part) || part.type !== "text" || typeof part.text !== "string") {
        throw invalidRequest(
          `${field}[${i}] must be a {"type": "text", "text": "..."} part`,
          `${field}[${i}]`,
        );
      }
      return part.text;
    });
    const joined = texts.join("\n");
    return joined.trim() === "" ? null : joined;
  }
  throw invalidRequest(`${field} must be a string or a list of text parts`, field);
}

/**
 * Whether the request asks for a stream. `stream: true` is served by the streaming host only: on the REST host
 * Gumloop answers 400 "whose body contains the correct streaming host so you can retry against it", here the
 * streaming URL of the same operation (which answers it).
 */
export function streamRequested(
  ctx: RequestContext,
  body: Record<string, unknown>,
  relativePath: string,
): boolean {
  const stream = body.stream;
  if (stream === undefined || stream === null || stream === false) return false;
  if (stream !== true) throw invalidRequest("stream must be a boolean", "stream");
  if (ctx.host === "stream") return true;
  const target = `${ctx.env.urls.stream}${relativePath}`;
  throw new ApiError(
    400,
    "invalid_request",
    `Streaming is not served on this host. Send the same request with "stream": true to ${target}`,
    { param: "stream", details: { streaming_host: ctx.env.urls.stream, streaming_url: target } },
  );
}

/** The session with `sessionId`, if the caller may see it (404 unknown, 403 another team's agent). */
export function requireSession(ctx: RequestContext, sessionId: string): SessionRecord {
  const session = ctx.env.store.sessions.get(sessionId);
  if (!session) throw notFound("Session", sessionId);
  const agent = ctx.env.store.agents.get(session.agentId);
  const allowed = agent ? ctx.canAccessTeam(agent.teamId) : session.creatorId === ctx.caller.userId;
  if (!allowed) throw forbidden(`You do not have access to session ${sessionId}.`);
  return session;
}

/** Caller-supplied session ids end up in URLs, so they are held to a safe alphabet (inference: rule unknown). */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Validates `attachments` of send-message (Oct spec: ≤10 items with a `file_name`). */
export function parseAttachments(body: Record<string, unknown>): Record<string, unknown>[] {
  const value = body.attachments;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidRequest("attachments must be an array", "attachments");
  if (value.length > 10) throw invalidRequest("attachments accepts at most 10 items", "attachments");
  return value.map((item, i) => {
    if (!isPlainObject(item) || typeof item.file_name !== "string" || item.file_name === "") {
      throw invalidRequest(
        `attachments[${i}].file_name is required`,
        `attachments[${i}].file_name`,
        "invalid_attachment",
      );
    }
    if (item.file_name.includes("..")) {
      throw invalidRequest(
        `attachments[${i}].file_name is outside this session's input namespace`,
        `attachments[${i}].file_name`,
        "invalid_attachment",
      );
    }
    const mediaType = typeof item.media_type === "string" ? item.media_type : null;
    return { type: "file", file_name: item.file_name, media_type: mediaType };
  });
}
