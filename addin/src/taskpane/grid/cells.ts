/**
 * What the preview grid shows of an exceljs cell and what a typed text writes back: pure
 * functions over exceljs values, so the grid component stays thin and these are tested in Node.
 */
import type ExcelJS from "exceljs";
import type { CellInput } from "../../workbook/port.js";
import { fromExcelJs } from "../../workbook/xlsx.js";

export interface CellView {
  text: string;
  /** The text an edit starts from: the formula ("=…") for a formula cell. */
  editText: string;
  numeric: boolean;
  /** Background / font colour (#RRGGBB) of the cell's own format. */
  fill?: string;
  color?: string;
  bold?: boolean;
  /** The cell's note, shown as its tooltip. */
  note?: string;
}

export const EMPTY_CELL: CellView = { text: "", editText: "", numeric: false };

const ISO_DAY = (d: Date) => d.toISOString().slice(0, 10);

function argbToHex(argb: string | undefined): string | undefined {
  if (!argb || !/^[0-9A-F]{6,8}$/i.test(argb)) return undefined;
  return `#${argb.slice(-6).toUpperCase()}`;
}

// One formatter per language: toLocaleString builds a new one on every call, too slow per cell.
const NUMBER_FORMATS = {
  zh: new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 6 }),
  en: new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 }),
};

function formatNumber(n: number, lang: "zh" | "en"): string {
  return NUMBER_FORMATS[lang].format(n);
}

/** The cell as the grid shows it: value (a formula's cached result), format and note. */
export function viewOf(cell: ExcelJS.Cell | undefined, lang: "zh" | "en"): CellView {
  if (!cell) return EMPTY_CELL;
  const raw = cell.value;
  let text: string;
  let numeric = false;
  const formula = raw && typeof raw === "object" && "formula" in raw ? (raw as ExcelJS.CellFormulaValue).formula : undefined;
  const result = formula !== undefined ? (raw as ExcelJS.CellFormulaValue).result : raw;
  if (result instanceof Date) text = ISO_DAY(result);
  else {
    const v = fromExcelJs(result as ExcelJS.CellValue);
    numeric = typeof v === "number";
    text = v === null ? "" : typeof v === "number" ? formatNumber(v, lang) : typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : v;
  }
  const editText = formula !== undefined ? `=${formula}` : result instanceof Date ? ISO_DAY(result) : typeof result === "number" ? String(result) : text;
  const view: CellView = { text, editText, numeric };
  const fill = cell.fill;
  if (fill && fill.type === "pattern" && fill.pattern !== "none") {
    const hex = argbToHex(fill.fgColor?.argb);
    if (hex) view.fill = hex;
  }
  const color = argbToHex(cell.font?.color?.argb);
  if (color) view.color = color;
  if (cell.font?.bold) view.bold = true;
  const note = cell.note;
  if (note) view.note = typeof note === "string" ? note : (note.texts ?? []).map((t) => t.text).join("");
  return view;
}

/**
 * A typed text as the value to write: "" clears, "=…" is a formula, a plain number (thousands
 * separators allowed) is a number, TRUE/FALSE a boolean; anything else stays text as typed (the
 * shared cell grammar reads "120万" and the like when the pages read the sheet).
 */
export function parseTyped(text: string): CellInput {
  const s = text.trim();
  if (s === "") return null;
  if (s.startsWith("=") && s.length > 1) return { formula: s };
  if (/^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?$/.test(s)) return Number(s.replace(/,/g, ""));
  if (/^(true|false)$/i.test(s)) return s.toLowerCase() === "true";
  return text;
}

/** The sheet's extent to draw: its used rows and columns plus room to type past them. */
export function extentOf(ws: ExcelJS.Worksheet | undefined): { rows: number; cols: number } {
  if (!ws) return { rows: 0, cols: 0 };
  return { rows: Math.max(ws.rowCount, 0) + 20, cols: Math.max(ws.columnCount, 0) + 4 };
}
