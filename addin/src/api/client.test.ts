/**
 * The API client and the sync engine against the real local stack (dynalite + handlers over HTTP).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
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
    expect(r.ok).toBe(true); // batch answers 200 with per-item status (CONTRACTS "Writes")
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
    const p1 = await prepareSync({ port, remote: client, entity: ACCOUNTS, ref: { sheet: "客户档案" }, lang: "zh", userId: "m-li" });
    if (!p1.ok) throw new Error(p1.message.en);
    const s1 = await executeSync(p1.plan, port, client);
    expect(s1).toMatchObject({ created: 2, rowsSent: 2, problems: [] });
    const stored = await client.accounts();
    expect(stored.ok && stored.value.find((a) => a.id === "t-acc-1")).toMatchObject({ ownershipType: "stateOwned", owner: "m-li", version: 1 });

    const before = client.requests;
    const p2 = await prepareSync({ port, remote: client, entity: ACCOUNTS, ref: { sheet: "客户档案" }, lang: "zh", userId: "m-li" });
    if (!p2.ok) throw new Error(p2.message.en);
    const s2 = await executeSync(p2.plan, port, client);
    expect(s2.rowsSent).toBe(0);
    expect(client.requests - before).toBe(1); // the list only
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
