/**
 * Starts that have no idempotency key (`start_pipeline`, `export_data`): when their answer is lost, the job may
 * exist, and sending the start again (a retry, or a resume from a checkpoint) could create a second one. The
 * graph ends as `outcome_unknown` instead, saying how to check.
 */
import type { RequestDefinition } from "../client/definition.js";
import { InternalServerError, OutcomeUnknownError } from "../client/errors.js";

/**
 * 5xx answers after which the request may have been processed: 500 (the handler failed, perhaps after creating
 * the job), 502 and 504 (a gateway lost or stopped waiting for the answer of a request it passed on). 501 and 503
 * say the request was not handled, so they are rethrown like any other error and may be sent again.
 */
const AMBIGUOUS_STATUSES: ReadonlySet<number> = new Set([500, 502, 504]);

/** The graph's `error` text when `error` leaves the start's outcome unknown; null when nothing was started. */
export function unknownStartOutcome(error: unknown, definition: RequestDefinition): string | null {
  if (error instanceof OutcomeUnknownError) return error.message;
  if (!(error instanceof InternalServerError) || !AMBIGUOUS_STATUSES.has(error.status)) return null;
  const hint =
    definition.reconcileHint ?? `Check whether ${definition.name} took effect before repeating it.`;
  const code = error.code ? ` ${error.code}` : "";
  return (
    `${definition.name} may or may not have taken effect: Gumloop answered ${error.status}${code} after the ` +
    `request was sent, so the job may have started. It was not sent again to avoid a second job. ${hint}`
  );
}
