import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GRADES, STAGES } from "./labels.js";
import { TerminationSchema, parseDealStatus, stageGateDetails, stageGateIssues, stageGateMessage } from "./stageGates.js";

const TODAY = { today: "2026-12-01" };
const fields = (existing: Record<string, unknown> | undefined, merged: Record<string, unknown>) =>
  stageGateIssues(existing, merged, TODAY).map((i) => i.field);

describe("stage gates: a grade is needed at stage 4 and 5", () => {
  it("creating an account at stage 4 or 5 without a grade is refused on the stage", () => {
    expect(fields(undefined, { name: "华东电力", stage: "relate" })).toEqual(["stage"]);
    expect(fields(undefined, { name: "华东电力", stage: "close" })).toEqual(["stage"]);
    expect(fields(undefined, { name: "华东电力", stage: "close", grade: null })).toEqual(["stage"]);
  });

  it("stages 1–3 need no grade", () => {
    for (const stage of ["target", "discover", "assess"]) expect(fields(undefined, { stage })).toEqual([]);
  });

  it("skipping stages is allowed: a new account straight at stage 5 with grade A passes", () => {
    expect(fields(undefined, { stage: "close", grade: "A" })).toEqual([]);
    expect(fields({ stage: "target" }, { stage: "close", grade: "B" })).toEqual([]);
  });

  it("moving an ungraded account from 3 to 4 is refused; with a grade in the same write it passes", () => {
    expect(fields({ stage: "assess" }, { stage: "relate" })).toEqual(["stage"]);
    expect(fields({ stage: "assess" }, { stage: "relate", grade: "C" })).toEqual([]);
  });

  it("clearing the grade of a stage-4 account is refused on the grade", () => {
    const issues = stageGateIssues({ stage: "relate", grade: "B" }, { stage: "relate", grade: null }, TODAY);
    expect(issues.map((i) => i.field)).toEqual(["grade"]);
    expect(issues[0]!.message.en).toContain("cannot be cleared");
    expect(issues[0]!.message.zh).toContain("不能清除客户等级");
  });

  it("the message names the stage number and label in zh and en", () => {
    const [i] = stageGateIssues(undefined, { stage: "relate" }, TODAY);
    expect(i!.message.zh).toContain("4“与关键决策人建立关系”");
    expect(i!.message.en).toContain('4 "Relate"');
    expect(stageGateMessage(i!, "en")).toMatch(/^stage: stage 4 "Relate" needs a grade/);
  });

  it("labels and aliases are read as the schema stores them (4, 成交, A 全力以赴)", () => {
    expect(fields(undefined, { stage: "4" })).toEqual(["stage"]);
    expect(fields(undefined, { stage: "成交", grade: "A 全力以赴" })).toEqual([]);
  });
});

describe("stage gates: D accounts are not at stage 4 or 5", () => {
  it("grading a stage-5 account D is refused on the grade", () => {
    expect(fields({ stage: "close", grade: "B" }, { stage: "close", grade: "D" })).toEqual(["grade"]);
  });

  it("advancing a D account to stage 4 is refused on the stage", () => {
    expect(fields({ stage: "assess", grade: "D" }, { stage: "relate", grade: "D" })).toEqual(["stage"]);
  });

  it("a new D account at stage 5 is refused (on the grade); D at stages 1–3 is fine", () => {
    expect(fields(undefined, { stage: "close", grade: "D" })).toEqual(["grade"]);
    for (const stage of ["target", "discover", "assess"]) expect(fields(undefined, { stage, grade: "D" })).toEqual([]);
  });

  it("moving a D account back to stage 3 passes", () => {
    expect(fields({ stage: "relate", grade: "D" }, { stage: "assess", grade: "D" })).toEqual([]);
  });
});

describe("stage gates are checked only when stage or grade changes", () => {
  it("an imported account already violating a gate can still be edited elsewhere", () => {
    const stored = { name: "旧客户", stage: "close", grade: "D" };
    expect(fields(stored, { ...stored, phone: "021-1234" })).toEqual([]);
    const ungraded = { name: "旧客户", stage: "relate" };
    expect(fields(ungraded, { ...ungraded, industry: "电力" })).toEqual([]);
  });

  it("blank, null and absent are the same value (no change)", () => {
    expect(fields({ stage: "relate", grade: "" }, { stage: "relate" })).toEqual([]);
  });
});

describe("termination (deal status 终止)", () => {
  it("parses 终止 / Terminated / terminated and the 001 statuses", () => {
    expect(parseDealStatus("终止")).toBe("terminated");
    expect(parseDealStatus("Terminated")).toBe("terminated");
    expect(parseDealStatus("销售机会")).toBe("opportunity");
    expect(parseDealStatus("x")).toBeUndefined();
  });

  it("a terminated account needs the date and reason", () => {
    expect(fields({ stage: "discover" }, { stage: "discover", dealStatus: "terminated" })).toEqual(["termination"]);
    expect(fields(undefined, { dealStatus: "终止", termination: {} })).toEqual(["termination.date", "termination.reason"]);
    expect(fields(undefined, { dealStatus: "terminated", termination: { date: "2026-11-30", reason: "  " } })).toEqual(["termination.reason"]);
  });

  it("termination is allowed at any stage, and the date may not be after today", () => {
    for (const stage of STAGES.ids) {
      const grade = stage === "relate" || stage === "close" ? "B" : undefined;
      expect(fields(undefined, { stage, grade, dealStatus: "terminated", termination: { date: "2026-12-01", reason: "无采购需求" } })).toEqual([]);
    }
    expect(fields(undefined, { dealStatus: "terminated", termination: { date: "2026-12-02", reason: "无需求" } })).toEqual(["termination.date"]);
    expect(fields(undefined, { dealStatus: "terminated", termination: { date: "2026-13-01", reason: "无需求" } })).toEqual(["termination.date"]);
  });

  it("a termination record on an account that is not terminated is refused; reviving clears it", () => {
    const dropped = { dealStatus: "terminated", termination: { date: "2026-10-01", reason: "预算取消" } };
    expect(fields(dropped, { ...dropped, dealStatus: "opportunity" })).toEqual(["termination"]);
    expect(fields(dropped, { dealStatus: "opportunity", termination: null })).toEqual([]);
  });

  it("TerminationSchema: date and non-empty reason, nothing else", () => {
    expect(TerminationSchema.safeParse({ date: "2026-10-01", reason: "预算取消" }).success).toBe(true);
    expect(TerminationSchema.safeParse({ date: "2026-02-30", reason: "x" }).success).toBe(false);
    expect(TerminationSchema.safeParse({ date: "2026-10-01", reason: " " }).success).toBe(false);
    expect(TerminationSchema.safeParse({ date: "2026-10-01", reason: "x", stage: "close" }).success).toBe(false);
  });
});

describe("stageGateDetails (the batch adapter)", () => {
  it("answers { path, message } in the language asked, both by default", () => {
    expect(stageGateDetails(undefined, { stage: "relate" }, "en", TODAY)).toEqual([
      { path: "stage", message: 'stage 4 "Relate" needs a grade: grade the account (A–C) at stage 3 "Assess" first' },
    ]);
    const both = stageGateDetails(undefined, { stage: "close", grade: "D" }, undefined, TODAY);
    expect(both).toHaveLength(1);
    expect(both[0]!.path).toBe("grade");
    expect(both[0]!.message).toMatch(/D 级客户.* \/ a D account/);
    expect(stageGateDetails({ stage: "assess" }, { stage: "relate", grade: "A" }, "zh", TODAY)).toEqual([]);
  });

  it("property: every stored (stage, grade) pair that a write reaches passes iff the gates allow it", () => {
    const stage = fc.constantFrom(undefined, ...STAGES.ids);
    const grade = fc.constantFrom(undefined, ...GRADES.ids);
    fc.assert(
      fc.property(stage, grade, stage, grade, (s0, g0, s1, g1) => {
        const issues = stageGateIssues({ stage: s0, grade: g0 }, { stage: s1, grade: g1 }, TODAY);
        const changed = s0 !== s1 || g0 !== g1;
        const gated = s1 === "relate" || s1 === "close";
        const allowed = !changed || !gated || (g1 !== undefined && g1 !== "D");
        expect(issues.length === 0).toBe(allowed);
        expect(issues.length).toBeLessThanOrEqual(1);
      }),
      { seed: 14, numRuns: 300 },
    );
  });
});
