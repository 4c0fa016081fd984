import { describe, expect, it } from "vitest";
import { accountClasses, formatClasses, HIGH_VALUE_THRESHOLD_YUAN, paymentCreditGood, QUALITY_THRESHOLD_YUAN } from "./classes.js";

describe("account classes (docs/domain.md §3.1)", () => {
  it("default thresholds are 1千万 yuan", () => {
    expect(QUALITY_THRESHOLD_YUAN).toBe(10_000_000);
    expect(HIGH_VALUE_THRESHOLD_YUAN).toBe(10_000_000);
  });

  it("quality: cumulative > 1千万 strictly, with credit good (爽快)", () => {
    // 10,000,000.01 > 10,000,000 → quality; exactly 10,000,000 is not "> T"
    expect(accountClasses({ cumulativeSalesYuan: 10_000_000.01, paymentAttitude: "爽快" })).toEqual({ ok: true, value: ["quality"] });
    expect(accountClasses({ cumulativeSalesYuan: 10_000_000, paymentAttitude: "爽快" })).toEqual({ ok: true, value: [] });
  });

  it("quality needs good payment credit: 迟缓 or a > 90-day overdue receivable fails it", () => {
    expect(accountClasses({ cumulativeSalesYuan: 30_000_000, paymentAttitude: "迟缓" })).toEqual({ ok: true, value: [] });
    expect(accountClasses({ cumulativeSalesYuan: 30_000_000, paymentAttitude: "一般", hasOverdueOver90: true })).toEqual({ ok: true, value: [] });
    // overdue unknown (as in a cell) → the attitude alone
    expect(accountClasses({ cumulativeSalesYuan: 30_000_000, paymentAttitude: "一般" })).toEqual({ ok: true, value: ["quality"] });
  });

  it("quality also by a referral that closed, whatever the sales and credit", () => {
    expect(accountClasses({ cumulativeSalesYuan: 0, paymentAttitude: "嗜欠耗款", closedReferrals: 1 })).toEqual({ ok: true, value: ["quality"] });
  });

  it("high-value: one contract > 1千万 with credit good (attitude in English or as id)", () => {
    expect(accountClasses({ largestContractYuan: 12_000_000, cumulativeSalesYuan: 12_000_000, paymentAttitude: "Average" })).toEqual({
      ok: true,
      value: ["quality", "highValue"],
    });
    expect(accountClasses({ largestContractYuan: 12_000_000, paymentAttitude: "prompt" })).toEqual({ ok: true, value: ["highValue"] });
    expect(accountClasses({ largestContractYuan: 12_000_000, paymentAttitude: "为难" })).toEqual({ ok: true, value: [] });
  });

  it("group and strategic are flags; important = Pareto A; order is ACCOUNT_CLASSES'", () => {
    const r = accountClasses({
      cumulativeSalesYuan: 50_000_000,
      largestContractYuan: 20_000_000,
      paymentAttitude: "爽快",
      isGroup: true,
      isStrategic: true,
      isParetoA: true,
    });
    expect(r).toEqual({ ok: true, value: ["quality", "highValue", "group", "strategic", "important"] });
    expect(accountClasses({ isParetoA: true })).toEqual({ ok: true, value: ["important"] });
  });

  it("bad input is an error naming the argument", () => {
    const att = accountClasses({ paymentAttitude: "很快" });
    expect(!att.ok && [att.error.code, att.error.arg]).toEqual(["value", "paymentAttitude"]);
    const neg = accountClasses({ cumulativeSalesYuan: -1 });
    expect(!neg.ok && [neg.error.code, neg.error.arg]).toEqual(["num", "cumulativeSalesYuan"]);
    const txt = accountClasses({ largestContractYuan: "lots" });
    expect(!txt.ok && [txt.error.code, txt.error.arg]).toEqual(["value", "largestContractYuan"]);
  });

  it("paymentCreditGood: 爽快/一般 only, unknown attitude → not good", () => {
    expect(paymentCreditGood("爽快")).toEqual({ ok: true, value: true });
    expect(paymentCreditGood("一般", false)).toEqual({ ok: true, value: true });
    expect(paymentCreditGood("迟缓")).toEqual({ ok: true, value: false });
    expect(paymentCreditGood(undefined)).toEqual({ ok: true, value: false });
  });

  it("formatClasses joins labels with \", \" in ACCOUNT_CLASSES order, \"\" when none (docs/contracts.md)", () => {
    expect(formatClasses(["important", "quality"], "zh")).toBe("优质客户, 重要客户");
    expect(formatClasses(["strategic", "highValue"], "en")).toBe("High-value, Strategic");
    expect(formatClasses([], "en")).toBe("");
  });
});
