/** The one backoff rule: the server's hint honoured, never sooner; without one, exponential; never below 1 s. */
import { describe, expect, it } from "vitest";
import { BACKOFF, backoffMs } from "../../src/client/backoff.js";

const middle = () => 0.5;

describe("backoffMs", () => {
  it("grows from 1 s to a 30 s cap without a hint", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, null, middle))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it("jitters both ways without a hint, but never below the floor", () => {
    expect(backoffMs(2, null, () => 0)).toBe(1_600);
    expect(backoffMs(2, null, () => 1)).toBe(2_400);
    expect(backoffMs(1, null, () => 0)).toBe(BACKOFF.floorMs);
  });

  it.each([
    ["zero", 0],
    ["negative", -1_000],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["absent", null],
    ["undefined", undefined],
  ])("treats a %s hint as none", (_name, hint) => {
    expect(backoffMs(1, hint, () => 0)).toBe(1_000);
    expect(backoffMs(3, hint, middle)).toBe(4_000);
  });

  it("honours a positive hint, stretched only upwards, and lifts a tiny one to the floor", () => {
    expect(backoffMs(5, 2_500, () => 0)).toBe(2_500);
    expect(backoffMs(5, 2_500, () => 1)).toBe(3_000);
    expect(backoffMs(1, 1, () => 0)).toBe(1_000);
    expect(backoffMs(1, 90_000, () => 0)).toBe(90_000);
  });

  it("survives a broken random source", () => {
    expect(backoffMs(1, null, () => Number.NaN)).toBe(1_000);
    expect(backoffMs(2, 1_500, () => 7)).toBe(1_800);
  });
});
