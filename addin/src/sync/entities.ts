/**
 * Per-entity column definitions for sheet ↔ store sync (issue 5 §4). Field ids are the store's
 * (CONTRACTS "Profile field ids"); headers are bilingual with synonyms; enum cells accept ids,
 * zh and en labels (labels.ts) and are written back as labels in the pane's language.
 * Validation of the items built from rows is the shared zod write schemas (shared/schemas).
 */
import type * as z from "zod/mini";
import {
  AccountWriteSchema,
  ContactWriteSchema,
  ContractWriteSchema,
  CONTACT_LAYERS,
  CONTACT_ROLES,
  CREDIT_RATINGS,
  GRADES,
  INDUSTRY_POSITIONS,
  OWNERSHIP_TYPES,
  PAYMENT_ATTITUDES,
  PaymentWriteSchema,
  STAGES,
  TARGET_LEVELS,
  VISIT_OUTCOMES,
  VISIT_PURPOSES,
  VISIT_ROLES,
  VisitPlanWriteSchema,
  VisitRecordWriteSchema,
  type Bilingual,
  type EnumEntry,
} from "../../../shared/src/index.js";

export type EntityId = "accounts" | "contacts" | "visitPlans" | "visitRecords" | "targets" | "contracts" | "payments";

export type FieldKind = "id" | "text" | "money" | "int" | "number" | "enum" | "bool" | "date" | "month" | "instalments";

export interface EnumLike {
  entries: readonly EnumEntry[];
  parse(s: unknown): string | undefined;
  label(id: never, lang: "zh" | "en"): string;
}

export interface ColumnDef {
  field: string;
  kind: FieldKind;
  label: Bilingual;
  /** Other header spellings accepted (matched with normalizeKey). */
  synonyms?: readonly string[];
  enum?: EnumLike;
  /** Required for a new item (the store rejects the item without it). */
  required?: boolean;
  /** Filled from the signed-in user when the column is absent or the cell empty (e.g. owner). */
  defaultsToUser?: boolean;
}

export interface EntityDef {
  id: EntityId;
  label: Bilingual;
  /** Default sheet name for a template. */
  sheet: Bilingual;
  /** API collection path (list = GET, batch upsert = PUT). */
  path: string;
  /** Prefix of ids generated for new rows. */
  idPrefix: string;
  columns: ColumnDef[];
  /** Zod schema one pushed item must pass (shared/). */
  writeSchema?: z.core.$ZodType;
  /** Pull-only: local edits are not pushed (targets change through proposals, DOMAIN §6). */
  readOnly?: boolean;
  /** The list route accepts `since` (change cursor). */
  since?: boolean;
  /** Deleting a row becomes a tombstone (`DELETE path/{id}`, directors). */
  tombstones?: boolean;
}

const L = (zh: string, en: string): Bilingual => ({ zh, en });
const e = (x: unknown) => x as EnumLike;

const ID = (zh: string, en: string, syn: string[] = []): ColumnDef => ({ field: "id", kind: "id", label: L(zh, en), synonyms: ["ID", "编号", "编码", ...syn] });

export const ACCOUNTS: EntityDef = {
  id: "accounts",
  label: L("客户档案", "Accounts"),
  sheet: L("客户档案", "Accounts"),
  path: "/v1/accounts",
  idPrefix: "acc",
  since: true,
  tombstones: true,
  writeSchema: AccountWriteSchema,
  columns: [
    ID("客户编号", "Account ID", ["客户ID", "accountId"]),
    { field: "name", kind: "text", label: L("客户名称", "Account name"), synonyms: ["名称", "公司名称", "客户", "Name", "Company"], required: true },
    { field: "owner", kind: "id", label: L("负责经理", "Owner"), synonyms: ["客户经理", "负责人", "Manager", "Account manager"], required: true, defaultsToUser: true },
    { field: "legalRep", kind: "text", label: L("法定代表人", "Legal representative"), synonyms: ["法人", "法人代表"] },
    { field: "address", kind: "text", label: L("地址", "Address"), synonyms: ["公司地址"] },
    { field: "postcode", kind: "text", label: L("邮编", "Postcode"), synonyms: ["邮政编码", "Zip"] },
    { field: "phone", kind: "text", label: L("电话", "Phone"), synonyms: ["联系电话", "Telephone"] },
    { field: "fax", kind: "text", label: L("传真", "Fax") },
    { field: "website", kind: "text", label: L("网址", "Website"), synonyms: ["网站", "URL"] },
    { field: "industry", kind: "text", label: L("所在行业", "Industry"), synonyms: ["行业"] },
    { field: "ownershipType", kind: "enum", enum: e(OWNERSHIP_TYPES), label: L("企业性质", "Ownership type"), synonyms: ["性质", "Ownership"] },
    { field: "businessScope", kind: "text", label: L("经营范围", "Business scope") },
    { field: "registeredCapital", kind: "money", label: L("注册资本(元)", "Registered capital (yuan)"), synonyms: ["注册资本", "Registered capital"] },
    { field: "foundedYear", kind: "int", label: L("成立年份", "Founded year"), synonyms: ["成立时间", "Founded"] },
    { field: "industryPosition", kind: "enum", enum: e(INDUSTRY_POSITIONS), label: L("行业地位", "Industry position") },
    { field: "mainBusiness", kind: "text", label: L("主营业务", "Main business") },
    { field: "orgNotes", kind: "text", label: L("组织结构", "Organisation notes"), synonyms: ["组织结构说明", "Org notes"] },
    { field: "paymentAttitude", kind: "enum", enum: e(PAYMENT_ATTITUDES), label: L("付款态度", "Payment attitude") },
    { field: "credit", kind: "enum", enum: e(CREDIT_RATINGS), label: L("银行信用", "Credit"), synonyms: ["信用", "Bank credit"] },
    { field: "liaisonLeader", kind: "text", label: L("联系领导", "Liaison leader") },
    { field: "strategic", kind: "bool", label: L("战略客户", "Strategic"), synonyms: ["是否战略客户"] },
    { field: "group", kind: "bool", label: L("集团客户", "Group"), synonyms: ["是否集团客户"] },
    { field: "closedReferrals", kind: "int", label: L("转介绍成交数", "Closed referrals"), synonyms: ["转介绍成交"] },
    { field: "stage", kind: "enum", enum: e(STAGES), label: L("开发阶段", "Stage"), synonyms: ["阶段"] },
    { field: "grade", kind: "enum", enum: e(GRADES), label: L("客户等级", "Grade"), synonyms: ["等级", "分级"] },
  ],
};

/** Contacts live inside their account (CONTRACTS "Writes"): account id + contact id per row. */
export const CONTACTS: EntityDef = {
  id: "contacts",
  label: L("决策链", "Decision chain"),
  sheet: L("决策链", "Contacts"),
  path: "/v1/accounts",
  idPrefix: "ct",
  since: true,
  writeSchema: ContactWriteSchema,
  columns: [
    { field: "accountId", kind: "id", label: L("客户编号", "Account ID"), synonyms: ["客户ID", "accountId"], required: true },
    ID("联系人编号", "Contact ID", ["联系人ID", "contactId"]),
    { field: "name", kind: "text", label: L("姓名", "Name"), synonyms: ["联系人", "Contact"], required: true },
    { field: "title", kind: "text", label: L("职务", "Title"), synonyms: ["职位", "Position"] },
    { field: "role", kind: "enum", enum: e(CONTACT_ROLES), label: L("采购角色", "Role"), synonyms: ["角色", "Buying role"], required: true },
    { field: "layer", kind: "enum", enum: e(CONTACT_LAYERS), label: L("层级", "Layer") },
    { field: "phone", kind: "text", label: L("电话", "Phone") },
    { field: "email", kind: "text", label: L("邮箱", "Email"), synonyms: ["电子邮件", "E-mail"] },
    { field: "intimacy", kind: "int", label: L("亲密程度", "Intimacy"), required: true },
    { field: "professionalism", kind: "int", label: L("专业程度", "Professionalism"), required: true },
    { field: "support", kind: "int", label: L("支持程度", "Support"), required: true },
  ],
};

export const VISIT_PLANS: EntityDef = {
  id: "visitPlans",
  label: L("拜访计划", "Visit plans"),
  sheet: L("月拜访计划表", "Visit plans"),
  path: "/v1/visit-plans",
  idPrefix: "vp",
  writeSchema: VisitPlanWriteSchema,
  columns: [
    ID("计划编号", "Plan ID"),
    { field: "accountId", kind: "id", label: L("客户编号", "Account ID"), synonyms: ["客户ID"], required: true },
    { field: "month", kind: "month", label: L("月份", "Month"), required: true },
    { field: "role", kind: "enum", enum: e(VISIT_ROLES), label: L("拜访角色", "Visiting role"), synonyms: ["角色", "Role"], required: true },
    { field: "owner", kind: "id", label: L("负责经理", "Owner"), synonyms: ["客户经理"], required: true, defaultsToUser: true },
    { field: "plannedDate", kind: "date", label: L("计划日期", "Planned date") },
    { field: "purpose", kind: "text", label: L("拜访目的", "Purpose"), synonyms: ["目的"] },
  ],
};

export const VISIT_RECORDS: EntityDef = {
  id: "visitRecords",
  label: L("拜访记录", "Visit records"),
  sheet: L("月度客户拜访记录表", "Visit records"),
  path: "/v1/visit-records",
  idPrefix: "vr",
  writeSchema: VisitRecordWriteSchema,
  columns: [
    ID("记录编号", "Record ID"),
    { field: "accountId", kind: "id", label: L("客户编号", "Account ID"), synonyms: ["客户ID"], required: true },
    { field: "date", kind: "date", label: L("拜访日期", "Date"), synonyms: ["日期"], required: true },
    { field: "role", kind: "enum", enum: e(VISIT_ROLES), label: L("拜访角色", "Visiting role"), synonyms: ["角色", "Role"], required: true },
    { field: "purpose", kind: "enum", enum: e(VISIT_PURPOSES), label: L("拜访目的", "Purpose"), synonyms: ["目的"], required: true },
    { field: "outcome", kind: "enum", enum: e(VISIT_OUTCOMES), label: L("拜访结果", "Outcome"), synonyms: ["结果"], required: true },
    { field: "owner", kind: "id", label: L("负责经理", "Owner"), synonyms: ["客户经理"], required: true, defaultsToUser: true },
    { field: "planId", kind: "id", label: L("计划编号", "Plan ID") },
    { field: "summary", kind: "text", label: L("拜访小结", "Summary"), synonyms: ["小结", "书面总结"] },
  ],
};

export const TARGETS: EntityDef = {
  id: "targets",
  label: L("销售指标", "Targets"),
  sheet: L("销售指标", "Targets"),
  path: "/v1/targets",
  idPrefix: "tg",
  readOnly: true,
  columns: [
    ID("指标编号", "Target ID"),
    { field: "level", kind: "enum", enum: e(TARGET_LEVELS), label: L("层级", "Level") },
    { field: "subject", kind: "id", label: L("对象", "Subject") },
    { field: "period", kind: "text", label: L("期间", "Period") },
    { field: "effective", kind: "money", label: L("有效指标(元)", "Effective target (yuan)"), synonyms: ["有效指标", "Effective target"] },
    { field: "pending", kind: "money", label: L("待审批(元)", "Pending (yuan)"), synonyms: ["待审批", "Pending"] },
  ],
};

export const CONTRACTS: EntityDef = {
  id: "contracts",
  label: L("合同", "Contracts"),
  sheet: L("合同", "Contracts"),
  path: "/v1/contracts",
  idPrefix: "ctr",
  writeSchema: ContractWriteSchema,
  columns: [
    ID("合同编号(系统)", "Contract ID"),
    { field: "number", kind: "text", label: L("合同编号", "Contract number"), synonyms: ["合同号", "Number"] },
    { field: "accountId", kind: "id", label: L("客户编号", "Account ID"), synonyms: ["客户ID"], required: true },
    { field: "signedDate", kind: "date", label: L("签订日期", "Signed date"), synonyms: ["签约日期"], required: true },
    { field: "amountYuan", kind: "money", label: L("合同金额(元)", "Amount (yuan)"), synonyms: ["合同金额", "金额", "Amount"], required: true },
    { field: "instalments", kind: "instalments", label: L("分期(编号 到期日 金额;…)", "Instalments (id due amount; …)"), synonyms: ["分期", "Instalments"] },
  ],
};

export const PAYMENTS: EntityDef = {
  id: "payments",
  label: L("回款", "Payments"),
  sheet: L("回款", "Payments"),
  path: "/v1/payments",
  idPrefix: "pay",
  writeSchema: PaymentWriteSchema,
  columns: [
    ID("回款编号", "Payment ID"),
    { field: "contractId", kind: "id", label: L("合同编号(系统)", "Contract ID"), synonyms: ["合同ID"], required: true },
    { field: "date", kind: "date", label: L("回款日期", "Date"), synonyms: ["日期"], required: true },
    { field: "amountYuan", kind: "money", label: L("回款金额(元)", "Amount (yuan)"), synonyms: ["回款金额", "金额", "Amount"], required: true },
    { field: "instalmentId", kind: "id", label: L("分期编号", "Instalment ID") },
  ],
};

export const ENTITIES: Record<EntityId, EntityDef> = {
  accounts: ACCOUNTS,
  contacts: CONTACTS,
  visitPlans: VISIT_PLANS,
  visitRecords: VISIT_RECORDS,
  targets: TARGETS,
  contracts: CONTRACTS,
  payments: PAYMENTS,
};
