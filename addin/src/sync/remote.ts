/**
 * What the sync engine needs from the store. The API client (`api/client.ts`) implements it over
 * HTTP; tests implement it in memory or against the local stack.
 */
import type { EntityDef } from "./entities.js";
import type { Directory } from "./engine.js";

export interface ApiError {
  /** HTTP status (0 = network failure, -1 = cancelled). */
  status: number;
  code: string;
  message: string;
  details: { path: string; message: string }[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Per-item result of a batch upsert (docs/contracts.md §6). */
export interface ItemResult {
  id: string;
  status: "created" | "updated" | "unchanged" | "conflict" | "invalid" | "forbidden";
  version?: number;
  current?: Record<string, unknown>;
  errors?: { path: string; message: string }[];
}

export interface SyncRemote {
  /** Every item visible to the caller (all pages), or those changed since the cursor. */
  list(entity: EntityDef, since?: string): Promise<ApiResult<Record<string, unknown>[]>>;
  /** One batch upsert request (≤ 500 items, ≤ 1 MB — the engine chunks). */
  upsert(entity: EntityDef, items: Record<string, unknown>[], idempotencyKey: string, signal?: AbortSignal): Promise<ApiResult<ItemResult[]>>;
  /** Delete as a tombstone. */
  tombstone(entity: EntityDef, id: string): Promise<ApiResult<void>>;
  /** The tenant's users and teams (people cells, owner checks, pull scopes). */
  directory?(): Promise<ApiResult<Directory>>;
}
