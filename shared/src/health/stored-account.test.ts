import { expect, it } from "vitest";
import type { AccountStored } from "../schemas/account.js";
import { accountHealth } from "./health.js";

it("a stored account is a health input as it is", () => {
  const stored: AccountStored = {
    id: "KA-1",
    version: 3,
    name: "华东电力",
    owner: "u-li",
    stage: "assess",
    contacts: [{ id: "c1", name: "王总", role: "decider", intimacy: 4, professionalism: 3, support: 4 }],
    updatedAt: "2026-11-30T08:00:00.000Z",
    updatedBy: "u-li",
    lastReviewed: "2026-11-01",
  };
  const r = accountHealth({ account: stored, today: "2026-12-01" });
  // decision 40 + 6 + 11.25 + 11.25 = 68.5 % of 35; archive 3/10 × 70 % + 30 % = 51 % of 15; stage 50 % of 10 (60 in all):
  // (23.975 + 7.65 + 5) ÷ 60 × 100 = 61.04 → 61
  expect(r.ok && [r.value.score, r.value.status]).toEqual([61, "A"]);
});
