/**
 * Starts that have no idempotency key (`start_pipeline`, `export_data`): when their answer is lost, the job may
 * exist, and sending the start again (a retry, or a resume from a checkpoint) could create a second one. The
 * graph ends as `outcome_unknown` instead, saying how to check.
 */
import type { RequestDefinition } from "../client/definition.js";
import { InternalServerError, OutcomeUnknownError } from "../client/errors.js";
import { outcomeHint, statusMayFollowWork } from "../client/outcome.js";

/**
 * The graph's `error` text when `error` leaves the start's outcome unknown: a lost answer, or a 5xx that may come
 * after the job was created (see statusMayFollowWork); null when nothing was started (the error is rethrown, and
 * the start may be sent again).
 */
export function unknownStartOutcome(error: unknown, definition: RequestDefinition): string | null {
  if (error instanceof OutcomeUnknownError) return error.message;
  if (!(error instanceof InternalServerError) || !statusMayFollowWork(error.status)) return null;
  const code = error.code ? ` ${error.code}` : "";
  return (
    `${definition.name} may or may not have taken effect: Gumloop answered ${error.status}${code} after the ` +
    `request was sent, so the job may have started. It was not sent again to avoid a second job. ` +
    outcomeHint(definition)
  );
}
