import type { Bilingual } from "../../../shared/src/errors.js";
import { resolveScopeNames } from "../../../shared/src/scopes.js";
import type { CollectionScope } from "../../../shared/src/schemas/api.js";
import { ACCOUNT, type AccountDoc } from "./accounts.js";
import type { StoreContext } from "./client.js";
import { getEntity, readIndexAll, type Doc, type EntityType, type StoredEntity } from "./entity.js";
import { GSI_CHANGES, GSI_OWNER, keys } from "./table.js";
import { listTeams } from "./teams.js";
import { USER, getUsers, type UserDoc } from "./users.js";

/**
 * Generic reads over the entity store's indexes, shared by every route group: account directory
 * entries, the documents of one account or of one entity type, and collection scopes resolved to
 * their accounts. Each is a Query on GSI1 (by entity) or GSI2 (by owner / account), all pages.
 */

// ---------------------------------------------------------------------------------------------
// Account directory entries (id, name, owner) — projected reads

export interface AccountRef {
  id: string;
  name: string;
  owner: string;
  /** docs/domain.md §3.1 strategic flag (visit cadence). */
  strategic: boolean;
}

const REF_PROJECTION = { ProjectionExpression: "id, deleted, #d.#n, #d.#o, #d.#s", names: { "#d": "data", "#n": "name", "#o": "owner", "#s": "strategic" } };

function refsOf(items: Record<string, unknown>[]): AccountRef[] {
  return items
    .filter((i) => i.deleted !== true)
    .map((i) => {
      const d = (i.data ?? {}) as { name?: string; owner?: string; strategic?: boolean };
      return { id: i.id as string, name: d.name ?? "", owner: d.owner ?? "", strategic: d.strategic === true };
    });
}

/** All live accounts of a tenant as {id, name, owner} (GSI1 or GSI2 entries, items projected). */
export async function listAccountRefs(ctx: StoreContext, tenant: string, owner?: string): Promise<AccountRef[]> {
  const items = await readIndexAll(ctx, {
    index: owner === undefined ? GSI_CHANGES : GSI_OWNER,
    partition: owner === undefined ? keys.changesPk(tenant, ACCOUNT.code) : keys.ownerPk(tenant, ACCOUNT.code, owner),
    projection: { expression: REF_PROJECTION.ProjectionExpression, names: REF_PROJECTION.names },
  });
  return refsOf(items);
}

/** The directory entry of a stored account. */
export function accountRefOf(e: StoredEntity<Doc>): AccountRef {
  return { id: e.id, name: String(e.data.name ?? ""), owner: String(e.data.owner ?? ""), strategic: e.data.strategic === true };
}

export type AccountLookup =
  | { ok: true; ref: AccountRef; /** the stored account when found by id */ stored?: StoredEntity<AccountDoc> }
  | { ok: false; reason: "notFound" }
  | { ok: false; reason: "ambiguous"; count: number };

/**
 * The one account resolver of the scopes, `KAM.ACCOUNT`/`ARCHIVE`/`HEALTH` and `?account=`: a live
 * account by id (GetItem); with `byName` (docs/contracts.md §11: a bare string is an account id,
 * else an exact account name), a string that is no live account id is looked up among the names
 * (Query ACC GSI1, projected). Each caller words not-found and ambiguous itself.
 */
export async function lookupAccount(ctx: StoreContext, tenant: string, ref: string, byName: boolean): Promise<AccountLookup> {
  const byId = await getEntity<AccountDoc>(ctx, ACCOUNT, tenant, ref, { repair: false });
  if (byId && !byId.deleted) return { ok: true, ref: accountRefOf(byId), stored: byId };
  if (!byName) return { ok: false, reason: "notFound" };
  const named = (await listAccountRefs(ctx, tenant)).filter((a) => a.name === ref.trim());
  const [only] = named;
  if (!only) return { ok: false, reason: "notFound" };
  if (named.length > 1) return { ok: false, reason: "ambiguous", count: named.length };
  return { ok: true, ref: only };
}

/** Documents of one entity indexed on GSI2 by account (contracts, payments, visits). */
export async function listByAccount<D extends Doc>(ctx: StoreContext, type: EntityType, tenant: string, accountId: string): Promise<StoredEntity<D>[]> {
  const items = await readIndexAll(ctx, { index: GSI_OWNER, partition: keys.ownerPk(tenant, type.code, accountId) });
  return items.filter((i) => i.deleted !== true).map(entityOf<D>);
}

/** Every live document of one entity of the tenant (GSI1, all pages). */
export async function listAllOf<D extends Doc>(ctx: StoreContext, type: EntityType, tenant: string): Promise<StoredEntity<D>[]> {
  const items = await readIndexAll(ctx, { index: GSI_CHANGES, partition: keys.changesPk(tenant, type.code) });
  return items.filter((i) => i.deleted !== true).map(entityOf<D>);
}

function entityOf<D extends Doc>(i: Record<string, unknown>): StoredEntity<D> {
  return {
    id: i.id as string,
    version: i.version as number,
    data: (i.data ?? {}) as D,
    updatedAt: i.updatedAt as string,
    updatedBy: i.updatedBy as string,
    changedAt: i.changedAt as number,
    deleted: i.deleted === true,
    outbox: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Collection scopes

export type ScopeResolution =
  | { ok: true; accounts: AccountRef[]; /** the scope names one account */ single: boolean; /** the scope with names replaced by ids */ scope: CollectionScope }
  | { ok: false; reason: "notFound" | "ambiguous"; message: string; bilingual: Bilingual };

function notResolved(reason: "notFound" | "ambiguous", bilingual: Bilingual): ScopeResolution {
  return { ok: false, reason, message: bilingual.en, bilingual };
}

/**
 * The tenant's accounts for a scope (docs/contracts.md §11 grammar), as {id, name, owner}.
 * `owner:` and `team:` take a name too, resolved by the shared rule (shared/src/scopes.ts); an
 * unknown or ambiguous name is not resolved, and neither is an unknown user id.
 */
export async function resolveScope(ctx: StoreContext, tenant: string, scope: CollectionScope): Promise<ScopeResolution> {
  switch (scope.kind) {
    case "all":
      return { ok: true, accounts: await listAccountRefs(ctx, tenant), single: false, scope };
    case "owner": {
      let resolved: CollectionScope = scope;
      if (!(await getUsers(ctx, tenant, [scope.id])).has(scope.id)) {
        const users = (await listAllOf<UserDoc>(ctx, USER, tenant)).filter((u) => !u.deleted).map((u) => ({ id: u.id, name: u.data.name }));
        const r = resolveScopeNames(scope, users, []);
        if (!r.ok) return notResolved(r.reason === "ambiguous" ? "ambiguous" : "notFound", r.message);
        resolved = r.scope;
      }
      const owner = resolved.kind === "owner" ? resolved.id : scope.id;
      return { ok: true, accounts: await listAccountRefs(ctx, tenant, owner), single: false, scope: resolved };
    }
    case "team": {
      const [users, teams] = await Promise.all([listAllOf<UserDoc>(ctx, USER, tenant), listTeams(ctx, tenant)]);
      const live = users.filter((u) => !u.deleted);
      const r = resolveScopeNames(scope, live.map((u) => ({ id: u.id, name: u.data.name, team: u.data.team })), teams.map((x) => ({ id: x.id, name: x.data.name })));
      if (!r.ok) return notResolved(r.reason === "ambiguous" ? "ambiguous" : "notFound", r.message);
      const team = r.scope.kind === "team" ? r.scope.id : scope.id;
      const members = new Set(live.filter((u) => u.data.team === team).map((u) => u.id));
      // A named team nobody is in yet is an empty scope, not an unknown one.
      const all = members.size === 0 ? [] : await listAccountRefs(ctx, tenant);
      return { ok: true, accounts: all.filter((a) => members.has(a.owner)), single: false, scope: r.scope };
    }
    case "account":
    case "accountRef": {
      const ref = scope.kind === "account" ? scope.id : scope.ref;
      const found = await lookupAccount(ctx, tenant, ref, scope.kind === "accountRef");
      if (found.ok) return { ok: true, accounts: [found.ref], single: true, scope: found.stored ? scope : { kind: "account", id: found.ref.id } };
      if (scope.kind === "account") return notResolved("notFound", { zh: `没有客户 ${ref}`, en: `no account ${ref}` });
      if (found.reason === "notFound") return notResolved("notFound", { zh: `没有编号或名称为“${ref}”的客户`, en: `no account with id or name ${ref}` });
      return notResolved("ambiguous", { zh: `有 ${found.count} 个客户名为“${ref}”，请改用 account:<客户编号>`, en: `${found.count} accounts are named ${ref}; use account:<id>` });
    }
  }
}
