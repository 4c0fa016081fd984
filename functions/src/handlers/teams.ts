import { canManageUsers } from "../../../shared/src/access.js";
import { teamNameClashes } from "../../../shared/src/recordWrites.js";
import { TeamSchema, type Team } from "../../../shared/src/schemas/team.js";
import { httpErrors } from "../http/errors.js";
import { json, route } from "../edge/route.js";
import { storeContext } from "../store/client.js";
import { upsertBatch, type UpsertResult } from "../store/entity.js";
import { TEAM, listTeams, presentTeam, type TeamDoc } from "../store/teams.js";
import { batchUpsert, writeOptions } from "./batch.js";

/**
 * Teams (docs/contracts.md §9). Every signed-in role reads them (pickers, sheets show names);
 * admins and directors write them. `PUT` items are `{id, name}`, based on the version just read;
 * a name another team already has is a per-item `invalid` on `name` (a `team:<name>` scope must
 * name one team).
 */
export const handler = route({
  "GET /v1/teams": async (req) => {
    const teams = await listTeams(storeContext(), req.principal.tenant);
    return json(200, { items: teams.map(presentTeam) });
  },
  "PUT /v1/teams": async (req) => {
    const p = req.principal;
    if (!canManageUsers(p)) {
      throw httpErrors.forbidden(req.lang === "zh" ? "只有管理员和总监可以维护团队" : "only admins and directors manage teams");
    }
    return batchUpsert(req, TeamSchema, async (items) => {
      const ctx = storeContext();
      const stored = await listTeams(ctx, p.tenant);
      const clashes = teamNameClashes(stored.map((t) => ({ id: t.id, name: t.data.name })), items, req.lang);
      const results: UpsertResult[] = new Array(items.length);
      const accepted: { index: number; item: Team }[] = [];
      items.forEach((item, index) => {
        const clash = clashes[index];
        if (clash) results[index] = { id: item.id, status: "invalid", errors: [clash] };
        else accepted.push({ index, item });
      });
      const written = await upsertBatch<Team & { version?: number }, TeamDoc>(
        ctx,
        TEAM,
        p.tenant,
        { id: p.userId },
        accepted.map((v) => ({ id: v.item.id, name: v.item.name.trim() })),
        {
          forbidden: () => undefined,
          merge: (_existing, input) => ({ ok: true, value: { name: input.name } }),
          present: presentTeam,
        },
        { lastWriterWins: true, ...writeOptions(req) },
      );
      accepted.forEach((v, i) => (results[v.index] = written[i] as UpsertResult));
      return results;
    });
  },
});
