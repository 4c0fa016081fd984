import { EXCEL_ERROR, messageOf, kamError, type KamError, type Lang } from "../errors.js";
import { collapse, isKamError, type CellResult, type FnResult } from "./cells.js";

/**
 * docs/contracts.md §3: each result is `{"value": v}` or `{"error":{code,message}}`. A
 * one-cell result is a scalar (never `[[x]]`); a one-cell error is the top-level `error`; a larger
 * result is a 2-D array whose error cells are `{"error":{...}}` objects.
 */
export interface EvalErrorObject {
  error: { code: string; message: string };
}
export type EvalCell = number | string | boolean | null | EvalErrorObject;
export type EvalResultJson = { value: number | string | boolean | null | EvalCell[][] } | EvalErrorObject;

export function errorObject(e: KamError, lang: Lang): EvalErrorObject {
  return { error: { code: EXCEL_ERROR[e.code], message: messageOf(e, lang) } };
}

function cellJson(c: CellResult, lang: Lang): EvalCell {
  if (isKamError(c)) return errorObject(c, lang);
  if (typeof c === "number" && !Number.isFinite(c)) return errorObject(kamError("num", undefined, { zh: "结果不是有限数", en: "the result is not a finite number" }), lang);
  return c;
}

/** A function's answer (value, KamError or matrix) → the `/v1/eval` result object. */
export function toEvalResult(result: FnResult, lang: Lang): EvalResultJson {
  if (Array.isArray(result)) {
    const one = collapse(result);
    if (!Array.isArray(one)) return toEvalResult(one, lang);
    return { value: result.map((row) => row.map((c) => cellJson(c, lang))) };
  }
  const c = cellJson(result, lang);
  return typeof c === "object" && c !== null ? c : { value: c };
}

const KAM_CODE_OF: Readonly<Record<string, KamError["code"]>> = {
  "#VALUE!": "value",
  "#DIV/0!": "div0",
  "#NUM!": "num",
  "#N/A": "na",
};

/**
 * The way back (the add-in reading a `/v1/eval` answer): an error object becomes a KamError whose
 * message is the server's text in both languages (it was written in the caller's language).
 */
export function fromEvalError(e: EvalErrorObject): KamError {
  const message = String(e.error.message ?? "");
  return kamError(KAM_CODE_OF[e.error.code] ?? "value", undefined, { zh: message, en: message });
}

function isErrorObject(v: unknown): v is EvalErrorObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "error" in v;
}

/** `/v1/eval` result → a function's answer (the inverse of `toEvalResult`). */
export function fromEvalResult(r: unknown): FnResult {
  if (isErrorObject(r)) return fromEvalError(r);
  if (typeof r !== "object" || r === null || !("value" in r)) {
    return kamError("na", undefined, { zh: "服务器返回的结果无法识别", en: "the server's answer is not a result" });
  }
  const v = (r as { value: unknown }).value;
  if (Array.isArray(v)) {
    return v.map((row: unknown) =>
      (Array.isArray(row) ? row : [row]).map((c: unknown): CellResult => {
        if (isErrorObject(c)) return fromEvalError(c);
        if (c === null || c === undefined) return "";
        return typeof c === "number" || typeof c === "string" || typeof c === "boolean" ? c : String(c);
      }),
    );
  }
  if (v === null || v === undefined) return "";
  return typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? v : String(v);
}
