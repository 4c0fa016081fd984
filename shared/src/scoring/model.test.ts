import { describe, expect, it } from "vitest";
import { BUILTIN_MODELS, getBuiltinModel } from "./builtins.js";
import { evaluateModel } from "./evaluate.js";
import { parseScoringModel, type ScoringModelInput } from "./model.js";
import kaManagerJson from "./builtins/ka-manager.json" with { type: "json" };

describe("built-in models", () => {
  it("each built-in JSON passes the schema unchanged: every default is written out", () => {
    // The built-ins are used without validation at run time (builtins.ts); this is their check.
    expect(BUILTIN_MODELS.length).toBeGreaterThan(0);
    for (const m of BUILTIN_MODELS) {
      const r = parseScoringModel(structuredClone(m));
      if (!r.ok) throw new Error(`${m.id}: ${r.error.message.en}`);
      expect(r.value, m.id).toStrictEqual(structuredClone(m));
    }
  });

  it("ka-manager reproduces the docs/domain.md §8 table: 12 items, groups and points", () => {
    const m = getBuiltinModel("ka-manager")!;
    expect(m.items.map((i) => [i.group, i.label.zh, i.key, i.points])).toEqual([
      ["sales", "销售完成率", "salesCompletion", 25],
      ["sales", "销售增长率", "salesGrowth", 10],
      ["sales", "新客户开发", "newAccounts", 5],
      ["qualitative", "市场信息收集", "infoCollection", 10],
      ["qualitative", "团队协作", "teamwork", 10],
      ["ability", "专业知识", "knowledge", 10],
      ["ability", "分析判断能力", "judgement", 4],
      ["ability", "沟通能力", "communication", 6],
      ["attitude", "员工出勤率", "attendance", 5],
      ["attitude", "日常行为规范", "conduct", 5],
      ["attitude", "责任感", "responsibility", 5],
      ["attitude", "服务意识", "service", 5],
    ]);
    // 25 + 10 + 5 + 10 + 10 + 10 + 4 + 6 + 5 + 5 + 5 + 5 = 100
    expect(m.items.reduce((t, i) => t + i.points, 0)).toBe(100);
    expect(m.items.every((i) => i.floor === 0)).toBe(true);
  });

  it("ka-manager carries every docs/domain.md §8 default as data", () => {
    const m = getBuiltinModel("ka-manager")!;
    expect(m.warningThreshold).toBe(60);
    expect(m.tierCutoffs).toEqual({ basicallyMet: 0.9, exceeded: 1.0, outstanding: 1.2 });
    const byKey = Object.fromEntries(m.items.map((i) => [i.key, i]));
    const completion = byKey.salesCompletion!;
    expect(completion.kind === "ratioSteps" && completion.params).toMatchObject({ targetPercent: 100, up: { stepPercent: 5, points: 1 }, down: { stepPercent: 5, points: 1 } });
    const growth = byKey.salesGrowth!;
    expect(growth.kind === "growthSteps" && growth.params).toMatchObject({ stepYuan: 100_000, pointsPerStep: 1, pointsPerStepDown: 0 });
    const conduct = byKey.conduct!;
    expect(conduct.kind === "eventDeductions" && conduct.params.rules.map((r) => r.bands ?? r.perEvent)).toEqual([
      [{ moreThan: 0, deduct: 1 }, { moreThan: 3, deduct: 2 }, { moreThan: 6, deduct: 3 }],
      [{ moreThan: 5, deduct: 1 }, { moreThan: 10, deduct: 2 }],
      2,
    ]);
    const attendance = byKey.attendance!;
    expect(attendance.kind === "attendance" && attendance.params).toMatchObject({ offDaysPerMonth: 4, pointsPerDay: 1 });
  });

  it("ka-manager has the input keys and zh headers of the source table; deduction counts default to 0", () => {
    const m = getBuiltinModel("ka-manager")!;
    expect(m.inputs.map((i) => [i.key, i.labels.zh])).toEqual([
      ["salesActual", "实际完成销售额"],
      ["salesPlan", "计划完成销售额"],
      ["salesLastQuarter", "上季销售额"],
      ["newAccounts", "新开发客户数"],
      ["newAccountsPlan", "计划开发新客户数"],
      ["infoCollection", "市场信息收集"],
      ["teamwork", "团队协作"],
      ["knowledge", "专业知识"],
      ["judgement", "分析判断能力"],
      ["communication", "沟通能力"],
      ["absenceDays", "缺勤天数"],
      ["attendanceDays", "出勤天数"],
      ["month", "月份"],
      ["lateCount", "迟到次数"],
      ["unreportedFieldDays", "未报到直接下市场次数"],
      ["violations", "违规次数"],
      ["responsibility", "责任感"],
      ["complaints", "客户投诉次数"],
    ]);
    const defaults = m.inputs.filter((i) => i.defaultValue !== undefined).map((i) => [i.key, i.defaultValue]);
    expect(defaults).toEqual([["lateCount", 0], ["unreportedFieldDays", 0], ["violations", 0], ["complaints", 0]]);
  });

  it("ka-director scores the four director KPIs to 100", () => {
    const d = getBuiltinModel("ka-director")!;
    expect(d.items.map((i) => [i.key, i.points])).toEqual([
      ["salesPlanCompletion", 40],
      ["archiveCompleteness", 20],
      ["churnRate", 20],
      ["newDevelopmentRate", 20],
    ]);
    expect(d.items.reduce((t, i) => t + i.points, 0)).toBe(100);
  });

  it("lookup is case-insensitive; unknown ids are undefined", () => {
    expect(getBuiltinModel(" KA-Manager ")?.id).toBe("ka-manager");
    expect(getBuiltinModel("nope")).toBeUndefined();
    expect(BUILTIN_MODELS.map((m) => m.id)).toEqual(["ka-manager", "ka-director"]);
  });
});

/** A small valid model to break in the tests below. */
function tiny(): ScoringModelInput {
  return {
    id: "tiny",
    name: { zh: "小", en: "Tiny" },
    version: 1,
    inputs: [
      { key: "rating", labels: { zh: "评分", en: "Rating" }, kind: "number", unit: "points", required: true, max: 10 },
      { key: "late", labels: { zh: "迟到", en: "Late" }, kind: "number", unit: "count", defaultValue: 0 },
    ],
    items: [
      { key: "quality", group: "g", label: { zh: "质量", en: "Quality" }, points: 10, kind: "rating", params: { input: "rating" } },
      {
        key: "conduct", group: "g", label: { zh: "纪律", en: "Conduct" }, points: 5, kind: "eventDeductions",
        params: { rules: [{ input: "late", perEvent: 1 }] },
      },
    ],
  };
}

function problems(json: unknown): string {
  const r = parseScoringModel(json);
  expect(r.ok).toBe(false);
  if (r.ok) return "";
  expect(r.error.code).toBe("value");
  expect(r.error.arg).toBe("model");
  return r.error.message.en;
}

describe("model JSON validation", () => {
  it("accepts a minimal model and fills the defaults of docs/domain.md §8 (warning 60, cut-offs 0.9/1.0/1.2, floor 0)", () => {
    const r = parseScoringModel(tiny());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.warningThreshold).toBe(60);
    expect(r.value.tierCutoffs).toEqual({ basicallyMet: 0.9, exceeded: 1.0, outstanding: 1.2 });
    expect(r.value.items[0]!.floor).toBe(0);
    // 7 + (5 − 2 × 1) = 10 → below 60 → warning
    const s = evaluateModel(r.value, { rating: 7, late: 2 });
    expect(s.total).toEqual({ ok: true, value: 10 });
    expect(s.warning).toBe(true);
  });

  it("the built-in JSON itself validates", () => {
    expect(parseScoringModel(kaManagerJson).ok).toBe(true);
  });

  it("never throws on garbage", () => {
    for (const g of [null, 42, "model", [], {}, { id: "x" }]) expect(parseScoringModel(g).ok).toBe(false);
  });

  it("names an item that uses an unknown input", () => {
    const m = tiny();
    (m.items[0] as { params: { input: string } }).params.input = "ratng";
    expect(problems(m)).toContain('items.0.params.input: item "quality" uses unknown input "ratng"');
  });

  it("rejects duplicate keys, floors above points and caps below points", () => {
    const m = tiny();
    m.items[1]!.key = "quality";
    m.items[0]!.floor = 11;
    const text = problems(m);
    expect(text).toContain('items.1.key: duplicate item key "quality"');
    expect(text).toContain('items.0.floor: item "quality": floor above points');
    const c = tiny();
    c.items[0]!.cap = 8;
    expect(problems(c)).toContain("cap below points");
  });

  it("rejects bands that do not ascend and rules with both perEvent and bands", () => {
    const m = tiny();
    (m.items[1] as { params: unknown }).params = { rules: [{ input: "late", bands: [{ moreThan: 3, deduct: 2 }, { moreThan: 1, deduct: 1 }] }] };
    expect(problems(m)).toContain("bands ascend by moreThan");
    const n = tiny();
    (n.items[1] as { params: unknown }).params = { rules: [{ input: "late", perEvent: 1, bands: [{ moreThan: 0, deduct: 1 }] }] };
    expect(problems(n)).toContain("either perEvent or bands");
  });

  it("rejects a header name shared by two inputs (after case/width folding)", () => {
    const m = tiny();
    m.inputs[1]!.synonyms = { zh: [], en: ["ＲＡＴＩＮＧ"] };
    expect(problems(m)).toContain('names both "rating" and "late"');
  });

  it("rejects a required input with a default, and an unknown item kind", () => {
    const m = tiny();
    m.inputs[0]!.defaultValue = 5;
    expect(problems(m)).toContain("is required and has a default");
    const k = tiny() as unknown as { items: { kind: string }[] };
    k.items[0]!.kind = "lottery";
    expect(problems(k)).toMatch(/items\.0\.kind/);
  });

  it("rejects a growth item on a count input and a step with more than 4 decimals", () => {
    const m = tiny();
    m.items.push({ key: "growth", group: "g", label: { zh: "增长", en: "Growth" }, points: 10, kind: "growthSteps", params: { current: "late", previous: "late", stepYuan: 100_000, pointsPerStep: 1 } });
    expect(problems(m)).toContain('input "late" must have unit yuan');
    const r = tiny();
    r.inputs.push({ key: "a", labels: { zh: "甲", en: "A" }, kind: "number", unit: "yuan", required: true }, { key: "b", labels: { zh: "乙", en: "B" }, kind: "number", unit: "yuan", required: true });
    r.items.push({ key: "ratio", group: "g", label: { zh: "比", en: "Ratio" }, points: 10, kind: "ratioSteps", params: { numerator: "a", denominator: "b", up: { stepPercent: 2.00001, points: 1 }, down: { stepPercent: 5, points: 1 } } });
    expect(problems(r)).toContain("at most 4 decimals");
  });

  it("a model-set cap stops a bonus; a model-set floor may be above 0", () => {
    const m = tiny();
    m.inputs.push({ key: "a", labels: { zh: "甲", en: "A" }, kind: "number", unit: "yuan", required: true }, { key: "b", labels: { zh: "乙", en: "B" }, kind: "number", unit: "yuan", required: true });
    m.items.push({ key: "ratio", group: "g", label: { zh: "比", en: "Ratio" }, points: 10, cap: 12, floor: 4, kind: "ratioSteps", params: { numerator: "a", denominator: "b", up: { stepPercent: 2.5, points: 1 }, down: { stepPercent: 5, points: 2 } } });
    const r = parseScoringModel(m);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ratio = (a: number, b: number) => {
      const p = evaluateModel(r.value, { rating: 10, a, b }).items[2]!.points;
      return p.ok ? p.value : NaN;
    };
    // 107.5% → (107.5 − 100) / 2.5 = 3 steps → 13 → cap 12
    expect(ratio(107.5, 100)).toBe(12);
    // 105% → 2 steps → 12; 104.99% → 1 step → 11
    expect(ratio(105, 100)).toBe(12);
    expect(ratio(104.99, 100)).toBe(11);
    // 50% → 10 steps × 2 = −20 → −10 → floor 4
    expect(ratio(50, 100)).toBe(4);
    const e = evaluateModel(r.value, { rating: 10, a: 107.5, b: 100 }).items[2]!.explanation;
    expect(e.en).toBe("Ratio 107.5%: 3 steps above 100%, +3 → 12 (cap 12)");
  });
});
