import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { at } from "../../../shared/src/checked.js";
import { msg, type Lang } from "../../../shared/src/errors.js";
import type { FieldChange, HistoryEntry, HistoryOp } from "../../../shared/src/schemas/api.js";
import type { LastChanged } from "../../../shared/src/schemas/changes.js";
import { diffDocuments, mergeWrite } from "../../../shared/src/schemas/merge.js";
import type { ErrorDetail, Validated } from "../../../shared/src/schemas/validation.js";
import { log } from "../log.js";
import { putItem, type StoreContext } from "./client.js";
import { BATCH_GET_MAX_KEYS, batchGetAll, batchPutAll, mapLimit } from "./retry.js";
import { GSI_CHANGES, GSI_OWNER, keys } from "./table.js";

/**
 * The generic versioned-entity store. Every stored business object — account, user,
 * visit plan, target, contract … — is one item `pk=T#<tenant>#<ENT>#<id>, sk=#ITEM` holding its
 * document under `data`, a `version` bumped by every accepted write, and an `outbox` of change
 * records not known to be materialised as history items.
 *
 * - Optimistic concurrency: every write is a PutItem conditioned on the version it read
 *   (`attribute_not_exists(pk)` for a new item) — never a blind overwrite (docs/domain.md §9: no silent
 *   overwrite).
 * - History through an outbox (dynalite has no TransactWriteItems): the change record (who, when,
 *   fields old → new) is written inside the same conditional PutItem, so the write and its record
 *   commit together or not at all. The record is then materialised as the history item
 *   `HIST#<version>`; the outbox holds the records not known to be materialised.
 * - The outbox is cleared lazily, not by an UpdateItem per write: the next writer of the item first
 *   makes sure every record in the outbox it read is a history item (`settle`), and its conditional
 *   PutItem — based on that read — then carries only its own record. A crash anywhere leaves the
 *   records in the outbox; the next touch (write, single get, history read) materialises them.
 * - Batch upserts (the sync) leave their own records in the outbox: each row costs its one
 *   conditional PutItem and nothing more. The next touch materialises them — a later batch write of
 *   the row settles them in its BatchWriteItem pass, a single get or history read repairs them — so
 *   every history read sees them. A first sync thus makes no BatchWriteItem call and no history
 *   put per row (`npm run bench -- sync`; figures in docs/benchmarks.md).
 * - How a record is materialised depends on whether an erasure could ever rewrite it
 *   (`EntityType.erasable` — records holding personal values):
 *   - not erasable: a plain put, batched with BatchWriteItem. No condition is needed: the record is
 *     the one the write that won `<version>` made (or its fully scrubbed form), it holds no personal
 *     values and no erasure ever rewrites it — so a late or repeated put writes the very same item
 *     and can bring nothing back (history stays immutable in effect);
 *   - erasable: only a conditional PutItem (attribute_not_exists), never a blind put — a writer
 *     delayed after an erasure scrubbed `HIST#<version>` would otherwise write the personal values
 *     back. Single server-side changes (`commitChange`) materialise them at once.
 *   Erasure scrubs records still in the outbox inside its own conditional write (`rewriteOutbox`),
 *   then the history items (`rewriteHistory`).
 * - Per-field change metadata (`EntityType.lastChangedKeys`): the same conditional PutItem stores,
 *   per field key, who last changed it and when (`lastChanged`, attribute `lc`), computed from the
 *   write's own change record — no extra request. It holds user ids and times, never values, so
 *   readers who cannot read history still learn who changed a field (conflict cards). Stored as a
 *   JSON string grouped by write, `[[by, at, [keys…]], …]`. A create stores none: at version 1 every
 *   field was set by the creating write (`lastChangedOf` derives it), so a first sync's rows are no
 *   larger than before.
 */
export type Doc = Record<string, unknown>;

export interface EntityType {
  /** Key code (`ACC`, `USER`, `VPLAN` …) — see table.ts. */
  code: string;
  /** Owner user id of a document, indexed on GSI2 for the owner filter. */
  ownerOf?: (data: Doc) => string | undefined;
  /**
   * Change records an erasure could rewrite (they hold personal values): materialised only with a
   * conditional PutItem, never batched (see the module doc). Default: none.
   */
  erasable?: (record: ChangeRecord) => boolean;
  /**
   * Track who last changed each field: the `lastChanged` keys a change record's change touches
   * (see the module doc). Default: not tracked.
   */
  lastChangedKeys?: (change: FieldChange) => string[];
}

/** A change record: the outbox entry and, once materialised, the history item (docs/domain.md §2). */
export interface ChangeRecord {
  version: number;
  at: string;
  by: string;
  op: HistoryOp;
  changes: FieldChange[];
  /** Idempotency-Key of the request that made the change, if any. */
  idempotencyKey?: string;
  /** Links to a related record (e.g. `handover:<id>`). */
  ref?: string;
}

export interface StoredEntity<D extends Doc = Doc> {
  id: string;
  version: number;
  data: D;
  /** ISO time of the last accepted write (= changedAt). */
  updatedAt: string;
  updatedBy: string;
  /** Epoch ms, strictly increasing per item — the change cursor's sort key. */
  changedAt: number;
  deleted: boolean;
  /** Change records not known to be materialised as history items (oldest first). */
  outbox: ChangeRecord[];
  /** Idempotency-Key of the last write (lets a replayed batch recognise its own write). */
  lastIdempotencyKey?: string;
  /** Per field key, the last write that changed it (entities with `lastChangedKeys`). */
  lastChanged?: LastChanged;
}

/** Largest serialised item accepted (DynamoDB's limit is 400 KB; keep room for the outbox). */
export const MAX_ITEM_BYTES = 350_000;
/** Items written in parallel by one batch. */
export const WRITE_CONCURRENCY = 16;

/** `since` sync re-reads this much before the cursor so a write that committed late is not missed. */
export const SYNC_OVERLAP_MS = 5_000;
export const LIST_DEFAULT_LIMIT = 100;
export const LIST_MAX_LIMIT = 1000;

export function isConditionalFailure(e: unknown): boolean {
  return (
    e instanceof ConditionalCheckFailedException ||
    (typeof e === "object" && e !== null && (e as { name?: string }).name === "ConditionalCheckFailedException")
  );
}

// ---------------------------------------------------------------------------------------------
// Item <-> entity

/** A list stored as a JSON string (or, written before that, as a DynamoDB list); absent → []. */
function decodeJsonList<T>(v: unknown): T[] {
  if (typeof v === "string") return JSON.parse(v) as T[];
  return (v as T[] | undefined) ?? [];
}

/** `lc` ⇄ lastChanged: `[[by, at, [keys…]], …]`, one group per (by, at). */
function decodeLastChanged(v: unknown): LastChanged | undefined {
  if (typeof v !== "string") return undefined;
  const out: LastChanged = {};
  for (const [by, at, fields] of JSON.parse(v) as [string, string, string[]][]) {
    const change = { by, at }; // one object per group: encoding groups by identity
    for (const f of fields) out[f] = change;
  }
  return out;
}

/** Groups fields by their entry object (decode and each write share one per group; equal copies only split a group). */
function encodeLastChanged(lc: LastChanged): string {
  const groups = new Map<object, [string, string, string[]]>();
  for (const [f, c] of Object.entries(lc)) {
    let g = groups.get(c);
    if (!g) groups.set(c, (g = [c.by, c.at, []]));
    g[2].push(f);
  }
  return JSON.stringify([...groups.values()]);
}

/**
 * Who last changed each field of a stored entity: the stored map, or — at version 1, where none is
 * stored — every field of the document stamped with the creating write.
 */
export function lastChangedOf(type: EntityType, e: StoredEntity): LastChanged | undefined {
  if (e.lastChanged || !type.lastChangedKeys || e.version !== 1) return e.lastChanged;
  const out: LastChanged = {};
  const change = { by: e.updatedBy, at: e.updatedAt };
  for (const field in e.data) for (const k of type.lastChangedKeys({ field, new: e.data[field] })) out[k] = change;
  return out;
}

/** The next lastChanged: `previous` with each changed field's key set to this write. */
function nextLastChanged(keysOf: NonNullable<EntityType["lastChangedKeys"]>, previous: LastChanged | undefined, record: ChangeRecord, deleted: boolean): LastChanged {
  const out: LastChanged = { ...previous };
  const change = { by: record.by, at: record.at };
  for (const c of record.changes) for (const k of keysOf(c)) out[k] = change;
  // `deleted` says who deleted the item, while it is deleted.
  if (!deleted) delete out.deleted;
  return out;
}

function toEntity<D extends Doc>(item: Record<string, unknown>): StoredEntity<D> {
  const e: StoredEntity<D> = {
    id: item.id as string,
    version: item.version as number,
    data: (item.data as D) ?? ({} as D),
    updatedAt: item.updatedAt as string,
    updatedBy: item.updatedBy as string,
    changedAt: item.changedAt as number,
    deleted: item.deleted === true,
    outbox: decodeJsonList<ChangeRecord>(item.outbox),
  };
  if (typeof item.idem === "string") e.lastIdempotencyKey = item.idem;
  const lc = decodeLastChanged(item.lc);
  if (lc) e.lastChanged = lc;
  return e;
}

function toItem(type: EntityType, tenant: string, e: StoredEntity): Record<string, unknown> {
  const owner = type.ownerOf?.(e.data);
  const changeKey = keys.changeKey(e.changedAt, e.id);
  return {
    pk: keys.entityPk(tenant, type.code, e.id),
    sk: keys.itemSk,
    ent: type.code,
    tenant,
    id: e.id,
    version: e.version,
    data: e.data,
    updatedAt: e.updatedAt,
    updatedBy: e.updatedBy,
    changedAt: e.changedAt,
    deleted: e.deleted,
    ...(e.outbox.length > 0 ? { outbox: JSON.stringify(e.outbox) } : {}),
    idem: e.lastIdempotencyKey,
    ...(e.lastChanged ? { lc: encodeLastChanged(e.lastChanged) } : {}),
    gsi1pk: keys.changesPk(tenant, type.code),
    gsi1sk: changeKey,
    ...(owner ? { gsi2pk: keys.ownerPk(tenant, type.code, owner), gsi2sk: changeKey } : {}),
  };
}

function historyItem(type: EntityType, tenant: string, id: string, r: ChangeRecord): Record<string, unknown> {
  return { pk: keys.entityPk(tenant, type.code, id), sk: keys.historySk(r.version), ent: `${type.code}#HIST`, tenant, id, ...r, changes: JSON.stringify(r.changes) };
}

/** The history entry as the API shows it (HistoryEntrySchema). */
export function toHistoryEntry(r: ChangeRecord): HistoryEntry {
  return { at: r.at, by: r.by, op: r.op, version: r.version, changes: r.changes };
}

// ---------------------------------------------------------------------------------------------
// Reads

export async function getEntity<D extends Doc = Doc>(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  id: string,
  opts: { repair?: boolean } = {},
): Promise<StoredEntity<D> | undefined> {
  const res = await ctx.doc.send(
    new GetCommand({ TableName: ctx.table, Key: { pk: keys.entityPk(tenant, type.code, id), sk: keys.itemSk }, ConsistentRead: true }),
  );
  if (!res.Item) return undefined;
  const e = toEntity<D>(res.Item);
  if (opts.repair !== false) await repair(ctx, type, tenant, [e]);
  return e;
}

/** BatchGetItem of many ids (unprocessed keys retried); repairs outboxes it finds. */
export async function getEntities<D extends Doc = Doc>(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  ids: readonly string[],
  opts: { repair?: boolean } = {},
): Promise<Map<string, StoredEntity<D>>> {
  const unique = [...new Set(ids)];
  const items = await batchGetAll(
    ctx,
    unique.map((id) => ({ pk: keys.entityPk(tenant, type.code, id), sk: keys.itemSk })),
  );
  const out = new Map<string, StoredEntity<D>>();
  for (const item of items) {
    const e = toEntity<D>(item);
    out.set(e.id, e);
  }
  if (opts.repair !== false) await repair(ctx, type, tenant, [...out.values()]);
  return out;
}

export interface ListOptions {
  /** The language of the messages (default en). */
  lang?: Lang;
  /** Owner filter (GSI2). */
  owner?: string;
  /** Change cursor: only items changed after this epoch-ms instant (minus SYNC_OVERLAP_MS). */
  sinceMs?: number;
  limit?: number;
  /** Page token from a previous answer's `next`. */
  next?: string;
  /** Tombstones are returned only when asked (a `since` sync needs them). */
  includeDeleted?: boolean;
  /**
   * Presentation reads: leave the outbox out (ProjectionExpression). Such entities come back with
   * an empty outbox and must never be the base of a write — a write based on them would drop the
   * records still waiting in the stored outbox.
   */
  lean?: boolean;
}

/** Every stored attribute toEntity reads, except the outbox (lean lists). */
const LEAN_PROJECTION = "id, version, #data, updatedAt, updatedBy, changedAt, deleted, idem, lc";

export interface ListPage<D extends Doc = Doc> {
  items: StoredEntity<D>[];
  next?: string;
}

function encodeToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** A page token is only valid for the same tenant, entity and index it was issued for. */
function decodeToken(token: string, indexPkName: string, indexPk: string): Record<string, string> | undefined {
  try {
    const key = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (typeof key !== "object" || key === null || Array.isArray(key)) return undefined;
    const k = key as Record<string, unknown>;
    const names = Object.keys(k).sort();
    const sortName = indexPkName.replace("pk", "sk");
    const expected = ["pk", "sk", indexPkName, sortName].sort();
    if (names.length !== 4 || names.some((n, i) => n !== expected[i])) return undefined;
    if (!names.every((n) => typeof k[n] === "string")) return undefined;
    if (k[indexPkName] !== indexPk) return undefined;
    return k as Record<string, string>;
  } catch {
    return undefined;
  }
}

/** The index a list reads (GSI1 in change order, GSI2 with an owner), its page size and start key. */
function listIndex(type: EntityType, tenant: string, opts: Pick<ListOptions, "owner" | "limit" | "next">) {
  const byOwner = opts.owner !== undefined;
  const indexName: IndexName = byOwner ? GSI_OWNER : GSI_CHANGES;
  const pkName = byOwner ? "gsi2pk" : "gsi1pk";
  const skName = byOwner ? "gsi2sk" : "gsi1sk";
  const pkValue = opts.owner !== undefined ? keys.ownerPk(tenant, type.code, opts.owner) : keys.changesPk(tenant, type.code);
  const limit = Math.min(Math.max(1, opts.limit ?? LIST_DEFAULT_LIMIT), LIST_MAX_LIMIT);
  const start = opts.next === undefined ? undefined : decodeToken(opts.next, pkName, pkValue);
  const badToken = opts.next !== undefined && !start;
  return { indexName, pkName, skName, pkValue, limit, start, badToken };
}

function invalidToken(lang: Lang = "en"): { ok: false; details: ErrorDetail[] } {
  return { ok: false, details: [{ path: "next", message: msg(lang, "翻页令牌无效", "invalid page token") }] };
}

/** An index of the table and its key attributes (table.ts). */
export type IndexName = typeof GSI_CHANGES | typeof GSI_OWNER;
const INDEX_KEYS: Readonly<Record<IndexName, readonly [pk: string, sk: string]>> = {
  [GSI_CHANGES]: ["gsi1pk", "gsi1sk"],
  [GSI_OWNER]: ["gsi2pk", "gsi2sk"],
};
/** What the index check and the repair read of an item, whatever the caller projects. */
const INDEX_CHECK_ATTRIBUTES = ["pk", "id", "version", "deleted", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"];

export interface IndexRead {
  index: IndexName;
  /** The index partition (`keys.changesPk` / `keys.ownerPk`). */
  partition: string;
  /** Only entries whose sort key is greater (the `since` cursor). */
  after?: string;
  limit?: number;
  start?: Record<string, unknown>;
  /** Attributes of the items to return (a ProjectionExpression over the item); default all. */
  projection?: { expression: string; names?: Record<string, string> };
}

export interface IndexPage {
  /** The current items, in index order, each once. */
  items: Record<string, unknown>[];
  last?: Record<string, unknown>;
}

/** Counters of the index reads (tests, benchmarks): entries skipped as stale, items re-indexed. */
export const indexReadStats = { stale: 0, reindexed: 0 };

/**
 * One page of an index, resolved to the current items. The indexes project keys only (table.ts):
 * the Query reads the entries, a consistent BatchGetItem fetches the items they point at. An entry
 * is used only when the item's own keys for that index are the entry's — otherwise it is stale: an
 * index read is eventually consistent on AWS, and on dynalite a write killed between its index
 * writes and its item write leaves an entry for a version that never committed. A stale entry is
 * skipped (its item missing, or listed at its own entry) and repaired (`reindex`): the item gets a
 * fresh key, so it is listed — once — further on; on the last page it is appended here. So a list
 * never serves an item twice nor a copy older than the item.
 */
export async function readIndexPage(ctx: StoreContext, q: IndexRead): Promise<IndexPage> {
  const [pkName, skName] = INDEX_KEYS[q.index];
  const values: Record<string, unknown> = { ":pk": q.partition };
  let condition = `${pkName} = :pk`;
  if (q.after !== undefined) {
    values[":from"] = q.after;
    condition += ` AND ${skName} > :from`;
  }
  const res = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.table,
      IndexName: q.index,
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
      ProjectionExpression: `pk, sk, ${skName}`,
      ...(q.limit !== undefined ? { Limit: q.limit } : {}),
      ...(q.start ? { ExclusiveStartKey: q.start } : {}),
    }),
  );
  const entries = (res.Items ?? []) as { pk: string; sk: string; [k: string]: unknown }[];
  // Two entries of one item (a stale one and its own) are one key: BatchGetItem refuses duplicates.
  const itemPks = [...new Set(entries.map((e) => e.pk))];
  const fetched = await batchGetAll(
    ctx,
    itemPks.map((pk) => ({ pk, sk: keys.itemSk })),
    q.projection ? withAttributes(q.projection, INDEX_CHECK_ATTRIBUTES) : undefined,
    // A full page (LIST_MAX_LIMIT entries) in one round of BatchGetItem requests.
    Math.ceil(LIST_MAX_LIMIT / BATCH_GET_MAX_KEYS),
  );
  const byPk = new Map(fetched.map((i) => [i.pk as string, i]));
  const items: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const stale: { item: Record<string, unknown>; entrySk: string }[] = [];
  for (const entry of entries) {
    const item = byPk.get(entry.pk);
    if (!item) {
      indexReadStats.stale++; // an entry of an item that never committed
      continue;
    }
    if (item[pkName] !== q.partition || item[skName] !== entry[skName]) {
      indexReadStats.stale++;
      stale.push({ item, entrySk: entry[skName] as string });
      continue;
    }
    if (seen.has(entry.pk)) continue;
    seen.add(entry.pk);
    items.push(item);
  }
  const moved = await mapLimit(stale, WRITE_CONCURRENCY, (s) => reindex(ctx, q.index, s.item, q.partition, s.entrySk));
  if (!res.LastEvaluatedKey) {
    // The re-indexed items now sit after every entry read: on the last page they belong here.
    for (const item of moved) {
      if (!item || seen.has(item.pk as string) || item[pkName] !== q.partition) continue;
      seen.add(item.pk as string);
      items.push(item);
    }
  }
  return { items, ...(res.LastEvaluatedKey ? { last: res.LastEvaluatedKey } : {}) };
}

/** Every page of an index read, each item once. */
export async function readIndexAll(ctx: StoreContext, q: Omit<IndexRead, "start" | "limit">): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await readIndexPage(ctx, { ...q, ...(start ? { start } : {}) });
    for (const item of page.items) {
      if (seen.has(item.pk as string)) continue;
      seen.add(item.pk as string);
      out.push(item);
    }
    start = page.last;
  } while (start);
  return out;
}

/** A projection with `attributes` added (a ProjectionExpression must not name a path twice). */
function withAttributes(p: { expression: string; names?: Record<string, string> }, attributes: readonly string[]): { expression: string; names?: Record<string, string> } {
  const paths = p.expression.split(",").map((x) => x.trim());
  const named = new Set(paths.map((x) => p.names?.[x] ?? x));
  const expression = [...paths, ...attributes.filter((a) => !named.has(a))].join(", ");
  return p.names ? { expression, names: p.names } : { expression };
}

/**
 * Repair of a stale index entry: the item first takes the entry's key in that index (which
 * overwrites — and so removes — an orphan entry on dynalite), then fresh keys in every index it
 * belongs to. Both writes are conditioned on the version read and change no data; a concurrent
 * write re-indexes the item itself, and the repair gives way. Returns the item as re-indexed.
 */
async function reindex(
  ctx: StoreContext,
  index: IndexName,
  item: Record<string, unknown>,
  entryPk: string,
  entrySk: string,
): Promise<Record<string, unknown> | undefined> {
  const [pkName, skName] = INDEX_KEYS[index];
  const key = { pk: item.pk, sk: keys.itemSk };
  const fresh = keys.changeKey(Date.now(), item.id as string);
  const owned = typeof item.gsi2pk === "string";
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: key,
        UpdateExpression: "SET #ipk = :epk, #isk = :esk",
        ConditionExpression: "version = :v",
        ExpressionAttributeNames: { "#ipk": pkName, "#isk": skName },
        ExpressionAttributeValues: { ":epk": entryPk, ":esk": entrySk, ":v": item.version },
      }),
    );
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: key,
        UpdateExpression: owned ? "SET gsi1sk = :k, gsi2pk = :own, gsi2sk = :k" : "SET gsi1sk = :k REMOVE gsi2pk, gsi2sk",
        ConditionExpression: "version = :v",
        ExpressionAttributeValues: { ":k": fresh, ":v": item.version, ...(owned ? { ":own": item.gsi2pk } : {}) },
      }),
    );
  } catch (err) {
    // A write moved on (it re-indexed the item), or a read-only caller (no UpdateItem, e.g. eval):
    // the entry stays skipped; a later read with the right repairs it.
    if (!isConditionalFailure(err)) {
      log("warn", "index repair skipped", { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
    return undefined;
  }
  indexReadStats.reindexed++;
  return { ...item, gsi1sk: fresh, ...(owned ? { gsi2sk: fresh } : {}) };
}

/** One page of an entity's items in change order (GSI1, or GSI2 with an owner): `readIndexPage`. */
export async function listEntities<D extends Doc = Doc>(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  opts: ListOptions = {},
): Promise<Validated<ListPage<D>>> {
  const byOwner = opts.owner !== undefined;
  const index: IndexName = byOwner ? GSI_OWNER : GSI_CHANGES;
  const partition = opts.owner !== undefined ? keys.ownerPk(tenant, type.code, opts.owner) : keys.changesPk(tenant, type.code);
  const limit = Math.min(Math.max(1, opts.limit ?? LIST_DEFAULT_LIMIT), LIST_MAX_LIMIT);
  let start: Record<string, string> | undefined;
  if (opts.next !== undefined) {
    start = decodeToken(opts.next, INDEX_KEYS[index][0], partition);
    if (!start) return invalidToken(opts.lang);
  }
  const res = await readIndexPage(ctx, {
    index,
    partition,
    limit,
    // docs/domain.md §9 no loss: re-read SYNC_OVERLAP_MS before the cursor; clients dedupe by version.
    ...(opts.sinceMs !== undefined ? { after: keys.changeKey(Math.max(0, opts.sinceMs - SYNC_OVERLAP_MS), "") } : {}),
    ...(start ? { start } : {}),
    ...(opts.lean ? { projection: { expression: LEAN_PROJECTION, names: { "#data": "data" } } } : {}),
  });
  let items = res.items.map((i) => toEntity<D>(i));
  if (!opts.includeDeleted) items = items.filter((e) => !e.deleted);
  const page: ListPage<D> = { items };
  if (res.last) page.next = encodeToken(res.last);
  return { ok: true, value: page };
}

/** One entry of a change-times list: an item and the time of its change the index holds. */
export interface ChangeEntry {
  id: string;
  updatedAt: string;
}

/**
 * One page of an entity's change times, read from the index alone (a Query, no item reads): the
 * same partition, order, `since` overlap and page tokens as `listEntities`. The index is
 * eventually consistent and keeps tombstones, so an entry may lag its item or name a deleted
 * one: a caller compares the times with the ones it holds and reads the items whose time differs.
 */
export async function listChangeEntries(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  opts: Pick<ListOptions, "owner" | "limit" | "next" | "sinceMs" | "lang"> = {},
): Promise<Validated<{ items: ChangeEntry[]; next?: string }>> {
  const byOwner = opts.owner !== undefined;
  const index: IndexName = byOwner ? GSI_OWNER : GSI_CHANGES;
  const partition = opts.owner !== undefined ? keys.ownerPk(tenant, type.code, opts.owner) : keys.changesPk(tenant, type.code);
  const [pkName, skName] = INDEX_KEYS[index];
  const limit = Math.min(Math.max(1, opts.limit ?? LIST_DEFAULT_LIMIT), LIST_MAX_LIMIT);
  let start: Record<string, string> | undefined;
  if (opts.next !== undefined) {
    start = decodeToken(opts.next, pkName, partition);
    if (!start) return invalidToken(opts.lang);
  }
  const values: Record<string, unknown> = { ":pk": partition };
  let condition = `${pkName} = :pk`;
  if (opts.sinceMs !== undefined) {
    values[":from"] = keys.changeKey(Math.max(0, opts.sinceMs - SYNC_OVERLAP_MS), "");
    condition += ` AND ${skName} > :from`;
  }
  const res = await ctx.doc.send(new QueryCommand({
    TableName: ctx.table,
    IndexName: index,
    KeyConditionExpression: condition,
    ExpressionAttributeValues: values,
    ProjectionExpression: `pk, sk, ${pkName}, ${skName}`,
    Limit: limit,
    ...(start ? { ExclusiveStartKey: start } : {}),
  }));
  const items: ChangeEntry[] = [];
  for (const e of (res.Items ?? []) as Record<string, unknown>[]) {
    // `<changedAt ms, 13 digits>#<id>`
    const key = String(e[skName]);
    const hash = key.indexOf("#");
    if (hash !== 13) continue;
    items.push({ id: key.slice(14), updatedAt: new Date(Number(key.slice(0, 13))).toISOString() });
  }
  return { ok: true, value: res.LastEvaluatedKey ? { items, next: encodeToken(res.LastEvaluatedKey) } : { items } };
}

/** Every item of an entity (all pages) — for server-side operations such as handover. */
export async function listAllEntities<D extends Doc = Doc>(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  opts: Omit<ListOptions, "next" | "limit"> = {},
): Promise<StoredEntity<D>[]> {
  const out: StoredEntity<D>[] = [];
  const seen = new Set<string>();
  let next: string | undefined;
  do {
    const page = await listEntities<D>(ctx, type, tenant, { ...opts, limit: LIST_MAX_LIMIT, ...(next ? { next } : {}) });
    if (!page.ok) throw new Error("listAllEntities: own page token rejected");
    // A repaired item moves further on and could come again on a later page: each once.
    for (const e of page.value.items) if (!seen.has(e.id)) {
      seen.add(e.id);
      out.push(e);
    }
    next = page.value.next;
  } while (next);
  return out;
}

/**
 * One page of an entity's tombstones (the recycle bin), in change order: Queries on GSI1 (GSI2 with
 * an owner) whose FilterExpression keeps deleted items, page after page until `limit` tombstones are
 * found or the index ends; the page token is built from the last tombstone returned. In the worst
 * case it reads the whole partition — a Query, not on the sync path.
 */
export async function listTombstones<D extends Doc = Doc>(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  opts: Pick<ListOptions, "owner" | "limit" | "next" | "lang"> = {},
): Promise<Validated<ListPage<D>>> {
  const index = listIndex(type, tenant, opts);
  if (index.badToken) return invalidToken(opts.lang);
  const { indexName, pkName, skName, pkValue, limit } = index;
  let start: Record<string, unknown> | undefined = index.start;
  const items: StoredEntity<D>[] = [];
  do {
    const res = await readIndexPage(ctx, {
      index: indexName,
      partition: pkValue,
      limit: LIST_MAX_LIMIT,
      ...(start ? { start } : {}),
      projection: { expression: LEAN_PROJECTION, names: { "#data": "data" } },
    });
    for (const i of res.items) if (i.deleted === true) items.push(toEntity<D>(i));
    start = res.last;
  } while (start && items.length < limit);
  const page: ListPage<D> = { items: items.slice(0, limit) };
  const last = page.items.at(-1);
  if (last && (items.length > limit || start)) {
    const sk = keys.changeKey(last.changedAt, last.id);
    page.next = encodeToken({ pk: keys.entityPk(tenant, type.code, last.id), sk: keys.itemSk, [pkName]: pkValue, [skName]: sk });
  }
  return { ok: true, value: page };
}

/** History of one item, oldest first (Query pk, sk begins_with HIST#); repairs the outbox first. */
export async function listHistory(ctx: StoreContext, type: EntityType, tenant: string, id: string): Promise<ChangeRecord[]> {
  await getEntity(ctx, type, tenant, id, { repair: true });
  const out: ChangeRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :h)",
        ExpressionAttributeValues: { ":pk": keys.entityPk(tenant, type.code, id), ":h": keys.historyPrefix },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of (res.Items ?? []) as Record<string, unknown>[]) out.push(recordOf(item));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

function recordOf(item: Record<string, unknown>): ChangeRecord {
  const r: ChangeRecord = {
    version: item.version as number,
    at: item.at as string,
    by: item.by as string,
    op: item.op as HistoryOp,
    changes: decodeJsonList<FieldChange>(item.changes),
  };
  if (typeof item.idempotencyKey === "string") r.idempotencyKey = item.idempotencyKey;
  if (typeof item.ref === "string") r.ref = item.ref;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Materialisation (outbox → history items)

export interface PendingRecord {
  /** Entity id. */
  id: string;
  record: ChangeRecord;
}

async function putHistoryIfAbsent(ctx: StoreContext, type: EntityType, tenant: string, p: PendingRecord): Promise<void> {
  try {
    await ctx.doc.send(
      new PutCommand({ TableName: ctx.table, Item: historyItem(type, tenant, p.id, p.record), ConditionExpression: "attribute_not_exists(pk)" }),
    );
  } catch (err) {
    if (!isConditionalFailure(err)) throw err; // already materialised: history is immutable
  }
}

/**
 * Write history items for outbox records (idempotent). Single changes use a conditional PutItem per
 * record (the only write action every route group is granted). `batched`: records no erasure can
 * rewrite go out with BatchWriteItem — no condition needed, their content is fixed and never
 * rewritten (module doc) — and erasable ones with a conditional PutItem each.
 */
export async function materialiseRecords(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  pending: readonly PendingRecord[],
  opts: { batched?: boolean } = {},
): Promise<void> {
  if (pending.length === 0) return;
  const conditional: PendingRecord[] = [];
  const batched: Record<string, unknown>[] = [];
  for (const p of pending) {
    if (opts.batched && !type.erasable?.(p.record)) batched.push(historyItem(type, tenant, p.id, p.record));
    else conditional.push(p);
  }
  await Promise.all([batchPutAll(ctx, batched), mapLimit(conditional, WRITE_CONCURRENCY, (p) => putHistoryIfAbsent(ctx, type, tenant, p))]);
}

/** The outbox records of these entities. */
function pendingOf(entities: readonly (StoredEntity | undefined)[]): PendingRecord[] {
  return entities.flatMap((e) => (e ? e.outbox.map((record) => ({ id: e.id, record })) : []));
}

/** The read repair: materialise the entities' outboxes, then clear each if the item is unchanged since. */
async function repair(ctx: StoreContext, type: EntityType, tenant: string, entities: readonly StoredEntity[]): Promise<void> {
  const dirty = entities.filter((e) => e.outbox.length > 0);
  if (dirty.length === 0) return;
  await materialiseRecords(ctx, type, tenant, pendingOf(dirty), { batched: dirty.length > 1 });
  await mapLimit(dirty, WRITE_CONCURRENCY, async (e) => {
    try {
      await ctx.doc.send(
        new UpdateCommand({
          TableName: ctx.table,
          Key: { pk: keys.entityPk(tenant, type.code, e.id), sk: keys.itemSk },
          UpdateExpression: "REMOVE outbox",
          ConditionExpression: "version = :v",
          ExpressionAttributeValues: { ":v": e.version },
        }),
      );
      e.outbox = [];
    } catch (err) {
      // A newer write moved on; it settled these records before its put.
      if (!isConditionalFailure(err)) throw err;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Writes

export interface ChangeInput {
  /** The next document. */
  data: Doc;
  deleted?: boolean;
  by: string;
  op: HistoryOp;
  /** Defaults to the field diff between the stored and the next document. */
  changes?: FieldChange[];
  idempotencyKey?: string;
  ref?: string;
  /** Rewrite records still in the outbox (erasure scrubs them); they are carried, not settled first. */
  rewriteOutbox?: (records: ChangeRecord[]) => ChangeRecord[];
}

export type CommitResult<D extends Doc> =
  | { ok: true; stored: StoredEntity<D>; record: ChangeRecord }
  | { ok: false; reason: "conflict"; current: StoredEntity<D> | undefined }
  | { ok: false; reason: "tooLarge" };

type PutOutcome<D extends Doc> = { ok: true; stored: StoredEntity<D>; record: ChangeRecord } | { ok: false; reason: "conflict" | "tooLarge" };

/**
 * The one write primitive: a conditional PutItem of the next state (version + 1, or a new item)
 * whose outbox is `carried` + this change's record. Nothing else is written.
 */
async function putNext<D extends Doc>(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  id: string,
  existing: StoredEntity | undefined,
  input: ChangeInput,
  carried: ChangeRecord[],
): Promise<PutOutcome<D>> {
  const version = (existing?.version ?? 0) + 1;
  const changedAt = Math.max(Date.now(), (existing?.changedAt ?? 0) + 1);
  const at = new Date(changedAt).toISOString();
  const record: ChangeRecord = {
    version,
    at,
    by: input.by,
    op: input.op,
    changes: input.changes ?? diffDocuments(existing?.data, input.data),
  };
  if (input.idempotencyKey) record.idempotencyKey = input.idempotencyKey;
  if (input.ref) record.ref = input.ref;
  const next: StoredEntity<D> = {
    id,
    version,
    data: input.data as D,
    updatedAt: at,
    updatedBy: input.by,
    changedAt,
    deleted: input.deleted === true,
    outbox: [...carried, record],
  };
  if (input.idempotencyKey) next.lastIdempotencyKey = input.idempotencyKey;
  if (type.lastChangedKeys && existing) next.lastChanged = nextLastChanged(type.lastChangedKeys, lastChangedOf(type, existing), record, next.deleted);
  const item = toItem(type, tenant, next);
  if (Buffer.byteLength(JSON.stringify(item), "utf8") > MAX_ITEM_BYTES) return { ok: false, reason: "tooLarge" };
  try {
    await putItem(ctx, {
      Item: item,
      ...(existing
        ? { ConditionExpression: "version = :base", ExpressionAttributeValues: { ":base": existing.version } }
        : { ConditionExpression: "attribute_not_exists(pk)" }),
    });
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    return { ok: false, reason: "conflict" };
  }
  return { ok: true, stored: next, record };
}

/**
 * A single server-side change (approvals, handover, erasure, registration): settle the outbox read
 * with `existing`, conditional PutItem of the next state, then materialise its record(s) at once.
 * `existing` is the state the change is based on; if the stored item moved on, nothing is written
 * and the current state is returned.
 */
export async function commitChange<D extends Doc = Doc>(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  id: string,
  existing: StoredEntity | undefined,
  input: ChangeInput,
): Promise<CommitResult<D>> {
  let carried: ChangeRecord[] = [];
  if (existing && existing.outbox.length > 0) {
    // Erasure carries its scrubbed records instead: personal values must not be written first.
    if (input.rewriteOutbox) carried = input.rewriteOutbox(existing.outbox);
    else await materialiseRecords(ctx, type, tenant, pendingOf([existing]));
  }
  const res = await putNext<D>(ctx, type, tenant, id, existing, input, carried);
  if (!res.ok) {
    if (res.reason === "tooLarge") return { ok: false, reason: "tooLarge" };
    return { ok: false, reason: "conflict", current: await getEntity<D>(ctx, type, tenant, id, { repair: false }) };
  }
  await materialiseRecords(ctx, type, tenant, pendingOf([res.stored]));
  return res;
}

/**
 * Rewrite materialised history items of one entity (erasure is the one permitted edit of history —
 * docs/contracts.md §5.4). `rewrite` returns the new changes or undefined to leave an entry alone.
 * Returns how many entries were rewritten.
 */
export async function rewriteHistory(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  id: string,
  rewrite: (r: ChangeRecord) => FieldChange[] | undefined,
): Promise<number> {
  const records = await listHistory(ctx, type, tenant, id);
  let n = 0;
  for (const r of records) {
    const changes = rewrite(r);
    if (!changes) continue;
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.table,
        Item: historyItem(type, tenant, id, { ...r, changes }),
        ConditionExpression: "attribute_exists(pk)",
      }),
    );
    n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Batch upsert

export type UpsertStatus = "created" | "updated" | "unchanged" | "conflict" | "invalid" | "forbidden";

export interface UpsertResult {
  id: string;
  status: UpsertStatus;
  version?: number;
  /** The write's time; only where the caller asked for it (`stamps`). */
  updatedAt?: string;
  current?: unknown;
  errors?: ErrorDetail[];
}

export interface UpsertInput {
  id: string;
  version?: number | undefined;
  [field: string]: unknown;
}

/** What an entity module tells the generic upsert (rights, merge, presentation). */
export interface UpsertPolicy<W extends UpsertInput, D extends Doc> {
  /** Why the caller may not write this item (checked before any version check), or undefined. */
  forbidden(existing: StoredEntity<D> | undefined, input: W): ErrorDetail[] | undefined;
  /** The merged next document, validated (docs/contracts.md §6 merge semantics). */
  merge(existing: StoredEntity<D> | undefined, input: W): Validated<D>;
  /** The stored item as the caller may see it (conflict `current`). */
  present(stored: StoredEntity<D>): unknown;
  /** Cross-item checks on the merged document (e.g. a known owner). */
  check?(merged: D, existing: StoredEntity<D> | undefined): ErrorDetail[];
}

export interface UpsertOptions {
  idempotencyKey?: string;
  /** The language of the per-item messages (default en). */
  lang?: Lang;
  /**
   * For entities whose write form has no `version` (the user directory): the edit is based on
   * the version just read. The write is still conditional, so a concurrent change is a conflict.
   */
  lastWriterWins?: boolean;
  /** Filled with id → `updatedAt` of each item this batch wrote (a sync keeps it per row). */
  stamps?: Map<string, string>;
}

/**
 * Batch upsert (docs/contracts.md §6): one BatchGetItem pass of the items written on a version; every item
 * decided (rights, version, merge, diff); the outboxes of the items to be written settled in one
 * pass; then one conditional PutItem per changed item, `WRITE_CONCURRENCY` at a time. The new
 * records wait in the outboxes for the next touch (module doc).
 * Results are in input order; one bad item never fails the batch.
 */
export async function upsertBatch<W extends UpsertInput, D extends Doc>(
  ctx: StoreContext,
  type: EntityType,
  tenant: string,
  actor: { id: string },
  inputs: readonly W[],
  policy: UpsertPolicy<W, D>,
  opts: UpsertOptions = {},
): Promise<UpsertResult[]> {
  // Only items written on a stored version are read first. A create (no version) is planned on
  // "absent" and written with attribute_not_exists(pk); if the item does exist, that put fails and
  // the item is planned again on the state read then (conflict, forbidden, or its own replay).
  const toRead = opts.lastWriterWins ? inputs : inputs.filter((i) => (i.version ?? 0) !== 0);
  const existing = await getEntities<D>(ctx, type, tenant, toRead.map((i) => i.id), { repair: false });
  const results = new Array<UpsertResult>(inputs.length);
  const writes: PlannedWrite<W, D>[] = [];
  const seen = new Set<string>();
  const unread: number[] = [];
  inputs.forEach((input, index) => {
    if (seen.has(input.id)) {
      results[index] = { id: input.id, status: "invalid", errors: [{ path: "id", message: msg(opts.lang ?? "en", "同一 id 在本批中出现了两次", "the same id appears twice in this batch") }] };
      return;
    }
    seen.add(input.id);
    const planned = planUpsert(input, existing.get(input.id), policy, opts.idempotencyKey, opts.lastWriterWins === true);
    if (!("result" in planned)) writes.push({ ...planned, index });
    else if (toRead !== inputs && (input.version ?? 0) === 0) unread.push(index);
    else results[index] = planned.result;
  });
  // A create refused on "absent" (invalid, forbidden) may be a partial write of an item that does
  // exist: decide those on the stored state (a conflict, then, not a missing-field error).
  if (unread.length > 0) {
    const stored = await getEntities<D>(ctx, type, tenant, unread.map((i) => at(inputs, i, "inputs").id), { repair: false });
    for (const index of unread) {
      const input = at(inputs, index, "inputs");
      const planned = planUpsert(input, stored.get(input.id), policy, opts.idempotencyKey, false);
      if ("result" in planned) results[index] = planned.result;
      else writes.push({ ...planned, index });
    }
    writes.sort((a, b) => a.index - b.index);
  }
  // Records left in the outboxes of the items about to be written become history items first, so
  // each conditional put below carries only its own record.
  await materialiseRecords(ctx, type, tenant, pendingOf(writes.map((w) => w.existing)), { batched: true });
  await mapLimit(writes, WRITE_CONCURRENCY, async (w) => {
    const id = w.input.id;
    const res = await putNext<D>(ctx, type, tenant, id, w.existing, {
      data: w.data,
      by: actor.id,
      op: w.existing ? "update" : "create",
      changes: w.changes,
      ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
    }, []);
    if (res.ok) {
      results[w.index] = { id, status: w.existing ? "updated" : "created", version: res.stored.version };
      opts.stamps?.set(id, res.stored.updatedAt);
    } else if (res.reason === "tooLarge") {
      results[w.index] = { id, status: "invalid", errors: [{ path: "", message: msg(opts.lang ?? "en", `单项超过 ${MAX_ITEM_BYTES} 字节`, `item larger than ${MAX_ITEM_BYTES} bytes`) }] };
    } else {
      // Lost the race, or a create found the item there: plan again on the state that won (rights
      // first — e.g. a handover moved the account —, then version, or this request's own replay).
      const current = await getEntity<D>(ctx, type, tenant, id, { repair: false });
      const again = planUpsert(w.input, current, policy, opts.idempotencyKey, false);
      results[w.index] = "result" in again && again.result.status !== "invalid" ? again.result : conflictResult(id, current, policy);
    }
  });
  return results;
}

interface PlannedWrite<W, D extends Doc> {
  index: number;
  input: W;
  existing: StoredEntity<D> | undefined;
  data: D;
  changes: FieldChange[];
}

/** Decide one item without writing: a final result, or the document to write and its changes. */
function planUpsert<W extends UpsertInput, D extends Doc>(
  input: W,
  existing: StoredEntity<D> | undefined,
  policy: UpsertPolicy<W, D>,
  idempotencyKey: string | undefined,
  lastWriterWins: boolean,
): { result: UpsertResult } | Omit<PlannedWrite<W, D>, "index"> {
  const reason = policy.forbidden(existing, input);
  if (reason) return { result: { id: input.id, status: "forbidden", errors: reason } };
  const base = lastWriterWins ? (existing?.version ?? 0) : (input.version ?? 0);
  const storedVersion = existing?.version ?? 0;
  if (base !== storedVersion || existing?.deleted) {
    // A replayed request whose own write landed (crash before the response was stored).
    if (
      existing &&
      idempotencyKey !== undefined &&
      existing.lastIdempotencyKey === idempotencyKey &&
      existing.version === base + 1
    ) {
      return { result: { id: input.id, status: base === 0 ? "created" : "updated", version: existing.version } };
    }
    return { result: conflictResult(input.id, existing, policy) };
  }
  const merged = policy.merge(existing, input);
  if (!merged.ok) return { result: { id: input.id, status: "invalid", errors: merged.details } };
  const checkDetails = policy.check?.(merged.value, existing) ?? [];
  if (checkDetails.length > 0) return { result: { id: input.id, status: "invalid", errors: checkDetails } };
  const changes = diffDocuments(existing?.data, merged.value);
  if (existing && changes.length === 0) return { result: { id: input.id, status: "unchanged", version: existing.version } };
  return { input, existing, data: merged.value, changes };
}

function conflictResult<D extends Doc>(id: string, current: StoredEntity<D> | undefined, policy: UpsertPolicy<never, D>): UpsertResult {
  const r: UpsertResult = { id, status: "conflict", version: current?.version ?? 0 };
  if (current) r.current = current.deleted ? { id, version: current.version, deleted: true } : policy.present(current);
  return r;
}

/**
 * docs/contracts.md §6 merge of a stored document with a write (shared `mergeWrite`: present
 * replaces, absent keeps, null clears), as stored — without `id` and `version`.
 */
export function mergeDocument(existing: Doc | undefined, write: Doc): Doc {
  const { id: _id, ...doc } = mergeWrite(existing, write);
  return doc;
}
