import { errors, fail, ok, type KamError, type Result } from "../errors.js";
import { yuanToFen } from "../money.js";
import { readMoney, readNumber } from "../catalogue/grammar.js";
import { daysOfMonth, parsePeriod, type Period } from "../periods.js";
import type { ScoringInput } from "./model.js";

/**
 * Cells of a scorecard row, as the two evaluation paths read them: the exact path parses any
 * cell into a `Parsed` value (errors named by the input key); the fast path reads plain numbers
 * and range-checks them with `fastReader`, NaN meaning "let the exact path decide this row".
 */

// ───────────────────────────── exact path ─────────────────────────────

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Fast-path marker: an optional input without a default whose cell is empty. */
export const ABSENT = -Infinity;

export interface PeriodInfo {
  period: Period;
  months: number;
  /** Σ calendar days of its months. */
  calendarDays: number;
}

export type Parsed =
  | { t: "absent" }
  | { t: "num"; n: number }
  | { t: "fen"; fen: number }
  | { t: "ratio"; n: bigint; d: bigint }
  | { t: "text"; s: string }
  | { t: "list"; items: string[] }
  | { t: "period"; info: PeriodInfo };

export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}

/** A 1×1 range arrives as [[v]]; read the single value. */
function unwrap(v: unknown): unknown {
  while (Array.isArray(v) && v.length === 1) v = v[0];
  return v;
}

export function periodInfo(p: Period): PeriodInfo {
  let calendarDays = 0;
  for (const m of p.months) calendarDays += daysOfMonth(m);
  return { period: p, months: p.months.length, calendarDays };
}

/** Numeric text through the shared cell grammar (`1,200`, `120万`); a percentage is left to the ratio reader. */
function numericText(s: string): number | undefined {
  if (/[%％]\s*$/.test(s)) return undefined;
  const r = readNumber(s);
  return r.ok ? r.value : undefined;
}

/** Exact rational of a number's shortest decimal (0.9499 → 9499/10000). */
export function decimalOf(x: number): { n: bigint; d: bigint } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/i.exec(String(x))!;
  const frac = m[3] ?? "";
  let n = BigInt((m[2] ?? "0") + frac);
  const exp = (m[4] ? Number(m[4]) : 0) - frac.length;
  let d = 1n;
  if (exp >= 0) n *= 10n ** BigInt(exp);
  else d = 10n ** BigInt(-exp);
  return { n: m[1] === "-" ? -n : n, d };
}

function rangeError(input: ScoringInput): KamError {
  return errors.outOfRange(input.key, `${input.min}–${input.max ?? "∞"}`);
}

/** Exact-path parse of one cell for one input (defaults applied, errors named by input key). */
export function parseCell(input: ScoringInput, raw: unknown): Result<Parsed> {
  let v = unwrap(raw);
  if (isEmpty(v)) {
    if (input.defaultValue === undefined) return ok({ t: "absent" });
    v = input.defaultValue;
  }
  const k = input.key;
  if (input.kind === "month") {
    const p = parsePeriod(v, k);
    return p.ok ? ok({ t: "period", info: periodInfo(p.value) }) : p;
  }
  if (Array.isArray(v)) {
    if (input.kind !== "level") return { ok: false, error: errors.notANumber(k, v) };
    const items = v.flat(2).filter((x) => !isEmpty(x)).map((x) => String(x));
    return ok({ t: "list", items });
  }
  if (typeof v === "boolean" || (typeof v !== "number" && typeof v !== "string")) return { ok: false, error: errors.notANumber(k, v) };

  if (input.kind === "level") {
    const n = typeof v === "number" ? v : numericText(v);
    if (n === undefined) return ok({ t: "text", s: v as string });
    if (!Number.isFinite(n)) return { ok: false, error: errors.notANumber(k, v) };
    if (n < input.min) return { ok: false, error: n < 0 ? errors.negative(k) : rangeError(input) };
    if (input.max !== undefined && n > input.max) return { ok: false, error: rangeError(input) };
    return ok({ t: "num", n });
  }

  if (input.unit === "yuan") {
    const yuan = typeof v === "string" ? readMoney(v) : undefined;
    const fen = yuan?.ok && yuan.value !== undefined ? yuanToFen(yuan.value, k) : yuanToFen(v, k);
    if (!fen.ok) return fen;
    if (fen.value < Math.round(input.min * 100)) return { ok: false, error: fen.value < 0 ? errors.negative(k) : rangeError(input) };
    if (input.max !== undefined && fen.value > Math.round(input.max * 100)) return { ok: false, error: rangeError(input) };
    return ok({ t: "fen", fen: fen.value });
  }

  if (input.unit === "ratio") {
    let r: { n: bigint; d: bigint } | undefined;
    if (typeof v === "number") r = Number.isFinite(v) ? decimalOf(v) : undefined;
    else {
      const t = v.normalize("NFKC").trim();
      const pct = /%$/.test(t);
      const n = numericText(pct ? t.slice(0, -1) : t);
      if (n !== undefined && Number.isFinite(n)) {
        r = decimalOf(n);
        if (pct) r = { n: r.n, d: r.d * 100n };
      }
    }
    if (!r) return { ok: false, error: errors.notANumber(k, v) };
    const min = decimalOf(input.min);
    if (r.n * min.d < min.n * r.d) return { ok: false, error: r.n < 0n ? errors.negative(k) : rangeError(input) };
    if (input.max !== undefined) {
      const max = decimalOf(input.max);
      if (r.n * max.d > max.n * r.d) return { ok: false, error: rangeError(input) };
    }
    return ok({ t: "ratio", n: r.n, d: r.d });
  }

  const n = typeof v === "number" ? v : numericText(v);
  if (n === undefined || !Number.isFinite(n)) return { ok: false, error: errors.notANumber(k, v) };
  if (n < input.min) return { ok: false, error: n < 0 ? errors.negative(k) : rangeError(input) };
  if (input.max !== undefined && n > input.max) return { ok: false, error: rangeError(input) };
  if (input.unit === "count" && !Number.isInteger(n)) {
    return fail("num", k, { zh: `应为整数次数，实际为 ${n}`, en: `expected a whole number, got ${n}` });
  }
  return ok({ t: "num", n });
}


// ───────────────────────────── fast path ─────────────────────────────

/** Money in fen when `v` yuan has at most 2 decimals and lies in range; NaN otherwise. */
function fenIn(v: number, minFen: number, maxFen: number): number {
  const f = v * 100;
  const r = Math.round(f);
  return Math.abs(f - r) < 1e-6 && r >= minFen && r <= maxFen && r < 1e14 ? r : NaN;
}

/** `v` when it lies in range (and is whole where required); NaN otherwise. */
export function numIn(v: number, min: number, max: number, integer: boolean): number {
  return v >= min && v <= max && (!integer || Math.floor(v) === v) ? v : NaN;
}

/**
 * Fast-path read of one input's prepared cell value (yuan for money): in integer fen when `money`,
 * else as it is; NaN when out of range (or not whole for a count, unless `integer` says otherwise).
 */
export function fastReader(input: ScoringInput, money = false, integer = input.unit === "count"): (v: number) => number {
  const min = input.min;
  const max = input.max ?? Infinity;
  if (money) {
    const minFen = Math.round(min * 100);
    const maxFen = max === Infinity ? Infinity : Math.round(max * 100);
    return (v) => fenIn(v, minFen, maxFen);
  }
  return (v) => numIn(v, min, max, integer);
}

// ───────────────────────────── explanation text ─────────────────────────────

export function fmt(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}
export function signed(n: number): string {
  return n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : "±0";
}
export function money(fen: number): string {
  const yuan = Math.abs(fen) / 100;
  const s = yuan.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return fen < 0 ? `−${s}` : s;
}
/** Rate N/D as a percentage, truncated (never rounded up across a step) to 2 decimals. */
export function percentText(n: bigint, d: bigint): string {
  const hundredths = (n * 10000n) / d; // in 0.01 %
  const whole = hundredths / 100n;
  const frac = hundredths % 100n;
  const exact = (n * 10000n) % d === 0n;
  const body = frac === 0n ? `${whole}` : `${whole}.${String(frac).padStart(2, "0").replace(/0$/, "")}`;
  return `${exact ? "" : "≈"}${body}%`;
}
