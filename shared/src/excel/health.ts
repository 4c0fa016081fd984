import { errors, kamError, type Bilingual, type KamError, type Lang, type Result } from "../errors.js";
import { URGENCY_SIGNALS, URGENCY_SIGNAL_LABELS, urgencySignalCount } from "../grading/urgency.js";
import { GRADES, type Grade } from "../labels.js";
import { at } from "../checked.js";
import { normalizeKey } from "../text.js";
import {
  accountRefArg,
  asNumber,
  asOptionalChoice,
  cellArg,
  inputError,
  isEmptyCell,
  isErrorCell,
  toMatrix,
  transpose,
  usedRows,
  wholeArgError,
  type FnResult,
} from "./cells.js";
import { perRecord } from "./functions.js";
import { lift, readAfterFirst, type ArgReader } from "./lift.js";
import { storeArgs } from "./signatures.js";

/**
 * Cell-level adapters of `KAM.HEALTH` (store-backed: the backend computes the account's health
 * with `accountHealth` and this turns it into a cell) and `KAM.URGENCY` (pure).
 */

// ---------------------------------------------------------------------------------------------
// KAM.HEALTH(account, [part], [lang])

/** What `KAM.HEALTH` answers: the 0–100 score (default), the R/A/G status, or the explanation. */
export const HEALTH_PARTS = ["score", "status", "explanation"] as const;
export type HealthPart = (typeof HEALTH_PARTS)[number];
export const DEFAULT_HEALTH_PART: HealthPart = "score";

const PART_LABELS: Readonly<Record<HealthPart, Bilingual & { aliases: string[] }>> = {
  score: { zh: "得分", en: "score", aliases: ["分数", "健康度", "健康分", "health"] },
  status: { zh: "状态", en: "status", aliases: ["关系状态", "红黄绿", "RAG", "R/A/G"] },
  explanation: { zh: "说明", en: "explanation", aliases: ["解释", "原因", "explain", "why"] },
};

const PART_LOOKUP = new Map<string, HealthPart>();
for (const p of HEALTH_PARTS) for (const s of [p, PART_LABELS[p].zh, PART_LABELS[p].en, ...PART_LABELS[p].aliases]) PART_LOOKUP.set(normalizeKey(s), p);

export interface HealthCall {
  fn: "HEALTH";
  /** Dedupe key of the whole call. */
  key: string;
  /** One store read (one health computation) answers every part of one account. */
  queryKey: string;
  /** Account id (an `account:` prefix is dropped) or an exact account name, resolved by the store. */
  account: string;
  part: HealthPart;
  lang: Lang;
}

/** Parse `KAM.HEALTH(account, [part], [lang])`; each argument is one cell. */
export function parseHealthCall(args: readonly unknown[], displayLang: Lang): Result<HealthCall> {
  const a = storeArgs("HEALTH", args, displayLang);
  if (!a.ok) return a;
  const { cells, lang } = a.value;
  const account = accountRefArg(cells.account);
  if (!account.ok) return account;
  const p = asOptionalChoice(cells.part, "part", (t) => PART_LOOKUP.get(normalizeKey(t)), HEALTH_PARTS);
  if (!p.ok) return p;
  const part = p.value ?? DEFAULT_HEALTH_PART;
  const ref = account.value;
  if (ref === "") return { ok: false, error: errors.missing("account", { zh: "客户", en: "account" }) };
  const queryKey = `HEALTH|${ref}`;
  return { ok: true, value: { fn: "HEALTH", key: `${queryKey}|${part}|${lang}`, queryKey, account: ref, part, lang } };
}

// ---------------------------------------------------------------------------------------------
// KAM.URGENCY(signals, [grades], [lang])

/** The optional grade table of `KAM.URGENCY`: six grades, for 0, 1, … 5 signals present. */
export function gradeTable(v: unknown): Result<Grade[] | undefined> {
  if (isEmptyCell(v)) return { ok: true, value: undefined };
  const m = toMatrix(v, "grades");
  if (!m.ok) return m;
  const cells = m.value.flat();
  if (cells.every(isEmptyCell)) return { ok: true, value: undefined };
  // An error in the table is that error, whatever the table's size.
  const err = cells.findIndex(isErrorCell);
  if (err >= 0) return { ok: false, error: inputError(cells.length === 1 ? "grades" : `grades[${err + 1}]`, cells[err]) };
  const n = URGENCY_SIGNALS.length + 1;
  if (cells.length !== n) {
    return {
      ok: false,
      error: kamError("value", "grades", {
        zh: `应有 ${n} 个等级（对应 0–${n - 1} 个信号），实际 ${cells.length} 个`,
        en: `expected ${n} grades (for 0–${n - 1} signals), got ${cells.length}`,
      }),
    };
  }
  const out: Grade[] = [];
  for (let i = 0; i < n; i++) {
    const arg = `grades[${i + 1}]`;
    const c = cells[i];
    if (isErrorCell(c)) return { ok: false, error: inputError(arg, c) };
    const g = GRADES.parse(typeof c === "string" ? c : undefined);
    if (!g) return { ok: false, error: errors.badChoice(arg, c, GRADES.ids) };
    out.push(g);
  }
  return { ok: true, value: out };
}

function renameSignal(e: KamError, record: number, many: boolean, across: boolean): KamError {
  const m = /^signals\[(\d+)\]/.exec(e.arg ?? "");
  if (!m) return e;
  const i = Number(m[1]);
  const at = many ? (across ? cellArg("signals", i, record) : cellArg("signals", record, i)) : `signals[${i + 1}]`;
  return { ...e, arg: `${at} ${URGENCY_SIGNALS[i]}` };
}

/**
 * `KAM.URGENCY(signals, [grades], [lang])` → the urgency grade A–D (docs/domain.md §3.2: five signals;
 * *default* 5 → A, 4 → B, 2–3 → C, 0–1 → D): the engine's `urgencyGrade` on the count of signals
 * present, run once per answer by `perSignalCount`.
 *
 * `signals` is either the five signals (objective necessity, subjective necessity, resolve,
 * feasibility study started, vendor selection started — TRUE/FALSE, 1/0, 是/否, an empty cell is
 * FALSE) as one row per purchase (a range 5 wide spills down) or one column per purchase (5 tall,
 * spills across); or the number of signals present 0–5, one per cell. `grades` optionally gives
 * the six grades for 0…5 signals (`gradeTable`, read once for the call).
 */
export function perSignalCount(once: readonly ArgReader[], rule: (count: number, ...rest: never[]) => Result<string>): (args: readonly unknown[]) => FnResult {
  const run = rule as (count: number, ...rest: unknown[]) => Result<string>;
  return (args) => {
    const read = readAfterFirst(once, args);
    if (!read.ok) return read.error;
    const rest = read.value;
    const m = toMatrix(args[0], "signals");
    if (!m.ok) return m.error;
    const whole = wholeArgError(m.value, "signals");
    if (whole) return whole;
    const n = URGENCY_SIGNALS.length;
    const width = at(m.value, 0, "signal rows").length;
    const height = m.value.length;
    if (width !== n && height !== n) {
      // Counts, one per cell.
      return lift([args[0]], ["signals"], (c, names) => {
        const name = at(names, 0, "argument names");
        const count = asNumber(c[0], name, { integer: true, nonNegative: true, label: { zh: "信号数", en: "signal count" } });
        if (!count.ok) return count.error;
        const g = run(count.value, ...rest);
        return g.ok ? g.value : g.error.arg === "signals" ? { ...g.error, arg: name } : g.error;
      });
    }
    const across = width !== n;
    const records = across ? transpose(m.value) : m.value.slice(0, Math.max(1, usedRows(m.value)));
    const many = records.length > 1;
    return perRecord(records, across, (rec, r) => {
      const bad = rec.findIndex(isErrorCell);
      if (bad >= 0) {
        const at = many ? (across ? cellArg("signals", bad, r) : cellArg("signals", r, bad)) : `signals[${bad + 1}]`;
        return inputError(`${at} ${URGENCY_SIGNALS[bad]}`, rec[bad]);
      }
      const count = urgencySignalCount(rec);
      if (!count.ok) return renameSignal(count.error, r, many, across);
      const g = run(count.value, ...rest);
      return g.ok ? g.value : g.error;
    });
  };
}

/** The labels of the five signals in the order of docs/domain.md §3.2, for a header row the pane writes. */
export function urgencySignalHeaders(lang: Lang): string[] {
  return URGENCY_SIGNALS.map((s) => URGENCY_SIGNAL_LABELS[s][lang]);
}
