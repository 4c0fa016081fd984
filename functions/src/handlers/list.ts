import { canReadAccountRecords, collectionsViewOf, visitsViewOf } from "../../../shared/src/access.js";
import { msg, type Bilingual } from "../../../shared/src/errors.js";
import type { ErrorDetail } from "../../../shared/src/schemas/validation.js";
import { httpErrors, INVALID_QUERY } from "../http/errors.js";
import type { ApiRequest } from "../edge/route.js";
import { storeContext } from "../store/client.js";
import { LIST_MAX_LIMIT, listEntities, type Doc, type EntityType, type ListOptions, type StoredEntity } from "../store/entity.js";
import { listAccountRefs, listByAccount, lookupAccount } from "../store/queries.js";

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

/**
 * A list of records kept per account (contracts and payments, visit plans and records), as the
 * caller's view of those records allows (shared/src/access.ts): `?account=` one account's records
 * when the caller may read them; else, for a caller who reads all, one page of every record
 * (tombstones too after `since`); else the records of the accounts the caller owns.
 */
export async function listAccountRecords<D extends Doc>(
  req: ApiRequest,
  type: EntityType,
  present: (e: StoredEntity<D>) => Record<string, unknown>,
  records: "finance" | "visits",
  refusal: { none: Bilingual; foreign: Bilingual },
): Promise<{ items: unknown[]; next?: string }> {
  const p = req.principal;
  const q = listQuery(req, ["account"]);
  const ctx = storeContext();
  const view = records === "finance" ? collectionsViewOf(p) : visitsViewOf(p);
  if (view === "none") throw httpErrors.forbidden(refusal.none);
  if (q.extra.account !== undefined) {
    const found = await lookupAccount(ctx, p.tenant, q.extra.account, false);
    if (!canReadAccountRecords(p, records, found.ok ? found.ref : undefined)) throw httpErrors.forbidden(refusal.foreign);
    return { items: (await listByAccount<D>(ctx, type, p.tenant, q.extra.account)).map(present) };
  }
  if (view === "all") {
    const page = await listEntities<D>(ctx, type, p.tenant, { ...q.list, includeDeleted: q.list.sinceMs !== undefined, lean: true });
    if (!page.ok) throw httpErrors.badRequest(INVALID_QUERY, page.details);
    const items = page.value.items.map((e) => (e.deleted ? { id: e.id, version: e.version, deleted: true } : present(e)));
    return page.value.next ? { items, next: page.value.next } : { items };
  }
  // A manager: the accounts they own (Query ACC GSI2).
  const own = await listAccountRefs(ctx, p.tenant, p.userId);
  const lists = await Promise.all(own.map((a) => listByAccount<D>(ctx, type, p.tenant, a.id)));
  return { items: lists.flat().map(present) };
}
