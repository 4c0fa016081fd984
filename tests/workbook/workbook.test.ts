/**
 * Workbook-level tests: realistic .xlsx fixtures with `=KAM.*` formulas, written with
 * exceljs, read back and evaluated by HyperFormula with the SAME shared/src/excel implementations
 * the add-in registers. Expected values are worked by hand from docs/domain.md in the comments.
 */
import { DetailedCellError } from "hyperformula";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBuiltinModel } from "../../shared/src/scoring/builtins.js";
import { writeFixtures } from "./fixtures.js";
import { hfOptions } from "./hyperformula.js";
import { loadWorkbook, type LoadedWorkbook } from "./load.js";

let dir: string;
let director: LoadedWorkbook;
let finance: LoadedWorkbook;

beforeAll(async () => {
  hfOptions.lang = "zh"; // a Chinese Excel
  dir = await mkdtemp(join(tmpdir(), "kam-workbook-"));
  const [d, f] = await writeFixtures(dir);
  director = await loadWorkbook(d!);
  finance = await loadWorkbook(f!);
});

afterAll(async () => {
  director?.hf.destroy();
  finance?.hf.destroy();
  await rm(dir, { recursive: true, force: true });
});

/** The Excel error code a cell shows, or the value itself. */
function shown(v: unknown): unknown {
  return v instanceof DetailedCellError ? v.value : v;
}

function column(wb: LoadedWorkbook, sheet: string, col: string, from: number, to: number): unknown[] {
  const out: unknown[] = [];
  for (let r = from; r <= to; r++) out.push(shown(wb.value(sheet, `${col}${r}`)));
  return out;
}

describe("director workbook: 经理考核 (docs/domain.md §8, ka-manager)", () => {
  it("one KAM.SCORE formula scores the whole team and spills one total per row", () => {
    expect(column(director, "经理考核", "S", 2, 12)).toEqual([
      // 张伟: completion 115% → 25+3=28; growth 200,000/100,000 → 10+2=12; new 3 vs plan 2 → 5+1=6;
      // info 8; teamwork 9; knowledge 10; judgement 强 4; communication 6; attendance 5−0=5;
      // conduct 5; responsibility 5; service 5 → 28+12+6+8+9+10+4+6+5+5+5+5 = 103
      103,
      // 李娜: 95% → 25−1=24; growth −50,000 → 10; new 1 vs 2 (1 short, no full 2) → 5; 7; 8; 7;
      // 较强 3.5; 5.5; attendance 5−1=4; late 2 (1–3) → 5−1=4; 4.5; 5 → 87.5
      87.5,
      // 王强: 125% → +5 → 30; growth 250,000 → +2 → 12; new 2 vs 2 → 5; 9; 9; 9; 一般 3; 5; 5;
      // conduct: late 5 (4–6) −2, one violation −2 → 1; 5; one complaint −5 → 0 → 93
      93,
      // 赵敏: 88% → 12 points below = 2 full steps → 23; growth −20,000 → 10; new 0 vs 2 → −1 → 4;
      // 6; 7; 4; 较弱 2.5; 4.5; attendance 5−3=2; 7 unreported field days (6–10) −1 → 4; 3; 5 → 75
      75,
      // 陈刚: empty deduction counts default to 0: 25+10+5+8+8+8+4+6+5+5+5+5 = 94
      94,
      // 刘洋: text "一百万" in 实际完成销售额 → #VALUE!
      "#VALUE!",
      // 孙丽: 计划完成销售额 empty → #N/A (missing input)
      "#N/A",
      // 周杰: 上季销售额 holds =1/0 → the growth item, hence the total, is #DIV/0!
      "#DIV/0!",
      // blank line in the team sheet → blank answer
      "",
      // 吴磊: plan 0 → completion undefined → #DIV/0!
      "#DIV/0!",
      // 郑爽: numeric text "1,200,000" reads as 1,200,000: 120% → +4 → 29; growth 200,000 → 12;
      // 5; 9; 9; 10; 4; 6; 5; 5; 5; 5 → 104
      104,
    ]);
  });

  it("error cells carry messages naming the input", () => {
    const v = director.value("经理考核", "S7");
    expect(v).toBeInstanceOf(DetailedCellError);
    expect((v as DetailedCellError).message).toContain("salesActual");
    expect((director.value("经理考核", "S8") as DetailedCellError).message).toContain("salesPlan");
  });

  it("KAM.SCORE.ITEMS spills the item names and each item's points", () => {
    const items = getBuiltinModel("ka-manager")!.items;
    const header: unknown[] = [];
    const points: unknown[] = [];
    for (let c = 0; c < items.length; c++) {
      const col = String.fromCharCode(65 + c);
      header.push(shown(director.value("经理考核", `${col}15`)));
      points.push(shown(director.value("经理考核", `${col}16`)));
    }
    expect(header).toEqual(items.map((i) => i.label.zh));
    // 张伟, worked above: 28, 12, 6, 8, 9, 10, 4, 6, 5, 5, 5, 5
    expect(points).toEqual([28, 12, 6, 8, 9, 10, 4, 6, 5, 5, 5, 5]);
  });

  it("a 2-row range with the headers inside scores one person; unknown model is #N/A; lang works", () => {
    expect(shown(director.value("经理考核", "A19"))).toBe(103);
    expect(shown(director.value("经理考核", "B19"))).toBe("#N/A");
    expect((director.value("经理考核", "B19") as DetailedCellError).message).toContain("no-such-model");
    expect(shown(director.value("经理考核", "C19"))).toBe(103);
  });

  it("KAM.COMPLETION spills ratios and KAM.TIER reads the spill (docs/domain.md §7, §8)", () => {
    // 1,150,000/1,000,000 = 1.15; 0.95; 1.25; 0.88; 1
    expect(column(director, "经理考核", "T", 2, 6)).toEqual([1.15, 0.95, 1.25, 0.88, 1]);
    // 1.15 in (1.0, 1.2) 超额; 0.95 in [0.9, 1.0] 基本; 1.25 ≥ 1.2 突出; 0.88 < 0.9 未完成; 1.0 ≤ 1.0 基本
    expect(column(director, "经理考核", "U", 2, 6)).toEqual(["超额完成", "基本完成", "突出完成", "未完成", "基本完成"]);
  });
});

describe("director workbook: 客户分级 (docs/domain.md §3)", () => {
  it("KAM.VALUE spills value scores per account", () => {
    expect(column(director, "客户分级", "P", 2, 7)).toEqual([
      100, // all 5 → every (s−1)/4 = 1 → 100
      // (5,4,3,5,4,3,3) with weights 20,10,15,20,15,10,10: 20·1 + 10·.75 + 15·.5 + 20·1 + 15·.75 + 10·.5 + 10·.5
      // = 20 + 7.5 + 7.5 + 20 + 11.25 + 5 + 5 = 76.25
      76.25,
      // (4,3,4,4,3,3,2): 15 + 5 + 11.25 + 15 + 7.5 + 5 + 2.5 = 61.25
      61.25,
      50, // all 3 → (3−1)/4 = .5 → 50
      0, // all 1 → 0
      "#VALUE!", // "高" in the effort column
    ]);
    expect((director.value("客户分级", "P7") as DetailedCellError).message).toContain("effort");
  });

  it("KAM.GRADE spills grades (A ≥ 75, B ≥ 55, C ≥ 35, else D) and takes cut-offs", () => {
    expect(column(director, "客户分级", "Q", 2, 7)).toEqual(["A", "A", "B", "C", "D", "#VALUE!"]);
    // 61.25 with cut-offs 80/60/40 → ≥ 60 → B
    expect(shown(director.value("客户分级", "U2"))).toBe("B");
  });

  it("KAM.ABC: the share of the accounts BEFORE an account decides its class (docs/domain.md §3.3)", () => {
    // revenues 500k, 300k, 100k, 50k, 30k, 20k; total 1,000k. Share before each:
    // 0 → A; .5 → A; .8 (not < .8) → B; .9 → B; .95 (not < .95) → C; .98 → C
    expect(column(director, "客户分级", "R", 2, 7)).toEqual(["A", "A", "B", "B", "C", "C"]);
  });

  it("KAM.CLASS joins the class labels with \", \" in the order of docs/contracts.md §4", () => {
    expect(column(director, "客户分级", "S", 2, 7)).toEqual([
      // 12,000,000 > 10,000,000 cumulative and single, 爽快 (credit good), group, strategic
      "优质客户, 高值客户, 集团客户, 战略客户",
      // 迟缓 → payment credit not good → neither quality nor high-value
      "",
      // one closed referral → quality; strategic flag
      "优质客户, 战略客户",
      // exactly 10,000,000 is not > 10,000,000; group flag
      "集团客户",
      // nothing known → no class
      "",
      // "很多" in the sales column → #VALUE!
      "#VALUE!",
    ]);
    expect(shown(director.value("客户分级", "T2"))).toBe("Quality, High-value, Group, Strategic");
  });
});

describe("finance workbook", () => {
  it("KAM.COLLECTIONRATE spills per account with the right errors (docs/domain.md §7)", () => {
    expect(column(finance, "回款", "D", 2, 7)).toEqual([
      0.95, // 950,000 ÷ 1,000,000
      1, // 800,000 ÷ 800,000
      "#DIV/0!", // nothing due
      "#VALUE!", // "待确认" in a money cell
      "#N/A", // due empty
      "#N/A", // collected holds =NA()
    ]);
    expect((finance.value("回款", "D5") as DetailedCellError).message).toContain("collected[4,1]");
  });

  it("KPIs, visits and tiers", () => {
    expect(column(finance, "指标", "B", 1, 23)).toEqual([
      0.075, // 3 ÷ 40
      "#DIV/0!", // 1 ÷ 0
      6, // strategic, sales manager: 1 per 2 months × 12 → 6
      2, // important, general manager: 1 per year × 24 months → 2
      3, // strategic, KA manager: 1 per month × 3 → 3
      1, // important, vice president: 1 per half-year × 6 → 1
      1.15, // 1,150,000 ÷ 1,000,000
      "突出完成", // 1.2 ≥ 1.2
      "Outstanding", // lang "en"
      "#VALUE!", // role "门卫" is not a visiting role
      "#VALUE!", // lang "fr"
      4, // scheme 002: liaison leader 4 a year × 12 months → 4
      6, // scheme 2 (= 002): sales manager 1 a month × 6 → 6
      "#N/A", // scheme 004 (default) has no liaison-leader rate
      "#VALUE!", // scheme "003" does not exist
      0.75, // 3 new accounts ÷ 4 planned
      "#DIV/0!", // nothing planned
      0.87, // 870,000 ÷ 1,000,000 settled
      1.150005, // 115,000.50 ÷ 100,000 spent of the budget
      "#NUM!", // negative expenses
      0.5, // spill: 500,000 ÷ 1,000,000
      1, // 900,000 ÷ 900,000
      "#DIV/0!", // planned settlement 0
    ]);
  });
});

/**
 * Error cells reach the functions (functions.json's root allowErrorForDataTypeAny; the plugin
 * passes them as Excel does — hyperformula.ts). A message naming the argument proves the KAM
 * function itself answered, not the engine's short-circuit.
 */
describe("director workbook: error cells in ranges and scalar arguments (错误值)", () => {
  const err = (address: string) => director.value("错误值", address) as DetailedCellError;

  it("KAM.SCORE over several rows: only the row holding #N/A or #DIV/0! is an error", () => {
    // rows: 张伟 103; 张伟 with 实际完成销售额 =NA(); 王强 93; 张伟 with 团队协作 =1/0
    expect(column(director, "错误值", "S", 2, 5)).toEqual([103, "#N/A", 93, "#DIV/0!"]);
    expect(err("S3").message).toBe("salesActual: 单元格为错误值 #N/A");
    expect(err("S5").message).toBe("teamwork: 单元格为错误值 #DIV/0!");
  });

  it("KAM.SCORE.ITEMS: only the items that read the error cell are errors", () => {
    const row = Array.from({ length: 12 }, (_, c) => shown(director.value("错误值", `${String.fromCharCode(65 + c)}10`)));
    // completion and growth read 实际完成销售额 (#N/A); the other items are 张伟's: 6, 8, 9, 10, 4, 6, 5, 5, 5, 5
    expect(row).toEqual(["#N/A", "#N/A", 6, 8, 9, 10, 4, 6, 5, 5, 5, 5]);
  });

  it("an error as a scalar argument is the call's error, naming that argument", () => {
    expect([shown(err("T2")), err("T2").message]).toEqual(["#N/A", "model: 单元格为错误值 #N/A"]);
    expect([shown(err("U2")), err("U2").message]).toEqual(["#DIV/0!", "lang: 单元格为错误值 #DIV/0!"]);
    expect([shown(err("U12")), err("U12").message]).toEqual(["#N/A", "completion: 单元格为错误值 #N/A"]);
    expect([shown(err("U13")), err("U13").message]).toEqual(["#DIV/0!", "actual: 单元格为错误值 #DIV/0!"]);
    expect([shown(err("U14")), err("U14").message]).toEqual(["#N/A", "role: 单元格为错误值 #N/A"]);
    // a one-cell reference to an error as the cut-offs list
    expect([shown(err("U15")), err("U15").message]).toEqual(["#N/A", "cutoffs: 单元格为错误值 #N/A"]);
  });

  it("an error among the headers fails the whole call (every row reads them), naming the header cell", () => {
    expect([shown(err("V2")), err("V2").message]).toEqual(["#N/A", "headers[1,2]: 单元格为错误值 #N/A"]);
  });

  it("KAM.VALUE / KAM.GRADE: only the account whose factors hold #N/A", () => {
    // 100 and 61.25, 50 as worked in 客户分级 above
    expect(column(director, "错误值", "P", 12, 15)).toEqual([100, "#N/A", 61.25, 50]);
    expect(column(director, "错误值", "Q", 12, 15)).toEqual(["A", "#N/A", "B", "C"]);
    expect(err("P13").message).toBe("factors[2,1] share: 单元格为错误值 #N/A");
  });

  it("KAM.ABC: an error among the values is that row's error; an error in the population is every row's", () => {
    // 500k, 300k, 100k against the clean population of 客户分级 (A, A, B as above); 营业额 =NA()
    expect(column(director, "错误值", "R", 12, 15)).toEqual(["A", "A", "B", "#N/A"]);
    expect(err("R15").message).toBe("value[4,1]: 单元格为错误值 #N/A");
    // every class depends on the whole population, as Excel's RANK over an error is an error
    expect(shown(err("T12"))).toBe("#N/A");
    expect(err("T12").message).toBe("allValues[4,1]: 单元格为错误值 #N/A");
  });

  it("KAM.CLASS: only the accounts with an error cell", () => {
    expect(column(director, "错误值", "S", 12, 15)).toEqual(["优质客户, 高值客户, 集团客户, 战略客户", "#DIV/0!", "优质客户, 战略客户", "#N/A"]);
    expect(err("S13").message).toBe("cumulativeSales[2,1]: 单元格为错误值 #DIV/0!");
    expect(err("S15").message).toBe("paymentAttitude[4,1]: 单元格为错误值 #N/A");
  });
});
