/**
 * Answering only the statuses Gumloop's OpenAPI files declare for an operation. Areas register each documented
 * route with its declared statuses (`statuses` in RouteOptions); an error whose status the operation does not
 * declare is answered with the nearest one it does, by the table below, keeping its code and message.
 *
 * Why a table rather than each handler choosing: the checks that raise these errors are shared (authentication,
 * `requireAgent`, team scope), while what an operation says about them differs. `POST /download_file` documents a
 * failed key check as 403 and has no 401; the evaluations list documents "insufficient permissions on this agent"
 * (403) and no 404; a 409 on a route without one is a bad request. A status with no declared neighbour is kept
 * (the contract test for declared statuses then fails, and the handler is fixed instead).
 */
import { ApiError } from "./errors.js";

/** For an undeclared status, the statuses that say the same thing, nearest first. */
const NEAREST: Readonly<Record<number, readonly number[]>> = {
  401: [403, 400],
  402: [403, 400],
  403: [404, 400, 401],
  404: [403, 400],
  409: [400],
  413: [400],
  422: [400],
};

/** `error` as the operation declaring `statuses` answers it (unchanged when declared, or without declarations). */
export function conform(error: ApiError, statuses: readonly number[] | undefined): ApiError {
  if (!statuses || statuses.includes(error.status)) return error;
  const status = NEAREST[error.status]?.find((candidate) => statuses.includes(candidate));
  if (status === undefined) return error;
  return new ApiError(status, error.code, error.message, {
    param: error.param,
    details: error.details,
    headers: error.headers,
  });
}
