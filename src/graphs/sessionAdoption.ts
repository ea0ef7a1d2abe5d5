/**
 * Adopting a session on 409 `session_already_exists`, checked rather than assumed.
 *
 * The session graph chooses its session id before creating (and checkpoints it), so a create that is repeated
 * (a retried request, a resumed graph, a re-run tool call) meets 409 and adopts the session its earlier attempt
 * made. But an id can also be reused by someone else: two threads given the same `sessionId`. The session is
 * adopted only when it is this job's: the job's fingerprint (of agent and input), stored in the session's
 * `metadata` when creating, matches; or, where the server does not return metadata (Gumloop does not document
 * that it does), the session's agent and first user message are this job's. Anything else is a ConflictError.
 */
import { ConflictError } from "../client/errors.js";
import { messageText, type GumloopSession } from "./types.js";

/** Where the fingerprint goes in the create body's `metadata` (Gumloop keeps it under `metadata.client`). */
export const JOB_MARK_KEY = "langchain_gumloop_job";

/** The create body's `metadata`: the caller's own, plus the job's mark. */
export function markedMetadata(
  metadata: Record<string, unknown> | undefined,
  jobKey: string,
): Record<string, unknown> {
  return { ...metadata, [JOB_MARK_KEY]: jobKey };
}

function markOf(session: GumloopSession): unknown {
  const metadata = session["metadata"] as Record<string, unknown> | undefined;
  const client = metadata?.["client"] as Record<string, unknown> | undefined;
  return client?.[JOB_MARK_KEY] ?? metadata?.[JOB_MARK_KEY];
}

/** Whether `session` is the one this job (agent, input, fingerprint) created. */
export function isOwnSession(
  session: GumloopSession,
  job: { readonly agentId: string; readonly input: string; readonly jobKey: string },
): boolean {
  if (session.agent_id !== job.agentId) return false;
  const mark = markOf(session);
  if (mark !== undefined) return mark === job.jobKey;
  const first = (session.messages ?? []).find((message) => message.role === "user");
  return first !== undefined && messageText(first) === job.input;
}

/** The 409 rewritten to say whose session it is and what to do. */
export function foreignSessionError(conflict: ConflictError, sessionId: string): ConflictError {
  return new ConflictError(
    conflict.status,
    {
      code: conflict.code,
      message:
        `Session id ${sessionId} already exists and was not created by this job (another agent or input). ` +
        `Pass another sessionId, or leave it out for a fresh one.`,
      type: conflict.type,
      param: "session_id",
      details: null,
    },
    { operation: conflict.operation, method: conflict.method, path: conflict.path },
    conflict.requestId,
    conflict.rateLimit,
  );
}
