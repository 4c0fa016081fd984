import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getBuiltinModel } from "./builtins.js";
import { compileModel, evaluateColumns, evaluateModel } from "./evaluate.js";

const manager = getBuiltinModel("ka-manager")!;

/** Yuan with at most 2 decimals, as a cell holds it. */
const yuan = fc.integer({ min: 0, max: 5_000_000_000 }).map((fen) => fen / 100);
const count = fc.integer({ min: 0, max: 40 });

const managerRow = fc.record({
  salesActual: yuan,
  salesPlan: fc.integer({ min: 1, max: 5_000_000_000 }).map((fen) => fen / 100),
  salesLastQuarter: yuan,
  newAccounts: count,
  newAccountsPlan: count,
  infoCollection: fc.integer({ min: 0, max: 20 }).map((x) => x / 2),
  teamwork: fc.integer({ min: 0, max: 10 }),
  knowledge: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.subarray(["产品", "industry", "post", "相关业务知识"], { minLength: 1 }).map((xs) => xs.join("、"))),
  judgement: fc.constantFrom(4, 3.5, 3, 2.5, "强", "较强", "一般", "weak"),
  communication: fc.constantFrom(6, 5.5, 5, 4.5, "strong", "较弱"),
  absenceDays: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant("")),
  attendanceDays: fc.integer({ min: 0, max: 90 }),
  month: fc.constantFrom("2026-02", "2026-Q1", "2026-07", "2026-H2"),
  lateCount: fc.oneof(count, fc.constant(undefined)),
  unreportedFieldDays: fc.oneof(count, fc.constant(undefined)),
  violations: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(undefined)),
  responsibility: fc.constantFrom(5, 4.5, 3, 1.5, 0, "主动承担"),
  complaints: fc.integer({ min: 0, max: 3 }),
});

describe("scoring properties (fast-check)", () => {
  it("no item is ever below its floor", () => {
    fc.assert(
      fc.property(managerRow, (row) => {
        const r = evaluateModel(manager, row);
        for (const [i, item] of r.items.entries()) {
          expect(item.points.ok).toBe(true);
          if (item.points.ok) expect(item.points.value).toBeGreaterThanOrEqual(manager.items[i]!.floor);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("sales completion points never fall as actual sales rise", () => {
    fc.assert(
      fc.property(yuan, yuan, fc.integer({ min: 1, max: 5_000_000_000 }).map((f) => f / 100), (a, b, plan) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const p = (actual: number) => {
          const r = evaluateModel(manager, { salesActual: actual, salesPlan: plan }).items[0]!.points;
          return r.ok ? r.value : NaN;
        };
        expect(p(lo)).toBeLessThanOrEqual(p(hi));
      }),
      { numRuns: 500 },
    );
  });

  it("when every item is ok, the total is the sum of the items", () => {
    fc.assert(
      fc.property(managerRow, (row) => {
        const r = evaluateModel(manager, row);
        expect(r.total.ok).toBe(true);
        const centsSum = r.items.reduce((t, i) => t + (i.points.ok ? Math.round(i.points.value * 100) : NaN), 0);
        if (r.total.ok) expect(Math.round(r.total.value * 100)).toBe(centsSum);
      }),
      { numRuns: 300 },
    );
  });

  /** Typed columns of plain numbers: what the fast path reads in place. */
  const numericRow = fc.record({
    salesActual: fc.oneof(yuan, fc.constant(1.005), fc.constant(-5)), // 1.005: 3 decimals → exact path; −5 → #NUM!
    salesPlan: fc.oneof(fc.integer({ min: 0, max: 5_000_000_000 }).map((fen) => fen / 100), fc.constant(0)),
    salesLastQuarter: yuan,
    newAccounts: fc.oneof(count, fc.constant(2.5)),
    newAccountsPlan: count,
    infoCollection: fc.integer({ min: 0, max: 24 }).map((x) => x / 2), // up to 12: above 10 → #NUM!
    teamwork: fc.integer({ min: 0, max: 10 }),
    knowledge: fc.integer({ min: 0, max: 11 }),
    judgement: fc.constantFrom(4, 3.5, 3, 2.5, 3.7),
    communication: fc.constantFrom(6, 5.5, 5, 4.5),
    absenceDays: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant(1.5)),
    lateCount: count,
    unreportedFieldDays: count,
    violations: fc.integer({ min: 0, max: 4 }),
    responsibility: fc.constantFrom(5, 4.5, 3, 1.5, 0, 4),
    complaints: fc.integer({ min: 0, max: 3 }),
  });

  {
    const c = compileModel(manager);
    it("the compiled fast path gives the exact path's totals, row for row", () => {
      fc.assert(
        fc.property(fc.array(managerRow, { minLength: 1, maxLength: 20 }), fc.constantFrom(undefined, "2026-Q2"), (rows, period) => {
          const columns: Record<string, unknown[]> = {};
          for (const key of c.inputKeys) columns[key] = rows.map((r) => (r as Record<string, unknown>)[key]);
          const t = evaluateColumns(c, columns, { period });
          rows.forEach((row, i) => {
            const exact = evaluateModel(manager, row, { period });
            expect(t.totals[i]).toBe(exact.total.ok ? exact.total.value : NaN);
          });
        }),
        { numRuns: 100 },
      );
    });
    it("typed numeric columns give the exact path's totals, errors included", () => {
      fc.assert(
        fc.property(fc.array(numericRow, { minLength: 1, maxLength: 30 }), (rows) => {
          const columns: Record<string, Float64Array> = {};
          for (const key of Object.keys(rows[0]!)) columns[key] = Float64Array.from(rows.map((r) => (r as Record<string, number>)[key]!));
          const t = evaluateColumns(c, columns);
          rows.forEach((row, i) => {
            const exact = evaluateModel(manager, row);
            expect(t.totals[i]).toBe(exact.total.ok ? exact.total.value : NaN);
          });
          expect(t.errorRows).toEqual(rows.flatMap((row, i) => (evaluateModel(manager, row).total.ok ? [] : [i])));
        }),
        { numRuns: 100 },
      );
    });
  }
});
