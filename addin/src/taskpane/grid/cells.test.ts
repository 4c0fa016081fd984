import ExcelJS from "exceljs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { XlsxWorkbook } from "../../workbook/xlsx.js";
import { extentOf, parseTyped, viewOf } from "./cells.js";
import { clearProblems, currentProblems, publishProblems } from "./problems.js";

describe("preview grid cells", () => {
  it("shows values, cached formula results, dates, fills and notes as the workbook holds them", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("客户档案");
    ws.getCell("A1").value = 1_234_567.5;
    ws.getCell("B1").value = { formula: "A1*2", result: 2_469_135 } as ExcelJS.CellFormulaValue;
    ws.getCell("C1").value = new Date(Date.UTC(2026, 2, 31));
    ws.getCell("D1").value = "120万";
    ws.getCell("D1").fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFC7CE" } };
    ws.getCell("D1").note = "金额无法识别";
    ws.getCell("E1").value = true;
    const a1 = viewOf(ws.findCell(1, 1), "zh");
    expect(a1).toMatchObject({ text: "1,234,567.5", editText: "1234567.5", numeric: true });
    expect(viewOf(ws.findCell(1, 2), "en")).toMatchObject({ text: "2,469,135", editText: "=A1*2", numeric: true });
    expect(viewOf(ws.findCell(1, 3), "zh")).toMatchObject({ text: "2026-03-31", editText: "2026-03-31" });
    expect(viewOf(ws.findCell(1, 4), "zh")).toMatchObject({ text: "120万", fill: "#FFC7CE", note: "金额无法识别", numeric: false });
    expect(viewOf(ws.findCell(1, 5), "zh").text).toBe("TRUE");
    expect(viewOf(ws.findCell(9, 9), "zh").text).toBe("");
    expect(extentOf(ws)).toEqual({ rows: 21, cols: 9 });
  });

  it("a typed text is written through the xlsx adapter as the value it reads as", async () => {
    const port = new XlsxWorkbook(new ExcelJS.Workbook());
    await port.apply([{ kind: "ensureSheet", sheet: "S" }]);
    const typed = ["1,200", "-3.5", "=KAM.TIER(1.2)", "", "true", "120万", "待定", "1,2"];
    await port.apply(typed.map((text, i) => ({ kind: "values" as const, sheet: "S", row: 0, col: i, values: [[parseTyped(text)]] })));
    const cells = typed.map((_, i) => port.workbook.getWorksheet("S")!.findCell(1, i + 1)?.value ?? null);
    expect(cells.slice(0, 2)).toEqual([1200, -3.5]);
    expect(cells[2]).toMatchObject({ formula: "KAM.TIER(1.2)" });
    expect(cells.slice(3)).toEqual([null, true, "120万", "待定", "1,2"]);
  });

  it("a number typed in any plain spelling reads back as the same number (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.boolean(), (n, grouped) => {
        const text = grouped ? n.toLocaleString("en-US") : String(n);
        expect(parseTyped(text)).toBe(n);
      }),
      { seed: 12, numRuns: 200 },
    );
  });

  it("problems are kept per sheet by normalised address, and cleared", () => {
    clearProblems();
    publishProblems("客户档案", [{ address: "$c$7", message: "无法识别的值" }]);
    publishProblems("回款", [{ address: "B2", message: "x" }]);
    expect(currentProblems().get("客户档案")?.get("C7")).toBe("无法识别的值");
    publishProblems("回款", []);
    expect([...currentProblems().keys()]).toEqual(["客户档案"]);
    clearProblems();
    expect(currentProblems().size).toBe(0);
  });
});
