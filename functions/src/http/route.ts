import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { randomUUID } from "node:crypto";
import { msg, type Lang } from "../../../shared/src/errors.js";
import { REQUEST_MAX_BYTES } from "../../../shared/src/schemas/api.js";
import { IdSchema } from "../../../shared/src/schemas/common.js";
import { validate, type ErrorDetail } from "../../../shared/src/schemas/validation.js";
import type * as z from "zod/mini";
import { matchPath } from "../routes.js";
import { storeContext } from "../store/client.js";
import { IDEMPOTENCY_KEY_PATTERN, withIdempotency } from "../store/idempotency.js";
import { ensureRegistered } from "../store/users.js";
import { ApiError, httpErrors } from "./errors.js";
import { log } from "./log.js";
import { principalFromClaims, type JwtClaims, type Principal } from "./principal.js";

/**
 * Lambda edge: API Gateway HTTP API v2 event → request → one route
 * function → JSON response. Unauthenticated → 401; `ApiError` → its 4xx; bad input never 500.
 */
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
  principal: Principal;
  idempotencyKey?: string;
  requestId: string;
  /** docs/contracts.md §1.4: Accept-Language zh* → zh, else en. */
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

/**
 * Validate a body / query with a shared zod schema, or throw a 400 naming every bad path, with
 * messages in `lang` (the request's language).
 */
export function parse<S extends z.core.$ZodType>(schema: S, data: unknown, lang: Lang = "en", prefix = ""): z.output<S> {
  const r = validate(schema, data, lang);
  if (r.ok) return r.value;
  const details: ErrorDetail[] = prefix ? r.details.map((d) => ({ ...d, path: d.path ? `${prefix}.${d.path}` : prefix })) : r.details;
  throw httpErrors.badRequest({ zh: "输入无效", en: "invalid input" }, details);
}

const WRITE_METHODS = new Set(["PUT", "POST", "DELETE", "PATCH"]);

function lower(h: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

function langOf(headers: Record<string, string>): Lang {
  return /^\s*zh/i.test(headers["accept-language"] ?? "") ? "zh" : "en";
}

function toResult(res: ApiResponse): ApiResult {
  return {
    statusCode: res.status,
    headers: { "content-type": "application/json; charset=utf-8", ...(res.headers ?? {}) },
    body: res.body === undefined ? "" : JSON.stringify(res.body),
  };
}

function errorResult(e: ApiError, lang: Lang, extraHeaders?: Record<string, string>): ApiResult {
  return toResult({ status: e.status, body: e.body(lang), ...(extraHeaders ? { headers: extraHeaders } : {}) });
}

/** Find the route function: by API Gateway's routeKey, else by method + path template. */
function resolve(
  routes: Record<string, RouteHandler>,
  event: ApiEvent,
): { key: string; fn: RouteHandler; params: Record<string, string> } | undefined {
  const method = event.requestContext?.http?.method ?? "";
  const fromKey = routes[event.routeKey];
  if (fromKey) {
    const template = event.routeKey.slice(event.routeKey.indexOf(" ") + 1);
    const params = { ...(matchPath(template, event.rawPath) ?? {}), ...((event.pathParameters as Record<string, string>) ?? {}) };
    return { key: event.routeKey, fn: fromKey, params };
  }
  for (const [key, fn] of Object.entries(routes)) {
    const [m, template] = key.split(" ");
    if (m !== method) continue;
    const params = matchPath(template!, event.rawPath);
    if (params) return { key, fn, params };
  }
  return undefined;
}

export interface RouteOptions {
  /** Register the caller in the user directory (on the first authenticated request, docs/contracts.md §5.2). Default on. */
  register?: boolean;
  /**
   * Honour `Idempotency-Key` on writes (default on). Read-only POST routes (`/v1/eval`) pass
   * `false`: their group has no UpdateItem/BatchWriteItem permission and nothing to replay.
   */
  idempotent?: boolean;
}

/** Wrap a group's route functions (`{"GET /v1/me": fn}`) as one Lambda handler. */
export function route(routes: Record<string, RouteHandler>, opts: RouteOptions = {}): (event: ApiEvent) => Promise<ApiResult> {
  return async (event) => {
    const t0 = Date.now();
    const requestId = event.requestContext?.requestId ?? randomUUID();
    const method = event.requestContext?.http?.method ?? "";
    let routeKey = `${method} ${event.rawPath}`;
    let principal: Principal | undefined;
    let result: ApiResult;
    try {
      principal = principalFromClaims(event.requestContext?.authorizer?.jwt?.claims as JwtClaims | undefined);
      if (!principal) throw httpErrors.unauthorized();
      const found = resolve(routes, event);
      if (!found) throw httpErrors.notFound({ zh: `没有接口 ${method} ${event.rawPath}`, en: `no route ${method} ${event.rawPath}` });
      routeKey = found.key;
      const req = buildRequest(event, found, principal, requestId);
      const ctx = storeContext();
      if (opts.register !== false) await ensureRegistered(ctx, principal);
      let res: ApiResponse;
      if (req.idempotencyKey !== undefined && WRITE_METHODS.has(method) && opts.idempotent !== false) {
        const out = await withIdempotency(ctx, principal, req.idempotencyKey, { routeKey: found.key, path: req.path, body: event.body ?? "" }, () =>
          runHandler(found.fn, req),
          req.lang,
        );
        res = out.response;
        if (out.replayed) res = { ...res, headers: { ...(res.headers ?? {}), "idempotent-replayed": "true" } };
      } else {
        res = await runHandler(found.fn, req);
      }
      result = toResult(res);
    } catch (e) {
      if (e instanceof ApiError) result = errorResult(e, langOf(lower(event.headers as Record<string, string | undefined>)));
      else {
        log("error", "unhandled", { route: routeKey, requestId, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
        result = errorResult(new ApiError("internal", { zh: "服务器内部错误", en: "internal error" }), langOf(lower(event.headers as Record<string, string | undefined>)));
      }
    }
    log("info", "request", {
      route: routeKey,
      status: result.statusCode as number,
      ms: Date.now() - t0,
      requestId,
      ...(principal ? { tenant: principal.tenant, user: principal.userId } : {}),
    });
    return result;
  };
}

/** ApiErrors thrown by the handler become responses (so idempotency can store a 4xx answer). */
async function runHandler(fn: RouteHandler, req: ApiRequest): Promise<ApiResponse> {
  try {
    return await fn(req);
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.body(req.lang) };
    throw e;
  }
}

/**
 * Path parameters follow the rule of body ids (`IdSchema`): an over-long id, or one holding
 * control or bidirectional-text characters, is a 400 naming the parameter — never a store error.
 */
function checkPathIds(params: Record<string, string>, lang: Lang): void {
  const details: ErrorDetail[] = [];
  for (const [name, value] of Object.entries(params)) {
    const r = validate(IdSchema, value, lang);
    if (!r.ok) details.push(...r.details.map((d) => ({ path: name, message: d.message })));
  }
  if (details.length > 0) throw httpErrors.badRequest({ zh: "路径中的 id 无效", en: "invalid id in the path" }, details);
}

const NOT_UTF8 = { zh: "请求体不是有效的 UTF-8", en: "the body is not valid UTF-8" };
const utf8 = new TextDecoder("utf-8", { fatal: true });
/** A lone surrogate: text that was not well-formed UTF-16, so not the UTF-8 the client sent. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The request body as JSON: `Content-Type: application/json` (charset, if given, UTF-8) and no
 * `Content-Encoding`, else 415; bytes that are not UTF-8 or not JSON are a 400 — decoded with a
 * fatal decoder, so nothing is silently replaced by U+FFFD. `text` is the gateway's string form of
 * a body that was not base64-encoded.
 */
function parseJsonBody(headers: Record<string, string>, raw: Buffer, text: string | undefined, lang: Lang): unknown {
  const encoding = headers["content-encoding"];
  if (encoding !== undefined && encoding.trim() !== "") {
    throw httpErrors.unsupportedMediaType({ zh: "不接受压缩的请求体", en: "compressed request bodies are not accepted" }, [
      { path: "Content-Encoding", message: msg(lang, `请发送未压缩的请求体（收到 ${encoding.slice(0, 40)}）`, `send the body uncompressed (got ${encoding.slice(0, 40)})`) },
    ]);
  }
  const [mediaType = "", ...params] = (headers["content-type"] ?? "").split(";");
  const charset = params.map((x) => /^\s*charset\s*=\s*"?([^"]*)"?\s*$/i.exec(x)?.[1]).find((x) => x !== undefined);
  if (mediaType.trim().toLowerCase() !== "application/json" || (charset !== undefined && charset.toLowerCase() !== "utf-8")) {
    throw httpErrors.unsupportedMediaType({ zh: "请求体必须是 JSON", en: "the body must be JSON" }, [
      { path: "Content-Type", message: msg(lang, "应为 application/json（UTF-8）", "expected application/json (UTF-8)") },
    ]);
  }
  let decoded: string;
  try {
    if (text !== undefined && LONE_SURROGATE.test(text)) throw new TypeError("lone surrogate");
    decoded = utf8.decode(raw);
  } catch {
    throw httpErrors.badRequest(NOT_UTF8, [{ path: "", message: NOT_UTF8[lang] }]);
  }
  try {
    return JSON.parse(decoded);
  } catch {
    throw httpErrors.badRequest({ zh: "请求体 JSON 格式错误", en: "malformed JSON body" }, [{ path: "", message: msg(lang, "请求体不是有效的 JSON", "the body is not valid JSON") }]);
  }
}

function buildRequest(
  event: ApiEvent,
  found: { key: string; params: Record<string, string> },
  principal: Principal,
  requestId: string,
): ApiRequest {
  const headers = lower(event.headers as Record<string, string | undefined>);
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
    principal,
    requestId,
    lang,
  };
  if (idem !== undefined) req.idempotencyKey = idem;
  return req;
}
