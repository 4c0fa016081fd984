import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { STATE_SHEET } from "../../workbook/port.js";
import { newXlsx } from "../../workbook/xlsx.js";
import { planShareSafe, shareDropped, shareSafeCopy } from "./share.js";

const SECRETS = ["高尔夫球", "1968-05-12", "女儿在英国读书", "谨慎多疑"];

/** A synced-looking workbook: the pane's own state sheet, a contacts table with personal columns, store formulas. */
async function workbook(): Promise<Uint8Array> {
  const port = newXlsx();
  await port.apply([
    { kind: "ensureSheet", sheet: "决策链" },
    { kind: "state", key: "sync:contacts", value: JSON.stringify({ rows: { c1: { v: 3 } } }) },
  ]);
  const wb = port.workbook;
  const contacts = wb.getWorksheet("决策链")!;
  contacts.addTable({
    name: "Contacts",
    ref: "A1",
    columns: ["客户编号", "姓名", "支持程度", "爱好", "生日", "Family", "personal.character"].map((name) => ({ name })),
    rows: [
      ["A-001", "王总", 5, SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[3]],
      ["A-001", "李处", 3, null, null, null, null],
    ],
  });
  const report = wb.addWorksheet("报表");
  report.getCell("A1").value = "回款率";
  report.getCell("B1").value = { formula: 'KAM.COLLECTION("*","2026-Q2")', result: 0.875 };
  report.getCell("B2").value = { formula: 'KAM.HEALTH("A-001","status")', result: "A" };
  report.getCell("B3").value = { formula: "SUM(1,2)", result: 3 };
  report.getCell("B4").value = { formula: 'KAM.TARGET("m-li","2026-Q1")', result: undefined } as unknown as ExcelJS.CellFormulaValue;
  report.getCell("C5").value = { formula: 'KAM.ACCOUNT(A5,"grade")', result: "A", shareType: "shared", ref: "C5:C6" } as unknown as ExcelJS.CellFormulaValue;
  report.getCell("C6").value = { sharedFormula: "C5", result: "B" } as unknown as ExcelJS.CellSharedFormulaValue;
  report.getCell("D1").value = { formula: "KAM.SCORE(A1:A2)", result: 95 };
  wb.definedNames.add(`'${STATE_SHEET}'!$A$1`, "kam_state_anchor");
  wb.definedNames.add("'报表'!$B$1", "collection_rate");
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}

function everyText(wb: ExcelJS.Workbook): string {
  const out: string[] = [];
  for (const ws of wb.worksheets) ws.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (c) => out.push(JSON.stringify(c.value))));
  return out.join("\n");
}

describe("share-safe copy (real .xlsx through exceljs)", () => {
  it("lists what will be removed before writing", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await workbook()) as unknown as ArrayBuffer);
    const plan = planShareSafe(wb);
    expect(plan.hiddenSheets).toEqual([STATE_SHEET]);
    expect(plan.personal.map((p) => [p.sheet, p.header, p.column, p.values])).toEqual([
      ["决策链", "爱好", "D", 1],
      ["决策链", "生日", "E", 1],
      ["决策链", "Family", "F", 1],
      ["决策链", "personal.character", "G", 1],
    ]);
    // COLLECTION, HEALTH, TARGET, ACCOUNT (master and its shared dependant); SCORE and SUM are not store formulas.
    expect(plan.formulas).toEqual([{ sheet: "报表", count: 5 }]);
    expect(plan.formulasWithoutValue).toBe(1);
  });

  it("the copy: no personal value, no hidden state, store formulas replaced by their values, the rest kept", async () => {
    const original = await workbook();
    const before = new ExcelJS.Workbook();
    await before.xlsx.load(original as unknown as ArrayBuffer);
    for (const s of SECRETS) expect(everyText(before)).toContain(s);
    const { bytes } = await shareSafeCopy(original);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["决策链", "报表"]);
    expect(wb.worksheets.every((w) => w.state !== "veryHidden")).toBe(true);
    const text = everyText(wb);
    for (const s of SECRETS) expect(text).not.toContain(s);
    expect(text).not.toMatch(/KAM\.(COLLECTION|TARGET|ACCOUNT|HEALTH)/);
    const contacts = wb.getWorksheet("决策链")!;
    expect(contacts.getRow(1).values).toEqual([undefined, "客户编号", "姓名", "支持程度", "爱好", "生日", "Family", "personal.character"]);
    expect([contacts.getCell("B2").value, contacts.getCell("C2").value]).toEqual(["王总", 5]);
    const report = wb.getWorksheet("报表")!;
    expect(["B1", "B2", "B4", "C5", "C6"].map((a) => report.getCell(a).value)).toEqual([0.875, "A", null, "A", "B"]);
    expect(report.getCell("B3").value).toMatchObject({ formula: "SUM(1,2)" });
    expect(report.getCell("D1").value).toMatchObject({ formula: "KAM.SCORE(A1:A2)" });
    const names = (wb.definedNames as unknown as { model: { name: string }[] }).model.map((n) => n.name);
    expect(names).toEqual(["collection_rate"]);
    // A second pass finds nothing left to remove.
    const again = planShareSafe(wb);
    expect([again.hiddenSheets, again.personal.filter((p) => p.values > 0), again.formulas]).toEqual([[], [], []]);
  });

  it("warns about parts exceljs drops (charts, pivots, drawn shapes)", () => {
    const zipNames = (names: string[]) => new TextEncoder().encode(names.map((n) => `PK..${n}..`).join(""));
    expect(shareDropped(zipNames(["xl/worksheets/sheet1.xml"]))).toEqual([]);
    expect(shareDropped(zipNames(["xl/charts/chart1.xml", "xl/drawings/drawing1.xml", "xl/pivotTables/p1.xml"]))).toEqual(["charts", "pivots", "shapes"]);
  });
});
