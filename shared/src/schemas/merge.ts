import * as z from "zod/mini";
import type { Lang } from "../errors.js";
import { ACCOUNT_FIELDS, AccountContentSchema, type AccountContent, type AccountWrite, type Contact, type ContactWrite } from "./account.js";
import { IdSchema } from "./common.js";
import { safeParseIn, zodIssuesToDetails, type ErrorDetail, type Validated } from "./validation.js";
import type { FieldChange } from "./api.js";

/**
 * Upsert merge semantics (docs/contracts.md §6):
 * - a field present in the write replaces the stored one; a field absent keeps the stored one;
 *   `null` clears it (required fields cannot be `null` — the write schema rejects that);
 * - `id` and `version` are not content: `version` is the base the client edited, checked by the
 *   store, which then stores `version + 1`;
 * - accounts: `contacts` merge by contact id (a contact's fields merge the same way, its
 *   `personal` object too, `personal: null` clears it, `deleted: true` removes the contact);
 *   `contacts: null` clears the decision chain; `competitors` / `followUps` replace whole lists;
 *   a contact's `personal` is never touched by a writer who cannot read it (docs/domain.md §2, §9) — the
 *   caller says so with `{ personal: false }` — nor by one who omits it;
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

function mergeContact(existing: Contact | undefined, write: ContactWrite, personalAllowed: boolean): Record<string, unknown> {
  const { personal, deleted: _deleted, ...fields } = write;
  const out = mergeWrite(existing as Record<string, unknown> | undefined, fields);
  const p = personalAllowed ? mergePersonal(existing?.personal, personal) : existing?.personal;
  if (p === undefined) delete out.personal;
  else out.personal = p;
  return out;
}

const MergedAccountSchema = z.extend(AccountContentSchema, { id: IdSchema });
export type MergedAccount = z.infer<typeof MergedAccountSchema>;

export interface AccountMergeOptions {
  /** May the writer read (and so write) contacts' `personal` details? Default true. */
  personal?: boolean;
  /** Language of the error messages (default en). */
  lang?: Lang;
}

/**
 * Apply an account write to the stored account (undefined for a new one; an `Account` or its
 * stored content). `defaults` fill fields a new account may omit (e.g. `owner` = the creating
 * manager). The result holds only content fields and `id` (no version, no server fields).
 */
export function mergeAccountWrite(
  existing: Partial<AccountContent> | undefined,
  write: AccountWrite,
  defaults: Partial<Pick<AccountContent, "owner">> = {},
  options: AccountMergeOptions = {},
): Validated<MergedAccount> {
  const personalAllowed = options.personal !== false;
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
        contacts.push(mergeContact(stored, w.c, personalAllowed));
      }
    }
    write.contacts.forEach((c, i) => {
      if (byId.has(c.id) || c.deleted) return;
      writeIndexOf.set(contacts.length, i);
      contacts.push(mergeContact(undefined, c, personalAllowed));
    });
    if (contacts.length > 0) merged.contacts = contacts;
    else delete merged.contacts;
  }

  const lang = options.lang ?? "en";
  const r = safeParseIn(MergedAccountSchema, merged, lang);
  if (r.success) return { ok: true, value: r.data };
  const details: ErrorDetail[] = [];
  for (const issue of r.error.issues) {
    const path = [...issue.path];
    const writeIndex = typeof path[1] === "number" ? writeIndexOf.get(path[1]) : undefined;
    if (path[0] === "contacts" && writeIndex !== undefined) path[1] = writeIndex;
    details.push(...zodIssuesToDetails([{ ...issue, path } as z.core.$ZodIssue], [], lang));
  }
  return { ok: false, details };
}

// ---------------------------------------------------------------------------------------------
// History diff (docs/domain.md §2: which fields, old → new) — the one diff of stored documents, used by the
// backend for every entity's history and "unchanged" detection.

/** A JSON object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isIdList(v: unknown): v is { id: string }[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => isPlainObject(x) && typeof x.id === "string");
}

/** Structural equality of JSON values; object key order and `undefined` members do not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function change(field: string, before: unknown, after: unknown): FieldChange {
  const c: FieldChange = { field };
  if (before !== undefined) c.old = before;
  if (after !== undefined) c.new = after;
  return c;
}

/**
 * Every changed leaf between two documents (absent = undefined, never reported as null). Paths read
 * like the JSON: `phone`, `contacts[c1].title`, `contacts[c1].personal.birthday` — the last form is
 * what history redaction hides from readers who may not see personal details. Lists whose elements
 * all carry a string `id` (contacts, instalments) are compared element by element by id: removed
 * elements first (`contacts[<id>]` old), then the new list in its order (field changes of kept
 * elements, `contacts[<id>]` new for added ones), then `<list>#order` if kept elements were
 * reordered — so one contact's edit is one change and no edit is silent. Empty = unchanged.
 */
export function diffDocuments(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, prefix = ""): FieldChange[] {
  const out: FieldChange[] = [];
  const a = before ?? {};
  const b = after ?? {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffValue(prefix ? `${prefix}.${k}` : k, a[k], b[k], out);
  return out;
}

function diffValue(path: string, x: unknown, y: unknown, out: FieldChange[]): void {
  if (deepEqual(x, y)) return;
  if (isPlainObject(x) && isPlainObject(y)) {
    out.push(...diffDocuments(x, y, path));
    return;
  }
  const idListOrEmpty = (v: unknown) => isIdList(v) || (Array.isArray(v) && v.length === 0);
  if (idListOrEmpty(x) && idListOrEmpty(y) && (isIdList(x) || isIdList(y))) {
    const xs = new Map((x as { id: string }[]).map((e) => [e.id, e]));
    const ys = new Map((y as { id: string }[]).map((e) => [e.id, e]));
    for (const [id, ex] of xs) if (!ys.has(id)) out.push(change(`${path}[${id}]`, ex, undefined));
    for (const [id, ey] of ys) {
      const ex = xs.get(id);
      if (ex) out.push(...diffDocuments(ex, ey, `${path}[${id}]`));
      else out.push(change(`${path}[${id}]`, undefined, ey));
    }
    // Reordering alone is a change of the list's order; record it so no edit is silent.
    const orderX = [...xs.keys()].filter((id) => ys.has(id));
    const orderY = [...ys.keys()].filter((id) => xs.has(id));
    if (!deepEqual(orderX, orderY)) out.push(change(`${path}#order`, orderX, orderY));
    return;
  }
  out.push(change(path, x, y));
}
