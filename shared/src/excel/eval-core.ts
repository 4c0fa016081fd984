import { kamError, type Lang } from "../errors.js";
import { asLang, toScalar, type FnResult } from "./cells.js";
import {
  kamAbc,
  kamChurn,
  kamClass,
  kamCollectionRate,
  kamCompletion,
  kamDevelopment,
  kamExpenseControl,
  kamGrade,
  kamSettlement,
  kamTier,
  kamValue,
  kamVisits,
} from "./functions.js";
import { kamUrgency } from "./health.js";
import { kamScore, kamScoreItems, type ScoreOptions } from "./score.js";

/**
 * Every `KAM.*` function id. Ids are what formulas carry in every language
 * (docs/platform.md: formulas written through the API are never localised).
 */
export const PURE_FUNCTION_IDS = [
  "SCORE",
  "SCORE.ITEMS",
  "VALUE",
  "GRADE",
  "CLASS",
  "ABC",
  "TIER",
  "COMPLETION",
  "COLLECTIONRATE",
  "CHURN",
  "VISITS",
  "URGENCY",
  "DEVELOPMENT",
  "SETTLEMENT",
  "EXPENSECONTROL",
] as const;
/** Answered from the store by `/v1/eval` (the add-in batches them; never evaluated locally). */
export const STORE_FUNCTION_IDS = ["COLLECTION", "TARGET", "ACCOUNT", "HEALTH", "ARCHIVE"] as const;
export const FUNCTION_IDS = [...PURE_FUNCTION_IDS, ...STORE_FUNCTION_IDS] as const;

export type PureFunctionId = (typeof PURE_FUNCTION_IDS)[number];
export type StoreFunctionId = (typeof STORE_FUNCTION_IDS)[number];
export type FunctionId = (typeof FUNCTION_IDS)[number];

/** What the pure functions are given besides their arguments (for now only `SCORE`/`SCORE.ITEMS` use it). */
export type PureOptions = ScoreOptions;

type Impl = (args: readonly unknown[], lang: Lang, opts: PureOptions) => FnResult;

export const PURE_FUNCTIONS: Readonly<Record<PureFunctionId, Impl>> = {
  SCORE: kamScore,
  "SCORE.ITEMS": kamScoreItems,
  VALUE: kamValue,
  GRADE: kamGrade,
  CLASS: kamClass,
  ABC: kamAbc,
  TIER: kamTier,
  COMPLETION: kamCompletion,
  COLLECTIONRATE: kamCollectionRate,
  CHURN: kamChurn,
  VISITS: kamVisits,
  URGENCY: (args, lang) => kamUrgency(args, lang),
  DEVELOPMENT: kamDevelopment,
  SETTLEMENT: kamSettlement,
  EXPENSECONTROL: kamExpenseControl,
};

/** Position of each function's optional last `lang` argument (its last parameter). */
export const LANG_ARG_INDEX: Readonly<Record<FunctionId, number>> = {
  SCORE: 3,
  "SCORE.ITEMS": 4,
  VALUE: 2,
  GRADE: 3,
  CLASS: 7,
  ABC: 2,
  TIER: 2,
  COMPLETION: 2,
  COLLECTIONRATE: 2,
  CHURN: 2,
  VISITS: 4,
  URGENCY: 2,
  DEVELOPMENT: 2,
  SETTLEMENT: 2,
  EXPENSECONTROL: 2,
  COLLECTION: 3,
  TARGET: 3,
  ACCOUNT: 2,
  HEALTH: 2,
  ARCHIVE: 1,
};

/**
 * The language a call's labels and messages are in (docs/contracts.md §1.4): its own `lang`
 * argument when valid, else the caller's display language.
 */
export function langOfCall(fn: string, args: readonly unknown[], displayLang: Lang): Lang {
  const id = functionIdOf(fn);
  if (id === undefined || !Array.isArray(args)) return displayLang;
  const cell = toScalar(args[LANG_ARG_INDEX[id]], "lang");
  if (!cell.ok) return displayLang;
  const l = asLang(cell.value, displayLang);
  return l.ok ? l.value : displayLang;
}

/** `SCORE`, `kam.score`, `KAM.SCORE` → `SCORE`; undefined for an unknown name. */
export function functionIdOf(name: string): FunctionId | undefined {
  const id = name.trim().toUpperCase().replace(/^KAM\./, "");
  return (FUNCTION_IDS as readonly string[]).includes(id) ? (id as FunctionId) : undefined;
}

export function isStoreFunction(id: string): id is StoreFunctionId {
  return (STORE_FUNCTION_IDS as readonly string[]).includes(id);
}

/**
 * Evaluate a pure function on Excel-shaped arguments — the one implementation behind the add-in,
 * `/v1/eval` and the workbook tests. Never throws; a store-backed or unknown id is an error value.
 * `lang` is the caller's display language (a call's own `lang` argument wins). The model validator
 * is the caller's to give: `evalPure` (eval.ts) gives the schema's; the add-in's functions.js
 * loads it only when a model must be validated.
 */
export function evalPureWith(fn: string, args: readonly unknown[], lang: Lang, opts: PureOptions): FnResult {
  const id = functionIdOf(fn);
  if (id === undefined) {
    return kamError("value", "fn", { zh: `没有函数 KAM.${fn}`, en: `there is no function KAM.${fn}` });
  }
  if (isStoreFunction(id)) {
    return kamError("na", "fn", { zh: `KAM.${id} 需从 KAM 服务读取数据`, en: `KAM.${id} reads the KAM store` });
  }
  try {
    return PURE_FUNCTIONS[id](Array.isArray(args) ? args : [], lang, opts);
  } catch (e) {
    // Defence in depth: a defect must still be an Excel error, never an exception in a cell.
    return kamError("value", undefined, { zh: `内部错误：${e instanceof Error ? e.message : String(e)}`, en: `internal error: ${e instanceof Error ? e.message : String(e)}` });
  }
}
