/**
 * The errors the client throws when an attempt gets no HTTP answer (timeout, connection failure, unreadable body),
 * built so that nothing secret survives: messages are redacted, and causes are plain copies without the original
 * request's details (an undici error can carry the URL and headers).
 */
import { APIConnectionError, APIConnectionTimeoutError, type GumloopError } from "./errors.js";
import type { Redactor } from "./redact.js";

/** A plain copy of an error: name, code and a redacted message, without the original's request details. */
export function sanitizedCopy(error: unknown, redactor: Redactor): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { cause?: { code?: unknown } })?.cause?.code ?? (error as { code?: unknown })?.code;
  const copy = new Error(redactor.text(message + (typeof code === "string" ? ` (${code})` : "")));
  copy.name = error instanceof Error ? error.name : "Error";
  return copy;
}

/** How a failed attempt is named in retry events. */
export const FAILURE_REASONS = {
  connection: "connection error",
  malformed: "malformed body",
  timeout: "timeout",
} as const;

/** The final error for an attempt that failed without an HTTP answer. */
export function attemptFailure(
  operation: string,
  reason: "timeout" | "connection" | "malformed",
  error: unknown,
  timeoutMs: number,
  redactor: Redactor,
): GumloopError {
  if (reason === "timeout") return new APIConnectionTimeoutError(operation, timeoutMs);
  const detail = error instanceof Error ? redactor.text(error.message) : "unknown error";
  return new APIConnectionError(operation, reason === "malformed" ? detail : `connection error (${detail})`, {
    cause: sanitizedCopy(error, redactor),
  });
}
