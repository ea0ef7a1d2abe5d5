/** The request log: one entry per answered (or abandoned) request, secrets masked. */
import type { IncomingHttpHeaders } from "node:http";
import type { HostKind } from "./context.js";

/** One logged request. */
export interface RequestLogEntry {
  /** Same as the response's `x-request-id`. */
  readonly id: string;
  /** Clock time (epoch ms) when the request arrived. */
  readonly time: number;
  readonly method: string;
  /** Full URL path without the query, e.g. `/api/v1/sessions/sess_1`. */
  readonly path: string;
  /**
   * The matched route pattern relative to the host base, in Gumloop's docs style with `{name}` placeholders
   * (`/agents/{agent_id}/sessions`); null when no route matched.
   */
  readonly route: string | null;
  readonly host: HostKind;
  /** Query parameters; repeated keys become arrays. */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Request headers, lower-cased, with `authorization`, `x-auth-key` and `cookie` masked. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON; for multipart `{ fields, files: [{ field, filename, mediaType, size }] }`; null when empty. */
  readonly body: unknown;
  /** Response status; 0 when the connection was dropped or the request hung until close. */
  readonly status: number;
}

/** Headers whose values never reach the log. */
export const MASKED_HEADERS: readonly string[] = [
  "authorization",
  "x-auth-key",
  "cookie",
  "proxy-authorization",
];

/** Lower-cased headers with credentials replaced by `"[REDACTED]"`. */
export function maskHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    out[key] = MASKED_HEADERS.includes(key) ? "[REDACTED]" : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Query parameters as an object; repeated keys become arrays. */
/** Query parameters that carry a credential (start_pipeline accepts `?api_key=`); masked in the log. */
const SECRET_QUERY_KEYS = new Set(["api_key", "access_token", "token"]);

export function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, raw] of query) {
    const value = SECRET_QUERY_KEYS.has(key.toLowerCase()) ? "[REDACTED]" : raw;
    const existing = out[key];
    out[key] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** Append-only list of {@link RequestLogEntry}. */
export class RequestLog {
  #entries: RequestLogEntry[] = [];

  /** Entries in completion order. */
  get entries(): readonly RequestLogEntry[] {
    return this.#entries;
  }

  append(entry: RequestLogEntry): void {
    this.#entries.push(Object.freeze(entry));
  }

  clear(): void {
    this.#entries = [];
  }
}
