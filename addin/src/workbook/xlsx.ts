/**
 * xlsx adapter of the workbook port: exceljs, in the browser (preview mode) and in
 * Node (tests, bench). Open from an ArrayBuffer, save to an ArrayBuffer.
 *
 * exceljs cannot create charts and drops existing charts, pivots and macros when it rewrites a
 * file (docs/contracts.md §12): `openXlsx` records what the opened file held
 * so the pane warns before download, and chart requests are kept in `charts` for the pane to draw.
 */
import ExcelJS from "exceljs";
import { EXCEL_ERROR, evalPure, functionIdOf, isKamError, isStoreFunction, type ExcelCell, type FnResult, type Lang } from "../../../shared/src/index.js";
import {
  STATE_SHEET,
  chunkState,
  parseAddress,
  toTableData,
  type CellInput,
  type CellValue,
  type ChartType,
  type ReadRequest,
  type ReadResult,
  type SheetInfo,
  type TableData,
  type TableRef,
  type WorkbookPort,
  type WriteOp,
  columnIndex,
  MARK_FILL,
  type CellMark,
  type CellUnmark,
} from "./port.js";
import { BOX_COLUMN_WIDTH, BOX_ROW_HEIGHT, type BoxSpec } from "./port.js";

/** Parts of an .xlsx that exceljs does not keep when it saves (id → zip path prefix). */
const DROPPED_PARTS: ReadonlyArray<[kind: DroppedKind, marker: string]> = [
  ["charts", "xl/charts/"],
  ["pivots", "xl/pivotTables/"],
  ["macros", "xl/vbaProject.bin"],
  ["slicers", "xl/slicers/"],
];
export type DroppedKind = "charts" | "pivots" | "macros" | "slicers";

export interface ChartRequest {
  sheet: string;
  type: ChartType;
  dataAddress: string;
  title: string;
  anchor: string;
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

export class XlsxWorkbook implements WorkbookPort {
  readonly kind = "xlsx" as const;
  /** Charts asked for: exceljs cannot write them, the pane draws them (preview mode). */
  readonly charts: ChartRequest[] = [];
  /**
   * Display language for the cached results of `=KAM.*` formulas (preview mode: the pane's
   * language stands in for Excel's, docs/contracts.md §1.4); a call's own `lang` argument wins.
   */
  lang: Lang = "zh";

  constructor(
    readonly workbook: ExcelJS.Workbook,
    /** What the opened file held that saving will drop (warn before download). */
    readonly dropped: DroppedKind[] = [],
  ) {}

  async listSheets(): Promise<SheetInfo[]> {
    return this.workbook.worksheets
      .filter((ws) => ws.state === "visible" || ws.state === undefined)
      .map((ws) => ({ name: ws.name, tables: tablesOf(ws).map((t) => t.name) }));
  }

  async read(request: ReadRequest): Promise<ReadResult> {
    const tables = (request.tables ?? []).map((ref) => this.readOne(ref));
    const state: Record<string, string | undefined> = {};
    for (const key of request.state ?? []) state[key] = this.readState(key);
    return { tables, state };
  }

  async selection(): Promise<TableRef | undefined> {
    return undefined;
  }

  /** Problem marks: a solid fill and a cell note (exceljs writes notes into any .xlsx). */
  async mark(sheet: string, set: CellMark[], clear: CellUnmark[]): Promise<Record<string, string | null>> {
    const ws = this.workbook.getWorksheet(sheet);
    const before: Record<string, string | null> = {};
    if (!ws) return before;
    for (const c of clear) {
      const cell = ws.getCell(c.address);
      if (c.fill === null) cell.style = { ...cell.style, fill: undefined as unknown as ExcelJS.Fill };
      else cell.fill = JSON.parse(c.fill) as ExcelJS.Fill;
      cell.note = undefined as unknown as string;
    }
    for (const m of set) {
      const cell = ws.getCell(m.address);
      const fill = cell.fill as ExcelJS.Fill | undefined;
      before[m.address] = fill && !(fill.type === "pattern" && fill.pattern === "none") ? JSON.stringify(fill) : null;
      // A style object may be shared between cells: give this cell its own before changing it.
      cell.style = { ...cell.style, fill: { type: "pattern", pattern: "solid", fgColor: { argb: argb(MARK_FILL) } } };
      cell.note = m.note;
    }
    return before;
  }

  async apply(ops: WriteOp[]): Promise<void> {
    const written: FormulaCell[] = [];
    for (const op of ops) this.applyOne(op, written);
    if (written.length) this.cacheKamResults(written);
  }

  /**
   * Preview mode has no calculation engine: exceljs stores formulas without results, so a chart,
   * the pane and the downloaded file would show 0 / nothing. For the `=KAM.*` formulas the pane
   * itself writes (a top-level call of a PURE function whose arguments are cell references,
   * ranges, literals or HSTACK of cells — `parseKamFormula`), compute the value with the same
   * shared engine the custom functions use (`evalPure`) and store it as the cell's cached result
   * (`{formula, result}`), in write order so a formula may use one written before it.
   *
   * Honest limits: anything else (IF(...), arithmetic, store-backed KAM.COLLECTION/TARGET/ACCOUNT)
   * keeps no cached value; a spilled result caches its top-left cell only (the spill appears when
   * Excel recalculates); a cached value is as of the write — the workbook is marked to recalculate
   * fully when Excel opens it, so Excel's own results replace these.
   */
  private cacheKamResults(cells: FormulaCell[]): void {
    this.workbook.calcProperties = { ...(this.workbook.calcProperties ?? {}), fullCalcOnLoad: true };
    let budget = PREVIEW_EVAL_CELL_BUDGET;
    const rangeCache = new Map<string, ExcelCell[][]>();
    for (const c of cells) {
      const call = parseKamFormula(c.formula);
      if (!call) continue;
      const args: unknown[] = [];
      let ok = true;
      for (const a of call.args) {
        const v = this.argValue(a, c.sheet, rangeCache, (n) => (budget -= n) >= 0);
        if (v === NO_VALUE) { ok = false; break; }
        args.push(v);
      }
      if (!ok) continue;
      const cell = this.workbook.getWorksheet(c.sheet)?.getCell(c.row + 1, c.col + 1);
      if (!cell) continue;
      cell.value = { formula: c.formula.replace(/^=/, ""), result: toCachedResult(evalPure(call.fn, args, this.lang)) } as ExcelJS.CellFormulaValue;
    }
  }

  private argValue(a: FormulaArg, sheet: string, cache: Map<string, ExcelCell[][]>, spend: (cells: number) => boolean): unknown {
    switch (a.kind) {
      case "value":
        return a.value;
      case "range": {
        const key = `${a.sheet ?? sheet}!${a.row},${a.col},${a.rows},${a.cols}`;
        const hit = cache.get(key);
        if (hit) return hit;
        if (!spend(a.rows * a.cols)) return NO_VALUE;
        const ws = this.workbook.getWorksheet(a.sheet ?? sheet);
        if (!ws) return NO_VALUE;
        const m: ExcelCell[][] = [];
        for (let i = 0; i < a.rows; i++) {
          const row = ws.findRow(a.row + i + 1);
          const line: ExcelCell[] = [];
          for (let j = 0; j < a.cols; j++) {
            const cell = row?.findCell(a.col + j + 1);
            line.push(toArgCell(cell ? valueOf(cell) : null));
          }
          m.push(line);
        }
        cache.set(key, m);
        return m;
      }
      case "hstack": {
        const line: ExcelCell[] = [];
        for (const item of a.items) {
          const v = this.argValue(item, sheet, cache, spend);
          if (v === NO_VALUE) return NO_VALUE;
          if (Array.isArray(v)) for (const r of v as ExcelCell[][]) line.push(...r);
          else line.push(v as ExcelCell);
        }
        return [line];
      }
    }
  }

  async save(): Promise<ArrayBuffer> {
    const buf = await this.workbook.xlsx.writeBuffer();
    return toArrayBuffer(buf as ArrayBuffer | Uint8Array);
  }

  private readOne(ref: TableRef): TableData | undefined {
    if (ref.table !== undefined) {
      for (const ws of this.workbook.worksheets) {
        const t = tablesOf(ws).find((x) => x.name === ref.table);
        if (t) {
          const a = parseAddress(t.ref);
          if (!a) return undefined;
          const b = readBlock(ws, a.row, a.col, a.rows, a.cols);
          return toTableData(ws.name, a.row, a.col, b.values, b.formulas, hiddenRows(ws, a.row, a.rows));
        }
      }
      return undefined;
    }
    const ws = this.workbook.getWorksheet(ref.sheet);
    if (!ws) return undefined;
    let block: { row: number; col: number; rows: number; cols: number };
    if (ref.range) {
      const a = parseAddress(ref.range);
      if (!a) return undefined;
      block = a;
    } else {
      const dims = usedBlock(ws);
      if (!dims) return { sheet: ws.name, row: 0, col: 0, header: [], rows: [] };
      block = dims;
    }
    const b = readBlock(ws, block.row, block.col, block.rows, block.cols);
    return toTableData(ws.name, block.row, block.col, b.values, b.formulas, hiddenRows(ws, block.row, block.rows));
  }

  private stateSheet(create: boolean): ExcelJS.Worksheet | undefined {
    let ws = this.workbook.getWorksheet(STATE_SHEET);
    if (!ws && create) {
      ws = this.workbook.addWorksheet(STATE_SHEET);
      ws.state = "veryHidden";
    }
    return ws;
  }

  private readState(key: string): string | undefined {
    const ws = this.stateSheet(false);
    if (!ws) return undefined;
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      if (row.getCell(1).value === key) {
        const n = Number(row.getCell(2).value ?? 0);
        let s = "";
        for (let i = 0; i < n; i++) s += String(row.getCell(3 + i).value ?? "");
        return s;
      }
    }
    return undefined;
  }

  private writeState(key: string, value: string | undefined): void {
    const ws = this.stateSheet(value !== undefined);
    if (!ws) return;
    let target = -1;
    for (let r = 1; r <= ws.rowCount; r++) {
      const v = ws.getRow(r).getCell(1).value;
      if (v === key) target = r;
    }
    if (target < 0) {
      if (value === undefined) return;
      target = ws.rowCount + 1;
    }
    const row = ws.getRow(target);
    const old = Number(row.getCell(2).value ?? 0);
    for (let i = 0; i < old; i++) row.getCell(3 + i).value = null;
    if (value === undefined) {
      row.getCell(1).value = null;
      row.getCell(2).value = null;
      return;
    }
    const chunks = chunkState(value);
    row.getCell(1).value = key;
    row.getCell(2).value = chunks.length;
    chunks.forEach((c, i) => (row.getCell(3 + i).value = c));
    row.commit();
  }

  private sheet(name: string): ExcelJS.Worksheet {
    return this.workbook.getWorksheet(name) ?? this.workbook.addWorksheet(name);
  }

  private applyOne(op: WriteOp, written: FormulaCell[]): void {
    switch (op.kind) {
      case "ensureSheet": {
        const ws = this.sheet(op.sheet);
        if (op.activate) {
          this.workbook.views = [{ ...(this.workbook.views?.[0] ?? {}), activeTab: this.workbook.worksheets.indexOf(ws) } as ExcelJS.WorkbookView];
        }
        return;
      }
      case "renameSheet": {
        const ws = this.workbook.getWorksheet(op.sheet);
        if (ws) ws.name = op.to;
        return;
      }
      case "values": {
        const ws = this.sheet(op.sheet);
        op.values.forEach((line, i) => {
          const row = ws.getRow(op.row + i + 1);
          line.forEach((v, j) => {
            row.getCell(op.col + j + 1).value = toExcelJs(v);
            if (v !== null && typeof v === "object") written.push({ sheet: op.sheet, row: op.row + i, col: op.col + j, formula: v.formula });
          });
        });
        return;
      }
      case "clear": {
        const ws = this.workbook.getWorksheet(op.sheet);
        if (!ws) return;
        for (let i = 0; i < op.rows; i++) {
          const row = ws.getRow(op.row + i + 1);
          for (let j = 0; j < op.cols; j++) row.getCell(op.col + j + 1).value = null;
        }
        return;
      }
      case "state":
        this.writeState(op.key, op.value);
        return;
      case "gradeFormat": {
        const ws = this.sheet(op.sheet);
        ws.addConditionalFormatting({
          ref: op.address,
          rules: op.rules.map((r, i) => ({
            type: "cellIs",
            operator: "equal",
            priority: i + 1,
            formulae: [`"${r.equals.replace(/"/g, '""')}"`],
            style: {
              fill: { type: "pattern", pattern: "solid", bgColor: { argb: argb(r.fill) } },
              ...(r.font ? { font: { color: { argb: argb(r.font) } } } : {}),
            },
          })),
        });
        return;
      }
      case "listValidation": {
        const ws = this.sheet(op.sheet);
        const a = parseAddress(op.address);
        if (!a) return;
        // Excel's inline list is limited to 255 characters; labels of every enum fit (labels.ts).
        const formula = `"${op.list.map((x) => x.replace(/"/g, '""')).join(",")}"`;
        for (let i = 0; i < a.rows; i++) {
          for (let j = 0; j < a.cols; j++) {
            ws.getCell(a.row + i + 1, a.col + j + 1).dataValidation = {
              type: "list",
              allowBlank: true,
              formulae: [formula],
              // Excel limits the prompt title to 32 characters and its text to 255.
              ...(op.prompt ? { showInputMessage: true, promptTitle: op.prompt.title.slice(0, 32), prompt: op.prompt.message.slice(0, 255) } : {}),
            };
          }
        }
        return;
      }
      case "chart":
        this.charts.splice(
          0,
          this.charts.length,
          ...this.charts.filter((c) => !(c.sheet === op.sheet && c.anchor === op.anchor)),
          { sheet: op.sheet, type: op.type, dataAddress: op.dataAddress, title: op.title, anchor: op.anchor },
        );
        return;
      case "freezeHeader": {
        const ws = this.sheet(op.sheet);
        ws.views = [{ state: "frozen", ySplit: 1 }];
        return;
      }
      case "numberFormat": {
        const ws = this.sheet(op.sheet);
        const a = parseAddress(op.address);
        if (!a) return;
        for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) ws.getCell(a.row + i + 1, a.col + j + 1).numFmt = op.format;
        return;
      }
      case "hideColumns": {
        const ws = this.sheet(op.sheet);
        for (let j = 0; j < op.cols; j++) ws.getColumn(op.col + j + 1).hidden = true;
        return;
      }
    }
  }

  /** Preview mode has no shapes (exceljs cannot write them): boxes are filled, bordered, wrapped cells. */
  async drawBoxes(sheet: string, boxes: readonly BoxSpec[]): Promise<"cells"> {
    const ws = this.workbook.getWorksheet(sheet) ?? this.workbook.addWorksheet(sheet);
    const argb = (hex: string) => `FF${hex.replace("#", "").toUpperCase()}`;
    const thin = { style: "thin" as const, color: { argb: "FF605E5C" } };
    for (const b of boxes) {
      const cell = ws.getCell(b.row + 1, b.col + 1);
      cell.value = b.text;
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(b.fill) } };
      cell.font = { color: { argb: argb(b.font) }, size: 10 };
      cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
      cell.border = { top: thin, left: thin, bottom: thin, right: thin };
      const col = ws.getColumn(b.col + 1);
      col.width = Math.max(col.width ?? 0, BOX_COLUMN_WIDTH);
      const row = ws.getRow(b.row + 1);
      row.height = Math.max(row.height ?? 0, BOX_ROW_HEIGHT);
    }
    return "cells";
  }
}

interface FormulaCell { sheet: string; row: number; col: number; formula: string }

/**
 * At most this many referenced cells are read to cache KAM results in one `apply` (a 10,000-row
 * KAM.ABC column references its whole revenue column from every row: 10⁸ cells). Beyond it the
 * remaining formulas keep no cached value and Excel computes them on open.
 */
export const PREVIEW_EVAL_CELL_BUDGET = 2_000_000;

const NO_VALUE = Symbol("no value");

/** An argument of a KAM call the adapter can evaluate. 0-based rows and columns. */
export type FormulaArg =
  | { kind: "value"; value: string | number | boolean | null }
  | { kind: "range"; sheet?: string; row: number; col: number; rows: number; cols: number }
  | { kind: "hstack"; items: FormulaArg[] };

/**
 * `=KAM.VALUE(F2:L2)` → `{fn: "VALUE", args: [range]}`; undefined for anything that is not one
 * top-level call of a pure KAM function with simple arguments (see `cacheKamResults`).
 */
export function parseKamFormula(formula: string): { fn: string; args: FormulaArg[] } | undefined {
  const m = /^=?\s*KAM\.([A-Z.]+)\((.*)\)\s*$/is.exec(formula);
  if (!m) return undefined;
  const [, name = "", argText = ""] = m;
  const id = functionIdOf(name);
  if (!id || isStoreFunction(id)) return undefined;
  const parts = splitArgs(argText);
  if (!parts) return undefined;
  const args: FormulaArg[] = [];
  for (const p of parts) {
    const a = parseArg(p);
    if (!a) return undefined;
    args.push(a);
  }
  return { fn: id, args };
}

/** Split at top-level commas (outside quotes and parentheses); undefined when unbalanced. */
function splitArgs(s: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0, quoted = false, cur = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    if (quoted) {
      cur += ch;
      if (ch === '"') {
        if (s[i + 1] === '"') { cur += '"'; i++; } else quoted = false;
      }
      continue;
    }
    if (ch === '"') { quoted = true; cur += ch; continue; }
    if (ch === "'") {
      // a quoted sheet name: copy through its closing quote ('' escapes a quote)
      const end = s.indexOf("'", i + 1);
      if (end < 0) return undefined;
      let j = end;
      while (s[j + 1] === "'") { const k = s.indexOf("'", j + 2); if (k < 0) return undefined; j = k; }
      cur += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if (ch === "(") depth++;
    if (ch === ")") { depth--; if (depth < 0) return undefined; }
    if (ch === "," && depth === 0) { out.push(cur.trim()); cur = ""; continue; }
    cur += ch;
  }
  if (quoted || depth !== 0) return undefined;
  if (cur.trim() !== "" || out.length) out.push(cur.trim());
  return out;
}

const REF = /^(?:(?:'((?:[^']|'')+)'|([^'!:(),"]+))!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/i;

function parseArg(p: string): FormulaArg | undefined {
  if (p === "") return { kind: "value", value: null };
  if (/^"(?:[^"]|"")*"$/.test(p)) return { kind: "value", value: p.slice(1, -1).replace(/""/g, '"') };
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(p)) return { kind: "value", value: Number(p) };
  if (/^TRUE$/i.test(p)) return { kind: "value", value: true };
  if (/^FALSE$/i.test(p)) return { kind: "value", value: false };
  const h = /^HSTACK\((.*)\)$/is.exec(p);
  if (h) {
    const parts = splitArgs(h[1] ?? "");
    if (!parts || !parts.length) return undefined;
    const items: FormulaArg[] = [];
    for (const q of parts) {
      const a = parseArg(q);
      if (!a || a.kind === "hstack") return undefined;
      items.push(a);
    }
    return { kind: "hstack", items };
  }
  const r = REF.exec(p);
  if (!r) return undefined;
  const sheet = r[1] !== undefined ? r[1].replace(/''/g, "'") : r[2]?.trim();
  const [, , , colA = "", rowA = ""] = r;
  const r1 = +rowA - 1, c1 = columnIndex(colA);
  const r2 = r[6] ? +r[6] - 1 : r1, c2 = r[5] ? columnIndex(r[5]) : c1;
  if (r1 < 0 || r2 < 0) return undefined;
  return { kind: "range", ...(sheet ? { sheet } : {}), row: Math.min(r1, r2), col: Math.min(c1, c2), rows: Math.abs(r2 - r1) + 1, cols: Math.abs(c2 - c1) + 1 };
}

/** A referenced cell as Excel hands it to a custom function: errors as error objects. */
function toArgCell(v: ExcelJS.CellValue): ExcelCell {
  if (v && typeof v === "object" && !(v instanceof Date)) {
    if ("error" in v) return { code: String((v as { error: string }).error) };
    const res = (v as { result?: unknown }).result;
    if (res && typeof res === "object" && "error" in res) return { code: String((res as { error: string }).error) };
  }
  return fromExcelJs(v);
}

/** The engine's answer as an exceljs cached result: the top-left of a matrix; errors as Excel errors. */
function toCachedResult(r: FnResult): ExcelJS.CellFormulaValue["result"] {
  let v: unknown = r;
  while (Array.isArray(v)) v = v[0];
  if (isKamError(v)) return { error: EXCEL_ERROR[v.code] } as ExcelJS.CellErrorValue;
  if (v === undefined || v === null) return "";
  return v as number | string | boolean;
}

/** Open an .xlsx (preview mode, tests). Never throws on a bad file: returns an error message. */
export async function openXlsx(data: ArrayBuffer | Uint8Array): Promise<{ ok: true; workbook: XlsxWorkbook } | { ok: false; message: string }> {
  try {
    const wb = new ExcelJS.Workbook();
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    await wb.xlsx.load(toArrayBuffer(bytes) as ArrayBuffer);
    return { ok: true, workbook: new XlsxWorkbook(wb, droppedParts(bytes)) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** A new empty workbook (preview mode "start from a template"). */
export function newXlsx(): XlsxWorkbook {
  const wb = new ExcelJS.Workbook();
  return new XlsxWorkbook(wb);
}

/**
 * Which parts exceljs will drop: part names are stored uncompressed in a zip's central
 * directory, so a byte search for their path prefixes is exact enough and needs no unzip.
 */
export function droppedParts(bytes: Uint8Array): DroppedKind[] {
  const text = latin1(bytes);
  return DROPPED_PARTS.filter(([, marker]) => text.includes(marker)).map(([kind]) => kind);
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) s += String.fromCharCode(...bytes.subarray(i, i + step));
  return s;
}

function toArrayBuffer(b: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (b instanceof ArrayBuffer) return b;
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

function argb(hex: string): string {
  return "FF" + hex.replace(/^#/, "").toUpperCase();
}

function tablesOf(ws: ExcelJS.Worksheet): { name: string; ref: string }[] {
  const out: { name: string; ref: string }[] = [];
  const tables = (ws as unknown as { tables?: Record<string, { table?: { name?: string; ref?: string; tableRef?: string }; name?: string; ref?: string }> }).tables ?? {};
  for (const [name, t] of Object.entries(tables)) {
    const ref = t.table?.tableRef ?? t.table?.ref ?? t.ref;
    if (ref) out.push({ name: t.table?.name ?? t.name ?? name, ref });
  }
  return out;
}

function usedBlock(ws: ExcelJS.Worksheet): { row: number; col: number; rows: number; cols: number } | undefined {
  let minR = Infinity, maxR = -1, minC = Infinity, maxC = -1;
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      if (fromExcelJs(valueOf(cell)) === null) return;
      minR = Math.min(minR, r); maxR = Math.max(maxR, r);
      minC = Math.min(minC, c); maxC = Math.max(maxC, c);
    });
  });
  if (maxR < 0) return undefined;
  return { row: minR - 1, col: minC - 1, rows: maxR - minR + 1, cols: maxC - minC + 1 };
}

/** Per row of a block (header first): hidden, or filtered out (exceljs keeps both as `hidden`). */
function hiddenRows(ws: ExcelJS.Worksheet, row: number, rows: number): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < rows; i++) out.push(ws.findRow(row + i + 1)?.hidden === true);
  return out;
}

/**
 * Reads look rows and cells up without creating them: exceljs's `getRow`/`getCell` add empty ones
 * that it then saves (`<row r="30" spans="1:702"/>`, `<dimension ref="A1:ZZ30"/>`), so a read
 * beyond the data would lengthen the file's used range and another program would append its next
 * row far below the data.
 */
function readBlock(ws: ExcelJS.Worksheet, row: number, col: number, rows: number, cols: number): { values: CellValue[][]; formulas: (string | undefined)[][] } {
  const values: CellValue[][] = [];
  const formulas: (string | undefined)[][] = [];
  for (let i = 0; i < rows; i++) {
    const r = ws.findRow(row + i + 1);
    const line: CellValue[] = [];
    const fl: (string | undefined)[] = [];
    for (let j = 0; j < cols; j++) {
      const cell = r?.findCell(col + j + 1);
      // A cell covered by a merge reads empty, as in Excel (exceljs answers the merge's top-left value).
      if (!cell || (cell.isMerged && cell.master !== cell)) { line.push(null); fl.push(undefined); continue; }
      const v = valueOf(cell);
      line.push(fromExcelJs(v));
      fl.push(formulaOf(v));
    }
    values.push(line);
    formulas.push(fl);
  }
  return { values, formulas };
}

/**
 * A cell's value with its formula result intact: exceljs's `value` getter drops falsy cached
 * results (0, FALSE, "") of formula cells; `cell.result` keeps them.
 */
function valueOf(cell: ExcelJS.Cell): ExcelJS.CellValue {
  const v = cell.value;
  if (v && typeof v === "object" && !(v instanceof Date) && ("formula" in v || "sharedFormula" in v) && !("result" in v) && cell.result !== undefined) {
    return { ...(v as object), result: cell.result } as ExcelJS.CellValue;
  }
  return v;
}

function formulaOf(v: ExcelJS.CellValue): string | undefined {
  if (v && typeof v === "object" && !(v instanceof Date)) {
    const f = (v as { formula?: string; sharedFormula?: string }).formula ?? (v as { sharedFormula?: string }).sharedFormula;
    if (typeof f === "string") return "=" + f.replace(/^=/, "");
  }
  return undefined;
}

/** exceljs cell value → Excel `values` shape (what Office.js would report). */
export function fromExcelJs(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "string") return v === "" ? null : v;
  if (v instanceof Date) return (v.getTime() - EXCEL_EPOCH_MS) / 86_400_000;
  if (typeof v === "object") {
    if ("richText" in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join("");
    if ("error" in v) return String((v as { error: string }).error);
    if ("formula" in v || "sharedFormula" in v) {
      const res = (v as { result?: unknown }).result;
      if (res === undefined || res === null) return null;
      if (typeof res === "object" && res !== null && "error" in res) return String((res as { error: string }).error);
      return fromExcelJs(res as ExcelJS.CellValue);
    }
    if ("text" in v) return String((v as { text: unknown }).text);
  }
  return String(v);
}

function toExcelJs(v: CellInput): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "object") return { formula: v.formula.replace(/^=/, "") } as ExcelJS.CellFormulaValue;
  return v;
}
