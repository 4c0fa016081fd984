import { describe, expect, it } from "vitest";
import { creditedOwner, ownerChangesOf, ownerOnDate } from "./credit.js";
import { currentQuarter, lastCompleteQuarter } from "./periods.js";

describe("credit for sales", () => {
  const changes = ownerChangesOf([
    { from: "m-zhang", to: "m-li", at: "2026-04-10T08:00:00.000Z", accountIds: ["A", "B"] },
    { from: "m-li", to: "m-wang", at: "2026-08-01T08:00:00.000Z", accountIds: ["A"] },
  ]).filter((c) => c.accountId === "A");

  it("the owner on a date walks the handovers back from today's owner", () => {
    expect(ownerOnDate("m-wang", changes, "2026-02-10")).toBe("m-zhang");
    expect(ownerOnDate("m-wang", changes, "2026-04-09")).toBe("m-zhang");
    // The handover day belongs to the new owner.
    expect(ownerOnDate("m-wang", changes, "2026-04-10")).toBe("m-li");
    expect(ownerOnDate("m-wang", changes, "2026-07-31")).toBe("m-li");
    expect(ownerOnDate("m-wang", changes, "2026-09-01")).toBe("m-wang");
    expect(ownerOnDate("m-wang", [], "2020-01-01")).toBe("m-wang");
  });

  it("a contract credits its owner at signing; one written before the rule, today's owner", () => {
    const now = (id: string) => (id === "A" ? "m-wang" : undefined);
    expect(creditedOwner({ accountId: "A", ownerAtSigning: "m-zhang" }, now)).toBe("m-zhang");
    expect(creditedOwner({ accountId: "A" }, now)).toBe("m-wang");
    expect(creditedOwner({ accountId: "X" }, now)).toBeUndefined();
  });
});

describe("default periods", () => {
  it("current and last complete quarter", () => {
    expect(currentQuarter("2026-12-01")).toBe("2026-Q4");
    expect(currentQuarter("2026-01-01")).toBe("2026-Q1");
    expect(lastCompleteQuarter("2026-12-01")).toBe("2026-Q3");
    expect(lastCompleteQuarter("2026-03-31")).toBe("2025-Q4");
    expect(lastCompleteQuarter("2026-04-01")).toBe("2026-Q1");
  });
});
