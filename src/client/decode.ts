/** Response body decoding by content type: JSON, text (CSV), binary (zip, files) as bytes, 204 as empty. */
import type { TransportResponse } from "./transport.js";

/** A binary response body: the bytes and what they are. */
export interface BinaryBody {
  readonly bytes: Uint8Array;
  readonly mediaType: string;
  readonly size: number;
  /** From `Content-Disposition`, when the server sends one. */
  readonly filename: string | null;
}

/** How a response body was decoded: parsed JSON, text (CSV, Markdown...), raw bytes, or nothing. */
export type BodyFormat = "json" | "text" | "binary" | "empty";

export interface DecodedBody {
  readonly format: BodyFormat;
  readonly data: unknown;
  readonly mediaType: string | null;
  /** For JSON: the text it was parsed from. */
  readonly text?: string;
}

/** Thrown when a 2xx body claims to be JSON and is not (truncated or malformed). */
export class MalformedBodyError extends Error {}

/**
 * The largest API response body the client reads, before and after decompression. Gumloop's JSON answers are far
 * smaller (files come through `download()`, which has its own cap), and a body has to be held whole to be decoded:
 * without a cap a runaway body, or a gzip bomb (zeros inflate about 1000-fold), exhausts the process's memory.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * The largest error body the client reads (64 KiB). An error status is the answer and its body only adds detail (a
 * message, a code), which Gumloop keeps small: a longer one is dropped (the error keeps its status) as soon as it
 * passes the cap, so a runaway error page is never held whole.
 */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The cap on the body of a response with `status`: {@link MAX_RESPONSE_BYTES} for a 2xx, else the error cap. */
export function bodyCap(status: number): number {
  return status >= 200 && status < 300 ? MAX_RESPONSE_BYTES : MAX_ERROR_BODY_BYTES;
}

/** The body is over {@link MAX_RESPONSE_BYTES}. Reading it again would not make it smaller: it is not retried. */
export class BodyTooLargeError extends MalformedBodyError {
  constructor() {
    super(`the response body is over the ${MAX_RESPONSE_BYTES}-byte (64 MiB) limit`);
  }
}

function isJsonType(mediaType: string): boolean {
  return mediaType === "application/json" || mediaType.endsWith("+json");
}

function isTextType(mediaType: string): boolean {
  return (
    mediaType.startsWith("text/") ||
    mediaType === "application/xml" ||
    mediaType === "application/csv" ||
    mediaType === "application/x-ndjson"
  );
}

/** `attachment; filename="report.csv"` or RFC 5987 `filename*=UTF-8''report%20q4.csv`. */
export function filenameFromDisposition(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      return null;
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain ? plain[1]!.trim() : null;
}

/** Reads and decodes the whole body. */
export async function decodeBody(response: TransportResponse): Promise<DecodedBody> {
  const contentType = response.headers.get("content-type");
  const mediaType = contentType ? contentType.split(";")[0]!.trim().toLowerCase() : null;
  if (response.status === 204) {
    await response.discard();
    return { format: "empty", data: null, mediaType };
  }
  if (mediaType === null || isJsonType(mediaType)) {
    const text = await response.text();
    if (text.length === 0) return { format: "empty", data: null, mediaType };
    try {
      return { format: "json", data: JSON.parse(text), mediaType: mediaType ?? "application/json", text };
    } catch {
      // A server that sent no content type and no JSON sent text.
      if (mediaType === null) return { format: "text", data: text, mediaType: null };
      throw new MalformedBodyError(`the response was not valid JSON (${text.length} chars)`);
    }
  }
  if (isTextType(mediaType)) {
    const text = await response.text();
    return text.length === 0
      ? { format: "empty", data: null, mediaType }
      : { format: "text", data: text, mediaType };
  }
  const bytes = await response.bytes();
  if (bytes.length === 0) return { format: "empty", data: null, mediaType };
  const binary: BinaryBody = {
    bytes,
    mediaType,
    size: bytes.length,
    filename: filenameFromDisposition(response.headers.get("content-disposition")),
  };
  return { format: "binary", data: binary, mediaType };
}
