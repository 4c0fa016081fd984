import { parseRolesClaim, type Principal } from "../../../shared/src/access.js";
import type { Session } from "../api/session.js";

/**
 * The signed-in user as the shared rights read them (role ids of docs/domain.md §1; no session: no
 * roles). Apart from `context.ts`, which the first page loads: the shared rights module brings the
 * schema library with it, which only the later pages need.
 */
export function principalOf(s: Session | undefined): Pick<Principal, "roles" | "userId"> {
  return { roles: parseRolesClaim(s?.user?.roles ?? []), userId: s?.user?.id ?? "" };
}
