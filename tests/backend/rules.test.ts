import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { ACCOUNT } from "../../functions/src/store/accounts.js";
import { commitChange } from "../../functions/src/store/entity.js";
import { today } from "../../shared/src/dates.js";
import { DIRECTOR, FINANCE, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, signInAll, startTestStack, type ApiClient } from "./helpers.js";

/**
 * Over HTTP on loopback against the local stack (dynalite): the docs/domain.md §4 stage gates of
 * `PUT /v1/accounts` (per-item `invalid` naming the field, checked only when stage, grade, deal
 * status or termination changes); the archive review action and the stale flag a sheet counts.
 */
let stack: LocalStack;
let dir: ApiClient, li: ApiClient, zhang: ApiClient, spec: ApiClient, fin: ApiClient;

beforeAll(async () => {
  stack = await startTestStack({ seed: false });
  [dir, li, zhang, spec, fin] = await signInAll(stack, [DIRECTOR, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, FINANCE]);
  // The directory must know the owner before an account names it.
  expect((await dir.call("PUT", "/v1/users", { items: [{ id: "m-li", name: "李明", roles: ["manager"] }] })).status).toBe(200);
});
afterAll(async () => {
  await stack?.stop();
});

async function put(c: ApiClient, item: Record<string, unknown>, lang = "en") {
  const r = await c.call("PUT", "/v1/accounts", { items: [item] }, { "accept-language": lang });
  expect(r.status).toBe(200);
  return r.body.items[0];
}

describe("stage gates over HTTP", () => {
  it("relate without a grade is invalid, naming the stage; with a grade the same write is created", async () => {
    const r = await put(li, { id: "SG-1", name: "无锡机电", stage: "relate" });
    expect(r.status).toBe("invalid");
    expect(r.errors).toEqual([{ path: "stage", message: expect.stringContaining('stage 4 "Relate" needs a grade') }]);
    const zh = await put(li, { id: "SG-1", name: "无锡机电", stage: "relate" }, "zh-CN");
    expect(zh.errors[0]).toMatchObject({ path: "stage", message: expect.stringContaining("开发阶段 4“与关键决策人建立关系” 需要客户等级") });
    expect(await put(li, { id: "SG-1", name: "无锡机电", stage: "relate", grade: "B" })).toMatchObject({ status: "created", version: 1 });
  });

  it("close with grade D is invalid; clearing the grade at stage 4 is invalid on grade", async () => {
    const r = await put(li, { id: "SG-1", version: 1, stage: "close", grade: "D" });
    expect(r).toMatchObject({ status: "invalid", errors: [{ path: "grade", message: expect.stringContaining("a D account") }] });
    const cleared = await put(li, { id: "SG-1", version: 1, grade: null });
    expect(cleared).toMatchObject({ status: "invalid", errors: [{ path: "grade", message: expect.stringContaining("cannot be cleared") }] });
    // The refused writes stored nothing.
    const a = await li.call("GET", "/v1/accounts/SG-1");
    expect(a.body).toMatchObject({ version: 1, stage: "relate", grade: "B" });
  });

  it("skipping stages is allowed: a new account may start at stage 5 with a grade, or go 1 → 5", async () => {
    expect(await put(li, { id: "SG-2", name: "常州轴承", stage: "close", grade: "A" })).toMatchObject({ status: "created" });
    expect(await put(li, { id: "SG-3", name: "南通纺织", stage: "target", grade: "C" })).toMatchObject({ status: "created", version: 1 });
    expect(await put(li, { id: "SG-3", version: 1, stage: "close" })).toMatchObject({ status: "updated", version: 2 });
  });

  it("an account stored in breach accepts unrelated edits; touching its stage or grade is judged", async () => {
    // Imported before the gates existed: stage 5 with grade D (written to the store directly).
    const seeded = await commitChange(stack.store, ACCOUNT, "demo", "SG-OLD", undefined, {
      data: { name: "老客户", owner: "m-li", stage: "close", grade: "D" },
      by: "d-wang",
      op: "create",
    });
    expect(seeded.ok).toBe(true);
    expect(await put(li, { id: "SG-OLD", version: 1, phone: "0510-1" })).toMatchObject({ status: "updated", version: 2 });
    expect(await put(li, { id: "SG-OLD", version: 2, stage: "relate" })).toMatchObject({ status: "invalid", errors: [{ path: "stage" }] });
    expect(await put(li, { id: "SG-OLD", version: 2, stage: "assess" })).toMatchObject({ status: "updated", version: 3 });
  });

  it("terminated: deal status with its termination record; a record without the status is refused", async () => {
    expect(await put(li, { id: "SG-2", version: 1, dealStatus: "terminated" })).toMatchObject({ status: "invalid", errors: [{ path: "termination" }] });
    const ok = await put(li, { id: "SG-2", version: 1, dealStatus: "terminated", termination: { date: "2026-01-05", reason: "预算取消" } });
    expect(ok).toMatchObject({ status: "updated", version: 2 });
    const a = await li.call("GET", "/v1/accounts/SG-2");
    expect(a.body).toMatchObject({ dealStatus: "terminated", termination: { date: "2026-01-05", reason: "预算取消" }, stage: "close" });
    expect(await put(li, { id: "SG-2", version: 2, dealStatus: "potential" })).toMatchObject({ status: "invalid", errors: [{ path: "termination" }] });
    expect(await put(li, { id: "SG-2", version: 2, dealStatus: "potential", termination: null, accountScope: "national", cooperationDepth: "partner" })).toMatchObject({ status: "updated", version: 3 });
    const b = await li.call("GET", "/v1/accounts/SG-2");
    expect(b.body).toMatchObject({ dealStatus: "potential", accountScope: "national", cooperationDepth: "partner" });
    expect(b.body.termination).toBeUndefined();
  });
});

describe("archive review over HTTP", () => {
  const stale = async (c: ApiClient, ids: string[]) => {
    const r = await c.call("POST", "/v1/eval", { calls: ids.map((id) => ({ fn: "ACCOUNT", args: [id, "reviewStale"] })) });
    expect(r.status).toBe(200);
    return r.body.results;
  };

  it("the owner reviews: lastReviewed = today with a review history entry; a second review the same day changes nothing", async () => {
    expect(await put(li, { id: "RV-1", name: "扬州化工" })).toMatchObject({ status: "created", version: 1 });
    expect(await stale(li, ["RV-1"])).toEqual([{ value: true }]);
    const r = await li.call("POST", "/v1/accounts/RV-1/review");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: "RV-1", version: 2, lastReviewed: today(), reviewStale: false });
    expect(await stale(li, ["RV-1"])).toEqual([{ value: false }]);
    const again = await li.call("POST", "/v1/accounts/RV-1/review");
    expect(again.body.version).toBe(2);
    const h = await li.call("GET", "/v1/accounts/RV-1/history");
    expect(h.body.items.map((e: { op: string }) => e.op)).toEqual(["create", "review"]);
    expect(h.body.items[1].changes).toEqual([{ field: "lastReviewed", new: today() }]);
    // A profile write keeps the review date; the sheet's field names read it in both languages.
    expect(await put(li, { id: "RV-1", version: 2, phone: "0514-1" })).toMatchObject({ status: "updated", version: 3 });
    const a = await li.call("GET", "/v1/accounts/RV-1");
    expect(a.body).toMatchObject({ lastReviewed: today(), phone: "0514-1" });
    const cells = await li.call("POST", "/v1/eval", { calls: [{ fn: "ACCOUNT", args: ["RV-1", "上次档案审查"] }, { fn: "ACCOUNT", args: ["RV-1", "档案待审查"] }] });
    expect(cells.body.results).toEqual([{ value: today() }, { value: false }]);
  });

  it("rights: a specialist and a director review; another manager and finance may not (403, as for reading it)", async () => {
    expect((await spec.call("POST", "/v1/accounts/RV-1/review")).status).toBe(200);
    expect((await dir.call("POST", "/v1/accounts/RV-1/review")).status).toBe(200);
    expect((await zhang.call("POST", "/v1/accounts/RV-1/review")).status).toBe(403);
    expect((await fin.call("POST", "/v1/accounts/RV-1/review")).status).toBe(403);
    expect((await dir.call("POST", "/v1/accounts/NOPE/review")).status).toBe(404);
  });

  it("a sheet counts stale archives: reviewed over 183 days ago or never", async () => {
    const seed = (id: string, lastReviewed?: string) =>
      commitChange(stack.store, ACCOUNT, "demo", id, undefined, { data: { name: id, owner: "m-li", ...(lastReviewed ? { lastReviewed } : {}) }, by: "d-wang", op: "create" });
    const day = (n: number) => new Date(Date.parse(`${today()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    await seed("RV-183", day(183));
    await seed("RV-184", day(184));
    await seed("RV-NEVER");
    expect(await stale(dir, ["RV-183", "RV-184", "RV-NEVER", "RV-1"])).toEqual([{ value: false }, { value: true }, { value: true }, { value: false }]);
  });
});

describe("KAM.ARCHIVE through /v1/eval", () => {
  it("completeness 0–1 of the stored archive, read once with KAM.ACCOUNT; #N/A for finance and other managers", async () => {
    const full = {
      id: "AR-1", name: "镇江港务", owner: "m-li", ownershipType: "stateOwned", industry: "港口", address: "镇江市润州区1号", phone: "0511-1",
      registeredCapital: 50_000_000, industryPosition: "leading", paymentAttitude: "prompt",
      contacts: [{ id: "c1", name: "周总", role: "decider" }],
    };
    const created = await put(li, full);
    expect(created.status, JSON.stringify(created)).toBe("created");
    const calls = [
      { fn: "ARCHIVE", args: ["AR-1"] },
      { fn: "KAM.ARCHIVE", args: ["account:RV-1", "zh"] },
      { fn: "ARCHIVE", args: ["镇江港务"] },
      { fn: "ACCOUNT", args: ["AR-1", "name"] },
      { fn: "ARCHIVE", args: ["NOPE"] },
    ];
    const r = await li.call("POST", "/v1/eval", { calls });
    expect(r.status).toBe(200);
    // RV-1 holds name, owner and phone of the ten required items.
    expect(r.body.results.slice(0, 4)).toEqual([{ value: 1 }, { value: 0.3 }, { value: 1 }, { value: "镇江港务" }]);
    expect(r.body.results[4].error.code).toBe("#N/A");
    // Without the decider the chain item is missing: 9 of 10.
    expect(await put(li, { id: "AR-1", version: 1, contacts: [{ id: "c1", role: "user" }] })).toMatchObject({ status: "updated" });
    expect((await li.call("POST", "/v1/eval", { calls: [{ fn: "ARCHIVE", args: ["AR-1"] }] })).body.results).toEqual([{ value: 0.9 }]);
    for (const c of [fin, zhang]) {
      const denied = await c.call("POST", "/v1/eval", { calls: [{ fn: "ARCHIVE", args: ["AR-1"] }] });
      expect(denied.body.results[0].error.code).toBe("#N/A");
    }
  });
});
