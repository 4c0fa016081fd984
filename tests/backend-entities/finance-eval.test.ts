import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { DIRECTOR, FINANCE, FOREIGN_DIRECTOR, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, signInAll, startTestStack, type ApiClient } from "../backend/helpers.js";
import { countStoreRequests } from "./helpers.js";
import { EAST_2026_MODEL } from "./models.js";

/**
 * Contracts, payments, collections, scoring models and /v1/eval against dynalite through the real
 * SDK, over real HTTP with dev-issuer JWTs. Seeded figures are the demo seed's worked examples
 * (functions/local/seed.ts seedDemoActivity); expected values are worked by hand below.
 */
let stack: LocalStack;
let director: ApiClient, finance: ApiClient, li: ApiClient, zhang: ApiClient, specialist: ApiClient, foreign: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  [director, finance, li, zhang, specialist, foreign] = await signInAll(stack, [DIRECTOR, FINANCE, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, FOREIGN_DIRECTOR]);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("collections over the seeded book", () => {
  it("A-001 in 2026-Q2: due, collected, rate and ageing worked by hand", async () => {
    // Instalments 400,000 due 02-28 and 05-31 fall in the period (third due 08-31 does not):
    // due = 400,000 + 400,000 = 800,000. Payments ≤ 06-30: 400,000 (02-25) + 300,000 (06-10), FIFO
    // → I1 fully, I2 300,000: collected = 700,000; rate = 700,000 / 800,000 = 0.875.
    // I2 open 100,000 on 06-30, due 05-31 → 30 days overdue → bucket 1–30.
    const r = await finance.call("GET", "/v1/collections?scope=account:A-001&period=2026-Q2");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ period: "2026-Q2", asOf: "2026-06-30", dueYuan: 800_000, collectedYuan: 700_000, rate: 0.875, creditYuan: 0, overdueYuan: 100_000 });
    expect(r.body.ageing).toEqual({ d1_30: 100_000, d31_60: 0, d61_90: 0, over90: 0 });
    expect(r.body.rows).toEqual([expect.objectContaining({ accountId: "A-001", accountName: "华东电力设计院", rate: 0.875 })]);
  });

  it("over-payment is credit, never dropped (A-002, 2026-Q1)", async () => {
    // 500,000 due 03-31; paid 520,000 on 03-20 → collected 500,000, credit 520,000 − 500,000 = 20,000; rate 1.
    const r = await finance.call("GET", "/v1/collections?scope=A-002&period=2026-Q1");
    expect(r.body).toMatchObject({ dueYuan: 500_000, collectedYuan: 500_000, creditYuan: 20_000, rate: 1, paidYuan: 520_000 });
  });

  it("over 90 days overdue (A-004 by its exact name, 2026-Q2)", async () => {
    // I1 1,000,000 due 02-15 unpaid; 02-15 → 06-30 = 13 + 31 + 30 + 31 + 30 = 135 days → over 90.
    // I2 is due 09-30 (after the period): due = 1,000,000; collected 0 → rate 0.
    const r = await director.call("GET", `/v1/collections?scope=${encodeURIComponent("南京钢铁集团有限公司")}&period=2026-Q2`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dueYuan: 1_000_000, collectedYuan: 0, rate: 0, overdue90Yuan: 1_000_000 });
    expect(r.body.ageing.over90).toBe(1_000_000);
  });

  it("nothing due → rate null with a #DIV/0! error object", async () => {
    // Every seeded instalment falls due in 2026: in 2025 nothing is due.
    const r = await finance.call("GET", "/v1/collections?scope=A-001&period=2025");
    expect(r.body.dueYuan).toBe(0);
    expect(r.body.rate).toBeNull();
    expect(r.body.rateError.code).toBe("#DIV/0!");
  });

  it("asOf after today → 400 naming asOf; a manager sees only their own accounts", async () => {
    const bad = await finance.call("GET", "/v1/collections?scope=*&period=2026&asOf=2999-01-01");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("asOf");
    const all = await li.call("GET", "/v1/collections?scope=*&period=2026-Q2");
    expect(all.status).toBe(200);
    // 李明 owns A-001 … A-015 (demo seed): 15 rows, none of 张伟's.
    expect(all.body.rows).toHaveLength(15);
    expect(all.body.rows.every((r: { owner: string }) => r.owner === "m-li")).toBe(true);
    expect((await li.call("GET", "/v1/collections?scope=owner:m-zhang&period=2026")).status).toBe(403);
    expect((await li.call("GET", "/v1/collections?scope=A-016&period=2026")).status).toBe(403);
    expect((await specialist.call("GET", "/v1/collections?scope=*&period=2026")).status).toBe(403);
    // Finance and directors: the whole book (30 accounts).
    expect((await finance.call("GET", "/v1/collections?scope=*&period=2026-Q2")).body.rows).toHaveLength(30);
    // Another tenant has no such account.
    expect((await foreign.call("GET", "/v1/collections?scope=A-001&period=2026")).status).toBe(404);
  });
});

describe("contracts and payments", () => {
  it("a contract records the owner on its signed date; a later handover moves no past credit", async () => {
    await director.call("PUT", "/v1/accounts", { items: [{ id: "T-CREDIT-1", name: "信用归属测试有限公司", owner: "m-zhang" }] });
    const before = await zhang.call("PUT", "/v1/contracts", { items: [{ id: "CON-C1", accountId: "T-CREDIT-1", signedDate: "2026-02-10", amountYuan: 22_065_000 }] });
    expect(before.body.items[0].status).toBe("created");
    const h = await director.call("POST", "/v1/handovers", { from: "m-zhang", to: "m-li", accountIds: ["T-CREDIT-1"] });
    expect(h.status).toBeLessThan(300);
    const today = new Date().toISOString().slice(0, 10);
    const after = await finance.call("PUT", "/v1/contracts", {
      items: [
        { id: "CON-C1", version: 1, number: "C1-2026" },
        { id: "CON-C2", accountId: "T-CREDIT-1", signedDate: "2026-03-01", amountYuan: 1_000 },
        { id: "CON-C3", accountId: "T-CREDIT-1", signedDate: today, amountYuan: 2_000 },
      ],
    });
    expect(after.body.items.map((i: { status: string }) => i.status)).toEqual(["updated", "created", "created"]);
    const list = await finance.call("GET", "/v1/contracts");
    const owners = Object.fromEntries(list.body.items.filter((c: { accountId: string }) => c.accountId === "T-CREDIT-1").map((c: { id: string; ownerAtSigning: string }) => [c.id, c.ownerAtSigning]));
    // Signed before the handover: 张伟's, also when re-saved after it; signed on the handover day: 李明's.
    expect(owners).toEqual({ "CON-C1": "m-zhang", "CON-C2": "m-zhang", "CON-C3": "m-li" });
    // A client cannot set it.
    const forged = await finance.call("PUT", "/v1/contracts", { items: [{ id: "CON-C4", accountId: "T-CREDIT-1", signedDate: "2026-03-02", amountYuan: 1, ownerAtSigning: "m-zhang" }] });
    expect(forged.body.items?.[0]?.status ?? forged.status).not.toBe("created");
  });

  it("a new account's contract, FIFO payments, advance and ageing — worked by hand", async () => {
    const acc = await director.call("PUT", "/v1/accounts", { items: [{ id: "T-FIN-1", name: "测试回款客户有限公司", owner: "m-zhang" }] });
    expect(acc.body.items[0].status).toBe("created");
    // 张伟 owns the account, so he may write its contract (finance may too).
    const con = await zhang.call("PUT", "/v1/contracts", {
      items: [
        {
          id: "CON-T1",
          accountId: "T-FIN-1",
          signedDate: "2026-01-15",
          amountYuan: 300_000,
          instalments: [
            { id: "I1", dueDate: "2026-03-10", amountYuan: 100_000 },
            { id: "I2", dueDate: "2026-05-10", amountYuan: 200_000 },
          ],
        },
      ],
    });
    expect(con.body.items[0]).toMatchObject({ id: "CON-T1", status: "created", version: 1 });
    const pay = await finance.call("PUT", "/v1/payments", { items: [{ id: "PAY-T1", contractId: "CON-T1", date: "2026-03-05", amountYuan: 150_000 }] });
    expect(pay.body.items[0].status).toBe("created");
    // Q1: due = I1 100,000; the 150,000 pays I1 (FIFO) and 50,000 of I2, not yet due → advance 50,000.
    const q1 = await finance.call("GET", "/v1/collections?scope=account:T-FIN-1&period=2026-Q1");
    expect(q1.body).toMatchObject({ dueYuan: 100_000, collectedYuan: 100_000, rate: 1, advanceYuan: 50_000 });
    // Q2: due 300,000, collected 150,000 → rate 0.5; I2 open 150,000 at 06-30, due 05-10:
    // 21 (rest of May) + 30 = 51 days → bucket 31–60.
    const q2 = await zhang.call("GET", "/v1/collections?scope=T-FIN-1&period=2026-Q2");
    expect(q2.body).toMatchObject({ dueYuan: 300_000, collectedYuan: 150_000, rate: 0.5 });
    expect(q2.body.ageing).toEqual({ d1_30: 0, d31_60: 150_000, d61_90: 0, over90: 0 });
  });

  it("conflicts, per-item invalid with field paths, rights", async () => {
    // Stale base version (0 = new) on an existing contract → conflict with the current item.
    const stale = await finance.call("PUT", "/v1/contracts", { items: [{ id: "CON-T1", accountId: "T-FIN-1", signedDate: "2026-01-15", amountYuan: 1 }] });
    expect(stale.body.items[0]).toMatchObject({ status: "conflict", version: 1, current: { id: "CON-T1", amountYuan: 300_000 } });
    const mixed = await finance.call("PUT", "/v1/contracts", {
      items: [
        { id: "CON-T2", accountId: "T-FIN-1", signedDate: "2026-02-30", amountYuan: 10 },
        { id: "CON-T3", accountId: "T-FIN-1", signedDate: "2026-02-01", amountYuan: 100, instalments: [{ id: "I1", dueDate: "2026-03-01", amountYuan: 150 }] },
        { id: "CON-T4", accountId: "NO-SUCH", signedDate: "2026-02-01", amountYuan: 100 },
        { id: "CON-T5", accountId: "T-FIN-1", signedDate: "2026-02-01", amountYuan: 100 },
      ],
    });
    expect(mixed.status).toBe(200);
    expect(mixed.body.items.map((i: { status: string }) => i.status)).toEqual(["invalid", "invalid", "invalid", "created"]);
    expect(mixed.body.items[0].errors[0].path).toBe("signedDate");
    expect(mixed.body.items[1].errors[0].path).toBe("instalments");
    expect(mixed.body.items[2].errors[0].path).toBe("accountId");
    // 李明 does not own T-FIN-1.
    const foreignOwner = await li.call("PUT", "/v1/contracts", { items: [{ id: "CON-T6", accountId: "T-FIN-1", signedDate: "2026-02-01", amountYuan: 100 }] });
    expect(foreignOwner.body.items[0].status).toBe("forbidden");
    // An update moves the version on; the instalment named by a payment must exist.
    const upd = await finance.call("PUT", "/v1/contracts", { items: [{ id: "CON-T5", version: 1, number: "T5-2026" }] });
    expect(upd.body.items[0]).toMatchObject({ status: "updated", version: 2 });
    const badPay = await finance.call("PUT", "/v1/payments", { items: [{ id: "PAY-T9", contractId: "CON-T1", date: "2026-03-05", amountYuan: 1, instalmentId: "I9" }] });
    expect(badPay.body.items[0]).toMatchObject({ status: "invalid", errors: [{ path: "instalmentId" }] });
    expect((await zhang.call("PUT", "/v1/payments", { items: [] })).status).toBe(403);
    expect((await director.call("PUT", "/v1/contracts", { items: [] })).status).toBe(403);
    // Lists: a manager sees contracts of his accounts only.
    const mine = await zhang.call("GET", "/v1/contracts");
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain("CON-T1");
    expect(mine.body.items.every((c: { accountId: string }) => c.accountId === "T-FIN-1" || Number(c.accountId.slice(2)) >= 16)).toBe(true);
    expect((await li.call("GET", "/v1/payments?account=T-FIN-1")).status).toBe(403);
    const pays = await finance.call("GET", "/v1/payments?account=T-FIN-1");
    expect(pays.body.items).toEqual([expect.objectContaining({ id: "PAY-T1", amountYuan: 150_000, accountId: "T-FIN-1" })]);
  });
});

describe("scoring models", () => {
  const custom = EAST_2026_MODEL;

  it("built-ins are listed read-only and cannot be written; directors write tenant models with revisions", async () => {
    const list = await specialist.call("GET", "/v1/models");
    expect(list.body.items.filter((m: { readOnly: boolean }) => m.readOnly).map((m: { id: string }) => m.id)).toEqual(["ka-manager", "ka-director"]);
    const builtin = await director.call("PUT", "/v1/models/ka-manager", { ...custom, id: "ka-manager" });
    expect(builtin.status).toBe(403);
    expect((await li.call("PUT", "/v1/models/east-2026", custom)).status).toBe(403);
    const bad = await director.call("PUT", "/v1/models/east-2026", { ...custom, items: [{ ...custom.items[0], params: { ...custom.items[0]!.params, actual: "nope" } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.some((d: { path: string }) => d.path === "items[0].params.actual")).toBe(true);
    const created = await director.call("PUT", "/v1/models/east-2026", custom);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "east-2026", readOnly: false, revision: 1 });
    // Replacing without naming the revision would overwrite blindly → 409.
    expect((await director.call("PUT", "/v1/models/east-2026", custom)).status).toBe(409);
    const replaced = await director.call("PUT", "/v1/models/east-2026", { ...custom, version: 2 }, { "if-match": "1" });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ version: 2, revision: 2 });
    expect((await finance.call("GET", "/v1/models/east-2026")).body.readOnly).toBe(false);
    expect((await foreign.call("GET", "/v1/models/east-2026")).status).toBe(404);
  });

  it("SCORE with a tenant model id resolves the stored model (and only in its tenant)", async () => {
    // countVsPlan: 3 new accounts against a plan of 5 → 2 short, 1 point per 2 short → 5 − 1 = 4.
    const call = { fn: "SCORE", args: [[[3, 5]], [["newAccounts", "newAccountsPlan"]], "east-2026"] };
    const r = await li.call("POST", "/v1/eval", { calls: [call] });
    expect(r.body.results).toEqual([{ value: 4 }]);
    const other = await foreign.call("POST", "/v1/eval", { calls: [call] });
    expect(other.body.results[0].error.code).toBe("#N/A");
  });
});

describe("/v1/eval", () => {
  it("1,000 COLLECTION calls over 3 distinct scopes: 10 store requests (3 per scope by id, 4 by name), the same as 3 calls", async () => {
    // Warm-up: registers the caller (cached per process) so only eval's own reads are counted.
    await finance.call("POST", "/v1/eval", { calls: [] });
    const scopes = ["A-001", "account:A-002", "南京钢铁集团有限公司"];
    const measures = ["rate", "due", "collected", "credit", "overdue90"];
    const periods = ["2026-Q1", "2026-Q2"];
    const calls = Array.from({ length: 1000 }, (_, i) => ({ fn: "COLLECTION", args: [scopes[i % 3], periods[i % 2], measures[i % 5]] }));
    const counter = countStoreRequests(stack);
    try {
      const r = await finance.call("POST", "/v1/eval", { calls });
      expect(r.status).toBe(200);
      expect(r.body.results).toHaveLength(1000);
      // A scope naming one account by id = GetItem (account) + Query contracts + Query payments = 3;
      // by exact name = GetItem (no such id) + Query account names + contracts + payments = 4.
      // 3 + 3 + 4 = 10, whatever the number of calls, periods or measures; each Query that finds
      // index entries is followed by one BatchGetItem of the items (the indexes hold keys only): 6.
      expect(counter.count).toBe(16);
      expect([...counter.commands].sort()).toEqual([...Array(6).fill("BatchGetItemCommand"), ...Array(3).fill("GetItemCommand"), ...Array(7).fill("QueryCommand")]);
      // Spot checks (hand-worked above): call 1 = A-002? i=1 → scopes[1]=A-002, periods[1]=Q2, measures[1]=due.
      // A-002's only instalment (500,000, due 03-31) is due by the end of Q2 → 500,000.
      expect(r.body.results[1]).toEqual({ value: 500_000 });
      // i=0 → A-001, Q1, rate: due I1 400,000, collected 400,000 → 1.
      expect(r.body.results[0]).toEqual({ value: 1 });
      // i=5 → scopes[2]=A-004 (by name), periods[1]=Q2, measures[0]=rate: 0 / 1,000,000 = 0.
      expect(r.body.results[5]).toEqual({ value: 0 });
      // i=9 → A-001, Q2, overdue90 → 0 (the open 100,000 is 30 days overdue).
      expect(r.body.results[9]).toEqual({ value: 0 });
      // i=28 → scopes[1]=A-002, Q1, credit → 20,000.
      expect(r.body.results[28]).toEqual({ value: 20_000 });
      counter.reset();
      await finance.call("POST", "/v1/eval", { calls: calls.slice(0, 3) });
      expect(counter.count).toBe(16);
    } finally {
      counter.stop();
    }
  });

  it("more than 1,000 calls → 413; language from lang argument, else Accept-Language", async () => {
    const many = Array.from({ length: 1001 }, () => ({ fn: "VISITS", args: ["strategic", "salesManager", 12] }));
    expect((await li.call("POST", "/v1/eval", { calls: many })).status).toBe(413);
    const zh = await li.call("POST", "/v1/eval", { calls: [{ fn: "COLLECTION", args: ["A-001", "2025"] }, { fn: "COLLECTION", args: ["A-001", "2025", "rate", "en"] }] }, { "accept-language": "zh-CN" });
    expect(zh.body.results[0].error.code).toBe("#DIV/0!");
    expect(zh.body.results[0].error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(zh.body.results[1].error.message).not.toMatch(/[\u4e00-\u9fff]/);
    // docs/domain.md §5: strategic, salesManager, 12 months → floor(12 × 1/2) = 6 (a pure function).
    const pure = await li.call("POST", "/v1/eval", { calls: [{ fn: "KAM.VISITS", args: ["strategic", "salesManager", 12] }] });
    expect(pure.body.results).toEqual([{ value: 6 }]);
    // A pure function's own `lang` argument also decides its error message (docs/contracts.md §1.4).
    const pureLang = await li.call("POST", "/v1/eval", { calls: [{ fn: "COMPLETION", args: [100, 0] }, { fn: "COMPLETION", args: [100, 0, "en"] }] }, { "accept-language": "zh-CN" });
    expect(pureLang.body.results[0].error.code).toBe("#DIV/0!");
    expect(pureLang.body.results[0].error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(pureLang.body.results[1].error.message).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("one account resolver, each route its own words: a name two accounts share is ambiguous in scopes and in KAM.ACCOUNT", async () => {
    const twin = "测试同名客户有限公司";
    const made = await director.call("PUT", "/v1/accounts", { items: [{ id: "T-TWIN-1", name: twin, owner: "m-li" }, { id: "T-TWIN-2", name: twin, owner: "m-li" }] });
    expect(made.body.items.map((i: { status: string }) => i.status)).toEqual(["created", "created"]);
    const scope = await director.call("GET", `/v1/collections?scope=${encodeURIComponent(twin)}&period=2026`);
    expect(scope.status).toBe(400);
    expect(scope.body.error.details).toEqual([{ path: "scope", message: `2 accounts are named ${twin}; use account:<id>` }]);
    const health = await director.call("GET", `/v1/health?scope=${encodeURIComponent(twin)}`);
    expect(health.status).toBe(400);
    expect(health.body.error.details).toEqual([{ path: "scope", message: `2 accounts are named ${twin}; use account:<id>` }]);
    const cells = await li.call("POST", "/v1/eval", { calls: [{ fn: "ACCOUNT", args: [twin, "owner"] }, { fn: "ACCOUNT", args: [twin, "owner", "zh"] }, { fn: "ACCOUNT", args: ["T-TWIN-2", "owner"] }] });
    expect(cells.body.results[0].error).toMatchObject({ code: "#VALUE!", message: expect.stringContaining(`2 accounts are named ${twin}; use the id`) });
    expect(cells.body.results[1].error).toMatchObject({ code: "#VALUE!", message: expect.stringContaining(`有多个名为 ${twin} 的客户，请用编号`) });
    expect(cells.body.results[2]).toEqual({ value: "m-li" });
    // ?account= takes an id only: the owner reads the twin's (empty) contracts, another manager is refused,
    // and a name is no account id (refused to a manager, nothing listed for finance).
    expect(await li.call("GET", "/v1/contracts?account=T-TWIN-1")).toMatchObject({ status: 200, body: { items: [] } });
    expect((await zhang.call("GET", "/v1/visit-plans?account=T-TWIN-1")).status).toBe(403);
    expect((await li.call("GET", `/v1/contracts?account=${encodeURIComponent(twin)}`)).status).toBe(403);
    expect(await finance.call("GET", `/v1/payments?account=${encodeURIComponent(twin)}`)).toMatchObject({ status: 200, body: { items: [] } });
  });

  it("store-backed answers see only what the caller may read", async () => {
    const r = await li.call("POST", "/v1/eval", {
      calls: [
        { fn: "COLLECTION", args: ["A-001", "2026-Q2"] },
        { fn: "COLLECTION", args: ["A-016", "2026-Q2"] },
        { fn: "TARGET", args: ["m-li", "2026"] },
        { fn: "TARGET", args: ["m-li", "2026-Q4"] },
        { fn: "TARGET", args: ["m-zhang", "2026"] },
        { fn: "ACCOUNT", args: ["A-001", "owner"] },
        { fn: "ACCOUNT", args: ["A-016", "name"] },
      ],
    });
    expect(r.body.results[0]).toEqual({ value: 0.875 });
    expect(r.body.results[1].error.code).toBe("#N/A");
    // Effective = latest approved (docs/domain.md §6): 30,000,000 for 2026; Q4 keeps the approved 7,500,000
    // while 李明's seeded proposal (6,000,000) is pending.
    expect(r.body.results[2]).toEqual({ value: 30_000_000 });
    expect(r.body.results[3]).toEqual({ value: 7_500_000 });
    expect(r.body.results[4].error.code).toBe("#N/A");
    expect(r.body.results[5]).toEqual({ value: "m-li" });
    expect(r.body.results[6].error).toMatchObject({ code: "#N/A" });
    const f = await finance.call("POST", "/v1/eval", { calls: [{ fn: "ACCOUNT", args: ["A-016", "name"] }, { fn: "ACCOUNT", args: ["A-016", "grade"] }] });
    // A-016 is the 16th demo company (owned by 张伟): finance reads its name, nothing more.
    expect(f.body.results[0]).toEqual({ value: "广州白云国际机场股份有限公司" });
    expect(f.body.results[1].error.code).toBe("#N/A");
    const s = await specialist.call("POST", "/v1/eval", { calls: [{ fn: "COLLECTION", args: ["*", "2026"] }] });
    expect(s.body.results[0].error.code).toBe("#N/A");
  });
});
