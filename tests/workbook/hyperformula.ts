/**
 * The `KAM.*` pure functions registered in HyperFormula (a real formula engine; test and bench
 * only) as a function plugin — the SAME `shared/src/excel` implementations the add-in wraps.
 * KamError → HyperFormula CellError with the matching ErrorType; matrices spill through
 * HyperFormula's array functions (`sizeOfResultArrayMethod` declares an upper bound of the spill,
 * like its own FILTER does).
 *
 * Error arguments, the way Excel passes them with `"allowErrorForDataTypeAny": true` at the root
 * of functions.json (the build sets it): every argument reaches the function, an error cell too —
 * as a `CustomFunctions.Error`-shaped `{code, message}`, whether it is a scalar argument (`NA()`,
 * a reference to `=1/0`) or a cell inside a range — and the function answers it per cell.
 * HyperFormula's own `runFunction` would instead answer a scalar error argument itself, without
 * calling the function (Excel's behaviour WITHOUT the flag), so the plugin evaluates its
 * arguments with `evaluateAst` and calls the shared implementation directly. Only ranges were
 * passed through before; the workbook tests now see what Excel users see.
 */
import { ArraySize, CellError, EmptyValue, ErrorType, FunctionArgumentType, FunctionPlugin, HyperFormula, SimpleRangeValue } from "hyperformula";
import type { Lang } from "../../shared/src/errors.js";
import { isKamError, type CellResult, type FnResult } from "../../shared/src/excel/cells.js";
import { evalPure, PURE_FUNCTION_IDS, type PureFunctionId } from "../../shared/src/excel/eval.js";
import { DEFAULT_SCORING_MODEL_ID } from "../../shared/src/excel/score.js";
import { allParameters } from "../../shared/src/excel/signatures.js";
import { getBuiltinModel } from "../../shared/src/scoring/builtins.js";

type Ast = { type?: string; value?: unknown; args?: Ast[] };
type State = unknown;

const HF_ERROR_OF_KAM = { value: ErrorType.VALUE, div0: ErrorType.DIV_BY_ZERO, num: ErrorType.NUM, na: ErrorType.NA } as const;
const EXCEL_CODE_OF_HF: Readonly<Record<string, string>> = {
  [ErrorType.DIV_BY_ZERO]: "#DIV/0!",
  [ErrorType.NA]: "#N/A",
  [ErrorType.VALUE]: "#VALUE!",
  [ErrorType.NUM]: "#NUM!",
  [ErrorType.REF]: "#REF!",
  [ErrorType.NAME]: "#NAME?",
  [ErrorType.SPILL]: "#SPILL!",
};

/** Display language of the simulated Excel (tests switch it). */
export const hfOptions: { lang: Lang } = { lang: "zh" };

function fromHf(v: unknown): unknown {
  if (v instanceof SimpleRangeValue) return v.rawData().map((row) => row.map(fromHf));
  if (v === EmptyValue || v === undefined) return null;
  if (v instanceof CellError) return { code: EXCEL_CODE_OF_HF[v.type] ?? "#VALUE!", message: v.message ?? "" };
  if (typeof v === "object" && v !== null && "val" in v) return (v as { val: unknown }).val; // rich numbers (dates, %)
  return v;
}

function cellToHf(c: CellResult): unknown {
  if (isKamError(c)) {
    const lang = hfOptions.lang;
    return new CellError(HF_ERROR_OF_KAM[c.code], c.arg ? `${c.arg}: ${c.message[lang]}` : c.message[lang]);
  }
  return c;
}

function toHf(r: FnResult): unknown {
  if (Array.isArray(r)) {
    if (r.length === 1 && r[0]!.length === 1) return cellToHf(r[0]![0]!);
    return SimpleRangeValue.onlyValues(r.map((row) => row.map(cellToHf)) as never);
  }
  return cellToHf(r);
}

/** Parameter count (`lang`, the last, included) and required parameters, from the signature table. */
const ARITY = (id: PureFunctionId) => allParameters(id).length;
const REQUIRED = (id: PureFunctionId) => allParameters(id).filter((p) => !p.optional).length;

function methodName(id: string): string {
  return "kam_" + id.replace(".", "_").toLowerCase();
}

/** Upper bound of the spill of one call, from the argument shapes only (HyperFormula asks before evaluating). */
function resultSize(id: PureFunctionId, sizes: ArraySize[], ast: Ast): ArraySize {
  const w = (i: number) => sizes[i]?.width ?? 1;
  const h = (i: number) => sizes[i]?.height ?? 1;
  switch (id) {
    case "SCORE":
    case "SCORE.ITEMS": {
      const headers = sizes[1];
      const hasHeaders = ast.args !== undefined && ast.args.length > 1 && ast.args[1]?.type !== "EMPTY" && headers !== undefined;
      let across: boolean;
      let records: number;
      if (hasHeaders) {
        across = headers.width === 1 && headers.height > 1;
        records = across ? w(0) : h(0);
      } else {
        across = h(0) < 2;
        records = across ? Math.max(1, w(0) - 1) : Math.max(1, h(0) - 1);
      }
      if (id === "SCORE") return across ? new ArraySize(records, 1) : new ArraySize(1, records);
      const modelArg = ast.args?.[2];
      const model = getBuiltinModel(typeof modelArg?.value === "string" ? modelArg.value : DEFAULT_SCORING_MODEL_ID);
      const items = model?.items.length ?? 1;
      return across ? new ArraySize(records + 1, items) : new ArraySize(items, records + 1);
    }
    case "VALUE":
    case "GRADE":
      return w(0) === 7 ? new ArraySize(1, h(0)) : h(0) === 7 ? new ArraySize(w(0), 1) : new ArraySize(1, 1);
    case "ABC":
    case "TIER":
      return new ArraySize(w(0), h(0));
    case "URGENCY":
      // Five signals per row spill down, per column across; counts answer cell by cell.
      return w(0) === 5 ? new ArraySize(1, h(0)) : h(0) === 5 ? new ArraySize(w(0), 1) : new ArraySize(w(0), h(0));
    default: {
      const n = ARITY(id) - 1;
      let width = 1;
      let height = 1;
      for (let i = 0; i < n && i < sizes.length; i++) {
        width = Math.max(width, w(i));
        height = Math.max(height, h(i));
      }
      return new ArraySize(width, height);
    }
  }
}

class KamPlugin extends FunctionPlugin {}

const implemented: Record<string, unknown> = {};
for (const id of PURE_FUNCTION_IDS) {
  const m = methodName(id);
  (KamPlugin.prototype as unknown as Record<string, unknown>)[m] = function (this: FunctionPlugin, ast: Ast, state: State) {
    const self = this as unknown as { evaluateAst: (a: Ast, s: State) => unknown };
    const asts = ast.args ?? [];
    // Excel refuses such a formula when it is typed; HyperFormula's own answer to it is #N/A.
    if (asts.length < REQUIRED(id) || asts.length > ARITY(id)) return new CellError(ErrorType.NA, `KAM.${id}: wrong number of arguments`);
    return toHf(evalPure(id, asts.map((a) => fromHf(self.evaluateAst(a, state))), hfOptions.lang));
  };
  (KamPlugin.prototype as unknown as Record<string, unknown>)[`${m}_size`] = function (this: unknown, ast: Ast, state: State) {
    const self = this as { arraySizeForAst: (a: Ast, s: State) => ArraySize };
    const sizes = (ast.args ?? []).map((a) => (a.type === "EMPTY" ? new ArraySize(1, 1) : self.arraySizeForAst(a, state)));
    return resultSize(id, sizes, ast);
  };
  implemented[`KAM.${id}`] = {
    method: m,
    sizeOfResultArrayMethod: `${m}_size`,
    vectorizationForbidden: true,
    parameters: Array.from({ length: ARITY(id) }, (_, i) => ({
      argumentType: FunctionArgumentType.ANY,
      ...(i >= REQUIRED(id) ? { optionalArg: true } : {}),
    })),
  };
}
(KamPlugin as unknown as { implementedFunctions: unknown }).implementedFunctions = implemented;

let registered = false;

/** Register the KAM plugin once per process (HyperFormula's registry is global). */
export function registerKamPlugin(): void {
  if (registered) return;
  const names = Object.fromEntries(PURE_FUNCTION_IDS.map((id) => [`KAM.${id}`, `KAM.${id}`]));
  HyperFormula.registerFunctionPlugin(KamPlugin, { enGB: names, enUS: names } as never);
  registered = true;
}

/** Excel's own sheet limits (HyperFormula defaults to 40,000 rows). */
export const HF_CONFIG = { licenseKey: "gpl-v3", useArrayArithmetic: true, maxRows: 1_048_576, maxColumns: 16_384 } as const;
