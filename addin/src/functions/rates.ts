/// <reference types="custom-functions-runtime" />
import { pure } from "./runtime.js";

/* KPI ratios and visit cadence (docs/domain.md §5, §7). Ranges spill one answer per cell. */

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
 * Development plan completion: new key accounts ÷ planned new key accounts.
 * @customfunction DEVELOPMENT
 * @param newAccounts New key accounts developed in the period.
 * @param planned Planned new key accounts.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Development rate (1 = 100%).
 */
export function development(newAccounts: any[][], planned: any[][], lang?: any): any[][] {
  return pure("DEVELOPMENT", [newAccounts, planned, lang]);
}

/**
 * Sales contract settlement rate: amount settled ÷ planned settlement.
 * @customfunction SETTLEMENT
 * @param settled Amount settled, yuan.
 * @param planned Planned settlement, yuan.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Settlement rate (1 = 100%).
 */
export function settlement(settled: any[][], planned: any[][], lang?: any): any[][] {
  return pure("SETTLEMENT", [settled, planned, lang]);
}

/**
 * Business expense control: actual business expenses ÷ expense budget.
 * @customfunction EXPENSECONTROL
 * @param actual Actual business expenses, yuan.
 * @param budget Expense budget, yuan.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Expenses as a ratio of the budget (1 = 100%).
 */
export function expenseControl(actual: any[][], budget: any[][], lang?: any): any[][] {
  return pure("EXPENSECONTROL", [actual, budget, lang]);
}

/**
 * Minimum visits required for an account class and our role over a number of months.
 * @customfunction VISITS
 * @param accountClass Account class: strategic (战略客户) or important (重要客户).
 * @param role Our role: kaManager, salesManager, vicePresident, generalManager, liaisonLeader (or their Chinese names).
 * @param months Number of months.
 * @param [scheme] Cadence scheme: "004" (default, by account class) or "002" (liaison leader 4 a year, sales manager 1 a month).
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Minimum number of visits.
 */
export function visits(accountClass: any[][], role: any[][], months: any[][], scheme?: any, lang?: any): any[][] {
  return pure("VISITS", [accountClass, role, months, scheme, lang]);
}
