import type { ErrorDetail } from "../../../shared/src/schemas/validation.js";
import type { ApiErrorCode } from "../../../shared/src/schemas/api.js";

/**
 * HTTP errors of the API: `{"error":{"code","message","details":[{path,message}]}}`.
 * Thrown only inside a handler and caught by `route()` — the edge that turns them into 4xx.
 * Anything else thrown is a defect and answers 500 without detail.
 */
export type { ApiErrorCode };

export const STATUS_OF: Readonly<Record<ApiErrorCode, number>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  unsupported: 501,
  internal: 500,
  unavailable: 503,
};

/** The generic message of a query a handler refuses (the details name the parameters). */
export const INVALID_QUERY: Bilingual = { zh: "查询参数无效", en: "invalid query" };

/** A message in both languages; the response carries the request's (Accept-Language). */
export interface Bilingual {
  zh: string;
  en: string;
}
export type ErrorText = string | Bilingual;

export class ApiError extends Error {
  readonly status: number;
  /** The Chinese message, when one was given (`message` is the English one). */
  readonly zh?: string;
  constructor(
    readonly code: ApiErrorCode,
    message: ErrorText,
    readonly details: ErrorDetail[] = [],
  ) {
    super(typeof message === "string" ? message : message.en);
    if (typeof message !== "string") this.zh = message.zh;
    this.status = STATUS_OF[code];
  }
  body(lang: "zh" | "en" = "en"): { error: { code: ApiErrorCode; message: string; details: ErrorDetail[] } } {
    return { error: { code: this.code, message: lang === "zh" && this.zh !== undefined ? this.zh : this.message, details: this.details } };
  }
}

export const httpErrors = {
  badRequest: (message: ErrorText, details: ErrorDetail[] = []) => new ApiError("invalid", message, details),
  unauthorized: (message: ErrorText = { zh: "请先登录", en: "sign-in required: Authorization: Bearer <JWT>" }) => new ApiError("unauthorized", message),
  forbidden: (message: ErrorText) => new ApiError("forbidden", message),
  notFound: (message: ErrorText = { zh: "未找到", en: "not found" }, details: ErrorDetail[] = []) => new ApiError("not_found", message, details),
  conflict: (message: ErrorText, details: ErrorDetail[] = []) => new ApiError("conflict", message, details),
  tooLarge: (message: ErrorText) => new ApiError("too_large", message),
  unsupportedMediaType: (message: ErrorText, details: ErrorDetail[] = []) => new ApiError("unsupported_media_type", message, details),
  notImplemented: (message: string) => new ApiError("unsupported", message),
};
