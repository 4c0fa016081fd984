import type { FunctionId } from "../../../shared/src/excel/eval.js";

/**
 * zh-CN strings of functions.json (docs/platform.md §2: generated metadata cannot be
 * localised, so the build derives functions-zh-cn.json from it with this table). Keyed by
 * function id; only `name`/`description` of functions and parameters change, ids never.
 * Function names stay the ids (=KAM.SCORE in every language): formulas written by the pane and
 * the README's examples then read the same in Chinese and English Excel.
 */
export interface FunctionStrings {
  name?: string;
  description: string;
  /** By the parameter's generated (English) name. */
  parameters: Readonly<Record<string, { name?: string; description: string }>>;
}

const LANG = { description: "标签与提示的语言：\"zh\" 或 \"en\"（默认跟随 Excel 显示语言）" };
const SCORE_PARAMS = {
  values: { description: "一人一行的考核数据；多行则每行一人；也可为含表头的两行/两列区域" },
  headers: { description: "表头行（或列），如 实际完成销售额、计划完成销售额" },
  model: { description: "评分模型编号：ka-manager（默认）、ka-director 或本公司的模型" },
  lang: LANG,
};
const FACTORS = { description: "7 个要素评分（1–5）：份额、时间精力费用、成交风险、经营价值、付款风险、供应服务能力、技术管理难度" };
const WEIGHTS = { description: "7 个权重（默认 20、10、15、20、15、10、10）" };

export const ZH_CN: Readonly<Record<FunctionId, FunctionStrings>> = {
  SCORE: { description: "按评分模型（默认 ka-manager 大客户经理绩效考核）计算总分；多行数据每行溢出一个总分", parameters: SCORE_PARAMS },
  "SCORE.ITEMS": {
    description: "按模型顺序列出每个考核项目的得分，每人一行；可加项目名称表头行",
    parameters: { ...SCORE_PARAMS, showHeaders: { description: "TRUE 时第一行为项目名称" } },
  },
  VALUE: { description: "客户价值评估分（0–100），由 7 个要素评分加权计算；多行溢出", parameters: { factors: FACTORS, weights: WEIGHTS, lang: LANG } },
  GRADE: {
    description: "客户等级 A/B/C/D（价值评估分与分数线）；多行溢出",
    parameters: { factors: FACTORS, weights: WEIGHTS, cutoffs: { description: "A、B、C 三条分数线（默认 75、55、35）" }, lang: LANG },
  },
  CLASS: {
    description: "客户类型（优质、高值、集团、战略、重要），以“, ”连接；无则为空",
    parameters: {
      cumulativeSales: { description: "累计签约消费额（元）" },
      largestContract: { description: "最大单笔合同额（元）" },
      paymentAttitude: { description: "付款态度：爽快、一般、迟缓、为难、嗜欠耗款" },
      closedReferrals: { description: "推荐并已成交的客户数" },
      isGroup: { description: "集团客户为 TRUE" },
      isStrategic: { description: "战略客户为 TRUE" },
      isParetoA: { description: "ABC 为 A 类时为 TRUE（加“重要客户”），如 J2=\"A\"" },
      lang: LANG,
    },
  },
  ABC: {
    description: "按营业额帕累托分类 A/B/C（80%/95%）；value 为区域时溢出",
    parameters: { value: { description: "该客户营业额（元），或一列营业额" }, allValues: { description: "全部客户的营业额（元）" }, lang: LANG },
  },
  TIER: {
    description: "绩效档位：未完成、基本完成、超额完成、突出完成",
    parameters: { completion: { description: "销售完成率（1 = 100%），可为区域" }, cutoffs: { description: "基本完成、超额完成、突出完成三条分界（默认 0.9、1.0、1.2）" }, lang: LANG },
  },
  COMPLETION: {
    description: "销售计划完成率 = 实际销售额 ÷ 计划销售额",
    parameters: { actual: { description: "实际销售额（元）" }, plan: { description: "计划销售额（元）" }, lang: LANG },
  },
  COLLECTIONRATE: {
    description: "合同回款率 = 实际回款额 ÷ 应回款金额",
    parameters: { collected: { description: "实际回款额（元）" }, due: { description: "应回款金额（元）" }, lang: LANG },
  },
  CHURN: {
    description: "大客户流失率 = 期内流失大客户数 ÷ 期初大客户数",
    parameters: { lost: { description: "期内流失的大客户数" }, atStart: { description: "期初大客户数" }, lang: LANG },
  },
  VISITS: {
    description: "按客户类型与我方角色，计算若干个月内的最少拜访次数（004 或 002 拜访频次标准）",
    parameters: {
      accountClass: { description: "客户类型：战略客户 或 重要客户" },
      role: { description: "我方角色：大客户经理、销售经理、副总、总经理、联系领导" },
      months: { description: "月数" },
      scheme: { description: "拜访频次标准：\"004\"（默认，按客户类型）或 \"002\"（联系领导每年至少 4 次、销售经理每月至少 1 次）" },
      lang: LANG,
    },
  },
  DEVELOPMENT: {
    description: "开发计划完成率 = 新开发大客户数 ÷ 计划开发大客户数",
    parameters: { newAccounts: { description: "期内新开发的大客户数" }, planned: { description: "计划开发的大客户数" }, lang: LANG },
  },
  SETTLEMENT: {
    description: "销售合同结算率 = 已结算金额 ÷ 计划结算金额",
    parameters: { settled: { description: "已结算金额（元）" }, planned: { description: "计划结算金额（元）" }, lang: LANG },
  },
  EXPENSECONTROL: {
    description: "商务费用控制率 = 实际商务费用 ÷ 费用预算",
    parameters: { actual: { description: "实际商务费用（元）" }, budget: { description: "费用预算（元）" }, lang: LANG },
  },
  COLLECTION: {
    description: "从 KAM 服务读取回款数据：回款率（默认）、应回款、已回款、多付余额、逾期、逾期90天以上",
    parameters: {
      scope: { description: "account:<编号>、owner:<用户>、team:<团队>、* 或客户名称" },
      period: { description: "期间：2026、2026-H1、2026-Q3 或 2026-09" },
      measure: { description: "rate（默认）、due、collected、credit、overdue 或 overdue90" },
      lang: LANG,
    },
  },
  TARGET: {
    description: "从 KAM 服务读取生效（最新已批准）的销售指标（元）",
    parameters: {
      owner: { description: "经理的用户编号（level 为 team 时为团队编号）" },
      period: { description: "期间：2026、2026-H1、2026-Q3 或 2026-09" },
      level: { description: "company、team、manager 或 account" },
      lang: LANG,
    },
  },
  ACCOUNT: {
    description: "从 KAM 服务读取客户档案字段（需有查看权限），如 等级、类型、负责人、开发阶段",
    parameters: {
      account: { description: "客户编号或准确名称" },
      field: { description: "字段：grade、class、owner、stage、name、industry、reviewStale…（或中文名）" },
      lang: LANG,
    },
  },
  URGENCY: {
    description: "紧迫性等级 A–D：按五个采购信号（每次采购一行或一列）或信号个数计算",
    parameters: {
      signals: { description: "五个信号 TRUE/FALSE：客观必要性、主观必要性、决心、已开始可行性研究、已开始选择供应商；或信号个数 0–5" },
      grades: { description: "0…5 个信号对应的六个等级（默认 D D C C B A）" },
      lang: LANG,
    },
  },
  HEALTH: {
    description: "从 KAM 服务读取客户健康度：0–100 分（默认）、红黄绿状态或说明",
    parameters: {
      account: { description: "客户编号或准确名称" },
      part: { description: "score（得分，默认）、status（状态）或 explanation（说明）" },
      lang: LANG,
    },
  },
  ARCHIVE: {
    description: "从 KAM 服务读取大客户档案完整率 = 已填必填项 ÷ 必填项（需有查看权限）",
    parameters: { account: { description: "客户编号或准确名称" }, lang: LANG },
  },
};

interface Metadata {
  functions: Array<{ id: string; name: string; description?: string; parameters: Array<{ name: string; description?: string }> }>;
}

/** functions.json → functions-zh-cn.json: same ids, types and shapes; zh names/descriptions. */
export function localizeMetadata<T extends Metadata>(metadata: T, table: Readonly<Record<string, FunctionStrings>> = ZH_CN): { json: T; missing: string[] } {
  const missing: string[] = [];
  const json = structuredClone(metadata);
  for (const f of json.functions) {
    const t = table[f.id];
    if (!t) {
      missing.push(f.id);
      continue;
    }
    if (t.name) f.name = t.name;
    f.description = t.description;
    for (const p of f.parameters) {
      const tp = t.parameters[p.name];
      if (!tp) {
        missing.push(`${f.id}.${p.name}`);
        continue;
      }
      if (tp.name) p.name = tp.name;
      p.description = tp.description;
    }
  }
  return { json, missing };
}
