import { errors, fail, ok, type Bilingual, type Result } from "../errors.js";
import { at } from "../checked.js";
import type { Grade } from "../labels.js";
import { add, cmp, mul, rat, rationalOf, sub, toNumber, type Rational } from "./exact.js";

/**
 * Value grading (docs/domain.md §3.2): seven key factors, each scored 1–5
 * (5 = most favourable to us), weighted; value = Σ wᵢ × (sᵢ − 1) / 4 ÷ Σ wᵢ × 100 → 0–100.
 */
export const VALUE_FACTORS = [
  "share",
  "effort",
  "dealRisk",
  "businessValue",
  "paymentRisk",
  "capability",
  "difficulty",
] as const;
export type ValueFactor = (typeof VALUE_FACTORS)[number];

/** docs/domain.md §3.2 factor names, in its table's order. */
export const VALUE_FACTOR_LABELS: Readonly<Record<ValueFactor, Bilingual>> = {
  share: { zh: "成交后所占份额", en: "share after closing" },
  effort: { zh: "时间、精力及费用", en: "time, effort and cost" },
  dealRisk: { zh: "成交风险", en: "deal risk" },
  businessValue: { zh: "对我司经营的价值", en: "value to our business" },
  paymentRisk: { zh: "客户付款风险", en: "payment risk" },
  capability: { zh: "我方供应与服务能力", en: "our supply and service capability" },
  difficulty: { zh: "技术、管理难度", en: "technical and management difficulty" },
};

export type ValueWeights = Readonly<Record<ValueFactor, number>>;

/** docs/domain.md §3.2 *default* weights (sum 100). */
export const DEFAULT_VALUE_WEIGHTS: ValueWeights = {
  share: 20,
  effort: 10,
  dealRisk: 15,
  businessValue: 20,
  paymentRisk: 15,
  capability: 10,
  difficulty: 10,
};

/** docs/domain.md §3.2: each factor is scored on this scale. */
export const VALUE_FACTOR_MIN = 1;
export const VALUE_FACTOR_MAX = 5;

export interface GradeCutoffs {
  A: number;
  B: number;
  C: number;
}

/** docs/domain.md §3.2 *default* grade cut-offs: A ≥ 75, B ≥ 55, C ≥ 35, else D. */
export const DEFAULT_GRADE_CUTOFFS: Readonly<GradeCutoffs> = { A: 75, B: 55, C: 35 };

/** Factors: seven numbers in VALUE_FACTORS order, or an object keyed by factor id. */
export type ValueFactors = readonly unknown[] | Readonly<Partial<Record<ValueFactor, unknown>>>;
/** Weights: seven numbers in VALUE_FACTORS order, or an object keyed by factor id (absent → default). */
export type ValueWeightsInput = readonly unknown[] | Readonly<Partial<Record<ValueFactor, unknown>>>;

function pick(input: ValueFactors | ValueWeightsInput, i: number, factor: ValueFactor): unknown {
  return Array.isArray(input) ? input[i] : (input as Partial<Record<ValueFactor, unknown>>)[factor];
}

/** Argument name in errors: 1-based position as in docs/domain.md §3.2's table, then the factor id ("factors[3] dealRisk"). */
function argName(kind: "factors" | "weights", i: number): string {
  return `${kind}[${i + 1}] ${VALUE_FACTORS[i]}`;
}

function readFactors(factors: ValueFactors): Result<Rational[]> {
  if (factors === null || typeof factors !== "object") return { ok: false, error: errors.notANumber("factors", factors) };
  if (Array.isArray(factors) && factors.length !== VALUE_FACTORS.length) {
    return fail("value", "factors", {
      zh: `应有 ${VALUE_FACTORS.length} 个要素评分，实际 ${factors.length} 个`,
      en: `expected ${VALUE_FACTORS.length} factor scores, got ${factors.length}`,
    });
  }
  const out: Rational[] = [];
  for (const [i, factor] of VALUE_FACTORS.entries()) {
    const v = pick(factors, i, factor);
    const arg = argName("factors", i);
    const label = VALUE_FACTOR_LABELS[factor];
    if (v === undefined || v === null || v === "") return { ok: false, error: errors.missing(arg, label) };
    if (typeof v !== "number" || !Number.isFinite(v)) return { ok: false, error: errors.notANumber(arg, v) };
    if (v < VALUE_FACTOR_MIN || v > VALUE_FACTOR_MAX) {
      return fail("num", arg, {
        zh: `${label.zh}评分应在 ${VALUE_FACTOR_MIN}–${VALUE_FACTOR_MAX} 之间，实际为 ${v}`,
        en: `${label.en} score must be ${VALUE_FACTOR_MIN}–${VALUE_FACTOR_MAX}, got ${v}`,
      });
    }
    out.push(rationalOf(v));
  }
  return { ok: true, value: out };
}

function readWeights(weights: ValueWeightsInput | undefined): Result<Rational[]> {
  const w = weights ?? DEFAULT_VALUE_WEIGHTS;
  if (w === null || typeof w !== "object") return { ok: false, error: errors.notANumber("weights", w) };
  if (Array.isArray(w) && w.length !== VALUE_FACTORS.length) {
    return fail("value", "weights", {
      zh: `应有 ${VALUE_FACTORS.length} 个权重，实际 ${w.length} 个`,
      en: `expected ${VALUE_FACTORS.length} weights, got ${w.length}`,
    });
  }
  const out: Rational[] = [];
  let sum = rat(0);
  for (const [i, factor] of VALUE_FACTORS.entries()) {
    let v = pick(w, i, factor);
    // An object may name only some weights; the rest keep their default.
    if ((v === undefined || v === null || v === "") && !Array.isArray(w)) v = DEFAULT_VALUE_WEIGHTS[factor];
    const arg = argName("weights", i);
    if (v === undefined || v === null || v === "") return { ok: false, error: errors.missing(arg) };
    if (typeof v !== "number" || !Number.isFinite(v)) return { ok: false, error: errors.notANumber(arg, v) };
    if (v < 0) return { ok: false, error: errors.negative(arg) };
    const r = rationalOf(v);
    out.push(r);
    sum = add(sum, r);
  }
  if (sum.n === 0n) {
    return fail("div0", "weights", { zh: "权重之和为 0，无法计算价值分", en: "the weights sum to 0; the value score is undefined" });
  }
  return { ok: true, value: out };
}

/** Exact value score as a rational: Σ wᵢ(sᵢ − 1) × 100 / (4 Σ wᵢ). */
function exactValue(factors: ValueFactors, weights?: ValueWeightsInput): Result<Rational> {
  const f = readFactors(factors);
  if (!f.ok) return f;
  const w = readWeights(weights);
  if (!w.ok) return w;
  let num = rat(0);
  let den = rat(0);
  // Both lists hold one entry per factor (read above).
  for (const [i, wi] of w.value.entries()) {
    num = add(num, mul(wi, sub(at(f.value, i, "factors"), rat(VALUE_FACTOR_MIN))));
    den = add(den, wi);
  }
  // docs/domain.md §3.2: (s − 1) / 4 maps 1..5 onto 0..1; × 100 → 0..100.
  const span = VALUE_FACTOR_MAX - VALUE_FACTOR_MIN;
  return ok(mul(num, { n: 100n * den.d, d: BigInt(span) * den.n }));
}

/** docs/domain.md §3.2 value score 0–100 (exact to 12 decimals). */
export function valueScore(factors: ValueFactors, weights?: ValueWeightsInput): Result<number> {
  const v = exactValue(factors, weights);
  return v.ok ? ok(toNumber(v.value)) : v;
}

function checkCutoffs(cutoffs: GradeCutoffs): Result<GradeCutoffs> {
  for (const k of ["A", "B", "C"] as const) {
    const c = cutoffs[k];
    if (typeof c !== "number" || !Number.isFinite(c)) return { ok: false, error: errors.notANumber(`cutoffs.${k}`, c) };
  }
  if (!(cutoffs.A >= cutoffs.B && cutoffs.B >= cutoffs.C)) {
    return fail("num", "cutoffs", { zh: "等级分数线应满足 A ≥ B ≥ C", en: "grade cut-offs must satisfy A ≥ B ≥ C" });
  }
  return ok(cutoffs);
}

function gradeOfExact(score: Rational, cutoffs: GradeCutoffs): Grade {
  if (cmp(score, rationalOf(cutoffs.A)) >= 0) return "A";
  if (cmp(score, rationalOf(cutoffs.B)) >= 0) return "B";
  if (cmp(score, rationalOf(cutoffs.C)) >= 0) return "C";
  return "D";
}

/**
 * docs/domain.md §3.2 grade of a value score: A ≥ cutoffs.A, B ≥ cutoffs.B, C ≥ cutoffs.C, else D.
 * The comparison is exact on the decimal the score is written as. A score that is not a number
 * (NaN) grades D.
 */
export function valueGrade(score: number, cutoffs: GradeCutoffs = DEFAULT_GRADE_CUTOFFS): Grade {
  if (!Number.isFinite(score)) return score === Infinity ? "A" : "D";
  return gradeOfExact(rationalOf(score), cutoffs);
}

/** docs/domain.md §3.2 value score and grade in one step; the grade is decided on the exact score. */
export function gradeAccount(
  factors: ValueFactors,
  weights?: ValueWeightsInput,
  cutoffs: GradeCutoffs = DEFAULT_GRADE_CUTOFFS,
): Result<{ value: number; grade: Grade }> {
  const c = checkCutoffs(cutoffs);
  if (!c.ok) return c;
  const v = exactValue(factors, weights);
  if (!v.ok) return v;
  return ok({ value: toNumber(v.value), grade: gradeOfExact(v.value, cutoffs) });
}
