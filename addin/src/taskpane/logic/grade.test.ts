import { describe, expect, it } from "vitest";
import { VALUE_FACTORS, VALUE_FACTOR_LABELS } from "../../../../shared/src/index.js";
import type { CellValue, TableData } from "../../workbook/port.js";
import { computeGrades, detectGradeColumns, gradeOps } from "./grade.js";

const zhFactors = VALUE_FACTORS.map((f) => VALUE_FACTOR_LABELS[f].zh);

function table(header: string[], rows: CellValue[][]): TableData {
  return { sheet: "客户", row: 0, col: 0, header, rows };
}

describe("grade accounts", () => {
  const header = ["客户名称", ...zhFactors, "销售额", "付款态度", "累计合同消费额"];
  const t = table(header, [
    ["甲", 5, 5, 5, 5, 5, 5, 5, 9_000_000, "爽快", 20_000_000],
    ["乙", 3, 3, 3, 3, 3, 3, 3, 800_000, "一般", 0],
    ["丙", 1, 1, 1, 1, 1, 1, 1, 200_000, "迟缓", 0],
  ]);

  it("finds the seven factors, revenue and class inputs by their Chinese headers", () => {
    const c = detectGradeColumns(header);
    expect(c.missingFactors).toEqual([]);
    expect(c.found.share).toBe(1);
    expect(c.found.revenue).toBe(8);
    expect(c).toMatchObject({ canValue: true, canAbc: true, canClass: true });
  });

  it("reports missing factors and still offers ABC", () => {
    const c = detectGradeColumns(["Account", "Share", "Revenue"]);
    expect(c.canValue).toBe(false);
    expect(c.missingFactors).toHaveLength(6);
    expect(c.canAbc).toBe(true);
  });

  it("computes value, grade, class and ABC with the DOMAIN rules", () => {
    const r = computeGrades(t, detectGradeColumns(header), "zh");
    // all 5 → Σw(5−1)/4/Σw × 100 = 100 → A; all 3 → 50 → C (35 ≤ 50 < 55); all 1 → 0 → D
    expect(r.map((x) => [x.value, x.grade])).toEqual([[100, "A"], [50, "C"], [0, "D"]]);
    // revenue 9,000,000 / 10,000,000 total: first is A; second starts at 90% ≥ 80% → B; third at 98% ≥ 95% → C
    expect(r.map((x) => x.abc)).toEqual(["A", "B", "C"]);
    // 甲: cumulative 20,000,000 > 10,000,000 with 爽快 → 优质客户; Pareto A → 重要客户
    expect(r[0]!.classes).toBe("优质客户, 重要客户");
  });

  it("writes live formulas with English ids and a format per grade", () => {
    const c = detectGradeColumns(header);
    const ops = gradeOps(t, c, computeGrades(t, c, "en"), "formulas", "en");
    const byHeader = Object.fromEntries(ops.filter((o) => o.kind === "values").map((o) => [String((o as { values: unknown[][] }).values[0]![0]), o as { col: number; values: unknown[][] }]));
    // 1 name + 7 factors + 3 others = 11 columns (A..K): Value → L (11), Grade → M (12)
    expect(byHeader.Value!.col).toBe(11);
    expect(byHeader.Value!.values[1]![0]).toEqual({ formula: "=KAM.VALUE(B2:H2)" });
    expect(byHeader.Grade!.values[3]![0]).toEqual({ formula: "=KAM.GRADE(B4:H4)" });
    expect(byHeader.ABC!.values[1]![0]).toEqual({ formula: "=KAM.ABC(I2,$I$2:$I$4)" });
    expect(byHeader.Class!.values[1]![0]).toEqual({ formula: '=KAM.CLASS(K2,0,J2,0,FALSE,FALSE)' });
    const fmt = ops.find((o) => o.kind === "gradeFormat");
    expect(fmt).toMatchObject({ address: "M2:M4" });
    expect((fmt as { rules: { equals: string }[] }).rules.map((r) => r.equals)).toEqual(["A", "B", "C", "D"]);
  });

  it("writes plain values when asked (WPS / older Office) and re-uses existing output columns", () => {
    const h2 = [...header, "等级"];
    const t2 = table(h2, t.rows.map((r) => [...r, null]));
    const c = detectGradeColumns(h2);
    expect(c.outputs.grade).toBe(11); // 等级 is the 12th header
    const ops = gradeOps(t2, c, computeGrades(t2, c, "zh"), "values", "zh");
    const grade = ops.find((o) => o.kind === "values" && o.col === 11) as { values: unknown[][] };
    expect(grade.values.map((v) => v[0])).toEqual(["等级", "A", "C", "D"]);
  });

  it("uses HSTACK when the factor columns are not side by side", () => {
    const h = ["名称", zhFactors[0]!, "备注", ...zhFactors.slice(1)];
    const t3 = table(h, [["甲", 5, "x", 5, 5, 5, 5, 5, 5]]);
    const c = detectGradeColumns(h);
    const ops = gradeOps(t3, c, computeGrades(t3, c, "en"), "formulas", "en");
    const v = ops.find((o) => o.kind === "values") as { values: unknown[][] };
    expect(v.values[1]![0]).toEqual({ formula: "=KAM.VALUE(HSTACK(B2,D2,E2,F2,G2,H2,I2))" });
  });

  it("reads cells through the shared grammar and skips blank and totals rows (not graded, not in ABC)", () => {
    const h = ["客户名称", ...zhFactors, "销售额(万元)", "付款态度", "是否集团客户"];
    const t4 = table(h, [
      ["甲", 5, 5, 5, 5, 5, 5, 5, 900, "爽快", "√"],
      ["乙", "３", 3, 3, 3, 3, 3, 3, "80万", "一般", "否"],
      [null, null, null, null, null, null, null, null, null, null, null],
      ["丙", 1, 1, 1, 1, 1, 1, 1, "约20", "迟缓", "x"],
      ["合计", null, null, null, null, null, null, null, 1000, null, null],
    ]);
    const c = detectGradeColumns(h);
    expect(c.units?.revenue).toBe("wan");
    const r = computeGrades(t4, c, "zh");
    expect(r[0]).toMatchObject({ value: 100, grade: "A" });
    // one unreadable revenue (约20) leaves every ABC class unknown, and each row says which row
    expect(r[0]!.abc).toBeUndefined();
    expect(r[0]!.error).toContain("第 5 行");
    expect(r[0]!.classes).toContain("集团客户");
    expect(r[1]).toMatchObject({ value: 50, grade: "C" });
    expect(r[2]!.skipped).toMatchObject({ kind: "blank" });
    expect(r[3]!.error).toContain("约20");
    expect(r[3]!.error).toContain("x");
    expect(r[4]!.skipped).toMatchObject({ kind: "totals", word: "合计" });
    expect(r[4]!.grade).toBeUndefined();
    // a totals row without the word (no name, figures = the sums above) stays out of ABC too
    const t5 = table(["客户名称", "销售额"], [["甲", "900万"], ["乙", 1_000_000], [null, 10_000_000]]);
    const r5 = computeGrades(t5, detectGradeColumns(t5.header), "en");
    expect(r5.map((x) => x.abc ?? x.skipped?.reason)).toEqual(["A", "B", "sumOfAbove"]);
    // live formulas rank against the records only: the range stops above the trailing totals row
    const abcOps = gradeOps(t5, detectGradeColumns(t5.header), r5, "formulas", "en");
    const abcCol = abcOps.find((o) => o.kind === "values" && (o as { values: unknown[][] }).values[0]![0] === "ABC") as { values: unknown[][] };
    expect(abcCol.values.slice(1).map((v) => v[0])).toEqual([{ formula: "=KAM.ABC(B2,$B$2:$B$3)" }, { formula: "=KAM.ABC(B3,$B$2:$B$3)" }, null]);
    // a subtotal among the records: ABC is written as values
    const t6 = table(["客户名称", "销售额"], [["甲", 900], ["小计", 900], ["乙", 100]]);
    const r6 = computeGrades(t6, detectGradeColumns(t6.header), "zh");
    const abc6 = gradeOps(t6, detectGradeColumns(t6.header), r6, "formulas", "zh").find((o) => o.kind === "values" && (o as { values: unknown[][] }).values[0]![0] === "ABC") as { values: unknown[][] };
    expect(abc6.values.slice(1).map((v) => v[0])).toEqual(["A", null, "B"]);
    const ops = gradeOps(t4, c, r, "formulas", "zh");
    const grade = ops.find((o) => o.kind === "values" && (o as { values: unknown[][] }).values[0]![0] === "等级") as { values: unknown[][] };
    expect(grade.values[5]![0]).toBeNull();
  });
});
