/**
 * Secret scrubbing. Everything the client puts into an error message, an error field, a hook payload or a log
 * line passes through a Redactor first: the API key, the user id, the OAuth token and the signatures of signed
 * download URLs never leave the process through those channels.
 */
import { Buffer } from "node:buffer";

export const REDACTED = "[REDACTED]";

/** Query parameters that carry a bearer grant on signed storage URLs (GCS, S3, our emulator). */
const SIGNATURE_PARAMS =
  /([?&](?:X-Goog-Signature|X-Goog-Credential|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|signature|sig|token|api_key|access_token)=)[^&#\s"']+/g;

/** Headers whose values must never be shown. */
const SECRET_HEADERS = new Set([
  "authorization",
  "x-auth-key",
  "cookie",
  "set-cookie",
  "proxy-authorization",
]);

/** Query/body keys whose values are identities or credentials. */
const SECRET_KEYS = new Set(["user_id", "api_key", "access_token", "x-auth-key", "authorization"]);

/** Encoded forms shorter than this are not hidden: a handful of base64 characters would match ordinary text. */
const MIN_VARIANT_LENGTH = 8;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Hex digits matched in either case (`%2f` and `%2F`, `\u00e9` and `\u00E9`). */
function hexPattern(hex: string): string {
  return hex.replace(/[a-f]/gi, (digit) => `[${digit.toLowerCase()}${digit.toUpperCase()}]`);
}

/**
 * One character of a secret as a server may echo it: as itself, as a JSON `\uXXXX` escape (or `\/`, `\"`,
 * `\\`), or percent-encoded (each UTF-8 byte `%XX`). Each character may take any form, so mixed encodings match.
 */
function characterPattern(char: string): string {
  const units = Array.from({ length: char.length }, (_, i) => char.charCodeAt(i));
  const forms = [
    escapeRegExp(char),
    units.map((unit) => `\\u${hexPattern(unit.toString(16).padStart(4, "0"))}`).join(""),
  ];
  if (char === "/" || char === '"' || char === "\\") forms.push(escapeRegExp(`\\${char}`));
  const bytes = new TextEncoder().encode(char);
  forms.push([...bytes].map((byte) => `%${hexPattern(byte.toString(16).padStart(2, "0"))}`).join(""));
  return `(?:${forms.join("|")})`;
}

/**
 * The base64 text of `secret` wherever it sits in an encoded string (e.g. `Basic base64(user:key)`): one form for
 * each of the three byte alignments, standard and URL-safe, keeping only the characters that depend on the secret
 * alone.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)]).toString("base64");
    const form = padded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    if (form.length < MIN_VARIANT_LENGTH) continue;
    forms.push(form, form.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
}

/** One pattern for every secret in every form, longest secrets first so a secret inside another goes whole. */
function secretsPattern(secrets: readonly string[]): RegExp | null {
  if (secrets.length === 0) return null;
  const alternatives: string[] = [];
  for (const secret of secrets) {
    alternatives.push([...secret].map(characterPattern).join(""));
    for (const form of base64Forms(secret)) alternatives.push(escapeRegExp(form));
  }
  return new RegExp(alternatives.join("|"), "g");
}

export class Redactor {
  readonly #secrets: string[];
  #pattern: RegExp | null;

  /** @param secrets Values to hide wherever they appear. Short values (< 4 chars) are ignored to keep text readable. */
  constructor(secrets: ReadonlyArray<string | undefined | null>) {
    this.#secrets = [
      ...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= 4)),
    ].sort((a, b) => b.length - a.length);
    this.#pattern = secretsPattern(this.#secrets);
  }

  /** Hides one more value from now on (e.g. a refreshed access token). */
  add(secret: string): void {
    if (secret.length < 4 || this.#secrets.includes(secret)) return;
    this.#secrets.push(secret);
    this.#secrets.sort((a, b) => b.length - a.length);
    this.#pattern = secretsPattern(this.#secrets);
  }

  /**
   * Returns `text` with every known secret and every URL signature replaced by `[REDACTED]`. A secret is found
   * as itself, JSON-escaped (`\u0041`, `\/`), percent-encoded, or base64-encoded (standard or URL-safe).
   */
  text(text: string): string {
    const out = this.#pattern ? text.replace(this.#pattern, REDACTED) : text;
    return out.replace(SIGNATURE_PARAMS, `$1${REDACTED}`);
  }

  /**
   * Deep copy of a JSON-like value with secrets hidden in every string, keys included (a session's `participants`
   * are keyed by user id), and the values of secret-named keys masked.
   */
  value<T>(value: T): T {
    return this.#walk(value, 0) as T;
  }

  /** A header record safe to show: credential headers masked, other values scrubbed. */
  headers(headers: Headers | Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
    for (const [key, value] of entries) {
      out[key] = SECRET_HEADERS.has(key.toLowerCase()) ? REDACTED : this.text(value);
    }
    return out;
  }

  /** A URL safe to show: path and query, with identity parameters masked and signatures removed. */
  url(url: URL | string): string {
    const copy = new URL(url);
    for (const key of [...copy.searchParams.keys()]) {
      if (SECRET_KEYS.has(key.toLowerCase())) copy.searchParams.set(key, REDACTED);
    }
    return this.text(`${copy.pathname}${copy.search}`);
  }

  #walk(value: unknown, depth: number): unknown {
    if (typeof value === "string") return this.text(value);
    if (value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
    // Past this depth the rest is dropped rather than returned unscrubbed.
    if (depth > 20) return REDACTED;
    if (Array.isArray(value)) return value.map((item) => this.#walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty, not assignment: a "__proto__" key stays a field instead of replacing the prototype.
      Object.defineProperty(out, this.text(key), {
        value:
          SECRET_KEYS.has(key.toLowerCase()) && typeof item === "string"
            ? REDACTED
            : this.#walk(item, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
}
