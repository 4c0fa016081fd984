import { BUILTIN_MODELS, getBuiltinModel } from "../../../shared/src/scoring/builtins.js";
import type { ScoringModel } from "../../../shared/src/scoring/model.js";
import type { StoreContext } from "./client.js";

import { commitChange, getEntities, getEntity, type CommitResult, type Doc, type EntityType, type StoredEntity } from "./entity.js";
import { listAllOf } from "./queries.js";

/**
 * Scoring models (docs/domain.md §8): the built-ins of shared/ (`BUILTIN_MODELS`, always present, read-only)
 * plus the tenant's own models, entity `MODEL` keyed by the model id. A stored model's `version` is
 * the model's own field; the store's write counter is shown as `revision` and guards writes
 * (If-Match / `?revision=`).
 */
export const MODEL: EntityType = { code: "MODEL" };

export type ModelDoc = Doc & ScoringModel;

export interface ModelView extends Record<string, unknown> {
  id: string;
  readOnly: boolean;
  revision?: number;
}

export function isBuiltinId(id: string): boolean {
  return getBuiltinModel(id) !== undefined;
}

export function presentBuiltin(m: ScoringModel): ModelView {
  return { ...m, readOnly: true };
}

export function presentStored(e: StoredEntity<ModelDoc>): ModelView {
  return { ...e.data, id: e.id, readOnly: false, revision: e.version, updatedAt: e.updatedAt, updatedBy: e.updatedBy };
}

export async function listModels(ctx: StoreContext, tenant: string): Promise<ModelView[]> {
  const stored = await listAllOf<ModelDoc>(ctx, MODEL, tenant);
  return [...BUILTIN_MODELS.map(presentBuiltin), ...stored.sort((a, b) => a.id.localeCompare(b.id)).map(presentStored)];
}

export async function getModel(ctx: StoreContext, tenant: string, id: string): Promise<ModelView | undefined> {
  const b = getBuiltinModel(id);
  if (b) return presentBuiltin(b);
  const e = await getEntity<ModelDoc>(ctx, MODEL, tenant, id);
  return e && !e.deleted ? presentStored(e) : undefined;
}

/** The tenant's models among `ids` (one BatchGetItem) — `/v1/eval` resolves SCORE's model ids. */
export async function getStoredModels(ctx: StoreContext, tenant: string, ids: readonly string[]): Promise<Map<string, ScoringModel>> {
  if (ids.length === 0) return new Map();
  const found = await getEntities<ModelDoc>(ctx, MODEL, tenant, ids, { repair: false });
  return new Map([...found.values()].filter((e) => !e.deleted).map((e) => [e.id, e.data as ScoringModel]));
}

export type PutModelOutcome =
  | { ok: true; created: boolean; stored: StoredEntity<ModelDoc> }
  | { ok: false; reason: "conflict"; revision: number };

/**
 * Create or replace a tenant model. `baseRevision` is the revision the edit was based on (absent/0 =
 * a new model); replacing an existing model without naming its revision is a conflict, never a
 * silent overwrite (docs/domain.md §9).
 */
export async function putModel(ctx: StoreContext, tenant: string, by: string, model: ScoringModel, baseRevision: number | undefined, idempotencyKey?: string): Promise<PutModelOutcome> {
  const existing = await getEntity<ModelDoc>(ctx, MODEL, tenant, model.id);
  const current = existing?.version ?? 0;
  if ((baseRevision ?? 0) !== current) return { ok: false, reason: "conflict", revision: current };
  const res: CommitResult<ModelDoc> = await commitChange<ModelDoc>(ctx, MODEL, tenant, model.id, existing, {
    data: model as ModelDoc,
    by,
    op: existing ? "update" : "create",
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  if (res.ok) return { ok: true, created: !existing, stored: res.stored };
  return { ok: false, reason: "conflict", revision: res.reason === "conflict" ? (res.current?.version ?? 0) : current };
}
