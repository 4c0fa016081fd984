import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { TARGET } from "../../functions/src/store/targets.js";
import { listHistory } from "../../functions/src/store/entity.js";
import { VISIT_PLAN } from "../../functions/src/store/visits.js";
import { today } from "../../shared/src/dates.js";
import { DIRECTOR, FOREIGN_DIRECTOR, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, signInAll, startTestStack, type ApiClient } from "../backend/helpers.js";

/** Visits and targets against dynalite through the real SDK, over HTTP with dev-issuer JWTs. */
let stack: LocalStack;
let director: ApiClient, li: ApiClient, zhang: ApiClient, specialist: ApiClient, foreign: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  [director, li, zhang, specialist, foreign] = await signInAll(stack, [DIRECTOR, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, FOREIGN_DIRECTOR]);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("visit plans and records", () => {
  it("batch upsert: created, conflict with current, per-item invalid with field path, forbidden; history kept", async () => {
    const r = await li.call("PUT", "/v1/visit-plans", {
      items: [
        { id: "VP-T1", accountId: "A-003", month: "2026-07", role: "kaManager", plannedDate: "2026-07-08" },
        { id: "VP-T2", accountId: "A-003", month: "2026-13", role: "kaManager" },
        { id: "VP-T3", accountId: "A-003", month: "2026-07", role: "kaManager", plannedDate: "2026-08-01" },
        { id: "VP-T4", accountId: "A-016", month: "2026-07", role: "kaManager" },
        { id: "VP-T5", accountId: "A-003", month: "2026-07", role: "kaManager", owner: "m-zhang" },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { status: string }) => i.status)).toEqual(["created", "invalid", "invalid", "forbidden", "forbidden"]);
    expect(r.body.items[1].errors[0].path).toBe("month");
    expect(r.body.items[2].errors[0].path).toBe("plannedDate");
    expect(r.body.items[4].errors[0].path).toBe("owner");
    // The manager's own plan defaults to him as the visiting owner.
    const list = await li.call("GET", "/v1/visit-plans?account=A-003");
    expect(list.body.items.find((x: { id: string }) => x.id === "VP-T1")).toMatchObject({ owner: "m-li", version: 1 });
    const stale = await li.call("PUT", "/v1/visit-plans", { items: [{ id: "VP-T1", purpose: "改期" }] });
    expect(stale.body.items[0]).toMatchObject({ status: "conflict", version: 1, current: { id: "VP-T1", month: "2026-07" } });
    const upd = await li.call("PUT", "/v1/visit-plans", { items: [{ id: "VP-T1", version: 1, purpose: "方案交流" }] });
    expect(upd.body.items[0]).toMatchObject({ status: "updated", version: 2 });
    const history = await listHistory(stack.store, VISIT_PLAN, "demo", "VP-T1");
    expect(history.map((h) => [h.version, h.by, h.op])).toEqual([[1, "m-li", "create"], [2, "m-li", "update"]]);
    expect(history[1]!.changes).toEqual([{ field: "purpose", new: "方案交流" }]);
    // Specialists read, never write; directors write any account's visits.
    expect((await specialist.call("PUT", "/v1/visit-records", { items: [] })).status).toBe(403);
    expect((await specialist.call("GET", "/v1/visit-records?account=A-016")).status).toBe(200);
    const d = await director.call("PUT", "/v1/visit-records", {
      items: [{ id: "VR-T1", accountId: "A-016", date: "2026-07-02", role: "generalManager", purpose: "c", outcome: "B", owner: "m-zhang", summary: "总经理拜访" }],
    });
    expect(d.body.items[0].status).toBe("created");
  });

  it("a manager lists only the visits of accounts he owns", async () => {
    const r = await zhang.call("GET", "/v1/visit-records");
    expect(r.status).toBe(200);
    const accounts = new Set(r.body.items.map((x: { accountId: string }) => x.accountId));
    // 张伟 owns A-016 … A-030: 15 accounts × (3 seeded months − June missed on every third account).
    expect([...accounts].every((a) => Number((a as string).slice(2)) >= 16)).toBe(true);
    expect((await zhang.call("GET", "/v1/visit-records?account=A-001")).status).toBe(403);
    expect((await foreign.call("GET", "/v1/visit-records")).body.items).toEqual([]);
  });

  it("compliance per account and role (docs/domain.md §5) — worked by hand from the seed", async () => {
    // A-001 is flagged strategic (and the seed's largest-revenue accounts include it). 2026-Q2 = 3 months.
    // kaManager: strategic 1/month → floor(3 × 1) = 3; important 1/month → 3; records Apr, May, Jun
    // all with summaries → carried out 3; plans 3, all carried out → adherence 1.
    // salesManager: strategic 1 per 2 months → floor(3/2) = 1; important 1/quarter → 1 → required 1, none done.
    // generalManager: strategic 1/half-year → floor(3/6) = 0; important 1/year → 0.
    const r = await director.call("GET", "/v1/visits/compliance?period=2026-Q2&account=A-001");
    expect(r.status).toBe(200);
    const byRole = Object.fromEntries(r.body.items.map((x: { role: string }) => [x.role, x]));
    expect(byRole.kaManager).toMatchObject({ required: 3, carriedOut: 3, met: true, planned: 3, planAdherence: 1 });
    expect(byRole.salesManager).toMatchObject({ required: 1, carriedOut: 0, met: false, shortfall: 1, planAdherence: null });
    expect(byRole.salesManager.planAdherenceError.code).toBe("#DIV/0!");
    expect(byRole.generalManager).toMatchObject({ required: 0, met: true });
    // A-015 (strategic flag): June visit missed (15 is a multiple of 3) → records Apr, May = 2 of
    // required 3 → shortfall 1; plan adherence 2 carried out ÷ 3 planned.
    const a15 = await li.call("GET", "/v1/visits/compliance?period=2026-Q2&account=A-015&role=kaManager");
    expect(a15.body.items).toEqual([expect.objectContaining({ role: "kaManager", required: 3, carriedOut: 2, shortfall: 1, planned: 3 })]);
    expect(a15.body.items[0].planAdherence).toBeCloseTo(2 / 3, 12);
    // A-014 (not strategic): its May record has no written summary (14 is a multiple of 7), so only
    // April and June count: 2 carried out, adherence 2 ÷ 3.
    const a14 = await director.call("GET", "/v1/visits/compliance?period=2026-Q2&account=A-014&role=kaManager");
    expect(a14.body.items[0]).toMatchObject({ carriedOut: 2, planned: 3 });
    expect(a14.body.items[0].planAdherence).toBeCloseTo(2 / 3, 12);
    expect((await li.call("GET", "/v1/visits/compliance?period=2026-Q2&account=A-016")).status).toBe(403);
    expect(byRole.kaManager).toMatchObject({ latePlans: [], lateRecords: [], late: false });
    expect((await li.call("GET", "/v1/visits/compliance?period=2026-13")).body.error.details[0].path).toBe("period");
  });
});

describe("visit lateness in the compliance answer (docs/domain.md §5)", () => {
  it("seeded: A-004's May plan made on 05-03 and A-002's June record entered on 07-08 are late", async () => {
    const a4 = await director.call("GET", "/v1/visits/compliance?period=2026-Q2&account=A-004&role=kaManager");
    expect(a4.body.items[0]).toMatchObject({ latePlans: ["VP-A-004-2026-05"], lateRecords: [], late: true });
    const a2 = await director.call("GET", "/v1/visits/compliance?period=2026-Q2&account=A-002&role=kaManager");
    expect(a2.body.items[0]).toMatchObject({ latePlans: [], lateRecords: ["VR-A-002-2026-06"], late: true });
  });

  it("written now: a plan for a month already started and a record of a visit two months back are late; a plan for next month is not", async () => {
    const now = today();
    const month = (offset: number) => {
      const d = new Date(Date.UTC(+now.slice(0, 4), +now.slice(5, 7) - 1 + offset, 1));
      return d.toISOString().slice(0, 7);
    };
    const [thisMonth, nextMonth, twoBack] = [month(0), month(1), month(-2)];
    const plans = await li.call("PUT", "/v1/visit-plans", {
      items: [
        { id: "VP-L1", accountId: "A-005", month: thisMonth, role: "salesManager" },
        { id: "VP-L2", accountId: "A-005", month: nextMonth, role: "salesManager" },
      ],
    });
    expect(plans.body.items.map((i: { status: string }) => i.status)).toEqual(["created", "created"]);
    const rec = await li.call("PUT", "/v1/visit-records", {
      items: [
        { id: "VR-L1", accountId: "A-005", date: `${twoBack}-10`, role: "salesManager", purpose: "b", outcome: "C", summary: "补录" },
        { id: "VR-L2", accountId: "A-005", date: now, role: "salesManager", purpose: "b", outcome: "C", summary: "当日录入" },
      ],
    });
    expect(rec.body.items.map((i: { status: string }) => i.status)).toEqual(["created", "created"]);
    const listed = await li.call("GET", "/v1/visit-plans?account=A-005");
    expect(listed.body.items.find((x: { id: string }) => x.id === "VP-L1").enteredOn).toBe(now);
    const at = async (period: string) =>
      (await li.call("GET", `/v1/visits/compliance?period=${period}&account=A-005&role=salesManager`)).body.items[0];
    expect(await at(thisMonth)).toMatchObject({ latePlans: ["VP-L1"], lateRecords: [], late: true });
    expect(await at(nextMonth)).toMatchObject({ latePlans: [], lateRecords: [], late: false });
    expect(await at(twoBack)).toMatchObject({ latePlans: [], lateRecords: ["VR-L1"], late: true });
    // An edit keeps the entered date: the plan stays late.
    expect((await li.call("PUT", "/v1/visit-plans", { items: [{ id: "VP-L1", version: 1, purpose: "补充" }] })).body.items[0].status).toBe("updated");
    expect(await at(thisMonth)).toMatchObject({ latePlans: ["VP-L1"] });
  });
});

describe("targets", () => {
  const id = "manager:m-zhang:2026-09";

  it("director sets (approved), manager proposes (pending), approve → effective changes; reject keeps it", async () => {
    const set = await director.call("PUT", "/v1/targets", {
      items: [
        { level: "manager", subject: "m-zhang", period: "2026-09", amountYuan: 2_000_000 },
        { level: "team", period: "2026", amountYuan: 1 },
        { level: "manager", subject: "nobody", period: "2026", amountYuan: 1 },
        { level: "company", period: "2026-13", amountYuan: 1 },
      ],
    });
    expect(set.body.items.map((i: { status: string }) => i.status)).toEqual(["created", "invalid", "invalid", "invalid"]);
    expect(set.body.items[0]).toMatchObject({ id, version: 1 });
    expect(set.body.items[1].errors[0].path).toBe("subject");
    expect(set.body.items[2].errors[0].path).toBe("subject");
    expect(set.body.items[3].errors[0].path).toBe("period");
    expect((await zhang.call("PUT", "/v1/targets", { items: [] })).status).toBe(403);

    const proposal = await zhang.call("POST", `/v1/targets/${id}/proposals`, { amountYuan: 1_800_000, reason: "客户预算推迟", basedOnVersion: 1 });
    expect(proposal.status).toBe(201);
    expect(proposal.body).toMatchObject({ latestVersion: 2, pending: [2], effective: { version: 1, amountYuan: 2_000_000 } });
    expect((await li.call("POST", `/v1/targets/${id}/proposals`, { amountYuan: 1 })).status).toBe(403);
    expect((await zhang.call("POST", `/v1/targets/${id}/proposals`, { amountYuan: 1, basedOnVersion: 1 })).status).toBe(409);
    expect((await zhang.call("POST", `/v1/targets/${id}/decisions`, { version: 2, decision: "approve" })).status).toBe(403);

    const approved = await director.call("POST", `/v1/targets/${id}/decisions`, { version: 2, decision: "approve" });
    expect(approved.status).toBe(200);
    expect(approved.body.effective).toEqual({ version: 2, amountYuan: 1_800_000 });
    expect((await director.call("POST", `/v1/targets/${id}/decisions`, { version: 2, decision: "reject" })).status).toBe(409);

    await zhang.call("POST", `/v1/targets/${id}/proposals`, { amountYuan: 1_500_000 });
    const rejected = await director.call("POST", `/v1/targets/${id}/decisions`, { version: 3, decision: "reject", reason: "无依据" });
    // docs/domain.md §6: a rejected change leaves the last approved target in force.
    expect(rejected.body.effective).toEqual({ version: 2, amountYuan: 1_800_000 });
    expect(rejected.body.versions.map((v: { status: string }) => v.status)).toEqual(["approved", "approved", "rejected"]);

    const full = await zhang.call("GET", `/v1/targets/${id}`);
    expect(full.body.versions).toHaveLength(3);
    // Five writes: set, proposal, approval, proposal, rejection — each a history entry with who.
    expect(full.body.history.map((h: { by: string; version: number }) => [h.version, h.by])).toEqual([
      [1, "d-wang"], [2, "m-zhang"], [3, "d-wang"], [4, "m-zhang"], [5, "d-wang"],
    ]);
    expect((await listHistory(stack.store, TARGET, "demo", id)).length).toBe(5);
    expect((await li.call("GET", `/v1/targets/${id}`)).status).toBe(403);
    expect((await foreign.call("GET", `/v1/targets/${id}`)).status).toBe(404);
  });

  it("GET /v1/targets: filters and what each caller may read; the seeded pending proposal", async () => {
    const mine = await li.call("GET", "/v1/targets?period=2026");
    // 李明 (team east) reads the company target, his team's, his own and his account A-001's.
    expect(mine.body.items.map((t: { id: string }) => t.id)).toEqual(["account:A-001:2026", "company:2026", "manager:m-li:2026", "team:east:2026"]);
    const q4 = await director.call("GET", "/v1/targets?level=manager&subject=m-li&period=2026-Q4");
    expect(q4.body.items).toHaveLength(1);
    expect(q4.body.items[0]).toMatchObject({ pending: [2], effective: { version: 1, amountYuan: 7_500_000 } });
    expect(q4.body.items[0].versions[1]).toMatchObject({ amountYuan: 6_000_000, status: "pending", proposedBy: "m-li" });
    expect((await director.call("GET", "/v1/targets?level=region")).status).toBe(400);
    expect((await foreign.call("GET", "/v1/targets")).body.items).toEqual([]);
  });
});
