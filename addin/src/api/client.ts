/**
 * Typed client of the KAM API's routes. Bearer token from the shared session
 * (`session.ts`); errors come back as values carrying the server's JSON details
 * (`{"error":{"code","message","details"}}`), never as exceptions. Implements the sync engine's
 * `SyncRemote` (list with paging and `since`, batch upsert with an Idempotency-Key, tombstone).
 */
import type {
  Account,
  CollectionsQuery,
  DeletedAccount,
  HandoverRecord,
  HistoryEntry,
  Target,
  TargetDecision,
  TargetProposal,
  Team,
  User,
} from "../../../shared/src/index.js";
import { getSession, type Session } from "./session.js";
import type { EntityDef } from "../sync/entities.js";
import type { ApiError, ApiResult, ItemResult, SyncRemote } from "../sync/remote.js";
import type { Directory } from "../sync/engine.js";

export type { ApiError, ApiResult, ItemResult };

/** The API's page size limit (functions LIST_MAX_LIMIT). */
export const LIST_PAGE_SIZE = 1000;

export interface Me {
  id: string;
  name: string;
  tenant: string;
  roles: string[];
  team?: string;
}

export interface CollectionReport {
  [k: string]: unknown;
}

export interface ClientOptions {
  /** Session source (default: the shared session). */
  session?: () => Session | undefined;
  fetch?: typeof fetch;
  /** Called on 401 once: return a refreshed session (auth.ts), or undefined. */
  refresh?: () => Promise<Session | undefined>;
}

export class KamClient implements SyncRemote {
  /** Requests made (for the pane's summary and the bench). */
  requests = 0;
  /**
   * The pane's language (`zh` / `en`), sent as Accept-Language so the server's messages match the
   * pane; when unset, the browser's language.
   */
  language: string | undefined;
  private readonly session: () => Session | undefined;
  private readonly fetcher: typeof fetch;

  constructor(private readonly opts: ClientOptions = {}) {
    this.session = opts.session ?? getSession;
    this.fetcher = opts.fetch ?? ((...a) => fetch(...a));
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<ApiResult<T>> {
    let s = this.session();
    if (!s) return fail(401, "unauthorized", "not signed in / 未登录");
    for (let attempt = 0; attempt < 2; attempt++) {
      this.requests++;
      let res: Response;
      try {
        res = await this.fetcher(`${s.apiBase}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${s.token}`,
            ...(body !== undefined ? { "content-type": "application/json" } : {}),
            ...(this.language ? { "accept-language": this.language === "zh" ? "zh-CN" : this.language === "en" ? "en-US" : this.language } : typeof navigator !== "undefined" && navigator.language ? { "accept-language": navigator.language } : {}),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal,
        });
      } catch (e) {
        if (signal?.aborted) return fail(-1, "cancelled", "cancelled");
        return fail(0, "network", e instanceof Error ? e.message : String(e));
      }
      if (res.status === 401 && attempt === 0 && this.opts.refresh) {
        const fresh = await this.opts.refresh();
        if (fresh) { s = fresh; continue; }
      }
      const text = await res.text();
      let json: unknown = undefined;
      try { json = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
      if (!res.ok) {
        const err = (json as { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } } | undefined)?.error;
        return { ok: false, error: { status: res.status, code: err?.code ?? String(res.status), message: err?.message ?? (text.slice(0, 300) || res.statusText), details: err?.details ?? [] } };
      }
      return { ok: true, value: json as T };
    }
    return fail(401, "unauthorized", "token refused");
  }

  me() { return this.request<Me>("GET", "/v1/me"); }
  users() { return this.request<{ items: User[] }>("GET", "/v1/users"); }
  /** The tenant's teams `{id, name}` (docs/contracts.md §9). */
  teams() { return this.request<{ items: Team[] }>("GET", "/v1/teams"); }
  putTeams(items: Team[]) { return this.request<{ items: ItemResult[] }>("PUT", "/v1/teams", { items }, { "idempotency-key": newKey() }); }

  /** Every page of a list route. */
  async listAll<T = Record<string, unknown>>(path: string, query: Record<string, string | undefined> = {}): Promise<ApiResult<T[]>> {
    const out: T[] = [];
    let next: string | undefined;
    do {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
      q.set("limit", String(LIST_PAGE_SIZE));
      if (next) q.set("next", next);
      const r = await this.request<{ items: T[]; next?: string }>("GET", `${path}?${q}`);
      if (!r.ok) return r;
      out.push(...r.value.items);
      next = r.value.next;
    } while (next);
    return { ok: true, value: out };
  }

  // SyncRemote -----------------------------------------------------------------------------
  list(entity: EntityDef, since?: string): Promise<ApiResult<Record<string, unknown>[]>> {
    return this.listAll(entity.path, since ? { since } : {});
  }

  async upsert(entity: EntityDef, items: Record<string, unknown>[], idempotencyKey: string, signal?: AbortSignal): Promise<ApiResult<ItemResult[]>> {
    const r = await this.request<{ items: ItemResult[] }>("PUT", entity.path, { items }, { "idempotency-key": idempotencyKey }, signal);
    return r.ok ? { ok: true, value: r.value.items } : r;
  }

  async tombstone(entity: EntityDef, id: string): Promise<ApiResult<void>> {
    const r = await this.request<unknown>("DELETE", `${entity.path}/${encodeURIComponent(id)}`);
    return r.ok ? { ok: true, value: undefined } : r;
  }

  /** Users and teams; a store without the teams route answers its team ids as names. */
  async directory(): Promise<ApiResult<Directory>> {
    const [users, teams] = await Promise.all([this.users(), this.request<{ items: { id: string; name: string }[] }>("GET", "/v1/teams")]);
    if (!users.ok) return users;
    return { ok: true, value: { users: users.value.items, teams: teams.ok ? teams.value.items : [] } };
  }

  // Accounts --------------------------------------------------------------------------------
  accounts(query: { owner?: string } = {}) { return this.listAll<Account>("/v1/accounts", query); }
  history(id: string) { return this.request<{ items: HistoryEntry[] }>("GET", `/v1/accounts/${encodeURIComponent(id)}/history`); }
  /** The recycle bin (回收站): every page of tombstones (directors all, managers their own; others 403). */
  listDeletedAccounts(query: { owner?: string } = {}) { return this.listAll<DeletedAccount>("/v1/accounts", { ...query, deleted: "true" }); }
  /** Restore a deleted account (directors): the account at version + 1; 409 if it is not deleted. */
  restoreAccount(id: string) {
    return this.request<Account>("POST", `/v1/accounts/${encodeURIComponent(id)}/restore`, undefined, { "idempotency-key": newKey() });
  }
  /** "Archive reviewed" (档案已复核): the store sets `lastReviewed` to today; the account as stored after it. */
  reviewAccount(id: string) {
    return this.request<Account & { reviewStale: boolean }>("POST", `/v1/accounts/${encodeURIComponent(id)}/review`, undefined, { "idempotency-key": newKey() });
  }
  handovers() { return this.request<{ items: HandoverRecord[] }>("GET", "/v1/handovers"); }
  handover(body: { from: string; to: string; accountIds?: string[] }) {
    return this.request<HandoverRecord>("POST", "/v1/handovers", body, { "idempotency-key": newKey() });
  }

  // Targets ---------------------------------------------------------------------------------
  /** Targets are not paged (the route takes level / subject / period only). */
  async targets(query: { period?: string; level?: string; subject?: string } = {}): Promise<ApiResult<Target[]>> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
    const r = await this.request<{ items: Target[] }>("GET", `/v1/targets${q.size ? `?${q}` : ""}`);
    return r.ok ? { ok: true, value: r.value.items } : r;
  }
  target(id: string) { return this.request<Target>("GET", `/v1/targets/${encodeURIComponent(id)}`); }
  propose(targetId: string, body: TargetProposal) {
    return this.request<Target>("POST", `/v1/targets/${encodeURIComponent(targetId)}/proposals`, body, { "idempotency-key": newKey() });
  }
  decide(body: TargetDecision) {
    return this.request<Target>("POST", `/v1/targets/${encodeURIComponent(body.targetId)}/decisions`, body, { "idempotency-key": newKey() });
  }

  // Collections / eval ----------------------------------------------------------------------
  collections(q: { scope: string; period: string; asOf?: string }) {
    const p = new URLSearchParams({ scope: q.scope, period: q.period, ...(q.asOf ? { asOf: q.asOf } : {}) });
    return this.request<CollectionReport>("GET", `/v1/collections?${p}`);
  }
  eval(calls: { fn: string; args: unknown[] }[]) {
    return this.request<{ results: ({ value: unknown } | { error: { code: string; message: string } })[] }>("POST", "/v1/eval", { calls });
  }
}

export type CollectionsParams = Pick<CollectionsQuery, "period"> & { scope: string };

function fail(status: number, code: string, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { status, code, message, details: [] } };
}

export function newKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * One line for a MessageBar: message plus the first details. With `lang`, a failure to reach the
 * server (the browser's "Failed to fetch") reads in that language; a detail repeating the message
 * is not shown twice.
 */
/** The store could not be reached (the browser's own text, e.g. "Failed to fetch", only in English). */
export function unreachableMessage(lang: "zh" | "en", detail?: string): string {
  return lang === "zh" ? "无法连接服务器，请检查网络或服务地址" : `Cannot reach the store; check the network or the store address${detail ? ` (${detail})` : ""}`;
}

export function describeApiError(e: ApiError, lang: "zh" | "en"): string {
  if (e.status === 0) return unreachableMessage(lang, e.message);
  const d = e.details.slice(0, 3).map((x) => (x.path ? `${x.path}: ${x.message}` : x.message));
  // A message that only repeats its first detail shows once, with the field it names.
  if (e.details[0] && e.details[0].message === e.message) return d.join(" · ");
  return [e.message, ...d].join(" · ");
}
