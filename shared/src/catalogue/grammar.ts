import type { Bilingual, Lang } from "../errors.js";
import { excelSerialToIso, isIsoDate, isoToExcelSerial } from "../dates.js";
import { fenToYuan, yuanToFen } from "../money.js";
import { normalizeKey } from "../text.js";
import type { Instalment } from "../schemas/contract.js";

/**
 * The cell grammar: the one reader of sheet cells for sync, grading, the scorecard and the pure
 * `KAM.*` functions, and the one writer of Excel-native cells. A cell is read only when its
 * meaning is certain; anything else (`待定`, `约100`, `x`, `3/5/2026`) is a per-cell problem whose
 * message names the accepted forms — never a guess.
 */

/** A raw cell as a workbook hands it over (Office.js values, exceljs values, JSON). */
export type RawCell = string | number | boolean | Date | null | undefined;

/** What a column holds. */
export type CellKind =
  | "id"
  | "text"
  | "money"
  | "int"
  | "number"
  | "percent"
  | "enum"
  | "bool"
  | "date"
  | "month"
  | "rating"
  | "person"
  | "instalments";

/** Money unit of a column (a header such as `金额(万元)` sets it; 元 otherwise). */
export type MoneyUnit = "yuan" | "wan" | "yi";
export const MONEY_UNITS: Readonly<Record<MoneyUnit, { pow10: number; label: Bilingual }>> = {
  yuan: { pow10: 0, label: { zh: "元", en: "yuan" } },
  wan: { pow10: 4, label: { zh: "万元", en: "10k yuan" } },
  yi: { pow10: 8, label: { zh: "亿元", en: "100m yuan" } },
};

/** An enum as labels.ts defines it: ids with zh/en labels, parsing ids, labels and aliases. */
export interface EnumLike {
  readonly entries: readonly { id: string; zh: string; en: string; aliases?: readonly string[] }[];
  parse(s: unknown): string | undefined;
}

/** A value read from a cell: ids and text, ISO dates, `YYYY-MM` months, numbers, booleans, instalments. */
export type CellValue = string | number | boolean | Instalment[];

/** Why a cell could not be read (problems are grouped by column and reason). */
export type CellProblemReason =
  | "ambiguous"
  | "notMoney"
  | "notNumber"
  | "notInteger"
  | "outOfRange"
  | "notDate"
  | "notMonth"
  | "notBool"
  | "unknownValue"
  | "notText"
  | "badInstalments"
  | "unknownPerson"
  | "ambiguousPerson"
  | "notManager";

export interface CellProblem {
  reason: CellProblemReason;
  /** What is wrong and which forms are accepted, zh and en. */
  message: Bilingual;
}

/** `value` undefined = empty cell. */
export type CellRead<T = CellValue> = { ok: true; value: T | undefined } | { ok: false; problem: CellProblem };

export interface ReadOptions {
  /** Money columns: the column's unit (default 元). A unit written in the cell wins. */
  unit?: MoneyUnit;
  /** Enum columns: the enum; rating columns: the words for 1–5 (ids "1".."5"). */
  enum?: EnumLike;
  /**
   * Values the user mapped once for this sheet (normalizeKey(raw) → id), for enum and rating
   * cells the catalogue does not recognise.
   */
  valueMap?: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Accepted forms (named in every problem message)

const ACCEPTED = {
  money: { zh: "1200000、1,200,000、¥1,200,000、120万、120万元、1.2亿", en: "1200000, 1,200,000, ¥1,200,000, 120万, 120万元, 1.2亿" },
  number: { zh: "1200、1,200、12.5、95%、120万", en: "1200, 1,200, 12.5, 95%, 120万" },
  date: { zh: "Excel 日期、2026-03-05、2026/3/5、2026.3.5、2026年3月5日", en: "an Excel date, 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日" },
  month: { zh: "2026-04、2026/4、2026年4月 或该月任一日期", en: "2026-04, 2026/4, 2026年4月 or any date of that month" },
  bool: { zh: "是/否、√/×、Y/N、TRUE/FALSE、有/无、1/0", en: "是/否, Yes/No, √/×, Y/N, TRUE/FALSE, 1/0" },
  instalments: { zh: "“编号 到期日 金额; …”，如 i1 2026-03-31 500000", en: '"id due-date amount; …", e.g. i1 2026-03-31 500000' },
} as const satisfies Readonly<Record<string, Bilingual>>;

/** Words that make a figure approximate or undecided: such a cell is never read as a number. */
const VAGUE_RE = /约|大约|大概|左右|以上|以下|上下|多|余|几|待定|未定|不详|未知|暂无|不确定|[~～≈?？]|tbd|n\/?a|unknown|approx|about|around/i;

function problem(reason: CellProblemReason, zh: string, en: string): { ok: false; problem: CellProblem } {
  return { ok: false, problem: { reason, message: { zh, en } } };
}

function show(raw: RawCell): string {
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  return String(raw);
}

function notRead(kind: keyof typeof ACCEPTED, raw: RawCell, reason: CellProblemReason, what: Bilingual): { ok: false; problem: CellProblem } {
  const s = show(raw);
  const vague = typeof raw === "string" && VAGUE_RE.test(raw.normalize("NFKC"));
  const a = ACCEPTED[kind];
  return vague
    ? problem("ambiguous", `“${s}”不是确定的${what.zh}；可接受：${a.zh}`, `"${s}" is not a definite ${what.en}; accepted: ${a.en}`)
    : problem(reason, `无法识别的${what.zh}“${s}”；可接受：${a.zh}`, `not a ${what.en}: "${s}"; accepted: ${a.en}`);
}

export function isBlank(raw: RawCell): boolean {
  return raw === null || raw === undefined || (typeof raw === "string" && raw.trim() === "");
}

// ---------------------------------------------------------------------------------------------
// Numbers and money

interface Scanned {
  neg: boolean;
  /** Digits without separators, and the count of digits after the decimal point. */
  digits: string;
  decimals: number;
  /** Power of ten written in the cell (万 = 4, 亿 = 8, % = −2, exponent). */
  pow10: number;
  /** The cell names its own money unit (元, 万, 亿). */
  ownUnit: boolean;
  percent: boolean;
  /** Written with ¥ / RMB / 人民币 before the figure. */
  currency: boolean;
}

const NUMBER_RE =
  /^([+-])?(¥|rmb|cny|人民币)?([+-])?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)(e[+-]?\d+)?(万元|万|亿元|亿|元|%)?$/;

/** Numeric text → its parts; undefined when the text is not exactly a number. */
function scan(text: string): Scanned | undefined {
  const t = text.normalize("NFKC").replace(/[\s\u2009\u202f]/g, "").replace(/\u2212/g, "-").toLowerCase();
  const m = NUMBER_RE.exec(t);
  if (!m) return undefined;
  if (m[1] && m[3]) return undefined;
  const digits = m[4] ?? ""; // the pattern requires this group
  const body = digits.replace(/,/g, "");
  const [i = "", f = ""] = body.split(".");
  const suffix = m[6];
  if (m[5] && digits.includes(",")) return undefined;
  let pow10 = m[5] ? Number(m[5].slice(1)) : 0;
  if (suffix === "万" || suffix === "万元") pow10 += 4;
  else if (suffix === "亿" || suffix === "亿元") pow10 += 8;
  else if (suffix === "%") pow10 -= 2;
  return {
    neg: (m[1] ?? m[3]) === "-",
    digits: (i + f).replace(/^0+(?=\d)/, "") || "0",
    decimals: f.length,
    pow10,
    ownUnit: suffix !== undefined && suffix !== "%",
    percent: suffix === "%",
    currency: m[2] !== undefined,
  };
}

/** Decimal string of digits × 10^(pow10 − decimals), exact (no binary rounding). */
function decimalString(digits: string, decimals: number, pow10: number, neg: boolean): string {
  const shift = pow10 - decimals;
  let s: string;
  if (shift >= 0) s = digits + "0".repeat(shift);
  else {
    const k = -shift;
    const padded = digits.padStart(k + 1, "0");
    s = `${padded.slice(0, padded.length - k)}.${padded.slice(padded.length - k)}`;
  }
  s = s.replace(/^0+(?=\d)/, "");
  if (s.includes(".")) s = s.replace(/\.?0+$/, "");
  return neg && /[1-9]/.test(s) ? `-${s}` : s;
}

/** A finite JS number as a plain decimal string (no exponent). */
function numberToDecimal(n: number): { digits: string; decimals: number; neg: boolean } {
  const neg = n < 0;
  const a = Math.abs(n);
  let s = a.toPrecision(15);
  if (/e/i.test(s)) {
    const [mant = "0", exp = "0"] = s.split(/e/i);
    const [i = "", f = ""] = mant.split(".");
    const e = Number(exp);
    return { digits: (i + f).replace(/^0+(?=\d)/, ""), decimals: f.length - e, neg };
  }
  s = s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  const [i = "", f = ""] = s.split(".");
  return { digits: (i + f).replace(/^0+(?=\d)/, "") || "0", decimals: f.length, neg };
}

function shifted(n: number, pow10: number): number {
  if (pow10 === 0 || n === 0) return n;
  const d = numberToDecimal(n);
  if (d.decimals < 0) return n * 10 ** pow10;
  return Number(decimalString(d.digits, d.decimals, pow10, d.neg));
}

/**
 * A number: numbers pass; text may carry grouping commas, full-width digits, ¥, 元, `%` (÷100),
 * 万 (×10⁴), 亿 (×10⁸). `120万` is 1,200,000. Booleans, vague and other text are problems.
 */
export function readNumber(raw: RawCell, opts: { integer?: boolean } = {}): CellRead<number> {
  if (isBlank(raw)) return { ok: true, value: undefined };
  let n: number | undefined;
  if (typeof raw === "number") n = Number.isFinite(raw) ? raw : undefined;
  else if (typeof raw === "string") {
    const s = scan(raw);
    if (s) n = Number(decimalString(s.digits, s.decimals, s.pow10, s.neg));
  }
  if (n === undefined || !Number.isFinite(n)) return notRead("number", raw, "notNumber", { zh: "数字", en: "number" });
  if (opts.integer && !Number.isInteger(n)) {
    return problem("notInteger", `应为整数，实际为 ${show(raw)}`, `expected a whole number, got ${show(raw)}`);
  }
  return { ok: true, value: n === 0 ? 0 : n };
}

/**
 * Money in yuan (≤ 2 decimals, rounded half away from zero at 0.01). A plain figure is in the
 * column's unit; a figure that names its unit (`120万`, `1.2亿`, `500元`) is in that unit.
 */
export function readMoney(raw: RawCell, unit: MoneyUnit = "yuan"): CellRead<number> {
  if (isBlank(raw)) return { ok: true, value: undefined };
  const colPow = MONEY_UNITS[unit].pow10;
  let dec: string | undefined;
  if (typeof raw === "number" && Number.isFinite(raw) && colPow === 0) return toTheFen(raw, raw);
  if (typeof raw === "number" && Number.isFinite(raw)) {
    const d = numberToDecimal(raw);
    dec = d.decimals < 0 ? String(raw * 10 ** colPow) : decimalString(d.digits, d.decimals, colPow, d.neg);
  } else if (typeof raw === "string") {
    const s = scan(raw);
    // `¥1,200,000` in a 万元 column: the currency sign says yuan, the column says 万 — not certain.
    if (s && s.currency && !s.ownUnit && colPow !== 0) {
      const u = MONEY_UNITS[unit].label;
      return problem("ambiguous", `“${raw}”在单位为${u.zh}的列中，不能确定单位；请只写数字（按${u.zh}）或写明单位，如 120万`, `"${raw}" in a column in ${u.en}: the unit is uncertain; write the figure alone (in ${u.en}) or name the unit, e.g. 120万`);
    }
    if (s && !s.percent) dec = decimalString(s.digits, s.decimals, s.ownUnit ? s.pow10 : s.pow10 + colPow, s.neg);
  }
  if (dec === undefined) return notRead("money", raw, "notMoney", { zh: "金额", en: "amount" });
  return toTheFen(dec, raw);
}

/** Yuan (a number, or exact decimal text) rounded at 0.01; too large an amount is a problem of `raw`. */
function toTheFen(yuan: number | string, raw: RawCell): CellRead<number> {
  const fen = yuanToFen(yuan);
  if (!fen.ok) return problem("outOfRange", `金额超出范围：${show(raw)}`, `amount out of range: ${show(raw)}`);
  const y = fenToYuan(fen.value);
  return { ok: true, value: y === 0 ? 0 : y };
}

/** Yuan → the figure shown in a column of `unit` (exact decimal shift). */
export function yuanInUnit(yuan: number, unit: MoneyUnit): number {
  return shifted(yuan, -MONEY_UNITS[unit].pow10);
}

// ---------------------------------------------------------------------------------------------
// Dates and months

const DATE_RE = /^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})[日号]?)(?:[t\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$/i;
const MONTH_RE = /^(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月(?:份)?)$/;
/** Largest Excel serial (9999-12-31). */
const MAX_SERIAL = 2_958_465;

function iso(y: string, m: string, d: string): string | undefined {
  const s = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  return isIsoDate(s) ? s : undefined;
}

/**
 * A date as ISO `YYYY-MM-DD`: an Excel serial (a time of day is dropped), a JS Date, or text
 * `2026-03-05`, `2026/3/5`, `2026.3.5`, `2026年3月5日`. Day-first or month-first text (`3/5/2026`)
 * and serials typed as text are ambiguous.
 */
export function readDate(raw: RawCell): CellRead<string> {
  if (isBlank(raw)) return { ok: true, value: undefined };
  if (typeof raw === "number" && Number.isFinite(raw) && raw >= 1 && raw < MAX_SERIAL + 1) return { ok: true, value: excelSerialToIso(raw) };
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) return { ok: true, value: raw.toISOString().slice(0, 10) };
  if (typeof raw === "string") {
    const t = raw.normalize("NFKC").trim();
    const m = DATE_RE.exec(t);
    if (m) {
      // One of the two alternatives matched, so year, month and day are all present.
      const v = iso(m[1] ?? "", m[3] ?? m[5] ?? "", m[4] ?? m[6] ?? "");
      if (v) return { ok: true, value: v };
    }
    if (/^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/.test(t)) {
      return problem("ambiguous", `日期“${raw}”的年月日顺序不确定；可接受：${ACCEPTED.date.zh}`, `the order of day and month in "${raw}" is uncertain; accepted: ${ACCEPTED.date.en}`);
    }
  }
  return notRead("date", raw, "notDate", { zh: "日期", en: "date" });
}

/** A month as `YYYY-MM`: `2026-04`, `2026/4`, `2026.4`, `2026年4月`, or any date of the month. */
export function readMonth(raw: RawCell): CellRead<string> {
  if (isBlank(raw)) return { ok: true, value: undefined };
  if (typeof raw === "string") {
    const m = MONTH_RE.exec(raw.normalize("NFKC").trim());
    if (m) {
      const mo = Number(m[2] ?? m[3]);
      if (mo >= 1 && mo <= 12) return { ok: true, value: `${m[1]}-${String(mo).padStart(2, "0")}` };
    }
  }
  const d = readDate(raw);
  if (d.ok && d.value) return { ok: true, value: d.value.slice(0, 7) };
  return notRead("month", raw, "notMonth", { zh: "月份", en: "month" });
}

// ---------------------------------------------------------------------------------------------
// Booleans

/** Yes/no words: the one list (case, width and spacing are ignored). */
export const TRUE_WORDS: readonly string[] = ["是", "有", "对", "√", "✓", "✔", "☑", "y", "yes", "true", "1"];
export const FALSE_WORDS: readonly string[] = ["否", "无", "不是", "没有", "×", "✗", "✘", "☒", "n", "no", "false", "0"];
/** Marks that some sheets use for yes and others for no. */
export const AMBIGUOUS_BOOL_WORDS: readonly string[] = ["x", "-", "—", "/", "o", "○", "●"];
const TRUE_SET = new Set(TRUE_WORDS.map(normalizeKey));
const FALSE_SET = new Set(FALSE_WORDS.map(normalizeKey));
const AMBIGUOUS_BOOL_SET = new Set(AMBIGUOUS_BOOL_WORDS.map((w) => w.normalize("NFKC").trim().toLowerCase()));

const QUICK_BOOL = new Map<string, boolean>([...TRUE_WORDS.map((w) => [w, true] as const), ...FALSE_WORDS.map((w) => [w, false] as const), ["Yes", true], ["No", false], ["TRUE", true], ["FALSE", false], ["Y", true], ["N", false]]);

/** 是/否, 有/无, √/×, Y/N, Yes/No, TRUE/FALSE, 1/0. `x`, `-` and other marks are ambiguous. */
export function readBool(raw: RawCell): CellRead<boolean> {
  if (isBlank(raw)) return { ok: true, value: undefined };
  if (typeof raw === "boolean") return { ok: true, value: raw };
  if (raw === 1 || raw === 0) return { ok: true, value: raw === 1 };
  if (typeof raw === "string") {
    // The words as typed most of the time, before any normalisation.
    const quick = QUICK_BOOL.get(raw);
    if (quick !== undefined) return { ok: true, value: quick };
    const t = raw.normalize("NFKC").trim().toLowerCase();
    if (AMBIGUOUS_BOOL_SET.has(t)) {
      return problem("ambiguous", `“${raw}”不能确定是“是”还是“否”；可接受：${ACCEPTED.bool.zh}`, `"${raw}" could mean yes or no; accepted: ${ACCEPTED.bool.en}`);
    }
    const k = normalizeKey(raw);
    if (TRUE_SET.has(k)) return { ok: true, value: true };
    if (FALSE_SET.has(k)) return { ok: true, value: false };
  }
  return notRead("bool", raw, "notBool", { zh: "是/否值", en: "yes/no value" });
}

// ---------------------------------------------------------------------------------------------
// Enums, ratings, text, people

function acceptedValues(e: EnumLike): Bilingual {
  return { zh: e.entries.map((x) => x.zh).join("、"), en: e.entries.map((x) => x.en).join(", ") };
}

/** An enum id from an id, a zh/en label, a synonym, or the sheet's own value map. */
export function readEnum(raw: RawCell, e: EnumLike, valueMap?: Readonly<Record<string, string>>): CellRead<string> {
  if (isBlank(raw)) return { ok: true, value: undefined };
  if (typeof raw === "string" || typeof raw === "number") {
    const s = String(raw);
    const id = e.parse(s) ?? mapped(s, e, valueMap);
    if (id !== undefined) return { ok: true, value: id };
  }
  const a = acceptedValues(e);
  return problem("unknownValue", `无法识别的值“${show(raw)}”；可选：${a.zh}`, `unrecognised value "${show(raw)}"; accepted: ${a.en}`);
}

function mapped(s: string, e: EnumLike, valueMap?: Readonly<Record<string, string>>): string | undefined {
  const id = valueMap?.[normalizeKey(s)];
  return id !== undefined && e.entries.some((x) => x.id === id) ? id : undefined;
}

/** A 1–5 rating: a whole number 1–5, or one of the catalogue's words for the scale (ids "1".."5"). */
export function readRating(raw: RawCell, words?: EnumLike, valueMap?: Readonly<Record<string, string>>): CellRead<number> {
  if (isBlank(raw)) return { ok: true, value: undefined };
  if (typeof raw === "string" && words) {
    const id = words.parse(raw) ?? mapped(raw, words, valueMap);
    if (id !== undefined) return { ok: true, value: Number(id) };
  }
  const n = typeof raw === "number" || typeof raw === "string" ? readNumber(raw) : undefined;
  if (n?.ok && n.value !== undefined && Number.isInteger(n.value) && n.value >= 1 && n.value <= 5) return { ok: true, value: n.value };
  const w = words ? acceptedValues(words) : undefined;
  return problem(
    n?.ok ? "outOfRange" : VAGUE_RE.test(show(raw)) ? "ambiguous" : "unknownValue",
    `评分应为 1–5 的整数${w ? `或 ${w.zh}` : ""}，实际为“${show(raw)}”`,
    `a rating is a whole number 1–5${w ? ` or one of ${w.en}` : ""}; got "${show(raw)}"`,
  );
}

/** Text and ids: trimmed; a number becomes its text (ids and phone numbers are often typed as numbers). */
export function readText(raw: RawCell): CellRead<string> {
  if (isBlank(raw)) return { ok: true, value: undefined };
  if (typeof raw === "string") return { ok: true, value: raw.trim() };
  if (typeof raw === "number" && Number.isFinite(raw)) return { ok: true, value: String(raw) };
  if (raw instanceof Date) return { ok: true, value: raw.toISOString().slice(0, 10) };
  return problem("notText", `应为文本，实际为 ${show(raw)}`, `expected text, got ${show(raw)}`);
}

/** "i1 2026-03-31 500000; i2 2026-06-30 50万" (the id is optional: i1, i2… by position). */
export function readInstalments(raw: RawCell, unit: MoneyUnit = "yuan"): CellRead<Instalment[]> {
  if (isBlank(raw)) return { ok: true, value: undefined };
  const out: Instalment[] = [];
  const parts = String(raw).split(/[;；\n]/).map((p) => p.trim()).filter(Boolean);
  for (const [i, p] of parts.entries()) {
    const tokens = p.split(/[\s，]+|,(?!\d{3}(?:\D|$))/).filter(Boolean);
    const [id, date, amount] = tokens.length >= 3 ? tokens : [`i${i + 1}`, tokens[0], tokens[1]];
    const d = readDate(date ?? "");
    const f = readMoney(amount ?? "", unit);
    if (!d.ok || !f.ok || d.value === undefined || f.value === undefined) {
      return problem("badInstalments", `分期格式有误：“${p}”；应为 ${ACCEPTED.instalments.zh}`, `bad instalment "${p}"; expected ${ACCEPTED.instalments.en}`);
    }
    out.push({ id, dueDate: d.value, amountYuan: f.value });
  }
  return { ok: true, value: out };
}

/** A user of the tenant's directory, as people cells resolve against it. */
export interface DirectoryUser {
  id: string;
  name: string;
  roles: readonly string[];
}

/**
 * A people cell (owner, liaison leader) → user id: a user id, or a display name unique in the
 * directory. An owner must have the manager role.
 */
export function resolvePerson(text: string, directory: readonly DirectoryUser[], opts: { mustBeManager?: boolean } = {}): CellRead<string> {
  const t = text.trim();
  if (t === "") return { ok: true, value: undefined };
  let user = directory.find((u) => u.id === t);
  if (!user) {
    const k = normalizeKey(t);
    const byName = directory.filter((u) => normalizeKey(u.name) === k);
    if (byName.length > 1) {
      return problem("ambiguousPerson", `目录中有 ${byName.length} 位用户名为“${t}”（${byName.map((u) => u.id).join("、")}），请填写用户编号`, `${byName.length} users are named "${t}" (${byName.map((u) => u.id).join(", ")}); enter the user id`);
    }
    user = byName[0];
  }
  if (!user) return problem("unknownPerson", `用户目录中没有“${t}”；应为用户编号或姓名`, `"${t}" is not in the user directory; enter a user id or name`);
  if (opts.mustBeManager && !user.roles.some((r) => r.toLowerCase() === "manager")) {
    return problem("notManager", `“${t}”不是大客户经理，不能作为负责人`, `"${t}" does not have the manager role and cannot own accounts`);
  }
  return { ok: true, value: user.id };
}

// ---------------------------------------------------------------------------------------------
// One entry point

/** Read one cell of a column of `kind`. People cells are read as text here (see resolvePerson). */
export function readCell(kind: CellKind, raw: RawCell, opts: ReadOptions = {}): CellRead {
  switch (kind) {
    case "id":
    case "text":
    case "person":
      return readText(raw);
    case "money":
      return readMoney(raw, opts.unit);
    case "int":
      return readNumber(raw, { integer: true });
    case "number":
    case "percent":
      return readNumber(raw);
    case "enum":
      if (!opts.enum) throw new Error("enum column without an enum");
      return readEnum(raw, opts.enum, opts.valueMap);
    case "rating":
      return readRating(raw, opts.enum, opts.valueMap);
    case "bool":
      return readBool(raw);
    case "date":
      return readDate(raw);
    case "month":
      return readMonth(raw);
    case "instalments":
      return readInstalments(raw, opts.unit);
  }
}

// ---------------------------------------------------------------------------------------------
// Write side: values → Excel-native cells

export const DATE_FORMAT = "yyyy-mm-dd";
export const MONTH_FORMAT = "yyyy-mm";
export const MONEY_FORMAT = "#,##0.00";
export const INT_FORMAT = "0";
/** A ratio 0..1 shown as a whole percentage. */
export const PERCENT_FORMAT = "0%";
export const TEXT_FORMAT = "@";

export interface WrittenCell {
  value: string | number | boolean | null;
  /** Excel number format for the cell (undefined: leave the cell's own format). */
  numberFormat?: string;
}

export interface WriteOptions {
  /** The sheet's language (fixed when the sheet is mapped). */
  lang: Lang;
  unit?: MoneyUnit;
  enum?: { entries: readonly { id: string; zh: string; en: string }[] };
  /** People: user id → display name (the id is written when unknown). */
  nameOf?: (id: string) => string | undefined;
}

export function boolWord(b: boolean, lang: Lang): string {
  return lang === "zh" ? (b ? "是" : "否") : b ? "Yes" : "No";
}

export function formatInstalments(list: readonly Instalment[]): string {
  return list.map((x) => `${x.id} ${x.dueDate} ${x.amountYuan}`).join("; ");
}

/** A stored value → the cell to write: dates as serials, money in the column unit, labels in the sheet's language. */
export function writeCell(kind: CellKind, value: unknown, opts: WriteOptions): WrittenCell {
  if (value === undefined || value === null || value === "") return { value: null };
  switch (kind) {
    case "date":
      return typeof value === "string" && isIsoDate(value) ? { value: isoToExcelSerial(value), numberFormat: DATE_FORMAT } : { value: String(value) };
    case "month":
      return typeof value === "string" && /^\d{4}-\d{2}$/.test(value) && isIsoDate(`${value}-01`)
        ? { value: isoToExcelSerial(`${value}-01`), numberFormat: MONTH_FORMAT }
        : { value: String(value) };
    case "money":
      return typeof value === "number" ? { value: yuanInUnit(value, opts.unit ?? "yuan"), numberFormat: MONEY_FORMAT } : { value: String(value) };
    case "int":
    case "rating":
      return typeof value === "number" ? { value, numberFormat: INT_FORMAT } : { value: String(value) };
    case "number":
      return typeof value === "number" ? { value } : { value: String(value) };
    case "percent":
      return typeof value === "number" ? { value, numberFormat: PERCENT_FORMAT } : { value: String(value) };
    case "bool":
      return typeof value === "boolean" ? { value: boolWord(value, opts.lang) } : { value: String(value) };
    case "enum": {
      const e = opts.enum?.entries.find((x) => x.id === value);
      return { value: e ? e[opts.lang] : String(value) };
    }
    case "person":
      return { value: typeof value === "string" ? (opts.nameOf?.(value) ?? value) : String(value), numberFormat: TEXT_FORMAT };
    case "instalments":
      return { value: Array.isArray(value) ? formatInstalments(value as Instalment[]) : String(value), numberFormat: TEXT_FORMAT };
    case "id":
    case "text":
      return { value: String(value), numberFormat: TEXT_FORMAT };
  }
}
