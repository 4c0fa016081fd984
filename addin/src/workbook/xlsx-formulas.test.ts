/**
 * Preview mode's cached results for the `=KAM.*` formulas the pane writes (exceljs does not
 * calculate): written through the adapter, saved, reopened with exceljs — the formula is kept and
 * its cached value is the shared engine's answer; other formulas keep none.
 */
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { VALUE_FACTORS } from "../../../shared/src/index.js";
import { detectGradeColumns, computeGrades, gradeOps } from "../taskpane/logic/grade.js";
import { INPUTS, scorecardHeader, scorecardOps, scorecardRows } from "../taskpane/logic/scorecard.js";
import { newXlsx, openXlsx, parseKamFormula } from "./xlsx.js";

async function roundTrip(buf: ArrayBuffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf);
  return wb;
}

describe("cached results of =KAM.* formulas in preview mode", () => {
  it("grade formulas: KAM.VALUE / KAM.GRADE / KAM.ABC carry the engine's values through save and reopen", async () => {
    const port = newXlsx();
    port.lang = "en";
    const header = ["Account", ...VALUE_FACTORS, "Revenue"];
    await port.apply([{ kind: "values", sheet: "Accounts", row: 0, col: 0, values: [
      header,
      ["A-1", 5, 5, 5, 5, 5, 5, 5, 9_000_000],
      ["A-2", 3, 3, 3, 3, 3, 3, 3, 800_000],
      ["A-3", 1, 1, 1, 1, 1, 1, 1, 200_000],
    ] }]);
    const table = (await port.read({ tables: [{ sheet: "Accounts" }] })).tables[0]!;
    const cols = detectGradeColumns(table.header);
    await port.apply(gradeOps(table, cols, computeGrades(table, cols, "en"), "formulas", "en"));
    const wb = await roundTrip(await port.save());
    const ws = wb.getWorksheet("Accounts")!;
    const head = (ws.getRow(1).values as unknown[]).slice(1);
    // `cell.result`: exceljs's `value` getter hides falsy cached results such as 0
    const at = (name: string, r: number) => {
      const c = ws.getCell(r, head.indexOf(name) + 1);
      return { formula: (c.value as { formula: string }).formula, result: c.result };
    };
    expect(at("Value", 2).formula).toBe("KAM.VALUE(B2:H2)");
    // docs/domain.md §3.2: value = mean of (factor − 1) / 4 × 100 → all 5 → 100, all 3 → 50, all 1 → 0
    expect([2, 3, 4].map((r) => at("Value", r).result)).toEqual([100, 50, 0]);
    // grade bands: ≥ 75 A, ≥ 55 B, ≥ 35 C, else D → 100 A, 50 C, 0 D
    expect([2, 3, 4].map((r) => at("Grade", r).result)).toEqual(["A", "C", "D"]);
    // docs/domain.md §3.3, total 10,000,000: shares before each 0% → A, 90% → B (< 95%), 98% → C
    expect(at("ABC", 2).formula).toBe("KAM.ABC(I2,$I$2:$I$4)");
    expect([2, 3, 4].map((r) => at("ABC", r).result)).toEqual(["A", "B", "C"]);
    // Excel recalculates everything on open; its own values replace the cached ones.
    // (exceljs writes calcPr but does not read it back: look at the part itself)
    const workbookXml = await (await JSZip.loadAsync(await port.save())).file("xl/workbook.xml")!.async("string");
    expect(workbookXml).toMatch(/<calcPr[^>]*fullCalcOnLoad="1"/);
    // The adapter itself reads the cached values (what the pane's previews see).
    const reopened = await openXlsx(await port.save());
    if (!reopened.ok) throw new Error(reopened.message);
    const t = (await reopened.workbook.read({ tables: [{ sheet: "Accounts" }] })).tables[0]!;
    expect(t.rows.map((r) => r[t.header.indexOf("Grade")])).toEqual(["A", "C", "D"]);
  });

  it("scorecard: =KAM.SCORE totals are cached, so the chart's data shows real totals; IF(...) formulas are left alone", async () => {
    const port = newXlsx();
    port.lang = "en";
    const typed: Record<string, number> = { newAccounts: 5, newAccountsPlan: 5, infoCollection: 10, teamwork: 10, knowledge: 10, judgement: 4, communication: 6, absenceDays: 0, lateCount: 0, unreportedFieldDays: 0, violations: 0, responsibility: 5, complaints: 0 };
    const rows = scorecardRows(
      [{ id: "m1", name: "A", salesActual: 1_150_000, salesPlan: 1_000_000, salesLastQuarter: 1_150_000 }, { id: "m2", name: "B", salesActual: 1, salesPlan: 2 }],
      { sheet: "s", row: 0, col: 0, header: scorecardHeader("en"), rows: [["m1", "A", null, null, null, ...INPUTS.map((k) => typed[k] ?? null)]] },
      "2026-Q1", "en",
    );
    const ops = scorecardOps("2026-Q1", rows, "formulas", "en");
    await port.apply(ops);
    // The chart (drawn by the pane in preview mode) reads B1:C3: the totals are numbers now.
    const chart = port.charts[0]!;
    const data = (await port.read({ tables: [{ sheet: chart.sheet, range: chart.dataAddress }] })).tables[0]!;
    // docs/domain.md §8 worked example: 25 + 3 + 10 + 5 + 10 + 10 + 10 + 4 + 6 + 5 + 5 + 5 + 5 = 103
    expect(data.rows[0]).toEqual(["A", 103]);
    const wb = await roundTrip(await port.save());
    const ws = wb.getWorksheet("Scorecard 2026Q1")!;
    expect(ws.getCell("C2").value).toEqual({ formula: 'KAM.SCORE(F2:U2,$F$1:$U$1,"ka-manager")', result: 103 });
    // m2 has no ratings typed: the total is an Excel error, as Excel would show it
    expect((ws.getCell("C3").value as { result: unknown }).result).toMatchObject({ error: expect.stringMatching(/^#/) });
    // KAM.SCORE.ITEMS spills: the anchor caches the first item (sales completion, 25 + 3 = 28)
    const itemsCell = ws.getCell(2, 5 + INPUTS.length + 1).value as { formula: string; result: unknown };
    expect(itemsCell.formula).toMatch(/^KAM\.SCORE\.ITEMS\(/);
    expect(itemsCell.result).toBe(28);
    // not a KAM call of its own: no cached value
    expect((ws.getCell("D2").value as { result?: unknown }).result).toBeUndefined();
  });
});

describe("parseKamFormula", () => {
  it("reads references, ranges, literals, HSTACK and quoted sheet names", () => {
    expect(parseKamFormula('=KAM.CLASS(B2,0,"爽快",TRUE,-1.5e2,)')!.args).toEqual([
      { kind: "range", row: 1, col: 1, rows: 1, cols: 1 },
      { kind: "value", value: 0 },
      { kind: "value", value: "爽快" },
      { kind: "value", value: true },
      { kind: "value", value: -150 },
      { kind: "value", value: null },
    ]);
    expect(parseKamFormula("=KAM.VALUE(HSTACK(B2,D2,'My ''x'' sheet'!$F$9))")!.args[0]).toEqual({ kind: "hstack", items: [
      { kind: "range", row: 1, col: 1, rows: 1, cols: 1 },
      { kind: "range", row: 1, col: 3, rows: 1, cols: 1 },
      { kind: "range", sheet: "My 'x' sheet", row: 8, col: 5, rows: 1, cols: 1 },
    ] });
  });
  it("refuses what it cannot evaluate honestly: other functions, store-backed KAM calls, expressions", () => {
    expect(parseKamFormula('=IF(A1>0,KAM.TIER(A1),"")')).toBeUndefined();
    expect(parseKamFormula('=KAM.COLLECTION("*","2026-Q1")')).toBeUndefined();
    expect(parseKamFormula("=KAM.TIER(F2/G2)")).toBeUndefined();
    expect(parseKamFormula("=KAM.VALUE(A1)+KAM.VALUE(A2)")).toBeUndefined();
    expect(parseKamFormula("=KAM.NOPE(A1)")).toBeUndefined();
  });
});
