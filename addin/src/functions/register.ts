/// <reference types="custom-functions-runtime" />
import { FUNCTION_IDS, isStoreFunction, type FunctionId } from "../../../shared/src/excel/eval-core.js";
import { allParameters } from "../../../shared/src/excel/signatures.js";
import { pure, remote, watchScoringModels } from "./runtime.js";

/**
 * The custom function of a `KAM.*` id, from its signature (shared/src/excel/signatures.ts): Excel
 * passes one value per declared parameter (`lang` last) — a 2-D array for a `matrix` parameter,
 * an error cell as an error object (functions.json sets `allowErrorForDataTypeAny`) — and, for a
 * cancelable function, its invocation after them. The arguments go to the function as Excel gave
 * them (an omitted one as undefined); `length` is the parameter count, as a hand-written wrapper's.
 */
function customFunction(id: FunctionId): (...args: unknown[]) => unknown {
  const count = allParameters(id).length;
  const argsOf = (given: unknown[]) => Array.from({ length: count }, (_, i) => given[i]);
  const fn = isStoreFunction(id)
    ? (...given: unknown[]) => remote(id, argsOf(given), given[count] as CustomFunctions.CancelableInvocation | undefined)
    : (...given: unknown[]) => pure(id, argsOf(given));
  return Object.defineProperty(fn, "length", { value: count });
}

/**
 * Every `KAM.*` id → its custom function. `CustomFunctions.associate` runs for each at start-up,
 * before React or any pane page loads. The workbook tests check these against the ids
 * in the generated functions.json.
 */
export const CUSTOM_FUNCTIONS: Readonly<Record<FunctionId, (...args: unknown[]) => unknown>> = Object.fromEntries(FUNCTION_IDS.map((id) => [id, customFunction(id)])) as Record<FunctionId, (...args: unknown[]) => unknown>;

/** Associate every id; returns the ids registered (none outside Excel, where CustomFunctions is absent). */
export function registerFunctions(): string[] {
  if (typeof CustomFunctions === "undefined" || typeof CustomFunctions.associate !== "function") return [];
  for (const [id, fn] of Object.entries(CUSTOM_FUNCTIONS)) CustomFunctions.associate(id, fn);
  watchScoringModels();
  return Object.keys(CUSTOM_FUNCTIONS);
}
