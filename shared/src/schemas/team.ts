import * as z from "zod/mini";

/**
 * A team of the tenant (docs/contracts.md §9): `GET/PUT /v1/teams` `{id, name}`. Users carry the
 * team id (`UserSchema.team`); pickers, sheets and messages show the name. Names are unique in a
 * tenant (a `team:<name>` scope must name one team).
 */
export const TeamSchema = z.strictObject({
  id: z.string().check(
    z.minLength(1),
    z.maxLength(128),
    z.regex(/^[^\s#/\\?%\p{Cc}]+$/u, { message: "id must not contain spaces or any of # / \\ ? %" }),
  ),
  name: z.string().check(
    z.maxLength(100),
    z.refine((s) => s.trim().length > 0, { message: "must not be empty" }),
  ),
});
export type Team = z.infer<typeof TeamSchema>;
