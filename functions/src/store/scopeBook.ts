import type { Principal } from "../../../shared/src/access.js";
import type { Bilingual } from "../../../shared/src/errors.js";
import type { CollectionScope } from "../../../shared/src/schemas/api.js";
import { managerScopeReach, visibleAccounts } from "../../../shared/src/scopes.js";
import type { StoreContext } from "./client.js";
import { readBook, type FinanceBook } from "./finance.js";
import { resolveScope, type AccountRef } from "./queries.js";

/**
 * The one resolver of a collection scope for a caller, used by `GET /v1/collections` and
 * `KAM.COLLECTION` (`/v1/eval`): resolve the scope (names → ids), apply the caller's collections
 * view (`collectionsViewOf`, asked by the caller; "none" is refused before this) and the manager
 * scope rule, then read the book of the accounts the caller keeps. Each edge words the refusals.
 */
export type ScopeBook =
  | { ok: true; scope: CollectionScope; accounts: AccountRef[]; single: boolean; book: FinanceBook }
  | { ok: false; reason: "notFound" | "ambiguous"; bilingual: Bilingual }
  | { ok: false; reason: "foreign" };

export async function readScopeBook(ctx: StoreContext, p: Principal, view: "all" | "own", scope: CollectionScope): Promise<ScopeBook> {
  const r = await resolveScope(ctx, p.tenant, scope);
  if (!r.ok) return { ok: false, reason: r.reason, bilingual: r.bilingual };
  if (view === "own" && managerScopeReach(p, r.scope, r.single, r.accounts) !== "inside") return { ok: false, reason: "foreign" };
  const accounts = visibleAccounts(p, view, r.accounts);
  return { ok: true, scope: r.scope, accounts, single: r.single, book: await readBook(ctx, p.tenant, accounts, r.single) };
}
