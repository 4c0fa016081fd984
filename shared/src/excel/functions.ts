import { errors, kamError, type KamError, type Lang, type Result } from "../errors.js";
import { abcClasses, abcClassOf } from "../grading/abc.js";
import { accountClasses, formatClasses } from "../grading/classes.js";
import { DEFAULT_TIER_CUTOFFS, performanceTier, type TierCutoffs } from "../grading/tier.js";
import { DEFAULT_GRADE_CUTOFFS, VALUE_FACTORS, VALUE_FACTOR_LABELS, gradeAccount, type GradeCutoffs } from "../grading/value.js";
import { TIERS } from "../labels.js";
import { DEFAULT_VISIT_CADENCE, VISIT_CADENCE_TABLES } from "../visits.js";
import {
  asLang,
  asNumber,
  cellArg,
  collapse,
  isEmptyCell,
  isErrorCell,
  inputError,
  toMatrix,
  transpose,
  usedRows,
  wholeArgError,
  type CellResult,
  type ExcelCell,
  type FnResult,
  type NumberOptions,
} from "./cells.js";
import { cell, readAfterFirst, type ArgReader } from "./lift.js";

/**
 * The pure `KAM.*` functions on Excel-shaped arguments. Each returns a value, a
 * KamError, or a matrix of them (spill). They call the engine for every rule (docs/domain.md) and only
 * read cells here: shapes, coercion and spilling. The call's `lang` argument is read before them
 * (eval-core.ts, at its place in signatures.ts); the ratios are the engine's rules themselves,
 * lifted by the table (signatures.ts, lift.ts `liftNumbers`).
 */

/** Rename an engine error's argument to the cell it came from (`actual` → `actual[3,1]`). */
export function renameArg(e: KamError, from: string, to: string): KamError {
  return e.arg === from && from !== to ? { ...e, arg: to } : e;
}

function renamed<T>(r: Result<T>, from: string, to: string): Result<T> {
  return r.ok ? r : { ok: false, error: renameArg(r.error, from, to) };
}

/** An argument that takes one cell: a 1×1 range reads as its cell, a larger one is #VALUE!. */
function singleCell(v: unknown, arg: string): Result<unknown> {
  if (!Array.isArray(v)) return { ok: true, value: v };
  const m = toMatrix(v, arg);
  if (!m.ok) return m;
  if (m.value.length !== 1 || m.value[0]!.length !== 1) {
    return { ok: false, error: kamError("value", arg, { zh: "应为单个单元格", en: "expected a single cell" }) };
  }
  return { ok: true, value: m.value[0]![0] };
}

/** The `lang` argument at `index`, else the display language. */
export function langArg(args: readonly unknown[], index: number, displayLang: Lang): Result<Lang> {
  const v = singleCell(args[index], "lang");
  return v.ok ? asLang(v.value, displayLang) : v;
}

/** A fixed-length list of numbers (weights, cut-offs) from a row, a column or a range. */
function numberList(v: unknown, arg: string, length: number, names: readonly string[], opts: NumberOptions = {}): Result<number[] | undefined> {
  if (isEmptyCell(v)) return { ok: true, value: undefined };
  const m = toMatrix(v, arg);
  if (!m.ok) return m;
  const cells = m.value.flat();
  if (cells.every(isEmptyCell)) return { ok: true, value: undefined };
  // An error cell among them is the whole call's error (every answer uses the list), named as given.
  const bad = cells.findIndex(isErrorCell);
  if (bad >= 0) return { ok: false, error: inputError(Array.isArray(v) ? `${arg}[${bad + 1}] ${names[bad] ?? ""}`.trim() : arg, cells[bad]) };
  if (cells.length !== length) {
    return {
      ok: false,
      error: kamError("value", arg, { zh: `应有 ${length} 个数值，实际 ${cells.length} 个`, en: `expected ${length} numbers, got ${cells.length}` }),
    };
  }
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const n = asNumber(cells[i], `${arg}[${i + 1}] ${names[i]}`, opts);
    if (!n.ok) return n;
    out.push(n.value);
  }
  return { ok: true, value: out };
}

// ---------------------------------------------------------------------------------------------
// KAM.VALUE / KAM.GRADE — docs/domain.md §3.2

/**
 * The records of a `factors` argument: one record per row when it is 7 wide (several rows spill
 * down), one per column when it is 7 tall (spill across). Trailing empty records are padding.
 */
function factorRecords(v: unknown): Result<{ records: ExcelCell[][]; across: boolean }> {
  const n = VALUE_FACTORS.length;
  const m = toMatrix(v, "factors");
  if (!m.ok) return m;
  const whole = wholeArgError(m.value, "factors");
  if (whole) return { ok: false, error: whole };
  let records: ExcelCell[][];
  let across = false;
  if (m.value[0]!.length === n) records = m.value;
  else if (m.value.length === n) {
    records = transpose(m.value);
    across = true;
  } else {
    const h = m.value.length;
    const w = m.value[0]!.length;
    return {
      ok: false,
      error: kamError("value", "factors", {
        zh: `应为 ${n} 个要素评分（一行或一列，依次为份额、精力、成交风险、经营价值、付款风险、服务能力、难度），实际为 ${h}×${w} 区域`,
        en: `expected the ${n} factor scores in one row or column (share, effort, dealRisk, businessValue, paymentRisk, capability, difficulty), got a ${h}×${w} range`,
      }),
    };
  }
  const used = Math.max(1, usedRows(records));
  return { ok: true, value: { records: records.slice(0, used), across } };
}

function factorNumbers(record: readonly ExcelCell[], r: number, many: boolean): Result<number[]> {
  const out: number[] = [];
  for (let i = 0; i < record.length; i++) {
    const name = many ? `${cellArg("factors", r, i)} ${VALUE_FACTORS[i]}` : `factors[${i + 1}] ${VALUE_FACTORS[i]}`;
    const n = asNumber(record[i], name, { label: VALUE_FACTOR_LABELS[VALUE_FACTORS[i]!] });
    if (!n.ok) return n;
    out.push(n.value);
  }
  return { ok: true, value: out };
}

/**
 * One answer per record of a range argument (a row each, spilling down; a column each when
 * `across`, spilling across); an empty record among several answers "".
 */
export function perRecord(records: ExcelCell[][], across: boolean, fn: (record: ExcelCell[], r: number) => CellResult): FnResult {
  const answers = records.map((rec, r) => (rec.every(isEmptyCell) && records.length > 1 ? "" : fn(rec, r)));
  return collapse(across ? [answers] : answers.map((a) => [a]));
}

/**
 * A rule on the seven factor scores of one account, run once per record of the `factors`
 * argument (the first; `factorRecords`: one per row of a range 7 wide, spilling down, or one per
 * column of a range 7 tall, spilling across; an empty record among several answers ""). The other
 * arguments are read once for the call first, each by its reader in `once` (in parameter order),
 * and passed to the rule after the scores. What `KAM.VALUE` and `KAM.GRADE` run
 * (implementations.ts): their bodies are only their rules.
 */
export function perFactorRecord(once: readonly ArgReader[], rule: (factors: number[], ...rest: never[]) => Result<number | string>): (args: readonly unknown[]) => FnResult {
  const run = rule as (factors: number[], ...rest: unknown[]) => Result<number | string>;
  return (args) => {
    const read = readAfterFirst(once, args);
    if (!read.ok) return read.error;
    const rest = read.value;
    const f = factorRecords(args[0]);
    if (!f.ok) return f.error;
    const many = f.value.records.length > 1;
    return perRecord(f.value.records, f.value.across, (rec, r) => {
      const nums = factorNumbers(rec, r, many);
      if (!nums.ok) return nums.error;
      return cell(run(nums.value, ...rest));
    });
  };
}

/** The optional `weights` of `KAM.VALUE`/`KAM.GRADE`: seven numbers in factor order, or undefined for the default ones. */
export function weightList(v: unknown): Result<number[] | undefined> {
  return numberList(v, "weights", VALUE_FACTORS.length, VALUE_FACTORS);
}

/** The optional `cutoffs` of `KAM.GRADE`: the least scores of A, B and C, or the default ones. */
export function gradeCutoffs(v: unknown): Result<GradeCutoffs> {
  const c = numberList(v, "cutoffs", 3, ["A", "B", "C"]);
  if (!c.ok) return c;
  return { ok: true, value: c.value ? { A: c.value[0]!, B: c.value[1]!, C: c.value[2]! } : DEFAULT_GRADE_CUTOFFS };
}

/** `KAM.GRADE(factors, [weights], [cutoffs], [lang])` → A/B/C/D (docs/domain.md §3.2). `KAM.VALUE` is the engine's `valueScore` itself. */
export function gradeLetter(factors: number[], weights: number[] | undefined, cutoffs: GradeCutoffs): Result<string> {
  const g = gradeAccount(factors, weights, cutoffs);
  return g.ok ? { ok: true, value: g.value.grade } : g;
}

// ---------------------------------------------------------------------------------------------
// KAM.CLASS — docs/domain.md §3.1, docs/contracts.md §4

/**
 * `KAM.CLASS(cumulativeSales, largestContract, paymentAttitude, closedReferrals, [isGroup],
 * [isStrategic], [isParetoA], [lang])` → class labels joined with ", " ("" when none). A cell
 * cannot see receivables, so "payment credit good" is the attitude alone (docs/contracts.md). The table
 * (signatures.ts) reads the cells: empty amounts and referrals count as 0, empty flags as FALSE.
 * `isParetoA` (TRUE for an ABC class A account, e.g. `J2="A"`) adds 重要客户 (important), as the
 * grading page computes it.
 */
export function classLabels(
  cumulativeSales: number,
  largestContract: number,
  paymentAttitude: string | undefined,
  closedReferrals: number,
  isGroup: boolean,
  isStrategic: boolean,
  isParetoA: boolean,
  lang: Lang,
): Result<string> {
  const classes = accountClasses({
    isParetoA,
    cumulativeSalesYuan: cumulativeSales,
    largestContractYuan: largestContract,
    paymentAttitude: paymentAttitude ?? null,
    closedReferrals,
    isGroup,
    isStrategic,
  });
  if (!classes.ok) return renamed(renamed(classes, "cumulativeSalesYuan", "cumulativeSales"), "largestContractYuan", "largestContract");
  return { ok: true, value: formatClasses(classes.value, lang) };
}

// ---------------------------------------------------------------------------------------------
// KAM.ABC — docs/domain.md §3.3

/** The `allValues` of `KAM.ABC`, read once for the call: its numbers and the class of each. */
export interface AbcTable {
  readonly revenues: readonly number[];
  readonly classOf: ReadonlyMap<number, string>;
}

/**
 * `allValues` of `KAM.ABC`: empty cells are skipped; text in it is #VALUE! naming the cell. The
 * classes of the whole list are computed here, once for the call, so a 10,000-row `value` column
 * stays linear.
 */
export function abcTable(v: unknown): Result<AbcTable> {
  const all = toMatrix(v, "allValues");
  if (!all.ok) return all;
  const revenues: number[] = [];
  const m = all.value;
  for (let r = 0; r < m.length; r++) {
    for (let c = 0; c < m[r]!.length; c++) {
      const cell = m[r]![c];
      if (isEmptyCell(cell)) continue;
      const n = asNumber(cell, cellArg("allValues", r, c));
      if (!n.ok) return n;
      revenues.push(n.value);
    }
  }
  if (revenues.length === 0) return { ok: false, error: errors.missing("allValues", { zh: "全部营业额", en: "all values" }) };
  const classes = abcClasses(revenues);
  if (!classes.ok) return { ok: false, error: renameArg(classes.error, "revenues", "allValues") };
  const classOf = new Map<number, string>();
  revenues.forEach((x, i) => classOf.set(x, classes.value[i]!));
  return { ok: true, value: { revenues, classOf } };
}

/**
 * `KAM.ABC(value, allValues, [lang])` → A/B/C. `value` may be a range (it spills; the table
 * lifts it); a value that is not in `allValues` is classed against it.
 */
export function abcClass(value: number, table: AbcTable): Result<string> {
  const known = table.classOf.get(value);
  if (known !== undefined) return { ok: true, value: known };
  return renamed(abcClassOf(value, table.revenues), "all", "allValues");
}

// ---------------------------------------------------------------------------------------------
// KAM.TIER — docs/domain.md §8

/** The optional `cutoffs` of `KAM.TIER`: three numbers, or undefined for the default ones. */
export function cutoffList(v: unknown): Result<number[] | undefined> {
  return numberList(v, "cutoffs", 3, ["basicallyMet", "exceeded", "outstanding"]);
}

/** `KAM.TIER(completion, [cutoffs], [lang])` → 未完成/基本完成/超额完成/突出完成 (or English). */
export function tierLabel(completion: number, cutoffs: number[] | undefined, lang: Lang): Result<string> {
  const c: TierCutoffs = cutoffs ? { basicallyMet: cutoffs[0]!, exceeded: cutoffs[1]!, outstanding: cutoffs[2]! } : DEFAULT_TIER_CUTOFFS;
  const t = performanceTier(completion, c);
  return t.ok ? { ok: true, value: TIERS.label(t.value, lang) } : t;
}

// ---------------------------------------------------------------------------------------------
// KAM.VISITS — docs/domain.md §5: the engine's requiredVisits, lifted by the table (signatures.ts)

/**
 * The cadence scheme of `KAM.VISITS`: one cell, "004" (default: the 004 table by account class and
 * role) or "002" (liaison leader ≥ 4 a year, sales manager ≥ 1 a month); 4 and 2 are read the same.
 */
export function schemeOf(arg: unknown): Result<string> {
  const cell = singleCell(arg, "scheme");
  if (!cell.ok) return cell;
  const v = cell.value;
  if (isEmptyCell(v)) return { ok: true, value: DEFAULT_VISIT_CADENCE.id };
  if (isErrorCell(v)) return { ok: false, error: inputError("scheme", v) };
  const id = (typeof v === "number" || typeof v === "string" ? String(v).trim() : "").padStart(3, "0");
  return id in VISIT_CADENCE_TABLES ? { ok: true, value: id } : { ok: false, error: errors.badChoice("scheme", v, Object.keys(VISIT_CADENCE_TABLES)) };
}
