/** Real .xlsx workbooks for tests: a small book to build in, and a save-and-reopen round trip. */
import ExcelJS from "exceljs";
import { openXlsx, type XlsxWorkbook } from "./xlsx.js";

/** A workbook with one note sheet, opened through the .xlsx port as a user's file would be. */
export async function emptyBook(): Promise<XlsxWorkbook> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("说明").addRow(["考核表"]);
  const opened = await openXlsx((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  if (!opened.ok) throw new Error(opened.message);
  return opened.workbook;
}

/** Save and reopen, as a user closing and opening the file would. */
export async function reopen(wb: XlsxWorkbook): Promise<XlsxWorkbook> {
  const again = await openXlsx(await wb.save());
  if (!again.ok) throw new Error(again.message);
  return again.workbook;
}

/**
 * Addresses of the cells a person sees (column and row not hidden) whose value is one of `values`:
 * for checking that a sheet shows no internal id.
 */
export function visibleCellsHolding(ws: ExcelJS.Worksheet, values: readonly string[]): string[] {
  const wanted = new Set(values);
  const out: string[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    if (row.hidden) return;
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (ws.getColumn(cell.col).hidden) return;
      const v = cell.value;
      const text = typeof v === "string" ? v : v && typeof v === "object" && "result" in v ? String(v.result) : undefined;
      if (text !== undefined && wanted.has(text.trim())) out.push(cell.address);
    });
  });
  return out;
}
