/**
 * Grade accounts (issue 5 §2): find the value factors, revenue and class inputs by zh/en headers,
 * compute Value / Grade / Class / ABC with the shared engine (DOMAIN §3), and write them as plain
 * values or as live `=KAM.*` formulas (English ids always — OFFICE.md), with conditional
 * formatting per grade.
 */
import {
  ACCOUNT_CLASSES,
  GRADES,
  CATALOGUE,
  GRADING_FIELDS_CATALOGUE,
  HeaderIndex,
  VALUE_FACTORS,
  accountField,
  classifyRows,
  readCell,
  type CellRead,
  type GradingInputId,
  type MoneyUnit,
  type RowClass,
  type ValueFactor,
  abcClasses,
  accountClasses,
  formatClasses,
  gradeAccount,
  normalizeKey,
  type Bilingual,
  type Lang,
} from "../../../../shared/src/index.js";
import { columnLetter, type CellInput, type CellValue, type FormatRule, type TableData, type WriteOp } from "../../workbook/port.js";

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
  const missingFactors = VALUE_FACTORS.filter((f) => found[f] === undefined);
  return {
    found,
    units,
    missingFactors,
    outputs,
    canValue: missingFactors.length === 0,
    canAbc: found.revenue !== undefined,
    canClass: found.cumulativeSales !== undefined || found.largestContract !== undefined || found.paymentAttitude !== undefined,
  };
}

export interface GradedRow {
  value?: number;
  grade?: string;
  classes?: string;
  abc?: string;
  error?: string;
  /** A blank or totals row: not graded and left out of ABC (listed as skipped). */
  skipped?: RowClass;
}

/** A row's input read through the shared cell grammar (undefined: empty; a problem: its message). */
function input(r: readonly CellValue[], cols: GradeColumns, k: GradeInput): CellRead {
  const c = cols.found[k];
  if (c === undefined) return { ok: true, value: undefined };
  const d = INPUT_FIELD.get(k)!;
  return readCell(d.kind, r[c] ?? null, { unit: cols.units?.[k] ?? d.unit, enum: d.enum });
}

/** Compute every row with the shared engine (what the formulas would give); blank and totals rows are skipped. */
export function computeGrades(table: TableData, cols: GradeColumns, lang: Lang): GradedRow[] {
  // Id and name columns tell records from a sums row (a row without them whose figures sum the rows above).
  const keyColumns = table.header.flatMap((h, c) => (["id", "name"].includes(ACCOUNT_HEADERS.match(h)?.field ?? "") ? [c] : []));
  const kinds = classifyRows(table.rows, { keyColumns, units: unitsByColumn(table, cols) });
  const graded = table.rows.map((_, i) => i).filter((i) => kinds[i]!.kind === "data");
  const revenue = graded.map((i) => input(table.rows[i]!, cols, "revenue"));
  const abcIn = cols.canAbc ? revenue.map((x) => (x.ok ? (x.value as number | undefined) ?? null : null)) : [];
  const abcList = cols.canAbc && revenue.every((x) => x.ok) ? abcClasses(abcIn) : undefined;
  const abcAt = new Map(graded.map((row, k) => [row, k]));
  return table.rows.map((r, i) => {
    if (kinds[i]!.kind !== "data") return { skipped: kinds[i]! };
    const out: GradedRow = {};
    const errs: string[] = [];
    const read = (k: GradeInput) => {
      const x = input(r, cols, k);
      if (!x.ok) {
        errs.push(`${INPUT_FIELD.get(k)!.label[lang]}: ${x.problem.message[lang]}`);
        return undefined;
      }
      return x.value;
    };
    if (cols.canValue) {
      const factors = VALUE_FACTORS.map((f) => read(f) ?? null);
      // DOMAIN §3.2: value 0–100 and grade from the exact score (gradeAccount decides on the exact value)
      if (errs.length === 0) {
        const g = gradeAccount(factors);
        if (g.ok) {
          out.value = Math.round(g.value.value * 100) / 100;
          out.grade = g.value.grade;
        } else errs.push(g.error.message[lang]);
      }
    }
    if (cols.canClass) {
      const k = abcAt.get(i)!;
      const before = errs.length;
      const cumulativeSalesYuan = (read("cumulativeSales") as number | undefined) ?? null;
      const largestContractYuan = (read("largestContract") as number | undefined) ?? null;
      const paymentAttitude = (read("paymentAttitude") as string | undefined) ?? null;
      const closedReferrals = (read("closedReferrals") as number | undefined) ?? 0;
      const isGroup = (read("isGroup") as boolean | undefined) ?? false;
      const isStrategic = (read("isStrategic") as boolean | undefined) ?? false;
      if (errs.length === before) {
        const c = accountClasses({ cumulativeSalesYuan, largestContractYuan, paymentAttitude, closedReferrals, isGroup, isStrategic, isParetoA: abcList?.ok ? abcList.value[k] === "A" : false });
        if (c.ok) out.classes = formatClasses(c.value, lang);
        else errs.push(c.error.message[lang]);
      }
    }
    if (cols.canAbc) {
      const rev = revenue[abcAt.get(i)!]!;
      if (!rev.ok) errs.push(`${INPUT_FIELD.get("revenue")!.label[lang]}: ${rev.problem.message[lang]}`);
      else if (!abcList) {
        // ABC ranks every row against the total: one unreadable revenue leaves every class unknown.
        const bad = graded.filter((_, k) => !revenue[k]!.ok).map((row) => table.row + 2 + row);
        errs.push(lang === "zh" ? `ABC 未计算：第 ${bad.join("、")} 行的销售额无法识别` : `ABC not computed: the revenue in row ${bad.join(", ")} cannot be read`);
      } else if (abcList.ok) out.abc = abcList.value[abcAt.get(i)!];
      else errs.push(abcList.error.message[lang]);
    }
    if (errs.length) out.error = errs.join("; ");
    return out;
  });
}

function unitsByColumn(table: TableData, cols: GradeColumns): (MoneyUnit | undefined)[] {
  const out: (MoneyUnit | undefined)[] = new Array(table.header.length).fill(undefined);
  for (const [k, c] of Object.entries(cols.found)) out[c!] = cols.units?.[k as GradeInput];
  return out;
}

/** Where each output goes: its existing column, else appended after the last column. */
export function outputColumns(table: TableData, cols: GradeColumns): Record<GradeOutput, number | undefined> {
  let next = table.col + table.header.length;
  const out = {} as Record<GradeOutput, number | undefined>;
  for (const o of GRADE_OUTPUTS) {
    const wanted = o === "value" || o === "grade" ? cols.canValue : o === "class" ? cols.canClass : cols.canAbc;
    if (!wanted) { out[o] = undefined; continue; }
    out[o] = cols.outputs[o] !== undefined ? table.col + cols.outputs[o]! : next++;
  }
  return out;
}

/** A row's cell reference for an input column. */
function ref(table: TableData, colOffset: number, row: number): string {
  return `${columnLetter(table.col + colOffset)}${table.row + 2 + row}`;
}

/** Factors as one range when contiguous and in DOMAIN order, else HSTACK of the cells. */
function factorsArg(table: TableData, cols: GradeColumns, row: number): string {
  const idx = VALUE_FACTORS.map((f) => cols.found[f]!);
  const contiguous = idx.every((c, i) => i === 0 || c === idx[i - 1]! + 1);
  if (contiguous) return `${ref(table, idx[0]!, row)}:${ref(table, idx[6]!, row)}`;
  return `HSTACK(${idx.map((c) => ref(table, c, row)).join(",")})`;
}

export type WriteMode = "values" | "formulas";

export function gradeOps(table: TableData, cols: GradeColumns, results: GradedRow[], mode: WriteMode, lang: Lang): WriteOp[] {
  const place = outputColumns(table, cols);
  const ops: WriteOp[] = [];
  const n = table.rows.length;
  const revenueCol = cols.found.revenue;
  const lastRow = table.row + 1 + n; // 1-based last data row
  // KAM.ABC ranks against its range: the range ends at the last graded row (a trailing 合计 row is
  // left out); with a totals row among the records, the ABC column is written as values instead.
  let lastGraded = -1;
  for (let r = 0; r < n; r++) if (!results[r]?.skipped) lastGraded = r;
  const abcAsValues = results.some((x, r) => x?.skipped?.kind === "totals" && r < lastGraded);
  const abcLastRow = table.row + 2 + Math.max(0, lastGraded);
  for (const o of GRADE_OUTPUTS) {
    const c = place[o];
    if (c === undefined) continue;
    const values: CellInput[][] = [[GRADE_OUTPUT_LABELS[o][lang]]];
    for (let r = 0; r < n; r++) {
      if (mode === "values" || (o === "abc" && abcAsValues)) {
        const res = results[r]!;
        values.push([o === "value" ? (res.value ?? res.error ?? null) : o === "grade" ? (res.grade ?? null) : o === "class" ? (res.classes ?? null) : (res.abc ?? null)]);
        continue;
      }
      if (results[r]?.skipped) {
        values.push([null]);
        continue;
      }
      let f: string;
      if (o === "value") f = `=KAM.VALUE(${factorsArg(table, cols, r)})`;
      else if (o === "grade") f = `=KAM.GRADE(${factorsArg(table, cols, r)})`;
      else if (o === "abc") {
        const col = columnLetter(table.col + revenueCol!);
        f = `=KAM.ABC(${col}${table.row + 2 + r},$${col}$${table.row + 2}:$${col}$${abcLastRow})`;
      } else {
        const arg = (k: GradeInput) => (cols.found[k] === undefined ? "" : ref(table, cols.found[k]!, r));
        const abcCell = place.abc !== undefined ? `,${columnLetter(place.abc)}${table.row + 2 + r}="A"` : "";
        void abcCell;
        f = `=KAM.CLASS(${[arg("cumulativeSales") || "0", arg("largestContract") || "0", arg("paymentAttitude") || '""', arg("closedReferrals") || "0", arg("isGroup") || "FALSE", arg("isStrategic") || "FALSE"].join(",")})`;
      }
      values.push([{ formula: f }]);
    }
    ops.push({ kind: "values", sheet: table.sheet, row: table.row, col: c, values });
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

/** Grade distribution for the preview chart. */
export function gradeCounts(results: GradedRow[]): Record<string, number> {
  const out: Record<string, number> = { A: 0, B: 0, C: 0, D: 0 };
  for (const r of results) if (r.grade) out[r.grade] = (out[r.grade] ?? 0) + 1;
  return out;
}

export { ACCOUNT_CLASSES };
