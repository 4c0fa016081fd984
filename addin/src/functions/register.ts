/// <reference types="custom-functions-runtime" />
import type { FunctionId } from "../../../shared/src/excel/eval.js";
import { accountClass, abc, tier, urgency } from "./classes.js";
import { churn, collectionRate, completion, development, expenseControl, settlement, visits } from "./rates.js";
import { grade, score, scoreItems, value } from "./scoring.js";
import { watchScoringModels } from "./runtime.js";
import { account, archive, collection, health, target } from "./store.js";

/**
 * Every `@customfunction` id → its implementation. `CustomFunctions.associate` runs for each at
 * start-up, before React or any pane page loads. The workbook tests check this
 * table against the ids in the generated functions.json.
 */
export const CUSTOM_FUNCTIONS: Readonly<Record<FunctionId, (...args: any[]) => unknown>> = {
  SCORE: score,
  "SCORE.ITEMS": scoreItems,
  VALUE: value,
  GRADE: grade,
  CLASS: accountClass,
  ABC: abc,
  TIER: tier,
  COMPLETION: completion,
  COLLECTIONRATE: collectionRate,
  CHURN: churn,
  VISITS: visits,
  URGENCY: urgency,
  DEVELOPMENT: development,
  SETTLEMENT: settlement,
  EXPENSECONTROL: expenseControl,
  COLLECTION: collection,
  TARGET: target,
  ACCOUNT: account,
  HEALTH: health,
  ARCHIVE: archive,
};

/** Associate every id; returns the ids registered (none outside Excel, where CustomFunctions is absent). */
export function registerFunctions(): string[] {
  if (typeof CustomFunctions === "undefined" || typeof CustomFunctions.associate !== "function") return [];
  for (const [id, fn] of Object.entries(CUSTOM_FUNCTIONS)) CustomFunctions.associate(id, fn);
  watchScoringModels();
  return Object.keys(CUSTOM_FUNCTIONS);
}
