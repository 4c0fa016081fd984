import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { ownerChangesOf, ownerOnDate, parsePeriod, previousQuarter, type Period } from "../../../../shared/src/index.js";
import type { TableData } from "../../workbook/port.js";
import type { XlsxWorkbook } from "../../workbook/xlsx.js";
import { emptyBook, reopen, visibleCellsHolding } from "../../workbook/xlsx.test-util.js";
import { FIXED, INPUTS, buildScorecard, figureMark, managerFigures, scorecardHeader, scorecardOps, scorecardRows, scorecardSheetName, type ContractFigure, type ManagerFigures } from "./scorecard.js";

describe("scorecard sheet", () => {
  it("keeps the ratings typed into an existing sheet and refreshes store figures (matched by manager id)", () => {
    const header = scorecardHeader("zh");
    const typedRow: (string | number | null)[] = ["m-li", "李明", null, null, null, ...INPUTS.map(() => null)];
    const at = (k: string) => FIXED + INPUTS.indexOf(k as (typeof INPUTS)[number]);
    typedRow[at("salesActual")] = 1; // a figure the store wrote (its mark below), unchanged since: refreshed
    typedRow[at("teamwork")] = 8;
    typedRow[at("knowledge")] = 10;
    const existing: TableData = { sheet: "考核表 2026Q1", row: 0, col: 0, header, rows: [typedRow] };
    const rows = scorecardRows([{ id: "m-li", name: "李明", salesActual: 1_150_000, salesPlan: 1_000_000, salesLastQuarter: 900_000 }, { id: "m-new", name: "新人" }], existing, "2026-Q1", "zh", { "m-li": { salesActual: figureMark(1) } });
    expect(rows[0]!.inputs).toMatchObject({ salesActual: 1_150_000, teamwork: 8, knowledge: 10 });
    expect(rows[1]!.inputs.teamwork).toBeNull();
    // 1,150,000 / 1,000,000 = 1.15 → 1.0 < c < 1.2 → 超额完成 (docs/domain.md §8 tiers)
    expect(rows[0]!.tier).toBe("超额完成");
    // ratings not all typed yet → the total is an error naming a missing input, not a number
    expect(rows[0]!.total).toBeUndefined();
    expect(rows[0]!.error).toBeTruthy();
  });

  it("computes the total when every input is there (docs/domain.md §8 worked example)", () => {
    const rows = scorecardRows([{ id: "m1", name: "A", salesActual: 1_150_000, salesPlan: 1_000_000, salesLastQuarter: 1_150_000 }], {
      sheet: "s", row: 0, col: 0, header: scorecardHeader("en"),
      rows: [["m1", "A", null, null, null, ...INPUTS.map((k) => ({ newAccounts: 5, newAccountsPlan: 5, infoCollection: 10, teamwork: 10, knowledge: 10, judgement: 4, communication: 6, absenceDays: 0, lateCount: 0, unreportedFieldDays: 0, violations: 0, responsibility: 5, complaints: 0 } as Record<string, number>)[k] ?? null)]],
    }, "2026-Q1", "en");
    // sales 25 + 3 (115%) + growth 10 (0 growth) + new accounts 5 + 10 + 10 + 10 + 4 + 6 + attendance 5 + conduct 5 + responsibility 5 + service 5 = 103
    expect(rows[0]!.total).toBe(103);
    expect(rows[0]!.warning).toBe(false);
  });

  it("writes =KAM.SCORE and =KAM.SCORE.ITEMS over the input columns, a tier and a warning, and a chart", () => {
    const rows = scorecardRows([{ id: "m1", name: "A", salesActual: 1, salesPlan: 2 }], undefined, "2026-Q1", "en");
    const ops = scorecardOps("2026-Q1", rows, "formulas", "en");
    const values = (ops.find((o) => o.kind === "values") as { values: unknown[][] }).values;
    // inputs start at F (FIXED = 5); 16 inputs → F..U
    expect(values[1]![2]).toEqual({ formula: '=KAM.SCORE(F2:U2,$F$1:$U$1,"ka-manager")' });
    expect(values[1]![3]).toEqual({ formula: '=IF(AND(ISNUMBER(G2),G2>0),KAM.TIER(F2/G2),"")' });
    expect(values[1]![4]).toEqual({ formula: '=IF(ISNUMBER(C2),IF(C2<60,"Verbal warning",""),"")' });
    expect(values[1]!.at(-1)).toEqual({ formula: '=KAM.SCORE.ITEMS(F2:U2,$F$1:$U$1,"ka-manager")' });
    expect(ops.find((o) => o.kind === "chart")).toMatchObject({ sheet: "Scorecard 2026Q1", dataAddress: "B1:C2" });
  });

  it("previous quarter of 2026-Q1 is 2025-Q4; of 2026-08 is 2026-Q2", () => {
    expect(previousQuarter((parsePeriod("2026-Q1") as { ok: true; value: never }).value).id).toBe("2025-Q4");
    expect(previousQuarter((parsePeriod("2026-08") as { ok: true; value: never }).value).id).toBe("2026-Q2");
  });
});

const period = (id: string) => (parsePeriod(id) as { ok: true; value: Period }).value;

async function sheetCell(wb: XlsxWorkbook, sheet: string, address: string): Promise<ExcelJS.Cell> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await wb.save());
  return book.getWorksheet(sheet)!.getCell(address);
}

describe("scorecard provenance through a real .xlsx", () => {
  const col = (k: string) => FIXED + INPUTS.indexOf(k as (typeof INPUTS)[number]);
  const li = (f: Partial<ManagerFigures>): ManagerFigures => ({ id: "m-li", name: "李明", ...f });

  it("a typed 上季销售额 survives rebuilds (store says 0, or nothing); an untouched store cell is refreshed", async () => {
    let wb = await emptyBook();
    const sheet = scorecardSheetName("2026-Q1", "zh");
    await buildScorecard(wb, [li({ salesActual: 1_000_000, salesLastQuarter: 0 })], "2026-Q1", "values", "zh");
    // The director types last quarter's figure over the store's 0.
    let t = (await wb.read({ tables: [{ sheet }] })).tables[0]!;
    expect(t.rows[0]![col("salesLastQuarter")]).toBe(0);
    await wb.apply([{ kind: "values", sheet, row: 1, col: col("salesLastQuarter"), values: [[18_000_000]] }]);
    wb = await reopen(wb);
    // The store now knows more sales this quarter, and still says 0 for last quarter.
    await buildScorecard(wb, [li({ salesActual: 1_200_000, salesLastQuarter: 0 })], "2026-Q1", "values", "zh");
    t = (await wb.read({ tables: [{ sheet }] })).tables[0]!;
    expect(t.rows[0]![col("salesLastQuarter")]).toBe(18_000_000);
    expect(t.rows[0]![col("salesActual")]).toBe(1_200_000);
    // The store no longer knows last quarter at all: the typed figure stays too.
    await buildScorecard(await reopen(wb), [li({ salesActual: 1_200_000 })], "2026-Q1", "values", "zh");
    expect((await wb.read({ tables: [{ sheet }] })).tables[0]!.rows[0]![col("salesLastQuarter")]).toBe(18_000_000);
    // The hidden state holds marks, not figures.
    const state = (await wb.read({ state: ["scorecard:2026-Q1"] })).state["scorecard:2026-Q1"]!;
    expect(state).not.toContain("1200000");
    expect(JSON.parse(state).cells["m-li"]).toHaveProperty("salesActual");
    expect(JSON.parse(state).cells["m-li"]).not.toHaveProperty("salesLastQuarter");
  });

  it("shows managers by name: the id key column is hidden, no visible cell holds a user id, and rows sorted by name keep their typed figures", async () => {
    let wb = await emptyBook();
    const sheet = scorecardSheetName("2026-Q1", "zh");
    const two = [{ id: "m-zhang", name: "张伟", salesActual: 2 }, li({ salesActual: 1 })];
    await buildScorecard(wb, two, "2026-Q1", "formulas", "zh");
    // The director types 张伟's teamwork, then sorts the rows by name (李明 first): the hidden key moves with them.
    await wb.apply([{ kind: "values", sheet, row: 1, col: col("teamwork"), values: [[7]] }]);
    const t = (await wb.read({ tables: [{ sheet }] })).tables[0]!;
    const sorted = [t.rows[1]!, t.rows[0]!].map((r) => r.slice(0, FIXED + INPUTS.length));
    await wb.apply([{ kind: "values", sheet, row: 1, col: 0, values: sorted }]);
    wb = await reopen(wb);
    const rows = await buildScorecard(wb, two, "2026-Q1", "formulas", "zh");
    expect(rows.map((r) => [r.name, r.inputs.teamwork])).toEqual([["张伟", 7], ["李明", null]]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await wb.save());
    const ws = book.getWorksheet(sheet)!;
    expect(ws.getColumn(1).hidden).toBe(true);
    expect(ws.getColumn(2).hidden).toBe(false);
    expect([ws.getCell("B2").value, ws.getCell("B3").value]).toEqual(["张伟", "李明"]);
    expect(visibleCellsHolding(ws, ["m-li", "m-zhang"])).toEqual([]);
    // The key is still there for the formulas' rows and the provenance marks.
    expect(ws.getCell("A2").value).toBe("m-zhang");
    expect(String((ws.getCell("C2").value as { formula: string }).formula)).toMatch(/^_xludf\.KAM\.SCORE\(|^KAM\.SCORE\(/);
  });

  it("a store cell the user edited is the user's from then on", async () => {
    const wb = await emptyBook();
    const sheet = scorecardSheetName("2026-Q2", "en");
    await buildScorecard(wb, [li({ salesActual: 500_000, salesPlan: 1_000_000 })], "2026-Q2", "values", "en");
    await wb.apply([{ kind: "values", sheet, row: 1, col: col("salesPlan"), values: [[900_000]] }]);
    await buildScorecard(wb, [li({ salesActual: 600_000, salesPlan: 1_000_000 })], "2026-Q2", "values", "en");
    const row = (await wb.read({ tables: [{ sheet }] })).tables[0]!.rows[0]!;
    expect([row[col("salesActual")], row[col("salesPlan")]]).toEqual([600_000, 900_000]);
  });

  it("values → formulas clears the spill range of KAM.SCORE.ITEMS and rows no longer listed", async () => {
    const wb = await emptyBook();
    const sheet = scorecardSheetName("2026-Q1", "zh");
    const two = [li({ salesActual: 1 }), { id: "m-zhang", name: "张伟", salesActual: 2 }];
    await buildScorecard(wb, two, "2026-Q1", "values", "zh");
    const itemsCol = FIXED + INPUTS.length;
    expect((await wb.read({ tables: [{ sheet }] })).tables[0]!.rows[0]![itemsCol + 1]).not.toBeNull();
    await buildScorecard(wb, two.slice(0, 1), "2026-Q1", "formulas", "zh");
    const t = (await wb.read({ tables: [{ sheet }], withFormulas: true })).tables[0]!;
    expect(t.formulas![0]![itemsCol]).toMatch(/^=KAM\.SCORE\.ITEMS\(/);
    // Every cell the formula spills into is empty (no stale values → no #SPILL!).
    for (let c = itemsCol + 1; c < t.header.length; c++) expect(t.rows[0]![c] ?? null).toBeNull();
    // 张伟's row is gone.
    expect(t.rows).toHaveLength(1);
  });

  it("rating columns get a drop-down with the scale in the input prompt; errors name the column and cell", async () => {
    const wb = await emptyBook();
    const sheet = scorecardSheetName("2026-Q1", "zh");
    await buildScorecard(wb, [li({ salesActual: 1 })], "2026-Q1", "values", "zh");
    await wb.apply([{ kind: "values", sheet, row: 1, col: col("judgement"), values: [[7]] }]);
    const rows = await buildScorecard(wb, [li({ salesActual: 1 })], "2026-Q1", "values", "zh");
    const judgement = `${String.fromCharCode(65 + col("judgement"))}2`;
    const dv = (await sheetCell(wb, sheet, judgement)).dataValidation;
    expect(dv).toMatchObject({ type: "list", formulae: ['"4,3.5,3,2.5"'], showInputMessage: true, promptTitle: "分析判断能力" });
    expect(dv.prompt).toBe("4 = 强 · 3.5 = 较强 · 3 = 一般 · 2.5 = 较弱");
    const teamwork = (await sheetCell(wb, sheet, `${String.fromCharCode(65 + col("teamwork"))}2`)).dataValidation;
    expect(teamwork.prompt).toBe("0–10 分");
    // The bad rating is named by its column and cell wherever it shows.
    const judgementItem = rows[0]!.items.find((x) => typeof x === "string" && x.includes("7"));
    expect(judgementItem).toContain(`分析判断能力（${judgement}）`);
  });
});

describe("sales credit after a handover", () => {
  it("张伟's Q1 actual stays with him after his account is handed to 李明", () => {
    // 张伟 owned A-9 when its contracts were signed in Q1; on 2026-04-10 it was handed to 李明.
    const handovers = ownerChangesOf([{ from: "m-zhang", to: "m-li", at: "2026-04-10T02:00:00.000Z", accountIds: ["A-9"] }]);
    const signed = (id: string, date: string, amountYuan: number): ContractFigure => ({ accountId: "A-9", signedDate: date, amountYuan, ownerAtSigning: ownerOnDate("m-li", handovers, date), ...{ id } });
    const contracts = [signed("C1", "2026-01-20", 12_065_000), signed("C2", "2026-03-30", 10_000_000), signed("C3", "2026-05-02", 3_000_000)];
    const managers = [{ id: "m-zhang", name: "张伟" }, { id: "m-li", name: "李明" }];
    const q1 = managerFigures(managers, contracts, () => "m-li", [], period("2026-Q1"));
    expect(q1.map((f) => f.salesActual)).toEqual([22_065_000, 0]);
    const q2 = managerFigures(managers, contracts, () => "m-li", [], period("2026-Q2"));
    // Q2: 李明 signed C3; last quarter's sales are 张伟's.
    expect(q2.map((f) => [f.salesActual, f.salesLastQuarter])).toEqual([[0, 22_065_000], [3_000_000, 0]]);
    // A quarter without any contract in the store is unknown, not 0.
    expect(managerFigures(managers, contracts, () => "m-li", [], period("2025-Q3"))[0]).toEqual({ id: "m-zhang", name: "张伟" });
  });
});

describe("the plan from the store's targets", () => {
  it("is the highest approved version, not the last approved one in the list", () => {
    const managers = [{ id: "m-li", name: "李明" }];
    // v3 (approved, 9,000,000) is listed before v2 (approved, 8,000,000); v4 is pending.
    const target = { subject: "m-li", versions: [{ version: 1, status: "approved", amountYuan: 7_500_000 }, { version: 3, status: "approved", amountYuan: 9_000_000 }, { version: 2, status: "approved", amountYuan: 8_000_000 }, { version: 4, status: "pending", amountYuan: 8_500_000 }] };
    expect(managerFigures(managers, [], () => undefined, [target], period("2026-Q1"))[0]).toEqual({ id: "m-li", name: "李明", salesPlan: 9_000_000 });
    // Nothing approved: no plan (the sheet's own cell stays).
    expect(managerFigures(managers, [], () => undefined, [{ subject: "m-li", versions: [target.versions[3]!] }], period("2026-Q1"))[0]).toEqual({ id: "m-li", name: "李明" });
  });
});
