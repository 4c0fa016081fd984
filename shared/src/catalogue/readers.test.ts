import { describe, expect, it } from "vitest";
import { asBoolean, asNumber } from "../excel/cells.js";
import { evalPure } from "../excel/eval.js";
import { urgencySignalCount } from "../grading/urgency.js";
import { getBuiltinModel } from "../scoring/builtins.js";
import { evaluateModel } from "../scoring/evaluate.js";

/** The pure KAM.* functions, the scorecard and the urgency view read cells through the shared grammar. */
describe("cell readers of the functions use the grammar", () => {
  it("money and numbers written with 万/亿 count as their value; vague figures are #VALUE! naming the forms", () => {
    expect(asNumber("120万", "actual")).toEqual({ ok: true, value: 1_200_000 });
    expect(evalPure("COMPLETION", ["120万", "2,400,000"], "zh")).toBe(0.5);
    const vague = asNumber("约100", "actual");
    expect(vague.ok).toBe(false);
    if (!vague.ok) expect(vague.error).toMatchObject({ code: "value", arg: "actual" });
    if (!vague.ok) expect(vague.error.message.zh).toContain("约100");
    expect(asNumber("abc", "actual").ok).toBe(false);
  });

  it("yes/no cells: one word list; x is ambiguous", () => {
    expect(asBoolean("√", "group")).toEqual({ ok: true, value: true });
    expect(asBoolean("否", "group")).toEqual({ ok: true, value: false });
    expect(asBoolean("x", "group").ok).toBe(false);
    expect(evalPure("CLASS", [0, "1.2亿", "爽快", 0, "是", "×"], "zh")).toBe("高值客户, 集团客户");
    expect(evalPure("CLASS", [0, "1.2亿", "爽快", 0, "×", "√"], "zh")).toBe("高值客户, 战略客户");
    expect(urgencySignalCount(["是", "√", "Y", "×", "TRUE"])).toEqual({ ok: true, value: 4 });
    expect(urgencySignalCount(["是", "x", "Y", "×", "TRUE"]).ok).toBe(false);
  });

  it("the scorecard reads 万 figures and refuses vague ones", () => {
    const manager = getBuiltinModel("ka-manager")!;
    const row = { salesPlan: "100万", salesLastQuarter: 1_000_000, newAccounts: 4, newAccountsPlan: 4, infoCollection: 10, teamwork: 10, knowledge: 10, judgement: 4, communication: 6, absenceDays: 0, responsibility: 5 };
    const growth = (actual: unknown) => evaluateModel(manager, { ...row, salesActual: actual }).items.find((i) => i.key === "salesGrowth")!.points;
    expect(growth("125万")).toEqual({ ok: true, value: 12 });
    expect(growth("1,250,000")).toEqual({ ok: true, value: 12 });
    expect(growth("约125万").ok).toBe(false);
  });
});
