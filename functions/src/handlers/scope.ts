import type { Bilingual, Lang } from "../../../shared/src/errors.js";
import type { CollectionScope } from "../../../shared/src/schemas/api.js";
import { httpErrors } from "../http/errors.js";
import type { StoreContext } from "../store/client.js";
import { resolveScope, type ScopeResolution } from "../store/queries.js";

/**
 * A collection scope resolved to its accounts for a route: an ambiguous name is a 400, an unknown
 * account, owner or team a 404 — both naming `scope`, in `lang`.
 */
export async function resolveRouteScope(ctx: StoreContext, tenant: string, scope: CollectionScope, lang: Lang): Promise<Extract<ScopeResolution, { ok: true }>> {
  const r = await resolveScope(ctx, tenant, scope);
  if (r.ok) return r;
  throw unresolvedScope(r, lang);
}

/** The answer to a scope that named no account, owner or team, or an ambiguous name. */
export function unresolvedScope(r: { reason: "notFound" | "ambiguous"; bilingual: Bilingual }, lang: Lang): Error {
  const details = [{ path: "scope", message: r.bilingual[lang] }];
  return r.reason === "ambiguous" ? httpErrors.badRequest(r.bilingual, details) : httpErrors.notFound(r.bilingual, details);
}
