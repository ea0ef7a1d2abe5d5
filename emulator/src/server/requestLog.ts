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

/** What a masked value is replaced with. */
export const REDACTED = "[REDACTED]";

/**
 * Parameter/field names that carry a credential, wherever they appear (query, JSON or form body): the key itself
 * (start_pipeline accepts `api_key`), OAuth tokens, flow secrets such as `openai_token`, and the storage URLs'
 * `signature` (a live download grant until it expires).
 */
const SECRET_KEYS = new Set([
  "api_key",
  "apikey",
  "access_token",
  "refresh_token",
  "id_token",
  "token",
  "openai_token",
  "signature",
  "password",
  "secret",
  "client_secret",
  "authorization",
  "x-auth-key",
  "code_verifier",
]);
/** Name styles that are secrets too: `*_token`, `*_secret`, `*password`, `*_api_key`. */
const SECRET_KEY_STYLE = /(?:^|[_-])(?:token|secret|password|passwd|api_?key)$/;

/** True when a parameter or field with this name holds a secret. */
export function isSecretKey(name: string): boolean {
  const key = name.toLowerCase();
  return SECRET_KEYS.has(key) || SECRET_KEY_STYLE.test(key);
}

/**
 * A copy of a parsed JSON value with secret keys masked at any depth. Parsed bodies are already capped in depth
 * (body.ts); past `depth` 200 the value is elided anyway, so logging can never overflow the stack.
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 200) return "[TOO DEEP]";
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, depth + 1));
  if (typeof value !== "object" || value === null) return value;
  // Null prototype: a `__proto__` key in the body is copied as data.
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : maskSecrets(item, depth + 1);
  }
  return out;
}

/** Masks secret `"key": "value"` pairs (JSON text) and `key=value` pairs (form/query text) in unparsed text. */
export function maskSecretText(text: string): string {
  return text
    .replace(
      /("([^"\\]{1,100})"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\]\s]+)/g,
      (whole, head: string, key: string) => (isSecretKey(key) ? `${head}"${REDACTED}"` : whole),
    )
    .replace(/(^|[&?\s])([^=&?\s]{1,100})=([^&\s]*)/g, (whole, lead: string, key: string) =>
      isSecretKey(decodeKey(key)) ? `${lead}${key}=${REDACTED}` : whole,
    );
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return key;
  }
}

/** Query parameters as an object (repeated keys become arrays), secret parameters masked. */
export function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [key, raw] of query) {
    const value = isSecretKey(key) ? REDACTED : raw;
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
