/**
 * What the client says about a call whose outcome it cannot see. The one place that decides "may have taken
 * effect": a write whose request was sent and whose answer was lost or ambiguous (500, 502, 504), a write aborted
 * after it was sent, and a call made repeatable by its idempotency key that, repeated, meets the 409 its own earlier
 * attempt caused. These messages are read by a model (ToolNode forwards them), so they say what most likely
 * happened and how to check, using the definition's `reconcileHint`.
 */
import {
  carriesIdempotencyKey,
  idempotentByDefinition,
  parseRoute,
  type RequestDefinition,
} from "./definition.js";
import { APIUserAbortError, OutcomeUnknownError, type APIError, type GumloopError } from "./errors.js";

/** How to find out whether a call took effect: the definition's hint, else a generic "read before repeating". */
export function outcomeHint(definition: RequestDefinition): string {
  if (definition.reconcileHint) return definition.reconcileHint;
  const { method } = parseRoute(definition.route);
  return `Check whether ${definition.name} (${method}) took effect with a read before repeating it.`;
}

/**
 * 5xx answers that may come after the request was processed: 500 (the handler failed, perhaps after doing the
 * work), 502 and 504 (a gateway lost, or stopped waiting for, the answer of a request it passed on). 501 and 503
 * say the request was not handled.
 */
const AMBIGUOUS_STATUSES: ReadonlySet<number> = new Set([500, 502, 504]);

/** Whether an error status leaves open that the server did the work anyway. */
export function statusMayFollowWork(status: number): boolean {
  return AMBIGUOUS_STATUSES.has(status);
}

/**
 * How a call's last attempt failed: Gumloop's error answer, or no usable answer (`lost`: how, `sent`: whether the
 * request may have reached the server, `failure`: the error the call ends with when the outcome is known).
 */
export type LastAttempt =
  | { readonly answer: APIError }
  | {
      readonly lost: "timeout" | "connection" | "malformed";
      readonly sent: boolean;
      readonly failure: GumloopError;
    };

const LOST_ANSWERS = {
  connection: "the connection failed after the request was sent",
  timeout: "the request was sent and no answer came within the time limit",
  malformed: "the request was sent and its answer could not be read",
} as const;

function answered(error: APIError): string {
  return `Gumloop answered ${error.status}${error.code ? ` ${error.code}` : ""}`;
}

/**
 * The error a call that failed for good ends with. A call that may do work (not idempotent by definition: an
 * idempotency key makes a repeat safe, it does not undo an earlier sending) whose work may have happened, because
 * its last attempt was sent and lost its answer or got 500/502/504, or because an earlier attempt did, ends as an
 * {@link OutcomeUnknownError} carrying the last status and code, with the plain error as its `cause`. A 409 met by
 * a keyed repeat is explained instead (see {@link explainConflict}). Anything else ends as the plain error.
 */
export function finalError(
  definition: RequestDefinition,
  input: Readonly<Record<string, unknown>>,
  last: LastAttempt,
  earlierMayHaveActed: boolean,
): GumloopError {
  const plain = "answer" in last ? last.answer : last.failure;
  if (idempotentByDefinition(definition)) return plain;
  if (
    "answer" in last &&
    last.answer.status === 409 &&
    earlierMayHaveActed &&
    carriesIdempotencyKey(definition, input)
  )
    return explainConflict(last.answer, definition);
  const actedNow = "answer" in last ? statusMayFollowWork(last.answer.status) : last.sent;
  if (!actedNow && !earlierMayHaveActed) return plain;
  const what =
    "answer" in last ? `${answered(last.answer)} after the request was sent` : LOST_ANSWERS[last.lost];
  const reason = actedNow
    ? `${what}.`
    : "an earlier attempt reached Gumloop and its answer was lost or a 5xx; the last one ended with: " +
      `${"answer" in last ? answered(last.answer) : `no answer (${last.lost})`}.`;
  return new OutcomeUnknownError(definition.name, outcomeHint(definition), {
    status: "answer" in last ? last.answer.status : null,
    code: "answer" in last ? last.answer.code : null,
    reason,
    cause: plain,
  });
}

/**
 * The caller's abort. For a call that may do work and may already have reached the server, the message says it
 * may have taken effect: the abort stopped us waiting for the answer, not the server doing the work.
 */
export function abortError(definition: RequestDefinition, maybeSent: boolean): APIUserAbortError {
  if (!maybeSent || idempotentByDefinition(definition)) return new APIUserAbortError(definition.name);
  return new APIUserAbortError(
    definition.name,
    `the request was already sent, so it may have taken effect. ${outcomeHint(definition)}`,
  );
}

/**
 * A 409 met by a call carrying its idempotency key, repeated after an attempt that may have done work: that
 * attempt most likely created the resource and lost its answer, so the "already exists" is our own doing, not a
 * clash with someone else. It stays a ConflictError, with that explanation added.
 */
function explainConflict(error: APIError, definition: RequestDefinition): APIError {
  const stop = /[.!?]$/.test(error.message) ? " " : ". ";
  error.message +=
    `${stop}An earlier attempt of this call most likely created it: its answer was lost or a 5xx, so the ` +
    `client repeated the call with the same ${definition.idempotencyKey}. ${outcomeHint(definition)}`;
  return error;
}
