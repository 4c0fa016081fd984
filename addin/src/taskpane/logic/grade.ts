/**
 * Grade accounts: find the value factors, revenue and class inputs by zh/en headers,
 * compute Value / Grade / Class / ABC with the shared engine (docs/domain.md §3), and write them as plain
 * values or as live `=KAM.*` formulas (English ids always — docs/platform.md), with conditional
 * formatting per grade.
 */
import {
  ACCOUNT_CLASSES,
  GRADES,
  CATALOGUE,
  GRADING_FIELDS_CATALOGUE,
  HeaderIndex,
  MONEY_UNITS,
  VALUE_FACTORS,
  accountField,
  classifyRows,
  detectHeader,
  readCell,
  readMoney,
  readNumber,
  type CellRead,
  type GradingInputId,
  type MoneyUnit,
  type RowClass,
  type SkippedRowClass,
  type ValueFactor,
  abcClasses,
  accountClasses,
  formatClasses,
  gradeAccount,
  normalizeKey,
  type Bilingual,
  type Lang,
} from "../../../../shared/src/index.js";
import { at, got, must } from "../../../../shared/src/checked.js";
import { columnLetter, type CellInput, type CellValue, type FormatRule, type TableData, type TableRef, type WorkbookPort, type WriteOp } from "../../workbook/port.js";

export type GradeInput = GradingInputId;

/** Grading input headers: the shared field catalogue (value factors, revenue, class inputs). */
const INPUT_HEADERS = new HeaderIndex(GRADING_FIELDS_CATALOGUE);
const ACCOUNT_HEADERS = new HeaderIndex(CATALOGUE.accounts.fields);
const INPUT_FIELD = new Map(GRADING_FIELDS_CATALOGUE.map((d) => [d.id, d]));

/** Output columns, in order. */
export const GRADE_OUTPUTS = ["value", "grade", "class", "abc"] as const;
export type GradeOutput = (typeof GRADE_OUTPUTS)[number];
export const GRADE_OUTPUT_LABELS: Record<GradeOutput, Bilingual> = {
  value: { zh: "价值分", en: "Value" },
  grade: { zh: "等级", en: "Grade" },
  class: { zh: "客户类型", en: "Class" },
  abc: { zh: "ABC", en: "ABC" },
};

/** Fill per grade (Office's own good/neutral/bad palette). */
export const GRADE_COLOURS: Readonly<Record<"A" | "B" | "C" | "D", { fill: string; font: string }>> = {
  A: { fill: "#C6EFCE", font: "#006100" },
  B: { fill: "#DDEBF7", font: "#1F4E78" },
  C: { fill: "#FFEB9C", font: "#9C5700" },
  D: { fill: "#FFC7CE", font: "#9C0006" },
};

export interface GradeColumns {
  found: Partial<Record<GradeInput, number>>;
  /** Money units the headers name (`销售额(万元)`). */
  units?: Partial<Record<GradeInput, MoneyUnit>>;
  missingFactors: ValueFactor[];
  /** Existing output columns (re-running writes into them). */
  outputs: Partial<Record<GradeOutput, number>>;
  canValue: boolean;
  canAbc: boolean;
  canClass: boolean;
}

/** The grading inputs a user can map, in catalogue order, with their labels (never ids). */
export const GRADE_INPUTS: readonly { id: GradeInput; label: Bilingual }[] = GRADING_FIELDS_CATALOGUE.map((d) => ({ id: d.id, label: d.label }));

/** A user's mapping: input → column (0-based in the table), or null for "not in this sheet". */
export type GradeMapping = Partial<Record<GradeInput, number | null>>;

/**
 * The detected columns with the user's choices applied: a chosen column replaces the detected
 * one (its unit read off its header, `销售额(万元)`), null unmaps an input.
 */
export function applyGradeMapping(header: readonly string[], detected: GradeColumns, mapping: GradeMapping): GradeColumns {
  const found = { ...detected.found };
  const units = { ...detected.units };
  for (const [k, c] of Object.entries(mapping) as [GradeInput, number | null | undefined][]) {
    if (c === undefined) continue;
    delete found[k];
    delete units[k];
    if (c === null) continue;
    // A column mapped to this input is taken from any other input that had it.
    for (const [other, oc] of Object.entries(found) as [GradeInput, number][]) if (oc === c) delete found[other];
    found[k] = c;
    const unit = INPUT_HEADERS.match(header[c] ?? "")?.unit ?? unitInHeader(header[c] ?? "");
    if (unit) units[k] = unit;
  }
  return withFlags(found, units, detected.outputs);
}

/** `(万元)` / `（亿元）` / `(元)` in a header the catalogue does not know. */
function unitInHeader(h: string): MoneyUnit | undefined {
  const unit = /[(（]\s*(万元|万|亿元|亿|元)\s*[)）]/.exec(h)?.[1];
  if (!unit) return undefined;
  return unit.startsWith("万") ? "wan" : unit.startsWith("亿") ? "yi" : "yuan";
}

function withFlags(found: GradeColumns["found"], units: GradeColumns["units"], outputs: GradeColumns["outputs"]): GradeColumns {
  const missingFactors = VALUE_FACTORS.filter((f) => found[f] === undefined);
  return {
    found,
    units,
    missingFactors,
    outputs,
    canValue: missingFactors.length === 0,
    canAbc: found.revenue !== undefined,
    // Any class input gives classes (the flags alone give 集团客户 / 战略客户).
    canClass: (["cumulativeSales", "largestContract", "paymentAttitude", "closedReferrals", "isGroup", "isStrategic"] as const).some((k) => found[k] !== undefined),
  };
}

export function detectGradeColumns(header: readonly string[]): GradeColumns {
  const outLookup = new Map<string, GradeOutput>();
  for (const o of GRADE_OUTPUTS) for (const s of [o, GRADE_OUTPUT_LABELS[o].zh, GRADE_OUTPUT_LABELS[o].en]) outLookup.set(normalizeKey(s), o);
  outLookup.set(normalizeKey(accountField("grade").label.zh), "grade");
  const found: GradeColumns["found"] = {};
  const outputs: GradeColumns["outputs"] = {};
  const units: GradeColumns["units"] = {};
  header.forEach((h, i) => {
    const o = outLookup.get(normalizeKey(h));
    if (o && outputs[o] === undefined) { outputs[o] = i; return; }
    const m = INPUT_HEADERS.match(h);
    if (m && found[m.field as GradeInput] === undefined) {
      found[m.field as GradeInput] = i;
      if (m.unit) units[m.field as GradeInput] = m.unit;
    }
  });
  return withFlags(found, units, outputs);
}

/** Rows scanned for a header below title rows, and the columns scanned. */
const HEADER_SCAN_ROWS = 30;
const HEADER_SCAN_LAST_COLUMN = "ZZ";
/** Header detection fields: the grading inputs plus the account id and name (they tell the header row). */
const HEADER_FIELDS = [...GRADING_FIELDS_CATALOGUE, ...CATALOGUE.accounts.fields.filter((d) => d.id === "id" || d.id === "name")];

/**
 * Read the table to grade. A sheet may have title rows above its header (`2026年客户分级`,
 * `单位：万元`) or a two-row header (zh above en): its first rows are read one by one and the
 * shared header detector finds the header (one row, or two for bilingual and grouped headers);
 * the table is then read from there, and a unit the title rows name applies to its money columns.
 * A named table or a chosen range is taken as it is.
 */
export async function readGradingTable(port: WorkbookPort, ref: TableRef): Promise<{ table: TableData; columns: GradeColumns } | undefined> {
  const first = (await port.read({ tables: [ref] })).tables[0];
  if (!first) return undefined;
  const plain = { table: first, columns: detectGradeColumns(first.header) };
  if (ref.sheet === undefined || ref.table !== undefined || ref.range !== undefined) return plain;
  const col0 = columnLetter(first.col);
  const probes = Array.from({ length: HEADER_SCAN_ROWS }, (_, k) => ({ sheet: ref.sheet, range: `${col0}${first.row + k + 1}:${HEADER_SCAN_LAST_COLUMN}${first.row + k + 1}` }));
  const heads = (await port.read({ tables: probes })).tables.map((t) => t?.header ?? []);
  const d = detectHeader(heads, HEADER_FIELDS);
  const last = d.headerRows[d.headerRows.length - 1];
  if (last === undefined || (last === 0 && d.headerRows.length === 1) || !d.mapping.some((f) => f && INPUT_FIELD.has(f as GradeInput))) return plain;
  const width = d.mapping.length;
  // A read is as wide as its first row: start at the widest header row, then drop the header rows below it.
  const start = d.headerRows.reduce((a, b) => ((heads[b]?.length ?? 0) > (heads[a]?.length ?? 0) ? b : a));
  // The used range's rows (as the first read saw them) plus a margin: empty rows at the end are dropped.
  const lastRow = first.row + first.rows.length + 1 + 50;
  const range = `${col0}${first.row + start + 1}:${columnLetter(first.col + width - 1)}${lastRow}`;
  const body = (await port.read({ tables: [{ sheet: ref.sheet, range }] })).tables[0];
  if (!body) return plain;
  const header = body.header.map((h, c) => d.columns.find((x) => x.column === c)?.header ?? h);
  const table: TableData = { ...body, row: first.row + last, header, rows: body.rows.slice(last - start), ...(body.formulas ? { formulas: body.formulas.slice(last - start) } : {}) };
  const mapping: GradeMapping = {};
  d.mapping.forEach((f, c) => {
    if (f && INPUT_FIELD.has(f as GradeInput) && c < header.length) mapping[f as GradeInput] = c;
  });
  const columns = applyGradeMapping(header, detectGradeColumns(header), mapping);
  // A unit named in the title rows (`单位：万元`) applies to money columns whose header names none.
  d.units.forEach((u, c) => {
    const k = d.mapping[c] as GradeInput | undefined;
    if (u && k && columns.found[k] === c && !columns.units?.[k]) (columns.units ??= {})[k] = u;
  });
  return { table, columns };
}

export interface GradedRow {
  value?: number;
  grade?: string;
  classes?: string;
  abc?: string;
  error?: string;
  /** A blank or totals row: not graded and left out of ABC (listed as skipped). */
  skipped?: SkippedRowClass;
}

/** A row's input read through the shared cell grammar (undefined: empty; a problem: its message). */
function input(r: readonly CellValue[], cols: GradeColumns, k: GradeInput): CellRead {
  const c = cols.found[k];
  if (c === undefined) return { ok: true, value: undefined };
  const d = got(INPUT_FIELD, k, "grading fields");
  return readCell(d.kind, r[c] ?? null, { unit: cols.units?.[k] ?? d.unit, enum: d.enum });
}

/** A1 address of a data row's input cell. */
function inputCell(table: TableData, cols: GradeColumns, k: GradeInput, row: number): string {
  return `${columnLetter(table.col + foundColumn(cols, k))}${table.row + 2 + row}`;
}

/** The column of an input the caller knows was found (a cell was read from it, or its output needs it). */
function foundColumn(cols: GradeColumns, k: GradeInput): number {
  return must(cols.found[k], `the ${k} column`);
}

/** A problem named by its column (the header text) and cell: `销售额（J5）：无法识别…`. */
function cellProblem(table: TableData, cols: GradeColumns, k: GradeInput, row: number, message: string, lang: Lang): string {
  const header = table.header[foundColumn(cols, k)] || got(INPUT_FIELD, k, "grading fields").label[lang];
  const at = inputCell(table, cols, k, row);
  return lang === "zh" ? `${header}（${at}）：${message}` : `${header} (${at}): ${message}`;
}

/** Rows that are records (not blank, not totals), by the shared row classifier. */
function rowKinds(table: TableData, cols: GradeColumns): RowClass[] {
  // Id and name columns tell records from a sums row (a row without them whose figures sum the rows above).
  const keyColumns = table.header.flatMap((h, c) => (["id", "name"].includes(ACCOUNT_HEADERS.match(h)?.field ?? "") ? [c] : []));
  return classifyRows(table.rows, { keyColumns, units: unitsByColumn(table, cols) });
}

/**
 * Compute every row with the shared engine (what the formulas give). Blank and totals rows are
 * skipped. A cell that cannot be read makes its own row an error naming the cell; ABC ranks the
 * rows whose revenue is there and readable (a row without one gets no class, and says why).
 */
export function computeGrades(table: TableData, cols: GradeColumns, lang: Lang): GradedRow[] {
  const kinds = rowKinds(table, cols);
  const graded = kinds.flatMap((k, i) => (k.kind === "data" ? [i] : []));
  const revenue = new Map(graded.map((i) => [i, input(at(table.rows, i, "rows"), cols, "revenue")]));
  const ranked = cols.canAbc ? graded.filter((i) => { const x = got(revenue, i, "revenues"); return x.ok && x.value !== undefined; }) : [];
  const abcList = ranked.length ? abcClasses(ranked.map((i) => (revenue.get(i) as { value: number }).value)) : undefined;
  const abcOf = new Map<number, string>();
  if (abcList?.ok) ranked.forEach((row, k) => abcOf.set(row, at(abcList.value, k, "ABC classes")));
  return table.rows.map((r, i) => {
    const kind = at(kinds, i, "row kinds");
    if (kind.kind !== "data") return { skipped: kind };
    const out: GradedRow = {};
    const errs: string[] = [];
    const read = (k: GradeInput) => {
      const x = input(r, cols, k);
      if (!x.ok) {
        errs.push(cellProblem(table, cols, k, i, x.problem.message[lang], lang));
        return undefined;
      }
      return x.value;
    };
    if (cols.canValue) {
      const factors = VALUE_FACTORS.map((f) => read(f) ?? null);
      // docs/domain.md §3.2: value 0–100 and grade from the exact score (the same figure KAM.VALUE gives).
      if (errs.length === 0) {
        const g = gradeAccount(factors);
        if (g.ok) {
          out.value = g.value.value;
          out.grade = g.value.grade;
        } else errs.push(g.error.message[lang]);
      }
    }
    if (cols.canClass) {
      const before = errs.length;
      const cumulativeSalesYuan = (read("cumulativeSales") as number | undefined) ?? null;
      const largestContractYuan = (read("largestContract") as number | undefined) ?? null;
      const paymentAttitude = (read("paymentAttitude") as string | undefined) ?? null;
      const closedReferrals = (read("closedReferrals") as number | undefined) ?? 0;
      const isGroup = (read("isGroup") as boolean | undefined) ?? false;
      const isStrategic = (read("isStrategic") as boolean | undefined) ?? false;
      if (errs.length === before) {
        const c = accountClasses({ cumulativeSalesYuan, largestContractYuan, paymentAttitude, closedReferrals, isGroup, isStrategic, isParetoA: abcOf.get(i) === "A" });
        if (c.ok) out.classes = formatClasses(c.value, lang);
        else errs.push(c.error.message[lang]);
      }
    }
    if (cols.canAbc) {
      const rev = got(revenue, i, "revenues");
      if (!rev.ok) errs.push(cellProblem(table, cols, "revenue", i, rev.problem.message[lang], lang));
      else if (rev.value === undefined) errs.push(cellProblem(table, cols, "revenue", i, lang === "zh" ? "缺少销售额，不参与 ABC" : "no revenue, left out of ABC", lang));
      else if (abcList && !abcList.ok) errs.push(abcList.error.message[lang]);
      else out.abc = abcOf.get(i);
    }
    if (errs.length) out.error = errs.join("; ");
    return out;
  });
}

/** How the rows came out: graded, failed (a named problem), skipped (blank and totals rows). */
export function gradeSummary(results: readonly GradedRow[]): { graded: number; failed: number; skipped: number } {
  let graded = 0, failed = 0, skipped = 0;
  for (const r of results) {
    if (r.skipped) skipped++;
    else if (r.error) failed++;
    else graded++;
  }
  return { graded, failed, skipped };
}

function unitsByColumn(table: TableData, cols: GradeColumns): (MoneyUnit | undefined)[] {
  const out: (MoneyUnit | undefined)[] = new Array(table.header.length).fill(undefined);
  for (const [k, c] of Object.entries(cols.found)) out[c] = cols.units?.[k as GradeInput];
  return out;
}

/** Where each output goes: its existing column, else appended after the last column. */
export function outputColumns(table: TableData, cols: GradeColumns): Record<GradeOutput, number | undefined> {
  let next = table.col + table.header.length;
  const out = {} as Record<GradeOutput, number | undefined>;
  for (const o of GRADE_OUTPUTS) {
    const wanted = o === "value" || o === "grade" ? cols.canValue : o === "class" ? cols.canClass : cols.canAbc;
    if (!wanted) { out[o] = undefined; continue; }
    out[o] = cols.outputs[o] !== undefined ? table.col + cols.outputs[o] : next++;
  }
  return out;
}

/** A row's cell reference for an input column. */
function ref(table: TableData, colOffset: number, row: number): string {
  return `${columnLetter(table.col + colOffset)}${table.row + 2 + row}`;
}

/** Factors as one range when contiguous and in the factor order of docs/domain.md §3.2, else HSTACK of the cells. */
function factorsArg(table: TableData, cols: GradeColumns, row: number): string {
  const idx = VALUE_FACTORS.map((f) => foundColumn(cols, f));
  const first = at(idx, 0, "factor columns");
  const contiguous = idx.every((c, i) => c === first + i);
  if (contiguous) return `${ref(table, first, row)}:${ref(table, first + idx.length - 1, row)}`;
  return `HSTACK(${idx.map((c) => ref(table, c, row)).join(",")})`;
}

/**
 * A money input as a formula argument that the `KAM.*` functions read as the grammar does. They
 * read numbers and `120万` alike but know no column units: in a `万元` column a plain figure is
 * scaled (`F2*10000`). A cell neither reading covers stays a plain reference (both see a problem).
 */
function moneyArg(table: TableData, cols: GradeColumns, k: GradeInput, row: number): string {
  const c = foundColumn(cols, k);
  const at = ref(table, c, row);
  const raw = table.rows[row]?.[c] ?? null;
  const unit = cols.units?.[k] ?? "yuan";
  if (unit === "yuan") return at;
  const asMoney = readMoney(raw, unit), asNumber = readNumber(raw);
  if (asMoney.ok && asNumber.ok && asMoney.value !== undefined && asMoney.value !== asNumber.value) return `${at}*${10 ** MONEY_UNITS[unit].pow10}`;
  return at;
}

/**
 * Whether `KAM.ABC` over the revenue column ranks exactly as the grammar does: every record's
 * revenue reads the same both ways (scaled alike in a `万元` column), and no totals row sits
 * among the records. Otherwise the ABC column is written as values.
 */
function abcAsFormulas(table: TableData, cols: GradeColumns, results: readonly GradedRow[], lastGraded: number): boolean {
  if (results.some((x, r) => x.skipped?.kind === "totals" && r < lastGraded)) return false;
  const c = foundColumn(cols, "revenue");
  const unit = cols.units?.revenue ?? "yuan";
  const scale = 10 ** MONEY_UNITS[unit].pow10;
  return results.every((x, r) => {
    if (x.skipped) return true;
    const raw = table.rows[r]?.[c] ?? null;
    const money = readMoney(raw, unit), num = readNumber(raw);
    if (!money.ok || !num.ok) return false;
    if (money.value === undefined || num.value === undefined) return money.value === num.value;
    return unit === "yuan" ? money.value === num.value : typeof raw === "number" && money.value === Math.round(num.value * scale * 100) / 100;
  });
}

export type WriteMode = "values" | "formulas";

/**
 * Write the outputs: each column's header, then its cells on the records only — blank and totals
 * rows are never written into (one write per run of consecutive records).
 */
export function gradeOps(table: TableData, cols: GradeColumns, results: GradedRow[], mode: WriteMode, lang: Lang): WriteOp[] {
  const place = outputColumns(table, cols);
  const ops: WriteOp[] = [];
  const n = table.rows.length;
  const revenueCol = cols.found.revenue;
  const lastRow = table.row + 1 + n; // 1-based last data row
  // KAM.ABC ranks against its range: the range ends at the last graded row (a trailing 合计 row is left out).
  let lastGraded = -1;
  for (let r = 0; r < n; r++) if (!results[r]?.skipped) lastGraded = r;
  const abcValues = mode === "values" || (cols.canAbc && !abcAsFormulas(table, cols, results, lastGraded));
  const abcLastRow = table.row + 2 + Math.max(0, lastGraded);
  for (const o of GRADE_OUTPUTS) {
    const c = place[o];
    if (c === undefined) continue;
    ops.push({ kind: "values", sheet: table.sheet, row: table.row, col: c, values: [[GRADE_OUTPUT_LABELS[o][lang]]] });
    const cell = (r: number): CellInput => {
      const res = at(results, r, "graded rows");
      if (mode === "values" || (o === "abc" && abcValues)) {
        return o === "value" ? (res.value ?? res.error ?? null) : o === "grade" ? (res.grade ?? null) : o === "class" ? (res.classes ?? null) : (res.abc ?? null);
      }
      if (o === "value") return { formula: `=KAM.VALUE(${factorsArg(table, cols, r)})` };
      if (o === "grade") return { formula: `=KAM.GRADE(${factorsArg(table, cols, r)})` };
      if (o === "abc") {
        const col = columnLetter(table.col + must(revenueCol, "the revenue column"));
        return { formula: `=KAM.ABC(${col}${table.row + 2 + r},$${col}$${table.row + 2}:$${col}$${abcLastRow})` };
      }
      const arg = (k: GradeInput) => (cols.found[k] === undefined ? "" : ref(table, cols.found[k], r));
      const money = (k: GradeInput) => (cols.found[k] === undefined ? "0" : moneyArg(table, cols, k, r));
      // Pareto A (important) is the ABC cell of the same row; a row without a class is not A.
      // FALSE() rather than FALSE: the same in Excel, and a function (not a name) in every engine.
      const paretoA = place.abc !== undefined ? `IFERROR(${columnLetter(place.abc)}${table.row + 2 + r}="A",FALSE())` : "FALSE()";
      return { formula: `=KAM.CLASS(${[money("cumulativeSales"), money("largestContract"), arg("paymentAttitude") || '""', arg("closedReferrals") || "0", arg("isGroup") || "FALSE()", arg("isStrategic") || "FALSE()", paretoA, `"${lang}"`].join(",")})` };
    };
    for (let r = 0; r < n; r++) {
      if (results[r]?.skipped) continue;
      const run: CellInput[][] = [];
      const start = r;
      for (; r < n && !results[r]?.skipped; r++) run.push([cell(r)]);
      ops.push({ kind: "values", sheet: table.sheet, row: table.row + 1 + start, col: c, values: run });
    }
  }
  if (place.value !== undefined && n > 0) {
    const col = columnLetter(place.value);
    ops.push({ kind: "numberFormat", sheet: table.sheet, address: `${col}${table.row + 2}:${col}${lastRow}`, format: "0.00" });
  }
  if (place.grade !== undefined && n > 0) {
    const col = columnLetter(place.grade);
    const rules: FormatRule[] = GRADES.ids.map((g) => ({ equals: g, ...GRADE_COLOURS[g] }));
    ops.push({ kind: "gradeFormat", sheet: table.sheet, address: `${col}${table.row + 2}:${col}${lastRow}`, rules });
  }
  if (place.abc !== undefined && n > 0) {
    const col = columnLetter(place.abc);
    ops.push({ kind: "gradeFormat", sheet: table.sheet, address: `${col}${table.row + 2}:${col}${lastRow}`, rules: (["A", "B", "C"] as const).map((g) => ({ equals: g, ...GRADE_COLOURS[g] })) });
  }
  return ops;
}

export { ACCOUNT_CLASSES };
