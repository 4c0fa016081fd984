import { describe, expect, it } from "vitest";
import { parsePeriod } from "./periods.js";
import { yuanToFen } from "./money.js";
import { parseDate } from "./dates.js";

describe("periods (docs/domain.md §6, docs/contracts.md §1.3)", () => {
  it.each([
    ["2026", "year", "2026-01-01", "2026-12-31", 12],
    ["2026-H1", "half", "2026-01-01", "2026-06-30", 6],
    ["2026-H2", "half", "2026-07-01", "2026-12-31", 6],
    ["2026-Q3", "quarter", "2026-07-01", "2026-09-30", 3],
    ["2024-02", "month", "2024-02-01", "2024-02-29", 1], // leap year
    ["2026-02", "month", "2026-02-01", "2026-02-28", 1],
    ["２０２６－Ｑ１", "quarter", "2026-01-01", "2026-03-31", 3], // full-width
  ])("%s → %s %s..%s", (id, kind, start, end, months) => {
    const p = parsePeriod(id);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect([p.value.kind, p.value.start, p.value.end, p.value.months.length]).toEqual([kind, start, end, months]);
  });
  it("rejects nonsense with #VALUE! naming the argument", () => {
    const p = parsePeriod("2026-Q5");
    expect(p.ok).toBe(false);
    if (!p.ok) expect([p.error.code, p.error.arg]).toEqual(["value", "period"]);
    expect(parsePeriod("2026-13").ok).toBe(false);
  });
});

describe("money (docs/contracts.md §1.1)", () => {
  it("converts yuan to integer fen, half away from zero", () => {
    expect(yuanToFen(1234.56)).toEqual({ ok: true, value: 123456 });
    expect(yuanToFen(0.1 + 0.2)).toEqual({ ok: true, value: 30 });
    expect(yuanToFen(1.005)).toEqual({ ok: true, value: 101 });
    expect(yuanToFen(-1.005)).toEqual({ ok: true, value: -101 });
    expect(yuanToFen("¥1,000,000.10")).toEqual({ ok: true, value: 100000010 });
    expect(yuanToFen("abc").ok).toBe(false);
  });
});

describe("dates", () => {
  it("accepts Excel serials and ISO strings", () => {
    expect(parseDate(46023)).toEqual({ ok: true, value: "2026-01-01" });
    expect(parseDate("2026/9/5")).toEqual({ ok: true, value: "2026-09-05" });
    expect(parseDate("2026-02-30").ok).toBe(false);
  });
});
