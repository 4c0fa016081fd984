import { describe, expect, it } from "vitest";
import { remoteView } from "./engine.js";
import { TARGETS } from "./entities.js";

const v = (version: number, amountYuan: number, status: "approved" | "pending" | "rejected") => ({
  version, amountYuan, status, proposedBy: "m-li", proposedAt: "2026-01-02T01:00:00Z", ...(status === "pending" ? {} : { decidedBy: "d-wang", decidedAt: "2026-01-03T01:00:00Z" }),
});

describe("targets pulled into a sheet", () => {
  it("the effective amount is the highest approved version, not the last approved one in the list", () => {
    // v3 (approved, 9,000,000) is listed before v2 (approved, 8,000,000).
    const item = { id: "manager:m-li:2026-Q1", level: "manager", subject: "m-li", period: "2026-Q1", versions: [v(1, 7_500_000, "approved"), v(3, 9_000_000, "approved"), v(2, 8_000_000, "approved"), v(4, 8_500_000, "pending")] };
    const row = remoteView(TARGETS, [item], ["effective", "pending"]).rows.get("manager:m-li:2026-Q1");
    expect(row?.fields).toEqual({ effective: 9_000_000, pending: 8_500_000 });
  });

  it("no approved version: no effective amount", () => {
    const row = remoteView(TARGETS, [{ id: "company:2026", level: "company", period: "2026", versions: [v(1, 5_000_000, "pending")] }], ["effective", "pending"]).rows.get("company:2026");
    expect(row?.fields).toEqual({ pending: 5_000_000 });
  });
});
