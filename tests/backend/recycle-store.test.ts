import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../../shared/src/access.js";
import { ACCOUNT, deleteAccount, listDeletedAccounts, restoreAccount, upsertAccounts } from "../../functions/src/store/accounts.js";
import { destroyStoreContext, type StoreContext } from "../../functions/src/store/client.js";
import { getEntity, lastChangedOf, listHistory } from "../../functions/src/store/entity.js";
import { keys } from "../../functions/src/store/table.js";
import type { Engine, EngineName } from "./engines.js";
import { startStoreOn } from "./helpers.js";

/**
 * Store layer of lastChanged, the recycle bin and restore — on dynalite and on Amazon's DynamoDB
 * Local (the bin's Query uses a FilterExpression and page tokens the store builds itself, which
 * DynamoDB Local checks strictly).
 */
const ENGINES: EngineName[] = ["dynalite", "dynamodb-local"];
const T = "bin";
const director: Principal = { tenant: T, userId: "dir", name: "总监", roles: ["director"] };
const li: Principal = { tenant: T, userId: "li", name: "李", roles: ["manager"] };
const zhang: Principal = { tenant: T, userId: "zhang", name: "张", roles: ["manager"] };

describe.each(ENGINES)("recycle bin store on %s", (engineName) => {
  let engine: Engine;
  let ctx: StoreContext;

  beforeAll(async () => {
    ({ engine, ctx } = await startStoreOn(engineName, "kam-bin", [director, li, zhang]));
  });
  afterAll(async () => {
    if (ctx) destroyStoreContext(ctx);
    await engine?.stop();
  });

  it("stores lastChanged in the same item, grouped by write, with ids and times only", async () => {
    const secret = "生日秘密-1961";
    const contact = { id: "k1", name: "周", role: "decider" as const, intimacy: 3, professionalism: 3, support: 3, personal: { birthday: secret } };
    expect((await upsertAccounts(ctx, director, [{ id: "L1", name: "甲公司", owner: "li", phone: "1", contacts: [contact] }]))[0]!.status).toBe("created");
    // A create stores none: version 1 is wholly the creator's (derived on read).
    const key = { pk: keys.entityPk(T, "ACC", "L1"), sk: keys.itemSk };
    expect((await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: key }))).Item!.lc).toBeUndefined();
    const created = (await getEntity(ctx, ACCOUNT, T, "L1"))!;
    const stamp = { by: "dir", at: created.updatedAt };
    expect(lastChangedOf(ACCOUNT, created)).toEqual({ name: stamp, owner: stamp, phone: stamp, "contacts[k1]": stamp });
    expect((await upsertAccounts(ctx, li, [{ id: "L1", version: 1, phone: "2" }]))[0]!.status).toBe("updated");
    const raw = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: key }));
    expect(typeof raw.Item!.lc).toBe("string");
    expect(raw.Item!.lc).not.toContain(secret);
    const groups = JSON.parse(raw.Item!.lc as string) as [string, string, string[]][];
    expect(groups.map(([by, , fields]) => [by, fields.sort()])).toEqual([
      ["dir", ["contacts[k1]", "name", "owner"]],
      ["li", ["phone"]],
    ]);
    const e = await getEntity(ctx, ACCOUNT, T, "L1");
    expect(e!.lastChanged!.phone).toEqual({ by: "li", at: e!.updatedAt });
  });

  it("lists tombstones page by page (all, or one owner's) and restores one at version + 1", async () => {
    const ids = Array.from({ length: 9 }, (_, i) => `D${i}`);
    const res = await upsertAccounts(ctx, director, ids.map((id, i) => ({ id, name: `删${id}`, owner: i % 3 === 0 ? "zhang" : "li" })));
    expect(res.every((r) => r.status === "created")).toBe(true);
    const deleted = ids.filter((_, i) => i % 2 === 0); // D0 D2 D4 D6 D8
    for (const id of deleted) expect((await deleteAccount(ctx, director, id, 1)).ok).toBe(true);

    const collect = async (owner?: string) => {
      const seen: string[] = [];
      let next: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await listDeletedAccounts(ctx, T, { limit: 2, ...(owner ? { owner } : {}), ...(next ? { next } : {}) });
        if (!page.ok) throw new Error(JSON.stringify(page.details));
        expect(page.value.items.length).toBeLessThanOrEqual(2);
        for (const i of page.value.items) {
          expect(i).toMatchObject({ deletedBy: "dir", deletedByName: "总监", version: 2 });
          seen.push(i.id);
        }
        next = page.value.next;
        if (!next) break;
      }
      return seen;
    };
    expect((await collect()).sort()).toEqual(deleted);
    expect((await collect("zhang")).sort()).toEqual(["D0", "D6"]);
    expect((await collect("li")).sort()).toEqual(["D2", "D4", "D8"]);
    expect((await listDeletedAccounts(ctx, T, { next: "bm90LWEtdG9rZW4" })).ok).toBe(false);

    const r = await restoreAccount(ctx, director, "D4");
    expect(r.ok && r.stored.version).toBe(3);
    expect((await restoreAccount(ctx, director, "D4")).ok).toBe(false);
    expect((await restoreAccount(ctx, director, "nope")).ok).toBe(false);
    expect((await collect("li")).sort()).toEqual(["D2", "D8"]);
    expect((await listHistory(ctx, ACCOUNT, T, "D4")).map((h) => h.op)).toEqual(["create", "delete", "restore"]);
  });
});
