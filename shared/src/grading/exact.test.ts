import { describe, expect, it } from "vitest";
import { cmp, floorOf, rat, rationalOf, toNumber } from "./exact.js";

describe("exact rationals (no float decides a cut-off)", () => {
  it("reads a number as the decimal it is written as", () => {
    expect(rationalOf(0.8)).toEqual({ n: 4n, d: 5n }); // 8/10
    expect(rationalOf(-1.25)).toEqual({ n: -5n, d: 4n });
    expect(rationalOf(1e21)).toEqual({ n: 10n ** 21n, d: 1n });
    expect(rationalOf(1e-7)).toEqual({ n: 1n, d: 10n ** 7n });
  });
  it("compares exactly where floats would not: 0.1 + 0.2 vs 0.3", () => {
    // as decimals 1/10 + 2/10 = 3/10 exactly
    expect(cmp({ n: 3n, d: 10n }, rationalOf(0.3))).toBe(0);
    expect(cmp(rationalOf(0.1 + 0.2), rationalOf(0.3))).toBe(1); // the float sum really is 0.30000000000000004
  });
  it("floor and rounding to a number", () => {
    expect(floorOf(rat(7, 2))).toBe(3n);
    expect(floorOf(rat(-7, 2))).toBe(-4n);
    expect(toNumber(rat(1, 3))).toBe(0.333333333333);
    expect(toNumber(rat(-1, 8), 2)).toBe(-0.13); // −0.125 → half away from zero
    expect(toNumber(rat(75))).toBe(75);
  });
});
