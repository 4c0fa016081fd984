import { parseRolesClaim, type Principal } from "../../../shared/src/access.js";
import { IdSchema, TEXT_LIMITS } from "../../../shared/src/schemas/common.js";
import { httpErrors } from "./errors.js";

export type { Principal };

/** The claims object exactly where API Gateway's JWT authorizer puts it. */
export type JwtClaims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * Claims → principal (docs/contracts.md §5.1): tenant = `tid`, user = `oid` ?? `sub`, `name`, roles from the
 * `roles` claim (array or API Gateway's "[Director Manager]" string). The claims were verified by
 * the authorizer (or the local adapter) — nothing here trusts anything else in the request.
 * Missing tenant or user → undefined (401).
 */
export function principalFromClaims(claims: JwtClaims | undefined): Principal | undefined {
  if (!claims) return undefined;
  const tenant = typeof claims.tid === "string" ? claims.tid : undefined;
  const user = typeof claims.oid === "string" && claims.oid !== "" ? claims.oid : typeof claims.sub === "string" ? claims.sub : undefined;
  if (!tenant || !user) return undefined;
  // Ids end up inside store keys: reject anything that could break a key.
  if (!IdSchema.safeParse(tenant).success || !IdSchema.safeParse(user).success) return undefined;
  const rawName =
    typeof claims.name === "string" && claims.name.trim() !== ""
      ? claims.name
      : typeof claims.preferred_username === "string"
        ? claims.preferred_username
        : user;
  return {
    tenant,
    userId: user,
    name: rawName.slice(0, TEXT_LIMITS.short),
    roles: parseRolesClaim(claims.roles),
  };
}

/** Auth step: the principal of the verified JWT's claims, else 401. The tenant comes from the token only. */
export function authenticate(claims: JwtClaims | undefined): Principal {
  const principal = principalFromClaims(claims);
  if (!principal) throw httpErrors.unauthorized();
  return principal;
}
