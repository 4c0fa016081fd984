import type { FieldChange } from "../../../shared/src/schemas/api.js";

/**
 * Field-level differences and merges of stored documents (CONTRACTS "Writes", DOMAIN §2 history:
 * which fields, old → new).
 *
 * Paths read like the JSON: `phone`, `contacts[c1].title`, `contacts[c1].personal.birthday`.
 * Lists whose elements all carry a string `id` (contacts) are compared element by element by id,
 * so one contact's edit is one change, not the whole list.
 */
export type Doc = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Doc {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isIdList(v: unknown): v is { id: string }[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => isPlainObject(x) && typeof x.id === "string");
}

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

function change(field: string, oldV: unknown, newV: unknown): FieldChange {
  const c: FieldChange = { field };
  if (oldV !== undefined) c.old = oldV;
  if (newV !== undefined) c.new = newV;
  return c;
}

/** Every changed leaf between two documents (absent = undefined, never reported as null). */
export function diffDocuments(oldDoc: Doc | undefined, newDoc: Doc | undefined, prefix = ""): FieldChange[] {
  const out: FieldChange[] = [];
  const a = oldDoc ?? {};
  const b = newDoc ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const path = prefix ? `${prefix}.${k}` : k;
    diffValue(path, a[k], b[k], out);
  }
  return out;
}

function diffValue(path: string, x: unknown, y: unknown, out: FieldChange[]): void {
  if (deepEqual(x, y)) return;
  if (isPlainObject(x) && isPlainObject(y)) {
    out.push(...diffDocuments(x, y, path));
    return;
  }
  if ((isIdList(x) || (Array.isArray(x) && x.length === 0)) && (isIdList(y) || (Array.isArray(y) && y.length === 0)) && (isIdList(x) || isIdList(y))) {
    const xs = new Map((x as { id: string }[]).map((e) => [e.id, e]));
    const ys = new Map((y as { id: string }[]).map((e) => [e.id, e]));
    for (const id of new Set([...xs.keys(), ...ys.keys()])) {
      const ex = xs.get(id);
      const ey = ys.get(id);
      const p = `${path}[${id}]`;
      if (ex && ey) out.push(...diffDocuments(ex, ey, p));
      else if (!deepEqual(ex, ey)) out.push(change(p, ex, ey));
    }
    // Reordering alone is a change of the list's order; record it so no edit is silent.
    const orderX = [...xs.keys()].filter((id) => ys.has(id));
    const orderY = [...ys.keys()].filter((id) => xs.has(id));
    if (!deepEqual(orderX, orderY)) out.push(change(`${path}#order`, orderX, orderY));
    return;
  }
  out.push(change(path, x, y));
}

/**
 * CONTRACTS "Writes" merge of one object: fields present replace, absent keep, `null` clears.
 * `skip` fields (id, version) are not data.
 */
export function mergeFields(old: Doc | undefined, write: Doc, skip: readonly string[] = ["id", "version"]): Doc {
  const out: Doc = { ...(old ?? {}) };
  for (const [k, v] of Object.entries(write)) {
    if (skip.includes(k) || v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * Merge a list of `{id,…}` writes into a stored list by id (CONTRACTS: contacts merged by contact
 * id): a known id is merged with `mergeOne`, an unknown id is appended, `deleted: true` removes.
 * Stored elements the write does not mention are kept, in their order.
 */
export function mergeById<T extends { id: string }>(
  old: readonly T[] | undefined,
  writes: readonly (Doc & { id: string; deleted?: boolean })[],
  mergeOne: (old: T | undefined, write: Doc & { id: string }) => T,
): T[] {
  const out = [...(old ?? [])];
  for (const w of writes) {
    const i = out.findIndex((e) => e.id === w.id);
    if (w.deleted === true) {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    const merged = mergeOne(i >= 0 ? out[i] : undefined, w);
    if (i >= 0) out[i] = merged;
    else out.push(merged);
  }
  return out;
}
