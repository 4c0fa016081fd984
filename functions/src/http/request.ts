import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { msg, type Lang } from "../../../shared/src/errors.js";
import { REQUEST_MAX_BYTES } from "../../../shared/src/schemas/api.js";
import { parseJsonBody } from "./body.js";
import { httpErrors } from "./errors.js";
import type { Principal } from "./principal.js";
import { checkPathIds } from "./validate.js";

/** The API Gateway HTTP API v2 event (JWT authorizer) a route group's Lambda receives, and its answer. */
export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export interface ApiRequest {
  method: string;
  /** The concrete path, e.g. `/v1/accounts/A1`. */
  path: string;
  /** The route template key, e.g. `GET /v1/accounts/{id}`. */
  routeKey: string;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when there is none). */
  body: unknown;
  bodyBytes: number;
  /** The body exactly as the gateway passed it ("" when there is none): what an idempotent replay compares. */
  rawBody: string;
  principal: Principal;
  idempotencyKey?: string;
  requestId: string;
  /** Accept-Language zh* → zh, else en. */
  lang: Lang;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: ApiRequest) => Promise<ApiResponse>;

export function json(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return headers ? { status, body, headers } : { status, body };
}

/** The `Idempotency-Key` header's grammar. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Header names lower-cased, absent values dropped. */
export function lowerHeaders(h: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

export function langOf(headers: Record<string, string>): Lang {
  return /^\s*zh/i.test(headers["accept-language"] ?? "") ? "zh" : "en";
}

/** The language of an event's answers (also of the errors raised before a request exists). */
export function eventLang(event: ApiEvent): Lang {
  return langOf(lowerHeaders(event.headers as Record<string, string | undefined>));
}

/**
 * The request of a routed event: path ids checked, body at most `REQUEST_MAX_BYTES` (413) and
 * parsed as JSON (415/400), `Idempotency-Key` checked (400). Throws `ApiError`s.
 */
export function readRequest(
  event: ApiEvent,
  found: { key: string; params: Record<string, string> },
  principal: Principal,
  requestId: string,
): ApiRequest {
  const headers = lowerHeaders(event.headers as Record<string, string | undefined>);
  const lang = langOf(headers);
  checkPathIds(found.params, lang);
  const raw = event.body === undefined || event.body === null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
  if (raw.length > REQUEST_MAX_BYTES) throw httpErrors.tooLarge({
      zh: `请求体超过 ${REQUEST_MAX_BYTES} 字节；请分批发送`,
      en: `request body larger than ${REQUEST_MAX_BYTES} bytes; send smaller batches`,
    });
  const body = raw.length > 0 ? parseJsonBody(headers, raw, event.isBase64Encoded ? undefined : (event.body as string), lang) : undefined;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
  const idem = headers["idempotency-key"];
  if (idem !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idem)) {
    throw httpErrors.badRequest({ zh: "Idempotency-Key 无效", en: "invalid Idempotency-Key" }, [
      { path: "Idempotency-Key", message: msg(lang, "1–128 个字符：字母、数字、. _ : -", "1–128 characters: letters, digits, . _ : -") },
    ]);
  }
  const req: ApiRequest = {
    method: event.requestContext?.http?.method ?? "",
    path: event.rawPath,
    routeKey: found.key,
    pathParameters: found.params,
    query,
    headers,
    body,
    bodyBytes: raw.length,
    rawBody: event.body ?? "",
    principal,
    requestId,
    lang,
  };
  if (idem !== undefined) req.idempotencyKey = idem;
  return req;
}
