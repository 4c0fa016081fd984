import { errors, ok, type Lang, type Result } from "../errors.js";
import { ACCOUNT_CLASSES, PAYMENT_ATTITUDES, type AccountClass, type PaymentAttitude } from "../labels.js";
import { yuanToFen } from "../money.js";

/**
 * Account classes (docs/domain.md §3.1). Classes may overlap; they are listed in the
 * order of ACCOUNT_CLASSES (docs/contracts.md §4).
 */

/** docs/domain.md §3.1 *default*: 优质客户 needs cumulative signed-contract consumption > 1千万 yuan. */
export const QUALITY_THRESHOLD_YUAN = 10_000_000;
/** docs/domain.md §3.1 *default*: 高值客户 needs a single contract > 1千万 yuan. */
export const HIGH_VALUE_THRESHOLD_YUAN = 10_000_000;
/** docs/domain.md §3.1 *default*: "payment credit good" = payment attitude 爽快 or 一般 … */
export const GOOD_PAYMENT_ATTITUDES: readonly PaymentAttitude[] = ["prompt", "average"];
/** … and no overdue receivable older than this many days. */
export const CREDIT_OVERDUE_LIMIT_DAYS = 90;

export interface ClassThresholds {
  qualityYuan: number;
  highValueYuan: number;
}

export const DEFAULT_CLASS_THRESHOLDS: Readonly<ClassThresholds> = {
  qualityYuan: QUALITY_THRESHOLD_YUAN,
  highValueYuan: HIGH_VALUE_THRESHOLD_YUAN,
};

/** What the class rules look at (minimal structure; absent numbers count as 0, absent flags as false). */
export interface AccountClassInput {
  /** Cumulative signed-contract consumption, yuan. */
  cumulativeSalesYuan?: number | string | null;
  /** Largest single contract, yuan. */
  largestContractYuan?: number | string | null;
  /** 付款态度: id (prompt/average/…) or the zh/en label. */
  paymentAttitude?: string | null;
  /** Number of customers this account referred that closed. */
  closedReferrals?: number | null;
  isGroup?: boolean | null;
  isStrategic?: boolean | null;
  /** Pareto class A (docs/domain.md §3.3) → 重要客户. */
  isParetoA?: boolean | null;
  /** Whether a receivable is overdue by more than 90 days; unknown (absent) → attitude alone. */
  hasOverdueOver90?: boolean | null;
}

function moneyFen(v: unknown, arg: string): Result<number> {
  if (v === undefined || v === null || v === "") return ok(0);
  if (typeof v !== "number" && typeof v !== "string") return { ok: false, error: errors.notANumber(arg, v) };
  const f = yuanToFen(v, arg);
  if (!f.ok) return f;
  if (f.value < 0) return { ok: false, error: errors.negative(arg) };
  return f;
}

/** docs/domain.md §3.1 "payment credit good": attitude 爽快/一般 and (when known) nothing > 90 days overdue. */
export function paymentCreditGood(paymentAttitude: string | null | undefined, hasOverdueOver90?: boolean | null): Result<boolean> {
  if (paymentAttitude === undefined || paymentAttitude === null || paymentAttitude.trim() === "") return ok(false);
  const id = PAYMENT_ATTITUDES.parse(paymentAttitude);
  if (id === undefined) {
    return { ok: false, error: errors.badChoice("paymentAttitude", paymentAttitude, PAYMENT_ATTITUDES.entries.map((e) => e.zh)) };
  }
  return ok(GOOD_PAYMENT_ATTITUDES.includes(id) && hasOverdueOver90 !== true);
}

/** docs/domain.md §3.1 classes of one account, in ACCOUNT_CLASSES order. */
export function accountClasses(
  input: AccountClassInput,
  thresholds: ClassThresholds = DEFAULT_CLASS_THRESHOLDS,
): Result<AccountClass[]> {
  const sales = moneyFen(input.cumulativeSalesYuan, "cumulativeSalesYuan");
  if (!sales.ok) return sales;
  const largest = moneyFen(input.largestContractYuan, "largestContractYuan");
  if (!largest.ok) return largest;
  const qualityT = yuanToFen(thresholds.qualityYuan, "thresholds.qualityYuan");
  if (!qualityT.ok) return qualityT;
  const highT = yuanToFen(thresholds.highValueYuan, "thresholds.highValueYuan");
  if (!highT.ok) return highT;
  const referrals = input.closedReferrals ?? 0;
  if (typeof referrals !== "number" || !Number.isFinite(referrals)) {
    return { ok: false, error: errors.notANumber("closedReferrals", referrals) };
  }
  if (referrals < 0) return { ok: false, error: errors.negative("closedReferrals") };
  const credit = paymentCreditGood(input.paymentAttitude, input.hasOverdueOver90);
  if (!credit.ok) return credit;

  const has: Record<AccountClass, boolean> = {
    // docs/domain.md §3.1: cumulative consumption > T (strictly, in fen) and credit good, OR a closed referral.
    quality: (sales.value > qualityT.value && credit.value) || referrals >= 1,
    // docs/domain.md §3.1: a single contract > T and credit good.
    highValue: largest.value > highT.value && credit.value,
    group: input.isGroup === true,
    strategic: input.isStrategic === true,
    // docs/domain.md §3.1: 重要客户 = Pareto class A (§3.3).
    important: input.isParetoA === true,
  };
  return ok(ACCOUNT_CLASSES.ids.filter((id) => has[id]));
}

/** docs/contracts.md §4: `KAM.CLASS` joins the labels with ", " in ACCOUNT_CLASSES order; "" when none. */
export function formatClasses(ids: readonly AccountClass[], lang: Lang): string {
  return ACCOUNT_CLASSES.ids.filter((id) => ids.includes(id)).map((id) => ACCOUNT_CLASSES.label(id, lang)).join(", ");
}
