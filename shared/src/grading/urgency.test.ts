import { describe, expect, it } from "vitest";
import { combineGrades, DEFAULT_GRADE_COMBINE_MODE, DEFAULT_URGENCY_GRADES, urgencyGrade } from "./urgency.js";

describe("urgency grade (docs/domain.md §3.2)", () => {
  it("default table: 5 → A, 4 → B, 2–3 → C, 0–1 → D", () => {
    expect(DEFAULT_URGENCY_GRADES).toEqual(["D", "D", "C", "C", "B", "A"]);
    expect([0, 1, 2, 3, 4, 5].map((n) => urgencyGrade(n))).toEqual(
      ["D", "D", "C", "C", "B", "A"].map((g) => ({ ok: true, value: g })),
    );
  });

  it("counts the five signals given as booleans or 是/否", () => {
    // objective ✓, subjective ✓, resolve ✓, feasibility ✗, vendor selection ✓ → 4 → B
    expect(urgencyGrade([true, true, true, false, true])).toEqual({ ok: true, value: "B" });
    // 是, 是, 否, 否, (blank) → 2 → C
    expect(urgencyGrade(["是", "是", "否", "否", ""])).toEqual({ ok: true, value: "C" });
    expect(urgencyGrade([true, true, true, true, true])).toEqual({ ok: true, value: "A" });
  });

  it("out-of-range counts and bad signals are errors, not throws", () => {
    const six = urgencyGrade(6);
    expect(!six.ok && [six.error.code, six.error.arg]).toEqual(["num", "signals"]);
    const four = urgencyGrade([true, true, true, true]);
    expect(!four.ok && four.error.code).toBe("value");
    const junk = urgencyGrade([true, "maybe", true, true, true]);
    expect(!junk.ok && [junk.error.code, junk.error.arg]).toEqual(["value", "signals[1] subjectiveNecessity"]);
  });

  it("a model may use its own table", () => {
    // stricter: 5 → A, 3–4 → B, else D
    expect(urgencyGrade(3, ["D", "D", "D", "B", "B", "A"])).toEqual({ ok: true, value: "B" });
  });

  it("combines value and urgency: value only (default), the better, the worse", () => {
    expect(DEFAULT_GRADE_COMBINE_MODE).toBe("valueOnly");
    expect(combineGrades("C", "A")).toBe("C");
    expect(combineGrades("C", "A", "better")).toBe("A");
    expect(combineGrades("C", "A", "worse")).toBe("C");
    expect(combineGrades("B", "D", "better")).toBe("B");
    expect(combineGrades("B", "D", "worse")).toBe("D");
  });
});
