import { canManageUsers } from "../../../shared/src/access.js";
import { UserSchema, UserWriteSchema, type UserWrite } from "../../../shared/src/schemas/user.js";
import { validate } from "../../../shared/src/schemas/validation.js";
import { httpErrors } from "../http/errors.js";
import { json, route } from "../edge/route.js";
import { storeContext } from "../store/client.js";
import { mergeDocument, upsertBatch } from "../store/entity.js";
import { listUsers, presentUser, USER, type UserDoc } from "../store/users.js";
import { batchUpsert, writeOptions } from "./batch.js";

/**
 * The user directory (docs/contracts.md §5). Every signed-in role reads it (owner
 * pickers, team views); admins and directors write it. The write form has no `version`: each
 * item is based on the version just read (still a conditional write).
 */
export const handler = route({
  "GET /v1/users": async (req) => {
    const users = await listUsers(storeContext(), req.principal.tenant);
    return json(200, { items: users.filter((u) => !u.deleted).map(presentUser) });
  },
  "PUT /v1/users": async (req) => {
    const p = req.principal;
    if (!canManageUsers(p)) throw httpErrors.forbidden({ zh: "只有管理员和总监可以管理用户", en: "only admins and directors manage users" });
    return batchUpsert(req, UserWriteSchema, (items) => upsertBatch<UserWrite & { version?: number }, UserDoc>(
      storeContext(),
      USER,
      p.tenant,
      { id: p.userId },
      items,
      {
        forbidden: () => undefined,
        merge(existing, input) {
          const r = validate(UserSchema, { id: input.id, ...mergeDocument(existing?.data, input) }, req.lang);
          if (!r.ok) return r;
          const { id: _i, ...doc } = r.value;
          return { ok: true, value: doc as UserDoc };
        },
        present: presentUser,
      },
      { lastWriterWins: true, ...writeOptions(req) },
    ));
  },
});
