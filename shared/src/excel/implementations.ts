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

/** The readers of a function's parameters after its first, in parameter order, from `once` by name. */
function readersAfterFirst(id: PureFunctionId, once: Readonly<Record<string, ArgReader>>): ArgReader[] {
  return SIGNATURES[id].parameters.slice(1).flatMap((p) => once[p.name] ?? []);
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
  return perFactorRecord(readersAfterFirst(id, once), rule);
}

/**
 * A function on the count of signals present (`signals`, its first parameter: records of the five
 * signals, or counts): its other parameters are read once for the call, each as `once` says by name.
 */
function signalCounts<Id extends "URGENCY">(
  id: Id,
  rule: (count: number, ...rest: never[]) => Result<string>,
  once: Readonly<Record<Exclude<ParameterName<Id>, "signals">, ArgReader>>,
): PureImpl {
  return perSignalCount(readersAfterFirst(id, once), rule);
}

export const IMPLEMENTATIONS: Readonly<Record<PureFunctionId, PureImpl>> = {
  SCORE: kamScore,
  "SCORE.ITEMS": kamScoreItems,
  VALUE: factorRecords("VALUE", valueScore, { weights: weightList }),
  GRADE: factorRecords("GRADE", gradeLetter, { weights: weightList, cutoffs: gradeCutoffs }),
  URGENCY: signalCounts("URGENCY", urgencyGrade, { grades: gradeTable }),
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
