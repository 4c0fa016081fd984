import { errors, fail, ok, type Result } from "../errors.js";
import type { Tier } from "../labels.js";
import { yuanToFen } from "../money.js";
import { cmp, rat, rationalOf, type Rational } from "./exact.js";

/**
 * Performance-pay tier (docs/domain.md §8) and the verbal-warning flag.
 */
export interface TierCutoffs {
  /** 基本完成 from this completion (inclusive); below → 未完成. */
  basicallyMet: number;
  /** 超额完成 above this completion (exclusive); up to it inclusive → 基本完成. */
  exceeded: number;
  /** 突出完成 from this completion (inclusive). */
  outstanding: number;
}

/** docs/domain.md §8 *default*: 未完成 c < 0.9; 基本完成 0.9 ≤ c ≤ 1.0; 超额完成 1.0 < c < 1.2; 突出完成 c ≥ 1.2. */
export const DEFAULT_TIER_CUTOFFS: Readonly<TierCutoffs> = { basicallyMet: 0.9, exceeded: 1.0, outstanding: 1.2 };

/** docs/domain.md §8 *default*: a score below 60 → verbal warning (the source's "低于××分"). */
export const DEFAULT_WARNING_THRESHOLD = 60;

function checkCutoffs(c: TierCutoffs): Result<TierCutoffs> {
  for (const k of ["basicallyMet", "exceeded", "outstanding"] as const) {
    if (typeof c[k] !== "number" || !Number.isFinite(c[k])) return { ok: false, error: errors.notANumber(`cutoffs.${k}`, c[k]) };
  }
  if (!(c.basicallyMet <= c.exceeded && c.exceeded <= c.outstanding)) {
    return fail("num", "cutoffs", {
      zh: "档位分界应满足 基本完成 ≤ 超额完成 ≤ 突出完成",
      en: "tier cut-offs must satisfy basicallyMet ≤ exceeded ≤ outstanding",
    });
  }
  return ok(c);
}

function tierOfExact(c: Rational, cutoffs: TierCutoffs): Tier {
  if (cmp(c, rationalOf(cutoffs.basicallyMet)) < 0) return "notMet";
  if (cmp(c, rationalOf(cutoffs.exceeded)) <= 0) return "basicallyMet";
  if (cmp(c, rationalOf(cutoffs.outstanding)) < 0) return "exceeded";
  return "outstanding";
}

/** docs/domain.md §8 tier of a completion ratio (1.0 = 100%), compared exactly on its decimal value. */
export function performanceTier(completion: number, cutoffs: TierCutoffs = DEFAULT_TIER_CUTOFFS): Result<Tier> {
  const c = checkCutoffs(cutoffs);
  if (!c.ok) return c;
  if (typeof completion !== "number" || !Number.isFinite(completion)) {
    return { ok: false, error: errors.notANumber("completion", completion) };
  }
  if (completion < 0) return { ok: false, error: errors.negative("completion") };
  return ok(tierOfExact(rationalOf(completion), cutoffs));
}

/**
 * docs/domain.md §8 tier straight from actual and planned sales (yuan), with the ratio kept exact in fen:
 * 1,199,999.99 ÷ 1,000,000 is 超额完成 even where a rounded ratio would read 1.2.
 */
export function performanceTierFromSales(
  actualYuan: number,
  planYuan: number,
  cutoffs: TierCutoffs = DEFAULT_TIER_CUTOFFS,
): Result<Tier> {
  const c = checkCutoffs(cutoffs);
  if (!c.ok) return c;
  const a = yuanToFen(actualYuan, "actual");
  if (!a.ok) return a;
  const p = yuanToFen(planYuan, "plan");
  if (!p.ok) return p;
  if (a.value < 0) return { ok: false, error: errors.negative("actual") };
  if (p.value < 0) return { ok: false, error: errors.negative("plan") };
  if (p.value === 0) return { ok: false, error: errors.zeroDenominator("plan", { zh: "计划销售额", en: "planned sales" }) };
  return ok(tierOfExact(rat(a.value, p.value), cutoffs));
}

/** docs/domain.md §8: a score below the threshold earns a verbal warning (a score equal to it does not). */
export function verbalWarning(score: number, threshold: number = DEFAULT_WARNING_THRESHOLD): boolean {
  return score < threshold;
}
