/**
 * The workbook port: every read and write the pane makes goes through this one
 * small interface, so the same pages and the same sync engine run on Excel (Office.js, see
 * `excel.ts`) and in preview mode on an .xlsx opened in a plain browser (exceljs, `xlsx.ts`).
 *
 * Shape: reads are few and coarse (`read` takes several requests at once), writes are queued
 * operations applied together (`apply`), so the Excel adapter can keep a constant number of
 * `context.sync()` calls per operation whatever the row count (docs/platform.md, docs/contracts.md §12).
 */

/** A cell as read: Excel's `values` shape (dates are serial numbers, formulas give their result). */
export type CellValue = string | number | boolean | null;

/** A cell to write: a plain value, or a formula (always with English function ids, docs/platform.md). */
export type CellInput = CellValue | { formula: string };

export interface SheetInfo {
  name: string;
  /** Tables (ListObjects) on the sheet. */
  tables: string[];
}

/** What to read: a whole sheet's used range, a named table, or an A1 range on a sheet. */
export type TableRef = { sheet: string; table?: undefined; range?: string } | { table: string; sheet?: string; range?: undefined };

export interface TableData {
  sheet: string;
  /** 0-based row and column of the header cell (top-left) on the sheet. */
  row: number;
  col: number;
  header: string[];
  /** Data rows below the header, each padded to the header's width. */
  rows: CellValue[][];
  /** Formulas of the data rows, where the adapter can see them (`undefined` for plain values). */
  formulas?: (string | undefined)[][];
  /** Per data row: hidden or filtered out (both adapters report it; hiding is not an edit). */
  hidden?: boolean[];
}

/** A cell to mark as a problem (fill + note), by A1 address on its sheet. */
export interface CellMark {
  address: string;
  note: string;
}

/** A mark to take off: the cell gets back the fill it had before it was marked (`null`: none). */
export interface CellUnmark {
  address: string;
  fill: string | null;
}

/** Fill of a marked problem cell (light red, as Excel's "bad" style). */
export const MARK_FILL = "#FFC7CE";

export interface ReadRequest {
  /** Tables / ranges to read. A missing sheet or table answers `undefined`. */
  tables?: TableRef[];
  /** Keys of very-hidden state to read (the sync baseline). */
  state?: string[];
  /** Also report which data cells hold formulas (doubles the payload in Excel). */
  withFormulas?: boolean;
}

export interface ReadResult {
  tables: (TableData | undefined)[];
  state: Record<string, string | undefined>;
}

/** Colours per grade for conditional formatting. */
export interface FormatRule {
  /** The cell text that triggers the format (e.g. "A"). */
  equals: string;
  fill: string; // #RRGGBB
  font?: string; // #RRGGBB
}

export type ChartType = "columnClustered" | "barClustered" | "line" | "pie";

export type WriteOp =
  /** Create the sheet if it does not exist (no-op otherwise). */
  | { kind: "ensureSheet"; sheet: string; activate?: boolean }
  | { kind: "renameSheet"; sheet: string; to: string }
  /** Write a block of cells with its top-left at 0-based (row, col). */
  | { kind: "values"; sheet: string; row: number; col: number; values: CellInput[][] }
  /** Clear the contents of a block (used when a table shrinks). */
  | { kind: "clear"; sheet: string; row: number; col: number; rows: number; cols: number }
  | { kind: "state"; key: string; value: string | undefined }
  | { kind: "gradeFormat"; sheet: string; address: string; rules: FormatRule[] }
  /** A drop-down; `prompt` is shown when a cell is selected (the data-validation input message). */
  | { kind: "listValidation"; sheet: string; address: string; list: string[]; prompt?: { title: string; message: string } }
  | { kind: "chart"; sheet: string; type: ChartType; dataAddress: string; title: string; anchor: string }
  | { kind: "freezeHeader"; sheet: string }
  | { kind: "numberFormat"; sheet: string; address: string; format: string }
  /** Hide whole columns (0-based `col`, `cols` wide): a key column the sheet needs but no one reads. */
  | { kind: "hideColumns"; sheet: string; col: number; cols: number };

export interface WorkbookPort {
  readonly kind: "excel" | "xlsx";
  listSheets(): Promise<SheetInfo[]>;
  read(request: ReadRequest): Promise<ReadResult>;
  apply(ops: WriteOp[]): Promise<void>;
  /** The current selection as a table reference (Excel), or undefined where there is none. */
  selection(): Promise<TableRef | undefined>;
  /**
   * Mark problem cells (fill + note; where the host has no notes, a data-validation input prompt)
   * and unmark fixed ones, restoring their own fill. Answers the fill each newly marked cell had
   * (`null`: none), for the caller to keep until it unmarks the cell.
   */
  mark(sheet: string, set: CellMark[], clear: CellUnmark[]): Promise<Record<string, string | null>>;
  /**
   * Draw boxes on an existing sheet: shapes where the host has them (Excel, ExcelApi 1.9), else
   * filled, bordered, wrapped cells. Answers which it used.
   */
  drawBoxes?(sheet: string, boxes: readonly BoxSpec[]): Promise<"shapes" | "cells">;
}

/** Name of the very-hidden sheet that carries the sync baseline with the file. */
export const STATE_SHEET = "_kam_state";
/** Excel's cell text limit is 32,767 characters; state values are split in chunks below it. */
export const STATE_CHUNK_CHARS = 30_000;
/**
 * At most 3 `sync()` calls up to 10,000 rows × 30 columns; beyond, chunks stay under Excel on the
 * web's 5 MB payload (docs/contracts.md §12). One chunk of reads or writes carries at most this many cells.
 */
export const CELLS_PER_SYNC = (10_000 + 1) * 30; // 10,000 data rows + the header, × 30 columns

export function columnLetter(col: number): string {
  let n = col + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** A1 address of a 0-based cell. */
export function cellAddress(row: number, col: number): string {
  return `${columnLetter(col)}${row + 1}`;
}

/** A1 address of a block. */
export function rangeAddress(row: number, col: number, rows: number, cols: number): string {
  const a = cellAddress(row, col);
  if (rows === 1 && cols === 1) return a;
  return `${a}:${cellAddress(row + rows - 1, col + cols - 1)}`;
}

/** "B2:D10" (or "Sheet1!B2:D10") → 0-based block. */
export function parseAddress(address: string): { row: number; col: number; rows: number; cols: number } | undefined {
  const a = address.includes("!") ? address.slice(address.lastIndexOf("!") + 1) : address;
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(a.trim());
  if (!m) return undefined;
  const [, colA = "", rowA = "", colB, rowB] = m;
  const r1 = +rowA - 1, c1 = columnIndex(colA);
  const r2 = rowB ? +rowB - 1 : r1, c2 = colB ? columnIndex(colB) : c1;
  return { row: Math.min(r1, r2), col: Math.min(c1, c2), rows: Math.abs(r2 - r1) + 1, cols: Math.abs(c2 - c1) + 1 };
}

/** Split a state value into cell-sized chunks and back. */
export function chunkState(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += STATE_CHUNK_CHARS) out.push(value.slice(i, i + STATE_CHUNK_CHARS));
  return out.length ? out : [""];
}

/**
 * The same table read with its header on data row `index` (0-based in `t.rows`): rows above it
 * (titles) are left out. For header detection below title rows.
 */
export function withHeaderRow(t: TableData, index: number): TableData {
  if (index < 0) return t;
  const header = (t.rows[index] ?? []).map((h) => (h === null ? "" : String(h).trim()));
  return {
    ...t,
    row: t.row + 1 + index,
    header,
    rows: t.rows.slice(index + 1),
    ...(t.formulas ? { formulas: t.formulas.slice(index + 1) } : {}),
    ...(t.hidden ? { hidden: t.hidden.slice(index + 1) } : {}),
  };
}

/** Turn a 2-D block of raw values (header first) into TableData; trailing empty rows are dropped. */
export function toTableData(sheet: string, row: number, col: number, values: CellValue[][], formulas?: unknown[][], hidden?: boolean[]): TableData {
  const headerRow = values[0] ?? [];
  // As wide as the widest row: a title row above the real header must not narrow the table.
  let width = 0;
  for (const line of values) {
    let w = line.length;
    while (w > width && isEmpty(line[w - 1])) w--;
    width = Math.max(width, w);
  }
  const header = Array.from({ length: width }, (_, c) => headerRow[c]).map((h) => (h === null || h === undefined ? "" : String(h).trim()));
  let last = values.length - 1;
  while (last >= 1 && values[last]?.slice(0, width).every(isEmpty)) last--;
  const rows: CellValue[][] = [];
  const f: (string | undefined)[][] = [];
  for (let r = 1; r <= last; r++) {
    const src = values[r] ?? [];
    const out: CellValue[] = [];
    const fr: (string | undefined)[] = [];
    for (let c = 0; c < width; c++) {
      const v = src[c];
      out.push(v === undefined || v === "" ? null : v);
      const fv = formulas?.[r]?.[c];
      fr.push(typeof fv === "string" && fv.startsWith("=") ? fv : undefined);
    }
    rows.push(out);
    f.push(fr);
  }
  const out: TableData = formulas ? { sheet, row, col, header, rows, formulas: f } : { sheet, row, col, header, rows };
  if (hidden) out.hidden = rows.map((_, i) => hidden[i + 1] === true);
  return out;
}

export function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

/** A box of a diagram (the relationship map), anchored on a cell: a shape in Excel, a filled cell elsewhere. */
export interface BoxSpec {
  row: number;
  col: number;
  /** Lines joined with "\n". */
  text: string;
  fill: string; // #RRGGBB
  font: string; // #RRGGBB
}

/** Box cells: wide and tall enough for a few wrapped lines (Excel column width in characters, row height in points). */
export const BOX_COLUMN_WIDTH = 22;
export const BOX_ROW_HEIGHT = 62;
