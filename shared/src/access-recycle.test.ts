import { describe, expect, it } from "vitest";
import { canRestoreAccount, ownerEligible, recycleBinViewOf, redactAccount, type Principal } from "./access.js";
import { ROLES, type Role } from "./labels.js";
import { lastChangedKey, lastChangedKeys } from "./schemas/changes.js";
import type { Account } from "./schemas/index.js";

const who = (...roles: Role[]): Principal => ({ tenant: "t", userId: "u", name: "U", roles });

describe("recycle bin, restore and owner rules", () => {
  it("the bin: directors all, managers their own, every other role none; restore: directors only", () => {
    const expected: Record<Role, ["all" | "own" | "none", boolean]> = {
      director: ["all", true],
      manager: ["own", false],
      specialist: ["none", false],
      finance: ["none", false],
      admin: ["none", false],
    };
    for (const r of ROLES.ids) {
      expect([recycleBinViewOf(who(r)), canRestoreAccount(who(r))], r).toEqual(expected[r]);
    }
    expect(recycleBinViewOf(who("manager", "director"))).toBe("all");
  });

  it("an owner must be in the directory with the manager role; the problem names owner in en and zh", () => {
    expect(ownerEligible("m-1", { roles: ["manager"] })).toBeUndefined();
    expect(ownerEligible("m-1", { roles: ["director", "manager"] })).toBeUndefined();
    for (const roles of [["director"], ["specialist"], ["finance"], ["admin"], []] as Role[][]) {
      const d = ownerEligible("x-1", { roles });
      expect(d?.path).toBe("owner");
      expect(d?.message).toMatch(/^owner: x-1 .*manager role \/ 负责人：x-1 .*客户经理/);
    }
    expect(ownerEligible("ghost", undefined, "to")).toEqual({ path: "to", message: "owner: unknown user ghost / 负责人：用户目录中没有 ghost" });
  });

  it("finance (names only) gets the stamps of name and owner only; others keep lastChanged whole", () => {
    const stamp = { by: "d", at: "2026-01-01T00:00:00.000Z" };
    const account = {
      id: "a", version: 2, name: "甲", owner: "m", phone: "1",
      contacts: [{ id: "c1", name: "周", role: "decider", intimacy: 3, professionalism: 3, support: 3, personal: { birthday: "1970" } }],
      lastChanged: { name: stamp, owner: stamp, phone: stamp, "contacts[c1]": stamp },
    } as Account;
    expect(redactAccount(account, who("finance"))).toEqual({ id: "a", name: "甲", owner: "m", lastChanged: { name: stamp, owner: stamp } });
    const spec = redactAccount(account, who("specialist"))!;
    expect(spec.lastChanged).toEqual(account.lastChanged);
    expect(JSON.stringify(spec)).not.toContain("1970");
  });

  it("maps history change paths to lastChanged keys", () => {
    expect(["phone", "contacts[c1].title", "contacts[c1].personal.birthday", "contacts#order", "followUps[f1].note", "deleted"].map(lastChangedKey)).toEqual([
      "phone", "contacts[c1]", "contacts[c1]", "contacts", "followUps", "deleted",
    ]);
    expect(lastChangedKeys({ field: "contacts", old: [{ id: "a" }], new: [{ id: "b" }] })).toEqual(["contacts[a]", "contacts[b]"]);
    expect(lastChangedKeys({ field: "contacts", old: [], new: [] })).toEqual(["contacts"]);
  });
});
