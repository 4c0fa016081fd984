/**
 * Change times over HTTP against the local stack (dynalite): `GET /v1/accounts?keys=true` (ids and
 * `updatedAt` from the index alone, same scope per role as the list, no fields), `PUT
 * /v1/accounts?stamps=true` (each write's `updatedAt`), and the pane's sync engine using them: a
 * no-change re-sync reads no item, while a change by someone else, a store deletion and a new
 * account are still seen.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import type { LocalStack } from "../../functions/local/stack.js";
import { ChangeEntrySchema } from "../../shared/src/schemas/api.js";
import { KamClient } from "../../addin/src/api/client.js";
import { ACCOUNTS } from "../../addin/src/sync/entities.js";
import { executeSync, prepareSync } from "../../addin/src/sync/engine.js";
import type { SyncRemote } from "../../addin/src/sync/remote.js";
import { XlsxWorkbook } from "../../addin/src/workbook/xlsx.js";
import { ADMIN, DIRECTOR, FINANCE, FOREIGN_DIRECTOR, MANAGER_LI, SPECIALIST, signIn, signInAll, startTestStack, type ApiClient } from "./helpers.js";

let stack: LocalStack;
let dir: ApiClient, li: ApiClient, spec: ApiClient, fin: ApiClient, admin: ApiClient, foreign: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  [dir, li, spec, fin, admin, foreign] = await signInAll(stack, [DIRECTOR, MANAGER_LI, SPECIALIST, FINANCE, ADMIN, FOREIGN_DIRECTOR]);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

/** Every page of a list. */
async function all(c: ApiClient, query: string): Promise<any[]> {
  const out: any[] = [];
  let next: string | undefined;
  do {
    const r = await c.call("GET", `/v1/accounts?${query}&limit=7${next ? `&next=${encodeURIComponent(next)}` : ""}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    out.push(...r.body.items);
    next = r.body.next;
  } while (next);
  return out;
}

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

describe("PUT /v1/accounts?stamps=true", () => {
  it("adds each write's updatedAt to its result (the stored one); without it, results are as before", async () => {
    const r = await dir.call("PUT", "/v1/accounts?stamps=true", { items: [{ id: "CT-1", name: "时间甲", owner: "m-li", phone: "021-1" }, { id: "CT-2", name: "时间乙", owner: "m-zhang" }] });
    expect(r.status).toBe(200);
    for (const item of r.body.items) {
      expect(item).toEqual({ id: item.id, status: "created", version: 1, updatedAt: expect.any(String) });
      expect((await dir.call("GET", `/v1/accounts/${item.id}`)).body.updatedAt).toBe(item.updatedAt);
    }
    const plain = await dir.call("PUT", "/v1/accounts", { items: [{ id: "CT-3", name: "时间丙", owner: "m-li" }] });
    expect(plain.body.items).toEqual([{ id: "CT-3", status: "created", version: 1 }]);
    expect((await dir.call("PUT", "/v1/accounts?stamps=yes", { items: [] })).status).toBe(400);
  });
});

describe("GET /v1/accounts?keys=true", () => {
  it("answers exactly the ids and change times of the list, page by page, with no field of any account", async () => {
    const list = await all(dir, "");
    const keys = await all(dir, "keys=true");
    for (const k of keys) {
      expect(Object.keys(k).sort()).toEqual(["id", "updatedAt"]);
      expect(ChangeEntrySchema.safeParse(k).success).toBe(true);
    }
    expect(keys.sort(byId)).toEqual(list.map((a) => ({ id: a.id, updatedAt: a.updatedAt })).sort(byId));
  });

  it("keeps the list's scope per role: a manager his own accounts only; another owner's, an admin and another tenant refused or empty", async () => {
    const own = (await all(li, "")).map((a) => a.id).sort();
    expect(own).toContain("CT-1");
    expect(own).not.toContain("CT-2");
    expect((await all(li, "keys=true")).map((k) => k.id).sort()).toEqual(own);
    expect((await li.call("GET", "/v1/accounts?keys=true&owner=m-zhang")).status).toBe(403);
    expect((await li.call("GET", "/v1/accounts?owner=m-zhang")).status).toBe(403);
    expect((await admin.call("GET", "/v1/accounts?keys=true")).status).toBe((await admin.call("GET", "/v1/accounts")).status);
    expect((await admin.call("GET", "/v1/accounts?keys=true")).status).toBe(403);
    // Readers of the whole tenant see the ids the list shows them (a specialist without personal data, finance names only).
    for (const c of [spec, fin]) expect((await all(c, "keys=true")).map((k) => k.id).sort()).toEqual((await all(c, "")).map((a) => a.id).sort());
    expect(await all(foreign, "keys=true")).toEqual([]);
  });

  it("with since: the changes after the cursor (with the list's overlap), a deletion included; bad flags are 400", async () => {
    const before = (await dir.call("GET", "/v1/accounts/CT-2")).body;
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await all(dir, `keys=true&since=${future}`)).toEqual([]);
    expect((await dir.call("DELETE", `/v1/accounts/CT-2?version=${before.version}`)).status).toBeLessThan(300);
    const changes = await all(dir, `keys=true&since=${encodeURIComponent(before.updatedAt)}`);
    const entry = changes.find((k) => k.id === "CT-2");
    expect(entry).toBeDefined();
    expect(entry.updatedAt > before.updatedAt).toBe(true);
    // The list leaves tombstones out without `since`; the change times keep them (they are changes).
    expect((await all(dir, "")).some((a) => a.id === "CT-2")).toBe(false);
    expect((await all(dir, `since=${encodeURIComponent(before.updatedAt)}`)).find((a) => a.id === "CT-2")).toMatchObject({ deleted: true });
    expect((await dir.call("GET", "/v1/accounts?keys=maybe")).status).toBe(400);
    expect((await dir.call("GET", "/v1/accounts?keys=true&deleted=true")).status).toBe(400);
  });
});

describe("the sync engine over HTTP with change times", () => {
  /** The API client, counting item lists and change-time reads. */
  function counting(token: string) {
    const client = new KamClient({ session: () => ({ apiBase: stack.url, token, expiresAt: Date.now() + 3_600_000 }) });
    const n = { lists: 0, changes: 0, whole: 0 };
    const remote: SyncRemote = {
      list: (e, since) => (n.lists++, since === undefined && n.whole++, client.list(e, since)),
      changes: (e, since) => (n.changes++, client.changes(e, since)),
      upsert: (e, items, key, signal) => client.upsert(e, items, key, signal),
      tombstone: (e, id) => client.tombstone(e, id),
      directory: () => client.directory(),
    };
    return { remote, n };
  }

  it("a no-change re-sync reads no item; another user's edit and a store deletion are taken in", async () => {
    // A tenant of its own, so that no other test's writes are changes to read.
    const [d, m] = await Promise.all([
      signIn(stack, { sub: "d-ct", tid: "ct-co", name: "王总", roles: ["Director"] }),
      signIn(stack, { sub: "m-ct", tid: "ct-co", name: "李明", roles: ["Manager"] }),
    ]);
    expect((await m.call("GET", "/v1/me")).status).toBe(200); // registers the manager in the directory
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("客户");
    ws.addRow(["客户编号", "客户名称", "负责经理", "电话"]);
    for (let i = 0; i < 4; i++) ws.addRow([`CTS-${i}`, `同步${i}`, "李明", `021-${i}`]);
    const port = new XlsxWorkbook(wb);
    const { remote, n } = counting(d.token);
    const sync = async (o: Parameters<typeof executeSync>[3] = {}) => {
      const p = await prepareSync({ port, remote, entity: ACCOUNTS, ref: { sheet: "客户" }, lang: "zh", userId: "d-ct", roles: ["director"] });
      if (!p.ok) throw new Error(p.message.en);
      return { plan: p.plan, summary: await executeSync(p.plan, port, remote, { pullScope: { kind: "none" }, ...o }) };
    };
    const first = await sync();
    expect(first.summary.created).toBe(4);

    // Nothing changed: the change times match the state's, so no list of items is read.
    n.lists = n.changes = n.whole = 0;
    const again = await sync();
    expect(again.summary.rowsSent).toBe(0);
    expect(n).toEqual({ lists: 0, changes: 1, whole: 0 });
    expect(again.plan.counts.pull).toBe(0);

    // Another user edits one account, the store deletes another: read and taken in.
    const one = (await d.call("GET", "/v1/accounts/CTS-1")).body;
    expect((await m.call("PUT", "/v1/accounts", { items: [{ id: "CTS-1", version: one.version, phone: "021-999" }] })).body.items[0].status).toBe("updated");
    const two = (await d.call("GET", "/v1/accounts/CTS-2")).body;
    expect((await d.call("DELETE", `/v1/accounts/CTS-2?version=${two.version}`)).status).toBeLessThan(300);
    n.lists = n.changes = n.whole = 0;
    const third = await sync({ confirmDeletes: true });
    expect(n).toEqual({ lists: 1, changes: 1, whole: 0 });
    expect(third.summary.rowsSent).toBe(0);
    const t = (await port.read({ tables: [{ sheet: "客户" }] })).tables[0]!;
    const row = (id: string) => t.rows.find((r) => r[0] === id);
    expect(row("CTS-1")?.[3]).toBe("021-999");
    expect(row("CTS-2")).toBeUndefined();

    // Quiet again afterwards: at most the deletion, still within the cursor's overlap, is read
    // again by a `since` list (the row left the state with it); never the whole list.
    n.lists = n.changes = n.whole = 0;
    const fourth = await sync();
    expect(fourth.summary.rowsSent).toBe(0);
    expect(fourth.plan.counts.pull + fourth.plan.counts.add + fourth.plan.counts.removeLocal).toBe(0);
    expect(n.changes).toBe(1);
    expect(n.whole).toBe(0);
  });
});
