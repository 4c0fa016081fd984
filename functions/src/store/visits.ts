import { checkVisitWrite, defaultVisitOwner, type Principal } from "../../../shared/src/access.js";
import type { SignedContract, StoredVisitPlan, StoredVisitRecord } from "../../../shared/src/compliance.js";
import type { VisitRole } from "../../../shared/src/labels.js";
import type { Lang } from "../../../shared/src/errors.js";
import { visitReferences } from "../../../shared/src/recordWrites.js";
import { VisitPlanSchema, VisitRecordSchema, type VisitPlanWrite, type VisitRecordWrite } from "../../../shared/src/schemas/visit.js";
import { validate, type ErrorDetail, type Validated } from "../../../shared/src/schemas/validation.js";
import { today } from "../../../shared/src/dates.js";
import type * as z from "zod/mini";
import { ACCOUNT } from "./accounts.js";
import type { StoreContext } from "./client.js";

import { getEntities, mergeDocument, upsertBatch, type Doc, type EntityType, type StoredEntity, type UpsertPolicy, type UpsertResult } from "./entity.js";
import { CONTRACT, type ContractDoc } from "./finance.js";
import { listAllOf } from "./queries.js";
import { getUsers } from "./users.js";

/**
 * Visit plans (月拜访计划表) and records (月度客户拜访记录表) — docs/domain.md §5. Entities `VPLAN` and
 * `VREC`, GSI2 partition = the visited **account** (`T#t#VPLAN#OWN#<accountId>`), so one account's
 * visits are one Query; GSI1 lists the tenant's in change order.
 */
export const VISIT_PLAN: EntityType = { code: "VPLAN", ownerOf: (d) => (typeof d.accountId === "string" ? d.accountId : undefined) };
export const VISIT_RECORD: EntityType = { code: "VREC", ownerOf: (d) => (typeof d.accountId === "string" ? d.accountId : undefined) };

/** `enteredOn`: the date (tenant zone) the item was first stored — set here, read by the lateness rules. */
export type VisitPlanDoc = Doc & { accountId: string; month: string; role: VisitRole; owner: string; plannedDate?: string; purpose?: string; enteredOn?: string };
export type VisitRecordDoc = Doc & {
  accountId: string;
  date: string;
  role: VisitRole;
  purpose: string;
  outcome: string;
  owner: string;
  planId?: string;
  summary?: string;
  enteredOn?: string;
};

export function presentVisit(e: StoredEntity): Record<string, unknown> {
  return { id: e.id, version: e.version, ...e.data, updatedAt: e.updatedAt, updatedBy: e.updatedBy };
}

type VisitWrite = (VisitPlanWrite | VisitRecordWrite) & { id: string; owner?: string | null; accountId?: string | null };

function validDoc<D extends Doc>(schema: z.core.$ZodType, merged: Doc, lang: Lang = "en"): Validated<D> {
  const r = validate(schema, { id: "x", version: 0, ...merged }, lang);
  if (!r.ok) return r;
  const { id: _i, version: _v, ...doc } = r.value as Doc;
  return { ok: true, value: doc as D };
}

export interface VisitUpsertOptions {
  idempotencyKey?: string;
  lang?: Lang;
  /** The date a new item counts as entered (default: today in the tenant's zone); the demo seed dates its history. */
  enteredOn?: (item: VisitWrite) => string;
}

/**
 * Batch upsert of plans or records. Rights (shared checkVisitWrite): directors any; a manager only on
 * accounts they own and only visits they carry out themselves (a new one defaults to them).
 * The account and the visiting owner must exist.
 */
async function upsertVisits<D extends Doc>(
  ctx: StoreContext,
  type: EntityType,
  schema: z.core.$ZodType,
  p: Principal,
  items: readonly VisitWrite[],
  opts: VisitUpsertOptions,
): Promise<UpsertResult[]> {
  const lang = opts.lang ?? "en";
  const existing = await getEntities<D>(ctx, type, p.tenant, items.map((i) => i.id), { repair: false });
  const accountIds = new Set<string>();
  const owners = new Set<string>();
  for (const i of items) {
    if (typeof i.accountId === "string") accountIds.add(i.accountId);
    if (typeof i.owner === "string") owners.add(i.owner);
  }
  for (const e of existing.values()) accountIds.add(e.data.accountId as string);
  owners.add(p.userId);
  const [accounts, users] = await Promise.all([getEntities(ctx, ACCOUNT, p.tenant, [...accountIds], { repair: false }), getUsers(ctx, p.tenant, [...owners])]);
  const accountOf = (id: unknown) => {
    const a = typeof id === "string" ? accounts.get(id) : undefined;
    return a && !a.deleted ? { owner: a.data.owner as string } : undefined;
  };
  const newOwner = defaultVisitOwner(p);
  const defaultOwner = (input: VisitWrite, ex: StoredEntity<D> | undefined) =>
    !ex && input.owner === undefined && newOwner !== undefined ? { ...input, owner: newOwner } : input;
  const policy: UpsertPolicy<VisitWrite, D> = {
    forbidden(ex, raw) {
      const input = defaultOwner(raw, ex);
      const account = input.accountId ?? (ex?.data.accountId as string | undefined);
      const owner = input.owner ?? (ex?.data.owner as string | undefined);
      const decision = checkVisitWrite(
        p,
        ex ? { account: accountOf(ex.data.accountId), owner: ex.data.owner as string } : undefined,
        { account: accountOf(account), owner: owner ?? null },
        lang,
      );
      return decision.allowed ? undefined : decision.details;
    },
    merge(ex, raw) {
      const input = defaultOwner(raw, ex);
      // docs/domain.md §5 lateness reads when the item was first stored; later edits keep that date.
      const merged = mergeDocument(ex?.data, input as Doc);
      return validDoc<D>(schema, ex ? merged : { ...merged, enteredOn: opts.enteredOn?.(raw) ?? today() }, opts.lang);
    },
    present: presentVisit,
    check(merged, ex): ErrorDetail[] {
      return visitReferences({ accountId: merged.accountId, owner: merged.owner }, ex?.data.owner, { account: accountOf(merged.accountId) !== undefined, owner: users.has(merged.owner as string) }, lang);
    },
  };
  return upsertBatch(ctx, type, p.tenant, { id: p.userId }, items, policy, opts);
}

export function upsertVisitPlans(ctx: StoreContext, p: Principal, items: readonly VisitWrite[], opts: VisitUpsertOptions = {}) {
  return upsertVisits<VisitPlanDoc>(ctx, VISIT_PLAN, VisitPlanSchema, p, items, opts);
}

export function upsertVisitRecords(ctx: StoreContext, p: Principal, items: readonly VisitWrite[], opts: VisitUpsertOptions = {}) {
  return upsertVisits<VisitRecordDoc>(ctx, VISIT_RECORD, VisitRecordSchema, p, items, opts);
}

// ---------------------------------------------------------------------------------------------
// Compliance inputs (the rules are shared/src/compliance.ts)

/** The tenant's visit plans, records and contracts as the shared compliance rules read them. */
export async function readAllVisits(ctx: StoreContext, tenant: string): Promise<{ plans: StoredVisitPlan[]; records: StoredVisitRecord[]; contracts: SignedContract[] }> {
  const [plans, records, contracts] = await Promise.all([
    listAllOf<VisitPlanDoc>(ctx, VISIT_PLAN, tenant),
    listAllOf<VisitRecordDoc>(ctx, VISIT_RECORD, tenant),
    listAllOf<ContractDoc>(ctx, CONTRACT, tenant),
  ]);
  return {
    plans: plans.map((x) => ({ ...x.data, id: x.id })),
    records: records.map((r) => ({ ...r.data, id: r.id })),
    contracts: contracts.map((c) => c.data),
  };
}
