/** Agent sessions: start, read, message, cancel. Sessions run asynchronously: start, then poll. */
import { z } from "zod";
import { id, jsonObject, text, unlisted } from "./fields.js";
import { CREATE, READ, defineEndpoint } from "./types.js";
import { responds } from "../client/definition.js";
import type { SessionEnvelope } from "./responses.js";

/**
 * How a model follows a session. A session can also stop in `approval_required` (a tool asked for a person's
 * approval); no tool answers approvals, so the model is told to hand that to the user rather than poll forever.
 */
export const SESSION_POLL =
  "poll get_single_gumloop_session_by_id until completed, failed or approval_required (ask the user to approve it in Gumloop)";

export const create_a_gumloop_session = responds<SessionEnvelope>()(
  defineEndpoint({
    name: "create_a_gumloop_session",
    method: "write",
    tags: ["sessions"],
    route: "POST /agents/{agent_id}/sessions",
    idempotencyKey: "session_id",
    reconcileHint: "Look the session up with get_single_gumloop_session_by_id before starting another.",
    result: "session",
    newestLast: "messages",
    description: `Start an agent session; with input it runs asynchronously: ${SESSION_POLL}.`,
    annotations: CREATE,
    spendsCredits: true,
    input: () =>
      z.object({
        agent_id: id("Agent id"),
        input: text("First message").optional(),
        session_id: id("Own id (duplicate: 409)").optional(),
        metadata: jsonObject("Metadata").optional(),
        // Gumloop trims the name and takes 1-256 characters: the limit applies after trimming, as theirs does.
        name: unlisted(
          text("Title").trim().max(256, "must be at most 256 characters; shorten it"),
        ).optional(),
      }),
  }),
);

export const get_single_gumloop_session_by_id = responds<SessionEnvelope>()(
  defineEndpoint({
    name: "get_single_gumloop_session_by_id",
    method: "read",
    tags: ["sessions"],
    route: "GET /sessions/{session_id}",
    aliases: { id: "session_id" },
    result: "session",
    newestLast: "messages",
    description:
      "Get a session's state, messages and queue_position; approval_required: ask the user to approve in Gumloop.",
    annotations: READ,
    input: () => z.object({ id: id("Session id") }),
  }),
);

export const create_a_gumloop_session_message = responds<SessionEnvelope>()(
  defineEndpoint({
    name: "create_a_gumloop_session_message",
    method: "write",
    tags: ["sessions"],
    route: "POST /sessions/{session_id}/messages",
    reconcileHint: "Read the session's messages with get_single_gumloop_session_by_id before sending again.",
    result: "session",
    newestLast: "messages",
    description: `Message an idle or finished session; no reply here: ${SESSION_POLL}, then read the last assistant message.`,
    annotations: CREATE,
    spendsCredits: true,
    // `attachments` are left out: they name files uploaded with POST /sessions/{id}/files, which no tool covers.
    input: () =>
      z.object({
        session_id: id("Session id"),
        input: text("Message"),
      }),
  }),
);

export const delete_a_gumloop_session_by_id = responds<SessionEnvelope>()(
  defineEndpoint({
    name: "delete_a_gumloop_session_by_id",
    method: "write",
    tags: ["sessions"],
    route: "POST /sessions/{session_id}/cancel",
    aliases: { id: "session_id" },
    result: "session",
    description: "Cancel a running or queued session (it ends failed).",
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    input: () => z.object({ id: id("Session id") }),
  }),
);
