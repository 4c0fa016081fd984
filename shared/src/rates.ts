import { errors, ok, type Bilingual, type Result } from "./errors.js";
import { yuanToFen, type Fen } from "./money.js";

/**
 * KPI rates (docs/domain.md §7). Every rate is a ratio (0.95, not 95); a zero
 * denominator is #DIV/0! (never 0 or 1); a negative input is #NUM!. Money arguments are yuan,
 * converted to integer fen first, so the ratio is the correctly rounded quotient of two exact
 * integers.
 */

/** A money argument in yuan (number, or a decimal string such as "1,000.50"). */
export type YuanInput = number | string;

function fenArg(v: unknown, arg: string, label: Bilingual): Result<Fen> {
  if (v === undefined || v === null || v === "") return { ok: false, error: errors.missing(arg, label) };
  if (typeof v !== "number" && typeof v !== "string") return { ok: false, error: errors.notANumber(arg, v) };
  const f = yuanToFen(v, arg);
  if (!f.ok) return f;
  if (f.value < 0) return { ok: false, error: errors.negative(arg) };
  return f;
}

function countArg(v: unknown, arg: string, label: Bilingual): Result<number> {
  if (v === undefined || v === null || v === "") return { ok: false, error: errors.missing(arg, label) };
  if (typeof v !== "number" || !Number.isFinite(v)) return { ok: false, error: errors.notANumber(arg, v) };
  if (v < 0) return { ok: false, error: errors.negative(arg) };
  if (!Number.isInteger(v)) {
    return { ok: false, error: { code: "num", arg, message: { zh: `${label.zh}应为整数`, en: `${label.en} must be a whole number` } } };
  }
  return ok(v);
}

function ratio(num: number, den: number, denArg: string, denLabel: Bilingual): Result<number> {
  if (den === 0) return { ok: false, error: errors.zeroDenominator(denArg, denLabel) };
  return ok(num / den);
}

function moneyRate(
  num: unknown,
  den: unknown,
  [numArg, numLabel]: [string, Bilingual],
  [denArg, denLabel]: [string, Bilingual],
): Result<number> {
  const n = fenArg(num, numArg, numLabel);
  if (!n.ok) return n;
  const d = fenArg(den, denArg, denLabel);
  if (!d.ok) return d;
  return ratio(n.value, d.value, denArg, denLabel);
}

function countRate(
  num: unknown,
  den: unknown,
  [numArg, numLabel]: [string, Bilingual],
  [denArg, denLabel]: [string, Bilingual],
): Result<number> {
  const n = countArg(num, numArg, numLabel);
  if (!n.ok) return n;
  const d = countArg(den, denArg, denLabel);
  if (!d.ok) return d;
  return ratio(n.value, d.value, denArg, denLabel);
}

/** docs/domain.md §7 销售计划完成率 = actual sales ÷ planned sales. */
export function completionRate(actualYuan: YuanInput, planYuan: YuanInput): Result<number> {
  return moneyRate(actualYuan, planYuan, ["actual", { zh: "实际销售额", en: "actual sales" }], ["plan", { zh: "计划销售额", en: "planned sales" }]);
}

/** docs/domain.md §7 合同回款率 = amount collected ÷ amount contractually due (see collections.ts for the full rule). */
export function collectionRate(collectedYuan: YuanInput, dueYuan: YuanInput): Result<number> {
  return moneyRate(collectedYuan, dueYuan, ["collected", { zh: "实际回款额", en: "amount collected" }], ["due", { zh: "应回款金额", en: "amount due" }]);
}

/** docs/domain.md §7 销售合同结算率 = settled ÷ planned settlement. */
export function settlementRate(settledYuan: YuanInput, plannedYuan: YuanInput): Result<number> {
  return moneyRate(settledYuan, plannedYuan, ["settled", { zh: "已结算金额", en: "amount settled" }], ["planned", { zh: "计划结算金额", en: "planned settlement" }]);
}

/** docs/domain.md §7 商务费用控制 = actual business expenses ÷ budget. */
export function expenseControl(actualYuan: YuanInput, budgetYuan: YuanInput): Result<number> {
  return moneyRate(actualYuan, budgetYuan, ["actual", { zh: "实际商务费用", en: "actual expenses" }], ["budget", { zh: "费用预算", en: "expense budget" }]);
}

/** docs/domain.md §7 大客户流失率 = key accounts lost in the period ÷ key accounts at period start. */
export function churnRate(lost: number, atStart: number): Result<number> {
  return countRate(lost, atStart, ["lost", { zh: "流失大客户数", en: "accounts lost" }], ["atStart", { zh: "期初大客户数", en: "accounts at period start" }]);
}

/**
 * docs/domain.md §7 大客户新开发率 / 开发计划完成率 = new (developed) key accounts ÷ planned new key accounts.
 */
export function developmentRate(newAccounts: number, planned: number): Result<number> {
  return countRate(newAccounts, planned, ["newAccounts", { zh: "新开发大客户数", en: "new accounts" }], ["planned", { zh: "计划开发大客户数", en: "planned new accounts" }]);
}
