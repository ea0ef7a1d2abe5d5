/**
 * Secret scrubbing. Everything the client puts into an error message, an error field, a hook payload or a log
 * line passes through a Redactor first: the API key, the user id, the OAuth token and the signatures of signed
 * download URLs never leave the process through those channels.
 */

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

export class Redactor {
  readonly #secrets: string[];

  /** @param secrets Values to hide wherever they appear. Short values (< 4 chars) are ignored to keep text readable. */
  constructor(secrets: ReadonlyArray<string | undefined | null>) {
    this.#secrets = [
      ...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= 4)),
    ].sort((a, b) => b.length - a.length);
  }

  /** Hides one more value from now on (e.g. a refreshed access token). */
  add(secret: string): void {
    if (secret.length < 4 || this.#secrets.includes(secret)) return;
    this.#secrets.push(secret);
    this.#secrets.sort((a, b) => b.length - a.length);
  }

  /** Returns `text` with every known secret and every URL signature replaced by `[REDACTED]`. */
  text(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join(REDACTED);
    return out.replace(SIGNATURE_PARAMS, `$1${REDACTED}`);
  }

  /** Deep copy of a JSON-like value with secrets hidden in every string and secret-named keys masked. */
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
    if (depth > 20 || value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((item) => this.#walk(item, depth + 1));
    if (value instanceof Uint8Array) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SECRET_KEYS.has(key.toLowerCase()) && typeof item === "string"
          ? REDACTED
          : this.#walk(item, depth + 1);
    }
    return out;
  }
}
