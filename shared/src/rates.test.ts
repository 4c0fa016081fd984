import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { churnRate, collectionRate, completionRate, developmentRate, expenseControl, settlementRate } from "./rates.js";

describe("KPI rates (docs/domain.md §7) — ratios, #DIV/0! on a zero denominator", () => {
  it("sales plan completion = actual ÷ plan", () => {
    // 1,150,000 / 1,000,000 = 1.15
    expect(completionRate(1_150_000, 1_000_000)).toEqual({ ok: true, value: 1.15 });
  });
  it("collection rate = collected ÷ due", () => {
    // 950,000 / 1,000,000 = 0.95 (a ratio, not 95)
    expect(collectionRate(950_000, 1_000_000)).toEqual({ ok: true, value: 0.95 });
  });
  it("contract settlement rate = settled ÷ planned, exact in fen", () => {
    // 0.3 yuan / 0.1 yuan = 30 fen / 10 fen = 3 exactly (binary floats would give 2.9999999999999996)
    expect(settlementRate(0.3, 0.1)).toEqual({ ok: true, value: 3 });
    expect(settlementRate("¥600,000", "800,000")).toEqual({ ok: true, value: 0.75 });
  });
  it("business expense control = actual ÷ budget", () => {
    // 90,000 / 100,000 = 0.9
    expect(expenseControl(90_000, 100_000)).toEqual({ ok: true, value: 0.9 });
  });
  it("churn rate = lost ÷ accounts at period start", () => {
    // 2 / 40 = 0.05
    expect(churnRate(2, 40)).toEqual({ ok: true, value: 0.05 });
  });
  it("new development rate = new ÷ planned new", () => {
    // 3 / 4 = 0.75; 5 / 4 = 1.25 (over plan)
    expect(developmentRate(3, 4)).toEqual({ ok: true, value: 0.75 });
    expect(developmentRate(5, 4)).toEqual({ ok: true, value: 1.25 });
  });

  it("zero denominator → #DIV/0! naming it (never 0 or 1), even with 0 numerator", () => {
    for (const [r, arg] of [
      [completionRate(0, 0), "plan"],
      [collectionRate(100, 0), "due"],
      [churnRate(0, 0), "atStart"],
      [developmentRate(1, 0), "planned"],
      [settlementRate(1, 0), "planned"],
      [expenseControl(1, 0), "budget"],
    ] as const) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect([r.error.code, r.error.arg]).toEqual(["div0", arg]);
        expect(r.error.message.zh.length).toBeGreaterThan(0);
        expect(r.error.message.en.length).toBeGreaterThan(0);
      }
    }
  });

  it("negative → #NUM!, text → #VALUE!, fractional count → #NUM!, blank → #N/A", () => {
    const neg = completionRate(-1, 100);
    expect(!neg.ok && [neg.error.code, neg.error.arg]).toEqual(["num", "actual"]);
    const txt = collectionRate("abc", 100);
    expect(!txt.ok && [txt.error.code, txt.error.arg]).toEqual(["value", "collected"]);
    const frac = churnRate(1.5, 10);
    expect(!frac.ok && [frac.error.code, frac.error.arg]).toEqual(["num", "lost"]);
    const blank = developmentRate(undefined as unknown as number, 4);
    expect(!blank.ok && [blank.error.code, blank.error.arg]).toEqual(["na", "newAccounts"]);
  });

  it("property: rates are never NaN or infinite", () => {
    const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 1e300));
    fc.assert(
      fc.property(anyNumber, anyNumber, (a, b) => {
        for (const r of [completionRate(a, b), collectionRate(a, b), settlementRate(a, b), expenseControl(a, b), churnRate(a, b), developmentRate(a, b)]) {
          if (r.ok) expect(Number.isFinite(r.value)).toBe(true);
          else expect(["value", "div0", "num", "na"]).toContain(r.error.code);
        }
      }),
    );
  });
});
