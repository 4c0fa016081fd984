/// <reference types="custom-functions-runtime" />
import { pure } from "./runtime.js";

/* Account classes, ABC and performance tiers (docs/domain.md §3.1, §3.3, §8), urgency (docs/domain.md §3.2). */

/**
 * Urgency grade A–D from the five purchase signals, one row (or column) per purchase, or from the count of signals 0–5.
 * @customfunction URGENCY
 * @param signals Five signals TRUE/FALSE (objective need, subjective need, resolve, feasibility study started, vendor selection started), or a count 0–5.
 * @param [grades] Six grades for 0…5 signals (default D D C C B A).
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Urgency grade A, B, C or D.
 */
export function urgency(signals: any[][], grades?: any[][], lang?: any): any[][] {
  return pure("URGENCY", [signals, grades, lang]);
}

/**
 * The account's classes (quality, high-value, group, strategic, important), comma-separated; "" when none.
 * @customfunction CLASS
 * @param cumulativeSales Cumulative signed-contract sales, yuan.
 * @param largestContract Largest single contract, yuan.
 * @param paymentAttitude Payment attitude: 爽快, 一般, 迟缓, 为难 or 嗜欠耗款.
 * @param closedReferrals Referred customers that closed.
 * @param [isGroup] TRUE for a group account.
 * @param [isStrategic] TRUE for a strategic account.
 * @param [isParetoA] TRUE when the account is ABC class A (adds 重要客户, important).
 * @param [lang] Language of the labels: "zh" or "en".
 * @returns Class labels joined with ", ".
 */
export function accountClass(
  cumulativeSales: any[][],
  largestContract: any[][],
  paymentAttitude: any[][],
  closedReferrals: any[][],
  isGroup?: any[][],
  isStrategic?: any[][],
  isParetoA?: any[][],
  lang?: any,
): any[][] {
  return pure("CLASS", [cumulativeSales, largestContract, paymentAttitude, closedReferrals, isGroup, isStrategic, isParetoA, lang]);
}

/**
 * Pareto class A/B/C of a revenue within all revenues (80/95); a range of values spills.
 * @customfunction ABC
 * @param value The account's revenue (or a range of them), yuan.
 * @param allValues Every account's revenue, yuan.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns A, B or C.
 */
export function abc(value: any[][], allValues: any[][], lang?: any): any[][] {
  return pure("ABC", [value, allValues, lang]);
}

/**
 * Performance-pay tier of a sales completion ratio: not met, basically met, exceeded, outstanding.
 * @customfunction TIER
 * @param completion Completion ratio (1 = 100%), or a range of them.
 * @param [cutoffs] Three cut-offs: basically met, exceeded, outstanding (default 0.9, 1.0, 1.2).
 * @param [lang] Language of the labels: "zh" or "en".
 * @returns 未完成, 基本完成, 超额完成 or 突出完成 (or English).
 */
export function tier(completion: any[][], cutoffs?: any[][], lang?: any): any[][] {
  return pure("TIER", [completion, cutoffs, lang]);
}
