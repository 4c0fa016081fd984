import { describe, expect, it } from "vitest";
import { collectionsOps, rateOf } from "./collections.js";

describe("collections sheet", () => {
  it("writes one row per account, a total and the rule, refreshing the same sheet in place", () => {
    const report = {
      dueYuan: 300, collectedYuan: 150, rate: 0.5, creditYuan: 0,
      ageing: { d1_30: 50, d31_60: 0, d61_90: 0, over90: 100 },
      rows: [
        { accountId: "a1", dueYuan: 200, collectedYuan: 150, rate: { ok: true, value: 0.75 }, creditYuan: 0, ageing: { d1_30: 50, d31_60: 0, d61_90: 0, over90: 0 } },
        { accountId: "a2", dueYuan: 100, collectedYuan: 0, rate: 0, creditYuan: 0, ageing: { d1_30: 0, d31_60: 0, d61_90: 0, over90: 100 } },
      ],
    };
    const ops = collectionsOps(report, new Map([["a1", "华东"], ["a2", "星河"]]), "*", "2026-Q1", "zh");
    expect(ops[0]).toMatchObject({ kind: "ensureSheet", sheet: "Collections 2026-Q1" });
    expect(ops[1]).toMatchObject({ kind: "clear" });
    const v = (ops[2] as { values: unknown[][] }).values;
    expect(v[1]).toEqual(["a1", "华东", 200, 150, 0.75, 0, 50, 0, 0, 0]);
    expect(v[3]).toEqual(["", "合计", 300, 150, 0.5, 0, 50, 0, 0, 100]);
  });

  it("a zero-due rate shows #DIV/0!, never 0 or 1 (DOMAIN §7)", () => {
    expect(rateOf({ ok: false, error: { code: "div0" } })).toBe("div0");
    expect(rateOf(undefined)).toBe("#DIV/0!");
    expect(rateOf({ error: { code: "#DIV/0!", message: "x" } })).toBe("#DIV/0!");
  });
});
