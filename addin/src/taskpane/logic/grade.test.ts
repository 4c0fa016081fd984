import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { openXlsx } from "../../workbook/xlsx.js";
import { VALUE_FACTORS, VALUE_FACTOR_LABELS } from "../../../../shared/src/index.js";
import type { CellInput, CellValue, TableData, WriteOp } from "../../workbook/port.js";
import { computeGrades, detectGradeColumns, gradeOps, gradeSummary, readGradingTable } from "./grade.js";

const zhFactors = VALUE_FACTORS.map((f) => VALUE_FACTOR_LABELS[f].zh);

function table(header: string[], rows: CellValue[][]): TableData {
  return { sheet: "客户", row: 0, col: 0, header, rows };
}

/** An output column as written: header first, then each data row (undefined: not written into). */
function column(ops: WriteOp[], header: string, rows: number): { col: number; values: (CellInput | undefined)[] } {
  const head = ops.find((o) => o.kind === "values" && o.values[0]![0] === header && o.values.length === 1) as Extract<WriteOp, { kind: "values" }>;
  const values: (CellInput | undefined)[] = [header, ...new Array<undefined>(rows).fill(undefined)];
  for (const o of ops) {
    if (o.kind !== "values" || o.col !== head.col || o.row === head.row) continue;
    o.values.forEach((v, i) => (values[o.row - head.row + i] = v[0]));
  }
  return { col: head.col, values };
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

  it("computes value, grade, class and ABC with the rules of docs/domain.md §3", () => {
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
    const byHeader = Object.fromEntries(["Value", "Grade", "Class", "ABC"].map((h) => [h, column(ops, h, 3)]));
    // 1 name + 7 factors + 3 others = 11 columns (A..K): Value → L (11), Grade → M (12)
    expect(byHeader.Value!.col).toBe(11);
    expect(byHeader.Value!.values[1]).toEqual({ formula: "=KAM.VALUE(B2:H2)" });
    expect(byHeader.Grade!.values[3]).toEqual({ formula: "=KAM.GRADE(B4:H4)" });
    expect(byHeader.ABC!.values[1]).toEqual({ formula: "=KAM.ABC(I2,$I$2:$I$4)" });
    // Pareto A is the ABC cell of the row (O): the formula has the same input the values mode uses.
    expect(byHeader.Class!.values[1]).toEqual({ formula: '=KAM.CLASS(K2,0,J2,0,FALSE(),FALSE(),IFERROR(O2="A",FALSE()),"en")' });
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
    const grade = column(ops, "等级", 3);
    expect(grade.col).toBe(11);
    expect(grade.values).toEqual(["等级", "A", "C", "D"]);
  });

  it("uses HSTACK when the factor columns are not side by side", () => {
    const h = ["名称", zhFactors[0]!, "备注", ...zhFactors.slice(1)];
    const t3 = table(h, [["甲", 5, "x", 5, 5, 5, 5, 5, 5]]);
    const c = detectGradeColumns(h);
    const ops = gradeOps(t3, c, computeGrades(t3, c, "en"), "formulas", "en");
    expect(column(ops, "Value", 1).values[1]).toEqual({ formula: "=KAM.VALUE(HSTACK(B2,D2,E2,F2,G2,H2,I2))" });
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
    // The unreadable revenue (约20, I5) fails its own row only, named by column and cell; ABC ranks
    // the readable rows: 甲 9,000,000 then 乙 800,000 (80万 in a 万元 column is 80万).
    expect(r[0]!.abc).toBe("A");
    expect(r[0]!.error).toBeUndefined();
    expect(r[0]!.classes).toContain("集团客户");
    expect(r[0]!.classes).toContain("重要客户");
    expect(r[1]).toMatchObject({ value: 50, grade: "C", abc: "B" });
    expect(r[2]!.skipped).toMatchObject({ kind: "blank" });
    expect(r[3]!.error).toContain("销售额(万元)（I5）");
    expect(r[3]!.error).toContain("约20");
    expect(r[3]!.error).toContain("是否集团客户（K5）");
    expect(r[3]!.abc).toBeUndefined();
    expect(r[4]!.skipped).toMatchObject({ kind: "totals", word: "合计" });
    expect(r[4]!.grade).toBeUndefined();
    expect(gradeSummary(r)).toEqual({ graded: 2, failed: 1, skipped: 2 });
    // a totals row without the word (no name, figures = the sums above) stays out of ABC too
    const t5 = table(["客户名称", "销售额"], [["甲", "900万"], ["乙", 1_000_000], [null, 10_000_000]]);
    const r5 = computeGrades(t5, detectGradeColumns(t5.header), "en");
    expect(r5.map((x) => x.abc ?? x.skipped?.reason)).toEqual(["A", "B", "sumOfAbove"]);
    // live formulas rank against the records only: the range stops above the trailing totals row,
    // which is not written into
    const abc5 = column(gradeOps(t5, detectGradeColumns(t5.header), r5, "formulas", "en"), "ABC", 3);
    expect(abc5.values.slice(1)).toEqual([{ formula: "=KAM.ABC(B2,$B$2:$B$3)" }, { formula: "=KAM.ABC(B3,$B$2:$B$3)" }, undefined]);
    // a subtotal among the records: ABC is written as values
    const t6 = table(["客户名称", "销售额"], [["甲", 900], ["小计", 900], ["乙", 100]]);
    const r6 = computeGrades(t6, detectGradeColumns(t6.header), "zh");
    expect(column(gradeOps(t6, detectGradeColumns(t6.header), r6, "formulas", "zh"), "ABC", 3).values.slice(1)).toEqual(["A", undefined, "B"]);
    // An unreadable revenue would make every KAM.ABC fail: ABC is written as values; blank and totals rows are not written.
    const ops = gradeOps(t4, c, r, "formulas", "zh");
    expect(column(ops, "ABC", 5).values.slice(1)).toEqual(["A", "B", undefined, null, undefined]);
    expect(column(ops, "等级", 5).values[3]).toBeUndefined();
    expect(column(ops, "等级", 5).values[5]).toBeUndefined();
    // In a 万元 column a plain figure is scaled for KAM.CLASS; "80万" names its unit.
    const t7 = table(["客户名称", "累计合同消费额(万元)", "付款态度"], [["甲", 1200, "爽快"], ["乙", "80万", "一般"]]);
    const c7 = detectGradeColumns(t7.header);
    const cls = column(gradeOps(t7, c7, computeGrades(t7, c7, "zh"), "formulas", "zh"), "客户类型", 2).values;
    expect(cls.slice(1)).toEqual([{ formula: '=KAM.CLASS(B2*10000,0,C2,0,FALSE(),FALSE(),FALSE(),"zh")' }, { formula: '=KAM.CLASS(B3,0,C3,0,FALSE(),FALSE(),FALSE(),"zh")' }]);
  });
});

describe("grading a real .xlsx through the xlsx adapter", () => {
  it("120万 is read as 1,200,000; 待定 fails its row only; the 合计 and blank rows are not written into", async () => {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("客户分级");
    ws.addRow(["客户名称", ...zhFactors, "销售额", "付款态度"]);
    ws.addRow(["华东电力", 5, 5, 5, 5, 5, 5, 5, "120万", "爽快"]);
    ws.addRow(["申江物流", 3, 3, 3, 3, 3, 3, 3, 300_000, "一般"]);
    ws.addRow([]);
    ws.addRow(["远航外贸", 1, 1, 1, 1, 1, 1, 1, "待定", "迟缓"]);
    ws.addRow(["合计", null, null, null, null, null, null, null, 1_500_000, null]);
    const opened = await openXlsx((await book.xlsx.writeBuffer()) as ArrayBuffer);
    if (!opened.ok) throw new Error(opened.message);
    const wb = opened.workbook;
    const t = (await wb.read({ tables: [{ sheet: "客户分级" }] })).tables[0]!;
    const c = detectGradeColumns(t.header);
    const r = computeGrades(t, c, "zh");
    expect(r.map((x) => x.abc ?? x.skipped?.kind ?? "-")).toEqual(["A", "B", "blank", "-", "totals"]);
    expect(r[3]!.error).toBe("销售额（I5）：“待定”不是确定的金额；可接受：1200000、1,200,000、¥1,200,000、120万、120万元、1.2亿");
    expect(gradeSummary(r)).toEqual({ graded: 2, failed: 1, skipped: 2 });
    await wb.apply(gradeOps(t, c, r, "values", "zh"));
    const again = await openXlsx(await wb.save());
    if (!again.ok) throw new Error(again.message);
    const out = (await again.workbook.read({ tables: [{ sheet: "客户分级" }] })).tables[0]!;
    expect(out.header.slice(-4)).toEqual(["价值分", "等级", "客户类型", "ABC"]);
    expect(out.rows.map((x) => x.slice(-4))).toEqual([
      [100, "A", "重要客户", "A"],
      [50, "C", "", "B"],
      [null, null, null, null],
      // its factors still grade it D; its ABC stays empty (the pane names the cell)
      [0, "D", "", null],
      [null, null, null, null],
    ].map((x) => x.map((v) => (v === "" ? null : v))));
  });
});

describe("a grading sheet with title rows above a two-row header", () => {
  it("finds the header below the titles, applies the title row's unit, and writes below it", async () => {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("分级");
    ws.addRow(["2026年华东区客户分级"]);
    ws.addRow(["单位：万元"]);
    ws.addRow([]);
    ws.addRow(["客户名称", "经营数据", null, "付款态度"]);
    ws.addRow([null, "销售额", "累计合同消费额", null]);
    ws.addRow(["华东电力", 900, 1200, "爽快"]);
    ws.addRow(["申江物流", "80万", 300, "一般"]);
    ws.mergeCells("A1:D1");
    ws.mergeCells("B4:C4");
    const opened = await openXlsx((await book.xlsx.writeBuffer()) as ArrayBuffer);
    if (!opened.ok) throw new Error(opened.message);
    const read = (await readGradingTable(opened.workbook, { sheet: "分级" }))!;
    expect(read.table.row).toBe(4); // 0-based row of the last header row (sheet row 5)
    expect(read.columns.found).toMatchObject({ revenue: 1, cumulativeSales: 2, paymentAttitude: 3 });
    expect(read.columns.units).toMatchObject({ revenue: "wan", cumulativeSales: "wan" });
    const r = computeGrades(read.table, read.columns, "zh");
    // 900万 vs 80万 → A, B; 1200万 cumulative > 1,000万 with 爽快 → 优质客户, and Pareto A → 重要客户
    expect(r.map((x) => [x.abc, x.classes])).toEqual([["A", "优质客户, 重要客户"], ["B", ""]]);
    const ops = gradeOps(read.table, read.columns, r, "formulas", "zh");
    // Formulas address the sheet rows (6 and 7); the 万元 figure is scaled for KAM.CLASS.
    expect(column(ops, "客户类型", 2).values[1]).toEqual({ formula: '=KAM.CLASS(C6*10000,0,D6,0,FALSE(),FALSE(),IFERROR(F6="A",FALSE()),"zh")' });
    expect(column(ops, "ABC", 2).values[2]).toEqual("B");
  });
});
