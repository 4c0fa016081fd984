/// <reference types="custom-functions-runtime" />
import { pure } from "./runtime.js";

/* KPI ratios and visit cadence (DOMAIN §5, §7). Ranges spill one answer per cell. */

/**
 * Sales plan completion: actual sales ÷ planned sales.
 * @customfunction COMPLETION
 * @param actual Actual sales, yuan.
 * @param plan Planned sales, yuan.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Completion ratio (1 = 100%).
 */
export function completion(actual: any[][], plan: any[][], lang?: any): any[][] {
  return pure("COMPLETION", [actual, plan, lang]);
}

/**
 * Collection rate: amount collected ÷ amount due.
 * @customfunction COLLECTIONRATE
 * @param collected Amount collected, yuan.
 * @param due Amount contractually due, yuan.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Collection rate (1 = 100%).
 */
export function collectionRate(collected: any[][], due: any[][], lang?: any): any[][] {
  return pure("COLLECTIONRATE", [collected, due, lang]);
}

/**
 * Key-account churn rate: accounts lost ÷ accounts at the start of the period.
 * @customfunction CHURN
 * @param lost Key accounts lost in the period.
 * @param atStart Key accounts at the start of the period.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Churn rate.
 */
export function churn(lost: any[][], atStart: any[][], lang?: any): any[][] {
  return pure("CHURN", [lost, atStart, lang]);
}

/**
 * Minimum visits required for an account class and our role over a number of months.
 * @customfunction VISITS
 * @param accountClass Account class: strategic (战略客户) or important (重要客户).
 * @param role Our role: kaManager, salesManager, vicePresident, generalManager (or their Chinese names).
 * @param months Number of months.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Minimum number of visits.
 */
export function visits(accountClass: any[][], role: any[][], months: any[][], lang?: any): any[][] {
  return pure("VISITS", [accountClass, role, months, lang]);
}
