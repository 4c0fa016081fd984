/**
 * A corpus of messy workbooks, laid out the way key-account teams keep them: title rows above the
 * header, merged and two-row bilingual headers, 合计/小计 rows, blank rows, no owner column or
 * empty owner cells, vague and invalid cells, amounts in 万/亿, dates typed as text, everyday
 * header and value words, owners written as names, hidden and filtered rows.
 *
 * Each book carries its machine-readable expectation (1-based Excel rows): the header rows, the
 * column mapping and units, the rows skipped with their reason, every data row's parsed values
 * (people resolved against CORPUS_DIRECTORY), and the per-cell problems. The header/totals/grammar
 * tests assert them; sync tests can build the same books and assert whole sync plans.
 *
 * `npx tsx tests/corpus/make.ts <dir>` writes the .xlsx files for a look in Excel.
 */
import ExcelJS from "exceljs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CellProblemReason, DirectoryUser, EntityId, MoneyUnit, RawCell } from "../../shared/src/index.js";

export interface CorpusExpectation {
  /** 1-based rows of the header (two for bilingual or merged two-row headers). */
  headerRows: number[];
  /** 1-based first data row. */
  dataStart: number;
  /** Header text as detected (two rows joined by " / ") → field id; unrecognised headers are absent. */
  columns: Record<string, string>;
  /** Money unit per field, where the header or a `单位：` title row names one. */
  units: Partial<Record<string, MoneyUnit>>;
  /** Fields needed to save a new item that have no column. */
  missingRequired: string[];
  /** The sheet's language, from its headers (values are written in it). */
  lang: "zh" | "en";
  /** Rows that are not records. */
  skipped: { row: number; reason: "blank" | "totalsWord" | "sumOfAbove" }[];
  /** Hidden or filtered-out rows (still records: hiding is not an edit). */
  hidden: number[];
  /** Every data row with the values of its readable, non-empty cells. */
  records: { row: number; fields: Record<string, unknown> }[];
  /** Cells that cannot be read (their row is held back whole). */
  problems: { row: number; field: string; reason: CellProblemReason }[];
}

export interface CorpusBook {
  /** File name without extension. */
  name: string;
  description: string;
  entity: EntityId;
  sheet: string;
  /** Sheet content from row 1 (a JS Date is written as an Excel date). */
  rows: RawCell[][];
  /** A1 ranges merged. */
  merges?: string[];
  /** 1-based rows hidden (by hand or by the filter). */
  hidden?: number[];
  autoFilter?: string;
  expect: CorpusExpectation;
}

/** The tenant's directory the books' people cells resolve against. */
export const CORPUS_DIRECTORY: DirectoryUser[] = [
  { id: "m-li", name: "李明", roles: ["manager"] },
  { id: "m-wang", name: "王芳", roles: ["manager"] },
  { id: "m-zhang", name: "张伟", roles: ["manager"] },
  { id: "m-chen", name: "陈静", roles: ["manager"] },
  { id: "m-chen2", name: "陈静", roles: ["manager"] },
  { id: "d-zhao", name: "赵强", roles: ["director"] },
];

const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

/** Records from a field list and rows of [excelRow, ...values] (undefined values are left out). */
function recs(fields: string[], rows: unknown[][]): CorpusExpectation["records"] {
  return rows.map(([row, ...values]) => ({
    row: row as number,
    fields: Object.fromEntries(fields.flatMap((f, i) => (values[i] === undefined ? [] : [[f, values[i]]]))),
  }));
}

const BASE = { units: {}, missingRequired: [], skipped: [], hidden: [], problems: [], lang: "zh" } satisfies Partial<CorpusExpectation>;

export const CORPUS: CorpusBook[] = [
  {
    name: "01-title-rows",
    description: "two title rows and a blank row above the header; a 合计 row at the bottom",
    entity: "accounts",
    sheet: "客户档案",
    rows: [
      ["2026年华东区大客户档案"],
      ["制表：李明", null, null, "更新日期：2026-03-01"],
      [],
      ["客户编号", "客户名称", "负责人", "企业性质", "所在行业", "注册资本"],
      ["acc-001", "华东电力集团", "m-li", "国企", "电力", 500_000_000],
      ["acc-002", "申江物流", "m-wang", "民营", "物流", 20_000_000],
      ["acc-003", "远航外贸", "m-li", "外资", "贸易", 8_000_000],
      ["合计", null, null, null, null, 528_000_000],
    ],
    merges: ["A1:F1"],
    expect: {
      ...BASE,
      headerRows: [4],
      dataStart: 5,
      columns: { 客户编号: "id", 客户名称: "name", 负责人: "owner", 企业性质: "ownershipType", 所在行业: "industry", 注册资本: "registeredCapital" },
      skipped: [{ row: 8, reason: "totalsWord" }],
      records: recs(["id", "name", "owner", "ownershipType", "industry", "registeredCapital"], [
        [5, "acc-001", "华东电力集团", "m-li", "stateOwned", "电力", 500_000_000],
        [6, "acc-002", "申江物流", "m-wang", "private", "物流", 20_000_000],
        [7, "acc-003", "远航外贸", "m-li", "foreign", "贸易", 8_000_000],
      ]),
    },
  },
  {
    name: "02-merged-headers",
    description: "group headers merged across columns above the field headers; id and name merged down two rows; 注册资本(万元)",
    entity: "accounts",
    sheet: "客户档案",
    rows: [
      ["客户编号", "客户名称", "基本信息", null, "财务信息", null],
      [null, null, "所属行业", "企业性质", "注册资本(万元)", "付款态度"],
      ["acc-101", "北方钢铁", "钢铁", "国有企业", 5000, "一般"],
      ["acc-102", "南山建材", "建材", "民营企业", "1.2亿", "爽快"],
      ["acc-103", "西部能源", "能源", "合资", 800.5, "迟缓"],
    ],
    merges: ["A1:A2", "B1:B2", "C1:D1", "E1:F1"],
    expect: {
      ...BASE,
      headerRows: [1, 2],
      dataStart: 3,
      columns: { 客户编号: "id", 客户名称: "name", "基本信息 / 所属行业": "industry", 企业性质: "ownershipType", "财务信息 / 注册资本(万元)": "registeredCapital", 付款态度: "paymentAttitude" },
      units: { registeredCapital: "wan" },
      missingRequired: ["owner"],
      records: recs(["id", "name", "industry", "ownershipType", "registeredCapital", "paymentAttitude"], [
        [3, "acc-101", "北方钢铁", "钢铁", "stateOwned", 50_000_000, "average"],
        [4, "acc-102", "南山建材", "建材", "private", 120_000_000, "prompt"],
        [5, "acc-103", "西部能源", "能源", "jointVenture", 8_005_000, "slow"],
      ]),
    },
  },
  {
    name: "03-bilingual-two-row",
    description: "a zh header row above an en header row; values in both languages; owners as names",
    entity: "accounts",
    sheet: "Accounts",
    rows: [
      ["客户编号", "客户名称", "负责人", "企业性质", "成立年份", "战略客户"],
      ["Account ID", "Account name", "Owner", "Ownership type", "Founded year", "Strategic"],
      ["acc-201", "Huaxia Bank", "王芳", "State-owned", 1998, "Yes"],
      ["acc-202", "Pearl Textiles", "m-zhang", "私营", "2005", "No"],
      ["acc-203", "Jade Pharma", "李明", "Joint-stock", 2011, "是"],
    ],
    expect: {
      ...BASE,
      headerRows: [1, 2],
      dataStart: 3,
      columns: {
        "客户编号 / Account ID": "id",
        "客户名称 / Account name": "name",
        "负责人 / Owner": "owner",
        "企业性质 / Ownership type": "ownershipType",
        "成立年份 / Founded year": "foundedYear",
        "战略客户 / Strategic": "strategic",
      },
      records: recs(["id", "name", "owner", "ownershipType", "foundedYear", "strategic"], [
        [3, "acc-201", "Huaxia Bank", "m-wang", "stateOwned", 1998, true],
        [4, "acc-202", "Pearl Textiles", "m-zhang", "private", 2005, false],
        [5, "acc-203", "Jade Pharma", "m-li", "jointStock", 2011, true],
      ]),
    },
  },
  {
    name: "04-totals-subtotals",
    description: "a 小计 per region, an unlabelled subtotal, a 总计 row and an unlabelled grand total; an unrecognised 区域 column",
    entity: "accounts",
    sheet: "客户档案",
    rows: [
      ["客户编号", "客户名称", "区域", "注册资本", "负责人"],
      ["acc-301", "江南纺织", "华东", 1_000_000, "m-li"],
      ["acc-302", "太湖渔业", "华东", 2_000_000, "m-li"],
      [null, "华东小计", null, 3_000_000, null],
      ["acc-303", "燕山机械", "华北", 500_000, "m-wang"],
      ["acc-304", "渤海港务", "华北", "150万", "m-wang"],
      [null, null, null, 2_000_000, null],
      ["总计", null, null, 5_000_000, null],
      [null, null, null, 5_000_000, null],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 客户编号: "id", 客户名称: "name", 注册资本: "registeredCapital", 负责人: "owner" },
      skipped: [
        { row: 4, reason: "totalsWord" },
        { row: 7, reason: "sumOfAbove" },
        { row: 8, reason: "totalsWord" },
        { row: 9, reason: "sumOfAbove" },
      ],
      records: recs(["id", "name", "registeredCapital", "owner"], [
        [2, "acc-301", "江南纺织", 1_000_000, "m-li"],
        [3, "acc-302", "太湖渔业", 2_000_000, "m-li"],
        [5, "acc-303", "燕山机械", 500_000, "m-wang"],
        [6, "acc-304", "渤海港务", 1_500_000, "m-wang"],
      ]),
    },
  },
  {
    name: "05-blank-rows",
    description: "blank rows between records, a row of spaces, and a trailing cell holding only a space",
    entity: "accounts",
    sheet: "客户档案",
    rows: [
      ["客户编号", "客户名称", "负责人", "电话"],
      ["acc-401", "晨光文具", "m-zhang", "021-5555"],
      [],
      ["acc-402", "东方航空配件", "m-zhang", "010-8888"],
      ["   ", null, "", null],
      ["acc-403", "青松林业", "m-li", null],
      [],
      [" "],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 客户编号: "id", 客户名称: "name", 负责人: "owner", 电话: "phone" },
      skipped: [
        { row: 3, reason: "blank" },
        { row: 5, reason: "blank" },
        { row: 7, reason: "blank" },
        { row: 8, reason: "blank" },
      ],
      records: recs(["id", "name", "owner", "phone"], [
        [2, "acc-401", "晨光文具", "m-zhang", "021-5555"],
        [4, "acc-402", "东方航空配件", "m-zhang", "010-8888"],
        [6, "acc-403", "青松林业", "m-li", undefined],
      ]),
    },
  },
  {
    name: "06-no-owner-column",
    description: "a manager's sheet with no 负责人 column at all",
    entity: "accounts",
    sheet: "我的客户",
    rows: [
      ["客户编号", "客户名称", "所在行业", "付款态度"],
      ["acc-501", "长江航运", "航运", "爽快"],
      ["acc-502", "黄河水电", "电力", "为难"],
      ["acc-503", "珠江啤酒", "食品", "嗜欠耗款"],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 客户编号: "id", 客户名称: "name", 所在行业: "industry", 付款态度: "paymentAttitude" },
      missingRequired: ["owner"],
      records: recs(["id", "name", "industry", "paymentAttitude"], [
        [2, "acc-501", "长江航运", "航运", "prompt"],
        [3, "acc-502", "黄河水电", "电力", "difficult"],
        [4, "acc-503", "珠江啤酒", "食品", "chronicDebtor"],
      ]),
    },
  },
  {
    name: "07-empty-owner-cells",
    description: "an owner column with empty cells (never an implicit owner change)",
    entity: "accounts",
    sheet: "客户档案",
    rows: [
      ["客户编号", "客户名称", "负责人", "银行信用"],
      ["acc-601", "金桥建设", "李明", "很好"],
      ["acc-602", "银河电子", null, "好"],
      ["acc-603", "红星乳业", "", "一般"],
      ["acc-604", "蓝天环保", "m-wang", "差"],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 客户编号: "id", 客户名称: "name", 负责人: "owner", 银行信用: "credit" },
      records: recs(["id", "name", "owner", "credit"], [
        [2, "acc-601", "金桥建设", "m-li", "veryGood"],
        [3, "acc-602", "银河电子", undefined, "good"],
        [4, "acc-603", "红星乳业", undefined, "fair"],
        [5, "acc-604", "蓝天环保", "m-wang", "poor"],
      ]),
    },
  },
  {
    name: "08-invalid-cells",
    description: "注册资本 待定 and 约100 (vague), 5亿 (valid), a founding year in Chinese numerals",
    entity: "accounts",
    sheet: "客户档案",
    rows: [
      ["客户编号", "客户名称", "负责人", "注册资本", "成立年份"],
      ["acc-701", "华北重工", "m-li", "5亿", 1990],
      ["acc-702", "长城汽车配件", "m-li", "待定", 2001],
      ["acc-703", "海天调味", "m-wang", "约100", 2008],
      ["acc-704", "松江电机", "m-wang", "1,200,000", "二〇一〇"],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 客户编号: "id", 客户名称: "name", 负责人: "owner", 注册资本: "registeredCapital", 成立年份: "foundedYear" },
      problems: [
        { row: 3, field: "registeredCapital", reason: "ambiguous" },
        { row: 4, field: "registeredCapital", reason: "ambiguous" },
        { row: 5, field: "foundedYear", reason: "notNumber" },
      ],
      records: recs(["id", "name", "owner", "registeredCapital", "foundedYear"], [
        [2, "acc-701", "华北重工", "m-li", 500_000_000, 1990],
        [3, "acc-702", "长城汽车配件", "m-li", undefined, 2001],
        [4, "acc-703", "海天调味", "m-wang", undefined, 2008],
        [5, "acc-704", "松江电机", "m-wang", 1_200_000, undefined],
      ]),
    },
  },
  {
    name: "09-wan-yi-units",
    description: "注册资本(万元): plain figures in 万, cells naming 亿 or 万 themselves, grouping commas, full-width digits; ¥1,200,000 (yuan or 万?) is a problem",
    entity: "accounts",
    sheet: "客户档案",
    rows: [
      ["客户编号", "客户名称", "注册资本(万元)", "负责人"],
      ["acc-801", "中原粮油", 500, "m-zhang"],
      ["acc-802", "秦岭药业", "1.2亿", "m-zhang"],
      ["acc-803", "巴蜀火锅", "120万", "m-zhang"],
      ["acc-804", "闽江茶业", "3,000.5", "m-zhang"],
      ["acc-805", "漓江旅游", "１２０", "m-zhang"],
      ["acc-806", "武夷岩茶", "¥1,200,000", "m-zhang"],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 客户编号: "id", 客户名称: "name", "注册资本(万元)": "registeredCapital", 负责人: "owner" },
      units: { registeredCapital: "wan" },
      records: recs(["id", "name", "registeredCapital", "owner"], [
        [2, "acc-801", "中原粮油", 5_000_000, "m-zhang"],
        [3, "acc-802", "秦岭药业", 120_000_000, "m-zhang"],
        [4, "acc-803", "巴蜀火锅", 1_200_000, "m-zhang"],
        [5, "acc-804", "闽江茶业", 30_005_000, "m-zhang"],
        [6, "acc-805", "漓江旅游", 1_200_000, "m-zhang"],
        [7, "acc-806", "武夷岩茶", undefined, "m-zhang"],
      ]),
      problems: [{ row: 7, field: "registeredCapital", reason: "ambiguous" }],
    },
  },
  {
    name: "10-contracts-text-dates",
    description: "contracts under a 单位：万元 title row; signing dates typed as text in four ways; one month/day-ambiguous date",
    entity: "contracts",
    sheet: "合同",
    rows: [
      ["单位：万元"],
      ["合同编号(系统)", "合同编号", "客户编号", "签订日期", "合同金额"],
      ["ctr-1", "HT-2026-001", "acc-001", "2026年3月5日", 120],
      ["ctr-2", "HT-2026-002", "acc-002", "2026/3/5", "85.5"],
      ["ctr-3", "HT-2026-003", "acc-003", "2026.3.5", "1,000万"],
      ["ctr-4", "HT-2026-004", "acc-001", day(2026, 4, 1), "0.5亿"],
      ["ctr-5", "HT-2026-005", "acc-002", "3/5/2026", 10],
    ],
    expect: {
      ...BASE,
      headerRows: [2],
      dataStart: 3,
      columns: { "合同编号(系统)": "id", 合同编号: "number", 客户编号: "accountId", 签订日期: "signedDate", 合同金额: "amountYuan" },
      units: { amountYuan: "wan" },
      problems: [{ row: 7, field: "signedDate", reason: "ambiguous" }],
      records: recs(["id", "number", "accountId", "signedDate", "amountYuan"], [
        [3, "ctr-1", "HT-2026-001", "acc-001", "2026-03-05", 1_200_000],
        [4, "ctr-2", "HT-2026-002", "acc-002", "2026-03-05", 855_000],
        [5, "ctr-3", "HT-2026-003", "acc-003", "2026-03-05", 10_000_000],
        [6, "ctr-4", "HT-2026-004", "acc-001", "2026-04-01", 50_000_000],
        [7, "ctr-5", "HT-2026-005", "acc-002", undefined, 100_000],
      ]),
    },
  },
  {
    name: "11-visit-plans-months",
    description: "months as 2026年4月, 2026-04 and a date; visiting roles by everyday names; owners as names; one unreadable month",
    entity: "visitPlans",
    sheet: "月拜访计划表",
    rows: [
      ["计划编号", "客户编号", "月份", "拜访角色", "负责人", "计划日期"],
      ["vp-1", "acc-001", "2026年4月", "大客户经理", "李明", "2026-04-08"],
      ["vp-2", "acc-002", "2026-04", "客户经理", "m-wang", day(2026, 4, 15)],
      ["vp-3", "acc-003", day(2026, 5, 1), "总经理", "张伟", "2026年5月20日"],
      ["vp-4", "acc-001", "下个月", "销售经理", "m-li", null],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 计划编号: "id", 客户编号: "accountId", 月份: "month", 拜访角色: "role", 负责人: "owner", 计划日期: "plannedDate" },
      problems: [{ row: 5, field: "month", reason: "notMonth" }],
      records: recs(["id", "accountId", "month", "role", "owner", "plannedDate"], [
        [2, "vp-1", "acc-001", "2026-04", "kaManager", "m-li", "2026-04-08"],
        [3, "vp-2", "acc-002", "2026-04", "kaManager", "m-wang", "2026-04-15"],
        [4, "vp-3", "acc-003", "2026-05", "generalManager", "m-zhang", "2026-05-20"],
        [5, "vp-4", "acc-001", undefined, "salesManager", "m-li", undefined],
      ]),
    },
  },
  {
    name: "12-header-and-value-synonyms",
    description: "everyday headers (编号, 公司名称, 客户经理, 性质, 所属行业, 注册资本(元), 是否战略客户) and values (央企, 上市公司, 国有企业, √/×, Y/N, TRUE/FALSE); an unknown ownership word and an x",
    entity: "accounts",
    sheet: "客户",
    rows: [
      ["编号", "公司名称", "客户经理", "性质", "所属行业", "注册资本(元)", "是否战略客户", "集团客户"],
      ["acc-901", "中铁十八局", "m-li", "央企", "建筑", 300_000_000, "√", "是"],
      ["acc-902", "科大讯飞", "m-li", "上市公司", "软件", "¥2,300,000,000", "×", "否"],
      ["acc-903", "本地农商行", "m-wang", "国有企业", "金融", "12亿", "Y", "N"],
      ["acc-904", "小河乡镇企业", "m-wang", "乡镇企业", "制造", 5_000_000, "TRUE", "FALSE"],
      ["acc-905", "某某贸易", "m-wang", "民企", "贸易", 1_000_000, "x", false],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 编号: "id", 公司名称: "name", 客户经理: "owner", 性质: "ownershipType", 所属行业: "industry", "注册资本(元)": "registeredCapital", 是否战略客户: "strategic", 集团客户: "group" },
      units: { registeredCapital: "yuan" },
      problems: [
        { row: 5, field: "ownershipType", reason: "unknownValue" },
        { row: 6, field: "strategic", reason: "ambiguous" },
      ],
      records: recs(["id", "name", "owner", "ownershipType", "industry", "registeredCapital", "strategic", "group"], [
        [2, "acc-901", "中铁十八局", "m-li", "stateOwned", "建筑", 300_000_000, true, true],
        [3, "acc-902", "科大讯飞", "m-li", "jointStock", "软件", 2_300_000_000, false, false],
        [4, "acc-903", "本地农商行", "m-wang", "stateOwned", "金融", 1_200_000_000, true, false],
        [5, "acc-904", "小河乡镇企业", "m-wang", undefined, "制造", 5_000_000, true, false],
        [6, "acc-905", "某某贸易", "m-wang", "private", "贸易", 1_000_000, undefined, false],
      ]),
    },
  },
  {
    name: "13-contacts-synonyms",
    description: "decision chain with 决策角色 words (决策人, 采购, 使用部门), ratings as words (支持/中立/反对, 非常亲密) and full-width digits; blank ratings; two unknown rating words",
    entity: "contacts",
    sheet: "决策链",
    rows: [
      ["客户编号", "联系人编号", "联系人", "职务", "决策角色", "亲密程度", "专业程度", "支持程度"],
      ["acc-001", "ct-1", "周总", "总经理", "决策人", "非常亲密", "５", "支持"],
      ["acc-001", "ct-2", "吴工", "总工程师", "把关者", "一般", 4, "中立"],
      ["acc-001", "ct-3", "郑主任", "采购部主任", "采购", 2, "专业", "反对"],
      ["acc-002", "ct-4", "冯经理", "使用部门经理", "使用部门", null, null, null],
      ["acc-002", "ct-5", "陈秘书", "秘书", "影响者", "很熟", "高", "强烈支持"],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 客户编号: "accountId", 联系人编号: "id", 联系人: "name", 职务: "title", 决策角色: "role", 亲密程度: "intimacy", 专业程度: "professionalism", 支持程度: "support" },
      problems: [
        { row: 6, field: "intimacy", reason: "unknownValue" },
        { row: 6, field: "professionalism", reason: "unknownValue" },
      ],
      records: recs(["accountId", "id", "name", "title", "role", "intimacy", "professionalism", "support"], [
        [2, "acc-001", "ct-1", "周总", "总经理", "decider", 5, 5, 4],
        [3, "acc-001", "ct-2", "吴工", "总工程师", "gatekeeper", 3, 4, 3],
        [4, "acc-001", "ct-3", "郑主任", "采购部主任", "buyer", 2, 4, 2],
        [5, "acc-002", "ct-4", "冯经理", "使用部门经理", "user", undefined, undefined, undefined],
        [6, "acc-002", "ct-5", "陈秘书", "秘书", "influencer", undefined, undefined, 5],
      ]),
    },
  },
  {
    name: "14-names-as-owners",
    description: "owners and liaison leaders written as names: unique, duplicated in the directory, a director as owner, unknown",
    entity: "accounts",
    sheet: "客户档案",
    rows: [
      ["客户编号", "客户名称", "负责人", "联系领导"],
      ["acc-1001", "新华书店", "李明", "赵强"],
      ["acc-1002", "人民医院", "王芳", "王芳"],
      ["acc-1003", "第一中学", "陈静", null],
      ["acc-1004", "市自来水公司", "赵强", null],
      ["acc-1005", "晚报社", "刘洋", null],
      ["acc-1006", "体育中心", "m-zhang", "李明"],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 客户编号: "id", 客户名称: "name", 负责人: "owner", 联系领导: "liaisonLeader" },
      problems: [
        { row: 4, field: "owner", reason: "ambiguousPerson" },
        { row: 5, field: "owner", reason: "notManager" },
        { row: 6, field: "owner", reason: "unknownPerson" },
      ],
      records: recs(["id", "name", "owner", "liaisonLeader"], [
        [2, "acc-1001", "新华书店", "m-li", "d-zhao"],
        [3, "acc-1002", "人民医院", "m-wang", "m-wang"],
        [4, "acc-1003", "第一中学", undefined, undefined],
        [5, "acc-1004", "市自来水公司", undefined, undefined],
        [6, "acc-1005", "晚报社", undefined, undefined],
        [7, "acc-1006", "体育中心", "m-zhang", "m-li"],
      ]),
    },
  },
  {
    name: "15-hidden-and-filtered",
    description: "an auto-filtered sheet with a filtered-out row and a hand-hidden row; stages by name and number",
    entity: "accounts",
    sheet: "客户档案",
    rows: [
      ["客户编号", "客户名称", "负责人", "开发阶段", "客户等级"],
      ["acc-1101", "港口集团", "m-li", "信息收集", "A"],
      ["acc-1102", "机场集团", "m-li", "价值评估", "B"],
      ["acc-1103", "地铁公司", "m-wang", "促成成交", "A"],
      ["acc-1104", "燃气公司", "m-wang", "3", "C"],
      ["acc-1105", "水务集团", "m-zhang", "建立关系", "D"],
    ],
    hidden: [3, 5],
    autoFilter: "A1:E6",
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      columns: { 客户编号: "id", 客户名称: "name", 负责人: "owner", 开发阶段: "stage", 客户等级: "grade" },
      hidden: [3, 5],
      records: recs(["id", "name", "owner", "stage", "grade"], [
        [2, "acc-1101", "港口集团", "m-li", "discover", "A"],
        [3, "acc-1102", "机场集团", "m-li", "assess", "B"],
        [4, "acc-1103", "地铁公司", "m-wang", "close", "A"],
        [5, "acc-1104", "燃气公司", "m-wang", "assess", "C"],
        [6, "acc-1105", "水务集团", "m-zhang", "relate", "D"],
      ]),
    },
  },
  {
    name: "16-english",
    description: "an English sheet: Registered capital (10k yuan), Yes/No and TRUE/FALSE cells, a Total row",
    entity: "accounts",
    sheet: "Accounts",
    rows: [
      ["Account ID", "Account name", "Owner", "Ownership type", "Registered capital (10k yuan)", "Strategic", "Group"],
      ["acc-1201", "Acme Steel", "m-li", "Private", 250, "Yes", "No"],
      ["acc-1202", "Beta Power", "m-wang", "State-owned", "1.5亿", true, false],
      ["acc-1203", "Gamma Foods", "m-wang", "Foreign", 12.5, "No", "no"],
      ["Total", null, null, null, 15262.5, null, null],
    ],
    expect: {
      ...BASE,
      headerRows: [1],
      dataStart: 2,
      lang: "en",
      columns: { "Account ID": "id", "Account name": "name", Owner: "owner", "Ownership type": "ownershipType", "Registered capital (10k yuan)": "registeredCapital", Strategic: "strategic", Group: "group" },
      units: { registeredCapital: "wan" },
      skipped: [{ row: 5, reason: "totalsWord" }],
      records: recs(["id", "name", "owner", "ownershipType", "registeredCapital", "strategic", "group"], [
        [2, "acc-1201", "Acme Steel", "m-li", "private", 2_500_000, true, false],
        [3, "acc-1202", "Beta Power", "m-wang", "stateOwned", 150_000_000, true, false],
        [4, "acc-1203", "Gamma Foods", "m-wang", "foreign", 125_000, false, false],
      ]),
    },
  },
];

/** One book as an exceljs workbook. */
export function buildWorkbook(book: CorpusBook): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(book.sheet);
  book.rows.forEach((cells, r) => {
    const row = ws.getRow(r + 1);
    cells.forEach((v, c) => {
      if (v === null || v === undefined) return;
      const cell = row.getCell(c + 1);
      cell.value = v;
      if (v instanceof Date) cell.numFmt = "yyyy-mm-dd";
    });
    row.commit();
  });
  for (const m of book.merges ?? []) ws.mergeCells(m);
  for (const r of book.hidden ?? []) ws.getRow(r).hidden = true;
  if (book.autoFilter) ws.autoFilter = book.autoFilter;
  return wb;
}

/** Write every book as `<dir>/<name>.xlsx`; returns the paths. */
export async function writeCorpus(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const book of CORPUS) {
    const path = join(dir, `${book.name}.xlsx`);
    await buildWorkbook(book).xlsx.writeFile(path);
    paths.push(path);
  }
  return paths;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = process.argv[2] ?? "corpus-out";
  void writeCorpus(dir).then((p) => console.log(`wrote ${p.length} workbooks to ${dir}`));
}
