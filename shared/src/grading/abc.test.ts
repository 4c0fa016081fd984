import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { abcClasses, abcClassOf, DEFAULT_ABC_CUTOFFS } from "./abc.js";

describe("ABC / Pareto classes (docs/domain.md §3.3)", () => {
  it("default cut-offs 80% / 95%", () => {
    expect(DEFAULT_ABC_CUTOFFS).toEqual({ A: 0.8, B: 0.95 });
  });

  it("worked example: the account crossing 80% is still A; 95% before is C", () => {
    // total 1000; share before each (sorted): 500 → 0% A, 200 → 50% A, 150 → 70% A (crosses to 85%),
    // 100 → 85% B, 50 → 95% (not < 95%) C
    expect(abcClasses([500, 200, 150, 100, 50])).toEqual({ ok: true, value: ["A", "A", "A", "B", "C"] });
  });

  it("exactly 80% before is B (A needs < 80%)", () => {
    // 600 → 0% A, 200 → 60% A, 150 → 80% B, 50 → 95% C
    expect(abcClasses([600, 200, 150, 50])).toEqual({ ok: true, value: ["A", "A", "B", "C"] });
  });

  it("keeps the input order", () => {
    // same as the worked example, shuffled
    expect(abcClasses([100, 500, 150, 50, 200])).toEqual({ ok: true, value: ["B", "A", "A", "C", "A"] });
  });

  it("ties get the class of the first of them", () => {
    // 500 → 0% A, 200 → 50% A, the three 100s: share before the first is 70% → all A
    // (taken one by one the 2nd and 3rd would see 80% and 90% → B)
    expect(abcClasses([500, 200, 100, 100, 100])).toEqual({ ok: true, value: ["A", "A", "A", "A", "A"] });
    // 850 → A; the three 50s: share before the first is 85% → all B (one by one the 3rd would see 95% → C)
    expect(abcClasses([850, 50, 50, 50])).toEqual({ ok: true, value: ["A", "B", "B", "B"] });
  });

  it("zero and negative revenue are C; shares use the positive total", () => {
    // positive total 1000: 800 → 0% A, 200 → 80% B, 0 → C, −50 → C
    expect(abcClasses([800, 200, 0, -50])).toEqual({ ok: true, value: ["A", "B", "C", "C"] });
  });

  it("a single account is A; blank cells count as 0 (C)", () => {
    expect(abcClasses([42])).toEqual({ ok: true, value: ["A"] });
    expect(abcClasses([42, null, ""])).toEqual({ ok: true, value: ["A", "C", "C"] });
  });

  it("exact in fen: 0.8 + 0.2 yuan — the second sees exactly 80% before → B", () => {
    // 80 fen / 100 fen = 0.8, not < 0.8
    expect(abcClasses([0.8, 0.2])).toEqual({ ok: true, value: ["A", "B"] });
  });

  it("empty list or all zero is an error", () => {
    const empty = abcClasses([]);
    expect(!empty.ok && [empty.error.code, empty.error.arg]).toEqual(["na", "revenues"]);
    const zero = abcClasses([0, 0, 0]);
    expect(!zero.ok && [zero.error.code, zero.error.arg]).toEqual(["div0", "revenues"]);
    const text = abcClasses([100, "abc"]);
    expect(!text.ok && [text.error.code, text.error.arg]).toEqual(["value", "revenues[1]"]);
  });

  it("abcClassOf: one value within its list", () => {
    expect(abcClassOf(150, [500, 200, 150, 100, 50])).toEqual({ ok: true, value: "A" });
    expect(abcClassOf(100, [500, 200, 150, 100, 50])).toEqual({ ok: true, value: "B" });
    expect(abcClassOf(50, [500, 200, 150, 100, 50])).toEqual({ ok: true, value: "C" });
    // tie: each 100 sees 70% before → A
    expect(abcClassOf(100, [500, 200, 100, 100, 100])).toEqual({ ok: true, value: "A" });
    const missing = abcClassOf(120, [500, 200, 150, 100, 50]);
    expect(!missing.ok && [missing.error.code, missing.error.arg]).toEqual(["na", "value"]);
  });

  it("property: class is monotonic with revenue rank, the largest is A, and abcClassOf agrees", () => {
    const rank = { A: 0, B: 1, C: 2 } as const;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1_000_000 }), { minLength: 1, maxLength: 40 }), (revs) => {
        const r = abcClasses(revs);
        if (!revs.some((x) => x > 0)) {
          expect(r.ok).toBe(false);
          return;
        }
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        for (let i = 0; i < revs.length; i++) {
          for (let j = 0; j < revs.length; j++) {
            if (revs[i]! > revs[j]!) expect(rank[r.value[i]!]).toBeLessThanOrEqual(rank[r.value[j]!]);
            if (revs[i]! === revs[j]!) expect(r.value[i]).toBe(r.value[j]);
          }
        }
        const top = revs.indexOf(Math.max(...revs));
        expect(r.value[top]).toBe("A");
        const k = revs.length - 1;
        expect(abcClassOf(revs[k], revs)).toEqual({ ok: true, value: r.value[k] });
      }),
    );
  });
});
