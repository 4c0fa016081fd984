import type { Me } from "../../../shared/src/schemas/user.js";
import { json, route } from "../edge/route.js";
import { storeContext } from "../store/client.js";
import { getEntity } from "../store/entity.js";
import { USER, type UserDoc } from "../store/users.js";

/** `GET /v1/me` → the caller: user id, name, tenant, roles (from the token), team (directory). */
export const handler = route({
  "GET /v1/me": async (req) => {
    const p = req.principal;
    const entry = await getEntity<UserDoc>(storeContext(), USER, p.tenant, p.userId, { repair: false });
    const me: Me = {
      id: p.userId,
      name: p.name,
      tenant: p.tenant,
      roles: [...p.roles],
      ...(entry?.data.team !== undefined ? { team: entry.data.team } : {}),
    };
    return json(200, me);
  },
});
