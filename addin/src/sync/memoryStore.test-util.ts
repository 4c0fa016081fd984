/**
 * An in-memory store with the API's write semantics (docs/contracts.md §6: version check per item,
 * merge — present replaces, absent keeps, null clears; contacts merge by id), for sync tests.
 * The end-to-end test runs the same engine against the real local stack.
 * Like the API it keeps `lastChanged` (who last changed each field key, when — shared
 * `lastChangedKeys`), names the authors in a conflict's `current` (`byName` from `directory`),
 * and has the recycle bin (`listDeletedAccounts`, `restoreAccount`). Its directory (`users`, `teams`)
 * answers as `GET /v1/users` and `GET /v1/teams` do.
 */
import { lastChangedKeys, type DeletedAccount, type LastChanged } from "../../../shared/src/schemas/changes.js";
import { diffDocuments } from "../../../shared/src/schemas/merge.js";
import type { EntityDef } from "./entities.js";
import type { Directory, DirectoryUser } from "./engine.js";
import type { ApiResult, ItemResult, SyncRemote } from "./remote.js";

/** Fields of a stored item that are not content (the id and server fields: not diffed, not stamped). */
const SERVER_FIELDS = ["id", "version", "updatedAt", "updatedBy", "lastChanged", "deleted"];

function contentOf(o: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(o ?? {}) };
  for (const k of SERVER_FIELDS) delete out[k];
  return out;
}

export class MemoryStore implements SyncRemote {
  items = new Map<string, Record<string, unknown>>();
  requests: { kind: "list" | "upsert" | "delete" | "restore" | "directory"; count: number; key?: string; since?: string }[] = [];
  /** The tenant's directory (GET /v1/users, /v1/teams); names authors in conflicts and the bin. */
  users: DirectoryUser[] = [];
  teams: { id: string; name: string }[] = [];
  /** User id stamped by `upsert`, `tombstone` and `restoreAccount` (the signed-in user). */
  actor = "u-sync";
  private clock = 0;

  /** `lastChanged` of `cur` with every key `changes` touch set to (by, at) (as the API's write path). */
  private stampFields(prev: Record<string, unknown> | undefined, next: Record<string, unknown>, by: string, at: string): LastChanged {
    const out: LastChanged = { ...((prev?.lastChanged as LastChanged | undefined) ?? {}) };
    for (const c of diffDocuments(contentOf(prev), contentOf(next))) for (const k of lastChangedKeys(c)) out[k] = { by, at };
    return out;
  }

  private named(item: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    const lc = item?.lastChanged as LastChanged | undefined;
    if (!item || !lc) return item;
    const out: LastChanged = {};
    for (const [k, v] of Object.entries(lc)) {
      const name = this.nameOf(v.by);
      out[k] = name === undefined ? v : { ...v, byName: name };
    }
    return { ...item, lastChanged: out };
  }

  async directory(): Promise<ApiResult<Directory>> {
    this.requests.push({ kind: "directory", count: 0 });
    return { ok: true, value: { users: this.users, teams: this.teams } };
  }

  private nameOf(id: string): string | undefined {
    return this.users.find((u) => u.id === id)?.name;
  }

  private stamp(): string {
    this.clock++;
    return `2026-01-01T00:00:${String(this.clock).padStart(6, "0")}Z`;
  }

  /** Another user's write (director editing in the store; `null` clears); `by` is stamped in `lastChanged`. */
  edit(id: string, fields: Record<string, unknown>, by = "u-other"): void {
    const cur = this.items.get(id)!;
    const next: Record<string, unknown> = { ...cur };
    for (const [k, v] of Object.entries(fields)) { if (v === null) delete next[k]; else next[k] = v; }
    next.version = (cur.version as number) + 1;
    next.updatedAt = this.stamp();
    next.lastChanged = this.stampFields(cur, next, by, next.updatedAt as string);
    this.items.set(id, next);
  }

  async list(_entity: EntityDef, since?: string): Promise<ApiResult<Record<string, unknown>[]>> {
    const all = [...this.items.values()];
    this.requests.push({ kind: "list", count: 0, since });
    return { ok: true, value: since ? all.filter((i) => String(i.updatedAt) > since) : all.filter((i) => !i.deleted) };
  }

  async upsert(_entity: EntityDef, items: Record<string, unknown>[], key: string): Promise<ApiResult<ItemResult[]>> {
    this.requests.push({ kind: "upsert", count: items.length, key });
    const out: ItemResult[] = items.map((w) => {
      const id = String(w.id);
      const cur = this.items.get(id);
      const base = (w.version as number | undefined) ?? 0;
      const stored = (cur?.version as number | undefined) ?? 0;
      if (base !== stored || cur?.deleted) {
        const current = cur?.deleted ? { id, version: stored, deleted: true } : this.named(cur);
        return { id, status: "conflict", version: stored, current };
      }
      const next: Record<string, unknown> = { ...(cur ?? {}) };
      for (const [k, v] of Object.entries(w)) {
        if (k === "version" || k === "contacts") continue;
        if (v === null) delete next[k];
        else next[k] = v;
      }
      if (Array.isArray(w.contacts)) {
        const contacts = [...((cur?.contacts as Record<string, unknown>[]) ?? [])];
        for (const c of w.contacts as Record<string, unknown>[]) {
          const i = contacts.findIndex((x) => x.id === c.id);
          if (c.deleted) { if (i >= 0) contacts.splice(i, 1); continue; }
          const merged = { ...(i >= 0 ? contacts[i] : {}) } as Record<string, unknown>;
          for (const [k, v] of Object.entries(c)) { if (v === null) delete merged[k]; else merged[k] = v; }
          if (i >= 0) contacts[i] = merged; else contacts.push(merged);
        }
        next.contacts = contacts;
      }
      const strip = (o: Record<string, unknown> | undefined) => JSON.stringify({ ...(o ?? {}), version: 0, updatedAt: 0, lastChanged: 0 });
      if (cur && strip(cur) === strip(next)) return { id, status: "unchanged", version: stored };
      next.version = stored + 1;
      next.updatedAt = this.stamp();
      next.lastChanged = this.stampFields(cur, next, this.actor, next.updatedAt as string);
      this.items.set(id, next);
      return { id, status: cur ? "updated" : "created", version: stored + 1 };
    });
    return { ok: true, value: out };
  }

  async tombstone(_entity: EntityDef, id: string): Promise<ApiResult<void>> {
    this.requests.push({ kind: "delete", count: 1 });
    const cur = this.items.get(id);
    if (!cur) return { ok: false, error: { status: 404, code: "not_found", message: "not found", details: [] } };
    const at = this.stamp();
    const lastChanged = { ...((cur.lastChanged as LastChanged | undefined) ?? {}), deleted: { by: this.actor, at } };
    this.items.set(id, { ...cur, deleted: true, version: (cur.version as number) + 1, updatedAt: at, lastChanged });
    return { ok: true, value: undefined };
  }

  /** The recycle bin as `GET /v1/accounts?deleted=true` answers it (every tombstone). */
  async listDeletedAccounts(): Promise<ApiResult<DeletedAccount[]>> {
    this.requests.push({ kind: "list", count: 0 });
    const out: DeletedAccount[] = [];
    for (const i of this.items.values()) {
      if (!i.deleted) continue;
      const del = (i.lastChanged as LastChanged | undefined)?.deleted;
      const d: DeletedAccount = {
        id: String(i.id), name: String(i.name), owner: String(i.owner),
        deletedBy: del?.by ?? this.actor, deletedAt: del?.at ?? String(i.updatedAt), version: i.version as number,
      };
      const name = this.nameOf(d.deletedBy);
      if (name !== undefined) d.deletedByName = name;
      out.push(d);
    }
    return { ok: true, value: out };
  }

  /** `POST /v1/accounts/{id}/restore`: the content back at version + 1; 404 unknown, 409 not deleted. */
  async restoreAccount(id: string): Promise<ApiResult<Record<string, unknown>>> {
    this.requests.push({ kind: "restore", count: 1 });
    const cur = this.items.get(id);
    if (!cur) return { ok: false, error: { status: 404, code: "not_found", message: "no such account", details: [] } };
    if (!cur.deleted) return { ok: false, error: { status: 409, code: "conflict", message: "the account is not deleted", details: [{ path: "id", message: "only a deleted account can be restored" }] } };
    const { deleted: _d, ...rest } = cur;
    const { deleted: _who, ...lastChanged } = (cur.lastChanged as LastChanged | undefined) ?? {};
    const next = { ...rest, version: (cur.version as number) + 1, updatedAt: this.stamp(), lastChanged };
    this.items.set(id, next);
    return { ok: true, value: next };
  }
}
