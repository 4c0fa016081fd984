import type { Team } from "../../../shared/src/schemas/team.js";
import type { StoreContext } from "./client.js";
import { listAllEntities, type Doc, type EntityType, type StoredEntity } from "./entity.js";

/**
 * The tenant's teams (docs/contracts.md §9): entity `TEAM`, one item per team id holding its name.
 * Membership stays on the user (`UserDoc.team`).
 */
export const TEAM: EntityType = { code: "TEAM" };

export type TeamDoc = Doc & { name: string };

export async function listTeams(ctx: StoreContext, tenant: string): Promise<StoredEntity<TeamDoc>[]> {
  const all = await listAllEntities<TeamDoc>(ctx, TEAM, tenant);
  return all.filter((t) => !t.deleted).sort((a, b) => a.id.localeCompare(b.id));
}

export function presentTeam(t: StoredEntity<TeamDoc>): Team {
  return { id: t.id, name: t.data.name };
}
