import type { CollectionFigures } from "../collections.js";
import { errors, kamError, type Bilingual, type Lang, type Result } from "../errors.js";
import { archiveCompleteness, isStaleArchive } from "../archive/completeness.js";
import {
  ACCOUNT_CLASSES,
  ACCOUNT_SCOPES,
  COOPERATION_DEPTHS,
  CREDIT_RATINGS,
  DEAL_STATUSES,
  GRADES,
  INDUSTRY_POSITIONS,
  OWNERSHIP_TYPES,
  PAYMENT_ATTITUDES,
  STAGES,
  TARGET_LEVELS,
  type TargetLevel,
} from "../labels.js";
import { parsePeriod, type Period } from "../periods.js";
import { ACCOUNT_FIELDS, parseCollectionScope, type AccountField, type CollectionScope } from "../schemas/fields.js";
import { normalizeKey } from "../text.js";
import { accountField } from "../catalogue/fields.js";
import { accountRefArg, asOptionalChoice, asText, isEmptyCell, isErrorCell, inputError, type CellResult } from "./cells.js";
import { storeArgs } from "./signatures.js";

/**
 * Store-backed functions: `KAM.COLLECTION`, `KAM.TARGET`, `KAM.ACCOUNT`, `KAM.ARCHIVE`. The add-in's
 * batcher and the backend's `/v1/eval` both parse a call here; the backend reads the store once per
 * distinct `queryKey` (one store query per distinct (function, scope, period)) and turns
 * what it read into a cell with `pickCollectionMeasure` / `targetCell` / `accountFieldCell`.
 */

/** `KAM.COLLECTION` measures; `rate` is the default. */
export const COLLECTION_MEASURES = ["rate", "due", "collected", "credit", "overdue", "overdue90"] as const;
export type CollectionMeasure = (typeof COLLECTION_MEASURES)[number];
export const DEFAULT_COLLECTION_MEASURE: CollectionMeasure = "rate";

const MEASURE_LABELS: Readonly<Record<CollectionMeasure, Bilingual & { aliases: string[] }>> = {
  rate: { zh: "回款率", en: "rate", aliases: ["合同回款率", "collection rate", "collectionRate"] },
  due: { zh: "应回款", en: "due", aliases: ["应回款金额", "应收", "amount due"] },
  collected: { zh: "已回款", en: "collected", aliases: ["实际回款", "实际回款额", "回款额", "amount collected"] },
  credit: { zh: "多付余额", en: "credit", aliases: ["预付余额", "溢付", "超付"] },
  overdue: { zh: "逾期", en: "overdue", aliases: ["逾期金额", "逾期未付"] },
  overdue90: { zh: "逾期90天以上", en: "overdue90", aliases: ["逾期90天", "overdue >90", "over90", "overdue over 90"] },
};

const MEASURE_LOOKUP = new Map<string, CollectionMeasure>();
for (const m of COLLECTION_MEASURES) {
  for (const s of [m, MEASURE_LABELS[m].zh, MEASURE_LABELS[m].en, ...MEASURE_LABELS[m].aliases]) MEASURE_LOOKUP.set(normalizeKey(s), m);
}

export interface CollectionCall {
  fn: "COLLECTION";
  /** Dedupe key of the whole call (identical calls answer once). */
  key: string;
  /** Grouping key: one store read answers every measure of one (scope, period). */
  queryKey: string;
  scope: CollectionScope;
  period: Period;
  measure: CollectionMeasure;
  lang: Lang;
}

export interface TargetCall {
  fn: "TARGET";
  key: string;
  queryKey: string;
  owner: string;
  period: Period;
  level?: TargetLevel;
  lang: Lang;
}

/** Profile fields that are lists (contacts, competitors, follow-ups): a cell cannot show them. */
const LIST_FIELDS = ["contacts", "competitors", "followUps"] as const;
/** Profile fields that are not one value: the lists, and the termination record (its members are cell fields). */
const NON_SCALAR_FIELDS = [...LIST_FIELDS, "termination"] as const;
type ScalarAccountField = Exclude<AccountField, (typeof NON_SCALAR_FIELDS)[number]>;
/** The members of the termination record, each a catalogue column. */
const TERMINATION_CELL_FIELDS = ["termination.date", "termination.reason"] as const;
/** Cell fields computed by the store: the classes, and the archive review (docs/domain.md §2). */
const COMPUTED_CELL_FIELDS = ["class", "lastReviewed", "reviewStale"] as const;
type ComputedCellField = (typeof COMPUTED_CELL_FIELDS)[number];
export type AccountCellField = "id" | ScalarAccountField | (typeof TERMINATION_CELL_FIELDS)[number] | ComputedCellField;

/**
 * `KAM.ACCOUNT` fields: the account id, the profile field ids (docs/contracts.md §7) that hold one value, the
 * termination record's date and reason, the computed `class`, the date of the last archive review
 * `lastReviewed` and `reviewStale` — TRUE when the archive was not reviewed for more than 183 days
 * (never reviewed counts as stale), so `=COUNTIF(range, TRUE)` counts stale archives.
 */
export const ACCOUNT_CELL_FIELDS: readonly AccountCellField[] = [
  "id",
  ...ACCOUNT_FIELDS.filter((f): f is ScalarAccountField => !(NON_SCALAR_FIELDS as readonly string[]).includes(f)),
  ...TERMINATION_CELL_FIELDS,
  ...COMPUTED_CELL_FIELDS,
];

/** Computed fields are not stored fields, so they are not in the catalogue. */
const COMPUTED_LABELS: Readonly<Record<ComputedCellField, Bilingual & { synonyms: string[] }>> = {
  class: { zh: "客户类型", en: "Class", synonyms: ["分类", "客户分类"] },
  lastReviewed: { zh: "上次档案审查", en: "Last reviewed", synonyms: ["审查日期", "档案审查日期", "Reviewed"] },
  reviewStale: { zh: "档案待审查", en: "Review overdue", synonyms: ["档案过期", "超期未审查", "Stale", "stale"] },
};
const isComputed = (f: AccountCellField): f is ComputedCellField => (COMPUTED_CELL_FIELDS as readonly string[]).includes(f);

/** Header names of the fields, from the field catalogue; accepted as the `field` argument too. */
export const ACCOUNT_FIELD_LABELS: Readonly<Record<AccountCellField, Bilingual>> = Object.fromEntries(
  ACCOUNT_CELL_FIELDS.map((f) => [f, isComputed(f) ? { zh: COMPUTED_LABELS[f].zh, en: COMPUTED_LABELS[f].en } : accountField(f).label]),
) as Record<AccountCellField, Bilingual>;

const FIELD_LOOKUP = new Map<string, AccountCellField>();
for (const f of ACCOUNT_CELL_FIELDS) {
  const synonyms = isComputed(f) ? COMPUTED_LABELS[f].synonyms : accountField(f).synonyms;
  for (const s of [f, ACCOUNT_FIELD_LABELS[f].zh, ACCOUNT_FIELD_LABELS[f].en, ...synonyms]) {
    const k = normalizeKey(s);
    if (!FIELD_LOOKUP.has(k)) FIELD_LOOKUP.set(k, f);
  }
}

export interface AccountCall {
  fn: "ACCOUNT";
  key: string;
  queryKey: string;
  /** Account id, `account:<id>`, or an exact account name (resolved by the store). */
  account: string;
  field: AccountCellField;
  lang: Lang;
}

/**
 * `KAM.ARCHIVE(account, [lang])`: the archive completeness (docs/domain.md §2, 档案完整率) 0–1. Its
 * `queryKey` is KAM.ACCOUNT's, so both read one account once.
 */
export interface ArchiveCall {
  fn: "ARCHIVE";
  key: string;
  queryKey: string;
  account: string;
  lang: Lang;
}

export type StoreCall = CollectionCall | TargetCall | AccountCall | ArchiveCall;

function scopeKey(s: CollectionScope): string {
  return s.kind === "all" ? "*" : s.kind === "accountRef" ? `ref:${s.ref}` : `${s.kind}:${s.id}`;
}

function periodArg(v: unknown): Result<Period> {
  if (isErrorCell(v)) return { ok: false, error: inputError("period", v) };
  if (isEmptyCell(v)) return { ok: false, error: errors.missing("period", { zh: "期间", en: "period" }) };
  return parsePeriod(v, "period");
}

/** `KAM.COLLECTION(scope, period, [measure], [lang])`. */
export function parseCollectionCall(args: readonly unknown[], displayLang: Lang): Result<CollectionCall> {
  const a = storeArgs("COLLECTION", args, displayLang);
  if (!a.ok) return a;
  const { cells, lang } = a.value;
  const text = asText(cells.scope, "scope", { zh: "范围", en: "scope" });
  if (!text.ok) return text;
  const scope = parseCollectionScope(text.value);
  if (!scope) {
    return { ok: false, error: kamError("value", "scope", { zh: "应为 account:<编号>、owner:<用户>、team:<团队>、* 或客户名称", en: "expected account:<id>, owner:<userId>, team:<teamId>, * or an account name" }) };
  }
  const period = periodArg(cells.period);
  if (!period.ok) return period;
  const m = asOptionalChoice(cells.measure, "measure", (t) => MEASURE_LOOKUP.get(normalizeKey(t)), COLLECTION_MEASURES);
  if (!m.ok) return m;
  const measure = m.value ?? DEFAULT_COLLECTION_MEASURE;
  const queryKey = `COLLECTION|${scopeKey(scope)}|${period.value.id}`;
  return { ok: true, value: { fn: "COLLECTION", key: `${queryKey}|${measure}|${lang}`, queryKey, scope, period: period.value, measure, lang } };
}

/**
 * The measure of a collection summary as a cell (docs/domain.md §7): money in yuan, the rate as a ratio;
 * nothing due → #DIV/0! for the rate.
 */
export function pickCollectionMeasure(summary: CollectionFigures, measure: CollectionMeasure): CellResult {
  switch (measure) {
    case "rate":
      return summary.rate.ok ? summary.rate.value : summary.rate.error;
    case "due":
      return summary.dueYuan;
    case "collected":
      return summary.collectedYuan;
    case "credit":
      return summary.creditYuan;
    case "overdue":
      return summary.overdueYuan;
    case "overdue90":
      return summary.overdue90Yuan;
  }
}

/** `KAM.TARGET(owner, period, [level], [lang])`: the effective (latest approved) target. */
export function parseTargetCall(args: readonly unknown[], displayLang: Lang): Result<TargetCall> {
  const a = storeArgs("TARGET", args, displayLang);
  if (!a.ok) return a;
  const { cells, lang } = a.value;
  const owner = asText(cells.owner, "owner", { zh: "负责人", en: "owner" });
  if (!owner.ok) return owner;
  const period = periodArg(cells.period);
  if (!period.ok) return period;
  const l = asOptionalChoice<TargetLevel>(cells.level, "level", (t) => TARGET_LEVELS.parse(t), TARGET_LEVELS.ids);
  if (!l.ok) return l;
  const level = l.value;
  const queryKey = `TARGET|${owner.value}|${period.value.id}|${level ?? ""}`;
  return { ok: true, value: { fn: "TARGET", key: `${queryKey}|${lang}`, queryKey, owner: owner.value, period: period.value, ...(level ? { level } : {}), lang } };
}

/** The effective target as a cell: yuan, or #N/A when no approved target exists. */
export function targetCell(amountYuan: number | undefined | null, call: Pick<TargetCall, "owner" | "period">): CellResult {
  if (typeof amountYuan === "number" && Number.isFinite(amountYuan)) return amountYuan;
  return kamError("na", "owner", {
    zh: `${call.owner} 在 ${call.period.id} 没有已批准的指标`,
    en: `${call.owner} has no approved target for ${call.period.id}`,
  });
}

/** `KAM.ACCOUNT(account, field, [lang])`. */
export function parseAccountCall(args: readonly unknown[], displayLang: Lang): Result<AccountCall> {
  const a = storeArgs("ACCOUNT", args, displayLang);
  if (!a.ok) return a;
  const { cells, lang } = a.value;
  const account = accountRefArg(cells.account);
  if (!account.ok) return account;
  const f = asText(cells.field, "field", { zh: "字段", en: "field" });
  if (!f.ok) return f;
  const field = FIELD_LOOKUP.get(normalizeKey(f.value));
  if (!field) return { ok: false, error: errors.badChoice("field", f.value, ACCOUNT_CELL_FIELDS) };
  const ref = account.value;
  const queryKey = `ACCOUNT|${ref}`;
  return { ok: true, value: { fn: "ACCOUNT", key: `${queryKey}|${field}|${lang}`, queryKey, account: ref, field, lang } };
}

function memberOf(record: unknown, key: string): unknown {
  return record !== null && typeof record === "object" && !Array.isArray(record) ? (record as Record<string, unknown>)[key] : undefined;
}

/** `KAM.ARCHIVE(account, [lang])`. */
export function parseArchiveCall(args: readonly unknown[], displayLang: Lang): Result<ArchiveCall> {
  const a = storeArgs("ARCHIVE", args, displayLang);
  if (!a.ok) return a;
  const { cells, lang } = a.value;
  const account = accountRefArg(cells.account);
  if (!account.ok) return account;
  const ref = account.value;
  const queryKey = `ACCOUNT|${ref}`;
  return { ok: true, value: { fn: "ARCHIVE", key: `ARCHIVE|${ref}|${lang}`, queryKey, account: ref, lang } };
}

/** The archive completeness of an account (as stored) as a cell: a ratio 0–1 (docs/domain.md §7: 0.8, not 80). */
export function archiveCell(account: Readonly<Record<string, unknown>>): CellResult {
  const r = archiveCompleteness(account);
  return r.ok ? r.value.ratio : r.error;
}

export { unknownAccount } from "../errors.js";

const ENUM_FIELDS = {
  ownershipType: OWNERSHIP_TYPES,
  industryPosition: INDUSTRY_POSITIONS,
  paymentAttitude: PAYMENT_ATTITUDES,
  credit: CREDIT_RATINGS,
  stage: STAGES,
  dealStatus: DEAL_STATUSES,
  accountScope: ACCOUNT_SCOPES,
  cooperationDepth: COOPERATION_DEPTHS,
} as const;

/**
 * One field of an account (as the caller may read it) as a cell, labels in `lang`. `class` is the
 * list of class ids the store computed (its class view applies the 90-day rule, docs/contracts.md), joined
 * like `KAM.CLASS`. Grades show their letter. `reviewStale` is TRUE or FALSE as of `today`
 * (default: today in Asia/Shanghai). Absent → "" (an empty cell), never an error.
 */
export function accountFieldCell(
  account: Readonly<Record<string, unknown>>,
  field: AccountCellField,
  lang: Lang,
  classes?: readonly string[],
  today?: string,
): CellResult {
  if (field === "class") {
    const ids = classes ?? (Array.isArray(account["classes"]) ? (account["classes"] as string[]) : []);
    return ACCOUNT_CLASSES.ids.filter((id) => ids.includes(id)).map((id) => ACCOUNT_CLASSES.label(id, lang)).join(", ");
  }
  if (field === "reviewStale") {
    const last = account["lastReviewed"];
    const stale = isStaleArchive(typeof last === "string" ? last : undefined, today);
    return stale.ok ? stale.value : stale.error;
  }
  const v = field === "termination.date" || field === "termination.reason" ? memberOf(account["termination"], field.slice("termination.".length)) : account[field];
  if (v === undefined || v === null) return "";
  if (field === "grade") return (typeof v === "string" ? GRADES.parse(v) : undefined) ?? String(v);
  if (field in ENUM_FIELDS) {
    const e = ENUM_FIELDS[field as keyof typeof ENUM_FIELDS];
    const id = e.parse(v);
    return id ? (e.label as (id: string, lang: Lang) => string)(id, lang) : String(v);
  }
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : "";
  if (typeof v === "string") return v;
  return kamError("value", "field", { zh: `字段 ${field} 不是单个值`, en: `field ${field} is not a single value` });
}
