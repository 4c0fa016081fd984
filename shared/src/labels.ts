import type { Bilingual, Lang } from "./errors.js";
import { must } from "./checked.js";
import { normalizeKey } from "./text.js";

/**
 * Bilingual labels for every enum (docs/domain.md §1–§5, docs/contracts.md §4).
 * Ids are stable and stored; labels are what cells and the pane show.
 * Extra `aliases` are other spellings accepted on input (e.g. the sources' Chinese names).
 */
export interface EnumEntry<Id extends string = string> {
  id: Id;
  zh: string;
  en: string;
  aliases?: readonly string[];
}

/** Pure: an enum list no code reads is left out of the bundles. */
/*#__NO_SIDE_EFFECTS__*/
function defineEnum<const Id extends string>(entries: readonly EnumEntry<Id>[]) {
  const ids = entries.map((e) => e.id) as Id[];
  const lookup = new Map<string, Id>();
  for (const e of entries) {
    for (const s of [e.id, e.zh, e.en, ...(e.aliases ?? [])]) lookup.set(normalizeKey(s), e.id);
  }
  return {
    entries,
    ids: ids as readonly Id[],
    /** Id from an id, a zh or en label, or an alias (case/space/width-insensitive). */
    parse(s: unknown): Id | undefined {
      if (typeof s !== "string") return undefined;
      return lookup.get(normalizeKey(s));
    },
    label(id: Id, lang: Lang): string {
      const e = entries.find((x) => x.id === id);
      return e ? e[lang] : id;
    },
    bilingual(id: Id): Bilingual {
      const e = must(entries.find((x) => x.id === id), `label ${id}`);
      return { zh: e.zh, en: e.en };
    },
  };
}

export type EnumOf<E> = E extends { ids: readonly (infer Id)[] } ? Id : never;

/** docs/domain.md §3.2 */
export const GRADES = defineEnum([
  { id: "A", zh: "A 全力以赴", en: "A — all-out" },
  { id: "B", zh: "B 控制时间、维持关系", en: "B — control time, maintain" },
  { id: "C", zh: "C 关注变化、维持", en: "C — watch, maintain" },
  { id: "D", zh: "D 暂缓观察", en: "D — postpone, observe" },
] as const);
export type Grade = EnumOf<typeof GRADES>;

/** docs/domain.md §3.3 */
export const ABC_CLASSES = defineEnum([
  { id: "A", zh: "A 类", en: "A" },
  { id: "B", zh: "B 类", en: "B" },
  { id: "C", zh: "C 类", en: "C" },
] as const);
export type AbcClass = EnumOf<typeof ABC_CLASSES>;

/** docs/domain.md §3.1 — order is the order `KAM.CLASS` joins them in (docs/contracts.md). */
export const ACCOUNT_CLASSES = defineEnum([
  { id: "quality", zh: "优质客户", en: "Quality" },
  { id: "highValue", zh: "高值客户", en: "High-value" },
  { id: "group", zh: "集团客户", en: "Group" },
  { id: "strategic", zh: "战略客户", en: "Strategic" },
  { id: "important", zh: "重要客户", en: "Important" },
] as const);
export type AccountClass = EnumOf<typeof ACCOUNT_CLASSES>;

/** docs/domain.md §8 performance-pay tiers. */
export const TIERS = defineEnum([
  { id: "notMet", zh: "未完成", en: "Not met" },
  { id: "basicallyMet", zh: "基本完成", en: "Basically met" },
  { id: "exceeded", zh: "超额完成", en: "Exceeded" },
  { id: "outstanding", zh: "突出完成", en: "Outstanding" },
] as const);
export type Tier = EnumOf<typeof TIERS>;

/** docs/domain.md §1 */
export const ROLES = defineEnum([
  { id: "director", zh: "大客户总监", en: "Director", aliases: ["公司层领导", "总监"] },
  { id: "manager", zh: "大客户经理", en: "Manager", aliases: ["销售经理", "经理"] },
  { id: "specialist", zh: "大客户专员", en: "Specialist", aliases: ["专员"] },
  { id: "finance", zh: "财务", en: "Finance" },
  { id: "admin", zh: "管理员", en: "Admin" },
] as const);
export type Role = EnumOf<typeof ROLES>;

/** docs/domain.md §4 */
export const STAGES = defineEnum([
  { id: "target", zh: "确定开发对象", en: "Target", aliases: ["1"] },
  { id: "discover", zh: "信息收集/提供演示", en: "Discover", aliases: ["2", "信息收集", "提供演示"] },
  { id: "assess", zh: "价值评估/开发程序设计", en: "Assess", aliases: ["3", "价值评估", "开发程序设计"] },
  { id: "relate", zh: "与关键决策人建立关系", en: "Relate", aliases: ["4", "建立关系"] },
  { id: "close", zh: "促成成交", en: "Close", aliases: ["5", "成交"] },
] as const);
export type Stage = EnumOf<typeof STAGES>;

/** docs/domain.md §2 decision-chain roles. */
export const CONTACT_ROLES = defineEnum([
  { id: "decider", zh: "决策者", en: "Decider", aliases: ["决策人", "拍板人", "Decision maker"] },
  { id: "gatekeeper", zh: "把关者", en: "Gatekeeper", aliases: ["把关人"] },
  { id: "user", zh: "使用者", en: "User", aliases: ["使用人", "用户", "使用部门"] },
  { id: "buyer", zh: "采购者", en: "Buyer", aliases: ["采购人", "采购", "采购部门"] },
  { id: "influencer", zh: "影响者", en: "Influencer", aliases: ["影响人"] },
] as const);
export type ContactRole = EnumOf<typeof CONTACT_ROLES>;

/** docs/domain.md §2 decision-chain layers. */
export const CONTACT_LAYERS = defineEnum([
  { id: "decision", zh: "决策层", en: "Decision" },
  { id: "management", zh: "管理层", en: "Management" },
  { id: "operations", zh: "操作层", en: "Operations" },
  { id: "related", zh: "关系人", en: "Related person" },
] as const);
export type ContactLayer = EnumOf<typeof CONTACT_LAYERS>;

/** docs/domain.md §5 daily visit report codes: purpose. */
export const VISIT_PURPOSES = defineEnum([
  { id: "a", zh: "初次拜访", en: "First visit" },
  { id: "b", zh: "处理问题", en: "Problem handling" },
  { id: "c", zh: "建立关系", en: "Relationship" },
] as const);
export type VisitPurpose = EnumOf<typeof VISIT_PURPOSES>;

/** docs/domain.md §5 daily visit report codes: outcome. */
export const VISIT_OUTCOMES = defineEnum([
  { id: "A", zh: "商谈成功", en: "Success" },
  { id: "B", zh: "有希望", en: "Hopeful" },
  { id: "C", zh: "再度访问", en: "Revisit" },
  { id: "D", zh: "无希望", en: "Hopeless" },
  { id: "E", zh: "继续观察", en: "Keep observing" },
] as const);
export type VisitOutcome = EnumOf<typeof VISIT_OUTCOMES>;

/** docs/domain.md §5 our visiting role. */
export const VISIT_ROLES = defineEnum([
  { id: "kaManager", zh: "大客户经理", en: "KA manager", aliases: ["客户经理", "Key account manager"] },
  { id: "salesManager", zh: "销售经理", en: "Sales manager" },
  { id: "vicePresident", zh: "副总", en: "Vice president", aliases: ["销售副总", "技术副总", "常务副总", "销售/技术/常务副总"] },
  { id: "generalManager", zh: "总经理", en: "General manager" },
  { id: "liaisonLeader", zh: "联系领导", en: "Liaison leader" },
] as const);
export type VisitRole = EnumOf<typeof VISIT_ROLES>;

/** docs/domain.md §2 企业性质 */
export const OWNERSHIP_TYPES = defineEnum([
  { id: "stateOwned", zh: "国企", en: "State-owned", aliases: ["国有企业", "国有", "央企", "中央企业", "地方国企", "国有独资", "SOE"] },
  { id: "private", zh: "民营", en: "Private", aliases: ["民营企业", "民企", "私营", "私营企业"] },
  { id: "foreign", zh: "外资", en: "Foreign", aliases: ["外资企业", "外企", "外商独资", "外商独资企业"] },
  { id: "jointVenture", zh: "合资", en: "Joint venture", aliases: ["合资企业", "中外合资", "中外合资企业", "JV"] },
  // Only a joint-stock limited company (股份有限公司) may list its shares (Company Law), so a listed
  // company is 股份 whatever its owners; whether it is also state-owned is not in the word.
  { id: "jointStock", zh: "股份", en: "Joint-stock", aliases: ["股份制", "股份公司", "股份有限公司", "股份制企业", "上市公司", "Listed company"] },
  { id: "publicInstitution", zh: "事业单位", en: "Public institution", aliases: ["事业"] },
] as const);
export type OwnershipType = EnumOf<typeof OWNERSHIP_TYPES>;

/** docs/domain.md §2 付款态度 */
export const PAYMENT_ATTITUDES = defineEnum([
  { id: "prompt", zh: "爽快", en: "Prompt" },
  { id: "average", zh: "一般", en: "Average" },
  { id: "slow", zh: "迟缓", en: "Slow" },
  { id: "difficult", zh: "为难", en: "Difficult" },
  { id: "chronicDebtor", zh: "嗜欠耗款", en: "Chronic debtor" },
] as const);
export type PaymentAttitude = EnumOf<typeof PAYMENT_ATTITUDES>;

/** docs/domain.md §2 银行信用 */
export const CREDIT_RATINGS = defineEnum([
  { id: "veryGood", zh: "很好", en: "Very good" },
  { id: "good", zh: "好", en: "Good" },
  { id: "fair", zh: "一般", en: "Fair" },
  { id: "poor", zh: "差", en: "Poor" },
  { id: "veryPoor", zh: "很差", en: "Very poor" },
] as const);
export type CreditRating = EnumOf<typeof CREDIT_RATINGS>;

/** docs/domain.md §2 行业地位 */
export const INDUSTRY_POSITIONS = defineEnum([
  { id: "leading", zh: "领先", en: "Leading" },
  { id: "middle", zh: "居中", en: "Middle" },
  { id: "trailing", zh: "末流", en: "Trailing" },
] as const);
export type IndustryPosition = EnumOf<typeof INDUSTRY_POSITIONS>;

/** docs/domain.md §3.4 */
export const DEAL_STATUSES = defineEnum([
  { id: "unidentified", zh: "待识别", en: "Unidentified" },
  { id: "potential", zh: "潜在", en: "Potential" },
  { id: "opportunity", zh: "销售机会", en: "Opportunity" },
  { id: "order", zh: "订单", en: "Order" },
  { id: "closed", zh: "成交", en: "Closed" },
  /** An account dropped from development at any stage (docs/domain.md §4: "无则终止"); see stageGates.ts. */
  { id: "terminated", zh: "终止", en: "Terminated", aliases: ["已终止", "放弃"] },
] as const);
export type DealStatus = EnumOf<typeof DEAL_STATUSES>;
export const COOPERATION_DEPTHS = defineEnum([
  { id: "vendor", zh: "卖主", en: "Vendor" },
  { id: "preferredSupplier", zh: "优先供应商", en: "Preferred supplier" },
  { id: "partner", zh: "合作伙伴", en: "Partner" },
  { id: "strategicAlliance", zh: "战略联盟", en: "Strategic alliance" },
] as const);
export type CooperationDepth = EnumOf<typeof COOPERATION_DEPTHS>;
export const ACCOUNT_SCOPES = defineEnum([
  { id: "global", zh: "全球", en: "Global" },
  { id: "national", zh: "全国", en: "National" },
  { id: "regional", zh: "地区", en: "Regional" },
  { id: "industry", zh: "行业", en: "Industry" },
] as const);
export type AccountScope = EnumOf<typeof ACCOUNT_SCOPES>;

/** docs/domain.md §6 target levels. */
export const TARGET_LEVELS = defineEnum([
  { id: "company", zh: "公司", en: "Company" },
  { id: "team", zh: "团队", en: "Team" },
  { id: "manager", zh: "经理", en: "Manager" },
  { id: "account", zh: "客户", en: "Account" },
] as const);
export type TargetLevel = EnumOf<typeof TARGET_LEVELS>;

export const TARGET_STATUSES = defineEnum([
  { id: "approved", zh: "已批准", en: "Approved" },
  { id: "pending", zh: "待审批", en: "Pending" },
  { id: "rejected", zh: "已驳回", en: "Rejected" },
] as const);
export type TargetStatus = EnumOf<typeof TARGET_STATUSES>;

/**
 * Words for the three 1–5 decision-chain ratings (docs/domain.md §2; ids are the scores). A five-point
 * scale with its middle word: three-level words such as 高/中/低 are not listed, since which
 * score they mean is a guess.
 */
export const SUPPORT_LEVELS = defineEnum([
  { id: "5", zh: "强烈支持", en: "Strongly supports", aliases: ["非常支持", "完全支持", "坚决支持", "Strongly support"] },
  { id: "4", zh: "支持", en: "Supports", aliases: ["Support", "Supportive", "支持者"] },
  { id: "3", zh: "中立", en: "Neutral", aliases: ["一般", "中间"] },
  { id: "2", zh: "反对", en: "Opposes", aliases: ["Oppose", "反对者"] },
  { id: "1", zh: "强烈反对", en: "Strongly opposes", aliases: ["坚决反对", "Strongly oppose"] },
] as const);
export const INTIMACY_LEVELS = defineEnum([
  { id: "5", zh: "非常亲密", en: "Very close", aliases: ["很亲密", "非常密切", "很密切"] },
  { id: "4", zh: "亲密", en: "Close", aliases: ["密切", "较亲密", "比较亲密", "熟悉"] },
  { id: "3", zh: "一般", en: "Average", aliases: ["普通"] },
  { id: "2", zh: "疏远", en: "Distant", aliases: ["较疏远", "不熟"] },
  { id: "1", zh: "陌生", en: "Stranger", aliases: ["很疏远", "非常疏远", "不认识"] },
] as const);
export const PROFESSIONALISM_LEVELS = defineEnum([
  { id: "5", zh: "非常专业", en: "Expert", aliases: ["很专业", "专家"] },
  { id: "4", zh: "专业", en: "Professional", aliases: ["较专业", "比较专业"] },
  { id: "3", zh: "一般", en: "Average", aliases: ["普通"] },
  { id: "2", zh: "不太专业", en: "Limited", aliases: ["较不专业"] },
  { id: "1", zh: "不专业", en: "Layman", aliases: ["外行", "很不专业"] },
] as const);
