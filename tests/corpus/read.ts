/**
 * Read a sheet of an .xlsx back the way the add-in sees a used range: raw values (dates as JS
 * Dates, formulas as their cached results), cells covered by a merge empty (only the top-left
 * cell holds the value, as in Office.js), the merged areas, and the hidden rows.
 */
import ExcelJS from "exceljs";
import type { MergeArea, RawCell } from "../../shared/src/index.js";

export interface SheetRead {
  rows: RawCell[][];
  merges: MergeArea[];
  /** 1-based rows hidden by hand or by a filter. */
  hiddenRows: number[];
}

function raw(v: ExcelJS.CellValue): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date) return v;
  if (typeof v === "object") {
    if ("result" in v) return raw((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ("richText" in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join("");
    if ("text" in v) return String((v as { text: unknown }).text);
    if ("error" in v) return String((v as ExcelJS.CellErrorValue).error);
  }
  return null;
}

function decode(a1: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(a1)!;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]) - 1, col: col - 1 };
}

export async function readSheet(data: ArrayBuffer | Buffer | string, sheet?: string): Promise<SheetRead> {
  const wb = new ExcelJS.Workbook();
  if (typeof data === "string") await wb.xlsx.readFile(data);
  else await wb.xlsx.load(data as ArrayBuffer);
  const ws = (sheet ? wb.getWorksheet(sheet) : wb.worksheets[0])!;
  const merges: MergeArea[] = ((ws.model as { merges?: string[] }).merges ?? []).map((range) => {
    const [a, b = a] = range.split(":") as [string, string?];
    const tl = decode(a), br = decode(b);
    return { top: tl.row, left: tl.col, bottom: br.row, right: br.col };
  });
  const covered = (r: number, c: number) => merges.some((m) => r >= m.top && r <= m.bottom && c >= m.left && c <= m.right && (r !== m.top || c !== m.left));
  const rows: RawCell[][] = [];
  const hiddenRows: number[] = [];
  const width = ws.columnCount;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.hidden) hiddenRows.push(r);
    const out: RawCell[] = [];
    for (let c = 1; c <= width; c++) out.push(covered(r - 1, c - 1) ? null : raw(row.getCell(c).value));
    rows.push(out);
  }
  return { rows, merges, hiddenRows };
}
