import type { Lang } from "../../../shared/src/errors.js";
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
  const details = [{ path: "scope", message: r.bilingual[lang] }];
  throw r.reason === "ambiguous" ? httpErrors.badRequest(r.bilingual, details) : httpErrors.notFound(r.bilingual, details);
}
