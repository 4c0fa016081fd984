import { fail, ok, type Result } from "./errors.js";

/**
 * Calendar dates as ISO strings `YYYY-MM-DD` (docs/contracts.md §1.2). All arithmetic is on whole
 * days in UTC so no time zone or DST shifts a date; "today" is taken in the tenant's zone.
 */
export type IsoDate = string;

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EXCEL_EPOCH_DAY = Date.UTC(1899, 11, 30) / 86_400_000;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

export function isIsoDate(s: string): boolean {
  const m = ISO_RE.exec(s);
  if (!m) return false;
  const [, ys = "", ms = "", ds = ""] = m;
  const y = +ys, mo = +ms, d = +ds;
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Days since 1970-01-01 for an ISO date (assumed valid). */
export function dayNumber(iso: IsoDate): number {
  return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000;
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(iso) + days);
}

/** Excel serial date (1900 system; serials > 60 as Excel counts them) → ISO date. */
export function excelSerialToIso(serial: number): IsoDate {
  return fromDayNumber(Math.floor(serial) + EXCEL_EPOCH_DAY);
}

export function isoToExcelSerial(iso: IsoDate): number {
  return dayNumber(iso) - EXCEL_EPOCH_DAY;
}

/** A date argument: ISO string, Excel serial number, or a JS Date. */
export function parseDate(v: unknown, arg = "date"): Result<IsoDate> {
  if (typeof v === "number" && Number.isFinite(v) && v >= 1 && v < 2_958_466) return ok(excelSerialToIso(v));
  if (v instanceof Date && !Number.isNaN(v.getTime())) return ok(v.toISOString().slice(0, 10));
  if (typeof v === "string") {
    const t = v.trim().normalize("NFKC").replace(/[/.]/g, "-");
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(t);
    if (m) {
      const [, y = "", mo = "", d = ""] = m;
      const iso = `${y}-${mo.padStart(2, "0")}-${d.padStart(2, "0")}`;
      if (isIsoDate(iso)) return ok(iso);
    }
  }
  return fail("value", arg, { zh: `无法识别的日期 ${String(v)}（应为 YYYY-MM-DD 或 Excel 日期）`, en: `not a date: ${String(v)} (expected YYYY-MM-DD or an Excel date)` });
}

/** Today's date in a time zone (default Asia/Shanghai). */
export function today(timeZone: string = DEFAULT_TIME_ZONE, now: Date = new Date()): IsoDate {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  return parts; // en-CA formats as YYYY-MM-DD
}
