import type { Lang } from "../../../shared/src/errors.js";
import { log } from "../log.js";
import { ApiError } from "./errors.js";
import type { ApiResponse, ApiResult } from "./request.js";

/** The gateway's answer: JSON with `content-type`, the body serialised ("" for none). */
export function toResult(res: ApiResponse): ApiResult {
  return {
    statusCode: res.status,
    headers: { "content-type": "application/json; charset=utf-8", ...(res.headers ?? {}) },
    body: res.body === undefined ? "" : JSON.stringify(res.body),
  };
}

/** An `ApiError` as a response, its message in `lang`. */
export function errorResponse(e: ApiError, lang: Lang): ApiResponse {
  return { status: e.status, body: e.body(lang) };
}

const INTERNAL = { zh: "服务器内部错误", en: "internal error" };

/**
 * Error mapping at the edge: an `ApiError` is its 4xx/5xx; anything else is a defect — logged as
 * `unhandled` with the route and request id (the error's name and message, never the request) and
 * answered 500 without detail.
 */
export function mapError(e: unknown, lang: Lang, at: { route: string; requestId: string }): ApiResponse {
  if (e instanceof ApiError) return errorResponse(e, lang);
  log("error", "unhandled", { route: at.route, requestId: at.requestId, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  return errorResponse(new ApiError("internal", INTERNAL), lang);
}
