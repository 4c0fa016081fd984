import { describe, expect, it } from "vitest";
import { creditCheckPeriod, storedAccountClasses } from "./accountClasses.js";

describe("classes of a stored account (KAM.CLASS through /v1/eval)", () => {
  it("sums signed contracts exactly and reads the archive's flags", () => {
    const r = storedAccountClasses({
      account: { paymentAttitude: "prompt", closedReferrals: 0, group: true, strategic: true },
      // 6,000,000.10 + 4,000,000.00 = 10,000,000.10 > 1千万: quality (credit good, nothing overdue).
      contracts: [{ amountYuan: 6_000_000.1 }, { amountYuan: 4_000_000 }],
      visitClasses: ["strategic", "important"],
      overdue90Yuan: 0,
    });
    expect(r).toEqual({ ok: true, value: ["quality", "group", "strategic", "important"] });
  });

  it("loses quality and high value to a receivable overdue more than 90 days", () => {
    const facts = { account: { paymentAttitude: "average" }, contracts: [{ amountYuan: 12_000_000 }], visitClasses: [] };
    expect(storedAccountClasses({ ...facts, overdue90Yuan: 0.01 })).toEqual({ ok: true, value: [] });
    expect(storedAccountClasses({ ...facts, overdue90Yuan: 0 })).toEqual({ ok: true, value: ["quality", "highValue"] });
    // Receivables unknown: the attitude alone decides.
    expect(storedAccountClasses({ ...facts, overdue90Yuan: null })).toEqual({ ok: true, value: ["quality", "highValue"] });
  });

  it("counts a closed referral as quality and nothing else without data", () => {
    expect(storedAccountClasses({ account: { closedReferrals: 1 }, contracts: [], visitClasses: [], overdue90Yuan: null })).toEqual({ ok: true, value: ["quality"] });
    expect(storedAccountClasses({ account: {}, contracts: [], visitClasses: ["strategic"], overdue90Yuan: null })).toEqual({ ok: true, value: [] });
  });

  it("reports a stored attitude it cannot read", () => {
    const r = storedAccountClasses({ account: { paymentAttitude: "maybe" }, contracts: [], visitClasses: [], overdue90Yuan: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.arg).toBe("paymentAttitude");
  });
});

describe("creditCheckPeriod", () => {
  it("the current year, as of today", () => {
    expect(creditCheckPeriod("2026-12-01")).toEqual({ period: "2026", asOf: "2026-12-01" });
    expect(creditCheckPeriod("2027-01-01")).toEqual({ period: "2027", asOf: "2027-01-01" });
  });
});
