import type { Bilingual } from "../errors.js";
import {
  ACCOUNT_SCOPES,
  CONTACT_LAYERS,
  CONTACT_ROLES,
  COOPERATION_DEPTHS,
  CREDIT_RATINGS,
  DEAL_STATUSES,
  GRADES,
  INDUSTRY_POSITIONS,
  INTIMACY_LEVELS,
  OWNERSHIP_TYPES,
  PAYMENT_ATTITUDES,
  PROFESSIONALISM_LEVELS,
  STAGES,
  SUPPORT_LEVELS,
  TARGET_LEVELS,
  VISIT_OUTCOMES,
  VISIT_PURPOSES,
  VISIT_ROLES,
} from "../labels.js";
import { VALUE_FACTORS, VALUE_FACTOR_LABELS } from "../grading/value.js";
import type { CellKind, EnumLike, MoneyUnit } from "./grammar.js";

/**
 * The field catalogue: every column a sheet may hold for each synced entity (and the grading
 * inputs), with its kind, zh/en labels, the other header spellings people use, the enum or rating
 * words its values may take, and its flags. Header and value recognition reads only this (see
 * headers.ts and grammar.ts); the README's table of recognised headers is generated from it.
 */
export type EntityId = "accounts" | "contacts" | "visitPlans" | "visitRecords" | "targets" | "contracts" | "payments";

export interface FieldDef {
  /** Store field id (docs/contracts.md §7 for accounts); `personal.x` for a contact's personal detail. */
  id: string;
  kind: CellKind;
  /** Header written by the pane; the zh label follows docs/domain.md §2 (the source documents' wording). */
  label: Bilingual;
  /** Other header spellings accepted (matched ignoring case, width and spaces; a unit in brackets is read off). */
  synonyms: readonly string[];
  /** Enum columns: the enum; rating columns: the words for the scores 1–5. */
  enum?: EnumLike & { readonly entries: readonly { id: string; zh: string; en: string; aliases?: readonly string[] }[] };
  /** Money columns: the unit when the header names none. */
  unit?: MoneyUnit;
  /** A new item cannot be saved without it (docs/contracts.md §8.13). */
  requiredToSave?: boolean;
  /** Counted by archive completeness (docs/domain.md §2). */
  countsForCompleteness?: boolean;
  /** Confidential personal data (docs/domain.md §2, §9). */
  personal?: boolean;
  /**
   * A member of a record field (`termination.date`): readable from a sheet, but the sheet sync,
   * which writes flat fields, does not write it; the record is written whole through the API.
   */
  notSynced?: boolean;
  /** Filled with the signed-in user when a new row leaves it blank (owner). */
  defaultsToUser?: boolean;
  /**
   * Derived by the engine from the stored item (archive completeness): the sheet sync writes the
   * computed value into the sheet and never sends the cell to the store.
   */
  computed?: boolean;
}

export interface EntityCatalogue {
  id: EntityId;
  label: Bilingual;
  /** Default sheet name. */
  sheet: Bilingual;
  fields: readonly FieldDef[];
}

const L = (zh: string, en: string): Bilingual => ({ zh, en });
const f = (id: string, kind: CellKind, zh: string, en: string, synonyms: readonly string[] = [], extra: Partial<FieldDef> = {}): FieldDef => ({
  id,
  kind,
  label: L(zh, en),
  synonyms,
  ...(kind === "money" ? { unit: "yuan" as const } : {}),
  ...extra,
});
const ID_SYNONYMS = ["ID", "编号", "编码"];

/** docs/domain.md §2 account archive (docs/contracts.md §7). */
export const ACCOUNT_FIELDS_CATALOGUE: readonly FieldDef[] = [
  f("id", "id", "客户编号", "Account ID", [...ID_SYNONYMS, "客户ID", "客户代码", "accountId", "档案编号"], { requiredToSave: true }),
  f("name", "text", "客户名称", "Account name", ["客户", "名称", "公司名称", "企业名称", "单位名称", "客户全称", "Name", "Company", "Customer"], { requiredToSave: true, countsForCompleteness: true }),
  f("owner", "person", "负责人", "Owner", ["负责经理", "客户经理", "大客户经理", "责任人", "归属经理", "Manager", "Account manager", "Account owner"], { requiredToSave: true, countsForCompleteness: true, defaultsToUser: true }),
  f("legalRep", "text", "法定代表人", "Legal representative", ["法人", "法人代表", "Legal rep"]),
  f("address", "text", "地址", "Address", ["公司地址", "单位地址", "通讯地址"], { countsForCompleteness: true }),
  f("postcode", "text", "邮编", "Postcode", ["邮政编码", "Zip", "Zip code", "Postal code"]),
  f("phone", "text", "电话", "Phone", ["联系电话", "公司电话", "Telephone", "Tel"], { countsForCompleteness: true }),
  f("fax", "text", "传真", "Fax"),
  f("website", "text", "网址", "Website", ["网站", "主页", "URL"]),
  f("industry", "text", "所在行业", "Industry", ["行业", "所属行业", "行业类别", "行业分类"], { countsForCompleteness: true }),
  f("ownershipType", "enum", "企业性质", "Ownership type", ["性质", "单位性质", "公司性质", "企业类型", "所有制", "Ownership"], { enum: OWNERSHIP_TYPES, countsForCompleteness: true }),
  f("businessScope", "text", "经营范围", "Business scope"),
  f("registeredCapital", "money", "注册资本", "Registered capital", ["注册资本(元)", "Registered capital (yuan)", "注册资金", "注册资本金"], { countsForCompleteness: true }),
  f("foundedYear", "int", "成立年份", "Founded year", ["成立年代", "成立时间", "成立年", "Founded"]),
  f("industryPosition", "enum", "行业地位", "Industry position", ["产业地位", "行业排名"], { enum: INDUSTRY_POSITIONS, countsForCompleteness: true }),
  f("mainBusiness", "text", "主营业务", "Main business", ["主营业务范围", "主营"]),
  f("orgNotes", "text", "组织结构", "Organisation notes", ["组织结构说明", "客户组织结构", "Org notes"]),
  f("paymentAttitude", "enum", "付款态度", "Payment attitude", ["回款态度", "付款情况"], { enum: PAYMENT_ATTITUDES, countsForCompleteness: true }),
  f("credit", "enum", "银行信用", "Credit", ["信用", "信用等级", "Bank credit"], { enum: CREDIT_RATINGS }),
  f("liaisonLeader", "person", "联系领导", "Liaison leader", ["对接领导", "联系领导人"]),
  f("strategic", "bool", "战略客户", "Strategic", ["是否战略客户", "Strategic account"]),
  f("group", "bool", "集团客户", "Group", ["是否集团客户", "Group account"]),
  f("closedReferrals", "int", "转介绍成交数", "Closed referrals", ["推荐成交数", "转介绍成交", "推荐成交", "Referrals closed"]),
  f("stage", "enum", "开发阶段", "Stage", ["阶段", "销售阶段", "Development stage"], { enum: STAGES }),
  f("grade", "enum", "客户等级", "Grade", ["等级", "分级", "客户级别", "级别", "客户分级"], { enum: GRADES }),
  f("dealStatus", "enum", "成交状态", "Deal status", ["客户状态", "销售状态", "交易状态"], { enum: DEAL_STATUSES }),
  f("accountScope", "enum", "客户范围", "Account scope", ["覆盖范围", "Scope of account"], { enum: ACCOUNT_SCOPES }),
  f("cooperationDepth", "enum", "合作深度", "Cooperation depth", ["合作程度", "合作关系", "Partnership level"], { enum: COOPERATION_DEPTHS }),
  // The termination record { date, reason } of a terminated account, one column per member.
  f("termination.date", "date", "终止日期", "Termination date", ["终止时间", "Date terminated"], { notSynced: true }),
  f("termination.reason", "text", "终止原因", "Termination reason", ["终止理由", "Reason terminated"], { notSynced: true }),
  // Filled required archive items ÷ required items (archive/completeness.ts), from the stored account.
  f("archiveCompleteness", "percent", "档案完整率", "Archive completeness", ["完整率", "档案完整度", "Completeness"], { computed: true }),
];

/** docs/domain.md §2 decision chain: account id + contact id per row (docs/contracts.md §6). */
export const CONTACT_FIELDS_CATALOGUE: readonly FieldDef[] = [
  f("accountId", "id", "客户编号", "Account ID", ["客户ID", "accountId"], { requiredToSave: true }),
  f("id", "id", "联系人编号", "Contact ID", [...ID_SYNONYMS, "联系人ID", "contactId"], { requiredToSave: true }),
  f("name", "text", "姓名", "Name", ["联系人", "联系人姓名", "Contact"], { requiredToSave: true }),
  f("title", "text", "职务", "Title", ["职位", "头衔", "Position", "Job title"]),
  f("role", "enum", "采购角色", "Role", ["决策角色", "角色", "决策链角色", "购买角色", "Buying role"], { enum: CONTACT_ROLES }),
  f("layer", "enum", "层级", "Layer", ["决策层级", "所在层级"], { enum: CONTACT_LAYERS }),
  f("phone", "text", "电话", "Phone", ["联系电话", "手机", "手机号", "Mobile"]),
  f("email", "text", "邮箱", "Email", ["电子邮件", "电子邮箱", "E-mail"]),
  f("intimacy", "rating", "亲密程度", "Intimacy", ["亲密度", "关系亲密程度"], { enum: INTIMACY_LEVELS, countsForCompleteness: true }),
  f("professionalism", "rating", "专业程度", "Professionalism", ["专业度"], { enum: PROFESSIONALISM_LEVELS, countsForCompleteness: true }),
  f("support", "rating", "支持程度", "Support", ["支持度", "态度", "立场"], { enum: SUPPORT_LEVELS, countsForCompleteness: true }),
  f("personal.birthday", "text", "生日", "Birthday", [], { personal: true }),
  f("personal.hometown", "text", "籍贯", "Hometown", ["出生地"], { personal: true }),
  f("personal.hobbies", "text", "爱好", "Hobbies", ["嗜好", "兴趣爱好"], { personal: true }),
  f("personal.family", "text", "家庭情况", "Family", ["家庭"], { personal: true }),
  f("personal.character", "text", "性格", "Character", ["性格特点"], { personal: true }),
  f("personal.notes", "text", "个人备注", "Personal notes", [], { personal: true }),
];

export const VISIT_PLAN_FIELDS_CATALOGUE: readonly FieldDef[] = [
  f("id", "id", "计划编号", "Plan ID", ID_SYNONYMS),
  f("accountId", "id", "客户编号", "Account ID", ["客户ID"], { requiredToSave: true }),
  f("month", "month", "月份", "Month", ["计划月份", "拜访月份"], { requiredToSave: true }),
  f("role", "enum", "拜访角色", "Visiting role", ["角色", "拜访人角色", "Role"], { enum: VISIT_ROLES, requiredToSave: true }),
  f("owner", "person", "负责人", "Owner", ["负责经理", "客户经理", "拜访人"], { requiredToSave: true, defaultsToUser: true }),
  f("plannedDate", "date", "计划日期", "Planned date", ["计划拜访日期", "拜访日期"]),
  f("purpose", "text", "拜访目的", "Purpose", ["目的"]),
];

export const VISIT_RECORD_FIELDS_CATALOGUE: readonly FieldDef[] = [
  f("id", "id", "记录编号", "Record ID", ID_SYNONYMS),
  f("accountId", "id", "客户编号", "Account ID", ["客户ID"], { requiredToSave: true }),
  f("date", "date", "拜访日期", "Date", ["日期", "Visit date"], { requiredToSave: true }),
  f("role", "enum", "拜访角色", "Visiting role", ["角色", "拜访人角色", "Role"], { enum: VISIT_ROLES, requiredToSave: true }),
  f("purpose", "enum", "拜访目的", "Purpose", ["目的"], { enum: VISIT_PURPOSES, requiredToSave: true }),
  f("outcome", "enum", "拜访结果", "Outcome", ["结果"], { enum: VISIT_OUTCOMES, requiredToSave: true }),
  f("owner", "person", "负责人", "Owner", ["负责经理", "客户经理", "拜访人"], { requiredToSave: true, defaultsToUser: true }),
  f("planId", "id", "计划编号", "Plan ID"),
  f("summary", "text", "拜访小结", "Summary", ["小结", "书面总结", "拜访总结"]),
];

export const TARGET_FIELDS_CATALOGUE: readonly FieldDef[] = [
  f("id", "id", "指标编号", "Target ID", ID_SYNONYMS),
  f("level", "enum", "层级", "Level", ["指标层级"], { enum: TARGET_LEVELS }),
  f("subject", "id", "对象", "Subject", ["考核对象"]),
  f("period", "text", "期间", "Period", ["考核期间"]),
  f("effective", "money", "有效指标", "Effective target", ["有效指标(元)", "Effective target (yuan)", "指标", "销售指标"]),
  f("pending", "money", "待审批", "Pending", ["待审批(元)", "Pending (yuan)", "待审批指标"]),
];

export const CONTRACT_FIELDS_CATALOGUE: readonly FieldDef[] = [
  f("id", "id", "合同编号(系统)", "Contract ID", [...ID_SYNONYMS, "合同ID", "系统合同编号"]),
  f("number", "text", "合同编号", "Contract number", ["合同号", "Number"]),
  f("accountId", "id", "客户编号", "Account ID", ["客户ID"], { requiredToSave: true }),
  f("signedDate", "date", "签订日期", "Signed date", ["签约日期", "签订时间"], { requiredToSave: true }),
  f("amountYuan", "money", "合同金额", "Amount", ["合同金额(元)", "Amount (yuan)", "金额", "合同额", "Contract amount"], { requiredToSave: true }),
  f("instalments", "instalments", "分期(编号 到期日 金额;…)", "Instalments (id due amount; …)", ["分期", "付款计划", "Instalments"]),
];

export const PAYMENT_FIELDS_CATALOGUE: readonly FieldDef[] = [
  f("id", "id", "回款编号", "Payment ID", ID_SYNONYMS),
  f("contractId", "id", "合同编号(系统)", "Contract ID", ["合同ID", "系统合同编号"], { requiredToSave: true }),
  f("date", "date", "回款日期", "Date", ["日期", "到账日期", "Payment date"], { requiredToSave: true }),
  f("amountYuan", "money", "回款金额", "Amount", ["回款金额(元)", "Amount (yuan)", "金额", "到账金额", "Payment amount"], { requiredToSave: true }),
  f("instalmentId", "id", "分期编号", "Instalment ID"),
];

export const CATALOGUE: Readonly<Record<EntityId, EntityCatalogue>> = {
  accounts: { id: "accounts", label: L("客户档案", "Accounts"), sheet: L("客户档案", "Accounts"), fields: ACCOUNT_FIELDS_CATALOGUE },
  contacts: { id: "contacts", label: L("决策链", "Decision chain"), sheet: L("决策链", "Contacts"), fields: CONTACT_FIELDS_CATALOGUE },
  visitPlans: { id: "visitPlans", label: L("拜访计划", "Visit plans"), sheet: L("月拜访计划表", "Visit plans"), fields: VISIT_PLAN_FIELDS_CATALOGUE },
  visitRecords: { id: "visitRecords", label: L("拜访记录", "Visit records"), sheet: L("月度客户拜访记录表", "Visit records"), fields: VISIT_RECORD_FIELDS_CATALOGUE },
  targets: { id: "targets", label: L("销售指标", "Targets"), sheet: L("销售指标", "Targets"), fields: TARGET_FIELDS_CATALOGUE },
  contracts: { id: "contracts", label: L("合同", "Contracts"), sheet: L("合同", "Contracts"), fields: CONTRACT_FIELDS_CATALOGUE },
  payments: { id: "payments", label: L("回款", "Payments"), sheet: L("回款", "Payments"), fields: PAYMENT_FIELDS_CATALOGUE },
};

export const ENTITY_IDS = Object.keys(CATALOGUE) as EntityId[];

/** The catalogue entry of one field of one entity. */
export function fieldOf(entity: EntityId, id: string): FieldDef | undefined {
  return CATALOGUE[entity].fields.find((x) => x.id === id);
}

/** The account field `id` (throws if the catalogue lacks it: a programming error). */
export function accountField(id: string): FieldDef {
  const d = fieldOf("accounts", id);
  if (!d) throw new Error(`no account field ${id} in the catalogue`);
  return d;
}

/** Grading inputs (docs/domain.md §3): the seven value factors, revenue and the class inputs. */
export type GradingInputId = (typeof VALUE_FACTORS)[number] | "revenue" | "cumulativeSales" | "largestContract" | "paymentAttitude" | "closedReferrals" | "isGroup" | "isStrategic";

/** Short headers people give the value factors (docs/domain.md §3.2). */
const VALUE_FACTOR_SYNONYMS: Readonly<Record<(typeof VALUE_FACTORS)[number], readonly string[]>> = {
  share: ["份额", "所占份额", "Share"],
  effort: ["时间精力费用", "时间精力", "Effort"],
  dealRisk: ["Deal risk"],
  businessValue: ["经营价值", "Business value"],
  paymentRisk: ["付款风险", "Payment risk"],
  capability: ["供应服务能力", "供应与服务能力", "Capability"],
  difficulty: ["技术管理难度", "难度", "Difficulty"],
};

const renamed = (d: FieldDef, id: string): FieldDef => ({ ...d, id });

/** Columns the grading page reads; the class inputs are the account fields of the same meaning. */
export const GRADING_FIELDS_CATALOGUE: readonly (FieldDef & { id: GradingInputId })[] = [
  ...VALUE_FACTORS.map((v) => ({ ...f(v, "number", VALUE_FACTOR_LABELS[v].zh, VALUE_FACTOR_LABELS[v].en, VALUE_FACTOR_SYNONYMS[v]), id: v })),
  { ...f("revenue", "money", "销售额", "Revenue", ["营业收入", "营业额", "年销售额", "收入", "Sales", "Annual revenue"]), id: "revenue" },
  { ...f("cumulativeSales", "money", "累计合同消费额", "Cumulative sales", ["累计消费额", "累计签约额", "Cumulative contract sales"]), id: "cumulativeSales" },
  { ...f("largestContract", "money", "单笔最大合同额", "Largest contract", ["最大合同额", "单笔合同额", "最大单笔合同", "Largest single contract"]), id: "largestContract" },
  { ...accountField("paymentAttitude"), id: "paymentAttitude" },
  { ...accountField("closedReferrals"), id: "closedReferrals" },
  { ...renamed(accountField("group"), "isGroup"), id: "isGroup" },
  { ...renamed(accountField("strategic"), "isStrategic"), id: "isStrategic" },
];
