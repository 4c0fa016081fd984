import { canWriteVisit, hasRole, type Principal } from "../../../shared/src/access.js";
import { abcClasses } from "../../../shared/src/grading/abc.js";
import { ACCOUNT_CLASSES, VISIT_ROLES, type AccountClass, type VisitRole } from "../../../shared/src/labels.js";
import { msg, type Lang } from "../../../shared/src/errors.js";
import type { Period } from "../../../shared/src/periods.js";
import { VisitPlanSchema, VisitRecordSchema, type VisitPlanWrite, type VisitRecordWrite } from "../../../shared/src/schemas/visit.js";
import { validate, type ErrorDetail, type Validated } from "../../../shared/src/schemas/validation.js";
import { today } from "../../../shared/src/dates.js";
import { DEFAULT_VISIT_CADENCE, planAdherence, planIsLate, recordIsLate, visitCompliance } from "../../../shared/src/visits.js";
import type * as z from "zod/mini";
import { ACCOUNT } from "./accounts.js";
import type { StoreContext } from "./client.js";

import { getEntities, mergeDocument, upsertBatch, type Doc, type EntityType, type StoredEntity, type UpsertPolicy, type UpsertResult } from "./entity.js";
import { CONTRACT, listAllOf, type AccountRef, type ContractDoc } from "./finance.js";
import { getUsers } from "./users.js";

/**
 * Visit plans (月拜访计划表) and records (月度客户拜访记录表) — docs/domain.md §5. Entities `VPLAN` and
 * `VREC`, GSI2 partition = the visited **account** (`T#t#VPLAN#OWN#<accountId>`), so one account's
 * visits are one Query; GSI1 lists the tenant's in change order.
 */
export const VISIT_PLAN: EntityType = { code: "VPLAN", ownerOf: (d) => (typeof d.accountId === "string" ? d.accountId : undefined) };
export const VISIT_RECORD: EntityType = { code: "VREC", ownerOf: (d) => (typeof d.accountId === "string" ? d.accountId : undefined) };

/** `enteredOn`: the date (tenant zone) the item was first stored — set here, read by the lateness rules. */
export type VisitPlanDoc = Doc & { accountId: string; month: string; role: VisitRole; owner: string; plannedDate?: string; purpose?: string; enteredOn?: string };
export type VisitRecordDoc = Doc & {
  accountId: string;
  date: string;
  role: VisitRole;
  purpose: string;
  outcome: string;
  owner: string;
  planId?: string;
  summary?: string;
  enteredOn?: string;
};

export function presentVisit(e: StoredEntity): Record<string, unknown> {
  return { id: e.id, version: e.version, ...e.data, updatedAt: e.updatedAt, updatedBy: e.updatedBy };
}

type VisitWrite = (VisitPlanWrite | VisitRecordWrite) & { id: string; owner?: string | null; accountId?: string | null };

function validDoc<D extends Doc>(schema: z.core.$ZodType, merged: Doc, lang: Lang = "en"): Validated<D> {
  const r = validate(schema, { id: "x", version: 0, ...merged }, lang);
  if (!r.ok) return r;
  const { id: _i, version: _v, ...doc } = r.value as Doc;
  return { ok: true, value: doc as D };
}

const OWN_VISITS_ZH = "客户经理只能编辑自己负责的客户、且由自己执行的拜访";
const OWN_VISITS_EN = "a manager writes visits of accounts they own, carried out by themselves";

export interface VisitUpsertOptions {
  idempotencyKey?: string;
  lang?: Lang;
  /** The date a new item counts as entered (default: today in the tenant's zone); the demo seed dates its history. */
  enteredOn?: (item: VisitWrite) => string;
}

/**
 * Batch upsert of plans or records. Rights (shared canWriteVisit): directors any; a manager only on
 * accounts they own and only visits they carry out themselves (a new one defaults to them).
 * The account and the visiting owner must exist.
 */
async function upsertVisits<D extends Doc>(
  ctx: StoreContext,
  type: EntityType,
  schema: z.core.$ZodType,
  p: Principal,
  items: readonly VisitWrite[],
  opts: VisitUpsertOptions,
): Promise<UpsertResult[]> {
  const lang = opts.lang ?? "en";
  const existing = await getEntities<D>(ctx, type, p.tenant, items.map((i) => i.id), { repair: false });
  const accountIds = new Set<string>();
  const owners = new Set<string>();
  for (const i of items) {
    if (typeof i.accountId === "string") accountIds.add(i.accountId);
    if (typeof i.owner === "string") owners.add(i.owner);
  }
  for (const e of existing.values()) accountIds.add(e.data.accountId as string);
  owners.add(p.userId);
  const [accounts, users] = await Promise.all([getEntities(ctx, ACCOUNT, p.tenant, [...accountIds], { repair: false }), getUsers(ctx, p.tenant, [...owners])]);
  const accountOf = (id: unknown) => {
    const a = typeof id === "string" ? accounts.get(id) : undefined;
    return a && !a.deleted ? { owner: a.data.owner as string } : undefined;
  };
  const defaultOwner = (input: VisitWrite, ex: StoredEntity<D> | undefined) =>
    !ex && input.owner === undefined && !hasRole(p, "director") ? { ...input, owner: p.userId } : input;
  const policy: UpsertPolicy<VisitWrite, D> = {
    forbidden(ex, raw) {
      const input = defaultOwner(raw, ex);
      if (ex && !canWriteVisit(p, accountOf(ex.data.accountId), { owner: ex.data.owner as string })) {
        return [{ path: "id", message: msg(lang, OWN_VISITS_ZH, OWN_VISITS_EN) }];
      }
      const account = input.accountId ?? (ex?.data.accountId as string | undefined);
      const owner = input.owner ?? (ex?.data.owner as string | undefined);
      if (accountOf(account) && !canWriteVisit(p, accountOf(account), { owner: owner ?? null })) {
        const path = hasRole(p, "manager") && accountOf(account)?.owner === p.userId ? "owner" : "accountId";
        return [{ path, message: msg(lang, OWN_VISITS_ZH, OWN_VISITS_EN) }];
      }
      return undefined;
    },
    merge(ex, raw) {
      const input = defaultOwner(raw, ex);
      // docs/domain.md §5 lateness reads when the item was first stored; later edits keep that date.
      const merged = mergeDocument(ex?.data, input as Doc);
      return validDoc<D>(schema, ex ? merged : { ...merged, enteredOn: opts.enteredOn?.(raw) ?? today() }, opts.lang);
    },
    present: presentVisit,
    check(merged, ex): ErrorDetail[] {
      const out: ErrorDetail[] = [];
      if (!accountOf(merged.accountId)) out.push({ path: "accountId", message: msg(lang, `没有客户 ${String(merged.accountId)}`, `unknown account ${String(merged.accountId)}`) });
      if (merged.owner !== ex?.data.owner && !users.has(merged.owner as string)) out.push({ path: "owner", message: msg(lang, `用户目录中没有 ${String(merged.owner)}`, `unknown user ${String(merged.owner)}`) });
      return out;
    },
  };
  return upsertBatch(ctx, type, p.tenant, { id: p.userId }, items, policy, opts);
}

export function upsertVisitPlans(ctx: StoreContext, p: Principal, items: readonly VisitWrite[], opts: VisitUpsertOptions = {}) {
  return upsertVisits<VisitPlanDoc>(ctx, VISIT_PLAN, VisitPlanSchema, p, items, opts);
}

export function upsertVisitRecords(ctx: StoreContext, p: Principal, items: readonly VisitWrite[], opts: VisitUpsertOptions = {}) {
  return upsertVisits<VisitRecordDoc>(ctx, VISIT_RECORD, VisitRecordSchema, p, items, opts);
}

// ---------------------------------------------------------------------------------------------
// Account classes for the visit cadence (docs/domain.md §3.1, §5)

/**
 * Revenue for the Pareto ranking (docs/domain.md §3.3 "sort accounts by revenue"): the account's signed
 * contract amounts, cumulative up to the end of the period looked at. Documented choice — the
 * store knows no other revenue figure.
 */
export const PARETO_REVENUE = "signedContractsToPeriodEnd" as const;

/**
 * The visit classes of each account (docs/domain.md §5 uses `strategic` and `important`):
 * - `strategic` = the account's own flag (docs/domain.md §3.1: flagged);
 * - `important` = Pareto class A (docs/domain.md §3.1 → §3.3) over all the tenant's live accounts, ranked by
 *   `PARETO_REVENUE`. When no account has revenue the ranking is undefined (#DIV/0! in the engine)
 *   and no account is important.
 */
export function visitClasses(
  accounts: readonly (AccountRef)[],
  contracts: readonly StoredEntity<ContractDoc>[],
  periodEnd: string,
): Map<string, AccountClass[]> {
  const revenue = new Map<string, number>(accounts.map((a) => [a.id, 0]));
  for (const c of contracts) {
    if (c.data.signedDate > periodEnd || !revenue.has(c.data.accountId)) continue;
    // Sums in fen to stay exact; amounts are ≤ 2 decimals (schema).
    revenue.set(c.data.accountId, revenue.get(c.data.accountId)! + Math.round(c.data.amountYuan * 100));
  }
  const ids = [...revenue.keys()];
  const abc = abcClasses(ids.map((id) => revenue.get(id)! / 100));
  const out = new Map<string, AccountClass[]>();
  accounts.forEach((a) => {
    const classes: AccountClass[] = [];
    if (a.strategic) classes.push("strategic");
    const i = ids.indexOf(a.id);
    if (abc.ok && abc.value[i] === "A") classes.push("important");
    out.set(a.id, ACCOUNT_CLASSES.ids.filter((c) => classes.includes(c)));
  });
  return out;
}

export interface ComplianceRow {
  accountId: string;
  accountName: string;
  owner: string;
  classes: AccountClass[];
  role: VisitRole;
  /** docs/domain.md §5 floor(m × rate); with both classes, the stricter (larger) requirement. */
  required: number;
  /** Records of the role in the period with a written summary. */
  carriedOut: number;
  met: boolean;
  shortfall: number;
  planned: number;
  /** Plan adherence (planned visits carried out ÷ planned); null when nothing was planned. */
  planAdherence: number | null;
  planAdherenceError?: { code: string; message: string };
  /**
   * Lateness (docs/domain.md §5): ids of the role's plans for the period's months made after
   * their month started, and of its records in the period entered after the 5th of the next month.
   * Items stored before the store kept `enteredOn` are never late.
   */
  latePlans: string[];
  lateRecords: string[];
  /** Any late plan or record. */
  late: boolean;
}

export async function readAllVisits(ctx: StoreContext, tenant: string) {
  const [plans, records, contracts] = await Promise.all([
    listAllOf<VisitPlanDoc>(ctx, VISIT_PLAN, tenant),
    listAllOf<VisitRecordDoc>(ctx, VISIT_RECORD, tenant),
    listAllOf<ContractDoc>(ctx, CONTRACT, tenant),
  ]);
  return { plans, records, contracts };
}

/** Roles a cadence table names for a class (the rows a classed account is checked on). */
export function cadenceRoles(classes: readonly AccountClass[]): VisitRole[] {
  const roles = new Set<VisitRole>();
  for (const c of classes) for (const r of Object.keys(DEFAULT_VISIT_CADENCE.rates[c] ?? {})) roles.add(r as VisitRole);
  return VISIT_ROLES.ids.filter((r) => roles.has(r));
}

/** A lateness answer as a flag (stored months and dates are valid, so an error means not late). */
const flag = (r: { ok: true; value: boolean } | { ok: false }): boolean => r.ok && r.value;

export function complianceRows(q: {
  accounts: readonly (AccountRef)[];
  classes: Map<string, AccountClass[]>;
  plans: readonly StoredEntity<VisitPlanDoc>[];
  records: readonly StoredEntity<VisitRecordDoc>[];
  period: Period;
  role?: VisitRole;
  lang: "zh" | "en";
  errorJson: (e: import("../../../shared/src/errors.js").KamError) => { code: string; message: string };
}): ComplianceRow[] {
  const months = new Set(q.period.months);
  const rows: ComplianceRow[] = [];
  for (const a of q.accounts) {
    const classes = q.classes.get(a.id) ?? [];
    const records = q.records.filter((r) => r.data.accountId === a.id).map((r) => r.data);
    const plans = q.plans.filter((x) => x.data.accountId === a.id && months.has(x.data.month));
    let roles = q.role ? [q.role] : cadenceRoles(classes);
    if (!q.role && classes.length === 0) {
      // An account without a visit class has no minimum; show the roles that planned or visited.
      const seen = new Set<string>([...plans.map((x) => x.data.role), ...records.filter((r) => r.date >= q.period.start && r.date <= q.period.end).map((r) => r.role)]);
      roles = VISIT_ROLES.ids.filter((r) => seen.has(r));
    }
    for (const role of roles) {
      let required = 0;
      let carriedOut = 0;
      for (const c of classes) {
        const vc = visitCompliance({ accountClass: c, role, period: q.period, records });
        if (vc.ok) {
          required = Math.max(required, vc.value.required);
          carriedOut = vc.value.carriedOut;
        }
      }
      if (classes.length === 0) {
        // No class: nothing required; count the role's visits with a summary via the same rule.
        const vc = visitCompliance({ accountClass: "strategic", role, period: q.period, records });
        carriedOut = vc.ok ? vc.value.carriedOut : 0;
      }
      const rolePlans = plans.filter((x) => x.data.role === role);
      const recs = records.map((r) => ({ ...r }));
      const adh = planAdherence(
        rolePlans.map((x) => ({ id: x.id, ...x.data })),
        recs.filter((r) => r.role === role),
      );
      const latePlans = rolePlans.filter((x) => x.data.enteredOn !== undefined && flag(planIsLate(x.data.month, x.data.enteredOn))).map((x) => x.id);
      const lateRecords = q.records
        .filter((r) => r.data.accountId === a.id && r.data.role === role && r.data.date >= q.period.start && r.data.date <= q.period.end)
        .filter((r) => r.data.enteredOn !== undefined && flag(recordIsLate(r.data.date, r.data.enteredOn)))
        .map((r) => r.id);
      const row: ComplianceRow = {
        accountId: a.id,
        accountName: a.name,
        owner: a.owner,
        classes,
        role,
        required,
        carriedOut,
        met: carriedOut >= required,
        shortfall: Math.max(0, required - carriedOut),
        planned: rolePlans.length,
        planAdherence: adh.ok ? adh.value : null,
        latePlans,
        lateRecords,
        late: latePlans.length > 0 || lateRecords.length > 0,
      };
      if (!adh.ok) row.planAdherenceError = q.errorJson(adh.error);
      rows.push(row);
    }
  }
  return rows;
}
