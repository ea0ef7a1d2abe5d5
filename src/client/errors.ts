/**
 * One error hierarchy, built by one factory ({@link errorFromResponse}).
 *
 * Messages are short, name the operation, and are meant to be read by a model: ToolNode forwards `message`
 * verbatim. No error carries the API key, the user id, an OAuth token or a URL signature, in its message or in
 * any enumerable field; the client redacts before it constructs one.
 */
import { NO_RATE_LIMIT_INFO, serverWaitMs, type RateLimitInfo } from "./rateLimit.js";
import type { Redactor } from "./redact.js";

/** Base class of every error this package throws. */
export class GumloopError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where an API error came from: the operation and the request line (path only, identities masked). */
export interface ErrorContext {
  /** Operation name, e.g. `"create_a_gumloop_session"`. */
  readonly operation: string;
  readonly method: string;
  /** Path and query with identity parameters and signatures masked. */
  readonly path: string;
}

/** Gumloop's parsed error body, from either of its envelopes. */
export interface ErrorBody {
  readonly code: string | null;
  readonly message: string | null;
  readonly type: string | null;
  readonly param: string | null;
  readonly details: Record<string, unknown> | null;
}

/** The server answered with a non-2xx status. */
export class APIError extends GumloopError {
  /** HTTP status. */
  readonly status: number;
  /** Gumloop's error slug, e.g. `"session_already_exists"` or the legacy `"policy_denied"`. */
  readonly code: string | null;
  /** Gumloop's error type, e.g. `"invalid_request_error"`. */
  readonly type: string | null;
  /** The input field the server blamed, when it says. */
  readonly param: string | null;
  /** Extra details from the error body (redacted). */
  readonly details: Record<string, unknown> | null;
  /** Request id from the response headers, for support tickets. */
  readonly requestId: string | null;
  /** Rate-limit headers of the response, normalised. */
  readonly rateLimit: RateLimitInfo;
  readonly operation: string;
  readonly method: string;
  readonly path: string;

  constructor(
    status: number,
    body: ErrorBody,
    context: ErrorContext,
    requestId: string | null,
    rateLimit: RateLimitInfo,
  ) {
    super(apiErrorMessage(status, body, context));
    this.status = status;
    this.code = body.code;
    this.type = body.type;
    this.param = body.param;
    this.details = body.details;
    this.requestId = requestId;
    this.rateLimit = rateLimit;
    this.operation = context.operation;
    this.method = context.method;
    this.path = context.path;
  }
}

/** 400: Gumloop refused the request as malformed; the message names the field when Gumloop does. */
export class BadRequestError extends APIError {}
/** 401: the API key, user id or access token was refused. Not retried (a token function gets one refresh). */
export class AuthenticationError extends APIError {}
/** 403: the credentials may not do this (plan, role, or another team's resource). */
export class PermissionDeniedError extends APIError {}
/** 404: the agent, session, flow, run or file does not exist (or is not visible to these credentials). */
export class NotFoundError extends APIError {}
/** 409: e.g. `session_already_exists` for a caller-chosen session id (the session graph adopts its own). */
export class ConflictError extends APIError {}
/** 413: the upload or request body is larger than Gumloop accepts. */
export class PayloadTooLargeError extends APIError {}
/** 422: the request was well formed but Gumloop could not act on it. */
export class UnprocessableEntityError extends APIError {}
/** 5xx. */
export class InternalServerError extends APIError {}

/**
 * 429: Gumloop refused the request (plan concurrency limit or request rate). The request was not processed, so
 * repeating it after `retryAfterMs` is safe. The client does not retry it by default: graph nodes and callers decide.
 */
export class RateLimitError extends APIError {
  /** How long the server asked us to wait (Retry-After, else the window reset), or null when it did not say. */
  readonly retryAfterMs: number | null;
  constructor(
    status: number,
    body: ErrorBody,
    context: ErrorContext,
    requestId: string | null,
    rateLimit: RateLimitInfo,
  ) {
    super(status, body, context, requestId, rateLimit);
    this.retryAfterMs = serverWaitMs(rateLimit);
  }
}

/** The request never got an HTTP answer (DNS, refused, reset, malformed response). */
export class APIConnectionError extends GumloopError {
  readonly operation: string;
  constructor(operation: string, message: string, options?: { cause?: unknown }) {
    super(`${operation} failed: ${message}`, options);
    this.operation = operation;
  }
}

/** No answer within `timeoutMs`. */
export class APIConnectionTimeoutError extends APIConnectionError {
  constructor(operation: string, timeoutMs: number) {
    super(operation, `no response within ${timeoutMs} ms (timed out)`);
  }
}

/**
 * The caller's AbortSignal fired. When a call that may do work was already sent, the message says it may have
 * taken effect and how to check (`note`), since the abort only stopped us from waiting for the answer.
 */
export class APIUserAbortError extends GumloopError {
  readonly operation: string;
  constructor(operation: string, note?: string) {
    super(`${operation} was aborted by the caller${note ? `; ${note}` : ""}`);
    this.operation = operation;
  }
}

/** One problem with a tool's or a call's input. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `"calls.0.server_id"`; `""` for the input as a whole. */
  readonly field: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Issues shown in a validation error's message; the rest are counted (all stay on `issues`). */
const SHOWN_ISSUES = 10;
/** About the longest validation message: it reaches a model whole, as a ToolMessage. */
const MAX_VALIDATION_MESSAGE = 2_000;
/** Room kept for the "…and N more issues" tail. */
const TAIL_ROOM = 40;

/**
 * The first issues, each cut to 300 chars, as many as fit `budget` (at least one, at most {@link SHOWN_ISSUES}),
 * then how many more there are. 20,000 issues would otherwise make a message of megabytes.
 */
function issueSummary(issues: readonly ValidationIssue[], budget: number): string {
  const shown: string[] = [];
  let used = 0;
  for (const issue of issues) {
    if (shown.length === SHOWN_ISSUES) break;
    const text = truncate(issue.field ? `${issue.field}: ${issue.message}` : issue.message, 300);
    if (shown.length > 0 && used + text.length + 2 > budget) break;
    shown.push(text);
    used += text.length + 2;
  }
  const rest = issues.length - shown.length;
  const more = rest > 0 ? `; …and ${rest.toLocaleString("en-US")} more issue${rest === 1 ? "" : "s"}` : "";
  return shown.join("; ") + more;
}

/**
 * Bad input, caught before any request left the process. Nothing was sent. The message names the first few
 * issues and counts the rest, within about 2,000 characters; `issues` holds them all.
 */
export class GumloopValidationError extends GumloopError {
  readonly operation: string;
  readonly issues: readonly ValidationIssue[];
  constructor(operation: string, issues: readonly ValidationIssue[]) {
    const prefix = `Invalid input for ${operation} (nothing was sent): `;
    super(prefix + issueSummary(issues, MAX_VALIDATION_MESSAGE - prefix.length - TAIL_ROOM));
    this.operation = operation;
    this.issues = issues;
  }
}

/**
 * A call that may have done work (started a flow, created a session, sent a message) ended without telling whether
 * it did: the request was sent and its answer was lost (connection dropped, timeout, unreadable body), or Gumloop
 * answered 500, 502 or 504, which may come after the work was done. It is NOT sent again, because repeating it could
 * do the work twice. Check the job's state (see `hint`) before trying again.
 */
export class OutcomeUnknownError extends GumloopError {
  readonly operation: string;
  /** How to find out whether the call took effect. */
  readonly hint: string;
  /** HTTP status of Gumloop's last answer (e.g. 502); null when the answer was lost. */
  readonly status: number | null;
  /** Gumloop's error slug of that answer (e.g. `"bad_gateway"`); null when there was none. */
  readonly code: string | null;
  /**
   * @param options.reason - What happened, as a sentence. Defaults to the lost-answer text.
   * @param options.cause - The redacted error the call would otherwise have ended with.
   */
  constructor(
    operation: string,
    hint: string,
    options: {
      readonly status?: number | null;
      readonly code?: string | null;
      readonly reason?: string;
      readonly cause?: unknown;
    } = {},
  ) {
    super(
      `${operation} may or may not have taken effect: ` +
        `${options.reason ?? "the connection failed after the request was sent."} ` +
        `It was not sent again, to avoid doing the work twice. ${hint}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.operation = operation;
    this.hint = hint;
    this.status = options.status ?? null;
    this.code = options.code ?? null;
  }
}

/** Pagination stopped: `maxPages` reached, or the server repeated a cursor. */
export class PaginationLimitError extends GumloopError {}

const NAMED_STATUS: Record<number, string> = {
  400: "bad request",
  401: "authentication failed",
  402: "payment required",
  403: "permission denied",
  404: "not found",
  408: "request timeout",
  409: "conflict",
  413: "payload too large",
  422: "unprocessable entity",
  429: "rate limited",
};

function apiErrorMessage(status: number, body: ErrorBody, context: ErrorContext): string {
  const what = body.message ?? NAMED_STATUS[status] ?? (status >= 500 ? "server error" : "request failed");
  const code = body.code ? ` ${body.code}` : "";
  const param = body.param ? ` (field: ${body.param})` : "";
  return `${context.operation} failed: ${status}${code}: ${truncate(what, 300)}${param}`;
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/**
 * Parses Gumloop's two error bodies: the envelope `{"error": {"code","message","type","param","details"}}` and
 * the legacy flat `{"error": "policy_denied", "denied_keys": [...]}`; also `{"message": ...}` and
 * `{"detail": ...}`; anything else becomes the (truncated) raw text.
 */
export function parseErrorBody(text: string): ErrorBody {
  const empty: ErrorBody = { code: null, message: null, type: null, param: null, details: null };
  if (!text.trim()) return empty;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ...empty, message: truncate(text, 300) };
  }
  if (json === null || typeof json !== "object" || Array.isArray(json))
    return { ...empty, message: truncate(text, 300) };
  const record = json as Record<string, unknown>;
  const error = record["error"];
  if (error !== null && typeof error === "object" && !Array.isArray(error)) {
    const envelope = error as Record<string, unknown>;
    const details = envelope["details"];
    return {
      code: stringOrNull(envelope["code"]),
      message: stringOrNull(envelope["message"]),
      type: stringOrNull(envelope["type"]),
      param: stringOrNull(envelope["param"]),
      details:
        details && typeof details === "object" && !Array.isArray(details)
          ? (details as Record<string, unknown>)
          : null,
    };
  }
  if (typeof error === "string") {
    // Legacy permission-decorator shape: the slug is in `error`, everything else is detail.
    const { error: _slug, message, ...rest } = record;
    return {
      ...empty,
      code: error,
      message: stringOrNull(message) ?? legacyMessage(error, rest),
      details: Object.keys(rest).length ? rest : null,
    };
  }
  const message = stringOrNull(record["message"]) ?? stringOrNull(record["detail"]);
  return { ...empty, message: message ?? truncate(text, 300), code: stringOrNull(record["code"]) };
}

/**
 * {@link parseErrorBody} with secrets hidden twice: in the raw text, so that a cut to length never leaves part of
 * one behind, and in every string of the parsed body (message, code, type, param, details), where parsing has
 * decoded escapes such as `\u0041` or `\/` that hid a secret from the first pass.
 */
export function redactedErrorBody(text: string, redactor: Redactor): ErrorBody {
  return redactor.value(parseErrorBody(redactor.text(text)));
}

function legacyMessage(slug: string, rest: Record<string, unknown>): string {
  const denied = Array.isArray(rest["denied_keys"]) ? ` (denied: ${rest["denied_keys"].join(", ")})` : "";
  const tier = typeof rest["minimum_tier"] === "string" ? ` (requires the ${rest["minimum_tier"]} plan)` : "";
  return `${slug.replace(/_/g, " ")}${tier}${denied}`;
}

const STATUS_CLASSES: Partial<Record<number, typeof APIError>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The one place that maps an HTTP status to an error class. */
export function errorFromResponse(
  status: number,
  body: ErrorBody,
  context: ErrorContext,
  requestId: string | null,
  rateLimit: RateLimitInfo = NO_RATE_LIMIT_INFO,
): APIError {
  const Class = STATUS_CLASSES[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new Class(status, body, context, requestId, rateLimit);
}

/** Duck-typed check that also works across two copies of this package. */
export function isRateLimitError(error: unknown): error is RateLimitError {
  return error instanceof RateLimitError || (error instanceof Error && error.name === "RateLimitError");
}
