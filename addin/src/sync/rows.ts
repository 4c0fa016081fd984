/**
 * Sheet rows ↔ store items: header detection (zh/en, editable), cell parsing into field values,
 * content hashes for the three-way comparison, and field values back into cells.
 */
import {
  normalizeKey,
  readCell,
  writeCell,
  type CellProblemReason,
  TEXT_FORMAT,
  type MoneyUnit,
  type Bilingual,
  type Lang,
} from "../../../shared/src/index.js";
import { must } from "../../../shared/src/checked.js";
import { type CellInput, type CellValue, type TableData } from "../workbook/port.js";
import type { ColumnDef, EntityDef } from "./entities.js";

/** Field value as stored / compared: ids, text, ISO dates, numbers, booleans, instalment lists. */
export type FieldValue = string | number | boolean | Instalment[];
export interface Instalment {
  id: string;
  dueDate: string;
  amountYuan: number;
}

/** Column index → field id (undefined = column not synced). */
export type HeaderMapping = (string | undefined)[];

export interface MappingReport {
  mapping: HeaderMapping;
  /** Fields found, in column order. */
  found: { field: string; column: number; header: string }[];
  /** Required fields without a column (and no default). */
  missing: ColumnDef[];
  /** Columns not recognised. */
  unknown: { column: number; header: string }[];
}

/** Auto-detect which column holds which field (headers match ignoring case, spaces and character width). */
export function detectMapping(header: readonly string[], entity: EntityDef): MappingReport {
  const lookup = new Map<string, string>();
  for (const c of entity.columns) {
    for (const s of [c.field, c.label.zh, c.label.en, ...(c.synonyms ?? [])]) {
      const k = normalizeKey(s);
      if (!lookup.has(k)) lookup.set(k, c.field);
    }
  }
  const used = new Set<string>();
  const mapping: HeaderMapping = header.map((h) => {
    // Bilingual template headers read "客户名称 / Account name": either half matches.
    const f = lookup.get(normalizeKey(h)) ?? h.split(/\s\/\s|\n/).map((part) => lookup.get(normalizeKey(part))).find(Boolean);
    if (!f || used.has(f)) return undefined;
    used.add(f);
    return f;
  });
  return reportOf(header, entity, mapping);
}

/** Re-check a mapping the user edited. */
export function reportOf(header: readonly string[], entity: EntityDef, mapping: HeaderMapping): MappingReport {
  const found: MappingReport["found"] = [];
  const unknown: MappingReport["unknown"] = [];
  mapping.forEach((f, column) => {
    const text = header[column] ?? "";
    if (f) found.push({ field: f, column, header: text });
    else if (text !== "") unknown.push({ column, header: text });
  });
  const have = new Set(found.map((x) => x.field));
  const missing = entity.columns.filter((c) => c.required && !c.defaultsToUser && !have.has(c.field));
  return { mapping, found, missing, unknown };
}

export interface CellProblem {
  /** 0-based data row index in the table (-1: not tied to a row). */
  row: number;
  /** A1 address of the cell, or of the row's first cell when no column applies. */
  address: string;
  field: string;
  message: Bilingual;
  /** Why, as a stable code (problems are grouped by column and reason). */
  reason?: ProblemReason;
  /** What the cell grammar said of an unreadable cell (`unknownValue`: a word the catalogue does not know). */
  grammar?: CellProblemReason;
  /** The cell's text, for an unknown enum value (the user can map it once for the sheet). */
  value?: string;
}

export type ProblemReason =
  | "unreadable"
  | "required"
  | "ownerCleared"
  | "unknownPerson"
  | "ambiguousPerson"
  | "notManager"
  | "idEdited"
  | "duplicateId"
  | "needsOwner"
  | "rejected"
  | "forbidden";

/** One cell → field value; undefined = empty; `{error}` = cannot be read (the shared cell grammar decides). */
export function parseCell(
  col: ColumnDef,
  v: CellValue,
  opts: { unit?: MoneyUnit; valueMap?: Readonly<Record<string, string>> } = {},
): { value: FieldValue | undefined } | { error: Bilingual; reason?: CellProblemReason } {
  const r = readCell(col.kind, v, { unit: opts.unit ?? col.unit, enum: col.enum, valueMap: opts.valueMap ?? col.valueMap });
  return r.ok ? { value: r.value } : { error: r.problem.message, reason: r.problem.reason };
}

/**
 * Field value → cell through the shared grammar: enum ids as labels and booleans as 是/否 or
 * Yes/No in `lang`, dates as Excel serials, money in the column's unit. A month stays `YYYY-MM`
 * text here because this value carries no number format (writeCell gives serial + format).
 */
export function toCell(col: ColumnDef, v: unknown, lang: Lang, opts: { unit?: MoneyUnit } = {}): CellInput {
  if (v === undefined || v === null) return null;
  if (col.kind === "month") return String(v);
  return writeCell(col.kind, v, { lang, unit: opts.unit ?? col.unit, enum: col.enum }).value;
}

/**
 * The number format the grammar gives a written value of a column (dates as dates, money with
 * thousands separators, integers and ratings whole). None for months (written as `YYYY-MM` text,
 * see toCell) nor for text-like cells, whose own format the sheet keeps.
 */
export function numberFormatOf(col: ColumnDef, v: unknown, lang: Lang): string | undefined {
  if (v === undefined || v === null || v === "" || col.kind === "month") return undefined;
  const f = writeCell(col.kind, v, { lang, unit: col.unit, enum: col.enum }).numberFormat;
  return f === TEXT_FORMAT ? undefined : f;
}

/** Canonical JSON (sorted keys) of the synced fields — the content a hash covers. */
export function canonical(fields: Record<string, unknown>, keys: readonly string[]): string {
  const sorted = [...keys].sort();
  return JSON.stringify(sorted.map((k) => [k, normaliseForHash(fields[k])]));
}

function normaliseForHash(v: unknown): unknown {
  if (v === undefined || v === null || v === "") return null;
  if (Array.isArray(v)) return v.map((x) => (x && typeof x === "object" ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
  return v;
}

/** cyrb53's two 32-bit halves of a string: the low half unsigned, the high half as mixed. */
function cyrb53(str: string): [number, number] {
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2];
}

/** cyrb53: a fast 53-bit string hash, plenty to tell one row's content from its last-synced state. */
export function hashString(str: string): string {
  const [h1, h2] = cyrb53(str);
  return (4294967296 * (2097151 & h2) + h1).toString(36);
}

export function contentHash(fields: Record<string, unknown>, keys: readonly string[]): string {
  return hashString(canonical(fields, keys));
}

/** One data row as read: the raw cells of the mapped fields and their hashes (nothing parsed yet). */
export interface SheetRow {
  /** 0-based data row in the table. */
  row: number;
  /** Row key from the raw id cell(s): the item id (contacts: `accountId/contactId`); "" when blank. */
  key: string;
  /** Raw cells, one per field of `fields` (the mapped columns in column order). */
  cells: CellValue[];
  /** `cellHash` of each cell. */
  hashes: string[];
  /** Hidden or filtered out in the sheet (informational: hiding is not an edit). */
  hidden: boolean;
}

export interface ReadRowsOptions {
  yieldEvery?: number;
  /** Rows to leave out (blank, totals or subtotal rows found by totals detection); asked before a row is read. */
  skip?: (line: readonly CellValue[], row: number) => boolean;
}

/**
 * Every non-empty data row of the table with its raw cells and cell hashes. Parsing is left to the
 * sync, which parses only the cells that changed since the last sync. Fully empty rows are skipped,
 * and so are rows `opts.skip` names (reported in `skipped`).
 */
export async function readRows(
  table: TableData,
  entity: EntityDef,
  mapping: HeaderMapping,
  opts: ReadRowsOptions = {},
): Promise<{ rows: SheetRow[]; fields: string[]; skipped: number[]; idCells: Set<string> }> {
  const cols = new Map(entity.columns.map((c) => [c.field, c]));
  const mapped = mapping.map((f, i) => (f && cols.has(f) ? { i, field: f } : undefined)).filter((x): x is { i: number; field: string } => !!x);
  const fields = mapped.map((m) => m.field);
  const idAt = fields.indexOf("id");
  const accAt = entity.id === "contacts" ? fields.indexOf("accountId") : -1;
  const rows: SheetRow[] = [];
  const skipped: number[] = [];
  /** Every id written anywhere in the table's rows, read or skipped (a deletion needs the id gone from all). */
  const idCells = new Set<string>();
  const every = Math.max(1, opts.yieldEvery ?? READ_YIELD_EVERY);
  for (const [r, line] of table.rows.entries()) {
    // Hashing is CPU work: give the event loop a turn now and then, so that the list pages the
    // sync fetches meanwhile (and the pane's UI) are served while rows are read.
    if (r > 0 && r % every === 0) await yieldToEventLoop();
    const cells = mapped.map(({ i }) => line[i] ?? null);
    const idText = idAt >= 0 ? keyText(cells[idAt] ?? null) : "";
    const accText = entity.id === "contacts" && accAt >= 0 ? keyText(cells[accAt] ?? null) : "";
    const key = entity.id === "contacts" ? (idText && accText ? `${accText}/${idText}` : "") : idText;
    if (key) idCells.add(key);
    if (opts.skip?.(line, r)) { skipped.push(r); continue; }
    if (cells.every((v) => v === null || v === "")) continue;
    rows.push({ row: r, key, cells, hashes: cells.map(cellHash), hidden: table.hidden?.[r] === true });
  }
  return { rows, fields, skipped, idCells };
}

function keyText(v: CellValue): string {
  return v === null ? "" : String(v).trim();
}

/**
 * Hash of one raw cell as the sheet holds it ("" for a blank cell): what the workbook's state keeps
 * per cell, so confidential values never sit in the file. 32 bits of cyrb53: a changed cell hashing
 * like its old content is a 1-in-4·10⁹ event.
 */
export function cellHash(v: CellValue | undefined): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "string" ? "s" + v.trim() : typeof v === "number" ? "n" + String(v) : "b" + String(v);
  if (s === "s") return "";
  return cyrb53(s)[0].toString(36);
}

/** Rows read between two turns of the event loop. */
export const READ_YIELD_EVERY = 500;

/** Let pending I/O callbacks run: setImmediate in Node, a MessageChannel task in a browser (no 4-ms timer clamp). */
export function yieldToEventLoop(): Promise<void> {
  // The add-in's lib is the DOM's, which has no setImmediate: look it up on the global object.
  const setImmediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}

/** Column definition by field. */
export function columnOf(entity: EntityDef, field: string): ColumnDef | undefined {
  return entity.columns.find((c) => c.field === field);
}

/** Column definition of a field the entity is known to have (a mapped or catalogue field). */
export function knownColumn(entity: EntityDef, field: string): ColumnDef {
  return must(columnOf(entity, field), `column ${field} of ${entity.id}`);
}
