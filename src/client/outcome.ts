/**
 * What the client says about a call whose outcome it cannot see: a write aborted after it was sent, or a call made
 * repeatable by its idempotency key that, retried after a lost answer, meets the 409 its own earlier attempt
 * caused. Both messages are read by a model (ToolNode forwards them), so they say what most likely happened and
 * how to check, using the definition's `reconcileHint`.
 */
import { parseRoute, type RequestDefinition } from "./definition.js";
import { APIUserAbortError, type APIError } from "./errors.js";

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

/** A call that may do work: not a read, and not marked idempotent (an idempotency key does not undo its work). */
function mayDoWork(definition: RequestDefinition): boolean {
  return !(definition.idempotent ?? parseRoute(definition.route).method === "GET");
}

/**
 * The caller's abort. For a call that may do work and may already have reached the server, the message says it
 * may have taken effect: the abort stopped us waiting for the answer, not the server doing the work.
 */
export function abortError(definition: RequestDefinition, maybeSent: boolean): APIUserAbortError {
  if (!maybeSent || !mayDoWork(definition)) return new APIUserAbortError(definition.name);
  return new APIUserAbortError(
    definition.name,
    `the request was already sent, so it may have taken effect. ${outcomeHint(definition)}`,
  );
}

/**
 * `error` with an explanation when it is a 409 met by a call carrying its idempotency key, retried after an
 * attempt that may have done work: that attempt most likely created the resource and lost its answer, so the
 * "already exists" is our own doing, not a clash with someone else. It stays a ConflictError.
 */
export function explainConflict(
  error: APIError,
  definition: RequestDefinition,
  input: Readonly<Record<string, unknown>>,
): APIError {
  const key = definition.idempotencyKey;
  if (error.status !== 409 || !key || typeof input[key] !== "string") return error;
  const stop = /[.!?]$/.test(error.message) ? " " : ". ";
  error.message +=
    `${stop}An earlier attempt of this call most likely created it: its answer was lost, so the client ` +
    `repeated the call with the same ${key}. ${outcomeHint(definition)}`;
  return error;
}
