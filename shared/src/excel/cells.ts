import { errors, kamError, type Bilingual, type KamError, type Lang, type Result } from "../errors.js";
import { readBool, readNumber } from "../catalogue/grammar.js";
import { at } from "../checked.js";

/**
 * Excel-shaped values (docs/contracts.md §3). One argument of a `KAM.*`
 * call is a scalar, an omitted value (`null`/`undefined`), an error cell, or a 2-D array for a
 * range. The add-in hands Excel's values over as they come; `/v1/eval` receives the same shapes
 * as JSON. Nothing in this folder throws on any of them.
 */
export type CellScalar = number | string | boolean | null;

/** An error cell inside an argument: `{error:{code:"#N/A"}}` (JSON) or Excel's `{code:"#N/A"}`. */
export interface ErrorCell {
  error: { code: string; message?: string };
}

export type ExcelCell = CellScalar | undefined | ErrorCell | { code: string; message?: string };

/** One output cell: a value or a KamError (an Excel error with a message). */
export type CellResult = number | string | boolean | KamError;
/** A function's answer: one cell, or a matrix that spills. */
export type FnResult = CellResult | CellResult[][];

/**
 * Largest range a function reads, so a huge range is an error, not a hang. Excel on the web caps a request at
 * 5 MB (docs/platform.md), far below this; two whole columns (2 × 1,048,576 cells) still fit.
 */
export const MAX_RANGE_CELLS = 5_000_000;

export function isKamError(v: unknown): v is KamError {
  return (
    typeof v === "object" &&
    v !== null &&
    "code" in v &&
    "message" in v &&
    typeof (v as KamError).message === "object" &&
    (v as KamError).message !== null &&
    typeof (v as KamError).message.zh === "string"
  );
}

/**
 * The Excel error code an error cell holds, or undefined when the cell is not an error. Shapes:
 * `/v1/eval`'s `{error:{code}}`; what Excel passes to an `any` parameter when functions.json sets
 * `allowErrorForDataTypeAny` — a `CustomFunctions.Error` `{code:"#N/A", message?}`; and Excel's
 * error cell value `{type:"Error", basicValue:"#N/A"}` (the data-type form of the same cell).
 */
export function errorCodeOf(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const o = v as { error?: { code?: unknown }; code?: unknown; type?: unknown; basicValue?: unknown };
  if (o.error && typeof o.error === "object" && typeof o.error.code === "string") return o.error.code;
  if (typeof o.code === "string" && o.code.startsWith("#")) return o.code;
  if (o.type === "Error") return typeof o.basicValue === "string" && o.basicValue.startsWith("#") ? o.basicValue : "#VALUE!";
  return undefined;
}

export function isErrorCell(v: unknown): boolean {
  return errorCodeOf(v) !== undefined;
}

const CODE_OF_EXCEL: Readonly<Record<string, KamError["code"]>> = {
  "#DIV/0!": "div0",
  "#NUM!": "num",
  "#N/A": "na",
};

/** An error cell met in an argument becomes the same Excel error, naming the argument. */
export function inputError(arg: string, cell: unknown): KamError {
  const code = errorCodeOf(cell) ?? "#VALUE!";
  return kamError(CODE_OF_EXCEL[code] ?? "value", arg, { zh: `单元格为错误值 ${code}`, en: `the cell holds the error ${code}` });
}

/**
 * A record-shaped argument (a scorecard row, seven factor scores) given as one error cell — a
 * scalar error or a 1×1 range holding one — is that error, not a shape mismatch.
 */
export function wholeArgError(m: readonly (readonly unknown[])[], arg: string): KamError | undefined {
  const [row] = m;
  const cell = row?.[0];
  return m.length === 1 && row?.length === 1 && isErrorCell(cell) ? inputError(arg, cell) : undefined;
}

export function isEmptyCell(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

/** Argument name for a cell of a range: `values[2,3]` (1-based row, column within the range). */
export function cellArg(arg: string, r: number, c: number): string {
  return `${arg}[${r + 1},${c + 1}]`;
}

function tooLarge(arg: string, cells: number): KamError {
  return kamError("num", arg, {
    zh: `区域过大（${cells} 个单元格，上限 ${MAX_RANGE_CELLS}）`,
    en: `range too large (${cells} cells; the limit is ${MAX_RANGE_CELLS})`,
  });
}

/**
 * Any argument as a rectangular matrix: a scalar is 1×1, a ragged array is padded with empty
 * cells, an array of scalars (one row from JSON) is one row. Nothing is trimmed here: a function
 * knows whether trailing empty cells are records or padding (`usedRows`).
 */
export function toMatrix(v: unknown, arg: string): Result<ExcelCell[][]> {
  if (!Array.isArray(v)) return { ok: true, value: [[v as ExcelCell]] };
  if (v.length === 0) return { ok: true, value: [[null]] };
  const rows: unknown[][] = !v.some(Array.isArray) ? [v] : v.map((r) => (Array.isArray(r) ? r : [r]));
  let width = 0;
  let cells = 0;
  for (const row of rows) {
    width = Math.max(width, row.length);
    cells += row.length;
  }
  if (cells > MAX_RANGE_CELLS) return { ok: false, error: tooLarge(arg, cells) };
  if (width === 0) return { ok: true, value: [[null]] };
  const out: ExcelCell[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length === width && !row.some(Array.isArray)) {
      out[r] = row as ExcelCell[];
      continue;
    }
    const o: ExcelCell[] = new Array(width);
    for (let c = 0; c < width; c++) {
      const x = row[c];
      o[c] = Array.isArray(x) ? { error: { code: "#VALUE!" } } : x === undefined ? null : (x as ExcelCell);
    }
    out[r] = o;
  }
  return { ok: true, value: out };
}

/** Rows up to the last row holding anything (a whole-column reference ends at its last used row). */
export function usedRows(m: readonly (readonly unknown[])[]): number {
  let h = m.length;
  while (h > 0 && m[h - 1]?.every(isEmptyCell)) h--;
  return h;
}

export function transpose<T>(m: readonly (readonly T[])[]): T[][] {
  if (m.length === 0) return [];
  const w = m[0]!.length;
  const out: T[][] = new Array(w);
  for (let c = 0; c < w; c++) {
    const col: T[] = new Array(m.length);
    for (let r = 0; r < m.length; r++) col[r] = m[r]![c]!;
    out[c] = col;
  }
  return out;
}

/** A scalar argument: a 1×1 range is its cell; a larger range is #VALUE!. */
export function toScalar(v: unknown, arg: string): Result<ExcelCell> {
  if (!Array.isArray(v)) return { ok: true, value: v as ExcelCell };
  const m = toMatrix(v, arg);
  if (!m.ok) return m;
  const [row] = m.value;
  if (m.value.length === 1 && row?.length === 1) return { ok: true, value: row[0] };
  return {
    ok: false,
    error: kamError("value", arg, { zh: "应为单个单元格，而不是区域", en: "expected a single cell, not a range" }),
  };
}

/**
 * Numeric text through the shared cell grammar: `1,234.5`, `９５％` (→ 0.95), `¥1,000`, `1e3`,
 * `120万` (→ 1,200,000), `1.2亿`. Vague text (`约100`, `待定`) is not a number.
 */
export function parseNumericText(s: string): number | undefined {
  const r = readNumber(s);
  return r.ok ? r.value : undefined;
}

export interface NumberOptions {
  /** Label for the "missing" message. */
  label?: Bilingual;
  /** Value of an empty cell; without it an empty cell is #N/A (missing input). */
  empty?: number;
  /** Reject negatives with #NUM!. */
  nonNegative?: boolean;
  /** Require an integer (#NUM! otherwise). */
  integer?: boolean;
}

/**
 * A number cell. Numbers pass; numeric text is read as Excel would; other text and booleans are
 * #VALUE! naming the argument; an empty cell is #N/A (missing) unless `empty` gives its value; an
 * error cell propagates as the same error.
 */
export function asNumber(v: unknown, arg: string, opts: NumberOptions = {}): Result<number> {
  let n: number | undefined;
  if (typeof v === "number") n = Number.isFinite(v) ? v : undefined;
  else if (isEmptyCell(v)) {
    if (opts.empty !== undefined) return { ok: true, value: opts.empty };
    return { ok: false, error: errors.missing(arg, opts.label) };
  } else if (isErrorCell(v)) return { ok: false, error: inputError(arg, v) };
  else if (typeof v === "string") {
    const r = readNumber(v);
    if (!r.ok && r.problem.reason === "ambiguous") return { ok: false, error: kamError("value", arg, r.problem.message) };
    n = r.ok ? r.value : undefined;
  }
  if (n === undefined) return { ok: false, error: errors.notANumber(arg, v) };
  if (opts.nonNegative && n < 0) return { ok: false, error: errors.negative(arg) };
  if (opts.integer && !Number.isInteger(n)) {
    return { ok: false, error: kamError("num", arg, { zh: `应为整数，实际为 ${n}`, en: `expected a whole number, got ${n}` }) };
  }
  return { ok: true, value: n === 0 ? 0 : n };
}

/** A text cell (numbers become their text: an account id may be typed as a number). */
export function asText(v: unknown, arg: string, label?: Bilingual): Result<string> {
  if (isErrorCell(v)) return { ok: false, error: inputError(arg, v) };
  if (isEmptyCell(v)) return { ok: false, error: errors.missing(arg, label) };
  if (typeof v === "string") return { ok: true, value: v.trim() };
  if (typeof v === "number" && Number.isFinite(v)) return { ok: true, value: String(v) };
  return {
    ok: false,
    error: kamError("value", arg, { zh: `应为文本，实际为 ${String(v)}`, en: `expected text, got ${String(v)}` }),
  };
}

/** Optional text: empty → undefined. */
export function asOptionalText(v: unknown, arg: string): Result<string | undefined> {
  if (isEmptyCell(v)) return { ok: true, value: undefined };
  return asText(v, arg);
}

/**
 * An optional choice cell: empty → undefined; else the id `parse` finds for its text, else #VALUE!
 * listing `ids`.
 */
export function asOptionalChoice<T extends string>(v: unknown, arg: string, parse: (text: string) => T | undefined, ids: readonly string[]): Result<T | undefined> {
  const t = asOptionalText(v, arg);
  if (!t.ok || t.value === undefined) return t as Result<undefined>;
  const id = parse(t.value);
  return id ? { ok: true, value: id } : { ok: false, error: errors.badChoice(arg, t.value, ids) };
}

/** The `account` argument: an account id (an `account:` prefix is dropped) or an exact account name. */
export function accountRefArg(v: unknown): Result<string> {
  const account = asText(v, "account", { zh: "客户", en: "account" });
  return account.ok ? { ok: true, value: account.value.replace(/^account:/, "").trim() } : account;
}

/** A yes/no cell read by the shared grammar (是/否, √/×, Y/N, TRUE/FALSE, 1/0…); empty → `empty` (default false). */
export function asBoolean(v: unknown, arg: string, empty = false): Result<boolean> {
  if (isEmptyCell(v)) return { ok: true, value: empty };
  if (isErrorCell(v)) return { ok: false, error: inputError(arg, v) };
  if (typeof v === "boolean" || typeof v === "number" || typeof v === "string") {
    const r = readBool(v);
    if (r.ok && r.value !== undefined) return { ok: true, value: r.value };
    if (!r.ok && r.problem.reason === "ambiguous") return { ok: false, error: kamError("value", arg, r.problem.message) };
  }
  return { ok: false, error: errors.badChoice(arg, v, ["TRUE", "FALSE", "是", "否"]) };
}

/**
 * The optional last `lang` argument (docs/contracts.md §1.4): "zh"/"en" (also zh-CN, 中文,
 * English…) wins; empty → the caller's display language.
 */
export function asLang(v: unknown, fallback: Lang): Result<Lang> {
  if (isEmptyCell(v)) return { ok: true, value: fallback };
  if (typeof v === "string") {
    const t = v.normalize("NFKC").trim().toLowerCase();
    if (t.startsWith("zh") || t === "中文" || t === "cn" || t === "chinese") return { ok: true, value: "zh" };
    if (t.startsWith("en") || t === "英文" || t === "english") return { ok: true, value: "en" };
  }
  if (isErrorCell(v)) return { ok: false, error: inputError("lang", v) };
  return { ok: false, error: errors.badChoice("lang", v, ["zh", "en"]) };
}

/** zh* → zh, else en (docs/contracts.md §1.4: Excel's display language). */
export function langOf(displayLanguage: string | undefined | null): Lang {
  return typeof displayLanguage === "string" && displayLanguage.toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** Unwrap a 1×1 matrix result to its cell (docs/contracts.md §3: a one-cell result is a scalar). */
export function collapse(m: CellResult[][]): FnResult {
  const [row] = m;
  return m.length === 1 && row?.length === 1 ? at(row, 0, "the one result cell") : m;
}
