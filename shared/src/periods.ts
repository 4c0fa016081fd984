import { daysInMonth, parseDate, type IsoDate } from "./dates.js";
import { fail, ok, type Result } from "./errors.js";

/**
 * Assessment periods (DOMAIN §6, §8; CONTRACTS "Periods"): `2026`, `2026-H1`, `2026-Q3`, `2026-09`.
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
  let m = /^(\d{4})$/.exec(t);
  if (m) return ok(build(m[1]!, "year", +m[1]!, 1, 12));
  m = /^(\d{4})-?h([12])$/.exec(t);
  if (m) return ok(build(`${m[1]}-H${m[2]}`, "half", +m[1]!, m[2] === "1" ? 1 : 7, 6));
  m = /^(\d{4})-?q([1-4])$/.exec(t);
  if (m) return ok(build(`${m[1]}-Q${m[2]}`, "quarter", +m[1]!, (+m[2]! - 1) * 3 + 1, 3));
  m = /^(\d{4})[-/.](\d{1,2})$/.exec(t) ?? /^(\d{4})(\d{2})$/.exec(t);
  if (m && +m[2]! >= 1 && +m[2]! <= 12) {
    const mo = +m[2]!;
    return ok(build(`${m[1]}-${String(mo).padStart(2, "0")}`, "month", +m[1]!, mo, 1));
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

/** The quarter a date falls in, as a period id (`2026-Q3`); targets default to it. */
export function currentQuarter(today: IsoDate): string {
  return `${today.slice(0, 4)}-Q${Math.floor((+today.slice(5, 7) - 1) / 3) + 1}`;
}

/** The last quarter that has ended by a date (`2026-10-05` → `2026-Q3`); scorecards and collections default to it. */
export function lastCompleteQuarter(today: IsoDate): string {
  const year = +today.slice(0, 4);
  const q = Math.floor((+today.slice(5, 7) - 1) / 3) + 1;
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}
