import * as z from "zod/mini";

/**
 * Per-field change metadata and the recycle bin (docs/contracts.md §8: conflicts carry who last
 * changed a field and when; "Recycle bin").
 *
 * `lastChanged` maps a field key to the last accepted write that changed it. Keys are top-level
 * field ids (`phone`, `owner`, `competitors` …) and one key per contact, `contacts[<contactId>]`
 * (any change inside that contact, its `personal` details included, counts for the contact).
 * While an account is deleted, `deleted` records who deleted it. The entries hold user ids and
 * times only — never a field's value — so every role that may read the account gets them for the
 * fields it may see, including roles that cannot read history.
 */

const ID_MAX = 128;

export const LastChangeSchema = z.strictObject({
  /** User id of the author of the write. */
  by: z.string().check(z.minLength(1), z.maxLength(ID_MAX)),
  /** That user's name in the tenant's directory, where the answer resolved it. */
  byName: z.optional(z.string().check(z.maxLength(200))),
  at: z.iso.datetime({ offset: true }),
});
export type LastChange = z.infer<typeof LastChangeSchema>;

export const LastChangedSchema = z.record(z.string().check(z.minLength(1), z.maxLength(300)), LastChangeSchema);
export type LastChanged = z.infer<typeof LastChangedSchema>;

/**
 * The `lastChanged` key of a history change path: `contacts[c1].personal.birthday` →
 * `contacts[c1]`, `contacts#order` → `contacts`, `address` → `address`.
 */
export function lastChangedKey(field: string): string {
  // Most changes are of a plain top-level field (every field of a create): no pattern needed.
  if (!field.includes(".") && !field.includes("[") && !field.includes("#")) return field;
  const m = /^([^.[#]+)(\[[^\]]*\])?/.exec(field);
  if (!m) return field;
  const [, head = field, index] = m;
  return index && head === "contacts" ? `${head}${index}` : head;
}

/**
 * The `lastChanged` keys one history change touches: its `lastChangedKey`, except that a change of
 * the whole contact list (created, cleared) touches each contact it adds or removes.
 */
export function lastChangedKeys(change: { field: string; old?: unknown; new?: unknown }): string[] {
  if (change.field !== "contacts") return [lastChangedKey(change.field)];
  const ids = new Set<string>();
  for (const list of [change.old, change.new]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) if (typeof c === "object" && c !== null && typeof (c as { id?: unknown }).id === "string") ids.add((c as { id: string }).id);
  }
  return ids.size === 0 ? ["contacts"] : [...ids].map((id) => `contacts[${id}]`);
}

/** The entries a reader seeing only some fields may get (e.g. finance: `name`, `owner`). */
export function pickLastChanged(lastChanged: LastChanged, keep: (key: string) => boolean): LastChanged {
  const out: LastChanged = {};
  for (const [k, v] of Object.entries(lastChanged)) if (keep(k)) out[k] = v;
  return out;
}

/** One tombstone of `GET /v1/accounts?deleted=true` (回收站). */
export const DeletedAccountSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(ID_MAX)),
  name: z.string().check(z.maxLength(200)),
  owner: z.string().check(z.maxLength(ID_MAX)),
  deletedBy: z.string().check(z.maxLength(ID_MAX)),
  /** The deleting user's name in the directory, when known. */
  deletedByName: z.optional(z.string().check(z.maxLength(200))),
  deletedAt: z.iso.datetime({ offset: true }),
  /** The tombstone's version; a restore writes version + 1. */
  version: z.number().check(z.int(), z.minimum(0)),
});
export type DeletedAccount = z.infer<typeof DeletedAccountSchema>;

/** A deleted entity as `DELETE` answers it and as a `since` list carries it. */
export const TombstoneSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(ID_MAX)),
  version: z.number().check(z.int(), z.minimum(0)),
  deleted: z.literal(true),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Tombstone = z.infer<typeof TombstoneSchema>;
