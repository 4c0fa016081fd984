/**
 * An .xlsx read with exceljs into HyperFormula with the KAM plugin — a workbook evaluated the way
 * Excel would evaluate it.
 */
import ExcelJS from "exceljs";
import { HyperFormula, type CellValue } from "hyperformula";
import { isoToExcelSerial } from "../../shared/src/dates.js";
import { HF_CONFIG, registerKamPlugin } from "./hyperformula.js";

type Raw = string | number | boolean | null;

function rawOf(v: ExcelJS.CellValue): Raw {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return isoToExcelSerial(v.toISOString().slice(0, 10));
  if (typeof v === "object" && "formula" in v && typeof v.formula === "string") return `=${v.formula}`;
  if (typeof v === "object" && "sharedFormula" in v) return null;
  if (typeof v === "object" && "richText" in v) return v.richText.map((t) => t.text).join("");
  if (typeof v === "object" && "error" in v) return `=${v.error === "#N/A" ? "NA()" : "1/0"}`;
  return String(v);
}

export interface LoadedWorkbook {
  hf: HyperFormula;
  sheet(name: string): number;
  /** Value of one cell, e.g. `value("经理考核", "S2")`. */
  value(sheet: string, address: string): CellValue;
}

export async function loadWorkbook(path: string): Promise<LoadedWorkbook> {
  registerKamPlugin();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const sheets: Record<string, Raw[][]> = {};
  wb.eachSheet((ws) => {
    const data: Raw[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, r) => {
      const out: Raw[] = [];
      row.eachCell({ includeEmpty: true }, (cell, c) => {
        out[c - 1] = rawOf(cell.value);
      });
      data[r - 1] = Array.from(out, (x) => x ?? null);
    });
    sheets[ws.name] = Array.from(data, (x) => x ?? []);
  });
  const hf = HyperFormula.buildFromSheets(sheets, HF_CONFIG);
  const sheet = (name: string) => {
    const id = hf.getSheetId(name);
    if (id === undefined) throw new Error(`no sheet ${name}`);
    return id;
  };
  return {
    hf,
    sheet,
    value: (name, address) => {
      const a = hf.simpleCellAddressFromString(address, sheet(name));
      if (!a) throw new Error(`bad address ${address}`);
      return hf.getCellValue(a);
    },
  };
}
