/**
 * Excel adapter against office-addin-mock: results and the number of context.sync() calls.
 * The mock objects below model only what the Excel JS API documents for the calls the adapter
 * makes (docs/platform.md: keep the adapter thin, hand-written mocks can hide typos — so every
 * property the adapter reads is loaded through the mock, which reports unloaded reads).
 */
import { describe, expect, it } from "vitest";
import { ExcelWorkbook } from "./excel.js";
import { CELLS_PER_SYNC, STATE_SHEET, type CellValue } from "./port.js";
import { fakeExcel } from "./fakeExcel.test-util.js";

function accountsSheet(rows: number, cols: number): CellValue[][] {
  const header = Array.from({ length: cols }, (_, j) => (j === 0 ? "客户名称" : `列${j}`));
  return [header, ...Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (j === 0 ? `客户${i + 1}` : i * cols + j)))];
}

describe("ExcelWorkbook (office-addin-mock)", () => {
  it("reads 10,000 rows × 30 columns with state, writes back a column and the state: 3 syncs in all", async () => {
    const x = fakeExcel({ Accounts: accountsSheet(10_000, 30) });
    const wb = new ExcelWorkbook(x.run);
    const read = await wb.read({ tables: [{ sheet: "Accounts" }], state: ["sync:accounts"] });
    const t = read.tables[0]!;
    expect(t.header[0]).toBe("客户名称");
    expect(t.rows).toHaveLength(10_000);
    // row 9,999 (0-based), column 29: i*cols + j = 9999*30 + 29 = 299,999
    expect(t.rows[9_999]![29]).toBe(299_999);
    expect(read.state["sync:accounts"]).toBeUndefined();
    expect(x.syncs).toBe(2);

    await wb.apply([
      { kind: "values", sheet: "Accounts", row: 1, col: 30, values: t.rows.map((r) => [String(r[0]) + "✓"]) },
      { kind: "state", key: "sync:accounts", value: '{"v":1}' },
    ]);
    expect(x.syncs).toBe(3);
    expect(x.grids.get("Accounts")![10_000]![30]).toBe("客户10000✓");
    expect(x.visibility.get(STATE_SHEET)).toBe("VeryHidden");
  });

  it("splits a read past CELLS_PER_SYNC cells into payload-sized syncs (20,000 × 30 = 600,000 cells)", async () => {
    const x = fakeExcel({ Big: accountsSheet(20_000, 30) });
    const wb = new ExcelWorkbook(x.run);
    const read = await wb.read({ tables: [{ sheet: "Big" }] });
    expect(read.tables[0]!.rows).toHaveLength(20_000);
    // 20,001 rows × 30 = 600,030 cells; 300,030 cells per sync → 10,001 rows per chunk → 2 chunks + 1 shape sync
    expect(x.syncs).toBe(3);
    expect(x.maxCellsPerSync).toBeLessThanOrEqual(CELLS_PER_SYNC);
  });

  it("keeps a 70,000-character baseline in chunks on the very-hidden sheet and reads it back", async () => {
    const x = fakeExcel({ Accounts: accountsSheet(2, 2) });
    const wb = new ExcelWorkbook(x.run);
    const big = "x".repeat(70_000);
    await wb.apply([{ kind: "state", key: "k1", value: big }, { kind: "state", key: "k2", value: "small" }]);
    // 70,000 / 30,000 → 3 chunks: key, count, 3 cells
    expect(x.grids.get(STATE_SHEET)![0]!.slice(0, 2)).toEqual(["k1", 3]);
    const fresh = new ExcelWorkbook(x.run);
    x.resetSyncs();
    const r = await fresh.read({ state: ["k1", "k2", "k3"] });
    expect(r.state).toEqual({ k1: big, k2: "small", k3: undefined });
    expect(x.syncs).toBe(1);
    // overwrite k1 with a shorter value: the old chunk cells are cleared
    await fresh.apply([{ kind: "state", key: "k1", value: "short" }]);
    expect(x.grids.get(STATE_SHEET)![0]!.slice(0, 5)).toEqual(["k1", 1, "short", "", ""]);
  });

  it("writes formulas with their English ids, quotes text that looks like a formula, clears on null", async () => {
    const x = fakeExcel({ S: [["a", "b", "c"], [1, 2, 3]] });
    const wb = new ExcelWorkbook(x.run);
    await wb.apply([{ kind: "values", sheet: "S", row: 1, col: 0, values: [[{ formula: "KAM.GRADE(D2:J2)" }, "=not a formula", null]] }]);
    expect(x.formulas.get("S!1,0")).toBe("=KAM.GRADE(D2:J2)");
    expect(x.grids.get("S")![1]![1]).toBe("=not a formula");
    expect(x.grids.get("S")![1]![2]).toBe("");
    // a cold adapter probes once whether the sheet exists, then writes
    expect(x.syncs).toBe(2);
    await wb.apply([{ kind: "values", sheet: "S", row: 2, col: 0, values: [[1]] }]);
    expect(x.syncs).toBe(3);
  });

  it("answers undefined for a missing sheet and adds sheets, formats, validation, a chart and hidden columns in one apply", async () => {
    const x = fakeExcel({ S: [["h"], [1]] });
    const wb = new ExcelWorkbook(x.run);
    const r = await wb.read({ tables: [{ sheet: "Nope" }] });
    expect(r.tables[0]).toBeUndefined();
    x.resetSyncs();
    await wb.apply([
      { kind: "ensureSheet", sheet: "Scorecard 2026-Q1", activate: true },
      { kind: "values", sheet: "Scorecard 2026-Q1", row: 0, col: 0, values: [["经理", "总分"], ["张三", 90]] },
      { kind: "gradeFormat", sheet: "Scorecard 2026-Q1", address: "B2:B2", rules: [{ equals: "A", fill: "#C6EFCE" }] },
      { kind: "listValidation", sheet: "Scorecard 2026-Q1", address: "C2:C3", list: ["强", "较强"] },
      { kind: "chart", sheet: "Scorecard 2026-Q1", type: "columnClustered", dataAddress: "A1:B2", title: "Totals", anchor: "E2" },
      { kind: "hideColumns", sheet: "Scorecard 2026-Q1", col: 0, cols: 1 },
    ]);
    // one probe sync (does the sheet exist?) + one write sync
    expect(x.syncs).toBe(2);
    expect(x.log).toContain("add Scorecard 2026-Q1");
    expect(x.log).toContain('cf CellValue Scorecard 2026-Q1!B2 EqualTo="A" #C6EFCE');
    expect(x.log).toContain("list Scorecard 2026-Q1!C2:C3 强,较强");
    expect(x.log).toContain("hide Scorecard 2026-Q1!A:A");
    expect(x.log.some((l) => l.startsWith("chart ColumnClustered") && l.includes('"Totals" at E2'))).toBe(true);
    expect(x.grids.get("Scorecard 2026-Q1")![1]).toEqual(["张三", 90]);
  });

  it("lists visible sheets only (the state sheet stays hidden)", async () => {
    const x = fakeExcel({ A: [["h"]], B: [["h"]] });
    const wb = new ExcelWorkbook(x.run);
    await wb.apply([{ kind: "state", key: "k", value: "v" }]);
    const sheets = await wb.listSheets();
    expect(sheets.map((s) => s.name)).toEqual(["A", "B"]);
  });

  it("reports hidden and filtered rows (visible view of the first column, no extra sync)", async () => {
    const x = fakeExcel({ S: [["h1", "h2"], [1, 2], [3, 4], [5, 6]] });
    x.hidden.add("S!2");
    const wb = new ExcelWorkbook(x.run);
    const t = (await wb.read({ tables: [{ sheet: "S" }] })).tables[0]!;
    expect(t.hidden).toEqual([false, true, false]);
    expect(x.syncs).toBe(2);
    // all data rows hidden (the header row shown): the same answer
    x.hidden.add("S!1"); x.hidden.add("S!3");
    expect((await wb.read({ tables: [{ sheet: "S" }] })).tables[0]!.hidden).toEqual([true, true, true]);
    // none hidden: no visible view needed
    x.hidden.clear();
    expect((await wb.read({ tables: [{ sheet: "S" }] })).tables[0]!.hidden).toEqual([false, false, false]);
  });

  it("marks problem cells with a fill and a note (ExcelApi 1.18), unmarks them restoring the own fill, and keeps the user's notes", async () => {
    const x = fakeExcel({ S: [["h1", "h2"], [1, 2], [3, 4]] });
    x.fills.set("S!A2", "#00B0F0");
    const wb = new ExcelWorkbook(x.run, () => true);
    const before = await wb.mark("S", [{ address: "A2", note: "待定 不是金额" }, { address: "B3", note: "x" }], []);
    expect(before).toEqual({ A2: "#00B0F0", B3: null });
    expect(x.fills.get("S!A2")).toBe("#FFC7CE");
    expect(x.notes.get("S!A2")).toBe("KAM: 待定 不是金额");
    expect(x.syncs).toBe(2);
    await wb.mark("S", [], [{ address: "A2", fill: "#00B0F0" }, { address: "B3", fill: null }]);
    expect(x.fills.get("S!A2")).toBe("#00B0F0");
    expect(x.fills.has("S!B3")).toBe(false);
    expect(x.notes.size).toBe(0);
  });

  it("without cell notes (Office 2021 and older) the message goes into the data-validation input prompt", async () => {
    const x = fakeExcel({ S: [["h1"], [1]] });
    const wb = new ExcelWorkbook(x.run, () => false);
    await wb.mark("S", [{ address: "A2", note: "bad" }], []);
    expect(x.prompts.get("S!A2")).toBe("bad");
    expect(x.notes.size).toBe(0);
    await wb.mark("S", [], [{ address: "A2", fill: null }]);
    expect(x.prompts.has("S!A2")).toBe(false);
  });
});
