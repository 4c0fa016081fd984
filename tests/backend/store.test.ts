import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../../shared/src/access.js";
import {
  ACCOUNT,
  eraseContactPersonal,
  handoverAccounts,
  upsertAccounts,
} from "../../functions/src/store/accounts.js";
import { destroyStoreContext, type StoreContext } from "../../functions/src/store/client.js";
import { getEntity, listEntities, listHistory, SYNC_OVERLAP_MS } from "../../functions/src/store/entity.js";
import { batchGetAll, batchPutAll } from "../../functions/src/store/retry.js";
import { keys } from "../../functions/src/store/table.js";
import type { Engine, EngineName } from "./engines.js";
import { startStoreOn } from "./helpers.js";

/** The store layer's suite — the same tests on dynalite and on Amazon's DynamoDB Local. */
const ENGINES: EngineName[] = ["dynalite", "dynamodb-local"];

const T = "acme";
const director: Principal = { tenant: T, userId: "dir", name: "Director", roles: ["director"] };
const li: Principal = { tenant: T, userId: "li", name: "Li", roles: ["manager"] };
const zhang: Principal = { tenant: T, userId: "zhang", name: "Zhang", roles: ["manager"] };
const specialist: Principal = { tenant: T, userId: "spec", name: "Spec", roles: ["specialist"] };

const contact = (id: string, personal?: Record<string, string>) => ({
  id,
  name: `联系人${id}`,
  role: "decider" as const,
  intimacy: 3,
  professionalism: 4,
  support: 5,
  ...(personal ? { personal } : {}),
});

describe.each(ENGINES)("store on %s", (engineName) => {
  let engine: Engine;
  let ctx: StoreContext;

  beforeAll(async () => {
    ({ engine, ctx } = await startStoreOn(engineName, "kam-test", [director, li, zhang, specialist]));
  });
  afterAll(async () => {
    if (ctx) destroyStoreContext(ctx);
    await engine?.stop();
  });

  it("creates at version 1 and keeps a history entry with who and the new values", async () => {
    const [r] = await upsertAccounts(ctx, li, [{ id: "S1", name: "苏州精密机械有限公司", phone: "0512-1" }]);
    expect(r).toEqual({ id: "S1", status: "created", version: 1 });
    const stored = await getEntity(ctx, ACCOUNT, T, "S1");
    // A manager creating without an owner owns the account (docs/contracts.md §5.3).
    expect(stored?.data).toMatchObject({ name: "苏州精密机械有限公司", owner: "li", phone: "0512-1" });
    expect(stored?.outbox).toEqual([]);
    const history = await listHistory(ctx, ACCOUNT, T, "S1");
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ version: 1, by: "li", op: "create" });
    expect(history[0]!.changes).toContainEqual({ field: "phone", new: "0512-1" });
  });

  it("merges: present replaces, absent keeps, null clears; contacts by id; personal untouched by a specialist", async () => {
    await upsertAccounts(ctx, li, [
      { id: "S2", name: "杭州云数科技", phone: "0571-1", fax: "0571-2", contacts: [contact("c1", { hobbies: "围棋" }), contact("c2")] },
    ]);
    const [u] = await upsertAccounts(ctx, li, [{ id: "S2", version: 1, phone: "0571-9", fax: null, contacts: [{ id: "c2", title: "采购经理" }] }]);
    expect(u).toEqual({ id: "S2", status: "updated", version: 2 });
    const [s] = await upsertAccounts(ctx, specialist, [{ id: "S2", version: 2, industry: "软件", contacts: [{ id: "c1", title: "总经理" }] }]);
    expect(s).toEqual({ id: "S2", status: "updated", version: 3 });
    const stored = await getEntity(ctx, ACCOUNT, T, "S2");
    expect(stored?.data.phone).toBe("0571-9");
    expect(stored?.data.name).toBe("杭州云数科技");
    expect("fax" in (stored?.data ?? {})).toBe(false);
    expect(stored?.data.industry).toBe("软件");
    const contacts = stored?.data.contacts as { id: string; title?: string; personal?: unknown }[];
    expect(contacts.map((c) => c.id)).toEqual(["c1", "c2"]);
    expect(contacts[0]).toMatchObject({ title: "总经理", personal: { hobbies: "围棋" } });
    expect(contacts[1]!.title).toBe("采购经理");
    // history of version 2: old → new of the changed fields only
    const v2 = (await listHistory(ctx, ACCOUNT, T, "S2")).find((h) => h.version === 2)!;
    expect(v2.changes).toEqual(
      expect.arrayContaining([
        { field: "phone", old: "0571-1", new: "0571-9" },
        { field: "fax", old: "0571-2" },
        { field: "contacts[c2].title", new: "采购经理" },
      ]),
    );
    expect(v2.changes).toHaveLength(3);
    // the same values again → unchanged, no new version
    const [again] = await upsertAccounts(ctx, li, [{ id: "S2", version: 3, phone: "0571-9" }]);
    expect(again).toEqual({ id: "S2", status: "unchanged", version: 3 });
  });

  it("rejects a stale version as a conflict with the current item and overwrites nothing", async () => {
    await upsertAccounts(ctx, li, [{ id: "S3", name: "无锡微电子" }]);
    await upsertAccounts(ctx, li, [{ id: "S3", version: 1, phone: "first" }]);
    const [stale] = await upsertAccounts(ctx, li, [{ id: "S3", version: 1, phone: "second" }]);
    expect(stale!.status).toBe("conflict");
    expect(stale!.version).toBe(2);
    expect(stale!.current).toMatchObject({ id: "S3", version: 2, phone: "first" });
    expect((await getEntity(ctx, ACCOUNT, T, "S3"))?.data.phone).toBe("first");
    expect(await listHistory(ctx, ACCOUNT, T, "S3")).toHaveLength(2);
  });

  it("a create of an id that exists (creates are not read first) is a conflict, never an overwrite; its own replay is 'created'", async () => {
    await upsertAccounts(ctx, li, [{ id: "U1", name: "常州轨道", phone: "0519-1" }], { idempotencyKey: "k-s6" });
    // Another writer creates the same id with a full, valid document: the conditional put fails.
    const [dup] = await upsertAccounts(ctx, li, [{ id: "U1", name: "常州轨道交通", phone: "0519-2" }], { idempotencyKey: "k-other" });
    expect(dup).toMatchObject({ id: "U1", status: "conflict", version: 1, current: { id: "U1", phone: "0519-1" } });
    // A partial create of an existing id is a conflict too (not "name missing").
    const [partial] = await upsertAccounts(ctx, li, [{ id: "U1", phone: "0519-3" }]);
    expect(partial).toMatchObject({ status: "conflict", version: 1 });
    // Another manager's existing account: forbidden, as when it was read first.
    const [foreign] = await upsertAccounts(ctx, zhang, [{ id: "U1", name: "抢注", owner: "zhang" }]);
    expect(foreign!.status).toBe("forbidden");
    // The same request replayed after its write landed recognises its own write.
    const [replay] = await upsertAccounts(ctx, li, [{ id: "U1", name: "常州轨道", phone: "0519-1" }], { idempotencyKey: "k-s6" });
    expect(replay).toEqual({ id: "U1", status: "created", version: 1 });
    expect((await getEntity(ctx, ACCOUNT, T, "U1"))?.data.phone).toBe("0519-1");
    expect((await listHistory(ctx, ACCOUNT, T, "U1")).map((r) => r.version)).toEqual([1]);
  });

  it("a lean list leaves the outbox on the server: a later write still turns it into history", async () => {
    const [created] = await upsertAccounts(ctx, director, [{ id: "U2", name: "镇江船舶", owner: "li", contacts: [contact("c1", { hobbies: "茶" })] }]);
    expect(created).toMatchObject({ status: "created", version: 1 });
    // The create record holds personal values: it waits in the stored outbox.
    const page = await listEntities(ctx, ACCOUNT, T, { owner: "li", lean: true, limit: 1000 });
    if (!page.ok) throw new Error("page");
    const s7 = page.value.items.find((e) => e.id === "U2")!;
    expect(s7.outbox).toEqual([]);
    expect(s7.data.name).toBe("镇江船舶");
    expect((await getEntity(ctx, ACCOUNT, T, "U2", { repair: false }))!.outbox).toHaveLength(1);
    await upsertAccounts(ctx, li, [{ id: "U2", version: 1, phone: "0511-1" }]);
    expect((await listHistory(ctx, ACCOUNT, T, "U2")).map((r) => [r.version, r.op])).toEqual([[1, "create"], [2, "update"]]);
  });

  it("forbids a manager writing another manager's account and flags an unknown owner invalid", async () => {
    await upsertAccounts(ctx, zhang, [{ id: "S4", name: "宁波港" }]);
    const [f] = await upsertAccounts(ctx, li, [{ id: "S4", version: 1, phone: "x" }]);
    expect(f!.status).toBe("forbidden");
    expect(f!.current).toBeUndefined();
    const [inv] = await upsertAccounts(ctx, director, [{ id: "S5", name: "南京钢铁", owner: "nobody" }]);
    expect(inv).toEqual({ id: "S5", status: "invalid", errors: [{ path: "owner", message: "owner: unknown user nobody / 负责人：用户目录中没有 nobody" }] });
    expect(await getEntity(ctx, ACCOUNT, T, "S5")).toBeUndefined();
  });

  it("repairs an unmaterialised outbox record on the next touch", async () => {
    // Simulate a crash after the conditional write, before the history item was written.
    const record = { version: 1, at: "2026-03-01T08:00:00.000Z", by: "li", op: "create", changes: [{ field: "name", new: "合肥京东方" }] };
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.table,
        Item: {
          pk: keys.entityPk(T, "ACC", "S6"), sk: keys.itemSk, ent: "ACC", tenant: T, id: "S6", version: 1,
          data: { name: "合肥京东方", owner: "li" }, updatedAt: record.at, updatedBy: "li", changedAt: Date.parse(record.at),
          deleted: false, outbox: [record], gsi1pk: keys.changesPk(T, "ACC"), gsi1sk: keys.changeKey(Date.parse(record.at), "S6"),
        },
      }),
    );
    const before = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: { pk: keys.entityPk(T, "ACC", "S6"), sk: keys.historySk(1) } }));
    expect(before.Item).toBeUndefined();
    await getEntity(ctx, ACCOUNT, T, "S6");
    const after = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: { pk: keys.entityPk(T, "ACC", "S6"), sk: keys.historySk(1) } }));
    expect(after.Item).toMatchObject({ version: 1, by: "li", op: "create" });
    const item = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: { pk: keys.entityPk(T, "ACC", "S6"), sk: keys.itemSk } }));
    // The item was written before the outbox became a JSON string; repaired, it has none.
    expect(item.Item?.outbox).toBeUndefined();
    expect((await getEntity(ctx, ACCOUNT, T, "S6"))?.outbox).toEqual([]);
  });

  it("lists by owner and by change cursor, pages without loss, rejects foreign page tokens", async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `L${i}`);
    await upsertAccounts(ctx, zhang, ids.map((id) => ({ id, name: `客户${id}` })));
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const page = await listEntities(ctx, ACCOUNT, T, { owner: "zhang", limit: 3, ...(next ? { next } : {}) });
      if (!page.ok) throw new Error("page");
      seen.push(...page.value.items.map((e) => e.id));
      next = page.value.next;
    } while (next);
    // zhang owns S4 and L0..L6 → 8 accounts
    expect(seen.sort()).toEqual(["L0", "L1", "L2", "L3", "L4", "L5", "L6", "S4"]);
    // change cursor: the query reads from (since − SYNC_OVERLAP_MS); pass since = t + overlap so it
    // reads exactly from t — L3 changed after t, L0 before.
    await new Promise((r) => setTimeout(r, 5));
    const t = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const l3 = await getEntity(ctx, ACCOUNT, T, "L3");
    const [w] = await upsertAccounts(ctx, zhang, [{ id: "L3", version: l3!.version, phone: "new" }]);
    expect(w!.status).toBe("updated");
    const changed = await listEntities(ctx, ACCOUNT, T, { sinceMs: t + SYNC_OVERLAP_MS, includeDeleted: true });
    if (!changed.ok) throw new Error("since");
    expect(changed.value.items.map((e) => e.id)).toEqual(["L3"]);
    // a token minted for another tenant's index is refused, not executed
    const forged = Buffer.from(JSON.stringify({ pk: "T#other#ACC#X", sk: "#ITEM", gsi1pk: "T#other#ACC", gsi1sk: "0" })).toString("base64url");
    const bad = await listEntities(ctx, ACCOUNT, T, { next: forged });
    expect(bad.ok).toBe(false);
  });

  it("batch get and batch put move more than one request's worth of items", async () => {
    // 60 puts = 3 BatchWriteItem requests of ≤ 25; 150 gets = 2 BatchGetItem requests of ≤ 100
    const items = Array.from({ length: 60 }, (_, i) => ({ pk: `T#${T}#BULK#${i}`, sk: "#ITEM", n: i }));
    await batchPutAll(ctx, items);
    const keysToGet = Array.from({ length: 150 }, (_, i) => ({ pk: `T#${T}#BULK#${i}`, sk: "#ITEM" }));
    const got = await batchGetAll(ctx, keysToGet);
    expect(got.map((g) => g.n as number).sort((a, b) => a - b)).toEqual(items.map((i) => i.n));
  });

  it("handover moves the accounts and records it; erasure scrubs account, history and outbox", async () => {
    await upsertAccounts(ctx, li, [{ id: "H1", name: "常州天合", contacts: [contact("k1", { birthday: "1970-05-01", hobbies: "钓鱼" })] }]);
    await upsertAccounts(ctx, li, [{ id: "H1", version: 1, contacts: [{ id: "k1", personal: { hometown: "江苏盐城" } }] }]);
    const h = await handoverAccounts(ctx, director, { from: "li", to: "zhang", accountIds: ["H1"] }, "ho-1");
    expect(h.ok && h.value).toMatchObject({ from: "li", to: "zhang", approvedBy: "dir", accountIds: ["H1"] });
    expect((await getEntity(ctx, ACCOUNT, T, "H1"))?.data.owner).toBe("zhang");
    const er = await eraseContactPersonal(ctx, director, { accountId: "H1", contactId: "k1" });
    // history: v1 create (personal inside the contact), v2 personal.hometown, v3 handover → 2 scrubbed
    expect(er).toMatchObject({ version: 4, historyEntriesScrubbed: 2 });
    const stored = await getEntity(ctx, ACCOUNT, T, "H1");
    expect((stored?.data.contacts as { personal?: unknown }[])[0]!.personal).toBeUndefined();
    const raw = await ctx.doc.send(
      new QueryCommand({ TableName: ctx.table, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.entityPk(T, "ACC", "H1") } }),
    );
    const dump = JSON.stringify(raw.Items);
    expect(dump).not.toContain("钓鱼");
    expect(dump).not.toContain("1970-05-01");
    expect(dump).not.toContain("江苏盐城");
    const ops = (await listHistory(ctx, ACCOUNT, T, "H1")).map((r) => r.op);
    expect(ops).toEqual(["create", "update", "handover", "erasure"]);
  });

  it("never loses an accepted write under concurrent updates (5 writers × 6 rounds on 2 items)", async () => {
    await upsertAccounts(ctx, director, [{ id: "C1", name: "并发一", owner: "li" }, { id: "C2", name: "并发二", owner: "li" }]);
    const accepted: { id: string; version: number; value: string }[] = [];
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: 5 }, async (_, w) => {
        const known: Record<string, number> = { C1: 1, C2: 1 };
        for (let round = 0; round < 6; round++) {
          const id = round % 2 === 0 ? "C1" : "C2";
          const value = `w${w}r${round}`;
          const [r] = await upsertAccounts(ctx, director, [{ id, version: known[id], phone: value }]);
          if (r!.status === "updated") {
            accepted.push({ id, version: r!.version!, value });
            known[id] = r!.version!;
          } else {
            expect(r!.status).toBe("conflict");
            conflicts++;
            known[id] = r!.version!;
          }
        }
      }),
    );
    expect(accepted.length + conflicts).toBe(30);
    for (const id of ["C1", "C2"]) {
      const mine = accepted.filter((a) => a.id === id);
      const stored = await getEntity(ctx, ACCOUNT, T, id);
      expect(stored!.version).toBe(mine.length + 1);
      expect(new Set(mine.map((a) => a.version)).size).toBe(mine.length);
      const history = await listHistory(ctx, ACCOUNT, T, id);
      expect(history.map((h) => h.version)).toEqual(Array.from({ length: mine.length + 1 }, (_, i) => i + 1));
      for (const a of mine) expect(history[a.version - 1]!.changes).toContainEqual(expect.objectContaining({ field: "phone", new: a.value }));
    }
  });
});
