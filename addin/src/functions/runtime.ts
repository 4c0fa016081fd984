/// <reference types="custom-functions-runtime" />
import type { Lang, Result } from "../../../shared/src/errors.js";
import { evalPure, LANG_ARG_INDEX, langOfCall, type PureFunctionId, type StoreFunctionId } from "../../../shared/src/excel/eval.js";
import { parseAccountCall, parseCollectionCall, parseTargetCall } from "../../../shared/src/excel/store.js";
import type { ScoringModel } from "../../../shared/src/scoring/model.js";
import { getSession, onDataChanged, onSessionChange } from "../api/session.js";
import { EvalBatcher } from "./batcher.js";
import { displayLang, toCustomFunctionsError, toExcelMatrix, toExcelScalar } from "./excel.js";

/**
 * What the `@customfunction` wrappers share: the display language, the scoring models the pane
 * loaded from the store, and the one batcher for store-backed calls (shared runtime: the pane's
 * sign-in serves the functions — OFFICE.md).
 */

const models = new Map<string, ScoringModel>();

/** The pane hands over the tenant's stored scoring models (after sign-in / sync) for `KAM.SCORE`. */
export function setScoringModels(list: readonly ScoringModel[]): void {
  models.clear();
  for (const m of list) models.set(m.id.toLowerCase(), m);
}

function resolveModel(id: string): ScoringModel | undefined {
  return models.get(id.trim().toLowerCase());
}

/** A pure function: evaluated here, synchronously, never on the network. */
export function pure(id: PureFunctionId, args: unknown[]): unknown[][] {
  const display = displayLang();
  return toExcelMatrix(evalPure(id, args, display, { models: resolveModel }), langOfCall(id, args, display));
}

let batcher: EvalBatcher | undefined;

/** The batcher of store-backed calls (created on first use; cleared on sync and sign-in changes). */
export function getBatcher(): EvalBatcher {
  if (!batcher) {
    const b = new EvalBatcher({ getSession });
    onDataChanged(() => b.clear());
    onSessionChange(() => b.clear());
    batcher = b;
  }
  return batcher;
}

type Parser = (args: readonly unknown[], lang: Lang) => Result<{ key: string; lang: Lang }>;
const PARSERS: Readonly<Record<StoreFunctionId, Parser>> = {
  COLLECTION: parseCollectionCall,
  TARGET: parseTargetCall,
  ACCOUNT: parseAccountCall,
};

/** A store-backed function: argument errors answer at once; the rest go through the batcher. */
export async function remote(id: StoreFunctionId, args: unknown[]): Promise<unknown> {
  const langIndex = LANG_ARG_INDEX[id];
  const display = displayLang();
  const call = PARSERS[id](args, display);
  if (!call.ok) throw toCustomFunctionsError(call.error, langOfCall(id, args, display));
  const sent = args.slice(0, langIndex);
  while (sent.length < langIndex) sent.push(null);
  sent.push(call.value.lang); // the server answers in the caller's language
  const result = await getBatcher().call(id, sent, call.value.key);
  return toExcelScalar(result, call.value.lang);
}
