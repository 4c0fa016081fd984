import { describe, expect, it } from "vitest";
import { CHART_TOP, chartRows, collectionsOps, collectionsSheetName, rateOf } from "./collections.js";

const ageing = (d1_30 = 0, over90 = 0) => ({ d1_30, d31_60: 0, d61_90: 0, over90 });

describe("collections sheet", () => {
  it("writes one row per account, a total and the rule, refreshing the same sheet in place", () => {
    const report = {
      dueYuan: 300, collectedYuan: 150, rate: 0.5, creditYuan: 0, ageing: ageing(50, 100),
      rows: [
        { accountId: "a1", dueYuan: 200, collectedYuan: 150, rate: 0.75, creditYuan: 0, ageing: ageing(50) },
        { accountId: "a2", dueYuan: 100, collectedYuan: 0, rate: 0, creditYuan: 0, ageing: ageing(0, 100) },
        { accountId: "a3", dueYuan: 0, collectedYuan: 0, rate: null, rateError: { code: "#DIV/0!" }, creditYuan: 0, ageing: ageing() },
      ],
    };
    const ops = collectionsOps(report, new Map([["a1", "华东"], ["a2", "星河"], ["a3", "远山"]]), "团队 华东", "2026-Q1", "2026年一季度", "zh");
    expect(ops[0]).toMatchObject({ kind: "ensureSheet", sheet: "回款 2026Q1" });
    expect(ops[1]).toMatchObject({ kind: "clear" });
    const v = (ops[2] as { values: unknown[][] }).values;
    expect(v[1]).toEqual(["a1", "华东", 200, 150, 0.75, 0, 50, 0, 0, 0]);
    // nothing due: the text "—", never "#DIV/0!" as text
    expect(v[3]).toEqual(["a3", "远山", 0, 0, "—", 0, 0, 0, 0, 0]);
    expect(v[4]).toEqual(["", "合计", 300, 150, 0.5, 0, 50, 0, 0, 100]);
    const note = String((ops[3] as { values: unknown[][] }).values[0]![0]);
    expect(note).toContain("范围：团队 华东");
    expect(note).toContain("2026年一季度");
    expect(note).not.toMatch(/DOMAIN|§/);
    expect(ops.filter((o) => o.kind === "numberFormat").map((o) => (o as { format: string }).format)).toContain("#,##0.00");
  });

  it("sheet names: 回款 2026Q1 / Collections 2026Q1", () => {
    expect(collectionsSheetName("2026-Q1", "zh")).toBe("回款 2026Q1");
    expect(collectionsSheetName("2026-Q1", "en")).toBe("Collections 2026Q1");
  });

  it("rates: a number stays; anything else (nothing due) is —", () => {
    expect(rateOf(0.875)).toBe(0.875);
    expect(rateOf({ value: 0.5 })).toBe(0.5);
    expect(rateOf(null)).toBe("—");
    expect(rateOf({ error: { code: "#DIV/0!" } })).toBe("—");
  });

  it("the chart shows the top 20 by due and one 'others' bar holding the rest", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ name: `客户${i}`, dueYuan: i * 10, collectedYuan: i }));
    const c = chartRows(rows, "zh");
    expect(c).toHaveLength(CHART_TOP + 1);
    expect(c[0]).toEqual(["客户999", 9990, 999]);
    const restDue = rows.slice(0, 980).reduce((s, r) => s + r.dueYuan, 0);
    expect(c[CHART_TOP]).toEqual(["其他（980 个客户）", restDue, rows.slice(0, 980).reduce((s, r) => s + r.collectedYuan, 0)]);
    expect(c.reduce((s, r) => s + r[1], 0)).toBe(rows.reduce((s, r) => s + r.dueYuan, 0));
    expect(chartRows(rows.slice(0, 5), "en")).toHaveLength(5);
    const ops = collectionsOps({ dueYuan: 0, collectedYuan: 0, creditYuan: 0, ageing: ageing(), rows: rows.map((r, i) => ({ accountId: `A${i}`, accountName: r.name, dueYuan: r.dueYuan, collectedYuan: r.collectedYuan, creditYuan: 0, ageing: ageing() })) }, new Map(), "All", "2026-Q1", "2026 Q1", "en");
    const chart = ops.find((o) => o.kind === "chart") as { dataAddress: string };
    expect(chart.dataAddress).toBe("L1:N22");
  });
});
