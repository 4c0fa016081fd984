/// <reference types="custom-functions-runtime" />
import { pure } from "./runtime.js";

/*
 * Scorecards and value grading (docs/domain.md §3.2, §8). JSDoc here is the source of functions.json.
 * SCORE and SCORE.ITEMS give their result type in the JSDoc (`@returns {any[][]}`), not in
 * TypeScript: they answer a Promise the first time a model written as JSON must be validated
 * (runtime.ts `pure`), and the metadata generator reads a union return type as a scalar.
 */

/**
 * Total points of a scorecard model (default ka-manager) for each row of values; several rows spill one total per row.
 * @customfunction SCORE
 * @param values One person's inputs (a row), several people (rows), or a 2-row/2-column range with the headers inside.
 * @param [headers] Header row (or column) naming each input, e.g. 实际完成销售额 or salesActual.
 * @param [model] Scoring model id: ka-manager (default), ka-director, or one of your company's models.
 * @param [lang] Language of labels and messages: "zh" or "en" (default: Excel's display language).
 * @returns {any[][]} Total points, one per person.
 */
export function score(values: any[][], headers?: any[][], model?: any, lang?: any) {
  return pure("SCORE", [values, headers, model, lang]);
}

/**
 * Points of each scorecard item for each row of values, in model order; a header row of item names when asked.
 * @customfunction SCORE.ITEMS
 * @param values One person's inputs (a row), several people (rows), or a 2-row/2-column range with the headers inside.
 * @param [headers] Header row (or column) naming each input.
 * @param [model] Scoring model id: ka-manager (default), ka-director, or one of your company's models.
 * @param [showHeaders] TRUE to add a first row with the item names.
 * @param [lang] Language of labels and messages: "zh" or "en".
 * @returns {any[][]} Item points, one row per person.
 */
export function scoreItems(values: any[][], headers?: any[][], model?: any, showHeaders?: any, lang?: any) {
  return pure("SCORE.ITEMS", [values, headers, model, showHeaders, lang]);
}

/**
 * Account value score 0–100 from the seven factor scores (1–5); several rows spill.
 * @customfunction VALUE
 * @param factors Seven scores 1–5: share, effort, deal risk, business value, payment risk, capability, difficulty.
 * @param [weights] Seven weights (default 20, 10, 15, 20, 15, 10, 10).
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Value score 0–100.
 */
export function value(factors: any[][], weights?: any[][], lang?: any): any[][] {
  return pure("VALUE", [factors, weights, lang]);
}

/**
 * Account grade A/B/C/D from the seven factor scores; several rows spill.
 * @customfunction GRADE
 * @param factors Seven scores 1–5: share, effort, deal risk, business value, payment risk, capability, difficulty.
 * @param [weights] Seven weights (default 20, 10, 15, 20, 15, 10, 10).
 * @param [cutoffs] Three cut-offs for A, B and C (default 75, 55, 35).
 * @param [lang] Language of messages: "zh" or "en".
 * @returns A, B, C or D.
 */
export function grade(factors: any[][], weights?: any[][], cutoffs?: any[][], lang?: any): any[][] {
  return pure("GRADE", [factors, weights, cutoffs, lang]);
}
