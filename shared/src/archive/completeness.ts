import { ACCOUNT_FIELDS } from "../schemas/fields.js";
import { daysBetween, parseDate, today as todayIn } from "../dates.js";
import { errors, fail, ok, type Result } from "../errors.js";
import { CONTACT_ROLES } from "../labels.js";

/**
 * Archive completeness (大客户档案完整率, the KPI of docs/domain.md §2) and the stale-archive check
 * (review at least every 6 months, docs/domain.md §2).
 */

/** docs/contracts.md §7 plus the lists an account holds (schemas/fields.ts). */
export const ARCHIVE_FIELD_IDS = ACCOUNT_FIELDS;

/** A required item that is not a plain field: at least one decision-chain contact with role 决策者. */
export const DECIDER_CONTACT = "deciderContact";

export type ArchiveRequirement = (typeof ARCHIVE_FIELD_IDS)[number] | typeof DECIDER_CONTACT;

/** docs/domain.md §2 *default* required fields (10). */
export const DEFAULT_REQUIRED_ARCHIVE_FIELDS: readonly ArchiveRequirement[] = [
  "name",
  "ownershipType",
  "industry",
  "address",
  "phone",
  "owner",
  "registeredCapital",
  "industryPosition",
  DECIDER_CONTACT,
  "paymentAttitude",
];

/** docs/domain.md §2: an archive not reviewed for more than this many days is stale. */
export const STALE_ARCHIVE_DAYS = 183;

/** Minimal account shape: any profile fields, and contacts with a decision-chain role. */
export interface ArchiveAccount {
  contacts?: readonly { role?: string | null }[] | null;
  [field: string]: unknown;
}

export interface ArchiveCompleteness {
  /** filled ÷ required (0..1). */
  ratio: number;
  filled: number;
  required: number;
  /** Required items not filled, in the order given. */
  missing: string[];
}

function isFilled(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function hasDecider(account: ArchiveAccount): boolean {
  const contacts = account.contacts;
  return Array.isArray(contacts) && contacts.some((c) => CONTACT_ROLES.parse(c?.role) === "decider");
}

/** docs/domain.md §2 archive completeness = filled required fields ÷ required fields. */
export function archiveCompleteness(
  account: ArchiveAccount,
  requiredFields: readonly string[] = DEFAULT_REQUIRED_ARCHIVE_FIELDS,
): Result<ArchiveCompleteness> {
  if (account === null || typeof account !== "object") return fail("value", "account", { zh: "应为客户档案", en: "expected an account" });
  if (!Array.isArray(requiredFields)) return fail("value", "requiredFields", { zh: "应为字段列表", en: "expected a list of fields" });
  if (requiredFields.length === 0) {
    return { ok: false, error: errors.zeroDenominator("requiredFields", { zh: "必填字段数", en: "number of required fields" }) };
  }
  const known = new Set<string>([...ARCHIVE_FIELD_IDS, DECIDER_CONTACT]);
  const missing: string[] = [];
  for (const f of requiredFields) {
    if (!known.has(f)) return { ok: false, error: errors.badChoice("requiredFields", f, [...known]) };
    const filled = f === DECIDER_CONTACT ? hasDecider(account) : isFilled(account[f]);
    if (!filled) missing.push(f);
  }
  const required = requiredFields.length;
  const filled = required - missing.length;
  return ok({ ratio: filled / required, filled, required, missing });
}

/**
 * docs/domain.md §2: stale when the archive was not reviewed for more than 183 days (never reviewed →
 * stale). `today` defaults to today in Asia/Shanghai.
 */
export function isStaleArchive(lastReviewed: string | number | null | undefined, today?: string | number): Result<boolean> {
  const now = today === undefined ? ok(todayIn()) : parseDate(today, "today");
  if (!now.ok) return now;
  if (lastReviewed === undefined || lastReviewed === null || lastReviewed === "") return ok(true);
  const last = parseDate(lastReviewed, "lastReviewed");
  if (!last.ok) return last;
  return ok(daysBetween(last.value, now.value) > STALE_ARCHIVE_DAYS);
}

/**
 * Archive completeness of a book of accounts (the director KPI of docs/domain.md §8 over a manager's or a team's
 * accounts): the average of each account's completeness. No account → a zero denominator error,
 * never 0 or 1 (docs/domain.md §7).
 */
export function averageArchiveCompleteness(
  accounts: readonly ArchiveAccount[],
  requiredFields: readonly string[] = DEFAULT_REQUIRED_ARCHIVE_FIELDS,
): Result<number> {
  if (!Array.isArray(accounts)) return fail("value", "accounts", { zh: "应为客户档案列表", en: "expected a list of accounts" });
  if (accounts.length === 0) return { ok: false, error: errors.zeroDenominator("accounts", { zh: "客户数", en: "number of accounts" }) };
  let sum = 0;
  for (const a of accounts) {
    const r = archiveCompleteness(a, requiredFields);
    if (!r.ok) return r;
    sum += r.value.ratio;
  }
  return ok(sum / accounts.length);
}
