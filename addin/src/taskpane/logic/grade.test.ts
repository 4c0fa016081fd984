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
});
