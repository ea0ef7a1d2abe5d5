/**
 * The session operations on Gumloop's streaming host (`ws.gumloop.com`), as request definitions for
 * `client.stream()`. Not tools: a stream is for programs (graphs, apps), not for a model's tool call.
 *
 * From Gumloop's docs (gumloop-api.md 3.7, sessions.yml): create-session and send-message take "the same request
 * body (with `stream: true`)" on the streaming host and answer `text/event-stream`; a broken stream is resumed with
 * `GET /sessions/{session_id}?stream=true&last_cursor=<stream_cursor>` on the same host, as Gumloop's SDK does.
 * `client.stream()` adds `stream: true` itself (to the body, or to the query of the GET), so inputs are those of
 * the REST operations.
 */
import type { RequestDefinition } from "../client/definition.js";

/**
 * Create a session and stream its first run: input as for `create_a_gumloop_session` (`agent_id`, `input`,
 * `session_id`, `metadata`, `name`). A caller-chosen `session_id` makes the call safe to repeat (a duplicate
 * answers 409 `session_already_exists`), and names the session before any event arrives.
 */
export const stream_a_gumloop_session: RequestDefinition = {
  name: "stream_a_gumloop_session",
  route: "POST /agents/{agent_id}/sessions",
  host: "stream",
  accept: "text/event-stream",
  idempotencyKey: "session_id",
  reconcileHint: "Look the session up with get_single_gumloop_session_by_id before starting another.",
};

/** Send a message to an idle or finished session and stream the run it starts: `session_id`, `input`. */
export const stream_a_gumloop_session_message: RequestDefinition = {
  name: "stream_a_gumloop_session_message",
  route: "POST /sessions/{session_id}/messages",
  host: "stream",
  accept: "text/event-stream",
  reconcileHint: "Read the session's messages with get_single_gumloop_session_by_id before sending again.",
};

/**
 * Resume a session's stream after the event whose cursor is `last_cursor` (`session_id`, `last_cursor`). Without
 * `last_cursor` the stream starts at the current run's beginning (inference: Gumloop documents only the cursor
 * form). On a session that has finished it answers a lone `finish` event with `finishReason: "not_resumable"`
 * (seen in Gumloop's SDK tests); how long cursors stay valid is not documented.
 */
export const resume_a_gumloop_session_stream: RequestDefinition = {
  name: "resume_a_gumloop_session_stream",
  route: "GET /sessions/{session_id}",
  host: "stream",
  accept: "text/event-stream",
  query: ["stream", "last_cursor"],
};

/** The three streaming definitions, by role. */
export const SESSION_STREAMS = {
  create: stream_a_gumloop_session,
  sendMessage: stream_a_gumloop_session_message,
  resume: resume_a_gumloop_session_stream,
} as const;
