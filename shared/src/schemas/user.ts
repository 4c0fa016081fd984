import { z } from "zod";
import { ROLES } from "../labels.js";
import { IdSchema, TEXT_LIMITS, enumId, requiredText } from "./common.js";

/**
 * The tenant's user directory (CONTRACTS "Identity, roles, teams"): `GET/PUT /v1/users`.
 * A team is the set of users sharing a `team` id.
 */
const rolesList = z
  .array(enumId(ROLES))
  .max(ROLES.ids.length)
  .refine((roles) => new Set(roles).size === roles.length, { message: "roles must not repeat" });

export const UserSchema = z.strictObject({
  id: IdSchema,
  name: requiredText(TEXT_LIMITS.short),
  roles: rolesList,
  team: IdSchema.optional(),
});
export type User = z.infer<typeof UserSchema>;

/** One item of `PUT /v1/users`: id plus any subset; `team: null` removes the user from their team. */
export const UserWriteSchema = z.strictObject({
  id: IdSchema,
  name: requiredText(TEXT_LIMITS.short).optional(),
  roles: rolesList.optional(),
  team: IdSchema.nullable().optional(),
});
export type UserWrite = z.infer<typeof UserWriteSchema>;
