import { kamError, type Lang } from "../errors.js";
import type { FnResult } from "./cells.js";
import { langArg } from "./functions.js";
import { IMPLEMENTATIONS, type PureOptions } from "./implementations.js";
import { langIndexOf, SIGNATURES, type FunctionId, type PureFunctionId, type StoreFunctionId } from "./signatures.js";

export type { FunctionId, PureFunctionId, StoreFunctionId } from "./signatures.js";
export type { PureOptions } from "./implementations.js";

/**
 * Every `KAM.*` function id, in the order of shared/src/excel/signatures.ts. Ids are what
 * formulas carry in every language (docs/platform.md: formulas written through the API are never localised).
 */
export const FUNCTION_IDS = Object.keys(SIGNATURES) as FunctionId[];
export const PURE_FUNCTION_IDS = FUNCTION_IDS.filter((id): id is PureFunctionId => SIGNATURES[id].kind === "pure");
/** Answered from the store by `/v1/eval` (the add-in batches them; never evaluated locally). */
export const STORE_FUNCTION_IDS = FUNCTION_IDS.filter((id): id is StoreFunctionId => SIGNATURES[id].kind === "store");

/**
 * The language a call's labels and messages are in (docs/contracts.md §1.4): its own `lang`
 * argument when valid, else the caller's display language.
 */
export function langOfCall(fn: string, args: readonly unknown[], displayLang: Lang): Lang {
  const id = functionIdOf(fn);
  if (id === undefined || !Array.isArray(args)) return displayLang;
  const l = langArg(args, langIndexOf(id), displayLang);
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
  const list = Array.isArray(args) ? args : [];
  try {
    // The call's own `lang` argument, read once here for every function: the body gets the language.
    const callLang = langArg(list, langIndexOf(id), lang);
    if (!callLang.ok) return callLang.error;
    return IMPLEMENTATIONS[id](list, callLang.value, opts);
  } catch (e) {
    // Defence in depth: a defect must still be an Excel error, never an exception in a cell.
    return kamError("value", undefined, { zh: `内部错误：${e instanceof Error ? e.message : String(e)}`, en: `internal error: ${e instanceof Error ? e.message : String(e)}` });
  }
}
