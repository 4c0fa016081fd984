/**
 * Excel adapter against office-addin-mock: results and the number of context.sync() calls.
 * The mock objects below model only what the Excel JS API documents for the calls the adapter
 * makes (OFFICE.md: keep the adapter thin, hand-written mocks can hide typos — so every
 * property the adapter reads is loaded through the mock, which reports unloaded reads).
 */
import { describe, expect, it } from "vitest";
import { OfficeMockObject } from "office-addin-mock";
import { ExcelWorkbook, type ExcelRun } from "./excel.js";
import { CELLS_PER_SYNC, STATE_SHEET, rangeAddress, parseAddress, type CellValue } from "./port.js";

type Grid = (CellValue | undefined)[][];

function fakeExcel(initial: Record<string, CellValue[][]>) {
  const grids = new Map<string, Grid>(Object.entries(initial).map(([k, v]) => [k, v.map((r) => [...r])]));
  const visibility = new Map<string, string>([...grids.keys()].map((k) => [k, "Visible"]));
  const formulas = new Map<string, string>(); // "sheet!r,c" → formula text written
  let syncs = 0;
  let maxCellsPerSync = 0;
  let cellsThisSync = 0;
  const pending: Array<() => void> = [];
  const mocks: OfficeMockObject[] = [];
  const log: string[] = [];

  const cell = (s: string, r: number, c: number): CellValue => grids.get(s)?.[r]?.[c] ?? "";
  const setCell = (s: string, r: number, c: number, v: CellValue) => {
    const g = grids.get(s)!;
    while (g.length <= r) g.push([]);
    g[r]![c] = v;
  };
  const used = (s: string) => {
    const g = grids.get(s) ?? [];
    let r0 = Infinity, r1 = -1, c0 = Infinity, c1 = -1;
    g.forEach((row, r) => row.forEach((v, c) => {
      if (v === undefined || v === null || v === "") return;
      r0 = Math.min(r0, r); r1 = Math.max(r1, r); c0 = Math.min(c0, c); c1 = Math.max(c1, c);
    }));
    return r1 < 0 ? undefined : { row: r0, col: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1 };
  };
  const track = <T extends OfficeMockObject>(m: T) => (mocks.push(m), m);

  function range(sheet: string, row: number, col: number, rows: number, cols: number, isNull = false) {
    const block = () => Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => cell(sheet, row + i, col + j)));
    const values = isNull ? [] : block();
    const fs = isNull ? [] : values.map((l, i) => l.map((v, j) => formulas.get(`${sheet}!${row + i},${col + j}`) ?? v));
    const m = track(new OfficeMockObject({
      isNullObject: isNull, address: `${sheet}!${rangeAddress(row, col, rows, cols)}`,
      rowIndex: row, columnIndex: col, rowCount: rows, columnCount: cols, values, formulas: fs,
      load(this: OfficeMockObject, p: string) {
        if (p.includes("values")) cellsThisSync += rows * cols;
        return OfficeMockObject.prototype.load.call(this, p);
      },
      clear() { pending.push(() => { for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) setCell(sheet, row + i, col + j, ""); }); },
      conditionalFormats: {
        clearAll() { log.push(`cf.clear ${sheet}`); },
        add(type: string) {
          const cf = { cellValue: { format: { fill: { color: "" }, font: { color: "" } }, rule: {} as Record<string, string> } };
          pending.push(() => log.push(`cf ${type} ${sheet}!${rangeAddress(row, col, rows, cols)} ${cf.cellValue.rule.operator}${cf.cellValue.rule.formula1} ${cf.cellValue.format.fill.color}`));
          return cf;
        },
      },
      dataValidation: { clear() {}, rule: {} },
    }) as OfficeMockObject & Record<string, unknown>);
    pending.push(() => {
      const w = m as unknown as { formulas: unknown; values: unknown; dataValidation: { rule: { list?: { source: string } } } };
      const written = w.formulas !== fs && Array.isArray(w.formulas) ? (w.formulas as unknown[][]) : w.values !== values && Array.isArray(w.values) ? (w.values as unknown[][]) : undefined;
      if (written) {
        cellsThisSync += rows * cols;
        written.forEach((l, i) => l.forEach((v, j) => {
          const k = `${sheet}!${row + i},${col + j}`;
          if (typeof v === "string" && v.startsWith("=")) { formulas.set(k, v); setCell(sheet, row + i, col + j, `(formula)`); }
          else { formulas.delete(k); setCell(sheet, row + i, col + j, typeof v === "string" && v.startsWith("'") ? v.slice(1) : (v as CellValue)); }
        }));
      }
      if (w.dataValidation.rule.list) log.push(`list ${sheet}!${rangeAddress(row, col, rows, cols)} ${w.dataValidation.rule.list.source}`);
    });
    return m;
  }

  function worksheet(name: string) {
    const exists = grids.has(name);
    const m = track(new OfficeMockObject({
      name, isNullObject: !exists, visibility: visibility.get(name) ?? "Visible",
      getUsedRangeOrNullObject() {
        const u = used(name);
        return u ? range(name, u.row, u.col, u.rows, u.cols) : range(name, 0, 0, 0, 0, true);
      },
      getRangeByIndexes(r: number, c: number, rows: number, cols: number) { return range(name, r, c, rows, cols); },
      getRange(a: string) { const p = parseAddress(a)!; return range(name, p.row, p.col, p.rows, p.cols); },
      activate() { log.push(`activate ${name}`); },
      freezePanes: { freezeRows(n: number) { log.push(`freeze ${name} ${n}`); } },
      charts: {
        items: [],
        load() {},
        add(type: string, src: { address: string }) {
          const chart = { name: "", title: { text: "" }, setPosition(a: string) { pending.push(() => log.push(`chart ${type} ${src.address} "${chart.title.text}" at ${a}`)); } };
          return chart;
        },
      },
    }));
    pending.push(() => {
      const v = (m as unknown as { visibility: string }).visibility;
      if (grids.has(name) && typeof v === "string" && !v.startsWith("Error") && v !== visibility.get(name)) visibility.set(name, v);
    });
    return m;
  }

  const context = new OfficeMockObject({
    workbook: {
      worksheets: {
        items: [] as unknown[],
        load(this: { items: unknown[] }) {
          this.items = [...grids.keys()].map((n) => ({ name: n, visibility: visibility.get(n) }));
        },
        getItemOrNullObject: (n: string) => worksheet(n),
        getItem: (n: string) => worksheet(n),
        add(n: string) { grids.set(n, []); visibility.set(n, "Visible"); log.push(`add ${n}`); return worksheet(n); },
      },
      tables: { items: [] as unknown[], load(this: { items: unknown[] }) { this.items = []; }, getItemOrNullObject: () => new OfficeMockObject({ isNullObject: true }) },
    },
    async sync() {
      syncs++;
      // writes are taken before the mock's sync, which re-reads loaded properties
      for (const p of pending.splice(0)) p();
      for (const m of mocks.splice(0)) await m.sync();
      maxCellsPerSync = Math.max(maxCellsPerSync, cellsThisSync);
      cellsThisSync = 0;
    },
  });
  const run: ExcelRun = async (batch) => batch(context as unknown as Excel.RequestContext);
  return {
    run, grids, visibility, formulas, log,
    get syncs() { return syncs; },
    get maxCellsPerSync() { return maxCellsPerSync; },
    resetSyncs() { syncs = 0; maxCellsPerSync = 0; },
  };
}

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

  it("answers undefined for a missing sheet and adds sheets, formats, validation and a chart in one apply", async () => {
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
    ]);
    // one probe sync (does the sheet exist?) + one write sync
    expect(x.syncs).toBe(2);
    expect(x.log).toContain("add Scorecard 2026-Q1");
    expect(x.log).toContain('cf CellValue Scorecard 2026-Q1!B2 EqualTo="A" #C6EFCE');
    expect(x.log).toContain("list Scorecard 2026-Q1!C2:C3 强,较强");
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
});
