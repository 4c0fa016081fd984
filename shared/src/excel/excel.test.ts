import { describe, expect, it } from "vitest";
import type { CollectionFigures } from "../collections.js";
import { ok } from "../errors.js";
import { asLang, asNumber, MAX_RANGE_CELLS, parseNumericText, toMatrix } from "./cells.js";
import { fromEvalResult, toEvalResult } from "./encoding.js";
import { evalPure, FUNCTION_IDS, functionIdOf } from "./eval.js";
import { accountFieldCell, archiveCell, parseAccountCall, parseArchiveCall, parseCollectionCall, parseTargetCall, pickCollectionMeasure, targetCell } from "./store.js";

const H = ["实际完成销售额", "计划完成销售额", "上季销售额", "新开发客户数", "计划开发新客户数", "市场信息收集", "团队协作", "专业知识", "分析判断能力", "沟通能力", "缺勤天数", "责任感"];
// docs/domain.md §8: 115% → 28; growth 200,000 → 12; 3 vs 2 → 6; 8; 9; 10; 4; 6; attendance 5; conduct 5; 5; service 5 = 103
const ROW = [1_150_000, 1_000_000, 950_000, 3, 2, 8, 9, 10, "强", 6, 0, 5];

describe("cells", () => {
  it("reads numeric text as Excel does", () => {
    expect(parseNumericText("115%")).toBe(1.15); // 115 / 100, not 115 × 0.01 = 1.1500000000000001
    expect(parseNumericText("１,２００")).toBe(1200); // full-width digits and a thousands separator
    expect(parseNumericText("¥1,000.50")).toBe(1000.5);
    expect(parseNumericText("一百")).toBeUndefined();
  });

  it("number cells: empty → #N/A, text → #VALUE!, error cells keep their code, all naming the argument", () => {
    const e = (v: unknown) => {
      const r = asNumber(v, "plan");
      return r.ok ? r.value : [r.error.code, r.error.arg];
    };
    expect(e(null)).toEqual(["na", "plan"]);
    expect(e("abc")).toEqual(["value", "plan"]);
    expect(e(true)).toEqual(["value", "plan"]);
    expect(e({ error: { code: "#DIV/0!" } })).toEqual(["div0", "plan"]);
    expect(e({ code: "#REF!" })).toEqual(["value", "plan"]);
    expect(e(" 95% ")).toBe(0.95);
  });

  it("lang: zh*/en* and Chinese names; anything else is #VALUE!", () => {
    expect(asLang("zh-CN", "en")).toEqual(ok("zh"));
    expect(asLang("英文", "zh")).toEqual(ok("en"));
    expect(asLang(null, "zh")).toEqual(ok("zh"));
    expect(asLang("fr", "zh").ok).toBe(false);
  });

  it("ranges: ragged rows are padded; ranges beyond the limit are #NUM!", () => {
    expect(toMatrix([[1], [2, 3]], "x")).toEqual(ok([[1, null], [2, 3]]));
    expect(toMatrix([1, 2], "x")).toEqual(ok([[1, 2]])); // a JSON row
    const huge = toMatrix(Array.from({ length: MAX_RANGE_CELLS / 2 + 1 }, () => [1, 2]), "values");
    expect(huge.ok ? "ok" : [huge.error.code, huge.error.arg]).toEqual(["num", "values"]);
  });
});

describe("functions on Excel shapes", () => {
  it("SCORE: headers as a column score people given as columns (answers across)", () => {
    const columns = ROW.map((v) => [v, v]); // two identical people side by side
    expect(evalPure("SCORE", [columns, H.map((h) => [h])], "zh")).toEqual([[103, 103]]);
    // headers inside the first column
    expect(evalPure("SCORE", [H.map((h, i) => [h, ROW[i]])], "zh")).toBe(103);
  });

  it("SCORE: trailing empty rows (a whole-column reference) are not answered", () => {
    const rows = [ROW, ROW, ...Array.from({ length: 1000 }, () => H.map(() => null))];
    expect(evalPure("SCORE", [rows, [H]], "zh")).toEqual([[103], [103]]);
  });

  it("lifting broadcasts a row against a column like Excel", () => {
    // actual 100 and 200 (column) ÷ plan 100, 400 (row) → [[1, .25], [2, .5]]
    expect(evalPure("COMPLETION", [[[100], [200]], [[100, 400]]], "en")).toEqual([
      [1, 0.25],
      [2, 0.5],
    ]);
  });

  it("ABC with a value that is not in the list is #N/A", () => {
    const r = evalPure("ABC", [7, [[10], [20]]], "en");
    expect(typeof r === "object" && !Array.isArray(r) && r.code).toBe("na");
  });

  it("unknown and store-backed ids are errors, never exceptions", () => {
    expect(evalPure("NOPE", [], "en")).toMatchObject({ code: "value" });
    expect(evalPure("COLLECTION", ["*", "2026"], "en")).toMatchObject({ code: "na" });
    expect(functionIdOf("kam.score.items")).toBe("SCORE.ITEMS");
    expect(FUNCTION_IDS).toHaveLength(20);
  });
});

describe("/v1/eval encoding (docs/contracts.md §3)", () => {
  it("one cell is a scalar, a one-cell error the top-level error, matrices carry error objects", () => {
    expect(toEvalResult(0.5, "en")).toEqual({ value: 0.5 });
    expect(toEvalResult([[7]], "en")).toEqual({ value: 7 });
    const div0 = evalPure("COMPLETION", [1, 0], "en");
    expect(toEvalResult(div0, "en")).toEqual({ error: { code: "#DIV/0!", message: "plan: planned sales is 0, the ratio is undefined" } });
    const m = evalPure("COMPLETION", [[[1], [1]], [[2], [0]]], "zh");
    expect(toEvalResult(m, "zh")).toEqual({ value: [[0.5], [{ error: { code: "#DIV/0!", message: "plan[2,1]: 计划销售额为 0，无法计算比率" } }]] });
    // and back (the add-in reading an answer)
    const back = fromEvalResult(toEvalResult(m, "zh"));
    expect(Array.isArray(back) && back[1]![0]).toMatchObject({ code: "div0" });
  });
});

describe("store-backed calls", () => {
  it("COLLECTION: scope grammar, period, measure names; one query key per (scope, period)", () => {
    const a = parseCollectionCall(["team:east", "2026q3", "已回款"], "zh");
    const b = parseCollectionCall(["team:east", "2026-Q3", null], "zh");
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.value.scope).toEqual({ kind: "team", id: "east" });
    expect(a.value.measure).toBe("collected");
    expect(b.value.measure).toBe("rate");
    expect(a.value.queryKey).toBe(b.value.queryKey);
    expect(a.value.key).not.toBe(b.value.key);
    const bad = parseCollectionCall(["*", "2026-Q3", "profit"], "en");
    expect(bad.ok ? "" : bad.error.arg).toBe("measure");
    const noPeriod = parseCollectionCall(["*", null], "en");
    expect(noPeriod.ok ? "" : noPeriod.error.code).toBe("na");
  });

  it("pickCollectionMeasure: yuan amounts, the rate, #DIV/0! when nothing is due", () => {
    const fig: CollectionFigures = {
      dueYuan: 1000, collectedYuan: 950, rate: ok(0.95), creditYuan: 20, advanceYuan: 0, priorCollectedYuan: 0, paidYuan: 970,
      overdueYuan: 50, overdue90Yuan: 10, ageing: { d1_30: 40, d31_60: 0, d61_90: 0, over90: 10 },
    };
    expect(["rate", "due", "collected", "credit", "overdue", "overdue90"].map((m) => pickCollectionMeasure(fig, m as never))).toEqual([0.95, 1000, 950, 20, 50, 10]);
    const none = { ...fig, rate: { ok: false as const, error: { code: "div0" as const, arg: "due", message: { zh: "", en: "" } } } };
    expect(pickCollectionMeasure(none, "rate")).toMatchObject({ code: "div0" });
  });

  it("TARGET and ACCOUNT parse and format", () => {
    const t = parseTargetCall(["u-li", "2026", "经理"], "en");
    expect(t.ok && t.value.level).toBe("manager");
    if (t.ok) expect(targetCell(undefined, t.value)).toMatchObject({ code: "na" });
    const a = parseAccountCall(["account:acc-1", "客户等级"], "zh");
    expect(a.ok && [a.value.account, a.value.field]).toEqual(["acc-1", "grade"]);
    expect(accountFieldCell({ stage: "relate" }, "stage", "zh")).toBe("与关键决策人建立关系");
    expect(accountFieldCell({ paymentAttitude: "prompt" }, "paymentAttitude", "en")).toBe("Prompt");
    expect(accountFieldCell({}, "class", "zh", ["strategic", "quality"])).toBe("优质客户, 战略客户");
    expect(accountFieldCell({}, "owner", "zh")).toBe("");
  });

  it("ACCOUNT: deal status, scope, depth labels; the termination record's members; reviewStale around 183 days", () => {
    expect(accountFieldCell({ dealStatus: "terminated" }, "dealStatus", "zh")).toBe("终止");
    expect(accountFieldCell({ accountScope: "national" }, "accountScope", "en")).toBe("National");
    expect(accountFieldCell({ cooperationDepth: "strategicAlliance" }, "cooperationDepth", "zh")).toBe("战略联盟");
    const t = { termination: { date: "2026-01-05", reason: "预算取消" } };
    expect(parseAccountCall(["acc-1", "终止原因"], "zh")).toMatchObject({ ok: true, value: { field: "termination.reason" } });
    expect([accountFieldCell(t, "termination.date", "en"), accountFieldCell(t, "termination.reason", "en"), accountFieldCell({}, "termination.date", "en")]).toEqual(["2026-01-05", "预算取消", ""]);
    expect(parseAccountCall(["acc-1", "档案待审查"], "zh")).toMatchObject({ ok: true, value: { field: "reviewStale" } });
    // 2026-01-01 + 183 days = 2026-07-03: stale only after that.
    expect(accountFieldCell({ lastReviewed: "2026-01-01" }, "reviewStale", "en", undefined, "2026-07-03")).toBe(false);
    expect(accountFieldCell({ lastReviewed: "2026-01-01" }, "reviewStale", "en", undefined, "2026-07-04")).toBe(true);
    expect(accountFieldCell({}, "reviewStale", "en", undefined, "2026-07-04")).toBe(true);
    expect(accountFieldCell({ lastReviewed: "2026-01-01" }, "lastReviewed", "en")).toBe("2026-01-01");
  });

  it("ARCHIVE parses like ACCOUNT (one read per account) and answers filled ÷ required", () => {
    const a = parseArchiveCall(["account:acc-1", "zh"], "en");
    expect(a.ok && [a.value.account, a.value.lang, a.value.queryKey]).toEqual(["acc-1", "zh", "ACCOUNT|acc-1"]);
    const b = parseAccountCall(["acc-1", "grade"], "en");
    expect(b.ok && b.value.queryKey).toBe("ACCOUNT|acc-1");
    expect(parseArchiveCall([null], "en")).toMatchObject({ ok: false });
    expect(archiveCell({ name: "x", owner: "m", contacts: [{ role: "决策者" }] })).toBeCloseTo(0.3);
    expect(archiveCell({})).toBe(0);
  });
});

describe("langOfCall", () => {
  it("the call's own lang argument wins; invalid or absent → the display language", async () => {
    const { langOfCall } = await import("./eval.js");
    expect(langOfCall("COMPLETION", [1, 2, "zh"], "en")).toBe("zh");
    expect(langOfCall("SCORE.ITEMS", [null, null, null, null, "en"], "zh")).toBe("en");
    expect(langOfCall("COMPLETION", [1, 2, "fr"], "zh")).toBe("zh");
    expect(langOfCall("ACCOUNT", ["a", "grade"], "zh")).toBe("zh");
  });
});
