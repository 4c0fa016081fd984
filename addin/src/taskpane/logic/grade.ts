/**
 * Grade accounts (issue 5 §2): find the value factors, revenue and class inputs by zh/en headers,
 * compute Value / Grade / Class / ABC with the shared engine (DOMAIN §3), and write them as plain
 * values or as live `=KAM.*` formulas (English ids always — OFFICE.md), with conditional
 * formatting per grade.
 */
import {
  ACCOUNT_CLASSES,
  GRADES,
  VALUE_FACTORS,
  VALUE_FACTOR_LABELS,
  abcClasses,
  accountClasses,
  formatClasses,
  gradeAccount,
  normalizeKey,
  type Bilingual,
  type Lang,
  type ValueFactor,
} from "../../../../shared/src/index.js";
import { columnLetter, type CellInput, type FormatRule, type TableData, type WriteOp } from "../../workbook/port.js";

export type GradeInput = ValueFactor | "revenue" | "cumulativeSales" | "largestContract" | "paymentAttitude" | "closedReferrals" | "isGroup" | "isStrategic";

const EXTRA_LABELS: Record<Exclude<GradeInput, ValueFactor>, Bilingual & { synonyms: string[] }> = {
  revenue: { zh: "销售额", en: "Revenue", synonyms: ["营业收入", "年销售额", "收入", "Sales", "Annual revenue"] },
  cumulativeSales: { zh: "累计合同消费额", en: "Cumulative sales", synonyms: ["累计消费额", "累计签约额", "Cumulative contract sales"] },
  largestContract: { zh: "单笔最大合同额", en: "Largest contract", synonyms: ["最大合同额", "单笔合同额", "Largest single contract"] },
  paymentAttitude: { zh: "付款态度", en: "Payment attitude", synonyms: [] },
  closedReferrals: { zh: "转介绍成交数", en: "Closed referrals", synonyms: ["转介绍成交"] },
  isGroup: { zh: "集团客户", en: "Group", synonyms: ["是否集团客户"] },
  isStrategic: { zh: "战略客户", en: "Strategic", synonyms: ["是否战略客户"] },
};

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
  missingFactors: ValueFactor[];
  /** Existing output columns (re-running writes into them). */
  outputs: Partial<Record<GradeOutput, number>>;
  canValue: boolean;
  canAbc: boolean;
  canClass: boolean;
}

export function detectGradeColumns(header: readonly string[]): GradeColumns {
  const lookup = new Map<string, GradeInput>();
  for (const f of VALUE_FACTORS) {
    const l = VALUE_FACTOR_LABELS[f];
    for (const s of [f, l.zh, l.en]) lookup.set(normalizeKey(s), f);
  }
  for (const [k, l] of Object.entries(EXTRA_LABELS)) for (const s of [k, l.zh, l.en, ...l.synonyms]) lookup.set(normalizeKey(s), k as GradeInput);
  const outLookup = new Map<string, GradeOutput>();
  for (const o of GRADE_OUTPUTS) for (const s of [o, GRADE_OUTPUT_LABELS[o].zh, GRADE_OUTPUT_LABELS[o].en]) outLookup.set(normalizeKey(s), o);
  outLookup.set(normalizeKey("客户等级"), "grade");
  const found: GradeColumns["found"] = {};
  const outputs: GradeColumns["outputs"] = {};
  header.forEach((h, i) => {
    const k = normalizeKey(h);
    const o = outLookup.get(k);
    if (o && outputs[o] === undefined) { outputs[o] = i; return; }
    const f = lookup.get(k);
    if (f && found[f] === undefined) found[f] = i;
  });
  const missingFactors = VALUE_FACTORS.filter((f) => found[f] === undefined);
  return {
    found,
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
}

/** Compute every row with the shared engine (what the formulas would give). */
export function computeGrades(table: TableData, cols: GradeColumns, lang: Lang): GradedRow[] {
  const abc = cols.canAbc ? abcClasses(table.rows.map((r) => r[cols.found.revenue!] as number | string | null)) : undefined;
  return table.rows.map((r, i) => {
    const out: GradedRow = {};
    const errs: string[] = [];
    if (cols.canValue) {
      const factors = VALUE_FACTORS.map((f) => r[cols.found[f]!]);
      // DOMAIN §3.2: value 0–100 and grade from the exact score (gradeAccount decides on the exact value)
      const g = gradeAccount(factors);
      if (g.ok) {
        out.value = Math.round(g.value.value * 100) / 100;
        out.grade = g.value.grade;
      } else errs.push(g.error.message[lang]);
    }
    if (cols.canClass) {
      const get = (k: GradeInput) => (cols.found[k] === undefined ? null : r[cols.found[k]!]);
      const c = accountClasses({
        cumulativeSalesYuan: get("cumulativeSales") as number | null,
        largestContractYuan: get("largestContract") as number | null,
        paymentAttitude: get("paymentAttitude") === null ? null : String(get("paymentAttitude")),
        closedReferrals: typeof get("closedReferrals") === "number" ? (get("closedReferrals") as number) : 0,
        isGroup: truthy(get("isGroup")),
        isStrategic: truthy(get("isStrategic")),
        isParetoA: abc?.ok ? abc.value[i] === "A" : false,
      });
      if (c.ok) out.classes = formatClasses(c.value, lang);
      else errs.push(c.error.message[lang]);
    }
    if (abc) {
      if (abc.ok) out.abc = abc.value[i];
      else errs.push(abc.error.message[lang]);
    }
    if (errs.length) out.error = errs.join("; ");
    return out;
  });
}

function truthy(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return ["是", "y", "yes", "true", "1", "√", "✓"].includes(normalizeKey(v));
  return false;
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
  for (const o of GRADE_OUTPUTS) {
    const c = place[o];
    if (c === undefined) continue;
    const values: CellInput[][] = [[GRADE_OUTPUT_LABELS[o][lang]]];
    for (let r = 0; r < n; r++) {
      if (mode === "values") {
        const res = results[r]!;
        values.push([o === "value" ? (res.value ?? res.error ?? null) : o === "grade" ? (res.grade ?? null) : o === "class" ? (res.classes ?? null) : (res.abc ?? null)]);
        continue;
      }
      let f: string;
      if (o === "value") f = `=KAM.VALUE(${factorsArg(table, cols, r)})`;
      else if (o === "grade") f = `=KAM.GRADE(${factorsArg(table, cols, r)})`;
      else if (o === "abc") {
        const col = columnLetter(table.col + revenueCol!);
        f = `=KAM.ABC(${col}${table.row + 2 + r},$${col}$${table.row + 2}:$${col}$${lastRow})`;
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
