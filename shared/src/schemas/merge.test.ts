import { describe, expect, it } from "vitest";
import { deepEqual, diffDocuments, mergeAccountWrite, mergeWrite, type Account } from "./index.js";

/**
 * docs/contracts.md §6: fields present replace, absent keep, null clears; contacts merge by id.
 */
const stored: Account = {
  id: "KA-1",
  version: 3,
  name: "甲公司",
  owner: "u1",
  phone: "010-1",
  fax: "010-2",
  grade: "B",
  competitors: [{ company: "乙" }],
  contacts: [
    { id: "c1", name: "王总", role: "decider", intimacy: 4, professionalism: 3, support: 5, title: "总经理", personal: { birthday: "03-15", hobbies: "钓鱼" } },
    { id: "c2", name: "赵工", role: "user", intimacy: 2, professionalism: 4, support: 3 },
  ],
  updatedAt: "2026-03-01T00:00:00Z",
  updatedBy: "u1",
};

describe("mergeAccountWrite", () => {
  it("present replaces, absent keeps, null clears; server fields and version dropped", () => {
    const r = mergeAccountWrite(stored, { id: "KA-1", version: 3, phone: "010-9", fax: null });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.phone).toBe("010-9");
    expect("fax" in r.value).toBe(false);
    expect(r.value.grade).toBe("B");
    expect(r.value.contacts).toEqual(stored.contacts);
    expect(r.value).not.toHaveProperty("version");
    expect(r.value).not.toHaveProperty("updatedAt");
  });

  it("lists other than contacts replace whole", () => {
    const r = mergeAccountWrite(stored, { id: "KA-1", competitors: [{ company: "丙" }, { company: "丁" }] });
    expect(r.ok && r.value.competitors).toEqual([{ company: "丙" }, { company: "丁" }]);
  });

  it("contacts merge by id: a field update keeps personal, absent contacts stay, new ones append", () => {
    const r = mergeAccountWrite(stored, {
      id: "KA-1",
      contacts: [{ id: "c1", title: "董事长" }, { id: "c3", name: "钱经理", role: "buyer", intimacy: 3, professionalism: 3, support: 3 }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.contacts!.map((c) => c.id)).toEqual(["c1", "c2", "c3"]);
    expect(r.value.contacts![0]).toMatchObject({ title: "董事长", personal: { birthday: "03-15", hobbies: "钓鱼" } });
  });

  it("personal merges per field; personal: null clears it; deleted removes the contact", () => {
    const r1 = mergeAccountWrite(stored, { id: "KA-1", contacts: [{ id: "c1", personal: { birthday: null, family: "一子" } }] });
    expect(r1.ok && r1.value.contacts![0]!.personal).toEqual({ hobbies: "钓鱼", family: "一子" });
    const r2 = mergeAccountWrite(stored, { id: "KA-1", contacts: [{ id: "c1", personal: null }, { id: "c2", deleted: true }] });
    expect(r2.ok && r2.value.contacts).toEqual([{ id: "c1", name: "王总", role: "decider", intimacy: 4, professionalism: 3, support: 5, title: "总经理" }]);
  });

  it("contacts: null clears the decision chain", () => {
    const r = mergeAccountWrite(stored, { id: "KA-1", contacts: null });
    expect(r.ok && "contacts" in r.value).toBe(false);
  });

  it("a new account takes defaults and needs its required fields; errors point into the write", () => {
    const created = mergeAccountWrite(undefined, { id: "KA-2", name: "新客户" }, { owner: "u7" });
    expect(created.ok && created.value.owner).toBe("u7");
    const missing = mergeAccountWrite(undefined, { id: "KA-2" });
    expect(missing.ok ? [] : missing.details.map((d) => d.path).sort()).toEqual(["name", "owner"]);
    // stored c1, c2 come first in the merged list, but the error names the write's index 1
    const badContact = mergeAccountWrite(stored, { id: "KA-1", contacts: [{ id: "c2", title: "x" }, { id: "c9", title: "采购经理" }] });
    expect(badContact.ok ? [] : badContact.details.map((d) => d.path).sort()).toEqual(["contacts[1].name"]);
    // a contact from a business card: a name and a title are enough
    const card = mergeAccountWrite(stored, { id: "KA-1", contacts: [{ id: "c9", name: "孙", title: "采购经理" }] });
    expect(card.ok && card.value.contacts?.find((c) => c.id === "c9")).toEqual({ id: "c9", name: "孙", title: "采购经理" });
  });
});

describe("mergeWrite (generic entities)", () => {
  it("merges fields and drops version", () => {
    expect(mergeWrite({ id: "P1", version: 2, contractId: "HT-1", amountYuan: 5, instalmentId: "i1" }, { id: "P1", version: 2, amountYuan: 6, instalmentId: null })).toEqual({
      id: "P1", contractId: "HT-1", amountYuan: 6,
    });
    expect(mergeWrite(undefined, { id: "P2", amountYuan: 1 })).toEqual({ id: "P2", amountYuan: 1 });
  });
});

/** The stored content of an account (what the store diffs): no id, version or server fields. */
function content(a: Record<string, unknown>): Record<string, unknown> {
  const { id: _i, version: _v, updatedAt: _u, updatedBy: _b, ...rest } = a;
  return rest;
}

describe("diffDocuments (history: which fields, old → new)", () => {
  it("unchanged gives no changes", () => {
    expect(diffDocuments(content(stored), content({ ...stored }))).toEqual([]);
  });
  it("field, contact field, personal field, added and removed contacts", () => {
    const after = mergeAccountWrite(stored, {
      id: "KA-1", phone: "010-9", fax: null,
      contacts: [{ id: "c1", title: "董事长", personal: { birthday: "03-16" } }, { id: "c2", deleted: true }, { id: "c3", name: "钱", role: "buyer", intimacy: 1, professionalism: 1, support: 1 }],
    });
    expect(after.ok).toBe(true);
    if (!after.ok) return;
    expect(diffDocuments(content(stored), content(after.value))).toEqual([
      { field: "phone", old: "010-1", new: "010-9" },
      { field: "fax", old: "010-2" },
      { field: "contacts[c2]", old: stored.contacts![1] },
      { field: "contacts[c1].title", old: "总经理", new: "董事长" },
      { field: "contacts[c1].personal.birthday", old: "03-15", new: "03-16" },
      { field: "contacts[c3]", new: { id: "c3", name: "钱", role: "buyer", intimacy: 1, professionalism: 1, support: 1 } },
    ]);
  });
  it("a reorder alone is recorded; a new document lists every field; key order and undefined do not count", () => {
    const a = { instalments: [{ id: "i1", amountYuan: 1 }, { id: "i2", amountYuan: 2 }] };
    const b = { instalments: [{ id: "i2", amountYuan: 2 }, { id: "i1", amountYuan: 1 }] };
    expect(diffDocuments(a, b)).toEqual([{ field: "instalments#order", old: ["i1", "i2"], new: ["i2", "i1"] }]);
    expect(diffDocuments(undefined, { name: "甲", tags: ["x"] })).toEqual([{ field: "name", new: "甲" }, { field: "tags", new: ["x"] }]);
    // a list without ids changes as a whole
    expect(diffDocuments({ tags: ["x"] }, { tags: ["x", "y"] })).toEqual([{ field: "tags", old: ["x"], new: ["x", "y"] }]);
    expect(deepEqual({ a: 1, b: { c: [1, 2] }, z: undefined }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
  });
});

describe("mergeAccountWrite for a writer who cannot read personal details", () => {
  it("leaves every contact's personal as stored, and creates contacts without it", () => {
    const r = mergeAccountWrite(
      stored,
      { id: "KA-1", contacts: [{ id: "c1", title: "董事长", personal: null }, { id: "c3", name: "钱", role: "buyer", intimacy: 1, professionalism: 1, support: 1, personal: { hobbies: "茶" } }] },
      {},
      { personal: false },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.contacts![0]).toMatchObject({ title: "董事长", personal: { birthday: "03-15", hobbies: "钓鱼" } });
    expect(r.value.contacts![2]).toEqual({ id: "c3", name: "钱", role: "buyer", intimacy: 1, professionalism: 1, support: 1 });
  });
});
