/// <reference types="custom-functions-runtime" />
import { fail, kamError, type Lang, type Result } from "../../../shared/src/errors.js";
import { evalPureWith, langOfCall, type PureFunctionId, type StoreFunctionId } from "../../../shared/src/excel/eval-core.js";
import { langIndexOf } from "../../../shared/src/excel/signatures.js";
import type { ModelParser } from "../../../shared/src/excel/score.js";
import { parseHealthCall } from "../../../shared/src/excel/health.js";
import type { ScoringModel } from "../../../shared/src/scoring/model.js";
import { getSession, onDataChanged, onSessionChange, type Session } from "../api/session.js";
import { EvalBatcher } from "./batcher.js";
import { displayLang, toCustomFunctionsError, toExcelMatrix, toExcelScalar } from "./excel.js";
import { loadedModelParser, loadModelParser } from "./validator.js";

/**
 * What the custom functions (register.ts) share: the display language, the scoring models the pane
 * loaded from the store, and the one batcher for store-backed calls (shared runtime: the pane's
 * sign-in serves the functions — docs/platform.md).
 */

const models = new Map<string, ScoringModel>();

/** The pane hands over the tenant's stored scoring models (after sign-in / sync) for `KAM.SCORE`. */
export function setScoringModels(list: readonly ScoringModel[]): void {
  models.clear();
  for (const m of list) models.set(m.id.toLowerCase(), m);
}

/**
 * Load the tenant's stored scoring models from `GET /v1/models` into `KAM.SCORE`'s resolver
 * (built-ins come from shared/ and need no request). A model that fails validation is skipped,
 * so `KAM.SCORE` names it as unknown rather than scoring with a broken model. Returns the ids loaded.
 */
export async function loadScoringModels(session: Session, fetchImpl: typeof fetch = fetch): Promise<string[]> {
  const res = await fetchImpl(`${session.apiBase}/v1/models`, { headers: { authorization: `Bearer ${session.token}` } });
  if (!res.ok) return [];
  const body = (await res.json()) as { items?: Array<Record<string, unknown>> };
  const parseScoringModel = await loadModelParser();
  const list: ScoringModel[] = [];
  for (const item of body.items ?? []) {
    if (item.readOnly === true) continue;
    const { readOnly: _r, revision: _v, updatedAt: _a, updatedBy: _b, ...model } = item;
    const parsed = parseScoringModel(model);
    if (parsed.ok) list.push(parsed.value);
  }
  setScoringModels(list);
  return list.map((m) => m.id);
}

/** Keep the stored models in step with sign-in, sign-out and syncs from the pane. */
export function watchScoringModels(): void {
  const reload = (s: Session | undefined) => {
    if (!s) setScoringModels([]);
    else void loadScoringModels(s).catch(() => undefined); // offline: built-ins still work
  };
  onSessionChange(reload);
  onDataChanged(() => reload(getSession()));
}

function resolveModel(id: string): ScoringModel | undefined {
  return models.get(id.trim().toLowerCase());
}

/** The functions with a scoring-model argument: only they may need the validator. */
type ModelFunctionId = "SCORE" | "SCORE.ITEMS";

/**
 * A pure function: evaluated here, never on the network; synchronously, except the first time a
 * model must be validated (a model written as JSON in a cell): the answer then waits for the
 * validator to load (Excel shows #BUSY! meanwhile), and later calls are synchronous again.
 */
export function pure(id: Exclude<PureFunctionId, ModelFunctionId>, args: unknown[]): unknown[][];
export function pure(id: PureFunctionId, args: unknown[]): unknown[][] | Promise<unknown[][]>;
export function pure(id: PureFunctionId, args: unknown[]): unknown[][] | Promise<unknown[][]> {
  let wantsValidator = false;
  const notLoaded: ModelParser = () => {
    wantsValidator = true;
    return fail("value", "model", { zh: "评分模型校验器尚未加载", en: "the scoring-model validator has not loaded yet" });
  };
  const display = displayLang();
  const result = evalPureWith(id, args, display, { models: resolveModel, parseModel: loadedModelParser() ?? notLoaded });
  if (!wantsValidator) return toExcelMatrix(result, langOfCall(id, args, display));
  return loadModelParser().then(
    () => pure(id, args),
    () => {
      throw toCustomFunctionsError(
        kamError("value", "model", { zh: "无法加载评分模型校验器，请检查网络后重新计算", en: "the scoring-model validator could not be loaded; check the connection and recalculate" }),
        langOfCall(id, args, displayLang()),
      );
    },
  );
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

type StoreParsers = Readonly<Record<Exclude<StoreFunctionId, "HEALTH">, Parser>>;
let storeParsers: StoreParsers | undefined;

/**
 * The argument parser of a store-backed call. Those of KAM.COLLECTION, TARGET, ACCOUNT and
 * ARCHIVE (with the field catalogue KAM.ACCOUNT reads its `field` argument against) load with the
 * first such call, not at start-up: these calls wait for the network anyway. Once loaded, or for
 * KAM.HEALTH, the parser is at hand synchronously.
 */
function parserOf(id: StoreFunctionId): Parser | Promise<Parser> {
  if (id === "HEALTH") return parseHealthCall;
  if (storeParsers) return storeParsers[id];
  return import("../../../shared/src/excel/store.js").then((store) => {
    storeParsers = { COLLECTION: store.parseCollectionCall, TARGET: store.parseTargetCall, ACCOUNT: store.parseAccountCall, ARCHIVE: store.parseArchiveCall };
    return storeParsers[id];
  });
}

/**
 * Excel's cancel of a `@cancelable` call as an AbortSignal: Excel calls `invocation.onCanceled`
 * when the user edits an input or recalculates before the answer came.
 */
function cancelSignal(invocation: unknown): AbortSignal | undefined {
  if (typeof invocation !== "object" || invocation === null || Array.isArray(invocation)) return undefined;
  const abort = new AbortController();
  (invocation as CustomFunctions.CancelableInvocation).onCanceled = () => abort.abort();
  return abort.signal;
}

/**
 * A store-backed function: argument errors (error cells included) answer without a request (at
 * once, once the parsers have loaded); the rest go
 * through the batcher, which drops the call when Excel cancels it.
 */
export async function remote(id: StoreFunctionId, args: unknown[], invocation?: CustomFunctions.CancelableInvocation): Promise<unknown> {
  const langIndex = langIndexOf(id);
  const display = displayLang();
  const signal = cancelSignal(invocation); // before any await: Excel may cancel at once
  const found = parserOf(id);
  const parse =
    found instanceof Promise
      ? await found.catch(() => {
          throw toCustomFunctionsError(
            kamError("value", undefined, { zh: "无法加载 KAM 函数的代码，请检查网络后重新计算", en: "the code of the KAM function could not be loaded; check the connection and recalculate" }),
            langOfCall(id, args, display),
          );
        })
      : found;
  const call = parse(args, display);
  if (!call.ok) throw toCustomFunctionsError(call.error, langOfCall(id, args, display));
  const sent = args.slice(0, langIndex);
  while (sent.length < langIndex) sent.push(null);
  sent.push(call.value.lang); // the server answers in the caller's language
  const result = await getBatcher().call(id, sent, call.value.key, signal);
  return toExcelScalar(result, call.value.lang);
}
