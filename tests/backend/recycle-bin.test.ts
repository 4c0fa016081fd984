import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { DeletedAccountSchema, LastChangedSchema } from "../../shared/src/schemas/changes.js";
import { AccountSchema } from "../../shared/src/schemas/account.js";
import { MemoryStore } from "../../addin/src/sync/memoryStore.test-util.js";
import { ACCOUNTS } from "../../addin/src/sync/entities.js";
import { ADMIN, DIRECTOR, FINANCE, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, signInAll, startTestStack, type ApiClient } from "./helpers.js";

/**
 * Over HTTP on loopback against the local stack (dynalite): per-field `lastChanged` from the write
 * path, the recycle bin per role, restore (history goes on, erasure stays), and the owner-must-be-a-
 * manager rule of `PUT /v1/accounts`.
 */
let stack: LocalStack;
let dir: ApiClient, li: ApiClient, zhang: ApiClient, spec: ApiClient, fin: ApiClient, admin: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  [dir, li, zhang, spec, fin, admin] = await signInAll(stack, [DIRECTOR, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, FINANCE, ADMIN]);
});
afterAll(async () => {
  await stack?.stop();
});

const contact = (id: string, personal?: Record<string, string>) => ({
  id, name: `联系人${id}`, role: "decider", intimacy: 4, professionalism: 4, support: 5, ...(personal ? { personal } : {}),
});

async function put(c: ApiClient, item: Record<string, unknown>) {
  const r = await c.call("PUT", "/v1/accounts", { items: [item] });
  expect(r.status).toBe(200);
  return r.body.items[0];
}

async function get(c: ApiClient, id: string) {
  const r = await c.call("GET", `/v1/accounts/${id}`);
  expect(r.status).toBe(200);
  return r.body;
}

describe("lastChanged from the write path", () => {
  it("a create stamps every field it sets, one key per contact, with the author and the write's time", async () => {
    expect(await put(dir, { id: "LC-1", name: "苏州精密", owner: "m-li", phone: "0512-1", contacts: [contact("c1"), contact("c2")] })).toMatchObject({ status: "created", version: 1 });
    const a = await get(dir, "LC-1");
    expect(AccountSchema.safeParse(a).success).toBe(true);
    const stamp = { by: "d-wang", byName: "王建国", at: a.updatedAt };
    expect(a.lastChanged).toEqual({ name: stamp, owner: stamp, phone: stamp, "contacts[c1]": stamp, "contacts[c2]": stamp });
  });

  it("an update changes only the keys of the fields it changed; a contact merge only that contact's key", async () => {
    const before = await get(dir, "LC-1");
    expect(await put(li, { id: "LC-1", version: before.version, phone: "0512-2", contacts: [{ id: "c1", title: "总经理" }, contact("c3")] })).toMatchObject({ status: "updated" });
    const a = await get(li, "LC-1");
    const mine = { by: "m-li", byName: "李明", at: a.updatedAt };
    expect(a.lastChanged.phone).toEqual(mine);
    expect(a.lastChanged["contacts[c1]"]).toEqual(mine);
    expect(a.lastChanged["contacts[c3]"]).toEqual(mine);
    expect(a.lastChanged.name).toEqual(before.lastChanged.name);
    expect(a.lastChanged["contacts[c2]"]).toEqual(before.lastChanged["contacts[c2]"]);
    // Removing a contact stamps its key too; an unchanged write stamps nothing.
    expect(await put(li, { id: "LC-1", version: a.version, contacts: [{ id: "c2", deleted: true }] })).toMatchObject({ status: "updated" });
    const b = await get(li, "LC-1");
    expect(b.lastChanged["contacts[c2]"]).toEqual({ by: "m-li", byName: "李明", at: b.updatedAt });
    expect(await put(li, { id: "LC-1", version: b.version, phone: "0512-2" })).toMatchObject({ status: "unchanged" });
    expect((await get(li, "LC-1")).lastChanged).toEqual(b.lastChanged);
    // Clearing the whole decision chain stamps each contact it removed.
    expect(await put(li, { id: "LC-1", version: b.version, contacts: null })).toMatchObject({ status: "updated" });
    const c = await get(li, "LC-1");
    expect(c.contacts).toBeUndefined();
    for (const k of ["contacts[c1]", "contacts[c3]"]) expect(c.lastChanged[k]).toEqual({ by: "m-li", byName: "李明", at: c.updatedAt });
    expect(c.lastChanged["contacts[c2]"]).toEqual(b.lastChanged["contacts[c2]"]);
  });

  it("a handover stamps owner only; lists and the since feed carry lastChanged (names left to the client)", async () => {
    const before = await get(dir, "LC-1");
    const h = await dir.call("POST", "/v1/handovers", { from: "m-li", to: "m-zhang", accountIds: ["LC-1"] });
    expect(h.status).toBe(201);
    const a = await get(dir, "LC-1");
    expect(a.lastChanged.owner).toEqual({ by: "d-wang", byName: "王建国", at: a.updatedAt });
    const { owner: _o, ...rest } = a.lastChanged;
    const { owner: _p, ...restBefore } = before.lastChanged;
    expect(rest).toEqual(restBefore);
    const list = await zhang.call("GET", "/v1/accounts?owner=m-zhang&limit=1000");
    const listed = list.body.items.find((x: { id: string }) => x.id === "LC-1");
    expect(listed.lastChanged.owner).toEqual({ by: "d-wang", at: a.updatedAt });
    const since = await dir.call("GET", `/v1/accounts?since=${encodeURIComponent(before.updatedAt)}`);
    expect(since.body.items.find((x: { id: string }) => x.id === "LC-1").lastChanged).toEqual(listed.lastChanged);
    // Finance sees the name and owner only, and only their stamps.
    const f = await get(fin, "LC-1");
    expect(f).toEqual({ id: "LC-1", name: "苏州精密", owner: "m-zhang", lastChanged: { name: a.lastChanged.name, owner: a.lastChanged.owner } });
  });

  it("a conflict's current carries lastChanged with names, and no personal value for a role that cannot read personal", async () => {
    expect(await put(dir, { id: "LC-2", name: "无锡重工", owner: "m-li", contacts: [contact("p1", { birthday: "1970-01-02", hobbies: "高尔夫球秘密" })] })).toMatchObject({ status: "created" });
    const v1 = (await get(spec, "LC-2")).version;
    // The owner edits the personal details and the phone; the specialist's edit is then stale.
    expect(await put(li, { id: "LC-2", version: v1, phone: "0510-1", contacts: [{ id: "p1", personal: { hometown: "无锡老家机密" } }] })).toMatchObject({ status: "updated" });
    const stale = await spec.call("PUT", "/v1/accounts", { items: [{ id: "LC-2", version: v1, phone: "0510-9" }] });
    const item = stale.body.items[0];
    expect(item.status).toBe("conflict");
    expect(LastChangedSchema.safeParse(item.current.lastChanged).success).toBe(true);
    const at = item.current.updatedAt;
    expect(item.current.lastChanged.phone).toEqual({ by: "m-li", byName: "李明", at });
    expect(item.current.lastChanged["contacts[p1]"]).toEqual({ by: "m-li", byName: "李明", at });
    expect(item.current.lastChanged.name.by).toBe("d-wang");
    const text = JSON.stringify(stale.body);
    for (const secret of ["1970-01-02", "高尔夫球秘密", "无锡老家机密", "personal"]) expect(text).not.toContain(secret);
    // The owner's conflict shows the same stamps (and the personal values the owner may read).
    const own = (await li.call("PUT", "/v1/accounts", { items: [{ id: "LC-2", version: v1, phone: "0510-8" }] })).body.items[0];
    expect(own.status).toBe("conflict");
    expect(own.current.lastChanged).toEqual(item.current.lastChanged);
    expect(JSON.stringify(own.current)).toContain("无锡老家机密");
  });
});

describe("recycle bin and restore", () => {
  beforeAll(async () => {
    for (const [id, owner] of [["RB-LI", "m-li"], ["RB-ZH", "m-zhang"], ["RB-LI2", "m-li"]] as const) {
      expect(await put(dir, { id, name: `回收站${id}`, owner, phone: "021-1" })).toMatchObject({ status: "created" });
      expect((await dir.call("DELETE", `/v1/accounts/${id}?version=1`)).status).toBe(200);
    }
  });

  const binIds = async (c: ApiClient, query = "") => {
    const r = await c.call("GET", `/v1/accounts?deleted=true${query}`);
    expect(r.status).toBe(200);
    return r.body.items as { id: string }[];
  };

  it("directors see every tombstone with name, owner, who deleted it and when", async () => {
    const items = await binIds(dir, "&limit=1000");
    const li1 = items.find((i) => i.id === "RB-LI")!;
    expect(DeletedAccountSchema.safeParse(li1).success).toBe(true);
    expect(li1).toEqual({ id: "RB-LI", name: "回收站RB-LI", owner: "m-li", deletedBy: "d-wang", deletedByName: "王建国", deletedAt: expect.any(String), version: 2 });
    expect(Date.parse((li1 as unknown as { deletedAt: string }).deletedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(items.map((i) => i.id)).toEqual(expect.arrayContaining(["RB-LI", "RB-ZH", "RB-LI2"]));
    // Live accounts are never in the bin.
    expect(items.some((i) => i.id === "A-001" || i.id === "LC-1")).toBe(false);
    expect((await binIds(dir, "&owner=m-zhang")).map((i) => i.id)).toEqual(["RB-ZH"]);
  });

  it("pages through tombstones with limit/next, each exactly once", async () => {
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const r = await dir.call("GET", `/v1/accounts?deleted=true&limit=1${next ? `&next=${encodeURIComponent(next)}` : ""}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...r.body.items.map((i: { id: string }) => i.id));
      next = r.body.next;
      pages++;
    } while (next && pages < 50);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual((await binIds(dir, "&limit=1000")).map((i) => i.id).sort());
  });

  it("managers see their own tombstones only; other roles are refused", async () => {
    expect((await binIds(li)).map((i) => i.id).sort()).toEqual(["RB-LI", "RB-LI2"]);
    expect((await binIds(zhang)).map((i) => i.id)).toEqual(["RB-ZH"]);
    expect((await li.call("GET", "/v1/accounts?deleted=true&owner=m-zhang")).status).toBe(403);
    for (const c of [spec, fin, admin]) expect((await c.call("GET", "/v1/accounts?deleted=true")).status).toBe(403);
    expect((await dir.call("GET", "/v1/accounts?deleted=maybe")).status).toBe(400);
    expect((await dir.call("GET", "/v1/accounts?deleted=true&since=0")).status).toBe(400);
  });

  it("only directors restore: version + 1, a restore history entry, back in lists, out of the bin", async () => {
    for (const c of [li, spec, fin, admin]) expect((await c.call("POST", "/v1/accounts/RB-LI/restore")).status).toBe(403);
    const r = await dir.call("POST", "/v1/accounts/RB-LI/restore");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: "RB-LI", version: 3, name: "回收站RB-LI", owner: "m-li", phone: "021-1" });
    expect(r.body.deleted).toBeUndefined();
    expect(r.body.lastChanged.deleted).toBeUndefined();
    expect(r.body.lastChanged.phone.by).toBe("d-wang");
    const h = await li.call("GET", "/v1/accounts/RB-LI/history");
    expect(h.body.items.map((e: { op: string; version: number }) => [e.op, e.version])).toEqual([["create", 1], ["delete", 2], ["restore", 3]]);
    expect(h.body.items[2]).toMatchObject({ by: "d-wang", changes: [{ field: "deleted", old: true, new: false }] });
    expect((await get(li, "RB-LI")).phone).toBe("021-1");
    expect((await binIds(li)).map((i) => i.id)).toEqual(["RB-LI2"]);
    // History goes on: the owner edits the restored account.
    expect(await put(li, { id: "RB-LI", version: 3, phone: "021-2" })).toMatchObject({ status: "updated", version: 4 });
    expect((await dir.call("POST", "/v1/accounts/RB-LI/restore")).status).toBe(409);
    expect((await dir.call("POST", "/v1/accounts/NO-SUCH/restore")).status).toBe(404);
  });

  it("a write to a tombstone is a conflict until it is restored", async () => {
    const r = await put(dir, { id: "RB-ZH", version: 2, phone: "020-9" });
    expect(r).toMatchObject({ status: "conflict", current: { id: "RB-ZH", deleted: true } });
  });

  it("personal data erased before the delete or while deleted stays erased after a restore", async () => {
    const secrets = ["1966-06-06", "钓鱼之乐", "1977-07-07", "围棋高手"];
    expect(await put(dir, { id: "RB-ER", name: "擦除测试", owner: "m-li", contacts: [contact("e1", { birthday: secrets[0]!, hobbies: secrets[1]! }), contact("e2", { birthday: secrets[2]!, hobbies: secrets[3]! })] })).toMatchObject({ status: "created" });
    expect((await dir.call("POST", "/v1/erasures", { accountId: "RB-ER", contactId: "e1" })).status).toBe(200);
    expect((await dir.call("DELETE", "/v1/accounts/RB-ER")).status).toBe(200);
    expect((await dir.call("POST", "/v1/erasures", { accountId: "RB-ER", contactId: "e2" })).status).toBe(200);
    const r = await dir.call("POST", "/v1/accounts/RB-ER/restore");
    expect(r.status).toBe(200);
    expect(r.body.version).toBe(5);
    const a = await get(dir, "RB-ER");
    expect(a.contacts.map((c: { id: string; personal?: unknown }) => [c.id, c.personal])).toEqual([["e1", undefined], ["e2", undefined]]);
    const h = await dir.call("GET", "/v1/accounts/RB-ER/history");
    expect(h.body.items.map((e: { op: string }) => e.op)).toEqual(["create", "erasure", "delete", "erasure", "restore"]);
    const text = JSON.stringify([a, h.body]);
    for (const s of secrets) expect(text).not.toContain(s);
    // The bin named who deleted it even after an erasure touched the tombstone.
    expect((await dir.call("DELETE", "/v1/accounts/RB-ER")).status).toBe(200);
    expect((await dir.call("POST", "/v1/erasures", { accountId: "RB-ER", contactId: "e1" })).status).toBe(200);
    const entry = (await binIds(dir, "&limit=1000")).find((i) => i.id === "RB-ER") as unknown as { deletedAt: string; version: number };
    const hist = (await dir.call("GET", "/v1/accounts/RB-ER/history")).body.items as { op: string; at: string }[];
    expect(entry.deletedAt).toBe(hist.filter((e) => e.op === "delete").at(-1)!.at);
    expect(entry.version).toBe(7);
  });
});

describe("owner must be a user with the manager role (PUT /v1/accounts)", () => {
  it("rejects an owner without the manager role, or unknown, per item, naming owner in en and zh", async () => {
    const r = await dir.call("PUT", "/v1/accounts", {
      items: [
        { id: "OW-1", name: "甲", owner: "s-chen" },
        { id: "OW-2", name: "乙", owner: "d-wang" },
        { id: "OW-3", name: "丙", owner: "ghost" },
        { id: "OW-4", name: "丁", owner: "m-zhang" },
      ],
    });
    expect(r.status).toBe(200);
    const [a, b, c, d] = r.body.items;
    for (const x of [a, b, c]) {
      expect(x.status).toBe("invalid");
      expect(x.errors).toHaveLength(1);
      expect(x.errors[0].path).toBe("owner");
      expect(x.errors[0].message).toMatch(/owner/);
      expect(x.errors[0].message).toMatch(/负责人/);
    }
    expect(a.errors[0].message).toContain("manager role");
    expect(a.errors[0].message).toContain("客户经理");
    expect(c.errors[0].message).toContain("unknown user ghost");
    expect(d).toMatchObject({ status: "created" });
    expect((await dir.call("GET", "/v1/accounts/OW-1")).status).toBe(404);
  });

  it("an account whose stored owner lost the manager role still takes edits that leave owner alone", async () => {
    expect((await dir.call("PUT", "/v1/users", { items: [{ id: "m-temp", name: "临时经理", roles: ["manager"] }] })).body.items[0].status).toMatch(/created|updated/);
    expect(await put(dir, { id: "OW-5", name: "戊", owner: "m-temp" })).toMatchObject({ status: "created", version: 1 });
    expect((await dir.call("PUT", "/v1/users", { items: [{ id: "m-temp", name: "临时经理", roles: ["specialist"] }] })).body.items[0].status).toBe("updated");
    expect(await put(dir, { id: "OW-5", version: 1, phone: "010-1", owner: "m-temp" })).toMatchObject({ status: "updated", version: 2 });
    const bad = await put(dir, { id: "OW-5", version: 2, owner: "s-chen" });
    expect(bad).toMatchObject({ status: "invalid", errors: [{ path: "owner" }] });
    expect(await put(dir, { id: "OW-5", version: 2, owner: "m-li" })).toMatchObject({ status: "updated", version: 3 });
  });
});

describe("the sync tests' MemoryStore keeps lastChanged, the bin and restore as the API does", () => {
  /** The same writes on both; lastChanged compared as key → author (times differ). */
  it("same keys and authors after create, update, contact merge and removal; same bin entry and restore", async () => {
    const mem = new MemoryStore();
    mem.users.push({ id: "d-wang", name: "王建国", roles: ["director"] }, { id: "m-li", name: "李明", roles: ["manager"] });
    const writes: [ApiClient, string, Record<string, unknown>][] = [
      [dir, "d-wang", { id: "PAR-1", name: "对照", owner: "m-li", phone: "1", contacts: [contact("c1"), contact("c2")] }],
      [li, "m-li", { id: "PAR-1", version: 1, phone: "2", contacts: [{ id: "c1", title: "经理" }, contact("c3")] }],
      [li, "m-li", { id: "PAR-1", version: 2, fax: "3", contacts: [{ id: "c2", deleted: true }] }],
      [dir, "d-wang", { id: "PAR-1", version: 3, fax: null, contacts: [{ id: "c1", deleted: true }] }],
    ];
    for (const [client, by, w] of writes) {
      mem.actor = by;
      const mr = await mem.upsert(ACCOUNTS, [w], "k");
      expect(mr.ok && mr.value[0]!.status).toMatch(/created|updated/);
      expect(await put(client, w)).toMatchObject({ status: expect.stringMatching(/created|updated/) });
      const api = (await get(dir, "PAR-1")).lastChanged as Record<string, { by: string }>;
      const memLc = mem.items.get("PAR-1")!.lastChanged as Record<string, { by: string }>;
      const authors = (lc: Record<string, { by: string }>) => Object.fromEntries(Object.entries(lc).map(([k, v]) => [k, v.by]));
      expect(authors(memLc)).toEqual(authors(api));
    }
    // A stale write: both conflicts name the authors.
    const stale = { id: "PAR-1", version: 1, phone: "9" };
    const apiConflict = (await li.call("PUT", "/v1/accounts", { items: [stale] })).body.items[0];
    const memConflict = (await mem.upsert(ACCOUNTS, [stale], "k2"));
    const mc = memConflict.ok ? memConflict.value[0]! : undefined;
    expect(mc?.status).toBe(apiConflict.status);
    const names = (lc: Record<string, { byName?: string }>) => Object.fromEntries(Object.entries(lc).map(([k, v]) => [k, v.byName]));
    expect(names((mc!.current as { lastChanged: Record<string, { byName?: string }> }).lastChanged)).toEqual(names(apiConflict.current.lastChanged));
    // Delete, bin, restore.
    mem.actor = "d-wang";
    expect((await mem.tombstone(ACCOUNTS, "PAR-1")).ok).toBe(true);
    expect((await dir.call("DELETE", "/v1/accounts/PAR-1")).status).toBe(200);
    const apiBin = (await dir.call("GET", "/v1/accounts?deleted=true&limit=1000")).body.items.find((i: { id: string }) => i.id === "PAR-1");
    const memBin = await mem.listDeletedAccounts();
    const strip = ({ deletedAt: _a, ...rest }: { deletedAt: string }) => rest;
    expect(memBin.ok && memBin.value.map(strip)).toEqual([strip(apiBin)]);
    const apiRestore = (await dir.call("POST", "/v1/accounts/PAR-1/restore")).body;
    const memRestore = await mem.restoreAccount("PAR-1");
    expect(memRestore.ok && memRestore.value.version).toBe(apiRestore.version);
    expect(Object.keys((memRestore.ok && memRestore.value.lastChanged) as object).sort()).toEqual(Object.keys(apiRestore.lastChanged).sort());
    const again = await mem.restoreAccount("PAR-1");
    expect(!again.ok && again.error.status).toBe(409);
    expect((await dir.call("POST", "/v1/accounts/PAR-1/restore")).status).toBe(409);
    const missing = await mem.restoreAccount("NOPE");
    expect(!missing.ok && missing.error.status).toBe(404);
  });
});
