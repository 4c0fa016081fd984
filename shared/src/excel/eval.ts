import type { Lang } from "../errors.js";
import { parseScoringModel } from "../scoring/model.js";
import type { FnResult } from "./cells.js";
import { evalPureWith, type PureOptions } from "./eval-core.js";

export * from "./eval-core.js";

/** `evalPure`'s options: the model validator defaults to the schema's own. */
export type EvalOptions = Omit<PureOptions, "parseModel"> & Partial<Pick<PureOptions, "parseModel">>;

/**
 * Evaluate a pure function on Excel-shaped arguments, synchronously, with the scoring-model schema
 * at hand (`/v1/eval`, the workbook export, the workbook tests). Never throws; a store-backed or
 * unknown id is an error value. `lang` is the caller's display language (a call's own `lang`
 * argument wins).
 */
export function evalPure(fn: string, args: readonly unknown[], lang: Lang, opts: EvalOptions = {}): FnResult {
  return evalPureWith(fn, args, lang, { ...opts, parseModel: opts.parseModel ?? parseScoringModel });
}
