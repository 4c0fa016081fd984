import { z } from "zod";
import { ACCOUNT_FIELDS, AccountContentSchema, type Account, type AccountContent, type AccountWrite, type Contact, type ContactWrite } from "./account.js";
import { IdSchema } from "./common.js";
import { zodIssuesToDetails, type ErrorDetail, type Validated } from "./validation.js";
import type { FieldChange } from "./api.js";

/**
 * Upsert merge semantics (CONTRACTS "Writes"):
 * - a field present in the write replaces the stored one; a field absent keeps the stored one;
 *   `null` clears it (required fields cannot be `null` — the write schema rejects that);
 * - `id` and `version` are not content: `version` is the base the client edited, checked by the
 *   store, which then stores `version + 1`;
 * - accounts: `contacts` merge by contact id (a contact's fields merge the same way, its
 *   `personal` object too, `personal: null` clears it, `deleted: true` removes the contact);
 *   `contacts: null` clears the decision chain; `competitors` / `followUps` replace whole lists;
 * - the merged result is validated against the full schema, so a new item missing a required field,
 *   or a new contact without `role`, is `invalid`, with paths pointing into the write.
 */

const WRITE_META = new Set(["id", "version"]);

/** Merge a write into a stored item (generic entities: contracts, payments, visits, users). The result has no `version`. */
export function mergeWrite(existing: Record<string, unknown> | undefined, write: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(existing ?? {})) if (k !== "version") out[k] = v;
  for (const [k, v] of Object.entries(write)) {
    if (k === "version" || v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = v;
  }
  out.id = write.id;
  return out;
}

function mergePersonal(existing: Contact["personal"], write: ContactWrite["personal"]): Contact["personal"] {
  if (write === undefined) return existing;
  if (write === null) return undefined;
  const out: Record<string, string> = { ...(existing ?? {}) };
  for (const [k, v] of Object.entries(write)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function mergeContact(existing: Contact | undefined, write: ContactWrite): Record<string, unknown> {
  const { personal, deleted: _deleted, ...fields } = write;
  const out = mergeWrite(existing as Record<string, unknown> | undefined, fields);
  const p = mergePersonal(existing?.personal, personal);
  if (p === undefined) delete out.personal;
  else out.personal = p;
  return out;
}

const MergedAccountSchema = AccountContentSchema.extend({ id: IdSchema });
export type MergedAccount = z.infer<typeof MergedAccountSchema>;

/**
 * Apply an account write to the stored account (undefined for a new one). `defaults` fill fields a
 * new account may omit (e.g. `owner` = the creating manager). The result holds only content
 * fields and `id` (no version, no server fields).
 */
export function mergeAccountWrite(
  existing: Account | undefined,
  write: AccountWrite,
  defaults: Partial<Pick<AccountContent, "owner">> = {},
): Validated<MergedAccount> {
  const merged: Record<string, unknown> = { id: write.id };
  if (!existing) Object.assign(merged, defaults);
  for (const k of ACCOUNT_FIELDS) if (existing && existing[k] !== undefined) merged[k] = existing[k];

  // Where each merged contact came from in the write, to report errors at the write's path.
  const writeIndexOf = new Map<number, number>();
  for (const [k, v] of Object.entries(write)) {
    if (WRITE_META.has(k) || v === undefined) continue;
    if (k === "contacts") continue;
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  if (write.contacts === null) delete merged.contacts;
  else if (write.contacts !== undefined) {
    const contacts: Record<string, unknown>[] = [];
    const byId = new Map((existing?.contacts ?? []).map((c) => [c.id, c]));
    const written = new Map(write.contacts.map((c, i) => [c.id, { c, i }]));
    // Stored contacts keep their order; new ones follow in the order written.
    for (const stored of existing?.contacts ?? []) {
      const w = written.get(stored.id);
      if (!w) contacts.push(stored);
      else if (!w.c.deleted) {
        writeIndexOf.set(contacts.length, w.i);
        contacts.push(mergeContact(stored, w.c));
      }
    }
    write.contacts.forEach((c, i) => {
      if (byId.has(c.id) || c.deleted) return;
      writeIndexOf.set(contacts.length, i);
      contacts.push(mergeContact(undefined, c));
    });
    if (contacts.length > 0) merged.contacts = contacts;
    else delete merged.contacts;
  }

  const r = MergedAccountSchema.safeParse(merged);
  if (r.success) return { ok: true, value: r.data };
  const details: ErrorDetail[] = [];
  for (const issue of r.error.issues) {
    const path = [...issue.path];
    if (path[0] === "contacts" && typeof path[1] === "number" && writeIndexOf.has(path[1])) path[1] = writeIndexOf.get(path[1])!;
    details.push(...zodIssuesToDetails([{ ...issue, path } as z.core.$ZodIssue]));
  }
  return { ok: false, details };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function change(field: string, before: unknown, after: unknown): FieldChange {
  const c: FieldChange = { field };
  if (before !== undefined) c.old = before;
  if (after !== undefined) c.new = after;
  return c;
}

/**
 * Field changes between two versions of an account, for its history (DOMAIN §2: which fields,
 * old → new). Contacts are compared by id with paths `contacts[<id>]` (added / removed),
 * `contacts[<id>].<field>` and `contacts[<id>].personal.<field>` — the last form is what history
 * redaction hides from readers who may not see personal details. Empty = unchanged.
 */
export function diffAccount(before: Partial<AccountContent> | undefined, after: Partial<AccountContent>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const k of ACCOUNT_FIELDS) {
    if (k === "contacts") continue;
    const a = before?.[k];
    const b = after[k];
    if (!same(a, b)) out.push(change(k, a, b));
  }
  const oldContacts = new Map((before?.contacts ?? []).map((c) => [c.id, c]));
  const newContacts = new Map((after.contacts ?? []).map((c) => [c.id, c]));
  for (const [id, c] of oldContacts) if (!newContacts.has(id)) out.push(change(`contacts[${id}]`, c, undefined));
  for (const [id, c] of newContacts) {
    const o = oldContacts.get(id);
    if (!o) {
      out.push(change(`contacts[${id}]`, undefined, c));
      continue;
    }
    const keys = new Set([...Object.keys(o), ...Object.keys(c)]);
    for (const key of keys) {
      if (key === "personal") {
        const po = (o.personal ?? {}) as Record<string, unknown>;
        const pn = (c.personal ?? {}) as Record<string, unknown>;
        for (const pk of new Set([...Object.keys(po), ...Object.keys(pn)]))
          if (!same(po[pk], pn[pk])) out.push(change(`contacts[${id}].personal.${pk}`, po[pk], pn[pk]));
      } else if (!same((o as Record<string, unknown>)[key], (c as Record<string, unknown>)[key])) {
        out.push(change(`contacts[${id}].${key}`, (o as Record<string, unknown>)[key], (c as Record<string, unknown>)[key]));
      }
    }
  }
  return out;
}

