/// <reference types="custom-functions-runtime" />
/// <reference types="office-js" />
import { EXCEL_ERROR, messageOf, type KamError, type Lang } from "../../../shared/src/errors.js";
import { collapse, errorCodeOf, isKamError, langOf, type CellResult, type FnResult } from "../../../shared/src/excel/cells.js";

/**
 * The edge between `shared/src/excel` and Excel's custom-functions runtime (docs/platform.md §2):
 * a KamError becomes `CustomFunctions.Error` with the Excel code and a message in
 * the display language; a result is always a 2-D array (functions declared `any[][]` spill; a 1×1
 * answer shows as one cell). Only #VALUE! and #N/A show their message in Excel — the others
 * carry it anyway for the pane and logs.
 */

/** CustomFunctions.ErrorCode by KamError code. */
function errorCodeFor(e: KamError): CustomFunctions.ErrorCode {
  const code = EXCEL_ERROR[e.code];
  const codes = CustomFunctions.ErrorCode;
  if (code === "#DIV/0!") return codes.divisionByZero;
  if (code === "#NUM!") return codes.invalidNumber;
  if (code === "#N/A") return codes.notAvailable;
  return codes.invalidValue;
}

export function toCustomFunctionsError(e: KamError, lang: Lang): CustomFunctions.Error {
  return new CustomFunctions.Error(errorCodeFor(e), messageOf(e, lang));
}

function cellOut(c: CellResult, lang: Lang): unknown {
  if (isKamError(c)) return toCustomFunctionsError(c, lang);
  return c;
}

/**
 * A function's answer → what a custom function returns: a matrix (errors as elements), or — for
 * a whole-call error — a thrown `CustomFunctions.Error`, the documented way to show one.
 */
export function toExcelMatrix(result: FnResult, lang: Lang): unknown[][] {
  if (Array.isArray(result)) return result.map((row) => row.map((c) => cellOut(c, lang)));
  if (isKamError(result)) throw toCustomFunctionsError(result, lang);
  return [[result]];
}

/** A scalar answer (store-backed functions, lifted by Excel per cell). */
export function toExcelScalar(result: FnResult, lang: Lang): unknown {
  if (Array.isArray(result)) {
    const one = collapse(result);
    if (!Array.isArray(one)) return toExcelScalar(one, lang);
    return toExcelMatrix(result, lang);
  }
  if (isKamError(result)) throw toCustomFunctionsError(result, lang);
  return result;
}

/**
 * Excel's display language (docs/contracts.md §1.4: zh* → zh, else en). Before Office is ready, or
 * outside Office (tests, preview), English.
 */
export function displayLang(): Lang {
  try {
    return langOf(typeof Office !== "undefined" ? Office.context?.displayLanguage : undefined);
  } catch {
    return "en";
  }
}

/** Excel-shaped arguments → JSON for `/v1/eval` (omitted → null; error cells → `{error}`). */
export function argToJson(v: unknown): unknown {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(argToJson);
  if (typeof v === "object" && v !== null) {
    const code = errorCodeOf(v);
    if (code !== undefined) return { error: { code, message: String((v as { message?: unknown }).message ?? "") } };
    return null;
  }
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
}
