import { describe, expect, it } from "vitest";
import { amountBefore, effectiveAmount, formatTime, formatYuan, pendingChanges, proposalsOf, type TargetLike } from "./targets.js";

const v = (version: number, amountYuan: number, status: "approved" | "pending" | "rejected", proposedBy: string, at: string, decidedBy?: string) => ({
  version, amountYuan, status, proposedBy, proposedAt: at, ...(decidedBy ? { decidedBy, decidedAt: at } : {}),
});

// Versions listed out of number order: v3 (approved) comes before v2 (approved) in the array.
const target: TargetLike = {
  id: "manager:m-li:2026-Q1", level: "manager", subject: "m-li", period: "2026-Q1",
  versions: [
    v(1, 7_500_000, "approved", "d-wang", "2026-01-02T01:00:00Z", "d-wang"),
    v(3, 9_000_000, "approved", "m-li", "2026-02-01T01:00:00Z", "d-wang"),
    v(2, 8_000_000, "approved", "m-li", "2026-01-15T01:00:00Z", "d-wang"),
    v(4, 8_500_000, "pending", "m-li", "2026-03-01T01:00:00Z"),
    v(5, 6_000_000, "rejected", "m-li", "2026-03-02T01:00:00Z", "d-wang"),
  ],
};

describe("targets page figures", () => {
  it("effective = the highest approved version, not the last approved in the array", () => {
    expect(effectiveAmount(target)).toBe(9_000_000);
    expect(effectiveAmount({ ...target, versions: [target.versions[3]!] })).toBeUndefined();
  });

  it("a change reads old → new with old = what was in force when it was proposed", () => {
    expect(amountBefore(target, 4)).toBe(9_000_000);
    expect(amountBefore(target, 3)).toBe(8_000_000);
    expect(amountBefore(target, 1)).toBeUndefined();
    expect(pendingChanges([target]).map((c) => [c.version.version, c.from, c.to])).toEqual([[4, 9_000_000, 8_500_000]]);
  });

  it("a manager's proposals: theirs with every status, newest first; the director's direct sets are not proposals", () => {
    expect(proposalsOf([target], "m-li").map((c) => [c.version.version, c.version.status])).toEqual([[5, "rejected"], [4, "pending"], [3, "approved"], [2, "approved"]]);
    expect(proposalsOf([target], "d-wang")).toEqual([]);
  });

  it("amounts with thousands separators; times in the tenant's zone", () => {
    expect(formatYuan(7_500_000, "zh")).toBe("7,500,000");
    expect(formatYuan(1234.5, "en")).toBe("1,234.5");
    expect(formatYuan(undefined, "en")).toBe("—");
    expect(formatTime("2026-03-01T01:00:00Z")).toBe("2026-03-01 09:00");
  });
});
