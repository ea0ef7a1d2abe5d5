/**
 * Following a signed download URL (artifacts, skills, export files) safely. Signed URLs are bearer grants handed
 * to us by the server; following one blindly is an SSRF hole. So: https only (plain http only for hosts the
 * caller names, or the configured API's own origin, such as a local emulator), an allow-list of hosts, redirects re-checked hop by hop, no Gumloop
 * credentials on the request, a byte cap enforced while streaming, and a timeout.
 */
import type { BinaryBody } from "./decode.js";
import { filenameFromDisposition, MAX_ERROR_BODY_BYTES } from "./decode.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  GumloopError,
  GumloopValidationError,
  errorFromResponse,
  redactedErrorBody,
} from "./errors.js";
import { Deadline, timeLimitOption } from "./deadline.js";
import { parseRateLimit } from "./rateLimit.js";
import { readCapped, readErrorText } from "./readCapped.js";
import type { Redactor } from "./redact.js";
import type { Clock } from "./sleep.js";

/** Google Cloud Storage, where Gumloop's signed artifact and skill URLs point. */
export const DEFAULT_DOWNLOAD_HOSTS: readonly string[] = ["storage.googleapis.com"];

/** Limits of a signed-URL download: allowed hosts, byte cap, redirects, timeout and abort. */
export interface DownloadOptions {
  /** Hosts (`host` or `host:port`) a download may come from, over https. @default ["storage.googleapis.com"] */
  allowedHosts?: readonly string[];
  /** Hosts also allowed over plain http, e.g. a local emulator's `127.0.0.1:8787`. @default [] */
  insecureHosts?: readonly string[];
  /**
   * Largest body accepted; larger downloads are cut off with an error. A positive whole number, or Infinity for
   * no cap (0, negatives, fractions and NaN are refused). @default 26214400 (25 MiB)
   */
  maxBytes?: number;
  /** Time limit for the whole download; Infinity for none (0, negatives and NaN are refused). @default 60000 */
  timeoutMs?: number;
  /** Redirect hops followed: a whole number, 0 for none (negatives, fractions, NaN and Infinity are refused). @default 3 */
  maxRedirects?: number;
  /** Name used in error messages. @default "download" */
  operation?: string;
  signal?: AbortSignal | undefined;
}

interface DownloadSeams {
  readonly fetch: typeof fetch;
  readonly redactor: Redactor;
  readonly now: Clock;
  /** The configured API's origin: we already send it our credentials, so its own files are trusted too. */
  readonly trustedOrigin?: string;
}

/** A byte cap from an option: a positive whole number, or Infinity for none. NaN would disable the cap silently. */
export function byteCapOption(name: string, value: number): number {
  if (value !== Infinity && !(Number.isInteger(value) && value > 0)) {
    throw new GumloopError(
      `${name} must be a positive whole number of bytes, or Infinity for no cap (got ${String(value)})`,
    );
  }
  return value;
}

/** A hop limit from an option: a whole number, 0 or more. NaN or Infinity would follow redirects forever. */
function hopLimitOption(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new GumloopError(`${name} must be a whole number, 0 or more (got ${String(value)})`);
  }
  return value;
}

function hostAllowed(url: URL, options: DownloadOptions, trustedOrigin?: string): boolean {
  if (trustedOrigin && url.origin === trustedOrigin) return true;
  const matches = (list: readonly string[]) => list.includes(url.host) || list.includes(url.hostname);
  if (url.protocol === "https:")
    return matches(options.allowedHosts ?? DEFAULT_DOWNLOAD_HOSTS) || matches(options.insecureHosts ?? []);
  if (url.protocol === "http:") return matches(options.insecureHosts ?? []);
  return false;
}

export async function downloadSignedUrl(
  raw: string,
  options: DownloadOptions,
  seams: DownloadSeams,
): Promise<BinaryBody> {
  const operation = options.operation ?? "download";
  // Checked before anything is sent: a bad limit is a programming mistake, not a download failure.
  const maxBytes = byteCapOption("maxBytes", options.maxBytes ?? 25 * 1024 * 1024);
  const maxRedirects = hopLimitOption("maxRedirects", options.maxRedirects ?? 3);
  const timeoutMs = timeLimitOption("timeoutMs", options.timeoutMs ?? 60_000);
  // Aborts on the timeout or the caller's signal, including one that is already aborted (see Deadline).
  const deadline = new Deadline(timeoutMs, options.signal);
  try {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new GumloopValidationError(operation, [{ field: "url", message: "is not a valid URL" }]);
    }
    for (let hop = 0; ; hop++) {
      if (!hostAllowed(url, options, seams.trustedOrigin)) {
        throw new GumloopValidationError(operation, [
          {
            field: "url",
            message: `${url.protocol}//${url.host} is not an allowed download host (https to allow-listed hosts only)`,
          },
        ]);
      }
      // No Authorization or x-auth-key: the signature in the URL is the grant.
      const response = await seams.fetch(url, { redirect: "manual", signal: deadline.signal });
      const shown = seams.redactor.url(url);
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get("location");
        await response.body?.cancel();
        if (!location || hop >= maxRedirects) {
          throw new GumloopError(`${operation} failed: too many or empty redirects from ${shown}`);
        }
        url = new URL(location, url);
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        const text = await readErrorText(response.body, MAX_ERROR_BODY_BYTES);
        const body = redactedErrorBody(text, seams.redactor);
        throw errorFromResponse(
          response.status,
          body,
          { operation, method: "GET", path: shown },
          null,
          parseRateLimit(response.headers, seams.now()),
        );
      }
      const declared = Number(response.headers.get("content-length") ?? "NaN");
      if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body?.cancel();
        throw new GumloopError(
          `${operation} failed: the file is ${declared} bytes, over the ${maxBytes}-byte cap`,
        );
      }
      const bytes = await readCapped(
        response.body,
        maxBytes,
        () => new GumloopError(`${operation} failed: the file is over the ${maxBytes}-byte cap`),
      );
      const mediaType = (response.headers.get("content-type") ?? "application/octet-stream")
        .split(";")[0]!
        .trim();
      return {
        bytes,
        mediaType,
        size: bytes.length,
        filename: filenameFromDisposition(response.headers.get("content-disposition")),
      };
    }
  } catch (error) {
    if (error instanceof GumloopError) throw error;
    if (deadline.callerAborted) throw new APIUserAbortError(operation);
    if (deadline.expired) throw new APIConnectionTimeoutError(operation, timeoutMs);
    throw new APIConnectionError(
      operation,
      `connection error (${seams.redactor.text(String((error as Error)?.message ?? error))})`,
    );
  } finally {
    deadline.dispose();
  }
}
