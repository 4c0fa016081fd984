import type { ErrorDetail } from "../../../shared/src/schemas/validation.js";
import type { ApiErrorCode } from "../../../shared/src/schemas/api.js";

/**
 * HTTP errors of the API (issue 3 §6): `{"error":{"code","message","details":[{path,message}]}}`.
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

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.status = STATUS_OF[code];
  }
  body(): { error: { code: ApiErrorCode; message: string; details: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export const httpErrors = {
  badRequest: (message: string, details: ErrorDetail[] = []) => new ApiError("invalid", message, details),
  unauthorized: (message = "sign-in required: Authorization: Bearer <JWT>") => new ApiError("unauthorized", message),
  forbidden: (message: string) => new ApiError("forbidden", message),
  notFound: (message = "not found", details: ErrorDetail[] = []) => new ApiError("not_found", message, details),
  conflict: (message: string, details: ErrorDetail[] = []) => new ApiError("conflict", message, details),
  tooLarge: (message: string) => new ApiError("too_large", message),
  unsupportedMediaType: (message: string, details: ErrorDetail[] = []) => new ApiError("unsupported_media_type", message, details),
  notImplemented: (message: string) => new ApiError("unsupported", message),
};
