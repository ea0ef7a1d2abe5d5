/**
 * Gumloop's error envelope: `{"error":{"code","message","type","param","details"}}`, with `type` derived from the
 * status exactly as the backend's `api_error_type()` does (gumloop-api.md 3.3). Handlers throw {@link ApiError};
 * the server turns it into the envelope.
 */

/** The `error.type` values Gumloop uses. */
export type ErrorType =
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "api_error"
  | "invalid_request_error";

/** Maps a status to Gumloop's error `type`. */
export function errorType(status: number): ErrorType {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

/** The JSON body of an error response. */
export interface ErrorEnvelope {
  error: {
    code: string;
    message: string;
    type: ErrorType;
    param: string | null;
    details: Record<string, unknown>;
  };
}

/** Builds the envelope for a status, code and message. */
export function errorEnvelope(
  status: number,
  code: string,
  message: string,
  param: string | null = null,
  details: Record<string, unknown> = {},
): ErrorEnvelope {
  return { error: { code, message, type: errorType(status), param, details } };
}

/** Extra fields of an {@link ApiError}. */
export interface ApiErrorOptions {
  /** The request field at fault. @default null */
  param?: string | null;
  /** Structured extras. @default {} */
  details?: Record<string, unknown>;
  /** Extra response headers (e.g. `Retry-After`). @default {} */
  headers?: Record<string, string>;
}

/** Thrown by handlers; answered with the error envelope and `status`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param: string | null;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, options: ApiErrorOptions = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.param = options.param ?? null;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }

  /** The JSON body for this error. */
  toEnvelope(): ErrorEnvelope {
    return errorEnvelope(this.status, this.code, this.message, this.param, this.details);
  }
}

/** 400 `invalid_request` (the generic slug Gumloop's newer routes use), naming the offending field. */
export function invalidRequest(
  message: string,
  param: string | null = null,
  code = "invalid_request",
): ApiError {
  return new ApiError(400, code, message, { param });
}

/** 403 `permission_denied`. The slug is inference: Gumloop documents the status and type, not this code. */
export function forbidden(message: string, code = "permission_denied"): ApiError {
  return new ApiError(403, code, message);
}

/** 404 `<what>_not_found` (slug is inference; Gumloop documents `mcp_server_not_found` in the same style). */
export function notFound(what: string, id: string): ApiError {
  const slug = what.toLowerCase().replace(/[^a-z0-9]+/g, "_");
  return new ApiError(404, `${slug}_not_found`, `${what} not found: ${id}`, { details: { id } });
}

/** 409 with a documented slug such as `session_already_exists`. */
export function conflict(code: string, message: string, details: Record<string, unknown> = {}): ApiError {
  return new ApiError(409, code, message, { details });
}
