import { describe, expect, it } from "vitest";
import { parseRateLimit, serverWaitMs } from "../../src/client/rateLimit.js";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const h = (init: Record<string, string>) => new Headers(init);

describe("parseRateLimit", () => {
  it.each([
    ["no headers", {}, { limit: null, remaining: null, resetMs: null, retryAfterMs: null }],
    ["Retry-After seconds", { "retry-after": "120" }, { retryAfterMs: 120_000 }],
    ["Retry-After zero", { "retry-after": "0" }, { retryAfterMs: 0 }],
    [
      "Retry-After HTTP-date 30 s ahead",
      { "retry-after": "Mon, 23 Nov 2026 12:00:30 GMT" },
      { retryAfterMs: 30_000 },
    ],
    [
      "Retry-After HTTP-date in the past",
      { "retry-after": "Mon, 23 Nov 2026 11:00:00 GMT" },
      { retryAfterMs: 0 },
    ],
    [
      "retry-after-ms wins over Retry-After",
      { "retry-after-ms": "250.4", "retry-after": "9" },
      { retryAfterMs: 250 },
    ],
    ["malformed Retry-After is ignored", { "retry-after": "soon" }, { retryAfterMs: null }],
    ["digits-only garbage is not a date", { "retry-after": "1 2" }, { retryAfterMs: null }],
    [
      "IETF draft -06: ratelimit-reset 60 means 60 s, not an epoch",
      { "ratelimit-limit": "110;w=10", "ratelimit-remaining": "0", "ratelimit-reset": "60" },
      { limit: 110, remaining: 0, resetMs: 60_000, retryAfterMs: null },
    ],
    [
      "malformed RateLimit-* fields are ignored",
      { "ratelimit-limit": "lots", "ratelimit-remaining": "-1", "ratelimit-reset": "NaN" },
      { limit: null, remaining: null, resetMs: null },
    ],
    [
      "draft -08+ structured fields with a policy",
      { ratelimit: '"default";r=50;t=30', "ratelimit-policy": '"default";q=100;w=60' },
      { limit: 100, remaining: 50, resetMs: 30_000 },
    ],
    [
      "several structured policies: the tightest wins",
      {
        ratelimit: '"burst";r=0;t=7, "daily";r=10;t=3600',
        "ratelimit-policy": '"burst";q=100;w=60, "daily";q=1000;w=86400',
      },
      { limit: 100, remaining: 0, resetMs: 7_000 },
    ],
    [
      "draft -07 dictionary form",
      { ratelimit: "limit=100, remaining=5, reset=12" },
      { limit: 100, remaining: 5, resetMs: 12_000 },
    ],
    [
      "X-RateLimit with an epoch reset (GitHub style)",
      {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(NOW / 1000 + 42),
      },
      { limit: 5000, remaining: 0, resetMs: 42_000 },
    ],
    [
      "X-RateLimit with an epoch reset in milliseconds",
      { "x-ratelimit-reset": String(NOW + 42_000) },
      { resetMs: 42_000 },
    ],
    ["X-RateLimit with a delta reset", { "x-ratelimit-reset": "15" }, { resetMs: 15_000 }],
    [
      "IETF fields take precedence over X- fields",
      { "ratelimit-remaining": "3", "x-ratelimit-remaining": "9" },
      { remaining: 3 },
    ],
  ])("%s", (_name, headers, expected) => {
    expect(parseRateLimit(h(headers), NOW)).toMatchObject(expected);
  });

  it("reads an asctime Retry-After as GMT whatever the local time zone", () => {
    const zone = process.env["TZ"];
    // Node applies a TZ change at once; New York is 5 hours behind GMT in November.
    process.env["TZ"] = "America/New_York";
    try {
      const info = parseRateLimit(h({ "retry-after": "Mon Nov 23 12:00:30 2026" }), NOW);
      expect(info.retryAfterMs).toBe(30_000);
      // Single-digit days are space-padded in asctime.
      const early = Date.parse("2026-11-06T08:49:07Z");
      expect(parseRateLimit(h({ "retry-after": "Fri Nov  6 08:49:37 2026" }), early).retryAfterMs).toBe(
        30_000,
      );
    } finally {
      if (zone === undefined) delete process.env["TZ"];
      else process.env["TZ"] = zone;
    }
  });

  it("serverWaitMs prefers Retry-After over the reset", () => {
    expect(serverWaitMs(parseRateLimit(h({ "retry-after": "2", "ratelimit-reset": "60" }), NOW))).toBe(2_000);
    expect(serverWaitMs(parseRateLimit(h({ "ratelimit-reset": "60" }), NOW))).toBe(60_000);
    expect(serverWaitMs(parseRateLimit(h({}), NOW))).toBeNull();
  });
});
