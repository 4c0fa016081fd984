/**
 * The API client and the sync engine against the real local stack (dynalite + handlers over HTTP).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import fc from "fast-check";
import type { CellValue } from "../workbook/port.js";
import { startLocalStack, type LocalStack } from "../../../functions/local/stack.js";
import { KamClient } from "./client.js";
import { devSignIn, devUsers, tokenExpiry } from "./auth.js";
import { getSession, setSession } from "./session.js";
import { XlsxWorkbook } from "../workbook/xlsx.js";
import { ACCOUNTS } from "../sync/entities.js";
import { executeSync, prepareSync } from "../sync/engine.js";

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, inMemory: true, seed: false });
});
afterAll(async () => {
  setSession(undefined);
  await stack?.stop();
});

describe("KamClient + dev sign-in against the local stack", () => {
  it("signs in as a demo manager and reads /v1/me with the shared session's token", async () => {
    const users = await devUsers(stack.url);
    if (!users.ok) throw new Error(users.message);
    const li = users.value.find((u) => u.sub === "m-li")!;
    const s = await devSignIn(stack.url, li);
    expect(s.ok).toBe(true);
    expect(getSession()!.user).toMatchObject({ id: "m-li", roles: ["manager"] });
    expect(tokenExpiry(getSession()!.token)).toBeGreaterThan(Date.now());
    const me = await new KamClient().me();
    expect(me.ok && me.value).toMatchObject({ id: "m-li" });
  });

  it("surfaces the server's JSON error details", async () => {
    const r = await new KamClient().request("PUT", "/v1/accounts", { items: [{ id: "x", name: "n", colour: "red" }] });
    expect(r.ok).toBe(true); // batch answers 200 with per-item status (docs/contracts.md §6)
    const items = (r as { ok: true; value: { items: { status: string; errors: { path: string }[] }[] } }).value.items;
    expect(items[0]!.status).toBe("invalid");
    expect(items[0]!.errors.map((e) => e.path).join()).toContain("colour");
    const bad = await new KamClient().request("PUT", "/v1/accounts", { wrong: 1 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.status).toBe(400);
  });

  it("syncs a sheet into the store and a second sync sends nothing", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("客户档案");
    ws.addRow(["客户编号", "客户名称", "企业性质", "注册资本"]);
    ws.addRow(["t-acc-1", "华东电力", "国企", 5_000_000]);
    ws.addRow(["t-acc-2", "星河科技", "民营", 1_000_000]);
    const port = new XlsxWorkbook(wb);
    const client = new KamClient();
    const p1 = await prepareSync({ port, remote: client, entity: ACCOUNTS, ref: { sheet: "客户档案" }, lang: "zh", userId: "m-li", roles: ["manager"] });
    if (!p1.ok) throw new Error(p1.message.en);
    const s1 = await executeSync(p1.plan, port, client);
    expect(s1).toMatchObject({ created: 2, rowsSent: 2, problems: [] });
    const stored = await client.accounts();
    expect(stored.ok && stored.value.find((a) => a.id === "t-acc-1")).toMatchObject({ ownershipType: "stateOwned", owner: "m-li", version: 1 });

    const before = client.requests;
    const p2 = await prepareSync({ port, remote: client, entity: ACCOUNTS, ref: { sheet: "客户档案" }, lang: "zh", userId: "m-li", roles: ["manager"] });
    if (!p2.ok) throw new Error(p2.message.en);
    const s2 = await executeSync(p2.plan, port, client);
    expect(s2.rowsSent).toBe(0);
    expect(client.requests - before).toBe(3); // fixed reads: the list, the users, the teams
  });

  it("property sample over HTTP: edits, invalid cells, hidden and removed rows change only the edited cells of valid rows; a re-sync sends nothing", async () => {
    const s = await devSignIn(stack.url, { sub: "m-prop", tid: "t-prop", name: "属性经理", roles: ["manager"] });
    expect(s.ok).toBe(true);
    const client = new KamClient();
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ row: fc.nat(3), col: fc.integer({ min: 1, max: 3 }), value: fc.constantFrom<CellValue>("新名称", "民营", "外资", "待定", 123456, "约100", null), hide: fc.boolean(), remove: fc.boolean() }), { maxLength: 5 }),
      async (edits) => {
        run++;
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet("客户档案");
        ws.addRow(["客户编号", "客户名称", "企业性质", "注册资本"]);
        for (let i = 0; i < 4; i++) ws.addRow([`p${run}-${i}`, `属性客户${run}-${i}`, "国企", 1000 + i]);
        const port = new XlsxWorkbook(wb);
        const sync = async () => {
          const p = await prepareSync({ port, remote: client, entity: ACCOUNTS, ref: { sheet: "客户档案" }, lang: "zh", userId: "m-prop", roles: ["manager"] });
          if (!p.ok) throw new Error(p.message.en);
          return { plan: p.plan, summary: await executeSync(p.plan, port, client) };
        };
        expect((await sync()).summary.created).toBe(4);
        const mine = async () => new Map(((await client.accounts()) as { ok: true; value: Record<string, unknown>[] }).value.filter((a) => String(a.id).startsWith(`p${run}-`)).map((a) => [String(a.id), a]));
        const before = await mine();
        const touched = new Map<number, Map<number, CellValue>>();
        const removed = new Set<number>();
        for (const e of edits) {
          if (removed.has(e.row)) continue;
          if (e.remove && !touched.has(e.row)) { removed.add(e.row); ws.getRow(e.row + 2).values = []; continue; }
          if (e.hide) ws.getRow(e.row + 2).hidden = true;
          ws.getCell(e.row + 2, e.col + 1).value = e.value;
          touched.set(e.row, new Map([...(touched.get(e.row) ?? []), [e.col, e.value]]));
        }
        await sync();
        const after = await mine();
        const want = (col: number, v: CellValue): { ok: boolean; v?: unknown } => {
          if (col === 1) return v === null ? { ok: false } : { ok: true, v: String(v) };
          if (col === 2) return v === null ? { ok: true, v: undefined } : v === "民营" ? { ok: true, v: "private" } : v === "外资" ? { ok: true, v: "foreign" } : v === "国企" ? { ok: true, v: "stateOwned" } : { ok: false };
          return v === null ? { ok: true, v: undefined } : typeof v === "number" ? { ok: true, v } : { ok: false };
        };
        const field = ["id", "name", "ownershipType", "registeredCapital"];
        for (let i = 0; i < 4; i++) {
          const id = `p${run}-${i}`;
          const b = before.get(id)!, a = after.get(id)!;
          expect(a, `${id} never deleted by a manager`).toBeDefined();
          const t = touched.get(i);
          const bad = [...(t ?? [])].some(([c, v]) => !want(c, v).ok);
          for (let c = 1; c <= 3; c++) {
            const f = field[c]!;
            if (!t?.has(c) || bad || removed.has(i)) expect(a[f], `${id}.${f}`).toEqual(b[f]);
            else expect(a[f], `${id}.${f}`).toEqual(want(c, t.get(c)!).v);
          }
        }
        expect((await sync()).summary.rowsSent).toBe(0);
      },
    ), { seed: 42, numRuns: 4 });
  });

  it("lists the recycle bin and restores from it (directors)", async () => {
    const users = await devUsers(stack.url);
    if (!users.ok) throw new Error(users.message);
    const s = await devSignIn(stack.url, users.value.find((u) => u.sub === "d-wang")!);
    expect(s.ok).toBe(true);
    const client = new KamClient();
    const put = await client.request<{ items: { status: string }[] }>("PUT", "/v1/accounts", { items: [{ id: "BIN-1", name: "回收站客户", owner: "m-li" }] });
    expect(put.ok && put.value.items[0]!.status).toBe("created");
    expect((await client.tombstone(ACCOUNTS, "BIN-1")).ok).toBe(true);
    const bin = await client.listDeletedAccounts();
    expect(bin.ok && bin.value.find((d) => d.id === "BIN-1")).toMatchObject({ name: "回收站客户", owner: "m-li", deletedBy: "d-wang", version: 2 });
    const restored = await client.restoreAccount("BIN-1");
    expect(restored.ok && restored.value).toMatchObject({ id: "BIN-1", version: 3 });
    const again = await client.restoreAccount("BIN-1");
    expect(!again.ok && again.error.status).toBe(409);
  });
});
