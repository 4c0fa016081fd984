import { describe, expect, it } from "vitest";
import { accountHealth, explainHealth, healthReceivables, lastFullMonths, type HealthAccount, type HealthInput, type HealthResult } from "./health.js";
import { DEFAULT_HEALTH_MODEL, HEALTH_FACTORS, parseHealthModel, type HealthFactorKey, type HealthModel } from "./model.js";

/**
 * Worked examples, each figured by hand from the rules in model.ts / health.ts (default model:
 * decision chain 35 = decider 40 + coverage 30 + support 15 + intimacy 15; visits 20; receivables
 * 20 with ageing weights .25/.5/.75/1; archive 15 = completeness 70 + review 30; stage 10 =
 * 0/25/50/75/100 %; G ≥ 70, A ≥ 40).
 */

const TODAY = "2026-12-01";

/** The default model with every weight 0 except `key`'s: the score is that factor's share × 100. */
function only(key: HealthFactorKey, patch: Partial<HealthModel> = {}): HealthModel {
  const weights = Object.fromEntries(HEALTH_FACTORS.map((k) => [k, k === key ? 1 : 0]));
  const r = parseHealthModel({ ...DEFAULT_HEALTH_MODEL, id: `only-${key.toLowerCase()}`, weights, ...patch });
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}

function health(input: Partial<HealthInput> & { account: HealthAccount }, model?: HealthModel): HealthResult {
  const r = accountHealth({ today: TODAY, ...input }, model);
  if (!r.ok) throw new Error(`${r.error.arg}: ${r.error.message.en}`);
  return r.value;
}

const DECIDER5 = { id: "c1", name: "王总", role: "decider", support: 5, intimacy: 5 };
/** All ten default archive fields filled (a decider contact among them). */
const FULL_ARCHIVE = {
  name: "华东电力",
  owner: "u-li",
  ownershipType: "stateOwned",
  industry: "电力",
  address: "上海市浦东新区",
  phone: "021-5555",
  registeredCapital: 50_000_000,
  industryPosition: "leading",
  paymentAttitude: "prompt",
};

describe("health model", () => {
  it("the built-in default is valid and its weights are the documented ones", () => {
    expect(DEFAULT_HEALTH_MODEL.id).toBe("health-default");
    expect(DEFAULT_HEALTH_MODEL.weights).toEqual({ decisionChain: 35, visits: 20, receivables: 20, archive: 15, stage: 10 });
    expect(DEFAULT_HEALTH_MODEL.status).toEqual({ green: 70, amber: 40, capWithoutSupportiveDecider: true });
  });

  it("an invalid model is a #VALUE! naming each problem by path", () => {
    const bad = (patch: Record<string, unknown>) => {
      const r = parseHealthModel({ ...DEFAULT_HEALTH_MODEL, ...patch });
      return r.ok ? "ok" : r.error.message.en;
    };
    expect(bad({ weights: { ...DEFAULT_HEALTH_MODEL.weights, visits: -1 } })).toContain("weights.visits: must be 0 or more");
    expect(bad({ weights: { decisionChain: 0, visits: 0, receivables: 0, archive: 0, stage: 0 } })).toContain("at least one factor");
    expect(bad({ receivables: { bucketWeights: { d1_30: 1, d31_60: 0.5, d61_90: 0.75, over90: 1 } } })).toContain("older overdue weighs at least as much");
    expect(bad({ stage: { percent: { target: 0, discover: 50, assess: 25, relate: 75, close: 100 } } })).toContain("stage.percent");
    expect(bad({ status: { green: 40, amber: 70, capWithoutSupportiveDecider: true } })).toContain("amber ≤ green");
    expect(bad({ archive: { parts: { completeness: 1, review: 1 }, requiredFields: ["name", "shoeSize"] } })).toContain('unknown field "shoeSize"');
    expect(bad({ visits: { table: "005", months: 3 } })).toContain("visits.table");
    expect(bad({ extra: 1 })).toContain("unknown field extra");
    expect(bad({})).toBe("ok");
  });
});

describe("decision chain (only this factor weighs)", () => {
  const m = only("decisionChain");

  it("no contact: 0 points, R", () => {
    const h = health({ account: { name: "x" } }, m);
    expect([h.score, h.status, h.supportiveDecider]).toEqual([0, "R", false]);
    expect(h.factors[0]!.detail.en).toBe("no contact in the decision chain");
  });

  it("a decider at support 4 is supportive: 40 + 30×1/5 + 15×3/4 + 15×3/4 = 68.5 → 69 A", () => {
    const h = health({ account: { contacts: [{ name: "王总", role: "decider", support: 4, intimacy: 4 }] } }, m);
    expect([h.score, h.status, h.supportiveDecider]).toEqual([69, "A", true]);
  });

  it("at support 3 it is not: 0 + 6 + 15×2/4 + 11.25 = 24.75 → 25 R", () => {
    const h = health({ account: { contacts: [{ name: "王总", role: "决策者", support: 3, intimacy: 4 }] } }, m);
    expect([h.score, h.status, h.supportiveDecider]).toEqual([25, "R", false]);
    expect(h.factors[0]!.detail.zh).toContain("决策者支持程度低于 4");
  });

  it("all five roles at 5: 100 G", () => {
    const contacts = ["decider", "gatekeeper", "user", "buyer", "influencer"].map((role, i) => ({ id: `c${i}`, name: `n${i}`, role, support: 5, intimacy: 5 }));
    expect(health({ account: { contacts } }, m).score).toBe(100);
  });

  it("unrated contacts (from a business card) leave support and intimacy out: (0×40 + 30×1/5) ÷ 70 = 8.57 → 9", () => {
    const h = health({ account: { contacts: [{ name: "王总", role: "decider" }] } }, m);
    expect(h.score).toBe(9);
    expect(h.factors[0]!.detail.en).toContain("support not rated; intimacy not rated");
  });

  it("contacts without a role cover no role", () => {
    // decider 0, coverage 0, support (5−1)/4 × 15, intimacy (1−1)/4 × 15 → 15
    expect(health({ account: { contacts: [{ name: "名片", support: 5, intimacy: 1 }] } }, m).score).toBe(15);
  });
});

describe("visit compliance over the last quarter (only this factor weighs)", () => {
  const m = only("visits");
  const rec = (date: string, role?: string, summary = "已拜访") => ({ date, summary, ...(role ? { role } : {}) });

  it("the last quarter is the three full months before today's month", () => {
    const p = lastFullMonths(TODAY, 3);
    expect([p.start, p.end, p.months]).toEqual(["2026-09-01", "2026-11-30", ["2026-09", "2026-10", "2026-11"]]);
    expect(lastFullMonths("2026-02-15", 3).months).toEqual(["2025-11", "2025-12", "2026-01"]);
  });

  it("strategic, 004 table: KA manager 3 + sales manager 1 + vice president 1 = 5 required; no visits → 0", () => {
    const h = health({ account: {}, visits: { classes: ["strategic"], records: [] } }, m);
    expect(h.score).toBe(0);
    expect(h.factors[1]!.detail.en).toBe("visits 2026-09 to 2026-11: 0/5 (KA manager 0/3; Sales manager 0/1; Vice president 0/1)");
  });

  it("records without a role are the KA manager's; first and last day of the quarter count, the days around it do not", () => {
    const records = [rec("2026-08-31"), rec("2026-09-01"), rec("2026-10-15"), rec("2026-11-30"), rec("2026-12-01")];
    expect(health({ account: {}, visits: { classes: ["strategic"], records } }, m).score).toBe(60); // 3/5
  });

  it("a visit without a written summary does not count; surplus KA manager visits do not stand in for other roles", () => {
    const records = [rec("2026-09-02", undefined, " "), ...["09-03", "09-04", "10-01", "10-02", "11-01", "11-02"].map((d) => rec(`2026-${d}`, "kaManager"))];
    expect(health({ account: {}, visits: { classes: ["strategic"], records } }, m).score).toBe(60); // 3/5
  });

  it("every role met: 100", () => {
    const records = [rec("2026-09-03"), rec("2026-10-03"), rec("2026-11-03"), rec("2026-10-09", "销售经理"), rec("2026-11-09", "vicePresident")];
    expect(health({ account: {}, visits: { classes: ["strategic"], records } }, m).score).toBe(100);
  });

  it("important needs 3 + 1 (vice president floor(3/6) = 0); strategic and important takes the stricter", () => {
    const records = [rec("2026-09-03"), rec("2026-10-03"), rec("2026-11-03")];
    expect(health({ account: {}, visits: { classes: ["important"], records } }, m).score).toBe(75); // 3/4
    expect(health({ account: {}, visits: { classes: ["important", "strategic"], records } }, m).score).toBe(60); // 3/5
  });

  it("the 002 table: sales manager 3 + liaison leader floor(3 × 4/12) = 1; records without a role are the sales manager's", () => {
    const m002 = only("visits", { visits: { table: "002", months: 3 } });
    const records = [rec("2026-09-03"), rec("2026-10-03"), rec("2026-11-03")];
    expect(health({ account: {}, visits: { classes: ["strategic"], records } }, m002).score).toBe(75);
  });

  it("no cadence applies (neither strategic nor important) or no records known: the factor is left out", () => {
    const h = health({ account: {}, visits: { classes: ["quality"], records: [] } });
    expect(h.missing.map((x) => x.key)).toContain("visits");
    expect(h.missing.find((x) => x.key === "visits")!.reason.en).toBe("no visit cadence applies (neither strategic nor important)");
    expect(health({ account: {} }).missing.find((x) => x.key === "visits")!.reason.en).toBe("visit records not available");
    // With only this factor weighing, nothing is left to score: #N/A.
    const r = accountHealth({ today: TODAY, account: {} }, m);
    expect(r.ok ? r.value : r.error.code).toBe("na");
  });

  it("a record with an unreadable date is #VALUE! naming it", () => {
    const r = accountHealth({ today: TODAY, account: {}, visits: { classes: ["strategic"], records: [rec("soon")] } }, m);
    expect(r.ok ? r.value : [r.error.code, r.error.arg]).toEqual(["value", "visits.records[0].date"]);
  });
});

describe("overdue receivables (only this factor weighs)", () => {
  const m = only("receivables");
  const ageing = (a: Partial<Record<"d1_30" | "d31_60" | "d61_90" | "over90", number>>) => ({ d1_30: 0, d31_60: 0, d61_90: 0, over90: 0, ...a });

  it("nothing overdue: 100; all of it over 90 days: 0; 400 of 1,000 at 1–30 days: 1 − 0.25 × 0.4 = 90", () => {
    expect(health({ account: {}, receivables: { dueYuan: 1000, ageing: ageing({}) } }, m).score).toBe(100);
    expect(health({ account: {}, receivables: { dueYuan: 1000, ageing: ageing({ over90: 1000 }) } }, m).score).toBe(0);
    expect(health({ account: {}, receivables: { dueYuan: 1000, ageing: ageing({ d1_30: 400 }) } }, m).score).toBe(90);
  });

  it("the ageing buckets at their day boundaries, from contracts and payments", () => {
    // i2 (due 06-01) is paid by the June payment (FIFO); i1 (1,000 due 09-01) stays open; 2,000 due in all.
    const contracts = [{ id: "k1", accountId: "a1", instalments: [{ id: "i1", dueDate: "2026-09-01", amountYuan: 1000 }, { id: "i2", dueDate: "2026-06-01", amountYuan: 1000 }] }];
    const payments = [{ id: "p1", contractId: "k1", date: "2026-06-01", amountYuan: 1000 }];
    const at = (today: string) => {
      const r = healthReceivables(contracts, payments, today);
      if (!r.ok || !r.value) throw new Error("no receivables");
      return accountHealth({ today, account: {}, receivables: r.value }, m);
    };
    const score = (today: string) => {
      const r = at(today);
      return r.ok ? r.value.score : NaN;
    };
    expect(score("2026-09-01")).toBe(100); // due today, not overdue
    expect(score("2026-10-01")).toBe(88); // 30 days: 1 − 0.25 × ½ = 0.875 → 88
    expect(score("2026-10-02")).toBe(75); // 31 days: 1 − 0.5 × ½
    expect(score("2026-11-30")).toBe(63); // 90 days: 1 − 0.75 × ½ = 0.625 → 63
    expect(score("2026-12-01")).toBe(50); // 91 days: over 90, weighs most
  });

  it("no contract or nothing due yet: left out", () => {
    expect(healthReceivables([], [], TODAY)).toEqual({ ok: true, value: undefined });
    const h = health({ account: {}, receivables: { dueYuan: 0, ageing: ageing({}) } });
    expect(h.missing.find((x) => x.key === "receivables")!.reason.zh).toBe("尚无到期的合同金额");
  });
});

describe("archive completeness and review (only this factor weighs)", () => {
  const m = only("archive");
  const full = { ...FULL_ARCHIVE, contacts: [DECIDER5] };

  it("complete and reviewed 183 days ago: 100; 184 days ago it is stale: 70", () => {
    expect(health({ account: { ...full, lastReviewed: "2026-06-01" } }, m).score).toBe(100);
    const h = health({ account: { ...full, lastReviewed: "2026-05-31" } }, m);
    expect(h.score).toBe(70);
    expect(h.factors[3]!.detail.en).toBe("complete 10/10; last reviewed 2026-05-31, over 183 days ago");
  });

  it("half complete and never reviewed: 0.5 × 70 = 35 R, naming the missing fields", () => {
    const h = health({ account: { name: "x", owner: "u", industry: "电力", phone: "1", contacts: [DECIDER5] } }, m);
    expect([h.score, h.status]).toEqual([35, "R"]);
    expect(h.factors[3]!.detail.zh).toBe("完整率 5/10（缺企业性质、地址、注册资本、行业地位、付款态度）；从未复核");
  });
});

describe("stage progress (only this factor weighs)", () => {
  const m = only("stage");

  it("stages 1–5 give 0, 25, 50, 75, 100", () => {
    const scores = ["target", "discover", "assess", "relate", "close"].map((stage) => health({ account: { stage } }, m).score);
    expect(scores).toEqual([0, 25, 50, 75, 100]);
  });

  it("a terminated account earns 0, with its date and reason", () => {
    const h = health({ account: { stage: "relate", dealStatus: "terminated", termination: { date: "2026-11-02", reason: "预算取消" } } }, m);
    expect(h.score).toBe(0);
    expect(h.factors[4]!.detail.zh).toBe("已终止 2026-11-02：预算取消");
  });

  it("no stage: left out", () => {
    expect(health({ account: {} }).missing.map((x) => x.key)).toEqual(["visits", "receivables", "stage"]);
  });
});

describe("status R/A/G and the decider cap", () => {
  const m = only("receivables");
  const at = (over90: number, contacts = [DECIDER5]) =>
    health({ account: { contacts }, receivables: { dueYuan: 100, ageing: { d1_30: 0, d31_60: 0, d61_90: 0, over90 } } }, m);

  it("70 is G, 69 A, 40 A, 39 R", () => {
    expect([at(30), at(31), at(60), at(61)].map((h) => [h.score, h.status])).toEqual([[70, "G"], [69, "A"], [40, "A"], [39, "R"]]);
  });

  it("without a supportive decider a G becomes A, and the explanation says why", () => {
    const h = at(0, [{ ...DECIDER5, support: 3 }]);
    expect([h.score, h.status, h.capped]).toEqual([100, "A", true]);
    expect(explainHealth(h, "en")).toContain("No supportive decider known (support 4 or more): the status is at most Amber");
    expect(at(61, []).status).toBe("R"); // the cap never raises
    const uncapped = only("receivables", { status: { green: 70, amber: 40, capWithoutSupportiveDecider: false } });
    expect(health({ account: {}, receivables: { dueYuan: 100, ageing: { d1_30: 0, d31_60: 0, d61_90: 0, over90: 0 } } }, uncapped).status).toBe("G");
  });
});

describe("default model: rescaling, explanation, next step", () => {
  const fiveRoles = ["decider", "gatekeeper", "user", "buyer", "influencer"].map((role, i) => ({ id: `c${i}`, name: `n${i}`, role, support: 5, intimacy: 5 }));

  it("with visits, receivables and stage missing, decision chain and archive share 100 as 70 + 30", () => {
    // decision chain full 70; archive 5/10, never reviewed: 0.5 × 0.7 × 30 = 10.5; 80.5 → 81 G
    const h = health({ account: { name: "x", owner: "u", industry: "电力", phone: "1", contacts: fiveRoles } });
    expect(h.factors.map((f) => [f.key, f.maxPoints, f.points])).toEqual([
      ["decisionChain", 70, 70],
      ["visits", 0, 0],
      ["receivables", 0, 0],
      ["archive", 30, 10.5],
      ["stage", 0, 0],
    ]);
    expect([h.score, h.status]).toEqual([81, "G"]);
    const en = explainHealth(h, "en");
    expect(en).toContain("Left out (no data; the other weights scaled up): Visit compliance: visit records not available; Overdue receivables: contracts and payments not available; Stage progress: no development stage");
    const zh = explainHealth(h, "zh");
    expect(zh.split("\n")[0]).toBe("81 G 绿");
    expect(zh).toContain("未计入（缺少数据，其余权重按比例放大）：拜访达标：没有拜访记录数据");
  });

  it("a worked account with every factor: 26.075 + 4 + 18 + 3.15 + 7.5 = 58.725 → 59 A", () => {
    const h = health({
      account: { name: "x", owner: "u1", stage: "relate", contacts: [{ name: "王总", role: "decider", support: 5, intimacy: 4 }, { name: "李工", role: "user", support: 3 }] },
      visits: { classes: ["strategic"], records: [{ date: "2026-10-03", summary: "技术交流" }] },
      receivables: { dueYuan: 1000, ageing: { d1_30: 0, d31_60: 0, d61_90: 0, over90: 100 } },
    });
    expect(h.factors.map((f) => f.points)).toEqual([26.1, 4, 18, 3.2, 7.5]);
    expect([h.score, h.status, h.capped]).toEqual([59, "A", false]);
    // Visits lost most (16 of 20): the focus; stage 4 without a recorded deal status is an opportunity.
    expect(h.nextStep).toEqual({
      dealStatus: "opportunity",
      plan: { zh: "销售推进与客户跟踪", en: "Push the sale forward and track the account" },
      focus: { zh: "按拜访频次补足拜访（还差 4 次）", en: "make up the visits the cadence requires (4 short)" },
    });
    expect(explainHealth(h, "zh").split("\n").at(-1)).toBe("下一步：销售推进与客户跟踪；按拜访频次补足拜访（还差 4 次）");
  });

  it("the plan follows the deal status: 潜在 → 跟进, 机会 → 推进, 成交 → 关怀; read from the stage when none is recorded", () => {
    const plan = (account: HealthAccount) => health({ account }).nextStep;
    expect(plan({ dealStatus: "潜在" }).plan.zh).toBe("客户维护与客户跟进");
    expect(plan({ dealStatus: "opportunity" }).plan.zh).toBe("销售推进与客户跟踪");
    expect(plan({ dealStatus: "成交" }).plan.zh).toBe("客户关怀");
    expect(plan({ stage: "discover" }).dealStatus).toBe("potential");
    expect(plan({ stage: "assess" }).dealStatus).toBe("opportunity");
    expect(plan({}).dealStatus).toBe("unidentified");
    const t = plan({ dealStatus: "terminated", termination: { date: "2026-11-02", reason: "预算取消" } });
    expect(t.plan.en).toBe("Terminated: postpone and watch for change");
    expect(t.focus).toBeUndefined();
  });

  it("no supportive decider: the focus is the key decider when the decision chain lost most", () => {
    const h = health({ account: { ...FULL_ARCHIVE, lastReviewed: "2026-11-01", stage: "close", grade: "A", contacts: [{ name: "张处", role: "gatekeeper", support: 5, intimacy: 5 }] } });
    expect(h.nextStep.focus!.en).toBe("build a relationship with the key decider and win their support (support 4 or more)");
  });
});
