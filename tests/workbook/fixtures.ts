/**
 * Workbook fixtures, built with exceljs the way a director's and a finance team's
 * sheets look: Chinese headers, blank rows, text in number cells, error cells (=NA(), =1/0), and
 * `=KAM.*` formulas that spill. `npx tsx tests/workbook/fixtures.ts <dir>` writes them for a look
 * in Excel; the tests write them to a temp dir and read them back with exceljs.
 */
import ExcelJS from "exceljs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

type Cell = string | number | boolean | null | { formula: string };
const f = (formula: string): { formula: string } => ({ formula });

/** The director's scorecard of ten managers (docs/domain.md §8, ka-manager headers in Chinese). */
export const SCORECARD_HEADERS = [
  "姓名", "实际完成销售额", "计划完成销售额", "上季销售额", "新开发客户数", "计划开发新客户数", "市场信息收集", "团队协作",
  "专业知识", "分析判断能力", "沟通能力", "月份", "缺勤天数", "迟到次数", "未报到直接下市场次数", "违规次数", "责任感", "客户投诉次数",
];

export const SCORECARD_ROWS: Cell[][] = [
  ["张伟", 1_150_000, 1_000_000, 950_000, 3, 2, 8, 9, 10, "强", 6, "2026-09", 0, 0, 0, 0, 5, 0],
  ["李娜", 950_000, 1_000_000, 1_000_000, 1, 2, 7, 8, 7, "较强", 5.5, "2026-09", 1, 2, 0, 0, 4.5, 0],
  ["王强", 1_250_000, 1_000_000, 1_000_000, 2, 2, 9, 9, 9, "一般", 5, "2026-09", 0, 5, 0, 1, 5, 1],
  ["赵敏", 880_000, 1_000_000, 900_000, 0, 2, 6, 7, 4, "较弱", 4.5, "2026-09", 3, 0, 7, 0, 3, 0],
  ["陈刚", 1_000_000, 1_000_000, 1_000_000, 2, 2, 8, 8, 8, 4, 6, "2026-09", 0, null, null, null, 5, null],
  ["刘洋", "一百万", 1_000_000, 900_000, 2, 2, 8, 8, 8, 4, 6, "2026-09", 0, 0, 0, 0, 5, 0],
  ["孙丽", 900_000, null, 900_000, 2, 2, 8, 8, 8, 4, 6, "2026-09", 0, 0, 0, 0, 5, 0],
  ["周杰", 1_000_000, 1_000_000, f("1/0"), 2, 2, 8, 8, 8, 4, 6, "2026-09", 0, 0, 0, 0, 5, 0],
  [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  ["吴磊", 500_000, 0, 400_000, 2, 2, 8, 8, 8, 4, 6, "2026-09", 0, 0, 0, 0, 5, 0],
  ["郑爽", "1,200,000", 1_000_000, 1_000_000, 2, 2, 9, 9, 10, "强", 6, "2026-09", 0, 0, 0, 0, 5, 0],
];

/** Account grading sheet (docs/domain.md §3.1–§3.3). */
export const ACCOUNT_HEADERS = [
  "客户", "份额", "时间精力费用", "成交风险", "经营价值", "付款风险", "供应服务能力", "技术管理难度",
  "营业额", "累计签约额", "最大单笔合同", "付款态度", "推荐成交数", "集团客户", "战略客户",
];
export const ACCOUNT_ROWS: Cell[][] = [
  ["中建三局", 5, 5, 5, 5, 5, 5, 5, 500_000, 12_000_000, 12_000_000, "爽快", 0, true, true],
  ["宝钢股份", 5, 4, 3, 5, 4, 3, 3, 300_000, 15_000_000, 8_000_000, "迟缓", 0, false, false],
  ["海尔集团", 4, 3, 4, 4, 3, 3, 2, 100_000, 3_000_000, 1_000_000, "一般", 1, false, true],
  ["美的集团", 3, 3, 3, 3, 3, 3, 3, 50_000, 10_000_000, 10_000_000, "爽快", 0, true, false],
  ["顺丰速运", 1, 1, 1, 1, 1, 1, 1, 30_000, null, null, null, null, null, null],
  ["中国移动广东公司", 4, "高", 3, 3, 3, 3, 3, 20_000, "很多", 1_000_000, "一般", 0, false, false],
];

/** Finance: collections per account (docs/domain.md §7) and other KPIs. */
export const COLLECTION_HEADERS = ["客户", "应回款(元)", "已回款(元)", "回款率"];
export const COLLECTION_ROWS: Cell[][] = [
  ["中建三局", 1_000_000, 950_000],
  ["宝钢股份", 800_000, 800_000],
  ["海尔集团", 0, 0],
  ["美的集团", 500_000, "待确认"],
  ["顺丰速运", null, 200_000],
  ["中国移动广东公司", 300_000, f("NA()")],
];

function put(ws: ExcelJS.Worksheet, address: string, v: Cell): void {
  ws.getCell(address).value = v as ExcelJS.CellValue;
}

function rows(ws: ExcelJS.Worksheet, header: string[], data: Cell[][]): void {
  ws.addRow(header);
  for (const r of data) ws.addRow(r.map((v) => (v === null ? null : v)) as ExcelJS.CellValue[]);
}

export async function directorWorkbook(): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  const card = wb.addWorksheet("经理考核");
  rows(card, SCORECARD_HEADERS, SCORECARD_ROWS);
  // Column S: one formula scores the whole team and spills S2:S12.
  put(card, "S1", "总分");
  put(card, "S2", f("KAM.SCORE(B2:R12,B1:R1)"));
  put(card, "T1", "完成率");
  put(card, "T2", f("KAM.COMPLETION(B2:B6,C2:C6)"));
  put(card, "U1", "绩效档位");
  put(card, "U2", f("KAM.TIER(T2:T6)"));
  // Item points of one manager, with the item names above (spills A15:L16). TRUE() not TRUE:
  // HyperFormula reads a bare TRUE as a name; Excel accepts both.
  put(card, "A15", f('KAM.SCORE.ITEMS(B2:R2,B1:R1,"ka-manager",TRUE())'));
  // Headers inside a 2-row range.
  put(card, "A19", f("KAM.SCORE(B1:R2)"));
  put(card, "B19", f('KAM.SCORE(B2:R2,B1:R1,"no-such-model")'));
  put(card, "C19", f('KAM.SCORE(B2:R2,B1:R1,,"en")'));

  const accounts = wb.addWorksheet("客户分级");
  rows(accounts, ACCOUNT_HEADERS, ACCOUNT_ROWS);
  put(accounts, "P1", "价值分");
  put(accounts, "P2", f("KAM.VALUE(B2:H7)"));
  put(accounts, "Q1", "等级");
  put(accounts, "Q2", f("KAM.GRADE(B2:H7)"));
  put(accounts, "R1", "ABC");
  put(accounts, "R2", f("KAM.ABC(I2:I7,I2:I7)"));
  put(accounts, "S1", "客户类型");
  put(accounts, "S2", f("KAM.CLASS(J2:J7,K2:K7,L2:L7,M2:M7,N2:N7,O2:O7)"));
  put(accounts, "T2", f('KAM.CLASS(J2,K2,L2,M2,N2,O2,FALSE(),"en")'));
  put(accounts, "U2", f("KAM.GRADE(B4:H4,,{80,60,40})"));

  errorCells(wb.addWorksheet("错误值"));
  return wb;
}

/** A copy of `row` with `value` at `index`. */
function withCell(row: readonly Cell[], index: number, value: Cell): Cell[] {
  const out = [...row];
  out[index] = value;
  return out;
}

/**
 * Error cells (=NA(), =1/0) in ranges and as scalar arguments: Excel hands them to the functions
 * because functions.json sets allowErrorForDataTypeAny, and only the affected answer is an error.
 */
function errorCells(ws: ExcelJS.Worksheet): void {
  rows(ws, SCORECARD_HEADERS, [
    SCORECARD_ROWS[0]!, // 张伟 → 103
    withCell(SCORECARD_ROWS[0]!, 1, f("NA()")), // 实际完成销售额 #N/A
    SCORECARD_ROWS[2]!, // 王强 → 93
    withCell(SCORECARD_ROWS[0]!, 7, f("1/0")), // 团队协作 #DIV/0!
  ]);
  put(ws, "S2", f("KAM.SCORE(B2:R5,B1:R1)"));
  put(ws, "T2", f("KAM.SCORE(B2:R2,B1:R1,NA())")); // model
  put(ws, "U2", f("KAM.SCORE(B2:R2,B1:R1,,1/0)")); // lang
  put(ws, "V2", f("KAM.SCORE(B2:R2,B7:R7)")); // a header cell holds #N/A
  SCORECARD_HEADERS.forEach((h, i) => put(ws, `${String.fromCharCode(65 + i)}7`, i === 2 ? f("NA()") : h));
  put(ws, "A9", f('KAM.SCORE.ITEMS(B3:R3,B1:R1,"ka-manager",TRUE())'));

  const at = 11; // accounts: header row 11, rows 12–15
  ACCOUNT_HEADERS.forEach((h, i) => put(ws, `${String.fromCharCode(65 + i)}${at}`, h));
  const accounts: Cell[][] = [
    ACCOUNT_ROWS[0]!, // 中建三局
    withCell(withCell(ACCOUNT_ROWS[1]!, 1, f("NA()")), 9, f("1/0")), // 宝钢: 份额 #N/A, 累计签约额 #DIV/0!
    ACCOUNT_ROWS[2]!, // 海尔
    withCell(withCell(ACCOUNT_ROWS[3]!, 8, f("NA()")), 11, f("NA()")), // 美的: 营业额 #N/A, 付款态度 #N/A
  ];
  accounts.forEach((r, i) => r.forEach((v, c) => put(ws, `${String.fromCharCode(65 + c)}${at + 1 + i}`, v)));
  put(ws, "P12", f("KAM.VALUE(B12:H15)"));
  put(ws, "Q12", f("KAM.GRADE(B12:H15)"));
  put(ws, "R12", f("KAM.ABC(I12:I15,'客户分级'!I2:I7)"));
  put(ws, "S12", f("KAM.CLASS(J12:J15,K12:K15,L12:L15,M12:M15,N12:N15,O12:O15)"));
  put(ws, "T12", f("KAM.ABC(I12:I14,I12:I15)")); // the population holds #N/A
  put(ws, "U12", f("KAM.TIER(NA())"));
  put(ws, "U13", f("KAM.COMPLETION(1/0,5)"));
  put(ws, "U14", f('KAM.VISITS("战略客户",NA(),12)'));
  put(ws, "U15", f("KAM.TIER(1.1,B13)")); // cutoffs: a reference to an error cell
}

export async function financeWorkbook(): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("回款");
  rows(ws, COLLECTION_HEADERS, COLLECTION_ROWS);
  put(ws, "D2", f("KAM.COLLECTIONRATE(C2:C7,B2:B7)"));
  const kpi = wb.addWorksheet("指标");
  const cells: Array<[string, string]> = [
    ["B1", "KAM.CHURN(3,40)"],
    ["B2", "KAM.CHURN(1,0)"],
    ["B3", 'KAM.VISITS("战略客户","销售经理",12)'],
    ["B4", 'KAM.VISITS("重要客户","总经理",24)'],
    ["B5", 'KAM.VISITS("strategic","kaManager",3,,"en")'],
    ["B6", 'KAM.VISITS("重要客户","副总",6)'],
    ["B7", "KAM.COMPLETION(1150000,1000000)"],
    ["B8", "KAM.TIER(1.2)"],
    ["B9", 'KAM.TIER(1.2,,"en")'],
    ["B10", 'KAM.VISITS("重要客户","门卫",6)'],
    ["B11", 'KAM.COMPLETION(100,200,"fr")'],
    ["B12", 'KAM.VISITS("战略客户","联系领导",12,"002")'],
    ["B13", 'KAM.VISITS("重要客户","销售经理",6,2)'],
    ["B14", 'KAM.VISITS("战略客户","联系领导",12)'],
    ["B15", 'KAM.VISITS("战略客户","销售经理",12,"003")'],
    ["B16", "KAM.DEVELOPMENT(3,4)"],
    ["B17", "KAM.DEVELOPMENT(2,0)"],
    ["B18", "KAM.SETTLEMENT(870000,1000000)"],
    ["B19", "KAM.EXPENSECONTROL(115000.5,100000)"],
    ["B20", 'KAM.EXPENSECONTROL(-1,100000,"en")'],
    ["B21", "KAM.SETTLEMENT(D2:D4,E2:E4)"],
  ];
  // Settled and planned settlement (yuan) for the spilling KAM.SETTLEMENT in 指标!B21.
  for (const [r, settled, planned] of [[2, 500_000, 1_000_000], [3, 900_000, 900_000], [4, 10, 0]] as const) {
    put(kpi, `D${r}`, settled);
    put(kpi, `E${r}`, planned);
  }
  for (const [a, formula] of cells) put(kpi, a, f(formula));
  return wb;
}

export const FIXTURES = { "director.xlsx": directorWorkbook, "finance.xlsx": financeWorkbook } as const;

export async function writeFixtures(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (const [name, build] of Object.entries(FIXTURES)) {
    const path = join(dir, name);
    await (await build()).xlsx.writeFile(path);
    out.push(path);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFixtures(process.argv[2] ?? "test-artifacts/workbook").then((p) => console.log(p.join("\n")));
}
