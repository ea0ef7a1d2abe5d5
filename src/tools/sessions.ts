/** Agent sessions: start, read, message, cancel. Sessions run asynchronously: start, then poll. */
import { z } from "zod";
import { id, jsonObject, text } from "./fields.js";
import { CREATE, READ, defineEndpoint } from "./types.js";

const POLL = "poll get_single_gumloop_session_by_id until state is completed or failed";

export const create_a_gumloop_session = defineEndpoint({
  name: "create_a_gumloop_session",
  method: "write",
  tags: ["sessions"],
  route: "POST /agents/{agent_id}/sessions",
  idempotencyKey: "session_id",
  reconcileHint: "Look the session up with get_single_gumloop_session_by_id before starting another.",
  description: `Start an agent session. With input the agent works asynchronously: ${POLL}.`,
  annotations: CREATE,
  spendsCredits: true,
  input: z.object({
    agent_id: id("Agent id"),
    input: text("First user message").optional(),
    session_id: id("Your own id (duplicate: 409)").optional(),
    metadata: jsonObject("Client metadata").optional(),
    // Gumloop trims the name and takes 1-256 characters: the limit applies after trimming, as theirs does.
    name: text("Session title").trim().max(256, "must be at most 256 characters; shorten it").optional(),
  }),
});

export const get_single_gumloop_session_by_id = defineEndpoint({
  name: "get_single_gumloop_session_by_id",
  method: "read",
  tags: ["sessions"],
  route: "GET /sessions/{session_id}",
  description:
    "Get a session: state (queued, processing, completed, failed, idle, approval_required), messages, queue_position.",
  annotations: READ,
  input: z.object({ session_id: id("Session id") }),
});

export const create_a_gumloop_session_message = defineEndpoint({
  name: "create_a_gumloop_session_message",
  method: "write",
  tags: ["sessions"],
  route: "POST /sessions/{session_id}/messages",
  reconcileHint: "Read the session's messages with get_single_gumloop_session_by_id before sending again.",
  description: `Send a message to an idle or finished session. Asynchronous, no reply in the result: ${POLL}, then read the last assistant message.`,
  annotations: CREATE,
  spendsCredits: true,
  // `attachments` are left out: they name files uploaded with POST /sessions/{id}/files, which no tool covers.
  input: z.object({
    session_id: id("Session id"),
    input: text("User message"),
  }),
});

export const delete_a_gumloop_session_by_id = defineEndpoint({
  name: "delete_a_gumloop_session_by_id",
  method: "write",
  tags: ["sessions"],
  route: "POST /sessions/{session_id}/cancel",
  description: "Cancel a queued or running session (state becomes failed; not deleted).",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  input: z.object({ session_id: id("Session id") }),
});
