import type { Bilingual, Lang, Result } from "../errors.js";
import { churnRate, collectionRate, completionRate, developmentRate, expenseControl, settlementRate } from "../rates.js";
import { requiredVisits } from "../visits.js";
import type { FnResult, NumberOptions } from "./cells.js";
import { classLabels, cutoffList, kamAbc, kamGrade, kamValue, schemeOf, tierLabel } from "./functions.js";
import { kamUrgency } from "./health.js";
import { liftRule } from "./lift.js";
import { kamScore, kamScoreItems, type ScoreOptions } from "./score.js";

/**
 * The one declaration of every `KAM.*` function, in the style of a HyperFormula function plugin
 * (`implementedFunctions`): its parameters in order, its result, its flags and its
 * implementation. Everything else is derived from it: the add-in's `CustomFunctions.associate`
 * wrappers (addin/src/functions/register.ts), functions.json and functions-zh-cn.json (the build,
 * with the texts of signature-docs.ts), the position of the `lang` argument and its reading
 * (eval-core.ts), and the HyperFormula test plugin.
 *
 * Every function ends with an optional scalar `lang` parameter ("zh" or "en"; default: the
 * display language). It is not listed in `parameters`: the table adds it (`allParameters`), and a
 * call's `lang` is read before the body runs, which then gets the language itself.
 *
 * The order of the table is the order of functions.json. Changing a signature breaks workbooks in
 * use (tests/workbook/signatures.test.ts freezes them).
 */

export interface ParameterSignature {
  readonly name: string;
  /**
   * Excel's parameter type. Every KAM parameter is `any`: error cells then reach the function
   * (functions.json sets `allowErrorForDataTypeAny`) and it answers them per cell.
   */
  readonly type: "any";
  /** `matrix`: Excel passes a range as a 2-D array; `scalar`: one value. */
  readonly dimensionality: "scalar" | "matrix";
  readonly optional?: true;
  readonly repeating?: true;
  /**
   * How each cell of the argument is read when the table reads it for the function (a `lifted`
   * function: evaluated cell by cell over ranges, lift.ts `liftRule`). Without it the function
   * reads the argument itself.
   */
  readonly read?: CellRead;
  /** How the argument is read once for the call, when the table reads it and it is not lifted (a `lifted` function). */
  readonly readArg?: (v: unknown) => Result<unknown>;
}

/**
 * One cell of a lifted parameter: a number (cells.ts `asNumber` with its options), a text
 * (`asText`; `optional`: an empty cell is undefined) or a yes/no (`asBoolean`, empty is FALSE).
 */
export type CellRead = ({ readonly as: "number" } & NumberOptions) | { readonly as: "text"; readonly label?: Bilingual; readonly optional?: true } | { readonly as: "boolean" };

/** What the pure functions are given besides their arguments (for now only `SCORE`/`SCORE.ITEMS` use it). */
export type PureOptions = ScoreOptions;

/**
 * A pure function's rule on Excel-shaped arguments (`args[i]` is parameter `i`), in the call's
 * language (its `lang` argument already read). Never throws for any input.
 */
export type PureImpl = (args: readonly unknown[], lang: Lang, opts: PureOptions) => FnResult;

interface Signature {
  /** The declared parameters, `lang` excepted (always last, optional, scalar). */
  readonly parameters: readonly ParameterSignature[];
  readonly result: { readonly type: "any"; readonly dimensionality: "scalar" | "matrix" };
  /** Excel may cancel a call (it passes an invocation after the parameters; store-backed functions). */
  readonly cancelable?: true;
  /** Excel streams the answers (no KAM function does: register.ts has no streaming runtime yet). */
  readonly stream?: true;
}

/** Evaluated where it is called (the add-in, `/v1/eval`, tests); answers a matrix that may spill. */
export interface PureSignature extends Signature {
  readonly kind: "pure";
  readonly impl: PureImpl;
}

/**
 * Answered from the KAM store by `/v1/eval` (the add-in batches the calls; shared/src/excel/store.ts
 * and health.ts parse them). Excel may cancel a call while it waits for the network.
 */
export interface StoreSignature extends Signature {
  readonly kind: "store";
  readonly cancelable: true;
}

export type FunctionSignature = PureSignature | StoreSignature;

const scalar = (name: string, optional?: "optional"): ParameterSignature => ({ name, type: "any", dimensionality: "scalar", ...(optional ? { optional: true } : {}) });
const matrix = (name: string, optional?: "optional"): ParameterSignature => ({ name, type: "any", dimensionality: "matrix", ...(optional ? { optional: true } : {}) });
const OPT = "optional";

function pure(parameters: ParameterSignature[], impl: PureImpl): PureSignature {
  return { kind: "pure", parameters, result: { type: "any", dimensionality: "matrix" }, impl };
}

/** A lifted parameter: Excel passes a range as a matrix; each cell is read as `read` says. */
const cells = (name: string, read: CellRead, optional?: "optional"): ParameterSignature => ({ name, type: "any", dimensionality: "matrix", read, ...(optional ? { optional: true } : {}) });
const number = (name: string, options: NumberOptions = {}): ParameterSignature => cells(name, { as: "number", ...options });
const AMOUNT: CellRead = { as: "number", empty: 0, nonNegative: true };
const YES_NO: CellRead = { as: "boolean" };

/**
 * A function whose parameters the table reads (`read`: lifted cell by cell; `readArg`: once for
 * the call): its implementation is its rule on one value per parameter, in order, then the call's
 * language.
 */
function lifted(parameters: ParameterSignature[], rule: (...valuesThenLang: never[]) => Result<number | string | boolean>): PureSignature {
  const run = rule as (...valuesThenLang: unknown[]) => Result<number | string | boolean>;
  return pure(parameters, liftRule(parameters, (values, lang) => run(...values, lang)));
}

function store(parameters: ParameterSignature[]): StoreSignature {
  return { kind: "store", parameters, result: { type: "any", dimensionality: "scalar" }, cancelable: true };
}

export const SIGNATURES = {
  SCORE: pure([matrix("values"), matrix("headers", OPT), scalar("model", OPT)], kamScore),
  "SCORE.ITEMS": pure([matrix("values"), matrix("headers", OPT), scalar("model", OPT), scalar("showHeaders", OPT)], kamScoreItems),
  VALUE: pure([matrix("factors"), matrix("weights", OPT)], kamValue),
  GRADE: pure([matrix("factors"), matrix("weights", OPT), matrix("cutoffs", OPT)], kamGrade),
  URGENCY: pure([matrix("signals"), matrix("grades", OPT)], kamUrgency),
  CLASS: lifted(
    [
      cells("cumulativeSales", AMOUNT),
      cells("largestContract", AMOUNT),
      cells("paymentAttitude", { as: "text", optional: true }),
      cells("closedReferrals", { ...AMOUNT, integer: true }),
      cells("isGroup", YES_NO, OPT),
      cells("isStrategic", YES_NO, OPT),
      cells("isParetoA", YES_NO, OPT),
    ],
    classLabels,
  ),
  ABC: pure([matrix("value"), matrix("allValues")], kamAbc),
  TIER: lifted([number("completion"), { ...matrix("cutoffs", OPT), readArg: cutoffList }], tierLabel),
  COMPLETION: lifted([number("actual"), number("plan")], completionRate),
  COLLECTIONRATE: lifted([number("collected"), number("due")], collectionRate),
  CHURN: lifted([number("lost"), number("atStart")], churnRate),
  DEVELOPMENT: lifted([number("newAccounts"), number("planned")], developmentRate),
  SETTLEMENT: lifted([number("settled"), number("planned")], settlementRate),
  EXPENSECONTROL: lifted([number("actual"), number("budget")], expenseControl),
  VISITS: lifted(
    [
      cells("accountClass", { as: "text", label: { zh: "客户类型", en: "account class" } }),
      cells("role", { as: "text", label: { zh: "拜访角色", en: "role" } }),
      number("months", { label: { zh: "月数", en: "months" } }),
      { ...scalar("scheme", OPT), readArg: schemeOf },
    ],
    requiredVisits,
  ),
  COLLECTION: store([scalar("scope"), scalar("period"), scalar("measure", OPT)]),
  TARGET: store([scalar("owner"), scalar("period"), scalar("level", OPT)]),
  ACCOUNT: store([scalar("account"), scalar("field")]),
  HEALTH: store([scalar("account"), scalar("part", OPT)]),
  ARCHIVE: store([scalar("account")]),
} as const satisfies Readonly<Record<string, FunctionSignature>>;

export type FunctionId = keyof typeof SIGNATURES;
export type PureFunctionId = { [K in FunctionId]: (typeof SIGNATURES)[K]["kind"] extends "pure" ? K : never }[FunctionId];
export type StoreFunctionId = Exclude<FunctionId, PureFunctionId>;

/** The trailing `lang` parameter every function has. */
export const LANG_PARAMETER: ParameterSignature = scalar("lang", OPT);

/** A function's parameters as Excel sees them: the declared ones, then `lang`. */
export function allParameters(id: FunctionId): readonly ParameterSignature[] {
  return [...SIGNATURES[id].parameters, LANG_PARAMETER];
}

/** Position of a function's `lang` argument: right after its declared parameters. */
export function langIndexOf(id: FunctionId): number {
  return SIGNATURES[id].parameters.length;
}
