/**
 * The three-way sync (issue 5 §4). For each row id it compares the sheet (local), the store
 * (remote) and the last-synced state kept in the workbook (base: version + content hash per row,
 * in the very-hidden state sheet that travels with the file):
 *
 *   local changed │ remote changed │ action
 *   ──────────────┼────────────────┼──────────────────────────────────────────────
 *        no       │       no       │ nothing (a second sync with no change sends nothing)
 *        yes      │       no       │ push (with the version it was based on)
 *        no       │       yes      │ pull into the sheet
 *        yes      │       yes      │ same content → converge; else CONFLICT (keep mine / take theirs)
 *   row deleted   │       no       │ tombstone, only after confirmation
 *   remote gone   │       no       │ remove the row from the sheet
 *
 * Invalid rows are listed with their cell and reason and are not sent. Pushes are chunked by
 * ≤ 500 items and ≤ 1 MB (CONTRACTS "Writes"), each chunk with its own Idempotency-Key.
 */
import { BATCH_MAX_ITEMS, REQUEST_MAX_BYTES, validate, type Bilingual, type Lang } from "../../../shared/src/index.js";
import { cellAddress, type CellInput, type TableData, type TableRef, type WorkbookPort, type WriteOp } from "../workbook/port.js";
import type { EntityDef } from "./entities.js";
import type { ApiError, ItemResult, SyncRemote } from "./remote.js";
import {
  columnOf,
  contentHash,
  detectMapping,
  readRows,
  reportOf,
  syncedFields,
  toCell,
  type CellProblem,
  type FieldValue,
  type HeaderMapping,
  type LocalRow,
  type MappingReport,
} from "./rows.js";

export const BASELINE_FORMAT = 1;

/** The last-synced state of one synced table (kept in the workbook). */
export interface Baseline {
  v: number;
  entity: string;
  /** Fields the hashes cover; a different set makes hashes incomparable (versions decide then). */
  fields: string[];
  /** Change cursor for `since` (largest `updatedAt` seen). */
  cursor?: string;
  /** key → [version, content hash]. */
  rows: Record<string, [number, string]>;
}

export interface RemoteRow {
  key: string;
  version: number;
  fields: Record<string, unknown>;
  hash: string;
}

export interface Conflict {
  key: string;
  local?: LocalRow;
  remote?: RemoteRow;
  /** Fields whose values differ (for the side-by-side view). */
  fields: string[];
}

export type Resolution = "mine" | "theirs";

export interface SyncCounts {
  push: number;
  pull: number;
  add: number;
  removeLocal: number;
  conflicts: number;
  deletes: number;
  invalid: number;
  unchanged: number;
}

/** What a plan is built from and keeps: the table, its mapping and the three states. */
export interface PlanBasis {
  entity: EntityDef;
  table: TableData;
  ref: TableRef;
  stateKey: string;
  mapping: MappingReport;
  lang: Lang;
  userId?: string;
  base: Baseline | undefined;
  local: LocalRow[];
  remote: Map<string, RemoteRow>;
  /** Remote view is every visible item (not only changes since the cursor). */
  complete: boolean;
  cursor?: string;
}

export interface SyncPlan extends PlanBasis {
  /** contacts: versions of the accounts in the remote view. */
  accountVersions: Map<string, number>;
  push: LocalRow[];
  pull: RemoteRow[];
  removeLocal: LocalRow[];
  conflicts: Conflict[];
  /** Rows gone from the sheet that still exist in the store: tombstones after confirmation. */
  deletes: { key: string; remote?: RemoteRow; version: number }[];
  problems: CellProblem[];
  same: LocalRow[];
  counts: SyncCounts;
  requests: number;
}

export interface SyncProgress {
  phase: "push" | "delete" | "write";
  done: number;
  total: number;
}

export interface SyncSummary {
  created: number;
  updated: number;
  unchanged: number;
  pulled: number;
  added: number;
  removed: number;
  deleted: number;
  conflicts: Conflict[];
  problems: CellProblem[];
  /** Items sent in upserts. */
  rowsSent: number;
  /** HTTP requests made (list + upserts + deletes). */
  requests: number;
  cancelled: boolean;
  error?: ApiError;
}

export interface PrepareOptions {
  port: WorkbookPort;
  remote: SyncRemote;
  entity: EntityDef;
  ref: TableRef;
  lang: Lang;
  userId?: string;
  /** A mapping the user edited; else auto-detected. */
  mapping?: HeaderMapping;
}

export type Prepared = { ok: true; plan: SyncPlan } | { ok: false; message: Bilingual; mapping?: MappingReport; error?: ApiError };

export function stateKeyOf(entity: EntityDef, sheet: string): string {
  return `sync:${entity.id}:${sheet}`;
}

/** Read the table and its baseline, fetch the store's view, and classify every row. */
export async function prepareSync(o: PrepareOptions): Promise<Prepared> {
  const sheetName = o.ref.sheet ?? o.ref.table ?? "";
  let stateKey = stateKeyOf(o.entity, sheetName);
  const read = await o.port.read({ tables: [o.ref], state: [stateKey], withFormulas: true });
  const table = read.tables[0];
  if (!table) return { ok: false, message: { zh: `找不到工作表或表格 ${sheetName}`, en: `sheet or table ${sheetName} not found` } };
  if (table.sheet !== sheetName) {
    stateKey = stateKeyOf(o.entity, table.sheet);
  }
  const mapping = o.mapping ? reportOf(table.header, o.entity, o.mapping) : detectMapping(table.header, o.entity);
  if (mapping.missing.length) {
    return {
      ok: false,
      mapping,
      message: {
        zh: `缺少必需的列：${mapping.missing.map((c) => c.label.zh).join("、")}`,
        en: `required columns missing: ${mapping.missing.map((c) => c.label.en).join(", ")}`,
      },
    };
  }
  if (!mapping.mapping.includes("id")) {
    return { ok: false, mapping, message: { zh: `缺少编号列（${columnOf(o.entity, "id")!.label.zh}）`, en: `the id column (${columnOf(o.entity, "id")!.label.en}) is missing` } };
  }
  const base = parseBaseline(read.state[stateKey], o.entity);
  const keys = syncedFields(o.entity, mapping.mapping);
  const sameFields = !!base && sameSet(base.fields, keys);
  const since = o.entity.since && base && sameFields ? base.cursor : undefined;
  // The store's pages are fetched while the sheet's rows are parsed and hashed.
  const [listed, { rows, problems }] = await Promise.all([o.remote.list(o.entity, since), readRows(table, o.entity, mapping.mapping, { userId: o.userId })]);
  if (!listed.ok) return { ok: false, error: listed.error, mapping, message: { zh: `读取服务器数据失败：${listed.error.message}`, en: `could not read the store: ${listed.error.message}` } };
  const view = remoteView(o.entity, listed.value, keys);
  const plan = classify({
    entity: o.entity,
    table,
    ref: o.ref,
    stateKey,
    mapping,
    lang: o.lang,
    userId: o.userId,
    base: base && base.entity === o.entity.id ? base : undefined,
    sameFields,
    local: rows,
    problems,
    keys,
    remote: view.rows,
    complete: since === undefined,
    coveredAccounts: view.coveredAccounts,
    cursor: maxCursor(base?.cursor, view.cursor),
  });
  plan.requests = 1;
  return { ok: true, plan };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function maxCursor(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

export function parseBaseline(raw: string | undefined, entity: EntityDef): Baseline | undefined {
  if (!raw) return undefined;
  try {
    const b = JSON.parse(raw) as Baseline;
    if (b.v !== BASELINE_FORMAT || b.entity !== entity.id || typeof b.rows !== "object" || !Array.isArray(b.fields)) return undefined;
    return b;
  } catch {
    return undefined;
  }
}

/** Project the store's items onto the synced fields (contacts flatten out of their accounts). */
export function remoteView(entity: EntityDef, items: Record<string, unknown>[], keys: readonly string[]): { rows: Map<string, RemoteRow>; cursor?: string; coveredAccounts: Map<string, number> } {
  const rows = new Map<string, RemoteRow>();
  /** contacts: account id → the account's version (contacts share it, CONTRACTS "Writes"). */
  const coveredAccounts = new Map<string, number>();
  let cursor: string | undefined;
  for (const item of items) {
    const updatedAt = typeof item.updatedAt === "string" ? item.updatedAt : undefined;
    if (updatedAt && (!cursor || updatedAt > cursor)) cursor = updatedAt;
    const version = typeof item.version === "number" ? item.version : 0;
    if (entity.id === "contacts") {
      const accountId = String(item.id);
      coveredAccounts.set(accountId, version);
      if (item.deleted === true) continue;
      for (const c of (item.contacts as Record<string, unknown>[] | undefined) ?? []) {
        const fields: Record<string, unknown> = { ...pick(c, keys), accountId, id: c.id };
        rows.set(`${accountId}/${String(c.id)}`, { key: `${accountId}/${String(c.id)}`, version, fields, hash: contentHash(fields, keys) });
      }
      continue;
    }
    if (item.deleted === true) continue;
    let fields: Record<string, unknown>;
    if (entity.id === "targets") {
      const versions = (item.versions as { amountYuan: number; status: string }[] | undefined) ?? [];
      const approved = [...versions].reverse().find((v) => v.status === "approved");
      const pending = [...versions].reverse().find((v) => v.status === "pending");
      fields = pick({ ...item, effective: approved?.amountYuan, pending: pending?.amountYuan }, keys);
      rows.set(String(item.id), { key: String(item.id), version: versions.length, fields, hash: contentHash(fields, keys) });
      continue;
    }
    fields = pick(item, keys);
    rows.set(String(item.id), { key: String(item.id), version, fields, hash: contentHash(fields, keys) });
  }
  return { rows, cursor, coveredAccounts };
}

function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}

interface ClassifyInput extends PlanBasis {
  sameFields: boolean;
  problems: CellProblem[];
  keys: string[];
  coveredAccounts: Map<string, number>;
}

/** The three-way classification (pure). */
export function classify(i: ClassifyInput): SyncPlan {
  const plan: SyncPlan = {
    entity: i.entity, table: i.table, ref: i.ref, stateKey: i.stateKey, mapping: i.mapping, lang: i.lang, userId: i.userId,
    base: i.base, local: i.local, remote: i.remote, complete: i.complete, accountVersions: i.coveredAccounts, cursor: i.cursor,
    push: [], pull: [], removeLocal: [], conflicts: [], deletes: [], problems: [...i.problems], same: [],
    counts: { push: 0, pull: 0, add: 0, removeLocal: 0, conflicts: 0, deletes: 0, invalid: 0, unchanged: 0 },
    requests: 0,
  };
  const baseRows = i.base?.rows ?? {};
  const idCol = i.mapping.mapping.indexOf("id");
  const seen = new Set<string>();
  // Rows that appear in the sheet twice are invalid: which one wins would be a silent overwrite.
  for (const row of i.local) {
    if (!row.key) continue;
    if (seen.has(row.key)) {
      plan.problems.push({ row: row.row, address: cellAddress(i.table.row + 1 + row.row, i.table.col + Math.max(0, idCol)), field: "id", message: { zh: `编号重复：${row.key}`, en: `duplicate id: ${row.key}` } });
    }
    seen.add(row.key);
  }
  const dupes = new Set(plan.problems.filter((p) => p.field === "id").map((p) => p.row));
  const locals = new Map<string, LocalRow>();
  for (const row of i.local) {
    if (dupes.has(row.row)) continue;
    if (!row.key) {
      // A new row without an id: the store gets a generated id, written back to the sheet.
      if (!i.entity.readOnly) plan.push.push(row);
      continue;
    }
    locals.set(row.key, row);
  }
  const remoteKnown = (key: string): RemoteRow | undefined | "unchanged" => {
    const r = i.remote.get(key);
    if (r) return r;
    if (i.complete) return undefined;
    if (i.entity.id === "contacts" && i.coveredAccounts.has(key.split("/")[0]!)) return undefined;
    return baseRows[key] ? "unchanged" : undefined;
  };
  const keys = new Set<string>([...locals.keys(), ...Object.keys(baseRows), ...i.remote.keys()]);
  for (const key of keys) {
    const local = locals.get(key);
    const b = baseRows[key];
    const rk = remoteKnown(key);
    const remote = rk === "unchanged" ? undefined : rk;
    const remoteUnchanged = rk === "unchanged" || (!!b && !!remote && (i.sameFields ? remote.hash === b[1] : remote.version === b[0]));
    const localChanged = !!local && (!b || (i.sameFields ? local.hash !== b[1] : remote ? local.hash !== remote.hash : true));
    if (local) {
      if (rk === undefined) {
        if (!b) {
          if (!i.entity.readOnly) plan.push.push(local); // new here
        } else if (!localChanged) plan.removeLocal.push(local); // deleted (or handed over) in the store
        else plan.conflicts.push({ key, local, fields: Object.keys(local.fields) });
        continue;
      }
      if (i.entity.readOnly) {
        if (remote && remote.hash !== local.hash) plan.pull.push(remote);
        else plan.same.push(local);
        continue;
      }
      if (!localChanged && remoteUnchanged) { plan.same.push(local); continue; }
      if (localChanged && remoteUnchanged) { plan.push.push(local); continue; }
      if (!localChanged && remote) { plan.pull.push(remote); continue; }
      if (remote && local.hash === remote.hash) { plan.same.push(local); continue; }
      plan.conflicts.push({ key, local, remote, fields: diffFields(local.fields, remote?.fields ?? {}) });
      continue;
    }
    // Not in the sheet.
    if (rk === undefined) continue; // gone on both sides (or never synced here)
    if (!b) { if (remote) plan.pull.push(remote); continue; } // new in the store → add to the sheet
    if (i.entity.readOnly) { if (remote) plan.pull.push(remote); continue; }
    if (remoteUnchanged) plan.deletes.push({ key, remote, version: remote?.version ?? b[0] });
    else plan.conflicts.push({ key, remote, fields: Object.keys(remote?.fields ?? {}) });
  }
  const localKeys = new Set(locals.keys());
  plan.counts = {
    push: plan.push.length,
    pull: plan.pull.filter((r) => localKeys.has(r.key)).length,
    add: plan.pull.filter((r) => !localKeys.has(r.key)).length,
    removeLocal: plan.removeLocal.length,
    conflicts: plan.conflicts.length,
    deletes: plan.deletes.length,
    invalid: plan.problems.length,
    unchanged: plan.same.length,
  };
  return plan;
}

function diffFields(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)) out.push(k);
  }
  return out;
}

export interface ExecuteOptions {
  resolutions?: Record<string, Resolution> | "mine" | "theirs";
  confirmDeletes?: boolean;
  onProgress?: (p: SyncProgress) => void;
  signal?: AbortSignal;
  /** Id generator for new rows (tests pass a deterministic one). */
  newId?: (entity: EntityDef) => string;
  idempotencyKey?: () => string;
  /** Upsert requests in flight at once (default PUSH_CONCURRENCY). */
  concurrency?: number;
}

/** Chunks pushed in parallel: enough to overlap network and store latency, few enough to be polite. */
export const PUSH_CONCURRENCY = 4;

export function defaultNewId(entity: EntityDef): string {
  const rnd = Math.random().toString(36).slice(2, 8);
  return `${entity.idPrefix}-${Date.now().toString(36)}${rnd}`;
}

function defaultIdempotencyKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Split items into requests of ≤ 500 items and ≤ 1 MB of JSON (CONTRACTS "Writes"). */
export function chunkItems<T>(items: T[], maxItems = BATCH_MAX_ITEMS, maxBytes = REQUEST_MAX_BYTES): T[][] {
  const envelope = '{"items":[]}'.length;
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = envelope;
  for (const it of items) {
    const size = utf8Length(JSON.stringify(it)) + 1;
    if (cur.length && (cur.length >= maxItems || bytes + size > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = envelope;
    }
    cur.push(it);
    bytes += size;
  }
  if (cur.length) out.push(cur);
  return out;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/** Carry out a plan: push, delete (if confirmed), pull, write the sheet and the new baseline. */
export async function executeSync(plan: SyncPlan, port: WorkbookPort, remote: SyncRemote, o: ExecuteOptions = {}): Promise<SyncSummary> {
  const { entity, table, lang } = plan;
  const keys = syncedFields(entity, plan.mapping.mapping);
  const summary: SyncSummary = { created: 0, updated: 0, unchanged: 0, pulled: 0, added: 0, removed: 0, deleted: 0, conflicts: [], problems: [...plan.problems], rowsSent: 0, requests: plan.requests, cancelled: false };
  const baseRows: Record<string, [number, string]> = plan.base && sameSet(plan.base.fields, keys) ? { ...plan.base.rows } : {};
  if (plan.base && !sameSet(plan.base.fields, keys)) {
    // Fields changed: re-key the baseline by what both sides now agree on.
    for (const [k, v] of Object.entries(plan.base.rows)) baseRows[k] = [v[0], ""];
  }
  for (const s of plan.same) {
    const r = plan.remote.get(s.key);
    baseRows[s.key] = [r?.version ?? baseRows[s.key]?.[0] ?? 0, s.hash];
  }
  const newId = o.newId ?? defaultNewId;
  const resolutionOf = (key: string): Resolution | undefined => (typeof o.resolutions === "string" ? o.resolutions : o.resolutions?.[key]);

  // What goes to the store.
  const toPush: { row: LocalRow; version: number; remote?: RemoteRow }[] = plan.push.map((row) => ({ row, version: row.key ? (plan.remote.get(row.key)?.version ?? baseRows[row.key]?.[0] ?? 0) : 0, remote: row.key ? plan.remote.get(row.key) : undefined }));
  const toPull: RemoteRow[] = [...plan.pull];
  const toRemove = new Set<string>(plan.removeLocal.map((r) => r.key));
  for (const c of plan.conflicts) {
    const res = resolutionOf(c.key);
    if (!res) { summary.conflicts.push(c); continue; }
    if (res === "mine") {
      if (c.local) toPush.push({ row: c.local, version: c.remote?.version ?? 0, remote: c.remote });
      else if (c.remote) plan.deletes.push({ key: c.key, remote: c.remote, version: c.remote.version });
    } else {
      if (c.remote) toPull.push(c.remote);
      else if (c.local) toRemove.add(c.key);
    }
  }

  // New ids for new rows (written back to the sheet).
  const assigned = new Map<number, string>();
  for (const p of toPush) {
    if (p.row.key) continue;
    const id = newId(entity);
    assigned.set(p.row.row, id);
    p.row = { ...p.row, fields: { ...p.row.fields, id }, key: entity.id === "contacts" ? `${p.row.fields.accountId}/${id}` : id };
    p.row.hash = contentHash(p.row.fields, keys);
  }

  // Build and validate the items.
  const built = buildItems(entity, toPush, keys, plan, baseRows);
  summary.problems.push(...built.problems);
  const chunks = chunkItems(built.items.map((b) => b.item));
  let done = 0;
  const total = built.items.length;
  const byId = new Map<string, (typeof built.items)[number]>();
  for (const b of built.items) byId.set(String(b.item.id), b);
  const idempotencyKey = o.idempotencyKey ?? defaultIdempotencyKey;
  o.onProgress?.({ phase: "push", done: 0, total });
  // A few requests in flight: the store handles chunks of different rows independently.
  const concurrency = Math.max(1, o.concurrency ?? PUSH_CONCURRENCY);
  let nextChunk = 0;
  const worker = async () => {
    while (nextChunk < chunks.length) {
      if (o.signal?.aborted) { summary.cancelled = true; return; }
      if (summary.error) return;
      const chunk = chunks[nextChunk++]!;
      const res = await remote.upsert(entity, chunk, idempotencyKey(), o.signal);
      summary.requests++;
      if (!res.ok) {
        if (res.error.status === -1) summary.cancelled = true;
        else summary.error = res.error;
        return;
      }
      summary.rowsSent += chunk.length;
      for (const r of res.value) applyItemResult(r, byId.get(r.id), entity, keys, plan, baseRows, summary, lang);
      done += chunk.length;
      o.onProgress?.({ phase: "push", done, total });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));

  // Tombstones (only after confirmation; rows stay out of the sheet either way until the next sync).
  if (!summary.cancelled && !summary.error) {
    const deletes = plan.deletes.filter(() => o.confirmDeletes);
    if (entity.id === "contacts" && deletes.length) {
      // Contacts are removed through their account's upsert (`deleted: true`).
      const byAccount = new Map<string, string[]>();
      for (const d of deletes) {
        const [acc, cid] = d.key.split("/") as [string, string];
        byAccount.set(acc, [...(byAccount.get(acc) ?? []), cid]);
      }
      const items = [...byAccount].map(([acc, cids]) => ({ id: acc, version: accountVersion(acc, plan, baseRows), contacts: cids.map((id) => ({ id, deleted: true })) }));
      for (const chunk of chunkItems(items)) {
        const res = await remote.upsert(entity, chunk, idempotencyKey(), o.signal);
        summary.requests++;
        if (!res.ok) { summary.error = res.error; break; }
        for (const r of res.value) {
          const cids = byAccount.get(r.id) ?? [];
          for (const cid of cids) {
            if (r.status === "updated" || r.status === "unchanged") { delete baseRows[`${r.id}/${cid}`]; summary.deleted++; }
            else summary.problems.push({ row: -1, address: "", field: "id", message: { zh: `删除 ${r.id}/${cid} 未成功（${r.status}）`, en: `delete of ${r.id}/${cid} not done (${r.status})` } });
          }
        }
      }
    } else if (entity.tombstones) {
      let n = 0;
      for (const d of deletes) {
        if (o.signal?.aborted) { summary.cancelled = true; break; }
        const res = await remote.tombstone(entity, d.key);
        summary.requests++;
        n++;
        o.onProgress?.({ phase: "delete", done: n, total: deletes.length });
        if (res.ok) { delete baseRows[d.key]; summary.deleted++; }
        else summary.problems.push({ row: -1, address: "", field: "id", message: { zh: `无法删除 ${d.key}：${res.error.message}`, en: `cannot delete ${d.key}: ${res.error.message}` } });
      }
    } else if (deletes.length) {
      // No delete in the API for this entity: the rows come back from the store.
      for (const d of deletes) if (d.remote) toPull.push(d.remote);
    }
  }

  // Pull into the sheet.
  for (const r of toPull) baseRows[r.key] = [r.version, r.hash];
  for (const k of toRemove) delete baseRows[k];
  const ops = writeBack(plan, toPull, toRemove, assigned, summary, lang);
  // The change cursor advances only when every remote change seen was taken in; an unresolved
  // conflict must show up again on the next sync.
  const settled = !summary.conflicts.length && !summary.cancelled && !summary.error;
  const cursor = settled ? plan.cursor : plan.base?.cursor;
  const baseline: Baseline = { v: BASELINE_FORMAT, entity: entity.id, fields: keys, ...(entity.since && cursor ? { cursor } : {}), rows: baseRows };
  const prevRaw = plan.base ? JSON.stringify(plan.base) : undefined;
  const nextRaw = JSON.stringify(baseline);
  if (nextRaw !== prevRaw) ops.push({ kind: "state", key: plan.stateKey, value: nextRaw });
  if (ops.length) {
    o.onProgress?.({ phase: "write", done: 0, total: 1 });
    await port.apply(ops);
    o.onProgress?.({ phase: "write", done: 1, total: 1 });
  }
  return summary;
}

function accountVersion(accountId: string, plan: SyncPlan, baseRows: Record<string, [number, string]>): number {
  const known = plan.accountVersions.get(accountId);
  if (known !== undefined) return known;
  let v = 0;
  for (const [k, r] of plan.remote) if (k.startsWith(accountId + "/")) v = Math.max(v, r.version);
  if (v) return v;
  for (const [k, r] of Object.entries(baseRows)) if (k.startsWith(accountId + "/")) v = Math.max(v, r[0]);
  return v;
}

interface BuiltItem {
  item: Record<string, unknown>;
  rows: { row: LocalRow; version: number }[];
}

/** Rows → API items, validated with the shared write schema; invalid rows become problems. */
function buildItems(entity: EntityDef, toPush: { row: LocalRow; version: number; remote?: RemoteRow }[], keys: string[], plan: SyncPlan, baseRows: Record<string, [number, string]>): { items: BuiltItem[]; problems: CellProblem[] } {
  const problems: CellProblem[] = [];
  const items: BuiltItem[] = [];
  const addressOf = (row: LocalRow, field: string) => {
    const col = plan.mapping.mapping.indexOf(field);
    return cellAddress(plan.table.row + 1 + row.row, plan.table.col + Math.max(0, col));
  };
  const requiredMissing = (row: LocalRow, isNew: boolean): boolean => {
    let bad = false;
    for (const c of entity.columns) {
      if (!c.required || c.field === "id") continue;
      const v = row.fields[c.field];
      const present = v !== undefined && v !== "";
      const mapped = keys.includes(c.field);
      if (!present && (isNew || mapped)) {
        problems.push({ row: row.row, address: addressOf(row, c.field), field: c.field, message: { zh: `${c.label.zh}不能为空`, en: `${c.label.en} is required` } });
        bad = true;
      }
    }
    return bad;
  };
  const fieldsOf = (row: LocalRow, isNew: boolean, remote: RemoteRow | undefined, skip: string[]) => {
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      if (skip.includes(k)) continue;
      const v = row.fields[k];
      if (v !== undefined && v !== "") out[k] = v;
      else if (!isNew && (remote ? remote.fields[k] !== undefined : true) && !columnOf(entity, k)?.required) out[k] = null; // cleared cell clears the field
    }
    return out;
  };
  const checkSchema = (row: LocalRow, item: Record<string, unknown>, schema = entity.writeSchema, pathPrefix = ""): boolean => {
    if (!schema) return true;
    const v = validate(schema, item, "en");
    if (v.ok) return true;
    // Same schema, same value: the zh parse reports the same issues in the same order.
    const zh = validate(schema, item, "zh");
    v.details.forEach((d, i) => {
      const field = d.path.replace(pathPrefix, "").split(/[.[]/)[0]!;
      const zhMessage = !zh.ok && zh.details[i]?.path === d.path ? zh.details[i]!.message : d.message;
      problems.push({ row: row.row, address: addressOf(row, keys.includes(field) ? field : "id"), field, message: { zh: `${field}: ${zhMessage}`, en: `${field}: ${d.message}` } });
    });
    return false;
  };

  if (entity.id === "contacts") {
    const byAccount = new Map<string, BuiltItem>();
    for (const p of toPush) {
      const isNew = !p.remote && !baseRows[p.row.key];
      if (requiredMissing(p.row, isNew)) continue;
      const contact = { id: p.row.fields.id, ...fieldsOf(p.row, isNew, p.remote, ["accountId", "id"]) };
      if (!checkSchema(p.row, contact)) continue;
      const acc = String(p.row.fields.accountId);
      const it = byAccount.get(acc) ?? { item: { id: acc, version: accountVersion(acc, plan, baseRows) || p.version, contacts: [] as unknown[] }, rows: [] };
      (it.item.contacts as unknown[]).push(contact);
      it.rows.push({ row: p.row, version: p.version });
      byAccount.set(acc, it);
    }
    items.push(...byAccount.values());
    return { items, problems };
  }
  for (const p of toPush) {
    const isNew = !p.remote && !baseRows[p.row.key];
    if (requiredMissing(p.row, isNew)) continue;
    const item: Record<string, unknown> = { id: p.row.fields.id, ...fieldsOf(p.row, isNew, p.remote, ["id"]) };
    if (!isNew) item.version = p.version;
    if (!checkSchema(p.row, item)) continue;
    items.push({ item, rows: [{ row: p.row, version: p.version }] });
  }
  return { items, problems };
}

function applyItemResult(r: ItemResult, built: BuiltItem | undefined, entity: EntityDef, keys: string[], plan: SyncPlan, baseRows: Record<string, [number, string]>, summary: SyncSummary, lang: Lang): void {
  if (!built) return;
  for (const { row } of built.rows) {
    switch (r.status) {
      case "created":
      case "updated":
      case "unchanged":
        baseRows[row.key] = [r.version ?? 0, row.hash];
        summary[r.status]++;
        break;
      case "conflict": {
        const current = r.current ? remoteView(entity, [r.current], keys).rows.get(row.key) : undefined;
        summary.conflicts.push({ key: row.key, local: row, remote: current, fields: diffFields(row.fields, current?.fields ?? {}) });
        break;
      }
      case "invalid":
      case "forbidden": {
        const details = r.errors?.length ? r.errors : [{ path: "", message: r.status }];
        for (const d of details) {
          const field = d.path.split(/[.[]/)[0] || "id";
          const col = plan.mapping.mapping.indexOf(field);
          summary.problems.push({
            row: row.row,
            address: cellAddress(plan.table.row + 1 + row.row, plan.table.col + Math.max(0, col)),
            field,
            message: r.status === "forbidden"
              ? { zh: `无权写入：${d.message}`, en: `not allowed: ${d.message}` }
              : { zh: `${d.path}: ${d.message}`, en: `${d.path}: ${d.message}` },
          });
        }
        break;
      }
    }
  }
  void lang;
}

/** Sheet edits: pulled rows in place, new rows appended, removed rows taken out, new ids filled in. */
function writeBack(plan: SyncPlan, toPull: RemoteRow[], toRemove: Set<string>, assigned: Map<number, string>, summary: SyncSummary, lang: Lang): WriteOp[] {
  if (!toPull.length && !toRemove.size && !assigned.size) return [];
  const { table, entity } = plan;
  const mapping = plan.mapping.mapping;
  const width = table.header.length;
  const rowOfKey = new Map<string, number>();
  for (const l of plan.local) if (l.key) rowOfKey.set(l.key, l.row);
  // Current content of the table (formulas kept where the cell had one).
  const grid: CellInput[][] = table.rows.map((line, r) => line.map((v, c) => {
    const f = table.formulas?.[r]?.[c];
    return f ? { formula: f } : v;
  }));
  const setFields = (r: number, fields: Record<string, unknown>) => {
    mapping.forEach((f, c) => {
      if (!f) return;
      const col = columnOf(entity, f);
      if (!col) return;
      grid[r]![c] = toCell(col, fields[f], lang);
    });
  };
  for (const [r, id] of assigned) {
    const c = mapping.indexOf("id");
    if (c >= 0) grid[r]![c] = id;
  }
  for (const remote of toPull) {
    const r = rowOfKey.get(remote.key);
    if (r !== undefined) { setFields(r, remote.fields); summary.pulled++; }
    else {
      grid.push(Array<CellInput>(width).fill(null));
      setFields(grid.length - 1, remote.fields);
      summary.added++;
    }
  }
  const removeRows = new Set<number>();
  for (const k of toRemove) {
    const r = rowOfKey.get(k);
    if (r !== undefined) removeRows.add(r);
  }
  const finalRows = grid.filter((_, r) => !removeRows.has(r));
  summary.removed += removeRows.size;
  const ops: WriteOp[] = [];
  if (finalRows.length) ops.push({ kind: "values", sheet: table.sheet, row: table.row + 1, col: table.col, values: finalRows });
  const shrink = grid.length - finalRows.length;
  if (shrink > 0) ops.push({ kind: "clear", sheet: table.sheet, row: table.row + 1 + finalRows.length, col: table.col, rows: shrink, cols: width });
  return ops;
}

/** Rows of a conflict as label/value pairs for the side-by-side view. */
export function conflictSides(c: Conflict, entity: EntityDef, lang: Lang): { field: string; label: string; mine: string; theirs: string; differs: boolean }[] {
  const fields = new Set([...Object.keys(c.local?.fields ?? {}), ...Object.keys(c.remote?.fields ?? {})]);
  return [...fields].map((f) => {
    const col = columnOf(entity, f);
    const show = (v: unknown) => (v === undefined || v === null ? "" : col && col.kind !== "date" ? String(toCell(col, v, lang) ?? "") : String(v));
    const mine = show(c.local?.fields[f as keyof typeof c.local.fields] as FieldValue | undefined);
    const theirs = show(c.remote?.fields[f]);
    return { field: f, label: col ? col.label[lang] : f, mine, theirs, differs: mine !== theirs };
  });
}
