import { describe, expect, it } from "vitest";
import { cadenceRoles, complianceRows, visitClasses, type ClassedAccount, type StoredVisitPlan, type StoredVisitRecord } from "./compliance.js";
import { parsePeriod, type Period } from "./periods.js";

const acc = (id: string, strategic = false): ClassedAccount => ({ id, name: `name-${id}`, owner: "m-li", strategic });

function period(id: string): Period {
  const p = parsePeriod(id, "period");
  if (!p.ok) throw new Error(id);
  return p.value;
}

describe("visit classes (strategic flag, Pareto A = important)", () => {
  it("ranks signed revenue up to the period end, in fen", () => {
    const accounts = [acc("a1", true), acc("a2"), acc("a3"), acc("a4")];
    const classes = visitClasses(
      accounts,
      [
        { accountId: "a1", signedDate: "2026-01-05", amountYuan: 700.1 },
        { accountId: "a1", signedDate: "2026-02-05", amountYuan: 99.9 },
        { accountId: "a2", signedDate: "2026-03-31", amountYuan: 150 },
        { accountId: "a3", signedDate: "2026-02-01", amountYuan: 50 },
        // After the period end: not counted (else a3 would be class A).
        { accountId: "a3", signedDate: "2026-04-01", amountYuan: 10_000 },
        // An account not in the list (deleted): not ranked.
        { accountId: "gone", signedDate: "2026-01-01", amountYuan: 1_000_000 },
      ],
      "2026-03-31",
    );
    // Revenues 800 / 150 / 50 / 0: a1 is A (nothing before it); a2 starts at 80% → B.
    expect(Object.fromEntries(classes)).toEqual({ a1: ["strategic", "important"], a2: [], a3: [], a4: [] });
  });

  it("names no account important when no account has revenue", () => {
    const classes = visitClasses([acc("a1", true), acc("a2")], [], "2026-12-31");
    expect(Object.fromEntries(classes)).toEqual({ a1: ["strategic"], a2: [] });
  });

  it("takes the roles a class's cadence names, in role order", () => {
    expect(cadenceRoles(["important"])).toEqual(["kaManager", "salesManager", "vicePresident", "generalManager"]);
    expect(cadenceRoles([])).toEqual([]);
  });
});

describe("compliance rows", () => {
  const plans: StoredVisitPlan[] = [
    { id: "p1", accountId: "a1", month: "2026-01", role: "kaManager", enteredOn: "2025-12-20" },
    { id: "p2", accountId: "a1", month: "2026-02", role: "kaManager", enteredOn: "2026-02-03" }, // late: made after Feb 1
    { id: "p3", accountId: "a1", month: "2026-05", role: "kaManager" }, // outside the period
    { id: "p4", accountId: "a2", month: "2026-03", role: "salesManager" },
  ];
  const records: StoredVisitRecord[] = [
    { id: "r1", accountId: "a1", date: "2026-01-10", role: "kaManager", summary: "met the buyer", enteredOn: "2026-01-10" },
    { id: "r2", accountId: "a1", date: "2026-02-11", role: "kaManager", summary: "site visit", enteredOn: "2026-03-09" }, // late: due Mar 5
    { id: "r3", accountId: "a1", date: "2026-03-01", role: "kaManager", summary: " " }, // no written summary
    { id: "r4", accountId: "a1", date: "2026-04-02", role: "salesManager", summary: "next quarter" },
  ];
  const classes = new Map([
    ["a1", ["strategic", "important"] as ("strategic" | "important")[]],
    ["a2", []],
  ]);
  const common = { accounts: [acc("a1", true), acc("a2")], classes, plans, records, period: period("2026-Q1") };

  it("checks each cadence role of a classed account against the stricter class", () => {
    const rows = complianceRows({ ...common, lang: "en" });
    const a1 = rows.filter((r) => r.accountId === "a1");
    expect(a1.map((r) => [r.role, r.required, r.carriedOut, r.met, r.shortfall, r.planned])).toEqual([
      ["kaManager", 3, 2, false, 1, 2],
      ["salesManager", 1, 0, false, 1, 0],
      // strategic 1 per 3 months (1) beats important 1 per 6 months (0).
      ["vicePresident", 1, 0, false, 1, 0],
      ["generalManager", 0, 0, true, 0, 0],
    ]);
    expect(a1[0]).toMatchObject({
      accountName: "name-a1",
      owner: "m-li",
      classes: ["strategic", "important"],
      planAdherence: 1,
      latePlans: ["p2"],
      lateRecords: ["r2"],
      late: true,
    });
    expect(a1[1]).toMatchObject({
      planAdherence: null,
      planAdherenceError: { code: "#DIV/0!", message: "plans: planned visits is 0, the ratio is undefined" },
      latePlans: [],
      lateRecords: [],
      late: false,
    });
  });

  it("shows an unclassed account's roles that planned or visited, with nothing required", () => {
    const rows = complianceRows({ ...common, lang: "zh" }).filter((r) => r.accountId === "a2");
    expect(rows).toEqual([
      {
        accountId: "a2",
        accountName: "name-a2",
        owner: "m-li",
        classes: [],
        role: "salesManager",
        required: 0,
        carriedOut: 0,
        met: true,
        shortfall: 0,
        planned: 1,
        planAdherence: 0,
        latePlans: [],
        lateRecords: [],
        late: false,
      },
    ]);
  });

  it("keeps one role when asked, for every account", () => {
    const rows = complianceRows({ ...common, role: "kaManager", lang: "zh" });
    expect(rows.map((r) => [r.accountId, r.role, r.required, r.carriedOut, r.planned])).toEqual([
      ["a1", "kaManager", 3, 2, 2],
      ["a2", "kaManager", 0, 0, 0],
    ]);
    expect(rows[1]!.planAdherenceError).toEqual({ code: "#DIV/0!", message: "plans: 计划拜访次数为 0，无法计算比率" });
  });
});
