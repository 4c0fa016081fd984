import { describe, expect, it } from "vitest";
import {
  ContractSchema,
  ContractWriteSchema,
  PaymentSchema,
  PaymentWriteSchema,
  ScoringModelSchema,
  TargetDecisionSchema,
  TargetProposalSchema,
  TargetSchema,
  TargetVersionSchema,
  UserSchema,
  UserWriteSchema,
  VisitPlanSchema,
  VisitPlanWriteSchema,
  VisitRecordSchema,
  hasWrittenSummary,
  targetIdOf,
  validate,
} from "./index.js";

function paths(r: { ok: boolean; details?: { path: string }[] }): string[] {
  return r.ok ? [] : r.details!.map((d) => d.path).sort();
}

describe("User (docs/contracts.md §5)", () => {
  it("valid user with roles and team", () => {
    expect(validate(UserSchema, { id: "u1", name: "李明", roles: ["manager"], team: "east" }).ok).toBe(true);
  });
  it("roles are the role ids of docs/domain.md §1, without repeats; unknown field rejected", () => {
    expect(paths(validate(UserSchema, { id: "u1", name: "李明", roles: ["Manager"] }))).toEqual(["roles[0]"]);
    expect(paths(validate(UserSchema, { id: "u1", name: "李明", roles: ["manager", "manager"] }))).toEqual(["roles"]);
    expect(paths(validate(UserSchema, { id: "u1", name: "李明", roles: [], email: "x@y.cn" }))).toEqual(["email"]);
  });
  it("a user write is a subset; team null leaves the team", () => {
    expect(validate(UserWriteSchema, { id: "u1", team: null }).ok).toBe(true);
    expect(paths(validate(UserWriteSchema, { id: "u1", name: null }))).toEqual(["name"]);
  });
});

describe("Target with versions (docs/domain.md §6)", () => {
  const approved = { version: 1, amountYuan: 12_000_000, status: "approved", proposedBy: "d1", proposedAt: "2026-01-05T02:00:00Z", decidedBy: "d1", decidedAt: "2026-01-05T02:00:00Z" };
  const pending = { version: 2, amountYuan: 10_000_000, status: "pending", proposedBy: "u1", proposedAt: "2026-05-01T02:00:00Z", reason: "市场下滑" };
  it("valid manager target with an approved and a pending version; period stored canonical", () => {
    const r = validate(TargetSchema, { id: "t1", level: "manager", subject: "u1", period: "2026q3", versions: [approved, pending] });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.period).toBe("2026-Q3");
  });
  it("a company target has no subject; other levels need one", () => {
    expect(validate(TargetSchema, { id: "t", level: "company", period: "2026", versions: [] }).ok).toBe(true);
    expect(paths(validate(TargetSchema, { id: "t", level: "company", subject: "x", period: "2026", versions: [] }))).toEqual(["subject"]);
    expect(paths(validate(TargetSchema, { id: "t", level: "team", period: "2026", versions: [] }))).toEqual(["subject"]);
  });
  it("rejects a bad period and a full date as period", () => {
    expect(paths(validate(TargetSchema, { id: "t", level: "company", period: "2026-Q5", versions: [] }))).toEqual(["period"]);
    expect(paths(validate(TargetSchema, { id: "t", level: "company", period: "2026-03-15", versions: [] }))).toEqual(["period"]);
  });
  it("versions are numbered 1, 2, 3 …", () => {
    expect(paths(validate(TargetSchema, { id: "t", level: "company", period: "2026", versions: [{ ...pending, version: 2 }] }))).toEqual(["versions[0].version"]);
  });
  it("a decided version names decider and time; a pending one does not", () => {
    expect(paths(validate(TargetVersionSchema, { ...approved, decidedBy: undefined, decidedAt: undefined }))).toEqual(["decidedAt", "decidedBy"]);
    expect(paths(validate(TargetVersionSchema, { ...pending, decidedBy: "d1" }))).toEqual(["decidedBy"]);
  });
  it("amount is yuan with ≤ 2 decimals", () => {
    expect(paths(validate(TargetVersionSchema, { ...approved, amountYuan: 100.123 }))).toEqual(["amountYuan"]);
  });
  it("proposal and decision bodies", () => {
    const p = validate(TargetProposalSchema, { level: "account", subject: "KA-1", period: "2026-9", amountYuan: 500_000, reason: "客户扩产" });
    expect(p.ok && p.value.period).toBe("2026-09");
    expect(paths(validate(TargetProposalSchema, { level: "manager", period: "2026", amountYuan: 1 }))).toEqual(["subject"]);
    expect(validate(TargetDecisionSchema, { targetId: "t1", version: 2, decision: "approve" }).ok).toBe(true);
    expect(paths(validate(TargetDecisionSchema, { targetId: "t1", version: 2, decision: "maybe" }))).toEqual(["decision"]);
  });
  it("targetIdOf is one id per (level, subject, period)", () => {
    expect(targetIdOf("company", undefined, "2026")).toBe("company:2026");
    expect(targetIdOf("manager", "u1", "2026-Q3")).toBe("manager:u1:2026-Q3");
  });
});

describe("Contract, instalments, payment (docs/domain.md §7)", () => {
  const contract = {
    id: "HT-1", version: 1, accountId: "KA-1", number: "HT2026-001", signedDate: "2026-01-15", amountYuan: 1_000_000,
    instalments: [{ id: "i1", dueDate: "2026-02-15", amountYuan: 300_000 }, { id: "i2", dueDate: "2026-06-30", amountYuan: 700_000 }],
  };
  it("valid contract", () => {
    expect(validate(ContractSchema, contract).ok).toBe(true);
  });
  it("instalments may not exceed the amount (300,000 + 700,000.01 = 1,000,000.01 > 1,000,000)", () => {
    const r = validate(ContractSchema, { ...contract, instalments: [contract.instalments[0], { ...contract.instalments[1], amountYuan: 700_000.01 }] });
    expect(paths(r)).toEqual(["instalments"]);
  });
  it("a partial schedule is fine; duplicate instalment ids are not", () => {
    expect(validate(ContractSchema, { ...contract, instalments: [contract.instalments[0]] }).ok).toBe(true);
    expect(paths(validate(ContractSchema, { ...contract, instalments: [contract.instalments[0], { ...contract.instalments[1], id: "i1" }] }))).toEqual(["instalments[1].id"]);
  });
  it("bad date, 3-decimal money, zero amount, unknown field", () => {
    const r = validate(ContractSchema, { ...contract, signedDate: "2026-13-01", amountYuan: 0, instalments: [{ id: "i1", dueDate: "2026-02-15", amountYuan: 1.001, note: "x" }] });
    expect(paths(r)).toEqual(["amountYuan", "instalments[0].amountYuan", "instalments[0].note", "signedDate"]);
  });
  it("a contract write may omit fields; null clears the number, not the amount", () => {
    expect(validate(ContractWriteSchema, { id: "HT-1", version: 1, number: null }).ok).toBe(true);
    expect(paths(validate(ContractWriteSchema, { id: "HT-1", amountYuan: null }))).toEqual(["amountYuan"]);
  });
  it("payment: positive yuan amount, ISO date, optional instalment", () => {
    expect(validate(PaymentSchema, { id: "P1", version: 1, contractId: "HT-1", date: "2026-02-20", amountYuan: 300_000, instalmentId: "i1" }).ok).toBe(true);
    expect(paths(validate(PaymentSchema, { id: "P1", version: 1, contractId: "HT-1", date: "20260220", amountYuan: -5 }))).toEqual(["amountYuan", "date"]);
    expect(validate(PaymentWriteSchema, { id: "P1", instalmentId: null }).ok).toBe(true);
  });
});

describe("Visits (docs/domain.md §5)", () => {
  const plan = { id: "VP-1", version: 0, accountId: "KA-1", month: "2026-04", role: "kaManager", plannedDate: "2026-04-10", purpose: "介绍二期方案", owner: "u1" };
  it("valid plan; planned date must be in the month", () => {
    expect(validate(VisitPlanSchema, plan).ok).toBe(true);
    expect(paths(validate(VisitPlanSchema, { ...plan, plannedDate: "2026-05-01" }))).toEqual(["plannedDate"]);
    expect(paths(validate(VisitPlanWriteSchema, { id: "VP-1", month: "2026-04", plannedDate: "2026-05-01" }))).toEqual(["plannedDate"]);
  });
  it("month is YYYY-MM and role a VISIT_ROLES id", () => {
    expect(paths(validate(VisitPlanSchema, { ...plan, month: "2026-13", role: "大客户经理", plannedDate: undefined }))).toEqual(["month", "role"]);
  });
  const record = { id: "VR-1", version: 0, accountId: "KA-1", planId: "VP-1", date: "2026-04-10", role: "kaManager", purpose: "c", outcome: "B", summary: "与王总沟通二期需求", owner: "u1" };
  it("valid record; purpose a/b/c and outcome A–E only", () => {
    expect(validate(VisitRecordSchema, record).ok).toBe(true);
    expect(paths(validate(VisitRecordSchema, { ...record, purpose: "d", outcome: "F" }))).toEqual(["outcome", "purpose"]);
  });
  it("a visit without a written summary does not count (docs/domain.md §5)", () => {
    expect(hasWrittenSummary(record)).toBe(true);
    expect(hasWrittenSummary({ ...record, summary: "  " })).toBe(false);
    expect(hasWrittenSummary({})).toBe(false);
  });
});

describe("Scoring model", () => {
  it("is re-exported from the engine and rejects an empty model", () => {
    expect(ScoringModelSchema.safeParse({}).success).toBe(false);
  });
});
