import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_GRADE_CUTOFFS, DEFAULT_VALUE_WEIGHTS, gradeAccount, valueGrade, valueScore } from "./value.js";

const GRADE_RANK = { A: 0, B: 1, C: 2, D: 3 } as const;

describe("value score (docs/domain.md §3.2)", () => {
  it("defaults are those of docs/domain.md §3.2: weights 20/10/15/20/15/10/10, cut-offs 75/55/35", () => {
    expect(DEFAULT_VALUE_WEIGHTS).toEqual({ share: 20, effort: 10, dealRisk: 15, businessValue: 20, paymentRisk: 15, capability: 10, difficulty: 10 });
    expect(DEFAULT_GRADE_CUTOFFS).toEqual({ A: 75, B: 55, C: 35 });
  });

  it("worked example: factors 5,4,3,5,4,3,2 with default weights → 73.75, grade B", () => {
    // Σ w(s−1) = 20×4 + 10×3 + 15×2 + 20×4 + 15×3 + 10×2 + 10×1 = 80+30+30+80+45+20+10 = 295
    // value = 295 / 4 / 100 × 100 = 73.75  (Σw = 100) → 55 ≤ 73.75 < 75 → B
    expect(valueScore([5, 4, 3, 5, 4, 3, 2])).toEqual({ ok: true, value: 73.75 });
    expect(gradeAccount([5, 4, 3, 5, 4, 3, 2])).toEqual({ ok: true, value: { value: 73.75, grade: "B" } });
  });

  it("all 5 → 100 (A); all 1 → 0 (D)", () => {
    expect(gradeAccount([5, 5, 5, 5, 5, 5, 5])).toEqual({ ok: true, value: { value: 100, grade: "A" } });
    expect(gradeAccount([1, 1, 1, 1, 1, 1, 1])).toEqual({ ok: true, value: { value: 0, grade: "D" } });
  });

  it("a score of exactly 75 is A, exactly 55 is B, exactly 35 is C (cut-offs inclusive)", () => {
    // all 4: Σ w×3 = 300 → 300/4 = 75
    expect(gradeAccount([4, 4, 4, 4, 4, 4, 4])).toEqual({ ok: true, value: { value: 75, grade: "A" } });
    // 5,1,3,5,3,1,1: 80 + 0 + 30 + 80 + 30 + 0 + 0 = 220 → 55
    expect(gradeAccount([5, 1, 3, 5, 3, 1, 1])).toEqual({ ok: true, value: { value: 55, grade: "B" } });
    // 3,1,3,3,3,1,1: 40 + 0 + 30 + 40 + 30 + 0 + 0 = 140 → 35
    expect(gradeAccount([3, 1, 3, 3, 3, 1, 1])).toEqual({ ok: true, value: { value: 35, grade: "C" } });
    // paymentRisk 3→1 and capability 1→3: 3,1,3,3,1,3,1: 40+0+30+40+0+20+0 = 130 → 32.5 → D
    expect(gradeAccount([3, 1, 3, 3, 1, 3, 1])).toEqual({ ok: true, value: { value: 32.5, grade: "D" } });
  });

  it("no float rounding decides the grade: decimal weights giving exactly 75 grade A", () => {
    // weights 0.1, 0.2, 0.3 (others 0), factors 4,4,4: Σ w(s−1) = 0.6 × 3 = 1.8, Σw = 0.6
    // value = 1.8 / 4 / 0.6 × 100 = 75 exactly (naive binary floats give 74.99999999999999)
    const r = gradeAccount([4, 4, 4, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0, 0, 0, 0]);
    expect(r).toEqual({ ok: true, value: { value: 75, grade: "A" } });
  });

  it("weights may be given as an object (absent keys keep the default)", () => {
    // only share weight changed to 0: Σw = 80; factors all 5 except share 1 → Σ w(s−1) = 80×4 = 320 → 320/4/80×100 = 100
    expect(valueScore([1, 5, 5, 5, 5, 5, 5], { share: 0 })).toEqual({ ok: true, value: 100 });
  });

  it("factors may be given by id", () => {
    expect(valueScore({ share: 4, effort: 4, dealRisk: 4, businessValue: 4, paymentRisk: 4, capability: 4, difficulty: 4 })).toEqual({ ok: true, value: 75 });
  });

  it("a factor outside 1..5 is #NUM! naming it (1-based position and id)", () => {
    const r = valueScore([5, 4, 6, 5, 4, 3, 2]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("num");
      expect(r.error.arg).toBe("factors[3] dealRisk");
      expect(r.error.message.zh).toContain("成交风险");
      expect(r.error.message.en).toContain("deal risk");
    }
    const z = valueScore([0, 4, 3, 5, 4, 3, 2]);
    expect(!z.ok && z.error.arg).toBe("factors[1] share");
  });

  it("wrong count, text and missing factors are #VALUE! / #N/A", () => {
    const six = valueScore([5, 4, 3, 5, 4, 3]);
    expect(!six.ok && six.error.code).toBe("value");
    const txt = valueScore([5, 4, "x", 5, 4, 3, 2]);
    expect(!txt.ok && [txt.error.code, txt.error.arg]).toEqual(["value", "factors[3] dealRisk"]);
    const missing = valueScore({ share: 5 });
    expect(!missing.ok && [missing.error.code, missing.error.arg]).toEqual(["na", "factors[2] effort"]);
  });

  it("weights summing to 0 are #DIV/0!; a negative weight is #NUM!", () => {
    const zero = valueScore([5, 4, 3, 5, 4, 3, 2], [0, 0, 0, 0, 0, 0, 0]);
    expect(!zero.ok && [zero.error.code, zero.error.arg]).toEqual(["div0", "weights"]);
    const neg = valueScore([5, 4, 3, 5, 4, 3, 2], [20, -10, 15, 20, 15, 10, 10]);
    expect(!neg.ok && [neg.error.code, neg.error.arg]).toEqual(["num", "weights[2] effort"]);
  });

  it("valueGrade applies the cut-offs to a score", () => {
    expect(valueGrade(75)).toBe("A");
    expect(valueGrade(74.99)).toBe("B");
    expect(valueGrade(55)).toBe("B");
    expect(valueGrade(54.99)).toBe("C");
    expect(valueGrade(35)).toBe("C");
    expect(valueGrade(34.99)).toBe("D");
    expect(valueGrade(80, { A: 85, B: 60, C: 40 })).toBe("B");
  });

  it("cut-offs out of order are #NUM!", () => {
    const r = gradeAccount([4, 4, 4, 4, 4, 4, 4], undefined, { A: 50, B: 60, C: 35 });
    expect(!r.ok && [r.error.code, r.error.arg]).toEqual(["num", "cutoffs"]);
  });

  it("property: the grade is monotonic in every factor", () => {
    const factor = fc.integer({ min: 1, max: 5 });
    fc.assert(
      fc.property(
        fc.array(factor, { minLength: 7, maxLength: 7 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 7, maxLength: 7 }).filter((w) => w.some((x) => x > 0)),
        fc.integer({ min: 0, max: 6 }),
        (factors, weights, i) => {
          if (factors[i]! === 5) return;
          const up = factors.slice();
          up[i] = factors[i]! + 1;
          const a = gradeAccount(factors, weights);
          const b = gradeAccount(up, weights);
          expect(a.ok && b.ok).toBe(true);
          if (a.ok && b.ok) {
            expect(b.value.value).toBeGreaterThanOrEqual(a.value.value);
            expect(GRADE_RANK[b.value.grade]).toBeLessThanOrEqual(GRADE_RANK[a.value.grade]);
          }
        },
      ),
    );
  });
});
