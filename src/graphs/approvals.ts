/** Human approval for sessions that pause in `approval_required`: the interrupt payload and the resume value. */

import { GumloopValidationError } from "../client/errors.js";
import type { PendingApproval } from "./types.js";

/** An answer to a session's pending approvals, as `Command({ resume })` carries it. */
export type ApprovalDecision =
  | "accept"
  | "reject"
  | {
      readonly approvals: readonly {
        readonly action_request_id: string;
        readonly action: "accept" | "reject";
        readonly reason?: string;
      }[];
    };

/** What the graph's `interrupt()` carries when a session waits for approval. */
export interface ApprovalRequest {
  readonly kind: "gumloop_approval";
  readonly sessionId: string;
  readonly pendingApprovals: readonly PendingApproval[];
}

/**
 * The approval request a session graph stopped on, from the result of `invoke()`/`stream()` values, or undefined
 * when it did not stop for approval.
 */
export function approvalRequestOf(result: unknown): ApprovalRequest | undefined {
  const interrupts = (result as { __interrupt__?: { value?: unknown }[] } | null)?.__interrupt__ ?? [];
  for (const entry of interrupts) {
    const value = entry?.value as ApprovalRequest | undefined;
    if (value?.kind === "gumloop_approval") return value;
  }
  return undefined;
}

/** Gumloop's `approval_responses` for a decision. */
export function approvalResponses(decision: ApprovalDecision, pending: readonly PendingApproval[]) {
  if (decision === "accept" || decision === "reject") {
    return pending.map((approval) => ({ action_request_id: approval.action_request_id, action: decision }));
  }
  if (!decision || !Array.isArray(decision.approvals) || decision.approvals.length === 0) {
    throw new GumloopValidationError("resolve_gumloop_session_approvals", [
      {
        field: "resume",
        message: 'resume with "accept", "reject" or { approvals: [{ action_request_id, action }] }',
      },
    ]);
  }
  return decision.approvals;
}
