/**
 * Answering a session's approvals: an operation beside the 38 tools (gumloop-api.md 3.10) that the session graph
 * needs, kept with the session definitions. Same data shape, same client.
 */
import type { RequestDefinition } from "../client/definition.js";
import type { ApprovalsAnswer } from "./responses.js";

/** `POST /sessions/{session_id}/approvals`: answer a session paused in `approval_required`. */
export const resolveSessionApprovals: RequestDefinition<ApprovalsAnswer> = {
  name: "resolve_gumloop_session_approvals",
  route: "POST /sessions/{session_id}/approvals",
  // Gumloop reports already_accepted / already_rejected on a repeat, so answering twice is harmless.
  idempotent: true,
};
