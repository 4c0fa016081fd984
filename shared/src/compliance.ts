import { abcClasses } from "./grading/abc.js";
import { ACCOUNT_CLASSES, VISIT_ROLES, type AccountClass, type VisitRole } from "./labels.js";
import { EXCEL_ERROR, messageOf, type Lang } from "./errors.js";
import { sumYuan } from "./money.js";
import type { Period } from "./periods.js";
import { DEFAULT_VISIT_CADENCE, planAdherence, planIsLate, recordIsLate, visitCompliance, type VisitRecordInput } from "./visits.js";

/**
 * Visit classes and visit compliance over an account list and its stored
 * contracts, plans and records — the rows `GET /v1/visits/compliance` answers and the classes the
 * health score reads. Plain data in, plain data out: the store reads, this decides.
 */

/** An account as the visit rules see it. */
export interface ClassedAccount {
  id: string;
  name: string;
  owner: string;
  /** The account's strategic flag. */
  strategic: boolean;
}

/** A signed contract as the Pareto ranking sees it. */
export interface SignedContract {
  accountId: string;
  signedDate: string;
  amountYuan: number;
}

/** A stored visit plan (its id, the visited account, month and role; `enteredOn` = first stored). */
export interface StoredVisitPlan {
  id: string;
  accountId: string;
  month: string;
  role: VisitRole;
  enteredOn?: string | undefined;
}

/** A stored visit record. */
export interface StoredVisitRecord extends VisitRecordInput {
  id: string;
  accountId: string;
  date: string;
  role: VisitRole;
  enteredOn?: string | undefined;
}

/**
 * Revenue for the Pareto ranking ("sort accounts by revenue"): the account's signed
 * contract amounts, cumulative up to the end of the period looked at. Documented choice — the
 * store knows no other revenue figure.
 */
export const PARETO_REVENUE = "signedContractsToPeriodEnd" as const;

/**
 * The visit classes of each account (the visit cadence knows `strategic` and `important`):
 * - `strategic` = the account's own flag;
 * - `important` = Pareto class A (`abcClasses`) over all the given accounts (the tenant's
 *   live ones), ranked by `PARETO_REVENUE`. When no account has revenue the ranking is undefined
 *   (#DIV/0! in the engine) and no account is important.
 */
export function visitClasses(accounts: readonly ClassedAccount[], contracts: readonly SignedContract[], periodEnd: string): Map<string, AccountClass[]> {
  const amounts = new Map<string, number[]>(accounts.map((a) => [a.id, []]));
  for (const c of contracts) {
    if (c.signedDate > periodEnd) continue;
    amounts.get(c.accountId)?.push(c.amountYuan);
  }
  const index = new Map([...amounts.keys()].map((id, i) => [id, i]));
  const abc = abcClasses([...amounts.values()].map(sumYuan));
  const out = new Map<string, AccountClass[]>();
  accounts.forEach((a) => {
    const classes: AccountClass[] = [];
    if (a.strategic) classes.push("strategic");
    const i = index.get(a.id);
    if (abc.ok && i !== undefined && abc.value[i] === "A") classes.push("important");
    out.set(a.id, ACCOUNT_CLASSES.ids.filter((c) => classes.includes(c)));
  });
  return out;
}

/** Roles a cadence table names for a class (the rows a classed account is checked on). */
export function cadenceRoles(classes: readonly AccountClass[]): VisitRole[] {
  const roles = new Set<VisitRole>();
  for (const c of classes) for (const r of Object.keys(DEFAULT_VISIT_CADENCE.rates[c] ?? {})) roles.add(r as VisitRole);
  return VISIT_ROLES.ids.filter((r) => roles.has(r));
}

export interface ComplianceRow {
  accountId: string;
  accountName: string;
  owner: string;
  classes: AccountClass[];
  role: VisitRole;
  /** floor(months × rate); with both classes, the stricter (larger) requirement. */
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
   * Lateness: ids of the role's plans for the period's months made after
   * their month started, and of its records in the period entered after the 5th of the next month.
   * Items stored before the store kept `enteredOn` are never late.
   */
  latePlans: string[];
  lateRecords: string[];
  /** Any late plan or record. */
  late: boolean;
}

/** A lateness answer as a flag (stored months and dates are valid, so an error means not late). */
const flag = (r: { ok: true; value: boolean } | { ok: false }): boolean => r.ok && r.value;

/**
 * One row per account and visiting role: the roles the account's classes name, or
 * `role` alone; an account without a class has no minimum and shows the roles that planned or
 * visited in the period. Messages (plan adherence's #DIV/0!) are in `lang`.
 */
export function complianceRows(q: {
  accounts: readonly ClassedAccount[];
  classes: ReadonlyMap<string, AccountClass[]>;
  plans: readonly StoredVisitPlan[];
  records: readonly StoredVisitRecord[];
  period: Period;
  role?: VisitRole;
  lang: Lang;
}): ComplianceRow[] {
  const months = new Set(q.period.months);
  const inPeriod = (r: StoredVisitRecord) => r.date >= q.period.start && r.date <= q.period.end;
  const rows: ComplianceRow[] = [];
  for (const a of q.accounts) {
    const classes = q.classes.get(a.id) ?? [];
    const records = q.records.filter((r) => r.accountId === a.id);
    const plans = q.plans.filter((x) => x.accountId === a.id && months.has(x.month));
    let roles = q.role ? [q.role] : cadenceRoles(classes);
    if (!q.role && classes.length === 0) {
      // An account without a visit class has no minimum; show the roles that planned or visited.
      const seen = new Set<string>([...plans.map((x) => x.role), ...records.filter(inPeriod).map((r) => r.role)]);
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
      const rolePlans = plans.filter((x) => x.role === role);
      const roleRecords = records.filter((r) => r.role === role);
      const adh = planAdherence(rolePlans, roleRecords);
      const latePlans = rolePlans.filter((x) => x.enteredOn !== undefined && flag(planIsLate(x.month, x.enteredOn))).map((x) => x.id);
      const lateRecords = roleRecords
        .filter((r) => inPeriod(r) && r.enteredOn !== undefined && flag(recordIsLate(r.date, r.enteredOn)))
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
      if (!adh.ok) row.planAdherenceError = { code: EXCEL_ERROR[adh.error.code], message: messageOf(adh.error, q.lang) };
      rows.push(row);
    }
  }
  return rows;
}
