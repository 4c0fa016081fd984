import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "./dates.js";
import {
  planAdherence,
  planDueDate,
  planIsLate,
  recordDueDate,
  recordIsLate,
  requiredVisits,
  VISIT_CADENCE_002,
  VISIT_CADENCE_004,
  visitCompliance,
} from "./visits.js";

describe("visit cadence (docs/domain.md §5)", () => {
  it("the default table as docs/domain.md §5 gives it", () => {
    expect(VISIT_CADENCE_004.rates.strategic).toEqual({
      kaManager: { visits: 1, perMonths: 1 },
      salesManager: { visits: 1, perMonths: 2 },
      vicePresident: { visits: 1, perMonths: 3 },
      generalManager: { visits: 1, perMonths: 6 },
    });
    expect(VISIT_CADENCE_004.rates.important).toEqual({
      kaManager: { visits: 1, perMonths: 1 },
      salesManager: { visits: 1, perMonths: 3 },
      vicePresident: { visits: 1, perMonths: 6 },
      generalManager: { visits: 1, perMonths: 12 },
    });
  });

  it.each([
    // [class, role, months, expected, worked]
    ["strategic", "salesManager", 12, 6], // floor(12 × 1/2) = 6
    ["important", "vicePresident", 6, 1], // floor(6 × 1/6) = 1
    ["important", "vicePresident", 5, 0], // floor(5/6) = 0
    ["strategic", "kaManager", 3, 3], // floor(3 × 1) = 3
    ["strategic", "vicePresident", 12, 4], // floor(12/3) = 4
    ["strategic", "generalManager", 12, 2], // floor(12/6) = 2
    ["important", "salesManager", 7, 2], // floor(7/3) = 2
    ["important", "generalManager", 11, 0], // floor(11/12) = 0
    ["important", "generalManager", 12, 1], // floor(12/12) = 1
  ] as const)("%s / %s over %i months → %i", (cls, role, m, n) => {
    expect(requiredVisits(cls, role, m)).toEqual({ ok: true, value: n });
  });

  it("accepts the Chinese names of class and role", () => {
    expect(requiredVisits("战略客户", "销售经理", 12)).toEqual({ ok: true, value: 6 });
    expect(requiredVisits("重要客户", "常务副总", 6)).toEqual({ ok: true, value: 1 });
    expect(requiredVisits("重要客户", "总经理", 24)).toEqual({ ok: true, value: 2 });
  });

  it("exact rates: 3 months at 1 per 3 is exactly 1 (no 0.999… from 1/3 × 3)", () => {
    expect(requiredVisits("strategic", "vicePresident", 3)).toEqual({ ok: true, value: 1 });
    expect(requiredVisits("strategic", "vicePresident", 0.3 * 10)).toEqual({ ok: true, value: 1 }); // 0.3 × 10 = 3 (as a decimal)
  });

  it("002 table: liaison leader ≥ 4 a year, sales manager 1 a month", () => {
    expect(VISIT_CADENCE_002.rates.strategic?.liaisonLeader).toEqual({ visits: 4, perMonths: 12 });
    expect(requiredVisits("strategic", "liaisonLeader", 12, "002")).toEqual({ ok: true, value: 4 });
    // floor(6 × 4/12) = 2; floor(9 × 4/12) = 3; floor(2 × 4/12) = 0
    expect(requiredVisits("important", "联系领导", 6, VISIT_CADENCE_002)).toEqual({ ok: true, value: 2 });
    expect(requiredVisits("important", "liaisonLeader", 9, "002")).toEqual({ ok: true, value: 3 });
    expect(requiredVisits("important", "liaisonLeader", 2, "002")).toEqual({ ok: true, value: 0 });
    expect(requiredVisits("strategic", "salesManager", 3, "002")).toEqual({ ok: true, value: 3 });
  });

  it("errors: no rate in the table is #N/A; unknown names #VALUE!; negative months #NUM!", () => {
    const noRate = requiredVisits("strategic", "liaisonLeader", 12);
    expect(!noRate.ok && [noRate.error.code, noRate.error.arg]).toEqual(["na", "role"]);
    const quality = requiredVisits("quality", "kaManager", 12);
    expect(!quality.ok && quality.error.code).toBe("na");
    const cls = requiredVisits("vip", "kaManager", 12);
    expect(!cls.ok && [cls.error.code, cls.error.arg]).toEqual(["value", "accountClass"]);
    const role = requiredVisits("strategic", "CEO", 12);
    expect(!role.ok && [role.error.code, role.error.arg]).toEqual(["value", "role"]);
    const neg = requiredVisits("strategic", "kaManager", -1);
    expect(!neg.ok && [neg.error.code, neg.error.arg]).toEqual(["num", "months"]);
    const table = requiredVisits("strategic", "kaManager", 1, "003");
    expect(!table.ok && [table.error.code, table.error.arg]).toEqual(["value", "table"]);
  });
});

describe("plan adherence (docs/domain.md §5: carried out ÷ planned; no summary, no visit)", () => {
  it("worked example: 2 of 4 planned visits carried out → 0.5", () => {
    const plans = [
      { id: "p1", accountId: "A1", month: "2026-03" },
      { id: "p2", accountId: "A1", month: "2026-03" },
      { id: "p3", accountId: "A2", month: "2026-03" },
      { id: "p4", accountId: "A3", month: "2026-03" },
    ];
    const records = [
      { accountId: "A1", date: "2026-03-05", summary: "谈了续约" }, // carries out one A1 plan
      { accountId: "A1", date: "2026-03-20", summary: "  " }, // no written summary → does not count
      { accountId: "A2", date: "2026-04-02", summary: "late" }, // April, not the March plan
      { accountId: "A3", date: "2026-03-10", planId: "p4", summary: "demo" }, // linked to p4
    ];
    // carried out: one of p1/p2, and p4 → 2 / 4 = 0.5
    expect(planAdherence(plans, records)).toEqual({ ok: true, value: 0.5 });
  });

  it("a record carries out at most one plan; roles must agree when both are named", () => {
    const plans = [
      { id: "p1", accountId: "A1", month: "2026-03", role: "salesManager" },
      { id: "p2", accountId: "A1", month: "2026-03", role: "kaManager" },
    ];
    // one kaManager visit and one without a role: kaManager record → p2, role-less → p1 → 2/2
    expect(
      planAdherence(plans, [
        { accountId: "A1", date: "2026-03-02", summary: "x" },
        { accountId: "A1", date: "2026-03-03", summary: "y", role: "kaManager" },
      ]),
    ).toEqual({ ok: true, value: 1 });
    // a single kaManager visit cannot carry out the salesManager plan → 1/2
    expect(planAdherence(plans, [{ accountId: "A1", date: "2026-03-03", summary: "y", role: "大客户经理" }])).toEqual({ ok: true, value: 0.5 });
  });

  it("a plan's month may come from its planned date", () => {
    expect(planAdherence([{ accountId: "A", plannedDate: "2026-05-20" }], [{ accountId: "A", date: "2026-05-03", summary: "ok" }])).toEqual({
      ok: true,
      value: 1,
    });
  });

  it("zero planned → #DIV/0!", () => {
    const r = planAdherence([], [{ accountId: "A", date: "2026-05-03", summary: "ok" }]);
    expect(!r.ok && [r.error.code, r.error.arg]).toEqual(["div0", "plans"]);
  });
});

describe("visit compliance (docs/domain.md §5)", () => {
  it("strategic / salesManager over 2026-H1: required floor(6 × 1/2) = 3", () => {
    const records = [
      { date: "2026-01-15", summary: "a" },
      { date: "2026-03-15", summary: "b", role: "销售经理" },
      { date: "2026-06-30", summary: "c" },
      { date: "2026-02-01", summary: "" }, // no summary
      { date: "2026-07-01", summary: "d" }, // outside H1
      { date: "2026-04-01", summary: "e", role: "kaManager" }, // another role
    ];
    expect(visitCompliance({ accountClass: "strategic", role: "salesManager", period: "2026-H1", records })).toEqual({
      ok: true,
      value: { required: 3, carriedOut: 3, met: true, shortfall: 0 },
    });
    // Q1 alone: required floor(3/2) = 1; carried out 2 (01-15, 03-15)
    expect(visitCompliance({ accountClass: "strategic", role: "salesManager", period: "2026-Q1", records })).toEqual({
      ok: true,
      value: { required: 1, carriedOut: 2, met: true, shortfall: 0 },
    });
    // important / kaManager over the year: 12 required; carried out: 04-01 (kaManager) plus the role-less
    // 01-15, 06-30, 07-01 = 4 (03-15 is a salesManager visit, 02-01 has no summary) → shortfall 12 − 4 = 8
    expect(visitCompliance({ accountClass: "important", role: "kaManager", period: 2026, records })).toEqual({
      ok: true,
      value: { required: 12, carriedOut: 4, met: false, shortfall: 8 },
    });
  });
});

describe("visit paperwork due dates (docs/domain.md §5)", () => {
  it("record of month M is due by the 5th of M+1", () => {
    expect(recordDueDate("2026-03")).toEqual({ ok: true, value: "2026-04-05" });
    expect(recordDueDate("2026-12")).toEqual({ ok: true, value: "2027-01-05" });
    expect(recordDueDate("2026-03-17")).toEqual({ ok: true, value: "2026-04-05" }); // any date of the month
    expect(recordDueDate(46082)).toEqual({ ok: true, value: "2026-04-05" }); // Excel serial of 2026-03-01
  });
  it("the plan is due before the month: by the last day of the previous month", () => {
    expect(planDueDate("2026-03")).toEqual({ ok: true, value: "2026-02-28" });
    expect(planDueDate("2024-03")).toEqual({ ok: true, value: "2024-02-29" });
    expect(planDueDate("2026-01")).toEqual({ ok: true, value: "2025-12-31" });
  });
  it("a period that is not a month is #VALUE!", () => {
    const r = recordDueDate("2026-Q1");
    expect(!r.ok && [r.error.code, r.error.arg]).toEqual(["value", "month"]);
  });
});

describe("lateness (docs/domain.md §5)", () => {
  it("a plan for month M is late when made on or after the 1st of M", () => {
    expect(planIsLate("2026-03", "2026-02-28")).toEqual({ ok: true, value: false });
    expect(planIsLate("2026-03", "2026-03-01")).toEqual({ ok: true, value: true });
    expect(planIsLate("2026-01", "2025-12-31")).toEqual({ ok: true, value: false });
    expect(planIsLate("2026-01", "2026-01-01")).toEqual({ ok: true, value: true });
    // A plan made well ahead is on time.
    expect(planIsLate("2026-07", "2026-01-10")).toEqual({ ok: true, value: false });
    expect(planIsLate("2026-13", "2026-01-10").ok).toBe(false);
    expect(planIsLate("2026-03", "x")).toMatchObject({ ok: false, error: { arg: "enteredOn" } });
  });

  it("a record of a visit in month M is late when entered after the 5th of M+1", () => {
    expect(recordIsLate("2026-03-31", "2026-04-05")).toEqual({ ok: true, value: false });
    expect(recordIsLate("2026-03-02", "2026-04-06")).toEqual({ ok: true, value: true });
    expect(recordIsLate("2026-12-20", "2027-01-05")).toEqual({ ok: true, value: false });
    expect(recordIsLate("2026-12-20", "2027-01-06")).toEqual({ ok: true, value: true });
    expect(recordIsLate("2026-03-02", "2026-03-02")).toEqual({ ok: true, value: false });
    expect(recordIsLate("2026-02-30", "2026-03-02").ok).toBe(false);
  });

  it("property: lateness is monotonic in the entry date and flips exactly once, at the due date", () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays("2024-01-01", n));
    fc.assert(
      fc.property(day, day, (visit, entered) => {
        const month = visit.slice(0, 7);
        const plan = planIsLate(month, entered);
        const rec = recordIsLate(visit, entered);
        expect(plan.ok && rec.ok).toBe(true);
        // On time up to the due date, late from the day after — never the other way round.
        const planDue = planDueDate(month);
        const recDue = recordDueDate(month);
        if (!plan.ok || !rec.ok || !planDue.ok || !recDue.ok) return;
        expect(plan.value).toBe(entered > planDue.value);
        expect(rec.value).toBe(entered > recDue.value);
        if (plan.value) expect(planIsLate(month, addDays(entered, 1))).toEqual({ ok: true, value: true });
        if (!rec.value) expect(recordIsLate(visit, addDays(entered, -1))).toEqual({ ok: true, value: false });
      }),
      { seed: 1414, numRuns: 300 },
    );
  });
});
