import { describe, expect, it } from "vitest";
import { classifyRows, totalsWord } from "./totals.js";

describe("totals, subtotals and blank rows", () => {
  it.each([
    ["合计", "合计"], ["小计", "小计"], ["总计：", "总计"], ["华东区小计", "小计"], ["合计 5 家", "合计"],
    ["Total", "Total"], ["Subtotal", "Subtotal"], ["Grand total:", "Grand total"], ["East subtotal", "subtotal"], ["TOTAL (yuan)", "TOTAL"],
  ])("%j is a totals word", (cell, word) => expect(totalsWord(cell)).toBe(word));

  it.each(["总计算机公司", "合计划", "TotalEnergies", "Total SA", "华为", "Totally Fine Ltd", 5])("%j is not", (cell) => {
    expect(totalsWord(cell as string)).toBeUndefined();
  });

  it("classifies blank rows, labelled totals and unlabelled sums (subtotal and grand total)", () => {
    const rows = [
      ["a1", "甲", 100, "120万"],
      ["a2", "乙", 50, 300_000],
      [null, "华东小计", 150, "150万"],
      ["a3", "丙", 10, 1],
      ["  ", null, "", null],
      ["a4", "丁", 5, 2],
      [null, null, 15, 3],
      [null, null, 165, "1,500,003"],
      [null, "备注：见附件", null, null],
      [null, null, 7, null],
    ];
    const kinds = classifyRows(rows, { keyColumns: [0, 1], units: [undefined, undefined, undefined, "yuan"] });
    expect(kinds.map((k) => (k.kind === "data" ? k.kind : k.reason))).toEqual(["data", "data", "totalsWord", "data", "blank", "data", "sumOfAbove", "sumOfAbove", "data", "data"]);
    expect(kinds[2]).toMatchObject({ kind: "totals", word: "小计" });
    const totals = kinds[2];
    expect(totals?.kind !== "data" && totals?.message.en).toContain("skipped");
  });

  it("a row without id and name whose figures do not sum the rows above is data (its problems are reported, not skipped)", () => {
    const kinds = classifyRows([["a1", "甲", 1], ["a2", "乙", 2], [null, null, 4]], { keyColumns: [0, 1] });
    expect(kinds[2]).toEqual({ kind: "data" });
  });
});
