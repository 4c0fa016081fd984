import { DeleteCommand, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../../shared/src/access.js";
import type { FieldChange } from "../../shared/src/schemas/api.js";
import { ensureTable } from "../../functions/local/stack.js";
import { ACCOUNT, eraseContactPersonal, holdsPersonal, upsertAccounts } from "../../functions/src/store/accounts.js";
import { createStoreContext, destroyStoreContext, type StoreContext } from "../../functions/src/store/client.js";
import { commitChange, getEntity, listHistory, materialiseRecords, type ChangeRecord } from "../../functions/src/store/entity.js";
import { keys } from "../../functions/src/store/table.js";
import { ensureRegistered } from "../../functions/src/store/users.js";
import { startEngine, type Engine, type EngineName } from "./engines.js";

/**
 * The lazy outbox (functions/src/store/entity.ts): one conditional PutItem per written row, history
 * materialised afterwards (batched when no erasure can rewrite the record, deferred to the next
 * touch when it holds personal values), repaired after a crash, and never resurrecting erased
 * personal values. Same tests on dynalite and on Amazon's DynamoDB Local.
 */
const ENGINES: EngineName[] = ["dynalite", "dynamodb-local"];
const T = "lazy";
const director: Principal = { tenant: T, userId: "dir", name: "Director", roles: ["director"] };
const li: Principal = { tenant: T, userId: "li", name: "Li", roles: ["manager"] };

const contact = (id: string, personal?: Record<string, string>) => ({
  id, name: `联系人${id}`, role: "decider" as const, intimacy: 3, professionalism: 4, support: 5, ...(personal ? { personal } : {}),
});

describe("holdsPersonal (which change records an erasure could rewrite)", () => {
  const rec = (changes: FieldChange[]): ChangeRecord => ({ version: 1, at: "2026-03-01T00:00:00.000Z", by: "u", op: "update", changes });
  it("personal paths, contacts carrying personal at any depth, and redacted personal paths are erasable", () => {
    expect(holdsPersonal(rec([{ field: "contacts[c1].personal.birthday", old: "03-15", new: "03-16" }]))).toBe(true);
    expect(holdsPersonal(rec([{ field: "contacts[c1].personal", new: { hobbies: "茶" } }]))).toBe(true);
    expect(holdsPersonal(rec([{ field: "contacts[c1]", old: contact("c1", { hobbies: "茶" }) }]))).toBe(true);
    expect(holdsPersonal(rec([{ field: "name", new: "甲" }, { field: "contacts", new: [contact("c1"), contact("c2", { family: "一子" })] }]))).toBe(true);
    expect(holdsPersonal(rec([{ field: "contacts[c1].personal", redacted: true }]))).toBe(true);
  });
  it("profile fields and contacts without personal details are not", () => {
    expect(holdsPersonal(rec([{ field: "phone", old: "1", new: "2" }, { field: "owner", old: "li", new: "zhang" }]))).toBe(false);
    expect(holdsPersonal(rec([{ field: "contacts", new: [contact("c1")] }, { field: "contacts[c2].title", new: "总经理" }]))).toBe(false);
  });
});

describe.each(ENGINES)("lazy outbox on %s", (engineName) => {
  let engine: Engine;
  let ctx: StoreContext;
  /** DynamoDB requests by command name since the last reset. */
  let sent: Record<string, number> = {};

  /** A stored item as written; its JSON-string lists (`outbox`, a history item's `changes`) decoded. */
  const rawItem = async (id: string, sk: string) => {
    const item = (await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: { pk: keys.entityPk(T, "ACC", id), sk }, ConsistentRead: true }))).Item;
    if (!item) return undefined;
    for (const k of ["outbox", "changes"]) if (typeof item[k] === "string") item[k] = JSON.parse(item[k] as string);
    return item;
  };
  const outboxOf = async (id: string) => ((await rawItem(id, keys.itemSk))?.outbox ?? []) as ChangeRecord[];
  const dump = async (id: string) =>
    JSON.stringify(
      (await ctx.doc.send(new QueryCommand({ TableName: ctx.table, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.entityPk(T, "ACC", id) }, ConsistentRead: true }))).Items,
    );

  beforeAll(async () => {
    engine = await startEngine(engineName);
    await ensureTable(engine.endpoint, "kam-lazy");
    ctx = createStoreContext({ endpoint: engine.endpoint, table: "kam-lazy" });
    // Both clients of the context: the DocumentClient and the plain one behind putItem.
    for (const client of [ctx.doc, ctx.raw!]) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const name = String(context.commandName).replace(/Command$/, "");
          sent[name] = (sent[name] ?? 0) + 1;
          return next(args);
        },
        { step: "initialize", name: "countByCommand" },
      );
    }
    await ensureRegistered(ctx, director);
  });
  afterAll(async () => {
    if (ctx) destroyStoreContext(ctx);
    await engine?.stop();
  });

  it("registering a user is one GetItem and two PutItems (item, history) — no UpdateItem or batch write", async () => {
    sent = {};
    await ensureRegistered(ctx, li);
    expect(sent).toEqual({ GetItem: 1, PutItem: 2 });
    expect((await listHistory(ctx, { code: "USER" }, T, "li")).map((r) => r.op)).toEqual(["create"]);
  });

  it("a batch of 30 new accounts is one PutItem per row; their history waits in the outboxes for the next touch", async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `N${i}`, name: `新客户${i}`, owner: "li", phone: `0512-${i}` }));
    sent = {};
    const results = await upsertAccounts(ctx, director, items);
    expect(results.every((r) => r.status === "created" && r.version === 1)).toBe(true);
    // BatchGetItem: the owners {li, dir} (1) — creates are not read first (attribute_not_exists);
    // PutItem: 30 (one conditional write per row); no BatchWriteItem, no UpdateItem.
    expect(sent).toEqual({ BatchGetItem: 1, PutItem: 30 });
    // The create record rides in the item, not yet a history item …
    expect(await rawItem("N7", keys.historySk(1))).toBeUndefined();
    expect((await outboxOf("N7")).map((r) => [r.version, r.op, r.by])).toEqual([[1, "create", "dir"]]);
    // … and a history read sees it (it materialises it first).
    expect((await listHistory(ctx, ACCOUNT, T, "N8")).map((r) => [r.version, r.op, r.by])).toEqual([[1, "create", "dir"]]);
    expect(await rawItem("N8", keys.historySk(1))).toMatchObject({ version: 1, op: "create", by: "dir", changes: [{ field: "name", new: "新客户8" }, { field: "owner", new: "li" }, { field: "phone", new: "0512-8" }] });
    sent = {};
    const [u] = await upsertAccounts(ctx, director, [{ id: "N7", version: 1, phone: "0512-77" }]);
    expect(u).toEqual({ id: "N7", status: "updated", version: 2 });
    // BatchGetItem 2 (owners, ids); settle r1: 1 BatchWriteItem; PutItem 1 (carrying r2 only).
    expect(sent).toEqual({ BatchGetItem: 2, BatchWriteItem: 1, PutItem: 1 });
    expect(await rawItem("N7", keys.historySk(1))).toMatchObject({ version: 1, op: "create", by: "dir" });
    expect((await outboxOf("N7")).map((r) => r.version)).toEqual([2]);
    expect((await listHistory(ctx, ACCOUNT, T, "N7")).map((r) => [r.version, r.op])).toEqual([[1, "create"], [2, "update"]]);
  });

  it("a record holding personal values waits in the outbox; the next write materialises it before dropping it", async () => {
    await upsertAccounts(ctx, li, [{ id: "P1", name: "常州天合", contacts: [contact("k1", { hobbies: "钓鱼" })] }]);
    expect(await rawItem("P1", keys.historySk(1))).toBeUndefined();
    const outbox = await outboxOf("P1");
    expect(outbox.map((r) => [r.version, r.op])).toEqual([[1, "create"]]);
    await upsertAccounts(ctx, li, [{ id: "P1", version: 1, phone: "0519-1" }]);
    expect(await rawItem("P1", keys.historySk(1))).toMatchObject({ version: 1, op: "create", changes: outbox[0]!.changes });
    expect(await rawItem("P1", keys.historySk(2))).toBeUndefined();
    expect(await outboxOf("P1")).toMatchObject([{ version: 2, changes: [{ field: "phone", new: "0519-1" }] }]);
    expect((await listHistory(ctx, ACCOUNT, T, "P1")).map((r) => r.version)).toEqual([1, 2]);
    expect(await rawItem("P1", keys.historySk(2))).toMatchObject({ version: 2, changes: [{ field: "phone", new: "0519-1" }] });
  });

  it("a crash after the item write, before any history write, is repaired by the next batch write", async () => {
    await upsertAccounts(ctx, li, [{ id: "C1", name: "合肥京东方" }]);
    // The state a crashed writer leaves: version 1 committed with its record, no history item.
    await ctx.doc.send(new DeleteCommand({ TableName: ctx.table, Key: { pk: keys.entityPk(T, "ACC", "C1"), sk: keys.historySk(1) } }));
    const [record] = await outboxOf("C1");
    expect(record).toMatchObject({ version: 1, op: "create", changes: [{ field: "name", new: "合肥京东方" }, { field: "owner", new: "li" }] });
    expect(await rawItem("C1", keys.historySk(1))).toBeUndefined();
    const [r] = await upsertAccounts(ctx, li, [{ id: "C1", version: 1, phone: "0551-1" }]);
    expect(r).toEqual({ id: "C1", status: "updated", version: 2 });
    expect(await rawItem("C1", keys.historySk(1))).toMatchObject(record!);
    expect((await outboxOf("C1")).map((x) => x.version)).toEqual([2]);
    expect((await listHistory(ctx, ACCOUNT, T, "C1")).map((x) => x.version)).toEqual([1, 2]);
  });

  it("erasure is never undone by a writer that still holds the unscrubbed record", async () => {
    await upsertAccounts(ctx, li, [{ id: "E1", name: "无锡微电子", contacts: [contact("k1", { hobbies: "钓鱼", birthday: "1970-05-01" })] }]);
    // A writer read the account before the erasure: its outbox still holds the personal values.
    const stale = (await getEntity(ctx, ACCOUNT, T, "E1", { repair: false }))!;
    expect(JSON.stringify(stale.outbox)).toContain("钓鱼");
    expect(ACCOUNT.erasable!(stale.outbox[0]!)).toBe(true);
    const er = await eraseContactPersonal(ctx, director, { accountId: "E1", contactId: "k1" });
    expect(er).toMatchObject({ version: 2, historyEntriesScrubbed: 1 });
    expect(await dump("E1")).not.toContain("钓鱼");
    // Late: the stale writer settles the outbox it read (the batch upsert's path) …
    await materialiseRecords(ctx, ACCOUNT, T, stale.outbox.map((record) => ({ id: "E1", record })), { batched: true });
    // … a stale batch write and a stale server-side change both settle first, then conflict.
    const [late] = await upsertAccounts(ctx, li, [{ id: "E1", version: 1, phone: "0510-1" }]);
    expect(late!.status).toBe("conflict");
    const change = await commitChange(ctx, ACCOUNT, T, "E1", stale, { data: { ...stale.data, phone: "0510-2" }, by: "li", op: "update" });
    expect(change.ok).toBe(false);
    const after = await dump("E1");
    expect(after).not.toContain("钓鱼");
    expect(after).not.toContain("1970-05-01");
    expect((await listHistory(ctx, ACCOUNT, T, "E1")).map((r) => r.op)).toEqual(["create", "erasure"]);
  });
});
