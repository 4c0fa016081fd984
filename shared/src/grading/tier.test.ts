import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_TIER_CUTOFFS, DEFAULT_WARNING_THRESHOLD, performanceTier, performanceTierFromSales, verbalWarning } from "./tier.js";

describe("performance tier (docs/domain.md §8)", () => {
  it("defaults: 0.9 / 1.0 / 1.2 and warning below 60", () => {
    expect(DEFAULT_TIER_CUTOFFS).toEqual({ basicallyMet: 0.9, exceeded: 1.0, outstanding: 1.2 });
    expect(DEFAULT_WARNING_THRESHOLD).toBe(60);
  });

  it.each([
    [0, "notMet"],
    [0.8999, "notMet"],
    [0.9, "basicallyMet"], // 0.9 ≤ c
    [1.0, "basicallyMet"], // c ≤ 1.0
    [1.0001, "exceeded"], // 1.0 < c
    [1.1999, "exceeded"],
    [1.2, "outstanding"], // c ≥ 1.2
    [2.5, "outstanding"],
  ])("completion %s → %s", (c, tier) => {
    expect(performanceTier(c)).toEqual({ ok: true, value: tier });
  });

  it("from sales, exactly in fen: 900,000 / 1,000,000 = 0.9 → 基本完成; 1,199,999.99 → 超额完成", () => {
    expect(performanceTierFromSales(900_000, 1_000_000)).toEqual({ ok: true, value: "basicallyMet" });
    // 119,999,999 fen / 100,000,000 fen < 1.2 exactly
    expect(performanceTierFromSales(1_199_999.99, 1_000_000)).toEqual({ ok: true, value: "exceeded" });
    expect(performanceTierFromSales(1_200_000, 1_000_000)).toEqual({ ok: true, value: "outstanding" });
    // 0.3 / 0.1 in yuan → 30 fen / 10 fen = 3 exactly → 突出完成 (naive 0.3/0.1 = 2.9999999999999996)
    expect(performanceTierFromSales(0.3, 0.1)).toEqual({ ok: true, value: "outstanding" });
  });

  it("zero plan is #DIV/0!, negative completion #NUM!, text #VALUE!", () => {
    const z = performanceTierFromSales(100, 0);
    expect(!z.ok && [z.error.code, z.error.arg]).toEqual(["div0", "plan"]);
    const n = performanceTier(-0.1);
    expect(!n.ok && n.error.code).toBe("num");
    const t = performanceTier(Number.NaN);
    expect(!t.ok && t.error.code).toBe("value");
  });

  it("verbal warning strictly below the threshold", () => {
    expect(verbalWarning(59.5)).toBe(true);
    expect(verbalWarning(60)).toBe(false);
    expect(verbalWarning(70, 75)).toBe(true);
  });

  it("property: the tier never goes down as completion rises", () => {
    const rank = { notMet: 0, basicallyMet: 1, exceeded: 2, outstanding: 3 } as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max: 300_000 }), (a, b) => {
        const lo = performanceTierFromSales(Math.min(a, b), 100_000);
        const hi = performanceTierFromSales(Math.max(a, b), 100_000);
        if (lo.ok && hi.ok) expect(rank[hi.value]).toBeGreaterThanOrEqual(rank[lo.value]);
        else expect.unreachable("valid sales must give a tier");
      }),
    );
  });
});
