import ExcelJS from "exceljs";
import { STORE_FUNCTION_IDS } from "../../../../shared/src/excel/eval.js";
import { personalFieldOfHeader } from "../../../../shared/src/personal.js";
import { normalizeKey } from "../../../../shared/src/text.js";
import { ENTITIES } from "../../sync/entities.js";
import { STATE_SHEET, columnLetter } from "../../workbook/port.js";
import { droppedParts, type DroppedKind } from "../../workbook/xlsx.js";

/**
 * "Prepare for sharing": a copy of the workbook without
 * - the contacts' confidential personal details (docs/domain.md §2, §9): every value under a column
 *   whose header names a personal field (shared `personalFieldOfHeader`, or a `personal…` column
 *   of the sync's entities); the header stays so tables keep their column names;
 * - the hidden sync state (the very-hidden `_kam_state` sheet, any other `_kam*` or very-hidden
 *   sheet) and defined names pointing into it;
 * - formulas that read the KAM store (`=KAM.COLLECTION/TARGET/ACCOUNT/HEALTH`), replaced by their
 *   last values (the recipient has no sign-in; the values are what the sender saw).
 * Pure over an exceljs Workbook: `planShareSafe` lists what will go, `scrubForSharing` removes it.
 */

export interface PersonalColumn {
  sheet: string;
  header: string;
  /** Column letter and 1-based header row. */
  column: string;
  headerRow: number;
  /** Non-empty values below the header. */
  values: number;
}

export interface SharePlan {
  personal: PersonalColumn[];
  hiddenSheets: string[];
  /** KAM store formulas per sheet. */
  formulas: { sheet: string; count: number }[];
  /** Store formulas with no value saved (they become empty cells). */
  formulasWithoutValue: number;
}

/** Rows searched for a header row. */
const HEADER_ROWS = 10;
const STORE_FORMULA = new RegExp(`KAM[._](?:${STORE_FUNCTION_IDS.join("|")})\\s*\\(`, "i");

/** Headers of the sync's own personal columns (fields `personal…`), whatever their labels. */
const SYNC_PERSONAL_HEADERS = new Set(
  Object.values(ENTITIES)
    .flatMap((e) => e.columns)
    .filter((c) => c.field === "personal" || c.field.startsWith("personal."))
    .flatMap((c) => [c.field, c.label.zh, c.label.en, ...(c.synonyms ?? [])].map(normalizeKey)),
);

function isPersonalHeader(text: string): boolean {
  return personalFieldOfHeader(text) !== undefined || (text.trim() !== "" && SYNC_PERSONAL_HEADERS.has(normalizeKey(text)));
}

function isHiddenState(ws: ExcelJS.Worksheet): boolean {
  return ws.name === STATE_SHEET || /^_kam/i.test(ws.name) || ws.state === "veryHidden";
}

function personalColumns(ws: ExcelJS.Worksheet): { col: number; row: number; header: string }[] {
  const out: { col: number; row: number; header: string }[] = [];
  const seen = new Set<number>();
  for (let r = 1; r <= Math.min(HEADER_ROWS, ws.rowCount); r++) {
    ws.getRow(r).eachCell({ includeEmpty: false }, (cell, c) => {
      if (seen.has(c)) return;
      const text = typeof cell.value === "string" ? cell.value : cell.text;
      if (isPersonalHeader(text)) {
        seen.add(c);
        out.push({ col: c, row: r, header: text });
      }
    });
  }
  return out;
}

function isEmptyValue(v: ExcelJS.CellValue): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

/** The formula text of a cell (a shared formula's master text for its dependants), or undefined. */
function formulaOf(ws: ExcelJS.Worksheet, cell: ExcelJS.Cell): string | undefined {
  const v = cell.value as { formula?: string; sharedFormula?: string } | null;
  if (!v || typeof v !== "object") return undefined;
  if (typeof v.formula === "string") return v.formula;
  if (typeof v.sharedFormula === "string") {
    const master = ws.getCell(v.sharedFormula).value as { formula?: string } | null;
    return master && typeof master === "object" && typeof master.formula === "string" ? master.formula : undefined;
  }
  return undefined;
}

function storeFormulaCells(ws: ExcelJS.Worksheet): ExcelJS.Cell[] {
  const cells: ExcelJS.Cell[] = [];
  ws.eachRow({ includeEmpty: false }, (row) =>
    row.eachCell({ includeEmpty: false }, (cell) => {
      const f = formulaOf(ws, cell);
      if (f !== undefined && STORE_FORMULA.test(f)) cells.push(cell);
    }),
  );
  return cells;
}

function resultOf(cell: ExcelJS.Cell): ExcelJS.CellValue | undefined {
  const r = (cell.value as { result?: ExcelJS.CellValue }).result;
  return r === undefined ? undefined : r;
}

export function planShareSafe(wb: ExcelJS.Workbook): SharePlan {
  const plan: SharePlan = { personal: [], hiddenSheets: [], formulas: [], formulasWithoutValue: 0 };
  for (const ws of wb.worksheets) {
    if (isHiddenState(ws)) {
      plan.hiddenSheets.push(ws.name);
      continue;
    }
    for (const p of personalColumns(ws)) {
      let values = 0;
      for (let r = p.row + 1; r <= ws.rowCount; r++) if (!isEmptyValue(ws.getCell(r, p.col).value)) values++;
      plan.personal.push({ sheet: ws.name, header: p.header, column: columnLetter(p.col - 1), headerRow: p.row, values });
    }
    const cells = storeFormulaCells(ws);
    if (cells.length) plan.formulas.push({ sheet: ws.name, count: cells.length });
    plan.formulasWithoutValue += cells.filter((c) => resultOf(c) === undefined).length;
  }
  return plan;
}

/** Remove what `planShareSafe` lists, in place; answers the plan that was carried out. */
export function scrubForSharing(wb: ExcelJS.Workbook): SharePlan {
  const plan = planShareSafe(wb);
  // Store formulas first (all of a sheet's cells before any is changed: shared formulas point at their master).
  for (const ws of wb.worksheets) {
    if (isHiddenState(ws)) continue;
    const cells = storeFormulaCells(ws).map((cell) => ({ cell, value: resultOf(cell) }));
    for (const { cell, value } of cells) cell.value = value ?? null;
    for (const p of plan.personal.filter((x) => x.sheet === ws.name)) {
      const col = ws.getColumn(p.column);
      for (let r = p.headerRow + 1; r <= ws.rowCount; r++) {
        const cell = ws.getCell(r, col.number);
        cell.value = null;
        cell.note = undefined as unknown as string;
      }
    }
  }
  const removed = new Set(plan.hiddenSheets);
  for (const name of plan.hiddenSheets) {
    const ws = wb.getWorksheet(name);
    if (ws) wb.removeWorksheet(ws.id);
  }
  // Defined names that point into a removed sheet would dangle (#REF!).
  const names = wb.definedNames as unknown as { model: { name: string; ranges: string[] }[] };
  names.model = names.model
    .map((n) => ({ ...n, ranges: n.ranges.filter((r) => ![...removed].some((s) => r.replace(/'/g, "").startsWith(`${s}!`))) }))
    .filter((n) => n.ranges.length > 0);
  return plan;
}

/** What saving through exceljs drops from the original file: its charts, pivots, macros, slicers, and drawn shapes. */
export function shareDropped(bytes: Uint8Array): (DroppedKind | "shapes")[] {
  const out: (DroppedKind | "shapes")[] = droppedParts(bytes);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  if (text.includes("xl/drawings/")) out.push("shapes");
  return out;
}

/** Read an .xlsx, scrub it, write the share-safe copy. */
export async function shareSafeCopy(bytes: Uint8Array | ArrayBuffer): Promise<{ bytes: Uint8Array; plan: SharePlan }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as ArrayBuffer);
  const plan = scrubForSharing(wb);
  const out = await wb.xlsx.writeBuffer();
  return { bytes: new Uint8Array(out as ArrayBuffer), plan };
}
