import { daysInMonth, parseDate, type IsoDate } from "./dates.js";
import { fail, ok, type Result } from "./errors.js";

/**
 * Assessment periods (docs/domain.md §6, §8; docs/contracts.md §1.3): `2026`, `2026-H1`, `2026-Q3`, `2026-09`.
 */
export type PeriodKind = "year" | "half" | "quarter" | "month";

export interface Period {
  /** Canonical id: `2026`, `2026-H1`, `2026-Q3`, `2026-09`. */
  id: string;
  kind: PeriodKind;
  year: number;
  start: IsoDate;
  end: IsoDate;
  /** Months covered, as `YYYY-MM`, in order. */
  months: string[];
}

function build(id: string, kind: PeriodKind, year: number, firstMonth: number, count: number): Period {
  const months: string[] = [];
  for (let i = 0; i < count; i++) months.push(`${year}-${String(firstMonth + i).padStart(2, "0")}`);
  const lastMonth = firstMonth + count - 1;
  return {
    id,
    kind,
    year,
    start: `${year}-${String(firstMonth).padStart(2, "0")}-01`,
    end: `${year}-${String(lastMonth).padStart(2, "0")}-${String(daysInMonth(year, lastMonth)).padStart(2, "0")}`,
    months,
  };
}

/**
 * Parse a period id. Also accepts `2026Q3`, `2026-q3`, `2026-9`, full-width digits, and an
 * Excel serial / ISO date (→ that date's month) as a convenience for cells.
 */
export function parsePeriod(input: unknown, arg = "period"): Result<Period> {
  if (typeof input === "number" && Number.isInteger(input) && input >= 1900 && input <= 9999) {
    return ok(build(String(input), "year", input, 1, 12));
  }
  if (typeof input === "number" || input instanceof Date) {
    const d = parseDate(input, arg);
    if (!d.ok) return d;
    return parsePeriod(d.value.slice(0, 7), arg);
  }
  if (typeof input !== "string") return badPeriod(arg, input);
  const t = input.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, "");
  // Every group below is required by its pattern, so the "" defaults are never used.
  let m = /^(\d{4})$/.exec(t);
  if (m) {
    const [, y = ""] = m;
    return ok(build(y, "year", +y, 1, 12));
  }
  m = /^(\d{4})-?h([12])$/.exec(t);
  if (m) {
    const [, y = "", h = ""] = m;
    return ok(build(`${y}-H${h}`, "half", +y, h === "1" ? 1 : 7, 6));
  }
  m = /^(\d{4})-?q([1-4])$/.exec(t);
  if (m) {
    const [, y = "", q = ""] = m;
    return ok(build(`${y}-Q${q}`, "quarter", +y, (+q - 1) * 3 + 1, 3));
  }
  m = /^(\d{4})[-/.](\d{1,2})$/.exec(t) ?? /^(\d{4})(\d{2})$/.exec(t);
  if (m) {
    const [, y = "", month = ""] = m;
    const mo = +month;
    if (mo >= 1 && mo <= 12) return ok(build(`${y}-${String(mo).padStart(2, "0")}`, "month", +y, mo, 1));
  }
  const d = parseDate(input, arg);
  if (d.ok) return parsePeriod(d.value.slice(0, 7), arg);
  return badPeriod(arg, input);
}

function badPeriod(arg: string, input: unknown): Result<Period> {
  return fail("value", arg, {
    zh: `无法识别的期间 ${String(input)}（应为 2026、2026-H1、2026-Q3 或 2026-09）`,
    en: `not a period: ${String(input)} (expected 2026, 2026-H1, 2026-Q3 or 2026-09)`,
  });
}

/** Whether an ISO date falls within the period. */
export function inPeriod(date: IsoDate, p: Period): boolean {
  return date >= p.start && date <= p.end;
}

/** Number of calendar days in a `YYYY-MM` month. */
export function daysOfMonth(month: string): number {
  return daysInMonth(+month.slice(0, 4), +month.slice(5, 7));
}

// ---------------------------------------------------------------------------------------------
// Default periods and labels (pickers, sheet names)

/** The quarter containing an ISO date: `2026-Q4` for 2026-12-01. */
export function quarterOf(date: IsoDate): string {
  return `${date.slice(0, 4)}-Q${quarterNumber(date)}`;
}

/** 1–4: the quarter of the year an ISO date falls in. */
function quarterNumber(date: IsoDate): number {
  return Math.floor((+date.slice(5, 7) - 1) / 3) + 1;
}

/** The quarter that holds `today` (tenant's zone): the default period for setting targets. */
export function currentQuarter(today: IsoDate): string {
  return quarterOf(today);
}

/**
 * The latest quarter whose last day is before `today`: the default period for collections and
 * scorecards, whose figures are only final once the quarter has ended. On a quarter's last day
 * that quarter is still open, so the previous one is returned.
 */
export function lastCompleteQuarter(today: IsoDate): string {
  const y = +today.slice(0, 4);
  const q = quarterNumber(today);
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

/** The quarter before the one holding a period's first day (a scorecard's growth over the last quarter). */
export function previousQuarter(p: Period): Period {
  return (parsePeriod(lastCompleteQuarter(p.start)) as { ok: true; value: Period }).value;
}

const QUARTER_ZH = ["一", "二", "三", "四"];

/** How a period reads to a person: `2026年一季度` / `2026 Q1`, `2026年上半年` / `2026 H1`, `2026年` / `2026`, `2026年9月` / `2026-09`. */
export function periodLabel(id: string, lang: "zh" | "en"): string {
  const p = parsePeriod(id);
  if (!p.ok) return id;
  const v = p.value;
  const n = v.kind === "year" ? 0 : +v.id.slice(-1);
  switch (v.kind) {
    case "year":
      return lang === "zh" ? `${v.year}年` : String(v.year);
    case "half":
      return lang === "zh" ? `${v.year}年${n === 1 ? "上" : "下"}半年` : `${v.year} H${n}`;
    case "quarter":
      return lang === "zh" ? `${v.year}年${QUARTER_ZH[n - 1]}季度` : `${v.year} Q${n}`;
    case "month":
      return lang === "zh" ? `${v.year}年${+v.id.slice(5, 7)}月` : v.id;
  }
}

/** A period id without separators, for sheet names: `2026-Q1` → `2026Q1`. */
export function compactPeriod(id: string): string {
  return id.replace(/-/g, "");
}

/**
 * The periods a picker offers around `today`: for each year from the previous to the next, the
 * year, its halves and its quarters (targets are set per year, half or quarter), newest year first.
 */
export function periodChoices(today: IsoDate, kinds: readonly PeriodKind[] = ["quarter", "half", "year"]): string[] {
  const y = +today.slice(0, 4);
  const out: string[] = [];
  for (const year of [y + 1, y, y - 1]) {
    if (kinds.includes("quarter")) for (const q of [1, 2, 3, 4]) out.push(`${year}-Q${q}`);
    if (kinds.includes("half")) out.push(`${year}-H1`, `${year}-H2`);
    if (kinds.includes("year")) out.push(String(year));
  }
  return out;
}
