import { describe, expect, it } from "vitest";
import {
  accountListFilter,
  canReadAccountField,
  canReadAccountRecords,
  canReadArchive,
  canWriteSomeAccount,
  canWriteSomeContract,
  canWriteSomeVisit,
  checkVisitWrite,
  defaultAccountOwner,
  defaultVisitOwner,
  healthViewOf,
  recycleBinFilter,
  targetActorRole,
  visitsViewOf,
  type Principal,
} from "./access.js";
import type { Role } from "./labels.js";

const who = (userId: string, roles: Role[]): Principal => ({ tenant: "t1", userId, name: userId, roles });
const director = who("d1", ["director"]);
const manager = who("u1", ["manager"]);
const specialist = who("s1", ["specialist"]);
const finance = who("f1", ["finance"]);
const admin = who("a1", ["admin"]);
const directorManager = who("dm", ["director", "manager"]);
const financeManager = who("fm", ["manager", "finance"]);
const mine = { owner: "u1" };
const theirs = { owner: "u2" };

describe("route gates (which roles may send a request at all)", () => {
  // Expected values written per role: director, manager, specialist, finance, admin.
  it.each<[string, (p: Principal) => unknown, unknown[]]>([
    ["canWriteSomeAccount", canWriteSomeAccount, [true, true, true, false, false]],
    ["canWriteSomeContract", canWriteSomeContract, [false, true, false, true, false]],
    ["canWriteSomeVisit", canWriteSomeVisit, [true, true, false, false, false]],
    ["visitsViewOf", visitsViewOf, ["all", "own", "all", "none", "none"]],
    ["healthViewOf", healthViewOf, ["all", "own", "all", "none", "none"]],
    ["defaultAccountOwner", defaultAccountOwner, [undefined, "u1", undefined, undefined, undefined]],
    ["defaultVisitOwner", defaultVisitOwner, [undefined, "u1", "s1", "f1", "a1"]],
    ["targetActorRole", targetActorRole, ["director", "manager", "manager", "manager", "manager"]],
  ])("%s", (_name, f, expected) => {
    expect([director, manager, specialist, finance, admin].map((p) => f(p))).toEqual(expected);
  });

  it("grants a person with several roles what any role grants", () => {
    expect(defaultAccountOwner(directorManager)).toBeUndefined();
    expect(healthViewOf(financeManager)).toBe("own");
    expect(visitsViewOf(directorManager)).toBe("all");
  });
});

describe("list filters", () => {
  it("account lists: all readers as asked, a manager their own", () => {
    expect(accountListFilter(director, undefined)).toEqual({ allowed: true });
    expect(accountListFilter(finance, "u2")).toEqual({ allowed: true, owner: "u2" });
    expect(accountListFilter(specialist, "")).toEqual({ allowed: true });
    expect(accountListFilter(manager, undefined)).toEqual({ allowed: true, owner: "u1" });
    expect(accountListFilter(manager, "u1")).toEqual({ allowed: true, owner: "u1" });
    expect(accountListFilter(manager, "u2")).toEqual({ allowed: false, reason: "foreignOwner" });
    expect(accountListFilter(admin, undefined)).toEqual({ allowed: false, reason: "role" });
  });

  it("recycle bin: directors as asked, a manager their own, others none", () => {
    expect(recycleBinFilter(director, undefined)).toEqual({ allowed: true });
    expect(recycleBinFilter(director, "u2")).toEqual({ allowed: true, owner: "u2" });
    expect(recycleBinFilter(manager, undefined)).toEqual({ allowed: true, owner: "u1" });
    expect(recycleBinFilter(manager, "u2")).toEqual({ allowed: false, reason: "foreignOwner" });
    expect(recycleBinFilter(specialist, undefined)).toEqual({ allowed: false, reason: "role" });
    expect(recycleBinFilter(finance, "u1")).toEqual({ allowed: false, reason: "role" });
  });
});

describe("account fields and archive", () => {
  it("finance reads names only; others what their view shows", () => {
    expect(canReadAccountField(finance, theirs, "name")).toBe(true);
    expect(canReadAccountField(finance, theirs, "owner")).toBe(true);
    expect(canReadAccountField(finance, theirs, "industry")).toBe(false);
    expect(canReadAccountField(specialist, theirs, "industry")).toBe(true);
    expect(canReadAccountField(manager, theirs, "name")).toBe(false);
    expect(canReadAccountField(manager, mine, "industry")).toBe(true);
    expect(canReadArchive(finance, mine)).toBe(false);
    expect(canReadArchive(specialist, theirs)).toBe(true);
    expect(canReadArchive(manager, theirs)).toBe(false);
    expect(canReadArchive(director, theirs)).toBe(true);
  });
});

describe("one visit write", () => {
  const message = "a manager writes visits of accounts they own, carried out by themselves";
  it("lets a director write any visit", () => {
    expect(checkVisitWrite(director, { account: theirs, owner: "u2" }, { account: theirs, owner: "u2" })).toEqual({ allowed: true });
  });

  it("lets a manager write their own visits on their accounts", () => {
    expect(checkVisitWrite(manager, undefined, { account: mine, owner: "u1" })).toEqual({ allowed: true });
    expect(checkVisitWrite(manager, undefined, { account: mine, owner: null })).toEqual({ allowed: true });
    expect(checkVisitWrite(manager, { account: mine, owner: "u1" }, { account: mine, owner: "u1" })).toEqual({ allowed: true });
  });

  it("names the field that makes a manager's write foreign", () => {
    // A stored visit of another's account: the item itself.
    expect(checkVisitWrite(manager, { account: theirs, owner: "u2" }, { account: mine, owner: "u1" })).toEqual({ allowed: false, details: [{ path: "id", message }] });
    // Their account, someone else visiting: the owner.
    expect(checkVisitWrite(manager, undefined, { account: mine, owner: "u3" })).toEqual({ allowed: false, details: [{ path: "owner", message }] });
    // Another's account: the account.
    expect(checkVisitWrite(manager, undefined, { account: theirs, owner: "u1" }, "zh")).toEqual({
      allowed: false,
      details: [{ path: "accountId", message: "客户经理只能编辑自己负责的客户、且由自己执行的拜访" }],
    });
  });

  it("leaves an unknown account to the existence check", () => {
    expect(checkVisitWrite(manager, undefined, { account: undefined, owner: "u1" })).toEqual({ allowed: true });
    expect(checkVisitWrite(specialist, undefined, { account: mine, owner: "u1" })).toEqual({ allowed: false, details: [{ path: "accountId", message }] });
  });
});

describe("canReadAccountRecords (?account= of contracts, payments and visit lists)", () => {
  // Columns: own account, another manager's account, no live account with that id.
  it.each<[string, Principal, "finance" | "visits", [boolean, boolean, boolean]]>([
    ["director, finance", director, "finance", [true, true, true]],
    ["manager, finance", manager, "finance", [true, false, false]],
    ["specialist, finance", specialist, "finance", [false, false, false]],
    ["finance, finance", finance, "finance", [true, true, true]],
    ["admin, finance", admin, "finance", [false, false, false]],
    ["director, visits", director, "visits", [true, true, true]],
    ["manager, visits", manager, "visits", [true, false, false]],
    ["specialist, visits", specialist, "visits", [true, true, true]],
    ["finance, visits", finance, "visits", [false, false, false]],
    ["admin, visits", admin, "visits", [false, false, false]],
    ["finance+manager, visits", financeManager, "visits", [true, false, false]],
    ["director+manager, finance", directorManager, "finance", [true, true, true]],
  ])("%s", (_name, p, records, expected) => {
    const own = { owner: p.userId };
    expect([canReadAccountRecords(p, records, own), canReadAccountRecords(p, records, theirs), canReadAccountRecords(p, records, undefined)]).toEqual(expected);
  });
  it("a manager reads the records of an account they own, by its owner", () => {
    expect(canReadAccountRecords(manager, "finance", mine)).toBe(true);
    expect(canReadAccountRecords(manager, "visits", { owner: "u2" })).toBe(false);
  });
});
