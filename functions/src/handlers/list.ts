import { msg } from "../../../shared/src/errors.js";
import type { ErrorDetail } from "../../../shared/src/schemas/validation.js";
import { httpErrors, INVALID_QUERY } from "../http/errors.js";
import type { ApiRequest } from "../edge/route.js";
import { LIST_MAX_LIMIT, type ListOptions } from "../store/entity.js";

/**
 * Common list query: `limit` (1–1000), `next` (page token), `since` (change cursor: an ISO-8601
 * instant such as the largest `updatedAt` already synced, or epoch milliseconds), plus the
 * route's own filters. Unknown parameters are a 400.
 */
export function listQuery<K extends string>(
  req: ApiRequest,
  allowed: readonly K[],
): { list: Pick<ListOptions, "limit" | "next" | "sinceMs" | "lang">; extra: Partial<Record<K, string>> } {
  const details: ErrorDetail[] = [];
  const say = (zh: string, en: string) => msg(req.lang, zh, en);
  const list: Pick<ListOptions, "limit" | "next" | "sinceMs" | "lang"> = { lang: req.lang };
  const extra: Partial<Record<K, string>> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (k === "limit") {
      if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > LIST_MAX_LIMIT) details.push({ path: "limit", message: say(`应为 1–${LIST_MAX_LIMIT}`, `expected 1–${LIST_MAX_LIMIT}`) });
      else list.limit = Number(v);
    } else if (k === "next") {
      if (v.length === 0 || v.length > 2048) details.push({ path: "next", message: say("翻页令牌无效", "invalid page token") });
      else list.next = v;
    } else if (k === "since") {
      const ms = sinceToMs(v);
      if (ms === undefined) details.push({ path: "since", message: say("应为 ISO-8601 日期时间或纪元毫秒数", "expected an ISO-8601 date-time or epoch milliseconds") });
      else list.sinceMs = ms;
    } else if ((allowed as readonly string[]).includes(k)) {
      if (v.length === 0 || v.length > 200) details.push({ path: k, message: say("应为 1–200 个字符", "expected 1–200 characters") });
      else extra[k as K] = v;
    }
  }
  details.push(...unknownQueryDetails(req, ["limit", "next", "since", ...allowed]));
  if (details.length > 0) throw httpErrors.badRequest(INVALID_QUERY, details);
  return { list, extra };
}

/** One detail per query parameter the route does not take. */
export function unknownQueryDetails(req: ApiRequest, allowed: readonly string[]): ErrorDetail[] {
  return Object.keys(req.query)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ path: k, message: msg(req.lang, "未知的查询参数", "unknown query parameter") }));
}

export function sinceToMs(v: string): number | undefined {
  if (/^\d{1,15}$/.test(v)) return Number(v);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}
