import { describe, expect, it } from "vitest";
import { targetIdOfCall } from "./targets.js";

describe("the target KAM.TARGET reads", () => {
  const q2 = { id: "2026-Q2" };
  it.each<[string, string | undefined, string]>([
    ["company", undefined, "company:2026-Q2"],
    [" Company ", undefined, "company:2026-Q2"],
    ["*", undefined, "company:2026-Q2"],
    ["公司", undefined, "company:2026-Q2"],
    ["m-li", undefined, "manager:m-li:2026-Q2"],
    [" m-li ", undefined, "manager:m-li:2026-Q2"],
    ["east", "team", "team:east:2026-Q2"],
    ["A-001", "account", "account:A-001:2026-Q2"],
    ["anything", "company", "company:2026-Q2"],
  ])("%s (level %s) → %s", (owner, level, expected) => {
    expect(targetIdOfCall({ owner, period: q2, ...(level ? { level } : {}) })).toBe(expected);
  });
});
