import { describe, expect, it } from "vitest";
import { sumFen, sumYuan } from "./money.js";

describe("money sums", () => {
  it("adds stored yuan amounts exactly, in fen", () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004; the fen sum is exact.
    expect(sumFen([0.1, 0.2])).toBe(30);
    expect(sumYuan([0.1, 0.2])).toBe(0.3);
    expect(sumYuan([1_000_000.01, 2_500_000.5, 0.49])).toBe(3_500_001);
    expect(sumFen([12.34, -2.34])).toBe(1000);
  });

  it("is 0 for no amounts", () => {
    expect(sumFen([])).toBe(0);
    expect(sumYuan([])).toBe(0);
  });

  it("takes any iterable", () => {
    expect(sumYuan(new Set([19.99, 0.01]))).toBe(20);
  });
});
