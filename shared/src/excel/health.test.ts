import { describe, expect, it } from "vitest";
import { accountHealth } from "../health/health.js";
import { isKamError, type CellResult, type FnResult } from "./cells.js";
import { evalPure } from "./eval.js";
import { healthCell } from "./health-cell.js";
import { parseHealthCall, urgencySignalHeaders } from "./health.js";

/** `KAM.URGENCY` as every caller runs it: its signature's reading and its rule. */
const kamUrgency = (args: readonly unknown[], lang: "zh" | "en") => evalPure("URGENCY", args, lang);
const codeOf = (r: FnResult | CellResult) => (isKamError(r) ? [r.code, r.arg] : r);

describe("KAM.HEALTH(account, [part], [lang])", () => {
  it("parses the account, the part (ids, zh and en names) and the lang", () => {
    const c = parseHealthCall(["account:KA-001", "状态", "en"], "zh");
    expect(c).toEqual({ ok: true, value: { fn: "HEALTH", key: "HEALTH|KA-001|status|en", queryKey: "HEALTH|KA-001", account: "KA-001", part: "status", lang: "en" } });
    const d = parseHealthCall([1001], "zh");
    expect(d.ok && [d.value.account, d.value.part, d.value.lang]).toEqual(["1001", "score", "zh"]);
    expect(parseHealthCall(["KA-1", "Explanation"], "en").ok).toBe(true);
  });

  it("an unknown part, an empty account, a range or an error cell is an error naming the argument", () => {
    const err = (args: unknown[]) => {
      const r = parseHealthCall(args, "en");
      return r.ok ? r.value : [r.error.code, r.error.arg];
    };
    expect(err(["KA-1", "mood"])).toEqual(["value", "part"]);
    expect(err([null])).toEqual(["na", "account"]);
    expect(err(["account:"])).toEqual(["na", "account"]);
    expect(err([[["KA-1", "KA-2"]]])).toEqual(["value", "account"]);
    expect(err([{ error: { code: "#REF!" } }])).toEqual(["value", "account"]);
    expect(err(["KA-1", "score", "fr"])).toEqual(["value", "lang"]);
  });

  it("answers the score, the status letter or the explanation in the call's language", () => {
    const h = accountHealth({
      today: "2026-12-01",
      account: { stage: "close", contacts: [{ name: "王总", role: "decider", support: 5, intimacy: 5 }] },
    });
    // Decision chain 35, archive 15, stage 10 have data (60 in all). Decision 40 + 30 × 1/5 + 15 + 15 = 76 %;
    // archive 1/10 (the decider only), never reviewed: 0.1 × 70 % = 7 %; stage 5: 100 %.
    // (35 × 0.76 + 15 × 0.07 + 10 × 1) ÷ 60 × 100 = 62.75 → 63 A
    expect(h.ok).toBe(true);
    if (!h.ok) return;
    expect(healthCell(h, { account: "KA-1", part: "score", lang: "en" })).toBe(63);
    expect(healthCell(h.value, { account: "KA-1", part: "status", lang: "zh" })).toBe("A");
    const zh = healthCell(h, { account: "KA-1", part: "explanation", lang: "zh" }) as string;
    const en = healthCell(h, { account: "KA-1", part: "explanation", lang: "en" }) as string;
    expect(zh.split("\n")[0]).toBe("63 A 黄");
    expect(zh).toContain("决策链");
    expect(en).toContain("Decision chain");
    expect(en).toContain("Next: Push the sale forward and track the account");
  });

  it("no account the caller may read is #N/A naming it; an engine error is that error", () => {
    expect(codeOf(healthCell(undefined, { account: "KA-9", part: "score", lang: "en" }))).toEqual(["na", "account"]);
    const bad = accountHealth({ today: "2026-12-01", account: { lastReviewed: "yesterday" } });
    expect(codeOf(healthCell(bad, { account: "KA-9", part: "score", lang: "en" }))).toEqual(["value", "lastReviewed"]);
  });
});

describe("KAM.URGENCY(signals, [grades], [lang])", () => {
  it("docs/domain.md §3.2 default: 5 signals A, 4 B, 3 and 2 C, 1 and 0 D", () => {
    expect(kamUrgency([[[true, true, true, true, true]]], "en")).toBe("A");
    expect(kamUrgency([[[true, true, true, true, false]]], "en")).toBe("B");
    expect(kamUrgency([[["是", "是", "否", "是", ""]]], "zh")).toBe("C");
    expect(kamUrgency([[[1, 1, 0, 0, 0]]], "en")).toBe("C");
    expect(kamUrgency([[[1, 0, 0, 0, 0]]], "en")).toBe("D");
    expect(kamUrgency([[[null, null, null, null, false]]], "en")).toBe("D");
  });

  it("a count 0–5 in a cell, or a column of counts, spills one grade per cell", () => {
    expect(kamUrgency([4], "en")).toBe("B");
    expect(kamUrgency([[[5], [3], [0], [null], [null], [null]]], "en")).toEqual([["A"], ["C"], ["D"]]);
    expect(codeOf(kamUrgency([6], "en"))).toEqual(["num", "signals"]);
    expect(codeOf(kamUrgency([2.5], "en"))).toEqual(["num", "signals"]);
  });

  it("five signals per row spill down; per column (5 tall) spill across; empty rows inside answer empty", () => {
    const rows = [
      [true, true, true, true, true],
      [null, null, null, null, null],
      [true, false, true, false, false],
      [null, null, null, null, null],
    ];
    expect(kamUrgency([rows], "en")).toEqual([["A"], [""], ["C"]]);
    const cols = [
      [true, false],
      [true, false],
      [true, false],
      [true, false],
      [false, true],
    ];
    expect(kamUrgency([cols], "en")).toEqual([["B", "D"]]);
  });

  it("a model's own grade table for 0…5 signals", () => {
    expect(kamUrgency([3, [["D", "D", "D", "B", "A", "A"]]], "en")).toBe("B");
    expect(kamUrgency([3, [["D", "D", "D", "B 控制时间、维持关系", "A", "A"]]], "en")).toBe("B");
    expect(codeOf(kamUrgency([3, [["D", "D", "C", "B", "A"]]], "en"))).toEqual(["value", "grades"]);
    expect(codeOf(kamUrgency([3, [["D", "D", "C", "E", "A", "A"]]], "en"))).toEqual(["value", "grades[4]"]);
  });

  it("errors name the signal cell: unreadable words, error cells, the wrong shape", () => {
    expect(codeOf(kamUrgency([[[true, "maybe", true, true, true]]], "en"))).toEqual(["value", "signals[2] subjectiveNecessity"]);
    const rows = [
      [true, true, true, true, true],
      [true, { error: { code: "#N/A" } }, true, true, true],
      [true, true, "x", true, true],
    ];
    const out = kamUrgency([rows], "en") as CellResult[][];
    expect(out[0]![0]).toBe("A");
    expect(codeOf(out[1]![0]!)).toEqual(["na", "signals[2,2] subjectiveNecessity"]);
    expect(codeOf(out[2]![0]!)).toEqual(["value", "signals[3,3] resolve"]);
    expect(codeOf(kamUrgency([{ error: { code: "#DIV/0!" } }], "en"))).toEqual(["div0", "signals"]);
    expect(codeOf(kamUrgency(["many"], "en"))).toEqual(["value", "signals"]);
    expect(codeOf(evalPure("URGENCY", [4, null, "fr"], "en"))).toEqual(["value", "lang"]);
  });

  it("header labels of the five signals in zh and en", () => {
    expect(urgencySignalHeaders("zh")).toEqual(["客观必要性", "主观必要性", "决心强度", "已开始可行性研究", "已开始选择供应商/商务工作"]);
    expect(urgencySignalHeaders("en")[4]).toBe("vendor selection / commercial work started");
  });
});
