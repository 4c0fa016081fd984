import { describe, expect, it } from "vitest";
import { applyProposal, approve, effectiveTarget, reject, type TargetVersionInput } from "./targets.js";

const v1: TargetVersionInput = {
  version: 1,
  amountYuan: 1_000_000,
  status: "approved",
  proposedBy: "dir",
  proposedAt: "2026-01-02T09:00:00+08:00",
  decidedBy: "dir",
  decidedAt: "2026-01-02T09:00:00+08:00",
};

describe("effective target (docs/domain.md §6: latest approved version)", () => {
  it("a pending change does not count: judged against the original", () => {
    const versions = [v1, { version: 2, amountYuan: 800_000, status: "pending", proposedBy: "m1", proposedAt: "2026-04-01T10:00:00+08:00" }];
    expect(effectiveTarget(versions)).toEqual({ ok: true, value: v1 });
  });

  it("a rejected change does not count; an approved later one does", () => {
    const versions = [
      v1,
      { version: 2, amountYuan: 800_000, status: "已驳回", proposedBy: "m1", proposedAt: "2026-04-01T10:00:00+08:00", decidedBy: "dir", decidedAt: "2026-04-02T10:00:00+08:00" },
      { version: 3, amountYuan: 900_000, status: "Approved", proposedBy: "m1", proposedAt: "2026-05-01T10:00:00+08:00", decidedBy: "dir", decidedAt: "2026-05-03T10:00:00+08:00" },
    ];
    const r = effectiveTarget(versions);
    expect(r.ok && [r.value.version, r.value.amountYuan]).toEqual([3, 900_000]);
  });

  it("none approved → #N/A; bad status → #VALUE!", () => {
    const none = effectiveTarget([{ version: 1, amountYuan: 5, status: "pending", proposedBy: "m1", proposedAt: "2026-01-01T00:00:00Z" }]);
    expect(!none.ok && [none.error.code, none.error.arg]).toEqual(["na", "versions"]);
    const empty = effectiveTarget([]);
    expect(!empty.ok && empty.error.code).toBe("na");
    const bad = effectiveTarget([{ ...v1, status: "maybe" }]);
    expect(!bad.ok && [bad.error.code, bad.error.arg]).toEqual(["value", "versions[0].status"]);
  });
});

describe("target transitions (docs/domain.md §6: a change needs the director's approval)", () => {
  it("a manager's proposal is pending and changes nothing until approved", () => {
    const p = applyProposal([v1], { amountYuan: 800_000, proposedBy: "m1", proposedAt: "2026-04-01T10:00:00+08:00", proposerRole: "manager", reason: "market shrank" });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.value[1]).toEqual({ version: 2, amountYuan: 800_000, status: "pending", proposedBy: "m1", proposedAt: "2026-04-01T10:00:00+08:00", reason: "market shrank" });
    expect(effectiveTarget(p.value).ok && (effectiveTarget(p.value) as { value: { version: number } }).value.version).toBe(1);

    const a = approve(p.value, 2, { decidedBy: "dir", decidedAt: "2026-04-03", deciderRole: "director" });
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.value[1]).toMatchObject({ status: "approved", decidedBy: "dir", decidedAt: "2026-04-03T00:00:00+08:00" });
    const e = effectiveTarget(a.value);
    expect(e.ok && e.value.amountYuan).toBe(800_000);
  });

  it("rejecting keeps the original in force", () => {
    const p = applyProposal([v1], { amountYuan: 800_000, proposedBy: "m1", proposedAt: "2026-04-01T10:00:00+08:00" });
    if (!p.ok) throw new Error("setup");
    const r = reject(p.value, 2, { decidedBy: "dir", decidedAt: "2026-04-03T08:00:00Z" });
    expect(r.ok && r.value[1]!.status).toBe("rejected");
    const e = r.ok ? effectiveTarget(r.value) : r;
    expect(e.ok && e.value.version).toBe(1);
  });

  it("a director's own version is approved at once (the director sets targets)", () => {
    const p = applyProposal([], { amountYuan: 2_000_000, proposedBy: "dir", proposedAt: "2026-01-01T09:00:00+08:00", proposerRole: "大客户总监" });
    expect(p.ok && p.value).toEqual([
      { version: 1, amountYuan: 2_000_000, status: "approved", proposedBy: "dir", proposedAt: "2026-01-01T09:00:00+08:00", decidedBy: "dir", decidedAt: "2026-01-01T09:00:00+08:00" },
    ]);
  });

  it("only pending versions can be decided, only by a director, never older than an approved one", () => {
    const again = approve([v1], 1, { decidedBy: "dir", decidedAt: "2026-04-03" });
    expect(!again.ok && [again.error.code, again.error.arg]).toEqual(["value", "version"]);
    const p2 = applyProposal([v1], { amountYuan: 1, proposedBy: "m1", proposedAt: "2026-04-01" });
    if (!p2.ok) throw new Error("setup");
    const byManager = approve(p2.value, 2, { decidedBy: "m1", decidedAt: "2026-04-03", deciderRole: "manager" });
    expect(!byManager.ok && [byManager.error.code, byManager.error.arg]).toEqual(["value", "deciderRole"]);
    const p3 = applyProposal(p2.value, { amountYuan: 2, proposedBy: "m1", proposedAt: "2026-04-02" });
    if (!p3.ok) throw new Error("setup");
    const a3 = approve(p3.value, 3, { decidedBy: "dir", decidedAt: "2026-04-04" });
    if (!a3.ok) throw new Error("setup");
    const old = approve(a3.value, 2, { decidedBy: "dir", decidedAt: "2026-04-05" });
    expect(!old.ok && [old.error.code, old.error.arg]).toEqual(["value", "version"]);
    const missing = approve(a3.value, 9, { decidedBy: "dir", decidedAt: "2026-04-05" });
    expect(!missing.ok && missing.error.code).toBe("na");
  });

  it("a negative amount is #NUM!", () => {
    const r = applyProposal([v1], { amountYuan: -1, proposedBy: "m1", proposedAt: "2026-04-01" });
    expect(!r.ok && [r.error.code, r.error.arg]).toEqual(["num", "amountYuan"]);
  });
});
