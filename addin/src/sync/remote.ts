/**
 * What the sync engine needs from the store. The API client (`api/client.ts`) implements it over
 * HTTP; tests implement it in memory or against the local stack.
 */
import type { ApiError, ApiResult, ItemResult } from "../api/transport.js";
import type { EntityDef } from "./entities.js";
import type { Directory } from "./engine.js";
import type { ChangeEntry } from "../../../shared/src/schemas/api.js";

export type { ApiError, ApiResult, ItemResult };

export interface SyncRemote {
  /** Every item visible to the caller (all pages), or those changed since the cursor. */
  list(entity: EntityDef, since?: string): Promise<ApiResult<Record<string, unknown>[]>>;
  /**
   * Ids and change times only (entities with `changeTimes`), all pages, or those changed since
   * the cursor; without it the sync reads whole items.
   */
  changes?(entity: EntityDef, since?: string): Promise<ApiResult<ChangeEntry[]>>;
  /** One batch upsert request (≤ 500 items, ≤ 1 MB — the engine chunks). */
  upsert(entity: EntityDef, items: Record<string, unknown>[], idempotencyKey: string, signal?: AbortSignal): Promise<ApiResult<ItemResult[]>>;
  /** Delete as a tombstone. */
  tombstone(entity: EntityDef, id: string): Promise<ApiResult<void>>;
  /** The tenant's users and teams (people cells, owner checks, pull scopes). */
  directory?(): Promise<ApiResult<Directory>>;
}
