import { describe, expect, it } from "vitest";
import {
  canCallEval,
  canDecideTarget,
  canDeleteAccount,
  canEraseContact,
  canHandover,
  canManageUsers,
  canProposeTarget,
  canReadAccount,
  canReadContract,
  canReadHistory,
  canReadPersonal,
  canReadTarget,
  canReadVisits,
  canSetTargets,
  canWriteAccount,
  canWriteContract,
  canWritePayment,
  canWriteScoringModel,
  canWriteVisit,
  checkAccountWrite,
  collectionsViewOf,
  parseRolesClaim,
  redactAccount,
  redactHistoryEntry,
  stripPersonalFromHistory,
  type Principal,
} from "./access.js";
import type { Account, HistoryEntry } from "./schemas/index.js";
import type { Role } from "./labels.js";

const who = (userId: string, roles: Role[], team?: string): Principal => ({ tenant: "t1", userId, name: userId, roles, ...(team ? { team } : {}) });

const director = who("d1", ["director"]);
const ownerManager = who("u1", ["manager"], "east");
const otherManager = who("u2", ["manager"], "west");
const specialist = who("s1", ["specialist"]);
const finance = who("f1", ["finance"]);
const admin = who("a1", ["admin"]);

const account: Account = {
  id: "KA-1",
  version: 2,
  name: "中建材料集团有限公司",
  owner: "u1",
  phone: "010-1",
  contacts: [
    { id: "c1", name: "王总", role: "decider", intimacy: 4, professionalism: 3, support: 5, personal: { birthday: "03-15", family: "一子" } },
    { id: "c2", name: "赵工", role: "user", intimacy: 2, professionalism: 4, support: 3 },
  ],
};

describe("parseRolesClaim (docs/contracts.md §5.1)", () => {
  it("a real array and API Gateway's '[Director Manager]' string give the same roles", () => {
    const fromArray = parseRolesClaim(["Director", "Manager"]);
    const fromString = parseRolesClaim("[Director Manager]");
    expect(fromArray).toEqual(["director", "manager"]);
    expect(fromString).toEqual(fromArray);
    // order and case do not matter; the result is in ROLES order
    expect(parseRolesClaim("[manager DIRECTOR]")).toEqual(["director", "manager"]);
    expect(parseRolesClaim(["FINANCE"])).toEqual(["finance"]);
  });
  it("single value, JSON-array string, comma list; unknown values and non-strings dropped", () => {
    expect(parseRolesClaim("Specialist")).toEqual(["specialist"]);
    expect(parseRolesClaim('["Admin","Finance"]')).toEqual(["finance", "admin"]);
    expect(parseRolesClaim("[Director,Manager]")).toEqual(["director", "manager"]);
    expect(parseRolesClaim(["Owner", 3, null, "Manager", "manager"])).toEqual(["manager"]);
    expect(parseRolesClaim(undefined)).toEqual([]);
    expect(parseRolesClaim("[]")).toEqual([]);
    expect(parseRolesClaim(42)).toEqual([]);
  });
});

/**
 * Role × action matrix (docs/domain.md §1, §2, §9; rights on accounts (docs/contracts.md §5.3); contracts and payments).
 * Columns: director, owning manager (u1), other manager (u2), specialist, finance, admin.
 */
const principals = [director, ownerManager, otherManager, specialist, finance, admin] as const;
const columns = ["director", "owner manager", "other manager", "specialist", "finance", "admin"];
const T = true, F = false;

const matrix: [string, (p: Principal) => boolean, boolean[]][] = [
  ["read account", (p) => canReadAccount(p, account), [T, T, F, T, T, F]],
  ["read personal details", (p) => canReadPersonal(p, account), [T, T, F, F, F, F]],
  ["read history", (p) => canReadHistory(p, account), [T, T, F, F, F, F]],
  ["write a profile field", (p) => canWriteAccount(p, account, { id: "KA-1", version: 2, phone: "010-2" }), [T, T, F, T, F, F]],
  ["write a contact (no personal)", (p) => canWriteAccount(p, account, { id: "KA-1", contacts: [{ id: "c2", title: "总工" }] }), [T, T, F, T, F, F]],
  ["write personal details", (p) => canWriteAccount(p, account, { id: "KA-1", contacts: [{ id: "c1", personal: { hobbies: "茶" } }] }), [T, T, F, F, F, F]],
  ["remove a contact", (p) => canWriteAccount(p, account, { id: "KA-1", contacts: [{ id: "c1", deleted: true }] }), [T, T, F, F, F, F]],
  ["clear the decision chain", (p) => canWriteAccount(p, account, { id: "KA-1", contacts: null }), [T, T, F, F, F, F]],
  ["create an account owned by self", (p) => canWriteAccount(p, undefined, { id: "KA-9", name: "新", owner: p.userId }), [T, T, T, F, F, F]],
  ["create an account, owner omitted", (p) => canWriteAccount(p, undefined, { id: "KA-9", name: "新" }), [T, T, T, F, F, F]],
  ["create an account for someone else", (p) => canWriteAccount(p, undefined, { id: "KA-9", name: "新", owner: "u9" }), [T, F, F, F, F, F]],
  ["reassign the owner in a write", (p) => canWriteAccount(p, account, { id: "KA-1", owner: "u9" }), [T, F, F, F, F, F]],
  ["write a deleted account", (p) => canWriteAccount(p, { ...account, deleted: true }, { id: "KA-1", phone: "1" }), [T, F, F, F, F, F]],
  ["delete an account", canDeleteAccount, [T, F, F, F, F, F]],
  ["hand over accounts", canHandover, [T, F, F, F, F, F]],
  ["erase personal details", canEraseContact, [T, F, F, F, F, F]],
  ["read contracts", (p) => canReadContract(p, account), [T, T, F, F, T, F]],
  ["write a contract", (p) => canWriteContract(p, account), [F, T, F, F, T, F]],
  ["write a payment", canWritePayment, [F, F, F, F, T, F]],
  ["collections of all accounts", (p) => collectionsViewOf(p) === "all", [T, F, F, F, T, F]],
  ["collections of own accounts", (p) => collectionsViewOf(p) === "own", [F, T, T, F, F, F]],
  ["read visits", (p) => canReadVisits(p, account), [T, T, F, T, F, F]],
  ["write own visit", (p) => canWriteVisit(p, account, { owner: p.userId }), [T, T, F, F, F, F]],
  ["manage users", canManageUsers, [T, F, F, F, F, T]],
  ["set targets", canSetTargets, [T, F, F, F, F, F]],
  ["approve / reject target changes", canDecideTarget, [T, F, F, F, F, F]],
  ["propose u1's manager target", (p) => canProposeTarget(p, { level: "manager", subject: "u1" }), [T, T, F, F, F, F]],
  ["propose team east's target", (p) => canProposeTarget(p, { level: "team", subject: "east" }), [T, T, F, F, F, F]],
  ["propose an account target (owner u1)", (p) => canProposeTarget(p, { level: "account", subject: "KA-1" }, { accountOwner: "u1" }), [T, T, F, F, F, F]],
  ["propose the company target", (p) => canProposeTarget(p, { level: "company" }), [T, F, F, F, F, F]],
  ["read the company target", (p) => canReadTarget(p, { level: "company" }), [T, T, T, T, T, F]],
  ["read u1's manager target", (p) => canReadTarget(p, { level: "manager", subject: "u1" }), [T, T, F, T, T, F]],
  ["write scoring models", canWriteScoringModel, [T, F, F, F, F, F]],
  ["call /v1/eval", canCallEval, [T, T, T, T, T, T]],
];

describe("role × action matrix", () => {
  for (const [action, check, expected] of matrix) {
    it(action, () => {
      const got = Object.fromEntries(principals.map((p, i) => [columns[i], check(p)]));
      const want = Object.fromEntries(expected.map((v, i) => [columns[i], v]));
      expect(got).toEqual(want);
    });
  }

  it("a principal with no roles may do nothing", () => {
    const nobody = who("x", []);
    expect(matrix.map(([, check]) => check(nobody)).some(Boolean)).toBe(false);
  });

  it("several roles: each right is granted if any role grants it", () => {
    const financeOwner = who("u1", ["manager", "finance"]);
    expect(canReadPersonal(financeOwner, account)).toBe(true);
    expect(canWritePayment(financeOwner)).toBe(true);
    const specialistManager = who("u2", ["manager", "specialist"]);
    expect(canReadAccount(specialistManager, account)).toBe(true);
    expect(canReadPersonal(specialistManager, account)).toBe(false);
    expect(canWriteAccount(specialistManager, account, { id: "KA-1", phone: "2" })).toBe(true);
  });

  it("owner rights need the manager role: an owner id alone (e.g. finance) is not enough", () => {
    const financeNamedOwner = who("u1", ["finance"]);
    expect(canReadPersonal(financeNamedOwner, account)).toBe(false);
    expect(canWriteAccount(financeNamedOwner, account, { id: "KA-1", phone: "2" })).toBe(false);
  });

  it("after a handover the old owner loses access at once (docs/domain.md §2)", () => {
    const handedOver = { ...account, owner: "u2" };
    expect(canReadAccount(ownerManager, handedOver)).toBe(false);
    expect(canReadHistory(ownerManager, handedOver)).toBe(false);
    expect(canReadAccount(otherManager, handedOver)).toBe(true);
    expect(canReadPersonal(otherManager, handedOver)).toBe(true);
  });

  it("a manager writes only visits they own, on accounts they own", () => {
    expect(canWriteVisit(ownerManager, account, { owner: "u2" })).toBe(false);
    expect(canWriteVisit(ownerManager, account, {})).toBe(true);
    expect(canWriteVisit(ownerManager, undefined, { owner: "u1" })).toBe(false);
  });

  it("denials name the field path for the per-item 'forbidden' result", () => {
    const r = checkAccountWrite(specialist, account, { id: "KA-1", contacts: [{ id: "c2", title: "x" }, { id: "c1", personal: { notes: "x" } }] });
    expect(r).toEqual({ allowed: false, details: [{ path: "contacts[1].personal", message: "specialists never read or write confidential personal details" }] });
    const m = checkAccountWrite(otherManager, account, { id: "KA-1", phone: "1" });
    expect(m.allowed ? [] : m.details.map((d) => d.path)).toEqual(["id"]);
    const f = checkAccountWrite(finance, account, { id: "KA-1", phone: "1" });
    expect(f.allowed).toBe(false);
  });
});

describe("redactAccount (docs/domain.md §2, §9)", () => {
  const personalOf = (a: unknown) => ((a as Account).contacts ?? []).map((c) => c.personal);

  it("director and owner see personal details", () => {
    expect(redactAccount(account, director)).toEqual(account);
    expect(redactAccount(account, ownerManager)).toEqual(account);
  });

  it("specialist: every contact's personal removed whole, everything else kept", () => {
    const r = redactAccount(account, specialist) as Account;
    expect(personalOf(r)).toEqual([undefined, undefined]);
    expect(r.contacts!.every((c) => !("personal" in c))).toBe(true);
    expect(r.contacts![0]).toEqual({ id: "c1", name: "王总", role: "decider", intimacy: 4, professionalism: 3, support: 5 });
    expect(r.phone).toBe("010-1");
    // the stored object is not modified
    expect(account.contacts![0]!.personal).toEqual({ birthday: "03-15", family: "一子" });
  });

  it("finance sees the account name only (id, name, owner)", () => {
    expect(redactAccount(account, finance)).toEqual({ id: "KA-1", name: "中建材料集团有限公司", owner: "u1" });
  });

  it("a manager who does not own it, and admin, see nothing", () => {
    expect(redactAccount(account, otherManager)).toBeUndefined();
    expect(redactAccount(account, admin)).toBeUndefined();
  });

  it("no redacted form of any role but director/owner contains a personal value", () => {
    for (const p of [otherManager, specialist, finance, admin]) {
      const json = JSON.stringify(redactAccount(account, p) ?? null);
      expect(json).not.toContain("03-15");
      expect(json).not.toContain("一子");
    }
  });
});

describe("history redaction (docs/contracts.md §5.4)", () => {
  const entry: HistoryEntry = {
    at: "2026-03-01T08:00:00Z",
    by: "u1",
    op: "update",
    version: 3,
    changes: [
      { field: "phone", old: "010-1", new: "010-2" },
      { field: "contacts[c1].personal.birthday", old: "03-15", new: "03-16" },
      { field: "contacts[c3]", new: { id: "c3", name: "钱", role: "buyer", personal: { hobbies: "高尔夫" } } },
    ],
  };

  it("directors and the owner read the whole entry", () => {
    expect(redactHistoryEntry(entry, director, account)).toEqual(entry);
    expect(redactHistoryEntry(entry, ownerManager, account)).toEqual(entry);
  });

  it("nobody else reads the history", () => {
    for (const p of [otherManager, specialist, finance, admin]) expect(redactHistoryEntry(entry, p, account)).toBeUndefined();
  });

  it("without the right to read personal: personal old → new removed, nested personal objects removed", () => {
    expect(stripPersonalFromHistory(entry).changes).toEqual([
      { field: "phone", old: "010-1", new: "010-2" },
      { field: "contacts[c1].personal.birthday", redacted: true },
      { field: "contacts[c3]", new: { id: "c3", name: "钱", role: "buyer" }, redacted: true },
    ]);
  });
});
