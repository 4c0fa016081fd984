import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays } from "../../../../shared/src/dates.js";
import { afterReview, reviewRows } from "./archive.js";

describe("archive review list", () => {
  const today = "2026-07-04";
  it("flags archives never reviewed or reviewed more than 183 days ago, stale first, the oldest first", () => {
    const rows = reviewRows([
      { id: "A-1", name: "甲", lastReviewed: "2026-01-02" }, // 183 days: not stale
      { id: "A-2", name: "乙", lastReviewed: null },
      { id: "A-3", name: "丙", lastReviewed: "2026-01-01" }, // 184 days: stale
      { id: "A-4", name: "", lastReviewed: "2026-06-30" },
    ], today);
    expect(rows.map((r) => [r.id, r.name, r.stale])).toEqual([["A-2", "乙", true], ["A-3", "丙", true], ["A-1", "甲", false], ["A-4", "A-4", false]]);
  });

  it("a review date the rule cannot read counts as no review", () => {
    expect(reviewRows([{ id: "A-1", lastReviewed: "yesterday" }], today)[0]!.stale).toBe(true);
  });

  it("after a review answered today the account is no longer stale; the others are untouched", () => {
    const list = [{ id: "A-1", name: "甲", lastReviewed: null }, { id: "A-2", name: "乙", lastReviewed: "2025-01-01" }];
    const rows = reviewRows(afterReview(list, { id: "A-1", lastReviewed: today }), today);
    expect(rows.map((r) => [r.id, r.stale, r.lastReviewed])).toEqual([["A-2", true, "2025-01-01"], ["A-1", false, today]]);
  });

  it("stale exactly when more than 183 days have passed (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2000 }), (days) => {
      const [row] = reviewRows([{ id: "A", lastReviewed: addDays(today, -days) }], today);
      expect(row!.stale).toBe(days > 183);
    }), { seed: 14, numRuns: 200 });
  });
});
