import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setLogSink } from "../../functions/src/log.js";
import { startLocalStack, type LocalStack } from "../../functions/local/stack.js";
import { ACCOUNT } from "../../functions/src/store/accounts.js";
import { indexReadStats } from "../../functions/src/store/entity.js";
import { GSI_CHANGES, GSI_OWNER, keys } from "../../functions/src/store/table.js";
import { withRawStore } from "./dynalite-raw.js";
import { DIRECTOR, signIn, type ApiClient } from "./helpers.js";

/**
 * Index entries that are not the item's current ones — written straight into dynalite's LevelDB,
 * exactly as a write killed between its index writes and its item write leaves them (dynalite
 * deletes the old entries, puts the new ones, then the item) — never reach a list: no item twice,
 * no version that never committed, no copy holding personal details an erasure removed.
 */
const T = DIRECTOR.tid;
let dir: string;
let stack: LocalStack | undefined;
let d: ApiClient;
let rawX1: Record<string, unknown>;

const pkOf = (id: string) => keys.entityPk(T, ACCOUNT.code, id);

async function start(): Promise<void> {
  stack = await startLocalStack({ port: 0, dataDir: dir, seed: false });
  d = await signIn(stack, DIRECTOR);
}
async function stop(): Promise<void> {
  await stack?.stop();
  stack = undefined;
}
async function rawItem(id: string): Promise<Record<string, unknown>> {
  const r = await stack!.store.doc.send(new GetCommand({ TableName: stack!.store.table, Key: { pk: pkOf(id), sk: keys.itemSk }, ConsistentRead: true }));
  return r.Item as Record<string, unknown>;
}
const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((a) => a.id).sort();

beforeAll(async () => {
  setLogSink("off");
  dir = mkdtempSync(join(tmpdir(), "kam-orphan-"));
  await start();
  await d.call("PUT", "/v1/users", { items: [{ id: "m-a", name: "甲经理", roles: ["manager"] }, { id: "m-b", name: "乙经理", roles: ["manager"] }] });
  const created = await d.call("PUT", "/v1/accounts", {
    items: [
      { id: "X", name: "X一", owner: "m-a" },
      { id: "Z", name: "Z一", owner: "m-a", contacts: [{ id: "C1", name: "周志强", role: "decider", intimacy: 4, professionalism: 4, support: 5, personal: { hometown: "苏州吴江" } }] },
    ],
  });
  expect(created.body.items.map((i: { status: string }) => i.status)).toEqual(["created", "created"]);
  const rawZ1 = await rawItem("Z");
  expect((await d.call("POST", "/v1/erasures", { accountId: "Z", contactId: "C1" })).status).toBe(200);
  rawX1 = await rawItem("X");
  await stop();

  await withRawStore(dir, async (raw) => {
    // X: an update to version 2 (new name, handed to m-b) killed after its index writes.
    const c2 = (rawX1.changedAt as number) + 1;
    const x2 = {
      ...rawX1,
      version: 2,
      data: { ...(rawX1.data as object), name: "X二（未提交）", owner: "m-b" },
      changedAt: c2,
      gsi1sk: keys.changeKey(c2, "X"),
      gsi2pk: keys.ownerPk(T, ACCOUNT.code, "m-b"),
      gsi2sk: keys.changeKey(c2, "X"),
    };
    await raw.deleteIndexEntries(rawX1);
    await raw.putIndexEntries(x2);
    // Z: the entries of the copy from before the erasure, still holding the personal details.
    await raw.putIndexEntries(rawZ1);
    // W: a create killed after its index writes — no item at all.
    const cw = Date.now();
    await raw.putIndexEntries({ ...rawX1, pk: pkOf("W"), id: "W", data: { name: "W幽灵", owner: "m-a" }, gsi1sk: keys.changeKey(cw, "W"), gsi2sk: keys.changeKey(cw, "W") });
  });
  await start();
});
afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("orphan and stale index entries", () => {
  it("lists serve each account once, as committed, without erased details", async () => {
    const before = { ...indexReadStats };
    const all = await d.call("GET", "/v1/accounts?limit=1000");
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual(["X", "Z"]);
    const x = all.body.items.find((a: { id: string }) => a.id === "X");
    expect(x).toMatchObject({ name: "X一", owner: "m-a", version: 1 });
    expect(JSON.stringify(all.body)).not.toContain("苏州");
    expect(indexReadStats.stale).toBeGreaterThan(before.stale);
    expect(indexReadStats.reindexed).toBeGreaterThan(before.reindexed);
  });

  it("the owner lists: X stays m-a's (the handover never committed)", async () => {
    expect(ids(await d.call("GET", "/v1/accounts?owner=m-a&limit=1000"))).toEqual(["X", "Z"]);
    expect(ids(await d.call("GET", "/v1/accounts?owner=m-b&limit=1000"))).toEqual([]);
  });

  it("`since` and one-item pages also give each account once", async () => {
    const since = await d.call("GET", "/v1/accounts?since=0&limit=1000");
    expect(ids(since)).toEqual(["X", "Z"]);
    expect(JSON.stringify(since.body)).not.toContain("苏州");
    const seen: string[] = [];
    let next: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await d.call("GET", `/v1/accounts?limit=1${next ? `&next=${next}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((a: { id: string }) => a.id));
      next = page.body.next;
      if (!next) break;
    }
    expect(seen.sort()).toEqual(["X", "Z"]);
  });

  it("history and later writes carry on from the committed version", async () => {
    const h = await d.call("GET", "/v1/accounts/X/history");
    expect(h.body.items.map((e: { version: number; op: string }) => [e.version, e.op])).toEqual([[1, "create"]]);
    const w = await d.call("PUT", "/v1/accounts", { items: [{ id: "X", version: 1, name: "X三" }] });
    expect(w.body.items[0]).toEqual({ id: "X", status: "updated", version: 2 });
    const all = await d.call("GET", "/v1/accounts?limit=1000");
    expect(ids(all)).toEqual(["X", "Z"]);
    expect(all.body.items.find((a: { id: string }) => a.id === "X")).toMatchObject({ name: "X三", version: 2 });
  });

  it("after the reads each account has exactly one entry per index (the orphans were repaired away)", async () => {
    await stop();
    await withRawStore(dir, async (raw) => {
      for (const id of ["X", "Z"]) {
        expect({ id, gsi1: await raw.countEntries(GSI_CHANGES, pkOf(id)), gsi2: await raw.countEntries(GSI_OWNER, pkOf(id)) }).toEqual({ id, gsi1: 1, gsi2: 1 });
      }
    });
    await start();
    expect(ids(await d.call("GET", "/v1/accounts?limit=1000"))).toEqual(["X", "Z"]);
  });

  it("after an unclean stop the store's recovery removes the entries of the create that never committed", async () => {
    await stop();
    expect(await withRawStore(dir, async (raw) => [await raw.countEntries(GSI_CHANGES, pkOf("W")), await raw.countEntries(GSI_OWNER, pkOf("W"))])).toEqual([1, 1]);
    writeFileSync(join(dir, "dynalite.open"), "killed\n"); // as a stack killed with its store leaves it
    await start();
    expect(stack!.storeProcess().recovered).toBe(1);
    await stop();
    expect(await withRawStore(dir, async (raw) => [await raw.countEntries(GSI_CHANGES, pkOf("W")), await raw.countEntries(GSI_OWNER, pkOf("W"))])).toEqual([0, 0]);
    await start();
    expect(ids(await d.call("GET", "/v1/accounts?limit=1000"))).toEqual(["X", "Z"]);
  });
});
