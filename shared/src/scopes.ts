import { isOwner, type ListView, type Principal } from "./access.js";
import type { Bilingual, Lang } from "./errors.js";
import type { CollectionScope } from "./schemas/api.js";

/**
 * Collection scopes by name (docs/contracts.md §11, §9): `owner:` and `team:` take an id
 * or a name. The pane, `KAM.COLLECTION` (through `/v1/eval`) and `GET /v1/collections` resolve a
 * name here, against the tenant's user directory and teams, so all three agree:
 *
 * - an id wins: `owner:m-li` is the user `m-li` even if someone is named "m-li";
 * - else the name must belong to exactly one user (team): `owner:李明` → `owner:m-li`;
 * - two users (teams) with that name → ambiguous; none → unknown. Both name the `scope` and say
 *   what to type instead.
 *
 * A team id is known when the teams list or any user carries it. Names compare after trimming
 * and NFKC (full-width letters and digits as half-width), case-sensitively.
 */
export interface ScopeUser {
  id: string;
  name: string;
  team?: string | undefined;
}
export interface DirectoryTeam {
  id: string;
  name: string;
}

export type ScopeResolution =
  | { ok: true; scope: CollectionScope }
  | { ok: false; reason: "unknown" | "ambiguous"; path: "scope"; message: Bilingual };

function norm(s: string): string {
  return s.normalize("NFKC").trim();
}

/** Replace a name in `owner:` / `team:` by its id; other scopes pass through unchanged. */
export function resolveScopeNames(scope: CollectionScope, users: readonly ScopeUser[], teams: readonly DirectoryTeam[]): ScopeResolution {
  if (scope.kind === "owner") {
    const key = norm(scope.id);
    if (users.some((u) => u.id === key)) return { ok: true, scope: { kind: "owner", id: key } };
    const named = users.filter((u) => norm(u.name) === key);
    const [only] = named;
    if (only && named.length === 1) return { ok: true, scope: { kind: "owner", id: only.id } };
    if (named.length > 1) {
      return bad("ambiguous", { zh: `有 ${named.length} 位用户名为“${key}”，请改用 owner:<用户编号>`, en: `${named.length} users are named "${key}"; use owner:<user id>` });
    }
    return bad("unknown", { zh: `用户目录中没有“${key}”（owner: 后应为用户姓名或编号）`, en: `no user "${key}" in the directory (owner: takes a user's name or id)` });
  }
  if (scope.kind === "team") {
    const key = norm(scope.id);
    if (teams.some((t) => t.id === key) || users.some((u) => u.team === key)) return { ok: true, scope: { kind: "team", id: key } };
    const named = teams.filter((t) => norm(t.name) === key);
    const [only] = named;
    if (only && named.length === 1) return { ok: true, scope: { kind: "team", id: only.id } };
    if (named.length > 1) {
      return bad("ambiguous", { zh: `有 ${named.length} 个团队名为“${key}”，请改用 team:<团队编号>`, en: `${named.length} teams are named "${key}"; use team:<team id>` });
    }
    return bad("unknown", { zh: `没有团队“${key}”（team: 后应为团队名称或编号）`, en: `no team "${key}" (team: takes a team's name or id)` });
  }
  return { ok: true, scope };
}

function bad(reason: "unknown" | "ambiguous", message: Bilingual): ScopeResolution {
  return { ok: false, reason, path: "scope", message };
}

/** A scope as a person reads it (names, never ids where a name is known): `团队 华东`, `Manager 李明`. */
export function scopeLabel(scope: CollectionScope, users: readonly ScopeUser[], teams: readonly DirectoryTeam[], lang: Lang, accountName?: string): string {
  const zh = lang === "zh";
  switch (scope.kind) {
    case "all":
      return zh ? "全部客户" : "All accounts";
    case "owner":
      return `${zh ? "经理" : "Manager"} ${users.find((u) => u.id === scope.id)?.name ?? scope.id}`;
    case "team":
      return `${zh ? "团队" : "Team"} ${teams.find((t) => t.id === scope.id)?.name ?? scope.id}`;
    case "account":
      return `${zh ? "客户" : "Account"} ${accountName ?? scope.id}`;
    case "accountRef":
      return `${zh ? "客户" : "Account"} ${accountName ?? scope.ref}`;
  }
}

/**
 * The manager scope rule (collections, `KAM.COLLECTION`, health lists): a caller whose view is
 * "own" may ask for their own `owner:` scope, any multi-account scope (they then see only their
 * accounts of it — `visibleAccounts`), or one account they own. `foreignOwner`: another manager's
 * `owner:` scope; `foreignAccount`: one account they do not own. `single` says the scope names one
 * account, `accounts` its resolved accounts.
 */
export function managerScopeReach(
  p: Pick<Principal, "roles" | "userId">,
  scope: CollectionScope,
  single: boolean,
  accounts: readonly { owner?: string }[],
): "inside" | "foreignOwner" | "foreignAccount" {
  if (scope.kind === "owner") return scope.id !== p.userId ? "foreignOwner" : "inside";
  return single && !isOwner(p, accounts[0]) ? "foreignAccount" : "inside";
}

/** Which accounts of a resolved scope a caller's view keeps ("own": the accounts they own). */
export function visibleAccounts<A extends { owner?: string }>(p: Pick<Principal, "roles" | "userId">, view: ListView, accounts: readonly A[]): A[] {
  if (view === "all") return [...accounts];
  if (view === "none") return [];
  return accounts.filter((a) => isOwner(p, a));
}
