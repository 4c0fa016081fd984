import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { addDays, today } from "../../shared/src/dates.js";
import { lastFullMonths } from "../../shared/src/health/health.js";
import { DEFAULT_HEALTH_MODEL } from "../../shared/src/health/model.js";
import { HealthItemSchema, HealthListSchema } from "../../shared/src/schemas/health.js";
import { validate } from "../../shared/src/schemas/validation.js";
import { DIRECTOR, FINANCE, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, signInAll, startTestStack, type ApiClient } from "../backend/helpers.js";

/**
 * Account health over HTTP on dynalite: one account seeded through the API, its score figured by
 * hand from the default model (decision chain 35, visits 20, receivables 20, archive 15, stage 10).
 * Dates are set relative to today so the figures hold on any day.
 */
let stack: LocalStack;
let director: ApiClient, li: ApiClient, zhang: ApiClient, specialist: ApiClient, finance: ApiClient;
const now = today();
const quarter = lastFullMonths(now, 3);

beforeAll(async () => {
  stack = await startTestStack();
  [director, li, zhang, specialist, finance] = await signInAll(stack, [DIRECTOR, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, FINANCE]);
  const a = await director.call("PUT", "/v1/accounts", {
    items: [
      {
        id: "HX-1",
        name: "健康测试电力",
        owner: "m-li",
        strategic: true,
        ownershipType: "stateOwned",
        industry: "电力",
        stage: "assess",
        contacts: [
          { id: "c1", name: "王总", role: "decider", support: 5, intimacy: 4, professionalism: 3, personal: { hobbies: "高尔夫-机密" } },
          { id: "c2", name: "赵工", role: "user", support: 3, intimacy: 2, professionalism: 4 },
        ],
      },
    ],
  });
  expect(a.body.items[0]).toMatchObject({ status: "created" });
  const c = await li.call("PUT", "/v1/contracts", {
    items: [
      {
        id: "HX-C1",
        accountId: "HX-1",
        signedDate: addDays(now, -200),
        amountYuan: 10_000,
        instalments: [
          { id: "i1", dueDate: addDays(now, -100), amountYuan: 4_000 },
          { id: "i2", dueDate: addDays(now, -10), amountYuan: 6_000 },
        ],
      },
    ],
  });
  expect(c.body.items[0].status).toBe("created");
  const m = quarter.months;
  const rec = (id: string, month: string, role: string) => ({ id, accountId: "HX-1", date: `${month}-15`, role, purpose: "c", outcome: "B", owner: "m-li", summary: "拜访纪要" });
  const v = await li.call("PUT", "/v1/visit-records", {
    items: [rec("HX-V1", m[0]!, "kaManager"), rec("HX-V2", m[1]!, "kaManager"), rec("HX-V3", m[2]!, "salesManager")],
  });
  expect(v.body.items.map((x: { status: string }) => x.status)).toEqual(["created", "created", "created"]);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

/** The fields of a real answer that do not fit the shared schema the add-in checks it with (none). */
function misfits(schema: typeof HealthItemSchema | typeof HealthListSchema, body: unknown): string[] {
  const r = validate(schema, body);
  return r.ok ? [] : r.details.map((d) => `${d.path}: ${d.message}`);
}

describe("GET /v1/accounts/{id}/health", () => {
  it("the owner: every factor, figured by hand", async () => {
    // Decision chain: supportive decider 40×1 + coverage 30×2/5 + support 15×(4−1)/4 + intimacy 15×(3−1)/4 = 70.75 % of 35 = 24.7625
    // Visits (strategic, 004, last 3 full months): kaManager 2/3, salesManager 1/1, vicePresident 0/1 → 3/5 of 20 = 12
    // Receivables: due 10,000; overdue 4,000 > 90 days ×1 + 6,000 at 10 days ×0.25 = 5,500 → 45 % of 20 = 9
    // Archive: 5 of 10 fields (name, ownershipType, industry, owner, decider) ×70 + never reviewed ×30 → 0 = 35 % of 15 = 5.25
    // Stage assess = 50 % of 10 = 5.  Sum 56.0125 → 56, A.
    const r = await li.call("GET", "/v1/accounts/HX-1/health", undefined, { "accept-language": "zh-CN" });
    expect(r.status).toBe(200);
    expect([r.body.score, r.body.status, r.body.supportiveDecider, r.body.capped]).toEqual([56, "A", true, false]);
    const pts = Object.fromEntries(r.body.factors.map((f: { key: string; points: number }) => [f.key, f.points]));
    expect(pts).toEqual({ decisionChain: 24.8, visits: 12, receivables: 9, archive: 5.3, stage: 5 });
    expect(r.body.missing).toEqual([]);
    expect(r.body.explanation.zh).toMatch(/^56 A 黄/);
    expect(r.body.explanation.en).toContain("Next:");
    expect(r.body.nextStep.focus.en).toMatch(/decision chain|visits|collect/);
    expect(misfits(HealthItemSchema, r.body)).toEqual([]);
    // No personal detail travels with health.
    expect(JSON.stringify(r.body)).not.toContain("高尔夫");
  });

  it("a specialist reads no contracts: receivables left out, the rest rescaled (47.0125 ÷ 80 × 100 = 58.77 → 59)", async () => {
    const r = await specialist.call("GET", "/v1/accounts/HX-1/health");
    expect(r.status).toBe(200);
    expect([r.body.score, r.body.status]).toEqual([59, "A"]);
    expect(r.body.missing.map((m: { key: string }) => m.key)).toEqual(["receivables"]);
    expect(r.body.explanation.en).toContain("Left out");
    expect(misfits(HealthItemSchema, r.body)).toEqual([]);
  });

  it("another manager, finance (names only) and an unknown id: 404", async () => {
    expect((await zhang.call("GET", "/v1/accounts/HX-1/health")).status).toBe(404);
    expect((await finance.call("GET", "/v1/accounts/HX-1/health")).status).toBe(404);
    expect((await director.call("GET", "/v1/accounts/NOPE/health")).status).toBe(404);
    expect((await director.call("GET", "/v1/accounts/HX-1/health?x=1")).status).toBe(400);
    expect((await director.call("GET", "/v1/accounts/HX-1/health?model=nope")).status).toBe(404);
  });
});

describe("GET /v1/health?scope=", () => {
  it("owner scope: the manager's accounts, lowest score first, each with its explanation", async () => {
    const r = await li.call("GET", "/v1/health?scope=owner:m-li");
    expect(r.status).toBe(200);
    expect(r.body.modelId).toBe("health-default");
    const ids = r.body.items.map((x: { accountId: string }) => x.accountId);
    expect(ids).toContain("HX-1");
    expect(ids.every((id: string) => id === "HX-1" || Number(id.slice(2)) <= 15)).toBe(true);
    const scores = r.body.items.map((x: { score: number }) => x.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(r.body.items.find((x: { accountId: string }) => x.accountId === "HX-1").score).toBe(56);
    expect(r.body.items.every((x: { explanation?: { zh: string } }) => typeof x.explanation?.zh === "string")).toBe(true);
    expect(misfits(HealthListSchema, r.body)).toEqual([]);
  });

  it("a manager naming themself in an owner: scope reads their accounts, as in /v1/collections", async () => {
    const byName = await li.call("GET", `/v1/health?scope=owner:${encodeURIComponent("李明")}`);
    const byId = await li.call("GET", "/v1/health?scope=owner:m-li");
    expect(byName.status).toBe(200);
    expect(byName.body.items.map((x: { accountId: string }) => x.accountId)).toEqual(byId.body.items.map((x: { accountId: string }) => x.accountId));
    expect((await li.call("GET", `/v1/collections?scope=owner:${encodeURIComponent("李明")}&period=2026`)).status).toBe(200);
  });

  it("account, name and team scopes agree; a manager may not ask for another's accounts", async () => {
    const one = await director.call("GET", "/v1/health?scope=account:HX-1");
    const byName = await director.call("GET", `/v1/health?scope=${encodeURIComponent("健康测试电力")}`);
    const team = await director.call("GET", "/v1/health?scope=team:east");
    const inTeam = team.body.items.find((x: { accountId: string }) => x.accountId === "HX-1");
    expect([one, byName, team].flatMap((r) => misfits(HealthListSchema, r.body))).toEqual([]);
    expect([one.body.items[0].score, byName.body.items[0].score, inTeam?.score]).toEqual([56, 56, 56]);
    expect((await zhang.call("GET", "/v1/health?scope=owner:m-li")).status).toBe(403);
    expect((await zhang.call("GET", `/v1/health?scope=owner:${encodeURIComponent("李明")}`)).status).toBe(403);
    expect((await zhang.call("GET", "/v1/health?scope=account:HX-1")).status).toBe(404);
    const mine = await zhang.call("GET", "/v1/health?scope=*");
    expect(mine.body.items.every((x: { owner: string }) => x.owner === "m-zhang")).toBe(true);
    expect((await finance.call("GET", "/v1/health?scope=*")).status).toBe(403);
    expect((await director.call("GET", "/v1/health")).status).toBe(400);
  });

  it("an unknown scope is a 404 naming `scope`, like GET /v1/collections", async () => {
    const en = await director.call("GET", "/v1/health?scope=account:NOPE");
    expect([en.status, en.body.error]).toEqual([404, { code: "not_found", message: "no account NOPE", details: [{ path: "scope", message: "no account NOPE" }] }]);
    const zh = await director.call("GET", "/v1/health?scope=team:nobody", undefined, { "accept-language": "zh-CN" });
    expect(zh.status).toBe(404);
    expect(zh.body.error.details).toEqual([{ path: "scope", message: zh.body.error.message }]);
    expect(zh.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("the company's own health model (stored with the models, as `health`)", () => {
  it("directors store it; the routes and KAM.HEALTH then use it", async () => {
    // Only the stage weighs: assess = 50 % → 50, and with a supportive decider the status is A.
    const own = { ...DEFAULT_HEALTH_MODEL, id: "health", name: { zh: "本公司健康度", en: "Our health" }, weights: { decisionChain: 0, visits: 0, receivables: 0, archive: 0, stage: 1 } };
    expect((await li.call("PUT", "/v1/models/health", own)).status).toBe(403);
    expect((await director.call("PUT", "/v1/models/health-default", { ...own, id: "health-default" })).status).toBe(403);
    const bad = await director.call("PUT", "/v1/models/health", { ...own, weights: { ...own.weights, stage: -1 } });
    expect([bad.status, bad.body.error.message]).toEqual([400, expect.stringContaining("weights.stage")]);
    expect((await director.call("PUT", "/v1/models/health", own)).status).toBe(201);
    const r = await li.call("GET", "/v1/accounts/HX-1/health");
    expect([r.body.modelId, r.body.score, r.body.status]).toEqual(["health", 50, "A"]);
    expect((await li.call("GET", "/v1/accounts/HX-1/health?model=health-default")).body.score).toBe(56);
    const e = await li.call("POST", "/v1/eval", { calls: [{ fn: "HEALTH", args: ["HX-1", "score", "en"] }, { fn: "KAM.HEALTH", args: ["健康测试电力", "status", "zh"] }] });
    expect(e.body.results).toEqual([{ value: 50 }, { value: "A" }]);
  });

  it("a model with weight only where the caller has no data answers an error row, in the shared schema's shape", async () => {
    // Only receivables weigh, and a specialist reads no contracts: nothing is left to score (#N/A).
    const own = { ...DEFAULT_HEALTH_MODEL, id: "health", name: { zh: "只看应收", en: "Receivables only" }, weights: { decisionChain: 0, visits: 0, receivables: 1, archive: 0, stage: 0 } };
    const stored = await director.call("GET", "/v1/models/health");
    expect((await director.call("PUT", `/v1/models/health?revision=${stored.body.revision}`, own)).status).toBe(200);
    const one = await specialist.call("GET", "/v1/accounts/HX-1/health", undefined, { "accept-language": "en-US" });
    expect([one.status, one.body.error?.code]).toEqual([200, "#N/A"]);
    expect(misfits(HealthItemSchema, one.body)).toEqual([]);
    const list = await specialist.call("GET", "/v1/health?scope=account:HX-1");
    expect(list.body.items.map((x: { error?: { code: string } }) => x.error?.code)).toEqual(["#N/A"]);
    expect(misfits(HealthListSchema, list.body)).toEqual([]);
    // The director reads the contracts: the same model scores.
    const scored = await director.call("GET", "/v1/accounts/HX-1/health");
    expect([scored.body.modelId, scored.body.missing]).toEqual(["health", []]);
    expect(misfits(HealthItemSchema, scored.body)).toEqual([]);
  });
});
