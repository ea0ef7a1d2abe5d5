/**
 * Rate-limit header parsing, normalised to one shape whatever the server speaks.
 *
 * Precedence (IETF draft-ietf-httpapi-ratelimit-headers, ky's retry-timing): `retry-after-ms`, then
 * `Retry-After` (delay-seconds or HTTP-date) for the wait; for the quota, the structured `RateLimit` /
 * `RateLimit-Policy` fields (draft -08+), the draft -07 dictionary form, the `RateLimit-Limit` /
 * `RateLimit-Remaining` / `RateLimit-Reset` fields (drafts -00..-06), and finally `X-RateLimit-*`.
 *
 * `RateLimit-Reset` and the `t` parameter are DELTA seconds, not an epoch: reading them as an epoch (as Truto's
 * blog snippet does) turns `ratelimit-reset: 60` into a negative wait and a retry storm. Only the non-standard
 * `X-RateLimit-Reset` is sometimes an epoch (GitHub); values that look like one (> 1e9) are read as such, in
 * milliseconds when they are that large (> 1e12: seconds that big would be the year 33658).
 * Malformed fields are ignored, as the draft requires.
 */

import type { HeaderSource } from "./transport.js";

/** Normalised rate-limit information of one response. `null` means the server did not say. */
export interface RateLimitInfo {
  /** Requests allowed in the current window. */
  readonly limit: number | null;
  /** Requests left in the current window. */
  readonly remaining: number | null;
  /** Milliseconds until the window resets (delta, never an epoch). */
  readonly resetMs: number | null;
  /** Milliseconds the server asked us to wait (`Retry-After` / `retry-after-ms`). */
  readonly retryAfterMs: number | null;
}

export const NO_RATE_LIMIT_INFO: RateLimitInfo = Object.freeze({
  limit: null,
  remaining: null,
  resetMs: null,
  retryAfterMs: null,
});

const INTEGER = /^\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;

function header(headers: HeaderSource, name: string): string | undefined {
  const value = headers.get(name)?.trim();
  return value ? value : undefined;
}

/** Parses `Retry-After` (RFC 9110: delay-seconds or HTTP-date) and `retry-after-ms`. */
export function parseRetryAfterMs(headers: HeaderSource, nowMs: number): number | null {
  const ms = header(headers, "retry-after-ms");
  if (ms && DECIMAL.test(ms)) return Math.round(Number(ms));
  const value = header(headers, "retry-after");
  if (!value) return null;
  if (DECIMAL.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP-date must name a weekday or month; Date.parse alone accepts far too much (e.g. "1 2").
  if (!/[A-Za-z]{3}/.test(value)) return null;
  const at = parseHttpDate(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** asctime: `Sun Nov  6 08:49:37 1994`, the one HTTP-date form without a zone. */
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * Milliseconds since the epoch of an HTTP-date (RFC 9110 §5.6.7), NaN if it is not one. Every HTTP-date is GMT,
 * but asctime does not say so and Date.parse would read it as local time (hours off outside UTC): it is read here.
 */
function parseHttpDate(value: string): number {
  const asctime = ASCTIME.exec(value);
  if (!asctime) return Date.parse(value);
  const month = MONTHS.indexOf(asctime[1]!);
  if (month < 0) return NaN;
  const [day, hours, minutes, seconds, year] = asctime.slice(2).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(year, month, day, hours, minutes, seconds);
}

interface StructuredItem {
  readonly name: string;
  readonly params: ReadonlyMap<string, string>;
}

/** A small Structured Field List parser for `"policy";r=1;t=2, "other";q=3` (RFC 8941, enough for RateLimit). */
function parseStructuredList(value: string): StructuredItem[] | null {
  const items: StructuredItem[] = [];
  for (const raw of value.split(",")) {
    const parts = raw.split(";").map((part) => part.trim());
    const name = parts[0]?.replace(/^"(.*)"$/, "$1") ?? "";
    const params = new Map<string, string>();
    for (const part of parts.slice(1)) {
      const eq = part.indexOf("=");
      if (eq <= 0) return null;
      params.set(
        part.slice(0, eq).trim().toLowerCase(),
        part
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, "$1"),
      );
    }
    items.push({ name, params });
  }
  return items;
}

function integerParam(item: StructuredItem | undefined, key: string): number | null {
  const value = item?.params.get(key);
  return value !== undefined && INTEGER.test(value) ? Number(value) : null;
}

/** Draft -08+: `RateLimit: "default";r=50;t=30` with `RateLimit-Policy: "default";q=100;w=60`. */
function fromStructured(headers: HeaderSource): Omit<RateLimitInfo, "retryAfterMs"> | null {
  const value = header(headers, "ratelimit");
  if (!value) return null;
  // Draft -07 dictionary form: `limit=100, remaining=50, reset=5`.
  if (/(^|,)\s*(limit|remaining|reset)\s*=/.test(value) && !value.includes(";")) {
    const entries = new Map(
      value.split(",").map((pair) => {
        const [key, raw] = pair.split("=").map((part) => part.trim());
        return [key?.toLowerCase() ?? "", raw ?? ""] as const;
      }),
    );
    const read = (key: string) => (INTEGER.test(entries.get(key) ?? "") ? Number(entries.get(key)) : null);
    const reset = read("reset");
    return {
      limit: read("limit"),
      remaining: read("remaining"),
      resetMs: reset === null ? null : reset * 1000,
    };
  }
  const items = parseStructuredList(value)?.filter((item) => integerParam(item, "r") !== null);
  if (!items?.length) return null;
  // Several policies: the one with the least quota left is the one that will bite first.
  const tightest = items.reduce((best, item) =>
    integerParam(item, "r")! < integerParam(best, "r")! ? item : best,
  );
  const policies = parseStructuredList(header(headers, "ratelimit-policy") ?? "") ?? [];
  const policy = policies.find((candidate) => candidate.name === tightest.name) ?? policies[0];
  const reset = integerParam(tightest, "t");
  return {
    limit: integerParam(policy, "q"),
    remaining: integerParam(tightest, "r"),
    resetMs: reset === null ? null : reset * 1000,
  };
}

/** Drafts -00..-06 (`RateLimit-*`) and the de-facto `X-RateLimit-*` fields. */
function fromFields(headers: HeaderSource, prefix: "ratelimit-" | "x-ratelimit-", nowMs: number) {
  // `RateLimit-Limit` may carry a policy after the number (`110;w=10`, as Truto sends it): read the number.
  const leadingInteger = (name: string): number | null => {
    const match = /^(\d+)(?:\s*[;,].*)?$/.exec(header(headers, prefix + name) ?? "");
    return match ? Number(match[1]) : null;
  };
  const limit = leadingInteger("limit");
  const remaining = leadingInteger("remaining");
  const resetRaw = header(headers, prefix + "reset");
  let resetMs: number | null = null;
  if (resetRaw && DECIMAL.test(resetRaw)) {
    const value = Number(resetRaw);
    if (prefix === "x-ratelimit-" && value > 1e12) resetMs = Math.max(0, Math.round(value - nowMs));
    else if (prefix === "x-ratelimit-" && value > 1e9) resetMs = Math.max(0, value * 1000 - nowMs);
    else resetMs = value * 1000;
  }
  if (limit === null && remaining === null && resetMs === null) return null;
  return { limit, remaining, resetMs };
}

/** Normalised rate-limit information from a response's headers. */
export function parseRateLimit(headers: HeaderSource, nowMs: number = Date.now()): RateLimitInfo {
  // Fast path for the common response that carries no rate-limit field at all (this runs on every response).
  let relevant = false;
  for (const name of headers.keys()) {
    if (name.startsWith("ratelimit") || name.startsWith("x-ratelimit") || name.startsWith("retry-after")) {
      relevant = true;
      break;
    }
  }
  if (!relevant) return NO_RATE_LIMIT_INFO;
  const retryAfterMs = parseRetryAfterMs(headers, nowMs);
  const quota = fromStructured(headers) ??
    fromFields(headers, "ratelimit-", nowMs) ??
    fromFields(headers, "x-ratelimit-", nowMs) ?? { limit: null, remaining: null, resetMs: null };
  return { ...quota, retryAfterMs };
}

/**
 * How long to wait before trying again after a 429, per the server: `Retry-After` wins (the draft says it MUST
 * take precedence), then the window reset. `null` when the server gave no hint.
 */
export function serverWaitMs(info: RateLimitInfo): number | null {
  return info.retryAfterMs ?? info.resetMs;
}
