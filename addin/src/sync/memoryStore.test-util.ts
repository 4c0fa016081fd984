/**
 * An in-memory store with the API's write semantics (CONTRACTS "Writes": version check per item,
 * merge — present replaces, absent keeps, null clears; contacts merge by id), for sync tests.
 * The end-to-end test runs the same engine against the real local stack.
 */
import type { EntityDef } from "./entities.js";
import type { Directory, DirectoryUser } from "./engine.js";
import type { ApiResult, ItemResult, SyncRemote } from "./remote.js";

export class MemoryStore implements SyncRemote {
  items = new Map<string, Record<string, unknown>>();
  requests: { kind: "list" | "upsert" | "delete" | "directory"; count: number; key?: string; since?: string }[] = [];
  /** The tenant's directory (GET /v1/users, /v1/teams). */
  users: DirectoryUser[] = [];
  teams: { id: string; name: string }[] = [];
  /** Who the writes through `upsert` / `tombstone` are made as (stamped in `lastChanged`). */
  actor = "u-sync";
  private clock = 0;

  async directory(): Promise<ApiResult<Directory>> {
    this.requests.push({ kind: "directory", count: 0 });
    return { ok: true, value: { users: this.users, teams: this.teams } };
  }

  /** `lastChanged[field] = {by, at}` for the fields of `next` that differ from `cur` (as the API stamps them). */
  private stampFields(cur: Record<string, unknown> | undefined, next: Record<string, unknown>, by: string, at: string): void {
    const lc = { ...((cur?.lastChanged as Record<string, unknown>) ?? {}) };
    for (const k of new Set([...Object.keys(cur ?? {}), ...Object.keys(next)])) {
      if (k === "version" || k === "updatedAt" || k === "lastChanged" || k === "id") continue;
      if (k === "contacts") continue;
      if (JSON.stringify(cur?.[k]) !== JSON.stringify(next[k])) lc[k] = { by, at };
    }
    next.lastChanged = lc;
  }

  private stamp(): string {
    this.clock++;
    return `2026-01-01T00:00:${String(this.clock).padStart(6, "0")}Z`;
  }

  /** Another user's write (director editing in the store). */
  edit(id: string, fields: Record<string, unknown>, by = "u-other"): void {
    const cur = this.items.get(id)!;
    const next: Record<string, unknown> = { ...cur };
    for (const [k, v] of Object.entries(fields)) { if (v === null) delete next[k]; else next[k] = v; }
    const at = this.stamp();
    this.stampFields(cur, next, by, at);
    this.items.set(id, { ...next, version: (cur.version as number) + 1, updatedAt: at });
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
      if (base !== stored) return { id, status: "conflict", version: stored, current: cur };
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
      this.stampFields(cur, next, this.actor, next.updatedAt as string);
      this.items.set(id, next);
      return { id, status: cur ? "updated" : "created", version: stored + 1 };
    });
    return { ok: true, value: out };
  }

  async tombstone(_entity: EntityDef, id: string): Promise<ApiResult<void>> {
    this.requests.push({ kind: "delete", count: 1 });
    const cur = this.items.get(id);
    if (!cur) return { ok: false, error: { status: 404, code: "not_found", message: "not found", details: [] } };
    this.items.set(id, { ...cur, deleted: true, version: (cur.version as number) + 1, updatedAt: this.stamp() });
    return { ok: true, value: undefined };
  }
}
