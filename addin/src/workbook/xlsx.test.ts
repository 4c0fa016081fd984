import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import fc from "fast-check";
import { droppedParts, openXlsx, fromExcelJs, type XlsxWorkbook } from "./xlsx.js";
import { STATE_SHEET, columnLetter } from "./port.js";

async function fixture(): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("客户档案");
  ws.addRow(["客户名称", "企业性质", "注册资本", "成立日期"]);
  ws.addRow(["华东电力", "国企", 5_000_000, new Date(Date.UTC(2001, 4, 1))]);
  ws.addRow(["星河科技", "民营", { formula: "1000*2", result: 2000 }, null]);
  ws.addRow([]); // trailing empty row is not data
  const buf = await wb.xlsx.writeBuffer();
  return buf as ArrayBuffer;
}

describe("XlsxWorkbook", () => {
  it("reads a sheet as header + rows in Excel's value shape (dates → serials, formulas → results)", async () => {
    const opened = await openXlsx(await fixture());
    if (!opened.ok) throw new Error(opened.message);
    const r = await opened.workbook.read({ tables: [{ sheet: "客户档案" }, { sheet: "missing" }] });
    const t = r.tables[0]!;
    expect(t.header).toEqual(["客户名称", "企业性质", "注册资本", "成立日期"]);
    // 2001-05-01 is Excel serial 37012 (days since 1899-12-30)
    expect(t.rows).toEqual([
      ["华东电力", "国企", 5_000_000, 37012],
      ["星河科技", "民营", 2000, null],
    ]);
    expect(t.formulas![1]![2]).toBe("=1000*2");
    expect(r.tables[1]).toBeUndefined();
  });

  it("keeps the sync baseline in a very-hidden sheet that survives save and reopen", async () => {
    const opened = await openXlsx(await fixture());
    if (!opened.ok) throw new Error(opened.message);
    const wb = opened.workbook;
    const baseline = JSON.stringify({ rows: Array.from({ length: 3000 }, (_, i) => ({ id: `acc-${i}`, version: i, hash: "abcdef0123456789" })) });
    expect(baseline.length).toBeGreaterThan(30_000); // forces more than one chunk
    await wb.apply([{ kind: "state", key: "sync:accounts:客户档案", value: baseline }]);
    const again = await openXlsx(await wb.save());
    if (!again.ok) throw new Error(again.message);
    expect((await again.workbook.read({ state: ["sync:accounts:客户档案"] })).state["sync:accounts:客户档案"]).toBe(baseline);
    expect(again.workbook.workbook.getWorksheet(STATE_SHEET)!.state).toBe("veryHidden");
    expect((await again.workbook.listSheets()).map((s) => s.name)).toEqual(["客户档案"]);
  });

  it("writes values, formulas, grade formatting and drop-downs that Excel will see", async () => {
    const opened = await openXlsx(await fixture());
    if (!opened.ok) throw new Error(opened.message);
    const wb = opened.workbook;
    await wb.apply([
      { kind: "values", sheet: "客户档案", row: 0, col: 4, values: [["Grade"], [{ formula: "KAM.GRADE(A2:A2)" }], ["B"]] },
      { kind: "gradeFormat", sheet: "客户档案", address: "E2:E3", rules: [{ equals: "A", fill: "#C6EFCE", font: "#006100" }] },
      { kind: "listValidation", sheet: "客户档案", address: "B2:B3", list: ["国企", "民营"] },
      { kind: "chart", sheet: "客户档案", type: "columnClustered", dataAddress: "A1:C3", title: "注册资本", anchor: "G2" },
    ]);
    const reopened = await openXlsx(await wb.save());
    if (!reopened.ok) throw new Error(reopened.message);
    const ws = reopened.workbook.workbook.getWorksheet("客户档案")!;
    expect((ws.getCell("E2").value as { formula: string }).formula).toBe("KAM.GRADE(A2:A2)");
    expect(ws.getCell("E3").value).toBe("B");
    expect(ws.getCell("B3").dataValidation).toMatchObject({ type: "list", formulae: ['"国企,民营"'] });
    const cf = (ws as unknown as { conditionalFormattings: { ref: string; rules: { formulae: string[] }[] }[] }).conditionalFormattings;
    expect(cf[0]!.ref).toBe("E2:E3");
    expect(cf[0]!.rules[0]!.formulae).toEqual(['"A"']);
    // exceljs cannot write charts: the request is kept for the pane to draw
    expect(wb.charts).toEqual([{ sheet: "客户档案", type: "columnClustered", dataAddress: "A1:C3", title: "注册资本", anchor: "G2" }]);
  });

  it("reading never changes the file: no empty rows or columns are added, a row appended elsewhere lands under the data", async () => {
    // Reads of any block — wider or longer than the data, as the grading page's header probes
    // (A1:ZZ1 … A30:ZZ30) are — and the formula cache's ranges leave the saved sheet as it was.
    const saved = async (wb: XlsxWorkbook) => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await wb.save());
      return book;
    };
    const shape = (book: ExcelJS.Workbook) => {
      const ws = book.getWorksheet("客户档案")!;
      return { rows: ws.rowCount, cols: ws.columnCount, dims: ws.dimensions.range };
    };
    const open = async () => {
      const o = await openXlsx(await fixture());
      if (!o.ok) throw new Error(o.message);
      return o.workbook;
    };
    const untouched = shape(await saved(await open()));
    expect(untouched).toEqual({ rows: 3, cols: 4, dims: "A1:D3" });
    const block = fc.record({ row: fc.integer({ min: 1, max: 60 }), col: fc.integer({ min: 1, max: 40 }), rows: fc.integer({ min: 1, max: 40 }), cols: fc.integer({ min: 1, max: 60 }) });
    await fc.assert(fc.asyncProperty(fc.array(block, { minLength: 1, maxLength: 6 }), async (blocks) => {
      const wb = await open();
      const ranges = blocks.map((b) => `${columnLetter(b.col - 1)}${b.row}:${columnLetter(b.col + b.cols - 2)}${b.row + b.rows - 1}`);
      await wb.read({ tables: [{ sheet: "客户档案" }, ...ranges.map((range) => ({ sheet: "客户档案", range }))] });
      // A formula written beside the data whose range argument reaches far below it.
      await wb.apply([{ kind: "values", sheet: "客户档案", row: 0, col: 5, values: [[{ formula: `KAM.ABC(C2,$C$2:$C$${blocks[0]!.row + 60})` }]] }]);
      const book = await saved(wb);
      expect(shape(book)).toEqual({ rows: untouched.rows, cols: 6, dims: "A1:F3" });
      // Another program appends a row: it follows the last data row.
      expect(book.getWorksheet("客户档案")!.addRow(["南方物流"]).number).toBe(4);
    }), { seed: 20261201, numRuns: 25 });
  });

  it("records parts exceljs will drop (charts, pivots, macros) from the zip's part names", () => {
    const enc = new TextEncoder();
    expect(droppedParts(enc.encode("PK..xl/worksheets/sheet1.xml..xl/charts/chart1.xml..xl/pivotTables/pivotTable1.xml"))).toEqual(["charts", "pivots"]);
    expect(droppedParts(enc.encode("PK..xl/worksheets/sheet1.xml"))).toEqual([]);
  });

  it("answers a message, not an exception, for a file that is not an .xlsx", async () => {
    const r = await openXlsx(new TextEncoder().encode("not a zip"));
    expect(r.ok).toBe(false);
  });

  it("maps rich text, errors and hyperlinks to plain values", () => {
    expect(fromExcelJs({ richText: [{ text: "华" }, { text: "东" }] })).toBe("华东");
    expect(fromExcelJs({ error: "#N/A" } as ExcelJS.CellErrorValue)).toBe("#N/A");
    expect(fromExcelJs({ text: "site", hyperlink: "https://x" })).toBe("site");
  });
});

