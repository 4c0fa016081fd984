/**
 * Typed client of the KAM API for the pane and the sync, over the one transport (`transport.ts`).
 * Bearer token from the shared session (`session.ts`), one refresh on a 401; errors come back as
 * values carrying the server's JSON details (`{"error":{"code","message","details"}}`), never as
 * exceptions; answers are checked against the shared schemas (`responses.ts`, with the schema
 * library: loaded with the first checked request, in parallel with it, so the pane's first page
 * does not wait for it). Serves the sync
 * engine's `SyncRemote` (list with paging and `since`, batch upsert with an Idempotency-Key,
 * tombstone) for any collection given by its route.
 */
import type {
  Account,
  DeletedAccount,
  HandoverRecord,
  HistoryEntry,
  Target,
  TargetDecision,
  TargetProposal,
  Team,
  User,
} from "../../../shared/src/index.js";
import type { Check } from "./responses.js";
import { getSession, type Session } from "./session.js";
import { exchange, loadChecks, type Answer, type ApiError, type ApiResult, type ItemResult } from "./transport.js";
import type { ChangeEntry } from "../../../shared/src/schemas/api.js";

export type { ApiError, ApiResult, ItemResult };

/** The response checks of `responses.ts`. */
type Checks = Awaited<ReturnType<typeof loadChecks>>;
/** Picks the check an answer must pass from `responses.ts` once that module is loaded. */
export type PickCheck<T> = (checks: Checks) => Check<T>;

/** A collection the sync reads and writes, named by its route (`/v1/accounts`). */
export interface Collection {
  path: string;
  /** The route answers change times (`?keys=true`) and write stamps (`?stamps=true`). */
  changeTimes?: boolean;
}

/** The tenant's users and teams, as the directory routes answer them. */
export interface Directory {
  users: User[];
  teams: Team[];
}

/** The API's page size limit (functions LIST_MAX_LIMIT). */
export const LIST_PAGE_SIZE = 1000;

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

export class KamClient {
  /** Requests made (for the pane's summary and the bench). */
  requests = 0;
  /**
   * The pane's language (`zh` / `en`), sent as Accept-Language so the server's messages match the
   * pane; when unset, the browser's language.
   */
  language: string | undefined;
  private readonly session: () => Session | undefined;

  constructor(private readonly opts: ClientOptions = {}) {
    this.session = opts.session ?? getSession;
  }

  /** A request whose answer must pass the check `fits` picks from `responses.ts` (the shared schemas). */
  async checked<T>(fits: PickCheck<T>, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<ApiResult<T>> {
    const checks = loadChecks(); // in parallel with the request; a failed load is reported once the answer is in
    checks.catch(() => undefined);
    const r = await this.send(method, path, body, headers, signal);
    if (!r.ok) return r;
    let c: Checks;
    try {
      c = await checks;
    } catch (e) {
      return fail(0, "network", e instanceof Error ? e.message : String(e));
    }
    return fits(c)(r.value.json, r.value.status);
  }

  private async send(method: string, path: string, body: unknown, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<ApiResult<Answer>> {
    let s = this.session();
    if (!s) return fail(401, "unauthorized", "not signed in / 未登录");
    for (let attempt = 0; attempt < 2; attempt++) {
      this.requests++;
      let a: Answer;
      try {
        a = await exchange(s, { method, path, body, headers: { ...this.acceptLanguage(), ...headers }, signal, ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}) });
      } catch (e) {
        if (signal?.aborted) return fail(-1, "cancelled", "cancelled");
        return fail(0, "network", e instanceof Error ? e.message : String(e));
      }
      if (a.status === 401 && attempt === 0 && this.opts.refresh) {
        const fresh = await this.opts.refresh();
        if (fresh) { s = fresh; continue; }
      }
      if (!a.ok) return { ok: false, error: answerError(a) };
      return { ok: true, value: a };
    }
    return fail(401, "unauthorized", "token refused");
  }

  /** The pane's language as Accept-Language (the server's messages match the pane), else the browser's. */
  private acceptLanguage(): Record<string, string> {
    if (this.language) return { "accept-language": this.language === "zh" ? "zh-CN" : this.language === "en" ? "en-US" : this.language };
    return typeof navigator !== "undefined" && navigator.language ? { "accept-language": navigator.language } : {};
  }

  me() { return this.checked((c) => c.me, "GET", "/v1/me"); }
  users() { return this.checked((c) => c.usersPage, "GET", "/v1/users"); }
  /** The tenant's teams `{id, name}` (docs/contracts.md §9). */
  teams() { return this.checked((c) => c.teamsPage, "GET", "/v1/teams"); }

  /** Every page of a list route, each page checked by `page` (objects by default). */
  async listAll<T = Record<string, unknown>>(path: string, query: Record<string, string | undefined> = {}, page: PickCheck<{ items: unknown[]; next?: string }> = (c) => c.listPage): Promise<ApiResult<T[]>> {
    const out: T[] = [];
    let next: string | undefined;
    do {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
      q.set("limit", String(LIST_PAGE_SIZE));
      if (next) q.set("next", next);
      const r = await this.checked(page, "GET", `${path}?${q}`);
      if (!r.ok) return r;
      out.push(...(r.value.items as T[]));
      next = r.value.next;
    } while (next);
    return { ok: true, value: out };
  }

  // The sync's remote (sync/remote.ts SyncRemote) ---------------------------------------------
  list(collection: Collection, since?: string): Promise<ApiResult<Record<string, unknown>[]>> {
    return this.listAll(collection.path, since ? { since } : {});
  }

  /** Ids and change times of the items visible to the caller (or changed since the cursor). */
  changes(collection: Collection, since?: string): Promise<ApiResult<ChangeEntry[]>> {
    return this.listAll<ChangeEntry>(collection.path, { keys: "true", ...(since ? { since } : {}) }, (c) => c.changesPage);
  }

  async upsert(collection: Collection, items: Record<string, unknown>[], idempotencyKey: string, signal?: AbortSignal): Promise<ApiResult<ItemResult[]>> {
    const path = collection.changeTimes ? `${collection.path}?stamps=true` : collection.path;
    const r = await this.checked((c) => c.batchResults, "PUT", path, { items }, { "idempotency-key": idempotencyKey }, signal);
    return r.ok ? { ok: true, value: r.value.items } : r;
  }

  async tombstone(collection: Collection, id: string): Promise<ApiResult<void>> {
    const r = await this.checked((c) => c.tombstone, "DELETE", `${collection.path}/${encodeURIComponent(id)}`);
    return r.ok ? { ok: true, value: undefined } : r;
  }

  /** Users and teams; a store without the teams route answers its team ids as names. */
  async directory(): Promise<ApiResult<Directory>> {
    const [users, teams] = await Promise.all([this.users(), this.teams()]);
    if (!users.ok) return users;
    return { ok: true, value: { users: users.value.items, teams: teams.ok ? teams.value.items : [] } };
  }

  // Accounts --------------------------------------------------------------------------------
  accounts(query: { owner?: string } = {}) { return this.listAll<Account>("/v1/accounts", query); }
  history(id: string) { return this.checked((c) => c.page<HistoryEntry>(), "GET", `/v1/accounts/${encodeURIComponent(id)}/history`); }
  /** The recycle bin (回收站): every page of tombstones (directors all, managers their own; others 403). */
  listDeletedAccounts(query: { owner?: string } = {}) { return this.listAll<DeletedAccount>("/v1/accounts", { ...query, deleted: "true" }, (c) => c.deletedPage); }
  /** Restore a deleted account (directors): the account at version + 1; 409 if it is not deleted. */
  restoreAccount(id: string) {
    return this.checked((c) => c.object<Account>(), "POST", `/v1/accounts/${encodeURIComponent(id)}/restore`, undefined, { "idempotency-key": newKey() });
  }
  /** "Archive reviewed" (档案已复核): the store sets `lastReviewed` to today; the account as stored after it. */
  reviewAccount(id: string) {
    return this.checked((c) => c.object<Account & { reviewStale: boolean }>(), "POST", `/v1/accounts/${encodeURIComponent(id)}/review`, undefined, { "idempotency-key": newKey() });
  }
  handovers() { return this.checked((c) => c.page<HandoverRecord>(), "GET", "/v1/handovers"); }
  handover(body: { from: string; to: string; accountIds?: string[] }) {
    return this.checked((c) => c.object<HandoverRecord>(), "POST", "/v1/handovers", body, { "idempotency-key": newKey() });
  }

  // Targets ---------------------------------------------------------------------------------
  /** Targets are not paged (the route takes level / subject / period only). */
  async targets(query: { period?: string; level?: string; subject?: string } = {}): Promise<ApiResult<Target[]>> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
    const r = await this.checked((c) => c.page<Target>(), "GET", `/v1/targets${q.size ? `?${q}` : ""}`);
    return r.ok ? { ok: true, value: r.value.items } : r;
  }
  /** Set targets directly (directors: approved at once); one result per item, in order. */
  putTargets(items: TargetProposal[]) { return this.checked((c) => c.batchResults, "PUT", "/v1/targets", { items }); }
  target(id: string) { return this.checked((c) => c.object<Target>(), "GET", `/v1/targets/${encodeURIComponent(id)}`); }
  propose(targetId: string, body: TargetProposal) {
    return this.checked((c) => c.object<Target>(), "POST", `/v1/targets/${encodeURIComponent(targetId)}/proposals`, body, { "idempotency-key": newKey() });
  }
  decide(body: TargetDecision) {
    return this.checked((c) => c.object<Target>(), "POST", `/v1/targets/${encodeURIComponent(body.targetId)}/decisions`, body, { "idempotency-key": newKey() });
  }

  // Collections ----------------------------------------------------------------------
  collections(q: { scope: string; period: string; asOf?: string }) {
    const p = new URLSearchParams({ scope: q.scope, period: q.period, ...(q.asOf ? { asOf: q.asOf } : {}) });
    return this.checked((c) => c.object<CollectionReport>(), "GET", `/v1/collections?${p}`);
  }

}

export function newKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** The store could not be reached (the browser's own text, e.g. "Failed to fetch", only in English). */
export function unreachableMessage(lang: "zh" | "en", detail?: string): string {
  return lang === "zh" ? "无法连接服务器，请检查网络或服务地址" : `Cannot reach the store; check the network or the store address${detail ? ` (${detail})` : ""}`;
}

/**
 * One line for a MessageBar: message plus the first details. With `lang`, a failure to reach the
 * server (the browser's "Failed to fetch") reads in that language; a detail repeating the message
 * is not shown twice.
 */
export function describeApiError(e: ApiError, lang: "zh" | "en"): string {
  if (e.status === 0) return unreachableMessage(lang, e.message);
  const d = e.details.slice(0, 3).map((x) => (x.path ? `${x.path}: ${x.message}` : x.message));
  // A message that only repeats its first detail shows once, with the field it names.
  if (e.details[0] && e.details[0].message === e.message) return d.join(" · ");
  return [e.message, ...d].join(" · ");
}

/** The server's `{"error":{code,message,details}}` of a failed answer as an ApiError (the status and text when it is not that). */
function answerError(a: Answer): ApiError {
  const err = (a.json as { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } } | undefined)?.error;
  return { status: a.status, code: err?.code ?? String(a.status), message: err?.message ?? (a.text.slice(0, 300) || a.statusText), details: err?.details ?? [] };
}

function fail(status: number, code: string, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { status, code, message, details: [] } };
}
