import type { Lang, Result } from "../errors.js";
import { churnRate, collectionRate, completionRate, developmentRate, expenseControl, settlementRate } from "../rates.js";
import { requiredVisits } from "../visits.js";
import type { FnResult } from "./cells.js";
import { valueScore } from "../grading/value.js";
import { abcClass, abcTable, classLabels, cutoffList, gradeCutoffs, gradeLetter, perFactorRecord, schemeOf, tierLabel, weightList, type ArgReader } from "./functions.js";
import { kamUrgency } from "./health.js";
import { liftRule } from "./lift.js";
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
  once: Partial<Record<ParameterName<Id>, (v: unknown) => Result<unknown>>> = {},
): PureImpl {
  const run = rule as (...valuesThenLang: unknown[]) => Result<number | string | boolean>;
  const readOnce = once as Partial<Record<string, (v: unknown) => Result<unknown>>>;
  const params = SIGNATURES[id].parameters.map((p) => {
    const readArg = readOnce[p.name];
    return readArg ? { ...p, readArg } : p;
  });
  return liftRule(params, (values, lang) => run(...values, lang));
}

/**
 * A function on the accounts' factor scores (`factors`, its first parameter, one record per
 * answer): its other parameters are read once for the call, each as `once` says by name.
 */
function factorRecords<Id extends "VALUE" | "GRADE">(
  id: Id,
  rule: (factors: number[], ...rest: never[]) => Result<number | string>,
  once: Readonly<Record<Exclude<ParameterName<Id>, "factors">, ArgReader>>,
): PureImpl {
  const readers: Readonly<Record<string, ArgReader>> = once;
  return perFactorRecord(
    SIGNATURES[id].parameters.slice(1).flatMap((p) => readers[p.name] ?? []),
    rule,
  );
}

export const IMPLEMENTATIONS: Readonly<Record<PureFunctionId, PureImpl>> = {
  SCORE: kamScore,
  "SCORE.ITEMS": kamScoreItems,
  VALUE: factorRecords("VALUE", valueScore, { weights: weightList }),
  GRADE: factorRecords("GRADE", gradeLetter, { weights: weightList, cutoffs: gradeCutoffs }),
  URGENCY: kamUrgency,
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
