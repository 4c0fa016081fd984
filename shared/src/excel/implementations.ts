import type { Lang, Result } from "../errors.js";
import { churnRate, collectionRate, completionRate, developmentRate, expenseControl, settlementRate } from "../rates.js";
import { requiredVisits } from "../visits.js";
import type { FnResult } from "./cells.js";
import { urgencyGrade } from "../grading/urgency.js";
import { valueScore } from "../grading/value.js";
import { abcClass, abcTable, classLabels, cutoffList, gradeCutoffs, gradeLetter, perFactorRecord, schemeOf, tierLabel, weightList } from "./functions.js";
import { gradeTable, perSignalCount } from "./health.js";
import { liftRule, type ArgReader } from "./lift.js";
import { kamScore, kamScoreItems, type ScoreOptions } from "./score.js";
import { SIGNATURES, type ParameterName, type PureFunctionId } from "./signatures.js";

/**
 * The implementation of every pure `KAM.*` function, by id; its parameters, result and flags are
 * its declaration in signatures.ts. Kept apart from the declarations because it imports the engine:
 * the store-backed parsers read the declarations without it.
 */

/** What the pure functions are given besides their arguments (for now only `SCORE`/`SCORE.ITEMS` use it). */
export type PureOptions = ScoreOptions;

/**
 * A pure function's rule on Excel-shaped arguments (`args[i]` is parameter `i`), in the call's
 * language (its `lang` argument already read). Never throws for any input.
 */
export type PureImpl = (args: readonly unknown[], lang: Lang, opts: PureOptions) => FnResult;

/**
 * A function whose parameters the table reads (`read`: lifted cell by cell), its other parameters
 * read once for the call as `once` says by name (a list of cut-offs, a cadence scheme): its
 * implementation is its rule on one value per parameter, in order, then the call's language.
 */
function lifted<Id extends PureFunctionId>(
  id: Id,
  rule: (...valuesThenLang: never[]) => Result<number | string | boolean>,
  once: Partial<Record<ParameterName<Id>, ArgReader>> = {},
): PureImpl {
  const run = rule as (...valuesThenLang: unknown[]) => Result<number | string | boolean>;
  const readOnce = once as Partial<Record<string, ArgReader>>;
  const params = SIGNATURES[id].parameters.map((p) => {
    const readArg = readOnce[p.name];
    return readArg ? { ...p, readArg } : p;
  });
  return liftRule(params, (values, lang) => run(...values, lang));
}

/**
 * The readers of a function's parameters after its first (the one read per answer), in parameter
 * order, from `once` by name: each of them is read once for the call (`KAM.VALUE`, `KAM.GRADE`,
 * `KAM.URGENCY`).
 */
function readOnce<Id extends PureFunctionId>(id: Id, once: Readonly<Record<Exclude<ParameterName<Id>, (typeof SIGNATURES)[Id]["parameters"][0]["name"]>, ArgReader>>): ArgReader[] {
  const byName: Readonly<Record<string, ArgReader>> = once;
  return SIGNATURES[id].parameters.slice(1).flatMap((p) => byName[p.name] ?? []);
}

export const IMPLEMENTATIONS: Readonly<Record<PureFunctionId, PureImpl>> = {
  SCORE: kamScore,
  "SCORE.ITEMS": kamScoreItems,
  VALUE: perFactorRecord(readOnce("VALUE", { weights: weightList }), valueScore),
  GRADE: perFactorRecord(readOnce("GRADE", { weights: weightList, cutoffs: gradeCutoffs }), gradeLetter),
  URGENCY: perSignalCount(readOnce("URGENCY", { grades: gradeTable }), urgencyGrade),
  CLASS: lifted("CLASS", classLabels),
  ABC: lifted("ABC", abcClass, { allValues: abcTable }),
  TIER: lifted("TIER", tierLabel, { cutoffs: cutoffList }),
  COMPLETION: lifted("COMPLETION", completionRate),
  COLLECTIONRATE: lifted("COLLECTIONRATE", collectionRate),
  CHURN: lifted("CHURN", churnRate),
  DEVELOPMENT: lifted("DEVELOPMENT", developmentRate),
  SETTLEMENT: lifted("SETTLEMENT", settlementRate),
  EXPENSECONTROL: lifted("EXPENSECONTROL", expenseControl),
  VISITS: lifted("VISITS", requiredVisits, { scheme: schemeOf }),
};
