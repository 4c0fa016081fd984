/**
 * A fake Excel (office-addin-mock) for the Excel adapter's tests: grids of values per sheet, the
 * number of context.sync() calls, and the parts of the object model the adapter uses (used range,
 * values/formulas, visible view for hidden rows, fills, notes, data-validation prompts, number
 * formats). The mock objects model only what the Excel JS API documents for those calls, and every
 * property the adapter reads is loaded through the mock, which reports unloaded reads.
 */
import { OfficeMockObject } from "office-addin-mock";
import type { ExcelRun } from "./excel.js";
import { rangeAddress, parseAddress, cellAddress, columnLetter, type CellValue } from "./port.js";

type Grid = (CellValue | undefined)[][];

export function fakeExcel(initial: Record<string, CellValue[][]>) {
  const grids = new Map<string, Grid>(Object.entries(initial).map(([k, v]) => [k, v.map((r) => [...r])]));
  const visibility = new Map<string, string>([...grids.keys()].map((k) => [k, "Visible"]));
  const formulas = new Map<string, string>(); // "sheet!r,c" → formula text written
  let syncs = 0;
  let maxCellsPerSync = 0;
  let cellsThisSync = 0;
  const pending: Array<() => void> = [];
  const mocks: OfficeMockObject[] = [];
  const log: string[] = [];
  /** "sheet!row" of hidden (or filtered-out) rows. */
  const hidden = new Set<string>();
  /** "sheet!A1" → fill colour; notes; data-validation prompts; number formats. */
  const fills = new Map<string, string>();
  const notes = new Map<string, string>();
  const prompts = new Map<string, string>();
  const numberFormats = new Map<string, string>();

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
      // Setting it true hides the range's entire columns.
      columnHidden: false,
      rowHidden: (() => {
        let n = 0;
        for (let i = 0; i < rows; i++) if (hidden.has(`${sheet}!${row + i}`)) n++;
        // Excel answers null for "some"; office-addin-mock cannot hold a null property, so the
        // fake answers a non-boolean marker (the adapter treats any non-boolean as "some").
        return n === 0 ? false : n === rows ? true : "mixed";
      })(),
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
      dataValidation: { clear() {}, rule: {}, prompt: {} },
      numberFormat: [] as unknown[],
      format: {
        fill: {
          color: fills.get(`${sheet}!${cellAddress(row, col)}`) ?? "#FFFFFF",
          clear() { pending.push(() => { for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) fills.delete(`${sheet}!${cellAddress(row + i, col + j)}`); }); },
        },
      },
      getVisibleView() {
        const shown: string[][] = [];
        for (let i = 0; i < rows; i++) if (!hidden.has(`${sheet}!${row + i}`)) shown.push([`${sheet}!${cellAddress(row + i, col)}`]);
        return track(new OfficeMockObject({ cellAddresses: shown }));
      },
    }) as OfficeMockObject & Record<string, unknown>);
    const initialFill = fills.get(`${sheet}!${cellAddress(row, col)}`) ?? "#FFFFFF";
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
      if ((m as unknown as { columnHidden: unknown }).columnHidden === true) log.push(`hide ${sheet}!${columnLetter(col)}:${columnLetter(col + cols - 1)}`);
      if (w.dataValidation.rule.list) log.push(`list ${sheet}!${rangeAddress(row, col, rows, cols)} ${w.dataValidation.rule.list.source}`);
      const x = m as unknown as { format: { fill: { color: unknown } }; dataValidation: { prompt: { showPrompt?: boolean; message?: string } }; numberFormat: unknown };
      const color = x.format.fill.color;
      if (typeof color === "string" && !color.startsWith("Error") && color !== initialFill) {
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) fills.set(`${sheet}!${cellAddress(row + i, col + j)}`, color);
      }
      const prompt = x.dataValidation.prompt;
      if (prompt && typeof prompt.showPrompt === "boolean") {
        const k = `${sheet}!${cellAddress(row, col)}`;
        if (prompt.showPrompt) prompts.set(k, String(prompt.message)); else prompts.delete(k);
      }
      if (Array.isArray(x.numberFormat) && x.numberFormat.length) {
        (x.numberFormat as string[][]).forEach((l, i) => l.forEach((f, j) => numberFormats.set(`${sheet}!${cellAddress(row + i, col + j)}`, f)));
      }
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
      notes: {
        add(address: string, content: string) { pending.push(() => notes.set(`${name}!${address}`, content)); },
        getItemOrNullObject(address: string) {
          const k = `${name}!${address}`;
          return track(new OfficeMockObject({ isNullObject: !notes.has(k), content: notes.get(k) ?? "", delete() { pending.push(() => notes.delete(k)); } }));
        },
      },
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
    run, grids, visibility, formulas, log, hidden, fills, notes, prompts, numberFormats,
    get syncs() { return syncs; },
    get maxCellsPerSync() { return maxCellsPerSync; },
    resetSyncs() { syncs = 0; maxCellsPerSync = 0; },
  };
}

