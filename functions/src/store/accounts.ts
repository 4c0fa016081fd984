import {
  canReadPersonal,
  canReviewArchive,
  checkAccountWrite,
  defaultAccountOwner,
  ownerEligible,
  redactAccount,
  type Principal,
} from "../../../shared/src/access.js";
import { at } from "../../../shared/src/checked.js";
import type { Role } from "../../../shared/src/labels.js";
import { stageGateDetails } from "../../../shared/src/stageGates.js";
import { handoverSelection, nothingToHandOver } from "../../../shared/src/recordWrites.js";
import type { Account, AccountContent, AccountWrite, Contact } from "../../../shared/src/schemas/account.js";
import type { FieldChange, HandoverRecord } from "../../../shared/src/schemas/api.js";
import { lastChangedKeys, type DeletedAccount, type LastChanged, type Tombstone } from "../../../shared/src/schemas/changes.js";
import { isPlainObject, mergeAccountWrite } from "../../../shared/src/schemas/merge.js";
import type { Validated } from "../../../shared/src/schemas/validation.js";
import type { Lang } from "../../../shared/src/errors.js";
import type { StoreContext } from "./client.js";
import {
  commitChange,
  getEntity,
  lastChangedOf,
  listAllEntities,
  listTombstones,
  rewriteHistory,
  upsertBatch,
  type ChangeRecord,
  type Doc,
  type EntityType,
  type StoredEntity,
  type UpsertPolicy,
  type UpsertResult,
} from "./entity.js";
import { getUsers } from "./users.js";

/**
 * The account archive (客户档案, docs/domain.md §2) on the generic entity store: entity `ACC`, owner on
 * GSI2 so a manager's accounts are one Query. Rights and redaction come from shared/src/access.ts.
 * Change records holding contacts' personal values are `erasable`: erasure scrubs them, so they are
 * only ever materialised by conditional writes (entity.ts).
 */
export const ACCOUNT: EntityType = {
  code: "ACC",
  ownerOf: (d) => (typeof d.owner === "string" ? d.owner : undefined),
  erasable: holdsPersonal,
  lastChangedKeys,
};
export const HANDOVER: EntityType = { code: "HANDOVER" };

/** The stored content; `lastReviewed` (an ISO date) is set by the review action only. */
export type AccountDoc = AccountContent & { lastReviewed?: string } & Doc;

/** Retries of a server-side change (handover, erasure) that lost a race with a concurrent write. */
export const SERVER_CHANGE_ATTEMPTS = 8;

/** Stored entity → the API's account shape (AccountSchema). */
export function presentAccount(e: StoredEntity<AccountDoc>): Account {
  const a = { id: e.id, version: e.version, ...e.data, updatedAt: e.updatedAt, updatedBy: e.updatedBy } as Account;
  if (e.deleted) a.deleted = true;
  const lastChanged = lastChangedOf(ACCOUNT, e);
  if (lastChanged) a.lastChanged = lastChanged;
  return a;
}

/**
 * Fill `byName` into lastChanged maps from the tenant's directory: one BatchGetItem for all the
 * authors named (answers with few accounts: a single get, conflict results). Returns new maps.
 */
export async function withAuthorNames(ctx: StoreContext, tenant: string, maps: readonly LastChanged[]): Promise<LastChanged[]> {
  const ids = new Set<string>();
  for (const m of maps) for (const v of Object.values(m)) ids.add(v.by);
  if (ids.size === 0) return [...maps];
  const users = await getUsers(ctx, tenant, [...ids]);
  return maps.map((m) => {
    const out: LastChanged = {};
    for (const [k, v] of Object.entries(m)) {
      const name = users.get(v.by)?.data.name;
      out[k] = name === undefined ? { by: v.by, at: v.at } : { by: v.by, byName: name, at: v.at };
    }
    return out;
  });
}

/** A tombstone as a `since` sync sees it. */
export function presentTombstone(e: StoredEntity): Tombstone {
  return { id: e.id, version: e.version, deleted: true, updatedAt: e.updatedAt };
}

/** Directory entries (roles) of the users a batch names as owners. */
export type OwnerDirectory = ReadonlyMap<string, { roles: readonly Role[] }>;

/** The upsert policy of one caller: rights (access.ts), merge, redaction, eligible owners. */
export function accountPolicy(p: Principal, owners: OwnerDirectory, lang: Lang = "en"): UpsertPolicy<AccountWrite & { id: string }, AccountDoc> {
  return {
    forbidden(existing, input) {
      const d = checkAccountWrite(p, existing ? { owner: existing.data.owner, deleted: existing.deleted } : undefined, input, lang);
      return d.allowed ? undefined : d.details;
    },
    merge(existing, input) {
      let write = input;
      // A manager creating an account without naming an owner creates it for themselves (docs/contracts.md).
      const newOwner = defaultAccountOwner(p);
      if (!existing && write.owner === undefined && newOwner !== undefined) write = { ...write, owner: newOwner };
      const owner = existing?.data.owner ?? write.owner ?? undefined;
      // docs/contracts.md §6: personal is never touched by a writer who cannot read it.
      const r = mergeAccountWrite(existing?.data, write, {}, { personal: canReadPersonal(p, { ...(owner ? { owner } : {}) }), lang });
      if (!r.ok) return r;
      const { id: _id, ...doc } = r.value;
      // A profile write never touches the server-set review date.
      const lastReviewed = existing?.data.lastReviewed;
      return { ok: true, value: (lastReviewed === undefined ? doc : { ...doc, lastReviewed }) as AccountDoc };
    },
    present(stored) {
      return redactAccount(presentAccount(stored), p);
    },
    check(merged, existing) {
      // docs/contracts.md §8.7: an owner must be a directory user with the manager role — checked when the owner
      // is set or changed, so an account whose stored owner lost the role still takes other edits.
      const problem = merged.owner === existing?.data.owner ? undefined : ownerEligible(merged.owner, owners.get(merged.owner), "owner", lang);
      // docs/domain.md §4 stage gates on the merged record, judged only when stage, grade, deal status or
      // the termination record changes: an account stored in breach still takes unrelated edits.
      return [...(problem ? [problem] : []), ...stageGateDetails(existing?.data, merged, lang)];
    },
  };
}

export async function upsertAccounts(
  ctx: StoreContext,
  p: Principal,
  items: readonly (AccountWrite & { id: string })[],
  opts: { idempotencyKey?: string; lang?: Lang; stamps?: Map<string, string> } = {},
): Promise<UpsertResult[]> {
  const owners = new Set<string>();
  for (const i of items) if (typeof i.owner === "string") owners.add(i.owner);
  owners.add(p.userId);
  const directory = new Map<string, { roles: readonly Role[] }>();
  for (const [id, u] of await getUsers(ctx, p.tenant, [...owners])) directory.set(id, { roles: u.data.roles });
  const results = await upsertBatch(ctx, ACCOUNT, p.tenant, { id: p.userId }, items, accountPolicy(p, directory, opts.lang), opts);
  // A conflict card names who last changed the store's side of each field (docs/contracts.md §8).
  const named = results.filter((r): r is UpsertResult & { current: { lastChanged: LastChanged } } => {
    const lc = (r.current as { lastChanged?: LastChanged } | undefined)?.lastChanged;
    return r.status === "conflict" && lc !== undefined;
  });
  if (named.length > 0) {
    const maps = await withAuthorNames(ctx, p.tenant, named.map((r) => r.current.lastChanged));
    named.forEach((r, i) => (r.current = { ...r.current, lastChanged: at(maps, i, "lastChanged with author names") }));
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Tombstone delete

export type DeleteOutcome =
  | { ok: true; stored: StoredEntity<AccountDoc> }
  | { ok: false; reason: "notFound" }
  | { ok: false; reason: "conflict"; version: number };

/** Tombstone delete (directors): a versioned write `deleted: true`; the data stays for history. */
export async function deleteAccount(
  ctx: StoreContext,
  p: Principal,
  id: string,
  baseVersion: number | undefined,
  idempotencyKey?: string,
): Promise<DeleteOutcome> {
  for (let attempt = 0; attempt < SERVER_CHANGE_ATTEMPTS; attempt++) {
    const existing = await getEntity<AccountDoc>(ctx, ACCOUNT, p.tenant, id);
    if (!existing || existing.deleted) return { ok: false, reason: "notFound" };
    if (baseVersion !== undefined && baseVersion !== existing.version) return { ok: false, reason: "conflict", version: existing.version };
    const res = await commitDeleted(ctx, p, existing, true, idempotencyKey);
    if (res.ok) return { ok: true, stored: res.stored };
    if (baseVersion !== undefined) return { ok: false, reason: "conflict", version: res.ok === false && res.reason === "conflict" ? (res.current?.version ?? 0) : 0 };
  }
  return { ok: false, reason: "conflict", version: -1 };
}

// ---------------------------------------------------------------------------------------------
// Recycle bin (回收站) and restore

/** A tombstone as the recycle bin lists it; who deleted it and when come from `lastChanged`. */
export function presentDeleted(e: StoredEntity<AccountDoc>): DeletedAccount {
  const del = e.lastChanged?.deleted;
  return {
    id: e.id,
    name: e.data.name,
    owner: e.data.owner,
    deletedBy: del?.by ?? e.updatedBy,
    deletedAt: del?.at ?? e.updatedAt,
    version: e.version,
  };
}

/** One page of deleted accounts (all, or one owner's), with the deleting users' names. */
export async function listDeletedAccounts(
  ctx: StoreContext,
  tenant: string,
  opts: { owner?: string; limit?: number; next?: string; lang?: Lang },
): Promise<Validated<{ items: DeletedAccount[]; next?: string }>> {
  const page = await listTombstones<AccountDoc>(ctx, ACCOUNT, tenant, opts);
  if (!page.ok) return page;
  const items = page.value.items.map(presentDeleted);
  const users = await getUsers(ctx, tenant, [...new Set(items.map((i) => i.deletedBy))]);
  for (const i of items) {
    const name = users.get(i.deletedBy)?.data.name;
    if (name !== undefined) i.deletedByName = name;
  }
  return { ok: true, value: page.value.next ? { items, next: page.value.next } : { items } };
}

export type RestoreOutcome =
  | { ok: true; stored: StoredEntity<AccountDoc> }
  | { ok: false; reason: "notFound" | "notDeleted" };

/**
 * Restore a tombstone (directors): the content it holds — the last content, with any erasure made
 * while it was deleted — comes back at version + 1 with a `restore` history entry.
 */
export async function restoreAccount(ctx: StoreContext, p: Principal, id: string, idempotencyKey?: string): Promise<RestoreOutcome> {
  for (let attempt = 0; attempt < SERVER_CHANGE_ATTEMPTS; attempt++) {
    const existing = await getEntity<AccountDoc>(ctx, ACCOUNT, p.tenant, id);
    if (!existing) return { ok: false, reason: "notFound" };
    if (!existing.deleted) {
      // A replay of this very restore (its response was lost) answers as the restore did.
      if (idempotencyKey !== undefined && existing.lastIdempotencyKey === idempotencyKey) return { ok: true, stored: existing };
      return { ok: false, reason: "notDeleted" };
    }
    const res = await commitDeleted(ctx, p, existing, false, idempotencyKey);
    if (res.ok) return { ok: true, stored: res.stored };
  }
  throw new Error("restore: the account kept changing; retry");
}

/** Tombstone (`delete`) or bring back (`restore`) the stored content as it is, on `existing`'s version. */
function commitDeleted(ctx: StoreContext, p: Principal, existing: StoredEntity<AccountDoc>, deleted: boolean, idempotencyKey: string | undefined) {
  return commitChange<AccountDoc>(ctx, ACCOUNT, p.tenant, existing.id, existing, {
    data: existing.data,
    deleted,
    by: p.userId,
    op: deleted ? "delete" : "restore",
    changes: [{ field: "deleted", old: !deleted, new: deleted }],
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// Archive review (docs/domain.md §2: every account reviewed at least every 6 months; stale after 183 days)

export type ReviewOutcome =
  | { ok: true; stored: StoredEntity<AccountDoc>; changed: boolean }
  | { ok: false; reason: "notFound" | "forbidden" };

/**
 * "Archive reviewed": sets `lastReviewed` to `date` (today in the tenant's zone) at version + 1
 * with a `review` history entry. A second review the same day, or a replay of this one, changes
 * nothing. Rights: canReviewArchive (access.ts).
 */
export async function reviewAccount(ctx: StoreContext, p: Principal, id: string, date: string, idempotencyKey?: string): Promise<ReviewOutcome> {
  for (let attempt = 0; attempt < SERVER_CHANGE_ATTEMPTS; attempt++) {
    const existing = await getEntity<AccountDoc>(ctx, ACCOUNT, p.tenant, id);
    if (!existing || existing.deleted) return { ok: false, reason: "notFound" };
    if (!canReviewArchive(p, existing.data)) return { ok: false, reason: "forbidden" };
    const replay = idempotencyKey !== undefined && existing.lastIdempotencyKey === idempotencyKey;
    if (replay || existing.data.lastReviewed === date) return { ok: true, stored: existing, changed: false };
    const res = await commitChange<AccountDoc>(ctx, ACCOUNT, p.tenant, id, existing, {
      data: { ...existing.data, lastReviewed: date },
      by: p.userId,
      op: "review",
      changes: [{ field: "lastReviewed", ...(existing.data.lastReviewed !== undefined ? { old: existing.data.lastReviewed } : {}), new: date }],
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    if (res.ok) return { ok: true, stored: res.stored, changed: true };
  }
  throw new Error("review: the account kept changing; retry");
}

// ---------------------------------------------------------------------------------------------
// Handover (资料交接 — docs/domain.md §2)

export interface HandoverResult extends HandoverRecord {
  id: string;
}

/**
 * A director reassigns `from`'s accounts (all, or the listed ones) to `to`. Each account changes
 * owner in its own conditional write with a `handover` history entry, so the old owner loses access
 * at the moment of that write; then the handover itself is recorded (from, to, approvedBy, at,
 * accountIds) as a `HANDOVER` entity.
 */
export async function handoverAccounts(
  ctx: StoreContext,
  p: Principal,
  req: { from: string; to: string; accountIds?: string[] | undefined },
  handoverId: string,
  idempotencyKey?: string,
  lang: Lang = "en",
): Promise<Validated<HandoverResult>> {
  const users = await getUsers(ctx, p.tenant, [req.to, req.from]);
  const fromName = users.get(req.from)?.data.name ?? req.from;
  const problem = ownerEligible(req.to, users.get(req.to)?.data, "to", lang);
  if (problem) return { ok: false, details: [problem] };
  const owned = await listAllEntities<AccountDoc>(ctx, ACCOUNT, p.tenant, { owner: req.from });
  const selected = handoverSelection(owned, req.accountIds, fromName, lang);
  if (!selected.ok) return selected;
  const targets = selected.value;
  const moved: string[] = [];
  for (const account of targets) {
    let current: StoredEntity<AccountDoc> | undefined = account;
    for (let attempt = 0; current && attempt < SERVER_CHANGE_ATTEMPTS; attempt++) {
      if (current.deleted || current.data.owner !== req.from) break;
      const res: Awaited<ReturnType<typeof commitChange<AccountDoc>>> = await commitChange<AccountDoc>(ctx, ACCOUNT, p.tenant, current.id, current, {
        data: { ...current.data, owner: req.to },
        by: p.userId,
        op: "handover",
        ref: `handover:${handoverId}`,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
      if (res.ok) {
        moved.push(current.id);
        break;
      }
      current = res.reason === "conflict" ? res.current : undefined;
    }
  }
  if (moved.length === 0) return { ok: false, details: [nothingToHandOver(fromName, lang)] };
  const at = new Date().toISOString();
  const record: HandoverRecord = { from: req.from, to: req.to, approvedBy: p.userId, at, accountIds: moved };
  await commitChange(ctx, HANDOVER, p.tenant, handoverId, undefined, {
    data: record as unknown as Doc,
    by: p.userId,
    op: "create",
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  return { ok: true, value: { id: handoverId, ...record } };
}

export async function listHandovers(ctx: StoreContext, tenant: string): Promise<HandoverResult[]> {
  const all = await listAllEntities(ctx, HANDOVER, tenant);
  return all.map((e) => ({ id: e.id, ...(e.data as unknown as HandoverRecord) })).sort((a, b) => a.at.localeCompare(b.at));
}

// ---------------------------------------------------------------------------------------------
// Erasure (docs/domain.md §2: personal details can be erased on request; erasure also removes them from
// history; docs/contracts.md §5.4: the one permitted edit of history, and it is itself recorded)

/**
 * Does a change record hold a contact's personal values — anything `scrubContactPersonal` could
 * remove, for any contact? (A `….personal…` path, or an old/new value with a `personal` member at
 * any depth.) Errs on the side of yes.
 */
export function holdsPersonal(record: ChangeRecord): boolean {
  const hasPersonalMember = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.some(hasPersonalMember);
    if (!isPlainObject(v)) return false;
    return "personal" in v || Object.values(v).some(hasPersonalMember);
  };
  return record.changes.some((c) => /\.personal(\.|$)/.test(c.field) || hasPersonalMember(c.old) || hasPersonalMember(c.new));
}

function withoutPersonal(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  const { personal: _p, ...rest } = v;
  return rest;
}

/** The changes with one contact's personal values removed; undefined when nothing held them. */
export function scrubContactPersonal(changes: readonly FieldChange[], contactId: string): FieldChange[] | undefined {
  const base = `contacts[${contactId}]`;
  let touched = false;
  const out = changes.map((c): FieldChange => {
    if (c.field === `${base}.personal` || c.field.startsWith(`${base}.personal.`)) {
      if (!("old" in c) && !("new" in c)) return c;
      touched = true;
      return { field: c.field, redacted: true };
    }
    const fix = (v: unknown): unknown => {
      if (c.field === base && isPlainObject(v) && "personal" in v) {
        touched = true;
        return withoutPersonal(v);
      }
      if (c.field === "contacts" && Array.isArray(v)) {
        return v.map((x) => {
          if (isPlainObject(x) && x.id === contactId && "personal" in x) {
            touched = true;
            return withoutPersonal(x);
          }
          return x;
        });
      }
      return v;
    };
    const r: FieldChange = { field: c.field };
    if ("old" in c) r.old = fix(c.old);
    if ("new" in c) r.new = fix(c.new);
    if (c.redacted) r.redacted = true;
    return r;
  });
  return touched ? out : undefined;
}

export interface ErasureResult {
  accountId: string;
  contactId: string;
  /** The account version whose history entry records the erasure. */
  version: number;
  at: string;
  by: string;
  /** History entries from which personal values were removed. */
  historyEntriesScrubbed: number;
}

export async function eraseContactPersonal(
  ctx: StoreContext,
  p: Principal,
  req: { accountId: string; contactId: string },
  idempotencyKey?: string,
): Promise<ErasureResult | undefined> {
  for (let attempt = 0; attempt < SERVER_CHANGE_ATTEMPTS; attempt++) {
    const existing = await getEntity<AccountDoc>(ctx, ACCOUNT, p.tenant, req.accountId);
    if (!existing) return undefined;
    const contacts = existing.data.contacts?.map((c) => (c.id === req.contactId ? (withoutPersonal(c) as Contact) : c));
    const data = { ...existing.data, ...(contacts ? { contacts } : {}) } as AccountDoc;
    const scrubOutbox = (records: ChangeRecord[]) =>
      records.map((r) => ({ ...r, changes: scrubContactPersonal(r.changes, req.contactId) ?? r.changes }));
    const res = await commitChange<AccountDoc>(ctx, ACCOUNT, p.tenant, req.accountId, existing, {
      data,
      deleted: existing.deleted,
      by: p.userId,
      op: "erasure",
      changes: [{ field: `contacts[${req.contactId}].personal`, redacted: true }],
      rewriteOutbox: scrubOutbox,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    if (!res.ok) continue;
    const erasureVersion = res.stored.version;
    const scrubbed = await rewriteHistory(ctx, ACCOUNT, p.tenant, req.accountId, (r) =>
      r.version === erasureVersion ? undefined : scrubContactPersonal(r.changes, req.contactId),
    );
    return { accountId: req.accountId, contactId: req.contactId, version: erasureVersion, at: res.stored.updatedAt, by: p.userId, historyEntriesScrubbed: scrubbed };
  }
  throw new Error("erasure: the account kept changing; retry");
}
