import { describe, expect, it } from "vitest";
import { getBuiltinModel } from "./builtins.js";
import { compileModel, evaluateColumns, evaluateModel, evaluateRows, resolveHeaders, type ScoreResult } from "./evaluate.js";

const manager = getBuiltinModel("ka-manager")!;
const director = getBuiltinModel("ka-director")!;

/** A complete ka-manager row where every item scores its plain points (100 in all). */
const FULL_MARKS: Record<string, unknown> = {
  salesActual: 1_000_000, // 100% of plan → 25
  salesPlan: 1_000_000,
  salesLastQuarter: 1_000_000, // no growth → 10
  newAccounts: 4, // on plan → 5
  newAccountsPlan: 4,
  infoCollection: 10,
  teamwork: 10,
  knowledge: 10,
  judgement: 4,
  communication: 6,
  absenceDays: 0,
  responsibility: 5,
};

function score(overrides: Record<string, unknown>, opts?: Parameters<typeof evaluateModel>[2]): ScoreResult {
  return evaluateModel(manager, { ...FULL_MARKS, ...overrides }, opts);
}

function item(key: string, overrides: Record<string, unknown>, opts?: Parameters<typeof evaluateModel>[2]) {
  const found = score(overrides, opts).items.find((i) => i.key === key);
  if (!found) throw new Error(`no item ${key}`);
  return found;
}

function points(key: string, overrides: Record<string, unknown>, opts?: Parameters<typeof evaluateModel>[2]): number {
  const p = item(key, overrides, opts).points;
  if (!p.ok) throw new Error(`${key}: ${p.error.code} ${p.error.message.en}`);
  return p.value;
}

function errorOf(key: string, overrides: Record<string, unknown>) {
  const p = item(key, overrides).points;
  if (p.ok) throw new Error(`${key} should be an error, got ${p.value}`);
  return p.error;
}

describe("full marks baseline", () => {
  it("the plain points of all 12 items add up to 100 (docs/domain.md §8)", () => {
    // 25 + 10 + 5 + 10 + 10 + 10 + 4 + 6 + 5 + 5 + 5 + 5 = 100
    const r = score({});
    expect(r.total).toEqual({ ok: true, value: 100 });
    expect(r.items.map((i) => i.key)).toEqual([
      "salesCompletion", "salesGrowth", "newAccounts", "infoCollection", "teamwork", "knowledge",
      "judgement", "communication", "attendance", "conduct", "responsibility", "service",
    ]);
    expect(r.warning).toBe(false);
  });
});

describe("销售完成率 salesCompletion (25, ±1 per full 5 percentage points)", () => {
  it("115% earns +3", () => {
    // 1,150,000 ÷ 1,000,000 = 115%; (115 − 100) / 5 = 3 full steps → 25 + 3
    expect(points("salesCompletion", { salesActual: 1_150_000, salesPlan: 1_000_000 })).toBe(28);
  });
  it("exactly 105% is one full step: +1", () => {
    // (105 − 100) / 5 = 1 → 25 + 1
    expect(points("salesCompletion", { salesActual: 1_050_000 })).toBe(26);
  });
  it("104.99% is not yet a full step", () => {
    // (104.99 − 100) / 5 = 0.998 → 0 full steps → 25
    expect(points("salesCompletion", { salesActual: 1_049_900 })).toBe(25);
  });
  it("exactly 100% is the plain 25", () => {
    expect(points("salesCompletion", { salesActual: 1_000_000 })).toBe(25);
  });
  it("96% is within one step below: 0", () => {
    // 100 − 96 = 4 < 5 → no full step → 25
    expect(points("salesCompletion", { salesActual: 960_000 })).toBe(25);
  });
  it("exactly 95% is one full step below: −1", () => {
    // 100 − 95 = 5 → 1 full step → 25 − 1
    expect(points("salesCompletion", { salesActual: 950_000 })).toBe(24);
  });
  it("94.99% is still one full step below: −1 (not two)", () => {
    // 100 − 94.99 = 5.01 → 1 full step (5.01 / 5 = 1.002) → 25 − 1
    expect(points("salesCompletion", { salesActual: 949_900 })).toBe(24);
  });
  it("90% is −2 and 89.99% is −2", () => {
    // 10 / 5 = 2; 10.01 / 5 = 2.002 → 2 full steps → 23
    expect(points("salesCompletion", { salesActual: 900_000 })).toBe(23);
    expect(points("salesCompletion", { salesActual: 899_900 })).toBe(23);
  });
  it("decides steps on fen, not floats: 0.1 + 0.2-style amounts land exactly", () => {
    // plan 0.3 yuan = 30 fen; actual 0.345 → 34.5 fen rounds half away → 35 fen;
    // 35 / 30 = 116.67% → (116.67 − 100) / 5 = 3.33 → 3 full steps → 28
    expect(points("salesCompletion", { salesActual: 0.345, salesPlan: 0.1 + 0.2 })).toBe(28);
    // 1,149,999.99 / 1,000,000 = 114.999999% → 2 full steps → 27
    expect(points("salesCompletion", { salesActual: 1_149_999.99 })).toBe(27);
  });
  it("a very low completion stops at the floor 0", () => {
    // 0% → 100 / 5 = 20 steps → 25 − 20 = 5; still ≥ 0
    expect(points("salesCompletion", { salesActual: 0 })).toBe(5);
  });
  it("bonuses are uncapped by default", () => {
    // 300% → 200 / 5 = 40 steps → 25 + 40 = 65
    expect(points("salesCompletion", { salesActual: 3_000_000 })).toBe(65);
  });
  it("sums beyond the safe-integer range of fen × 100 fall back to exact BigInt arithmetic", () => {
    // plan 1e12 yuan = 1e14 fen; actual 1.15e12 → 115% → +3 → 28 (1.15e16 > 2^53 in the cross-product)
    expect(points("salesCompletion", { salesActual: 1_150_000_000_000, salesPlan: 1_000_000_000_000 })).toBe(28);
  });
  it("zero plan is #DIV/0! naming salesPlan, and so is the total", () => {
    const r = score({ salesPlan: 0 });
    expect(r.total.ok).toBe(false);
    if (!r.total.ok) {
      expect(r.total.error.code).toBe("div0");
      expect(r.total.error.arg).toBe("salesPlan");
    }
    expect(errorOf("salesCompletion", { salesPlan: 0 }).code).toBe("div0");
  });
  it("explains in both languages", () => {
    const e = item("salesCompletion", { salesActual: 1_150_000 }).explanation;
    expect(e.zh).toBe("销售完成率 115%：高于100% 3 档，+3 → 28");
    expect(e.en).toBe("Sales completion 115%: 3 steps above 100%, +3 → 28");
    const below = item("salesCompletion", { salesActual: 949_900 }).explanation;
    expect(below.zh).toBe("销售完成率 94.99%：低于100% 1 档，−1 → 24");
    expect(below.en).toBe("Sales completion 94.99%: 1 step below 100%, −1 → 24");
  });
});

describe("销售增长率 salesGrowth (10, +1 per full 100,000 yuan over last quarter)", () => {
  it("+250,000 yuan is 2 full steps", () => {
    // 1,250,000 − 1,000,000 = 250,000 → 2 full steps of 100,000 → 10 + 2
    expect(points("salesGrowth", { salesActual: 1_250_000, salesLastQuarter: 1_000_000 })).toBe(12);
  });
  it("+99,999.99 yuan is not a full step", () => {
    expect(points("salesGrowth", { salesActual: 1_099_999.99, salesLastQuarter: 1_000_000 })).toBe(10);
  });
  it("exactly +100,000 yuan is one step", () => {
    expect(points("salesGrowth", { salesActual: 1_100_000, salesLastQuarter: 1_000_000 })).toBe(11);
  });
  it("negative growth deducts nothing", () => {
    // 800,000 − 1,000,000 = −200,000 → no deduction → 10
    const it = item("salesGrowth", { salesActual: 800_000, salesLastQuarter: 1_000_000 });
    expect(it.points).toEqual({ ok: true, value: 10 });
    expect(it.explanation.en).toBe("Sales growth: 200,000 yuan below last quarter, no deduction for negative growth, ±0 → 10");
  });
});

describe("新客户开发 newAccounts (5, +1 per account above plan, −1 per full 2 below)", () => {
  it("2 above plan → +2", () => {
    // 6 − 4 = 2 above → 5 + 2
    expect(points("newAccounts", { newAccounts: 6, newAccountsPlan: 4 })).toBe(7);
  });
  it("1 below plan is not a full 2 → 5", () => {
    expect(points("newAccounts", { newAccounts: 3, newAccountsPlan: 4 })).toBe(5);
  });
  it("3 below plan → one full 2 → −1", () => {
    // 1 − 4 = −3 → floor(3 / 2) = 1 → 5 − 1
    expect(points("newAccounts", { newAccounts: 1, newAccountsPlan: 4 })).toBe(4);
  });
  it("12 below plan → 6 full pairs → floor 0, never negative", () => {
    // 5 − 6 = −1 → floor 0
    const it = item("newAccounts", { newAccounts: 0, newAccountsPlan: 12 });
    expect(it.points).toEqual({ ok: true, value: 0 });
    expect(it.explanation.en).toMatch(/→ 0 \(floor 0\)$/);
  });
  it("a fractional count is #NUM!", () => {
    expect(errorOf("newAccounts", { newAccounts: 2.5 }).code).toBe("num");
  });
});

describe("市场信息收集 / 团队协作 ratings 0–10", () => {
  it("the rating is the points", () => {
    expect(points("infoCollection", { infoCollection: 7.5 })).toBe(7.5);
    expect(points("teamwork", { teamwork: 8 })).toBe(8);
  });
  it("above 10 is #NUM!", () => {
    expect(errorOf("teamwork", { teamwork: 11 }).code).toBe("num");
  });
});

describe("专业知识 knowledge: sum of criteria 4 + 3 + 2 + 1", () => {
  it("as a points number", () => {
    // products 4 + post 2 = 6
    expect(points("knowledge", { knowledge: 6 })).toBe(6);
  });
  it("as a list of criteria names (zh, en, ids, a range)", () => {
    // 产品 4 + 行业 3 = 7
    expect(points("knowledge", { knowledge: "产品、行业" })).toBe(7);
    // industry 3 + related 1 = 4
    expect(points("knowledge", { knowledge: "industry & market, related business" })).toBe(4);
    // products 4 + industry 3 + post 2 + related 1 = 10
    expect(points("knowledge", { knowledge: [["products", "industry", "post", "related"]] })).toBe(10);
  });
  it("explains the criteria met", () => {
    expect(item("knowledge", { knowledge: "产品,行业" }).explanation.zh).toBe("专业知识：产品知识 4 + 行业与市场 3 → 7");
  });
  it("an unknown criterion is #VALUE!, a number that no criteria add up to is #NUM!", () => {
    expect(errorOf("knowledge", { knowledge: "painting" }).code).toBe("value");
    expect(errorOf("knowledge", { knowledge: 6.5 }).code).toBe("num");
    expect(errorOf("knowledge", { knowledge: 11 }).code).toBe("num");
  });
});

describe("分析判断能力 judgement 4/3.5/3/2.5 and 沟通能力 communication 6/5.5/5/4.5", () => {
  it("by number", () => {
    expect(points("judgement", { judgement: 3.5 })).toBe(3.5);
    expect(points("communication", { communication: 4.5 })).toBe(4.5);
  });
  it("by name in zh and en (case, space and width-insensitive)", () => {
    expect(points("judgement", { judgement: "较强" })).toBe(3.5);
    expect(points("judgement", { judgement: "Fairly Strong" })).toBe(3.5);
    expect(points("judgement", { judgement: "ｗｅａｋ" })).toBe(2.5);
    expect(points("communication", { communication: "一般" })).toBe(5);
  });
  it("a value that is no level is #VALUE! naming the input", () => {
    const e = errorOf("judgement", { judgement: 3.8 });
    expect(e.code).toBe("value");
    expect(e.arg).toBe("judgement");
  });
});

describe("员工出勤率 attendance (5, −1 per day below full; full = days in month − 4)", () => {
  it("by absenceDays", () => {
    // 2 days short → 5 − 2
    expect(points("attendance", { absenceDays: 2 })).toBe(3);
  });
  it("a half day short is not a full day", () => {
    expect(points("attendance", { absenceDays: 0.5 })).toBe(5);
  });
  it("by attendanceDays + month 2026-02: full = 28 − 4 = 24", () => {
    // 24 − 22 = 2 short → 5 − 2 = 3
    const it = item("attendance", { absenceDays: undefined, attendanceDays: 22, month: "2026-02" });
    expect(it.points).toEqual({ ok: true, value: 3 });
    expect(it.explanation.zh).toBe("员工出勤率：出勤 22 天，满勤 24 天（2026-02：28 − 4），缺勤 2 天，−2 → 3");
  });
  it("by attendanceDays + a quarter: full = Σ (days − 4) over its months", () => {
    // 2026-Q1: (31 − 4) + (28 − 4) + (31 − 4) = 27 + 24 + 27 = 78; 75 attended → 3 short → 5 − 3
    expect(points("attendance", { absenceDays: undefined, attendanceDays: 75, month: "2026-Q1" })).toBe(2);
  });
  it("the month may also be an Excel date serial (46054 = 2026-02-01) or come from the options", () => {
    expect(points("attendance", { absenceDays: undefined, attendanceDays: 24, month: 46054 })).toBe(5);
    // 2026-04: 30 − 4 = 26; 20 attended → 6 short → 5 − 6 → floor 0
    expect(points("attendance", { absenceDays: undefined, attendanceDays: 20 }, { period: "2026-04" })).toBe(0);
  });
  it("attendanceDays without a month is #N/A naming month", () => {
    const e = errorOf("attendance", { absenceDays: undefined, attendanceDays: 20 });
    expect(e.code).toBe("na");
    expect(e.arg).toBe("month");
  });
  it("neither absenceDays nor attendanceDays is #N/A naming absenceDays", () => {
    const e = errorOf("attendance", { absenceDays: undefined });
    expect(e.code).toBe("na");
    expect(e.arg).toBe("absenceDays");
  });
});

describe("日常行为规范 conduct (5: late bands, field-day bands, −2 per violation)", () => {
  it("late 1–3 −1, 4–6 −2, ≥ 7 −3", () => {
    expect(points("conduct", { lateCount: 0 })).toBe(5);
    expect(points("conduct", { lateCount: 1 })).toBe(4);
    expect(points("conduct", { lateCount: 3 })).toBe(4);
    expect(points("conduct", { lateCount: 4 })).toBe(3);
    expect(points("conduct", { lateCount: 6 })).toBe(3);
    expect(points("conduct", { lateCount: 7 })).toBe(2);
  });
  it("unreported field days in a month: ≤ 5 free, 6–10 −1, > 10 −2", () => {
    expect(points("conduct", { unreportedFieldDays: 5 })).toBe(5);
    expect(points("conduct", { unreportedFieldDays: 6 })).toBe(4);
    expect(points("conduct", { unreportedFieldDays: 10 })).toBe(4);
    expect(points("conduct", { unreportedFieldDays: 11 })).toBe(3);
  });
  it("for a quarter the limits scale by 3 months: ≤ 15 free, 16–30 −1, > 30 −2", () => {
    expect(points("conduct", { unreportedFieldDays: 15, month: "2026-Q3" })).toBe(5);
    expect(points("conduct", { unreportedFieldDays: 16, month: "2026-Q3" })).toBe(4);
    expect(points("conduct", { unreportedFieldDays: 30, month: "2026-Q3" })).toBe(4);
    expect(points("conduct", { unreportedFieldDays: 31, month: "2026-Q3" })).toBe(3);
    // the late bands do not scale (docs/contracts.md §1.3 scales only the field-day rule): 4 late in a quarter → −2
    expect(points("conduct", { lateCount: 4, month: "2026-Q3" })).toBe(3);
  });
  it("violations −2 each, and the sum stops at 0", () => {
    expect(points("conduct", { violations: 1 })).toBe(3);
    // late 4 → −2, field days 12 → −2, 1 violation → −2: 5 − 6 = −1 → floor 0
    const it = item("conduct", { lateCount: 4, unreportedFieldDays: 12, violations: 1 });
    expect(it.points).toEqual({ ok: true, value: 0 });
    expect(it.explanation.en).toBe("Conduct: late 4 −2; unreported field days 12 (limit 5/month × 1) −2; violations 1 −2 → 0 (floor 0)");
  });
  it("counts default to 0 when absent; a negative count is #NUM!, text is #VALUE!", () => {
    expect(points("conduct", {})).toBe(5);
    const neg = errorOf("conduct", { lateCount: -1 });
    expect(neg.code).toBe("num");
    expect(neg.arg).toBe("lateCount");
    const text = errorOf("conduct", { violations: "many" });
    expect(text.code).toBe("value");
    expect(text.arg).toBe("violations");
  });
});

describe("责任感 responsibility 5 / 4.5 / 0–3", () => {
  it("fixed levels and a number within the careless range", () => {
    expect(points("responsibility", { responsibility: 5 })).toBe(5);
    expect(points("responsibility", { responsibility: "自觉负责" })).toBe(4.5);
    expect(points("responsibility", { responsibility: 2 })).toBe(2);
  });
  it("3.5 and 4 are no level → #VALUE!; the careless name without a score → #VALUE!", () => {
    expect(errorOf("responsibility", { responsibility: 4 }).code).toBe("value");
    expect(errorOf("responsibility", { responsibility: "工作马虎" }).code).toBe("value");
  });
});

describe("服务意识 service (5, −5 per complaint)", () => {
  it("one complaint costs all 5, two stop at 0", () => {
    expect(points("service", { complaints: 0 })).toBe(5);
    expect(points("service", { complaints: 1 })).toBe(0);
    // 5 − 10 = −5 → floor 0
    expect(points("service", { complaints: 2 })).toBe(0);
  });
});

describe("errors of a row (docs/contracts.md §2)", () => {
  it("a missing required input is #N/A naming it, and the total carries the first item error", () => {
    const r = score({ salesPlan: undefined, teamwork: undefined });
    expect(r.total.ok).toBe(false);
    if (!r.total.ok) {
      // salesCompletion (item 1) comes before teamwork (item 5)
      expect(r.total.error.code).toBe("na");
      expect(r.total.error.arg).toBe("salesPlan");
      expect(r.total.error.message.en).toContain("Planned sales");
    }
    const tw = r.items.find((i) => i.key === "teamwork")!;
    expect(tw.points.ok).toBe(false);
    expect(tw.explanation.zh).toBe("团队协作：#N/A teamwork: 缺少输入“团队协作”");
    expect(r.warning).toBe(false);
  });
  it("text in a number input is #VALUE! naming it; numeric text is read", () => {
    const e = errorOf("salesCompletion", { salesActual: "abc" });
    expect(e.code).toBe("value");
    expect(e.arg).toBe("salesActual");
    expect(points("salesCompletion", { salesActual: "1,150,000" })).toBe(28);
  });
  it("negative money is #NUM!", () => {
    expect(errorOf("salesGrowth", { salesLastQuarter: -1 }).code).toBe("num");
  });
});

describe("a full row worked by hand", () => {
  it("totals 87.5 and explains every item", () => {
    const r = evaluateModel(manager, {
      salesActual: 1_150_000, // 115% → 25 + 3 = 28
      salesPlan: 1_000_000,
      salesLastQuarter: 900_000, // +250,000 → 10 + 2 = 12
      newAccounts: 3, // 3 below plan 6 → one full 2 → 5 − 1 = 4
      newAccountsPlan: 6,
      infoCollection: 8, // 8
      teamwork: 9, // 9
      knowledge: "产品、行业", // 4 + 3 = 7
      judgement: "较强", // 3.5
      communication: 5.5, // 5.5
      attendanceDays: 22, // 2026-02: 28 − 4 = 24 full; 2 short → 3
      month: "2026-02",
      lateCount: 4, // −2
      unreportedFieldDays: 12, // −2
      violations: 1, // −2 → 5 − 6 → floor 0
      responsibility: 2.5, // 2.5
      complaints: 0, // 5
    });
    // 28 + 12 + 4 + 8 + 9 + 7 + 3.5 + 5.5 + 3 + 0 + 2.5 + 5 = 87.5
    expect(r.total).toEqual({ ok: true, value: 87.5 });
    expect(r.items.map((i) => (i.points.ok ? i.points.value : null))).toEqual([28, 12, 4, 8, 9, 7, 3.5, 5.5, 3, 0, 2.5, 5]);
    expect(r.warning).toBe(false);
    for (const i of r.items) {
      const v = i.points.ok ? i.points.value : NaN;
      expect(i.explanation.zh).toMatch(new RegExp(`^${i.label.zh}.* → ${v}(（最低 0 分）)?$`));
      expect(i.explanation.en).toMatch(new RegExp(`^${i.label.en}.* → ${v}( \\(floor 0\\))?$`));
    }
  });
  it("a total below 60 earns the verbal warning; exactly 60 does not", () => {
    // 100 − 25 (salesCompletion 0% → 25 − 20 = 5: −20) − 10 (teamwork 0) − 10 (infoCollection 0) = 60
    const at60 = score({ salesActual: 0, salesLastQuarter: 0, teamwork: 0, infoCollection: 0 });
    expect(at60.total).toEqual({ ok: true, value: 60 });
    expect(at60.warning).toBe(false);
    // one complaint more: 60 − 5 = 55
    const below = score({ salesActual: 0, salesLastQuarter: 0, teamwork: 0, infoCollection: 0, complaints: 1 });
    expect(below.total).toEqual({ ok: true, value: 55 });
    expect(below.warning).toBe(true);
  });
});

describe("headers", () => {
  it("resolves keys, zh and en names, case/space/full-width-insensitive; ignores unknown headers", () => {
    const r = resolveHeaders(manager, ["姓名", "实际完成销售额", "Sales Plan", "ＳＡＬＥＳ　ＬＡＳＴ　ＱＵＡＲＴＥＲ", "迟到次数", null, 42, "absence days"]);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.columns).toEqual({ salesActual: 1, salesPlan: 2, salesLastQuarter: 3, lateCount: 4, absenceDays: 7 });
      expect(r.value.keys[0]).toBeUndefined();
    }
  });
  it("two columns for one input → #VALUE! naming it", () => {
    const r = resolveHeaders(manager, ["salesPlan", "计划完成销售额"]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("value");
      expect(r.error.arg).toBe("salesPlan");
    }
  });
  it("evaluates a 2-D range under a zh header row", () => {
    const header = ["实际完成销售额", "计划完成销售额", "上季销售额", "新开发客户数", "计划开发新客户数", "市场信息收集", "团队协作", "专业知识", "分析判断能力", "沟通能力", "缺勤天数", "责任感", "客户投诉次数"];
    const h = resolveHeaders(manager, header);
    expect(h.ok).toBe(true);
    if (!h.ok) return;
    const rows = [
      [1_150_000, 1_000_000, 1_000_000, 4, 4, 10, 10, 10, "强", 6, 0, 5, 0], // 100 + 3 (completion) + 1 (growth 150,000) = 104
      [1_000_000, 0, 1_000_000, 4, 4, 10, 10, 10, 4, 6, 0, 5, 0], // zero plan → #DIV/0!
      [1_000_000, 1_000_000, 1_000_000, 4, 4, 10, 10, 10, 4, 6, 0, 5, 1], // one complaint → 95
    ];
    const t = evaluateRows(manager, h.value, rows);
    expect(Array.from(t.totals.slice(0, 1))).toEqual([104]);
    expect(Number.isNaN(t.totals[1])).toBe(true);
    expect(t.totals[2]).toBe(95);
    expect(t.errorRows).toEqual([1]);
    const bad = t.result(1);
    expect(bad.total.ok ? null : bad.total.error.code).toBe("div0");
  });
  it("evaluateModel also accepts header names as keys", () => {
    const r = evaluateModel(manager, { ...FULL_MARKS, salesActual: undefined, 实际完成销售额: 1_150_000 });
    // 100 + 3 (115%) + 1 (growth 150,000 → 1 step) = 104
    expect(r.total).toEqual({ ok: true, value: 104 });
  });
});

describe("columnar fast path", () => {
  it("agrees with the exact path row by row, including text cells and errors", () => {
    const rows: Record<string, unknown>[] = [
      { ...FULL_MARKS },
      { ...FULL_MARKS, judgement: "一般", knowledge: "产品" }, // 100 − 1 (judgement 3) − 6 (knowledge 4) = 93
      { ...FULL_MARKS, absenceDays: "", attendanceDays: 70, month: "2026-Q2" }, // Q2 full = 26 + 27 + 26 = 79; 9 short → 5 − 9 → 0 → 95
      { ...FULL_MARKS, salesActual: "x" }, // #VALUE!
    ];
    const columns: Record<string, unknown[]> = {};
    for (const key of manager.inputs.map((i) => i.key)) columns[key] = rows.map((r) => r[key]);
    const t = evaluateColumns(compileModel(manager), columns);
    expect(t.totals[0]).toBe(100);
    expect(t.totals[1]).toBe(93);
    expect(t.totals[2]).toBe(95);
    expect(t.errorRows).toEqual([3]);
    for (let i = 0; i < rows.length; i++) {
      const exact = evaluateModel(manager, rows[i]!);
      expect(exact.total.ok ? exact.total.value : NaN).toBe(t.totals[i]);
    }
  });
});

describe("ka-director (sales completion 40, archive 20, churn 20, new development 20)", () => {
  const base = { salesActual: 1_000_000, salesPlan: 1_000_000, archiveCompleteness: 1, accountsAtStart: 40, accountsLost: 2, newKeyAccounts: 5, newKeyAccountsPlan: 5 };
  const dir = (o: Record<string, unknown>) => evaluateModel(director, { ...base, ...o });
  const pts = (key: string, o: Record<string, unknown>) => {
    const p = dir(o).items.find((i) => i.key === key)!.points;
    return p.ok ? p.value : p.error.code;
  };
  it("on target everywhere is 100", () => {
    // churn 2 / 40 = 5% = the allowance → 20; 40 + 20 + 20 + 20 = 100
    expect(dir({}).total).toEqual({ ok: true, value: 100 });
  });
  it("sales completion: −2 per full 5 points below, +1 per full 5 above, capped at 50", () => {
    // 89% → 11 below → 2 full steps → 40 − 4 = 36
    expect(pts("salesPlanCompletion", { salesActual: 890_000 })).toBe(36);
    // 123% → 4 full steps → 40 + 4 = 44
    expect(pts("salesPlanCompletion", { salesActual: 1_230_000 })).toBe(44);
    // 200% → 20 steps → 60 → cap 50
    expect(pts("salesPlanCompletion", { salesActual: 2_000_000 })).toBe(50);
  });
  it("archive completeness as a ratio or a percentage text: −2 per full 5 points below 100%", () => {
    // 87% → 13 below → 2 full steps → 20 − 4 = 16
    expect(pts("archiveCompleteness", { archiveCompleteness: 0.87 })).toBe(16);
    expect(pts("archiveCompleteness", { archiveCompleteness: "87%" })).toBe(16);
    // 95% → exactly one step → 18; 95.01% → 4.99 below → 0 steps → 20
    expect(pts("archiveCompleteness", { archiveCompleteness: 0.95 })).toBe(18);
    expect(pts("archiveCompleteness", { archiveCompleteness: 0.9501 })).toBe(20);
    // above 1 is out of range
    expect(pts("archiveCompleteness", { archiveCompleteness: 1.2 })).toBe("num");
  });
  it("churn rate: −1 per full percentage point above 5%, lower churn earns no bonus", () => {
    // 5 / 40 = 12.5% → 7.5 above → 7 full points → 20 − 7 = 13
    expect(pts("churnRate", { accountsLost: 5 })).toBe(13);
    // 0 / 40 = 0% → 20 (no bonus below the allowance)
    expect(pts("churnRate", { accountsLost: 0 })).toBe(20);
    // no accounts at start → #DIV/0!
    expect(pts("churnRate", { accountsAtStart: 0 })).toBe("div0");
  });
  it("new development rate: −2 per full 10 points below, +1 per full 10 above", () => {
    // 3 / 4 = 75% → 25 below → 2 full steps → 20 − 4 = 16
    expect(pts("newDevelopmentRate", { newKeyAccounts: 3, newKeyAccountsPlan: 4 })).toBe(16);
    // 7 / 5 = 140% → 4 full steps → 24
    expect(pts("newDevelopmentRate", { newKeyAccounts: 7, newKeyAccountsPlan: 5 })).toBe(24);
  });
  it("a worked director row", () => {
    const r = dir({ salesActual: 1_230_000, archiveCompleteness: "87%", accountsLost: 5, newKeyAccounts: 3, newKeyAccountsPlan: 4 });
    // 44 + 16 + 13 + 16 = 89
    expect(r.total).toEqual({ ok: true, value: 89 });
    expect(r.items[2]!.explanation.zh).toBe("大客户流失率 12.5%：高于5% 7 档，−7 → 13");
  });
});
