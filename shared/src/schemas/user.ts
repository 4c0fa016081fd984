import * as z from "zod/mini";
import { ROLES } from "../labels.js";
import { IdSchema, TEXT_LIMITS, enumId, requiredText } from "./common.js";
import { says } from "./messages.js";

/**
 * The tenant's user directory (docs/contracts.md §5): `GET/PUT /v1/users`.
 * A team is the set of users sharing a `team` id.
 */
const rolesList = z
  .array(enumId(ROLES))
  .check(z.maxLength(ROLES.ids.length), z.refine((roles) => new Set(roles).size === roles.length, says("角色不能重复", "roles must not repeat")));

export const UserSchema = z.strictObject({
  id: IdSchema,
  name: requiredText(TEXT_LIMITS.short),
  roles: rolesList,
  team: z.optional(IdSchema),
});
export type User = z.infer<typeof UserSchema>;

/** One item of `PUT /v1/users`: id plus any subset; `team: null` removes the user from their team. */
export const UserWriteSchema = z.strictObject({
  id: IdSchema,
  name: z.optional(requiredText(TEXT_LIMITS.short)),
  roles: z.optional(rolesList),
  team: z.optional(z.nullable(IdSchema)),
});
export type UserWrite = z.infer<typeof UserWriteSchema>;

/**
 * `GET /v1/me`: the caller as the token names them (id, name, tenant, roles as given) and their
 * team in the directory, when they have one.
 */
export const MeSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  tenant: z.string().check(z.minLength(1)),
  roles: z.array(z.string()),
  team: z.optional(z.string()),
});
export type Me = z.infer<typeof MeSchema>;
