import { errors, fail, ok, type Bilingual, type Result } from "../errors.js";
import type { Grade } from "../labels.js";
import { readBool } from "../catalogue/grammar.js";

/**
 * Urgency view (docs/domain.md §3.2): a purchase's urgency is judged on five signals.
 */
export const URGENCY_SIGNALS = [
  "objectiveNecessity",
  "subjectiveNecessity",
  "resolve",
  "feasibilityStudy",
  "vendorSelection",
] as const;
export type UrgencySignal = (typeof URGENCY_SIGNALS)[number];

export const URGENCY_SIGNAL_LABELS: Readonly<Record<UrgencySignal, Bilingual>> = {
  objectiveNecessity: { zh: "客观必要性", en: "objective necessity" },
  subjectiveNecessity: { zh: "主观必要性", en: "subjective necessity" },
  resolve: { zh: "决心强度", en: "strength of resolve" },
  feasibilityStudy: { zh: "已开始可行性研究", en: "feasibility study started" },
  vendorSelection: { zh: "已开始选择供应商/商务工作", en: "vendor selection / commercial work started" },
};

/**
 * docs/domain.md §3.2 *default*: grade by number of signals present, indexed by the count 0..5:
 * 0–1 → D, 2–3 → C, 4 → B, 5 → A.
 */
export const DEFAULT_URGENCY_GRADES: readonly [Grade, Grade, Grade, Grade, Grade, Grade] = ["D", "D", "C", "C", "B", "A"];

/** Signals: five booleans (in the order of docs/domain.md §3.2), or the count of signals present 0..5. */
export type UrgencySignals = readonly unknown[] | number;

/** Count of signals present; booleans, 1/0 and 是/否 / yes/no / true/false text are accepted. */
export function urgencySignalCount(signals: UrgencySignals): Result<number> {
  if (typeof signals === "number") {
    if (!Number.isFinite(signals)) return { ok: false, error: errors.notANumber("signals", signals) };
    if (!Number.isInteger(signals) || signals < 0 || signals > URGENCY_SIGNALS.length) {
      return { ok: false, error: errors.outOfRange("signals", `0..${URGENCY_SIGNALS.length}`) };
    }
    return ok(signals);
  }
  if (!Array.isArray(signals)) return { ok: false, error: errors.notANumber("signals", signals) };
  if (signals.length !== URGENCY_SIGNALS.length) {
    return fail("value", "signals", {
      zh: `应有 ${URGENCY_SIGNALS.length} 个信号，实际 ${signals.length} 个`,
      en: `expected ${URGENCY_SIGNALS.length} signals, got ${signals.length}`,
    });
  }
  let count = 0;
  for (let i = 0; i < signals.length; i++) {
    const b = truthOf(signals[i]);
    if (b === undefined) {
      return { ok: false, error: errors.badChoice(`signals[${i}] ${URGENCY_SIGNALS[i]}`, signals[i], ["TRUE", "FALSE", "是", "否"]) };
    }
    if (b) count++;
  }
  return ok(count);
}

/** A signal through the shared cell grammar; an empty cell is a signal not present. */
function truthOf(v: unknown): boolean | undefined {
  if (v === null || v === undefined) return false;
  if (typeof v !== "boolean" && typeof v !== "number" && typeof v !== "string") return undefined;
  const r = readBool(v);
  return r.ok ? (r.value ?? false) : undefined;
}

/** docs/domain.md §3.2 urgency grade from the five signals (or their count). */
export function urgencyGrade(
  signals: UrgencySignals,
  grades: readonly Grade[] = DEFAULT_URGENCY_GRADES,
): Result<Grade> {
  const n = urgencySignalCount(signals);
  if (!n.ok) return n;
  const g = grades[n.value];
  if (g === undefined) {
    return fail("na", "grades", { zh: `紧迫度分级表缺少 ${n.value} 个信号的等级`, en: `the urgency table has no grade for ${n.value} signals` });
  }
  return ok(g);
}

/** docs/domain.md §3.2: how a model combines the value grade and the urgency grade. */
export const GRADE_COMBINE_MODES = ["valueOnly", "better", "worse"] as const;
export type GradeCombineMode = (typeof GRADE_COMBINE_MODES)[number];
/** docs/domain.md §3.2 *default*: value only. */
export const DEFAULT_GRADE_COMBINE_MODE: GradeCombineMode = "valueOnly";

/** docs/domain.md §3.2: the better (A is best) / the worse of the two grades, or the value grade only. */
export function combineGrades(value: Grade, urgency: Grade, mode: GradeCombineMode = DEFAULT_GRADE_COMBINE_MODE): Grade {
  if (mode === "better") return value <= urgency ? value : urgency;
  if (mode === "worse") return value >= urgency ? value : urgency;
  return value;
}
