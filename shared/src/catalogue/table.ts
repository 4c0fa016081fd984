import { at, got } from "../checked.js";
import type { Bilingual } from "../errors.js";
import type { FieldDef } from "./fields.js";
import { readCell, resolvePerson, type CellProblemReason, type CellValue, type DirectoryUser, type RawCell } from "./grammar.js";
import { detectHeader, type DetectOptions, type HeaderDetection } from "./headers.js";
import { classifyRows, type SkippedRowClass } from "./totals.js";

/**
 * A whole sheet read the one way: header detection, blank and totals rows set aside, every mapped
 * cell read by the grammar and people resolved against the directory. Rows are 0-based indexes
 * into the rows handed over. The sync decides what to send from this; grading reads the same.
 */
export interface TableProblem {
  row: number;
  column: number;
  field: string;
  reason: CellProblemReason;
  message: Bilingual;
}

export interface TableRecord {
  row: number;
  /** Parsed values of the mapped, non-empty cells (people as user ids when a directory is given). */
  fields: Record<string, CellValue>;
  /** The row holds a problem: it is held back whole. */
  problems: TableProblem[];
}

export interface TableSkip {
  row: number;
  kind: SkippedRowClass["kind"];
  reason: SkippedRowClass["reason"];
  message: Bilingual;
}

export interface TableRead {
  header: HeaderDetection;
  records: TableRecord[];
  skipped: TableSkip[];
}

export interface ReadTableOptions extends DetectOptions {
  /** Resolve people cells (owner must be a manager). Without it people stay as typed. */
  directory?: readonly DirectoryUser[];
  /** Values the user mapped for this sheet, per field (normalizeKey(raw) → id). */
  valueMaps?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Columns that identify a record: a sums row has none of them filled. */
const KEY_FIELDS = new Set(["id", "name", "accountId", "contractId", "number"]);

export function readTable(rows: readonly (readonly RawCell[])[], fields: readonly FieldDef[], opts: ReadTableOptions = {}): TableRead {
  const header = detectHeader(rows, fields, opts);
  const byId = new Map(fields.map((d) => [d.id, d]));
  const data = rows.slice(header.dataStart);
  const keyColumns = header.mapping.flatMap((f, c) => (f && KEY_FIELDS.has(f) ? [c] : []));
  const kinds = classifyRows(data, { keyColumns, units: header.units });
  const records: TableRecord[] = [];
  const skipped: TableSkip[] = [];
  kinds.forEach((k, i) => {
    const row = header.dataStart + i;
    if (k.kind !== "data") {
      skipped.push({ row, kind: k.kind, reason: k.reason, message: k.message });
      return;
    }
    const rec: TableRecord = { row, fields: {}, problems: [] };
    const cells = at(data, i, "data rows");
    header.mapping.forEach((field, c) => {
      if (!field) return;
      const d = got(byId, field, "fields");
      const raw = cells[c] ?? null;
      let r = readCell(d.kind, raw, { unit: header.units[c] ?? d.unit, enum: d.enum, valueMap: opts.valueMaps?.[field] });
      if (r.ok && r.value !== undefined && d.kind === "person" && opts.directory) {
        r = resolvePerson(String(r.value), opts.directory, { mustBeManager: field === "owner" });
      }
      if (!r.ok) rec.problems.push({ row, column: c, field, reason: r.problem.reason, message: r.problem.message });
      else if (r.value !== undefined) rec.fields[field] = r.value;
    });
    records.push(rec);
  });
  return { header, records, skipped };
}
