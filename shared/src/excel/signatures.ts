import type { Bilingual, Lang, Result } from "../errors.js";
import { asLang, toScalar, type ExcelCell, type NumberOptions } from "./cells.js";

/**
 * The one declaration of every `KAM.*` function, in the style of a HyperFormula function plugin
 * (`implementedFunctions`): its parameters in order, its result and its flags. Everything else is
 * derived from it: the add-in's `CustomFunctions.associate` wrappers (addin/src/functions/register.ts),
 * functions.json and functions-zh-cn.json (the build, with the texts of signature-docs.ts), the
 * position of the `lang` argument and its reading (eval-core.ts), the argument reading of the
 * lifted functions (implementations.ts) and of the store-backed calls (`storeArgs`: store.ts,
 * health.ts), and the HyperFormula test plugin.
 *
 * Declarations only: this module imports no implementation, so the store-backed parsers (and the
 * backend bundles that use them) read it without the engine. The pure functions' implementations
 * are mapped by id in implementations.ts.
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
   * How each cell of the argument is read when the table reads it for the function (a lifted
   * function: evaluated cell by cell over ranges, lift.ts `liftRule`). Without it the function
   * reads the argument itself, or (a lifted function's list or choice argument) its
   * implementation says how it is read once for the call (implementations.ts).
   */
  readonly read?: CellRead;
}

/** A parameter whose name the type system knows (the table's names are literal types). */
interface NamedParameter<N extends string> extends ParameterSignature {
  readonly name: N;
}

/**
 * One cell of a lifted parameter: a number (cells.ts `asNumber` with its options), a text
 * (`asText`; `optional`: an empty cell is undefined) or a yes/no (`asBoolean`, empty is FALSE).
 */
export type CellRead = ({ readonly as: "number" } & NumberOptions) | { readonly as: "text"; readonly label?: Bilingual; readonly optional?: true } | { readonly as: "boolean" };

interface Signature {
  /** The declared parameters, `lang` excepted (always last, optional, scalar). */
  readonly parameters: readonly ParameterSignature[];
  readonly result: { readonly type: "any"; readonly dimensionality: "scalar" | "matrix" };
  /** Excel may cancel a call (it passes an invocation after the parameters; store-backed functions). */
  readonly cancelable?: true;
  /** Excel streams the answers (no KAM function does: register.ts has no streaming runtime yet). */
  readonly stream?: true;
}

/**
 * Evaluated where it is called (the add-in, `/v1/eval`, tests); answers a matrix that may spill.
 * Its implementation is implementations.ts's entry of the same id.
 */
export interface PureSignature extends Signature {
  readonly kind: "pure";
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

const scalar = /* @__NO_SIDE_EFFECTS__ */ <const N extends string>(name: N, optional?: "optional"): NamedParameter<N> => ({ name, type: "any", dimensionality: "scalar", ...(optional ? { optional: true } : {}) });
const matrix = /* @__NO_SIDE_EFFECTS__ */ <const N extends string>(name: N, optional?: "optional"): NamedParameter<N> => ({ name, type: "any", dimensionality: "matrix", ...(optional ? { optional: true } : {}) });
const OPT = "optional";

/* @__NO_SIDE_EFFECTS__ */
function pure<const P extends readonly ParameterSignature[]>(parameters: P): PureSignature & { readonly parameters: P } {
  return { kind: "pure", parameters, result: { type: "any", dimensionality: "matrix" } };
}

/** A lifted parameter: Excel passes a range as a matrix; each cell is read as `read` says. */
const cells = /* @__NO_SIDE_EFFECTS__ */ <const N extends string>(name: N, read: CellRead, optional?: "optional"): NamedParameter<N> => ({ name, type: "any", dimensionality: "matrix", read, ...(optional ? { optional: true } : {}) });
const number = /* @__NO_SIDE_EFFECTS__ */ <const N extends string>(name: N, options: NumberOptions = {}): NamedParameter<N> => cells(name, { as: "number", ...options });
const AMOUNT: CellRead = { as: "number", empty: 0, nonNegative: true };
const COUNT: CellRead = { as: "number", empty: 0, nonNegative: true, integer: true };
const YES_NO: CellRead = { as: "boolean" };

/* @__NO_SIDE_EFFECTS__ */
function store<const P extends readonly ParameterSignature[]>(parameters: P): StoreSignature & { readonly parameters: P } {
  return { kind: "store", parameters, result: { type: "any", dimensionality: "scalar" }, cancelable: true };
}

/*
 * The helpers are marked free of side effects and the table spreads no object, so a bundle that
 * imports this module for one export (a backend handler that needs only a store parser's
 * neighbour) drops the table it does not use.
 */
export const SIGNATURES = {
  SCORE: pure([matrix("values"), matrix("headers", OPT), scalar("model", OPT)]),
  "SCORE.ITEMS": pure([matrix("values"), matrix("headers", OPT), scalar("model", OPT), scalar("showHeaders", OPT)]),
  VALUE: pure([matrix("factors"), matrix("weights", OPT)]),
  GRADE: pure([matrix("factors"), matrix("weights", OPT), matrix("cutoffs", OPT)]),
  URGENCY: pure([matrix("signals"), matrix("grades", OPT)]),
  CLASS: pure([
    cells("cumulativeSales", AMOUNT),
    cells("largestContract", AMOUNT),
    cells("paymentAttitude", { as: "text", optional: true }),
    cells("closedReferrals", COUNT),
    cells("isGroup", YES_NO, OPT),
    cells("isStrategic", YES_NO, OPT),
    cells("isParetoA", YES_NO, OPT),
  ]),
  ABC: pure([number("value"), matrix("allValues")]),
  TIER: pure([number("completion"), matrix("cutoffs", OPT)]),
  COMPLETION: pure([number("actual"), number("plan")]),
  COLLECTIONRATE: pure([number("collected"), number("due")]),
  CHURN: pure([number("lost"), number("atStart")]),
  DEVELOPMENT: pure([number("newAccounts"), number("planned")]),
  SETTLEMENT: pure([number("settled"), number("planned")]),
  EXPENSECONTROL: pure([number("actual"), number("budget")]),
  VISITS: pure([
    cells("accountClass", { as: "text", label: { zh: "客户类型", en: "account class" } }),
    cells("role", { as: "text", label: { zh: "拜访角色", en: "role" } }),
    number("months", { label: { zh: "月数", en: "months" } }),
    scalar("scheme", OPT),
  ]),
  COLLECTION: store([scalar("scope"), scalar("period"), scalar("measure", OPT)]),
  TARGET: store([scalar("owner"), scalar("period"), scalar("level", OPT)]),
  ACCOUNT: store([scalar("account"), scalar("field")]),
  HEALTH: store([scalar("account"), scalar("part", OPT)]),
  ARCHIVE: store([scalar("account")]),
} as const satisfies Readonly<Record<string, FunctionSignature>>;

export type FunctionId = keyof typeof SIGNATURES;
export type PureFunctionId = { [K in FunctionId]: (typeof SIGNATURES)[K]["kind"] extends "pure" ? K : never }[FunctionId];
export type StoreFunctionId = Exclude<FunctionId, PureFunctionId>;
/** The names of a function's declared parameters (`lang` excepted), as the table spells them. */
export type ParameterName<Id extends FunctionId> = (typeof SIGNATURES)[Id]["parameters"][number]["name"];

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

/**
 * A store-backed call's arguments as the table declares them: every argument one cell (a 1×1
 * range reads as its cell; a larger one is #VALUE! naming the parameter), checked in parameter
 * order, `lang` included; then the call's language (its `lang` argument, else `displayLang`).
 * The parser then reads each cell by its parameter's name.
 */
export function storeArgs<Id extends StoreFunctionId>(id: Id, args: readonly unknown[], displayLang: Lang): Result<{ cells: Record<ParameterName<Id>, ExcelCell>; lang: Lang }> {
  const byName: Record<string, ExcelCell> = {};
  for (const [i, p] of allParameters(id).entries()) {
    const s = toScalar(args[i], p.name);
    if (!s.ok) return s;
    byName[p.name] = s.value;
  }
  const lang = asLang(byName[LANG_PARAMETER.name], displayLang);
  if (!lang.ok) return lang;
  return { ok: true, value: { cells: byName as Record<ParameterName<Id>, ExcelCell>, lang: lang.value } };
}
