import type { IsoDate } from "./dates.js";
import type { Result } from "./errors.js";
import { accountClasses } from "./grading/classes.js";
import type { AccountClass } from "./labels.js";
import { sumYuan } from "./money.js";

/**
 * The classes of one stored account (`accountClasses`) as `KAM.CLASS` reads them through `/v1/eval`:
 * cumulative sales = the sum of its signed contracts, largest contract = the biggest of them,
 * attitude, referrals, group and strategic flags from the archive, 重要客户 = the account's visit
 * classes include `important` (Pareto A over the tenant, shared/src/compliance.ts), and "credit
 * good" knows receivables: an amount overdue more than 90 days (null when unknown → attitude alone).
 */
export interface StoredAccountFacts {
  paymentAttitude?: unknown;
  closedReferrals?: unknown;
  group?: unknown;
  strategic?: unknown;
}

/** The receivables that decide "credit good" for a stored account: the current year's, as of today. */
export function creditCheckPeriod(today: IsoDate): { period: string; asOf: IsoDate } {
  return { period: today.slice(0, 4), asOf: today };
}

export function storedAccountClasses(q: {
  account: StoredAccountFacts;
  /** The account's signed contracts. */
  contracts: readonly { amountYuan: number }[];
  /** The account's visit classes (`visitClasses`). */
  visitClasses: readonly AccountClass[];
  /** Receivables overdue more than 90 days, yuan; null when they could not be computed. */
  overdue90Yuan: number | null;
}): Result<AccountClass[]> {
  return accountClasses({
    cumulativeSalesYuan: sumYuan(q.contracts.map((c) => c.amountYuan)),
    largestContractYuan: q.contracts.reduce((m, c) => Math.max(m, c.amountYuan), 0),
    paymentAttitude: (q.account.paymentAttitude as string | undefined) ?? null,
    closedReferrals: (q.account.closedReferrals as number | undefined) ?? 0,
    isGroup: q.account.group === true,
    isStrategic: q.account.strategic === true,
    isParetoA: q.visitClasses.includes("important"),
    hasOverdueOver90: q.overdue90Yuan === null ? null : q.overdue90Yuan > 0,
  });
}
