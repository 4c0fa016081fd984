import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "./dates.js";
import { compactPeriod, currentQuarter, lastCompleteQuarter, parsePeriod, periodChoices, periodLabel, previousQuarter } from "./periods.js";

describe("default periods: current quarter (targets), last complete quarter (collections, scorecards)", () => {
  it.each([
    ["2026-01-01", "2026-Q1", "2025-Q4"],
    ["2026-03-31", "2026-Q1", "2025-Q4"], // the quarter's last day: Q1 is not complete yet
    ["2026-04-01", "2026-Q2", "2026-Q1"],
    ["2026-09-30", "2026-Q3", "2026-Q2"],
    ["2026-12-01", "2026-Q4", "2026-Q3"],
    ["2026-12-31", "2026-Q4", "2026-Q3"],
  ])("%s → current %s, last complete %s", (day, current, last) => {
    expect(currentQuarter(day)).toBe(current);
    expect(lastCompleteQuarter(day)).toBe(last);
  });

  it("the last complete quarter ended before today and the quarter after it holds today", () => {
    const days = fc.integer({ min: 0, max: 365 * 40 }).map((n) => addDays("2000-01-01", n));
    fc.assert(
      fc.property(days, (day) => {
        const last = parsePeriod(lastCompleteQuarter(day));
        const cur = parsePeriod(currentQuarter(day));
        if (!last.ok || !cur.ok) return false;
        return last.value.end < day && cur.value.start <= day && day <= cur.value.end && addDays(last.value.end, 1) === cur.value.start;
      }),
      { seed: 20261201, numRuns: 300 },
    );
  });
});

describe("period labels", () => {
  it.each([
    ["2026-Q1", "2026年一季度", "2026 Q1"],
    ["2027-Q4", "2027年四季度", "2027 Q4"],
    ["2026-H2", "2026年下半年", "2026 H2"],
    ["2026", "2026年", "2026"],
    ["2026-09", "2026年9月", "2026-09"],
  ])("%s → %s / %s", (id, zh, en) => {
    expect(periodLabel(id, "zh")).toBe(zh);
    expect(periodLabel(id, "en")).toBe(en);
  });

  it("sheet names use the compact id; the picker offers last, this and next year", () => {
    expect(compactPeriod("2026-Q1")).toBe("2026Q1");
    const c = periodChoices("2026-12-01");
    expect(c).toContain("2027-Q1");
    expect(c).toContain("2025-Q4");
    expect(c).toContain("2026");
    expect(c.every((id) => parsePeriod(id).ok)).toBe(true);
    expect(periodChoices("2026-12-01", ["quarter"])).toHaveLength(12);
  });
});

describe("previousQuarter: the quarter before a period's first day", () => {
  it.each([
    ["2026-Q1", "2025-Q4"],
    ["2026-Q3", "2026-Q2"],
    ["2026-08", "2026-Q2"],
    ["2026-H2", "2026-Q2"],
    ["2026-H1", "2025-Q4"],
    ["2026", "2025-Q4"],
    ["2026-12", "2026-Q3"],
  ])("%s → %s", (period, expected) => {
    const p = parsePeriod(period);
    if (!p.ok) throw new Error(period);
    expect(previousQuarter(p.value)).toMatchObject({ id: expected });
  });
});
