import type { Bilingual } from "../errors.js";
import type { FunctionId } from "./signatures.js";

/**
 * The zh/en texts of the `KAM.*` functions (what Excel shows in the formula builder): a
 * description per function and per parameter, `lang` included. Read by the build only
 * (scripts/functions-metadata.ts writes functions.json and functions-zh-cn.json from
 * signatures.ts and these texts); never imported by functions.js, which stays small.
 *
 * Display names are the ids in both languages (=KAM.SCORE in Chinese and English Excel), and
 * parameter names are the same in both files: formulas written by the pane and the README's
 * examples then read the same everywhere, and the signatures stay frozen.
 */
export interface FunctionDoc {
  description: Bilingual;
  /** By parameter name, every parameter of signatures.ts and `lang`. */
  parameters: Readonly<Record<string, Bilingual>>;
}

type Doc = Bilingual;

const LANG_ZH = "标签与提示的语言：\"zh\" 或 \"en\"（默认跟随 Excel 显示语言）";
const VALUES: Doc = { en: "One person's inputs (a row), several people (rows), or a 2-row/2-column range with the headers inside.", zh: "一人一行的考核数据；多行则每行一人；也可为含表头的两行/两列区域" };
const MODEL: Doc = { en: "Scoring model id: ka-manager (default), ka-director, or one of your company's models.", zh: "评分模型编号：ka-manager（默认）、ka-director 或本公司的模型" };
const FACTORS: Doc = { en: "Seven scores 1–5: share, effort, deal risk, business value, payment risk, capability, difficulty.", zh: "7 个要素评分（1–5）：份额、时间精力费用、成交风险、经营价值、付款风险、供应服务能力、技术管理难度" };
const WEIGHTS: Doc = { en: "Seven weights (default 20, 10, 15, 20, 15, 10, 10).", zh: "7 个权重（默认 20、10、15、20、15、10、10）" };
const LANG: Doc = { en: "Language of messages: \"zh\" or \"en\".", zh: LANG_ZH };
const LANG_LABELS: Doc = { en: "Language of the labels: \"zh\" or \"en\".", zh: LANG_ZH };
const PERIOD: Doc = { en: "Period: 2026, 2026-H1, 2026-Q3 or 2026-09.", zh: "期间：2026、2026-H1、2026-Q3 或 2026-09" };
const ACCOUNT: Doc = { en: "Account id or exact name.", zh: "客户编号或准确名称" };

export const FUNCTION_DOCS: Readonly<Record<FunctionId, FunctionDoc>> = {
  SCORE: {
    description: { en: "Total points of a scorecard model (default ka-manager) for each row of values; several rows spill one total per row.", zh: "按评分模型（默认 ka-manager 大客户经理绩效考核）计算总分；多行数据每行溢出一个总分" },
    parameters: {
      values: VALUES,
      headers: { en: "Header row (or column) naming each input, e.g. 实际完成销售额 or salesActual.", zh: "表头行（或列），如 实际完成销售额、计划完成销售额" },
      model: MODEL,
      lang: { en: "Language of labels and messages: \"zh\" or \"en\" (default: Excel's display language).", zh: LANG_ZH },
    },
  },
  "SCORE.ITEMS": {
    description: { en: "Points of each scorecard item for each row of values, in model order; a header row of item names when asked.", zh: "按模型顺序列出每个考核项目的得分，每人一行；可加项目名称表头行" },
    parameters: {
      values: VALUES,
      headers: { en: "Header row (or column) naming each input.", zh: "表头行（或列），如 实际完成销售额、计划完成销售额" },
      model: MODEL,
      showHeaders: { en: "TRUE to add a first row with the item names.", zh: "TRUE 时第一行为项目名称" },
      lang: { en: "Language of labels and messages: \"zh\" or \"en\".", zh: LANG_ZH },
    },
  },
  VALUE: {
    description: { en: "Account value score 0–100 from the seven factor scores (1–5); several rows spill.", zh: "客户价值评估分（0–100），由 7 个要素评分加权计算；多行溢出" },
    parameters: {
      factors: FACTORS,
      weights: WEIGHTS,
      lang: LANG,
    },
  },
  GRADE: {
    description: { en: "Account grade A/B/C/D from the seven factor scores; several rows spill.", zh: "客户等级 A/B/C/D（价值评估分与分数线）；多行溢出" },
    parameters: {
      factors: FACTORS,
      weights: WEIGHTS,
      cutoffs: { en: "Three cut-offs for A, B and C (default 75, 55, 35).", zh: "A、B、C 三条分数线（默认 75、55、35）" },
      lang: LANG,
    },
  },
  URGENCY: {
    description: { en: "Urgency grade A–D from the five purchase signals, one row (or column) per purchase, or from the count of signals 0–5.", zh: "紧迫性等级 A–D：按五个采购信号（每次采购一行或一列）或信号个数计算" },
    parameters: {
      signals: { en: "Five signals TRUE/FALSE (objective need, subjective need, resolve, feasibility study started, vendor selection started), or a count 0–5.", zh: "五个信号 TRUE/FALSE：客观必要性、主观必要性、决心、已开始可行性研究、已开始选择供应商；或信号个数 0–5" },
      grades: { en: "Six grades for 0…5 signals (default D D C C B A).", zh: "0…5 个信号对应的六个等级（默认 D D C C B A）" },
      lang: LANG,
    },
  },
  CLASS: {
    description: { en: "The account's classes (quality, high-value, group, strategic, important), comma-separated; \"\" when none.", zh: "客户类型（优质、高值、集团、战略、重要），以“, ”连接；无则为空" },
    parameters: {
      cumulativeSales: { en: "Cumulative signed-contract sales, yuan.", zh: "累计签约消费额（元）" },
      largestContract: { en: "Largest single contract, yuan.", zh: "最大单笔合同额（元）" },
      paymentAttitude: { en: "Payment attitude: 爽快, 一般, 迟缓, 为难 or 嗜欠耗款.", zh: "付款态度：爽快、一般、迟缓、为难、嗜欠耗款" },
      closedReferrals: { en: "Referred customers that closed.", zh: "推荐并已成交的客户数" },
      isGroup: { en: "TRUE for a group account.", zh: "集团客户为 TRUE" },
      isStrategic: { en: "TRUE for a strategic account.", zh: "战略客户为 TRUE" },
      isParetoA: { en: "TRUE when the account is ABC class A (adds 重要客户, important).", zh: "ABC 为 A 类时为 TRUE（加“重要客户”），如 J2=\"A\"" },
      lang: LANG_LABELS,
    },
  },
  ABC: {
    description: { en: "Pareto class A/B/C of a revenue within all revenues (80/95); a range of values spills.", zh: "按营业额帕累托分类 A/B/C（80%/95%）；value 为区域时溢出" },
    parameters: {
      value: { en: "The account's revenue (or a range of them), yuan.", zh: "该客户营业额（元），或一列营业额" },
      allValues: { en: "Every account's revenue, yuan.", zh: "全部客户的营业额（元）" },
      lang: LANG,
    },
  },
  TIER: {
    description: { en: "Performance-pay tier of a sales completion ratio: not met, basically met, exceeded, outstanding.", zh: "绩效档位：未完成、基本完成、超额完成、突出完成" },
    parameters: {
      completion: { en: "Completion ratio (1 = 100%), or a range of them.", zh: "销售完成率（1 = 100%），可为区域" },
      cutoffs: { en: "Three cut-offs: basically met, exceeded, outstanding (default 0.9, 1.0, 1.2).", zh: "基本完成、超额完成、突出完成三条分界（默认 0.9、1.0、1.2）" },
      lang: LANG_LABELS,
    },
  },
  COMPLETION: {
    description: { en: "Sales plan completion: actual sales ÷ planned sales.", zh: "销售计划完成率 = 实际销售额 ÷ 计划销售额" },
    parameters: {
      actual: { en: "Actual sales, yuan.", zh: "实际销售额（元）" },
      plan: { en: "Planned sales, yuan.", zh: "计划销售额（元）" },
      lang: LANG,
    },
  },
  COLLECTIONRATE: {
    description: { en: "Collection rate: amount collected ÷ amount due.", zh: "合同回款率 = 实际回款额 ÷ 应回款金额" },
    parameters: {
      collected: { en: "Amount collected, yuan.", zh: "实际回款额（元）" },
      due: { en: "Amount contractually due, yuan.", zh: "应回款金额（元）" },
      lang: LANG,
    },
  },
  CHURN: {
    description: { en: "Key-account churn rate: accounts lost ÷ accounts at the start of the period.", zh: "大客户流失率 = 期内流失大客户数 ÷ 期初大客户数" },
    parameters: {
      lost: { en: "Key accounts lost in the period.", zh: "期内流失的大客户数" },
      atStart: { en: "Key accounts at the start of the period.", zh: "期初大客户数" },
      lang: LANG,
    },
  },
  DEVELOPMENT: {
    description: { en: "Development plan completion: new key accounts ÷ planned new key accounts.", zh: "开发计划完成率 = 新开发大客户数 ÷ 计划开发大客户数" },
    parameters: {
      newAccounts: { en: "New key accounts developed in the period.", zh: "期内新开发的大客户数" },
      planned: { en: "Planned new key accounts.", zh: "计划开发的大客户数" },
      lang: LANG,
    },
  },
  SETTLEMENT: {
    description: { en: "Sales contract settlement rate: amount settled ÷ planned settlement.", zh: "销售合同结算率 = 已结算金额 ÷ 计划结算金额" },
    parameters: {
      settled: { en: "Amount settled, yuan.", zh: "已结算金额（元）" },
      planned: { en: "Planned settlement, yuan.", zh: "计划结算金额（元）" },
      lang: LANG,
    },
  },
  EXPENSECONTROL: {
    description: { en: "Business expense control: actual business expenses ÷ expense budget.", zh: "商务费用控制率 = 实际商务费用 ÷ 费用预算" },
    parameters: {
      actual: { en: "Actual business expenses, yuan.", zh: "实际商务费用（元）" },
      budget: { en: "Expense budget, yuan.", zh: "费用预算（元）" },
      lang: LANG,
    },
  },
  VISITS: {
    description: { en: "Minimum visits required for an account class and our role over a number of months.", zh: "按客户类型与我方角色，计算若干个月内的最少拜访次数（004 或 002 拜访频次标准）" },
    parameters: {
      accountClass: { en: "Account class: strategic (战略客户) or important (重要客户).", zh: "客户类型：战略客户 或 重要客户" },
      role: { en: "Our role: kaManager, salesManager, vicePresident, generalManager, liaisonLeader (or their Chinese names).", zh: "我方角色：大客户经理、销售经理、副总、总经理、联系领导" },
      months: { en: "Number of months.", zh: "月数" },
      scheme: { en: "Cadence scheme: \"004\" (default, by account class) or \"002\" (liaison leader 4 a year, sales manager 1 a month).", zh: "拜访频次标准：\"004\"（默认，按客户类型）或 \"002\"（联系领导每年至少 4 次、销售经理每月至少 1 次）" },
      lang: LANG,
    },
  },
  COLLECTION: {
    description: { en: "Collection figure from the KAM store: rate (default), due, collected, credit, overdue or overdue90.", zh: "从 KAM 服务读取回款数据：回款率（默认）、应回款、已回款、多付余额、逾期、逾期90天以上" },
    parameters: {
      scope: { en: "account:<id>, owner:<userId>, team:<teamId>, * or an account name.", zh: "account:<编号>、owner:<用户>、team:<团队>、* 或客户名称" },
      period: PERIOD,
      measure: { en: "rate (default), due, collected, credit, overdue or overdue90.", zh: "rate（默认）、due、collected、credit、overdue 或 overdue90" },
      lang: LANG,
    },
  },
  TARGET: {
    description: { en: "Effective (latest approved) sales target from the KAM store.", zh: "从 KAM 服务读取生效（最新已批准）的销售指标（元）" },
    parameters: {
      owner: { en: "User id of the manager (or team id with level team).", zh: "经理的用户编号（level 为 team 时为团队编号）" },
      period: PERIOD,
      level: { en: "company, team, manager or account.", zh: "company、team、manager 或 account" },
      lang: LANG,
    },
  },
  ACCOUNT: {
    description: { en: "A field of an account from the KAM store (one you may read), e.g. grade, class, owner, stage.", zh: "从 KAM 服务读取客户档案字段（需有查看权限），如 等级、类型、负责人、开发阶段" },
    parameters: {
      account: ACCOUNT,
      field: { en: "Field: grade, class, owner, stage, name, industry… (or its Chinese name).", zh: "字段：grade、class、owner、stage、name、industry、reviewStale…（或中文名）" },
      lang: { en: "Language of labels: \"zh\" or \"en\".", zh: LANG_ZH },
    },
  },
  HEALTH: {
    description: { en: "Account health from the KAM store: the 0–100 score (default), the R/A/G status or the explanation.", zh: "从 KAM 服务读取客户健康度：0–100 分（默认）、红黄绿状态或说明" },
    parameters: {
      account: ACCOUNT,
      part: { en: "score (default), status or explanation.", zh: "score（得分，默认）、status（状态）或 explanation（说明）" },
      lang: { en: "Language of the explanation and messages: \"zh\" or \"en\".", zh: LANG_ZH },
    },
  },
  ARCHIVE: {
    description: { en: "Archive completeness of an account from the KAM store: filled required fields ÷ required fields.", zh: "从 KAM 服务读取大客户档案完整率 = 已填必填项 ÷ 必填项（需有查看权限）" },
    parameters: {
      account: ACCOUNT,
      lang: LANG,
    },
  },
};
