import type { Principal } from "../../../shared/src/access.js";
import type { Role } from "../../../shared/src/labels.js";
import type { StoreContext } from "./client.js";
import { commitChange, getEntities, getEntity, listAllEntities, type EntityType, type StoredEntity } from "./entity.js";

/**
 * The tenant's user directory (docs/contracts.md §5): entity `USER`, one item per
 * user `{name, roles, team?}`. A user is registered by their first authenticated request with the
 * name and roles of their token.
 */
export const USER: EntityType = { code: "USER" };

export interface UserDoc {
  [k: string]: unknown;
  name: string;
  roles: Role[];
  team?: string;
}

/** Users already known to exist, per store client (saves a GetItem per request). */
const registered = new WeakMap<object, Set<string>>();
/** Most remembered registrations per process before the cache is reset. */
export const REGISTRATION_CACHE_MAX = 10_000;

/** Register the caller on first sight (any route); never changes an existing directory entry. */
export async function ensureRegistered(ctx: StoreContext, p: Principal): Promise<void> {
  const cacheKey = `${ctx.table}\u0000${p.tenant}\u0000${p.userId}`;
  let seen = registered.get(ctx.doc);
  if (!seen) registered.set(ctx.doc, (seen = new Set()));
  if (seen.has(cacheKey)) return;
  const existing = await getEntity(ctx, USER, p.tenant, p.userId, { repair: false });
  if (!existing) {
    const data: UserDoc = { name: p.name, roles: [...p.roles] };
    // A concurrent first request may win the race; either way the user exists afterwards.
    await commitChange(ctx, USER, p.tenant, p.userId, undefined, { data, by: p.userId, op: "create" });
  }
  if (seen.size >= REGISTRATION_CACHE_MAX) seen.clear();
  seen.add(cacheKey);
}

export async function getUsers(ctx: StoreContext, tenant: string, ids: readonly string[]): Promise<Map<string, StoredEntity<UserDoc>>> {
  const found = await getEntities<UserDoc>(ctx, USER, tenant, ids, { repair: false });
  for (const [id, u] of found) if (u.deleted) found.delete(id);
  return found;
}

export async function listUsers(ctx: StoreContext, tenant: string): Promise<StoredEntity<UserDoc>[]> {
  const all = await listAllEntities<UserDoc>(ctx, USER, tenant);
  return all.sort((a, b) => a.id.localeCompare(b.id));
}

/** The directory entry as the API shows it (UserSchema). */
export function presentUser(u: StoredEntity<UserDoc>): { id: string; name: string; roles: Role[]; team?: string } {
  const out: { id: string; name: string; roles: Role[]; team?: string } = { id: u.id, name: u.data.name, roles: u.data.roles };
  if (u.data.team !== undefined) out.team = u.data.team;
  return out;
}
