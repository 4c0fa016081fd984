import { canReadContract, canReadVisits, type Principal } from "../../../shared/src/access.js";
import { today as todayIn, type IsoDate } from "../../../shared/src/dates.js";
import type { Bilingual, Result } from "../../../shared/src/errors.js";
import { accountHealth, healthReceivables, type HealthAccount, type HealthResult } from "../../../shared/src/health/health.js";
import { DEFAULT_HEALTH_MODEL, getBuiltinHealthModel, parseHealthModel, type HealthModel } from "../../../shared/src/health/model.js";
import { stripPersonal } from "../../../shared/src/access.js";
import { ACCOUNT, type AccountDoc } from "./accounts.js";
import type { StoreContext } from "./client.js";
import { getEntities, getEntity, type StoredEntity } from "./entity.js";
import { CONTRACT, PAYMENT, collectionInputs, type ContractDoc, type PaymentDoc } from "./finance.js";
import { listAccountRefs, listAllOf, type AccountRef } from "./queries.js";
import { MODEL, type ModelDoc } from "./models.js";
import { VISIT_RECORD, type VisitRecordDoc } from "./visits.js";
import { visitClasses } from "../../../shared/src/compliance.js";

/**
 * Account health from the store (shared `accountHealth`): the account document, its visit records
 * (the model looks back over the last full quarter), its contracts and payments (overdue as of
 * today) and its archive fields. A factor the caller may not read (contracts for a specialist,
 * visits for finance) is left out as missing data — the engine rescales the rest.
 *
 * The model: a built-in health model by id, or a tenant model stored with the scoring models
 * (entity MODEL) that validates as a health model; when none is named, the company's own model
 * stored as `health` if there is one, else the built-in `health-default`.
 */

export type HealthModelLookup = { ok: true; model: HealthModel } | { ok: false; message: Bilingual };

/** The id under which a company stores its own health model (`PUT /v1/models/health`); used when no model is named. */
export const TENANT_HEALTH_MODEL_ID = "health";

export async function resolveHealthModel(ctx: StoreContext, tenant: string, id: string | undefined): Promise<HealthModelLookup> {
  if (id === undefined || id.trim() === "") {
    const own = await resolveHealthModel(ctx, tenant, TENANT_HEALTH_MODEL_ID);
    return own.ok ? own : { ok: true, model: DEFAULT_HEALTH_MODEL };
  }
  const builtin = getBuiltinHealthModel(id);
  if (builtin) return { ok: true, model: builtin };
  const e = await getEntity<ModelDoc>(ctx, MODEL, tenant, id.trim(), { repair: false });
  if (!e || e.deleted) return { ok: false, message: { zh: `没有健康度模型 ${id}`, en: `no health model ${id}` } };
  const { id: _i, version: _v, ...data } = e.data as unknown as Record<string, unknown>;
  const parsed = parseHealthModel({ ...data, id: e.id, version: (e.data as { version?: number }).version ?? 1 });
  return parsed.ok ? { ok: true, model: parsed.value } : {
    ok: false,
    message: { zh: `模型 ${id} 不是有效的健康度模型：${parsed.error.message.zh}`, en: `model ${id} is not a valid health model: ${parsed.error.message.en}` },
  };
}

export interface HealthRow {
  accountId: string;
  accountName: string;
  owner: string;
  health: Result<HealthResult>;
}

/**
 * Health of each of `accounts` (already filtered to those the caller may read). Reads: one
 * BatchGetItem for the account documents the caller has not already read (`stored`), and the
 * tenant's account directory, visit records, contracts and payments once each (Query, all pages)
 * for any number of accounts.
 */
export async function healthOfAccounts(
  ctx: StoreContext,
  p: Principal,
  accounts: readonly AccountRef[],
  model: HealthModel,
  today: IsoDate = todayIn(),
  stored: readonly StoredEntity<AccountDoc>[] = [],
): Promise<HealthRow[]> {
  if (accounts.length === 0) return [];
  const known = new Map(stored.map((e) => [e.id, e]));
  const unread = accounts.filter((a) => !known.has(a.id)).map((a) => a.id);
  const [read, refs, records, contracts, payments] = await Promise.all([
    unread.length > 0 ? getEntities<AccountDoc>(ctx, ACCOUNT, p.tenant, unread, { repair: false }) : new Map<string, StoredEntity<AccountDoc>>(),
    listAccountRefs(ctx, p.tenant),
    listAllOf<VisitRecordDoc>(ctx, VISIT_RECORD, p.tenant),
    listAllOf<ContractDoc>(ctx, CONTRACT, p.tenant),
    listAllOf<PaymentDoc>(ctx, PAYMENT, p.tenant),
  ]);
  // Visit classes (strategic flag, Pareto A = important) over the whole tenant, as compliance does.
  const classes = visitClasses(refs, contracts.map((c) => c.data), today);
  const rows: HealthRow[] = [];
  for (const a of accounts) {
    const e = known.get(a.id) ?? read.get(a.id);
    if (!e || e.deleted) continue;
    // Health never reads contacts' personal details.
    const account = stripPersonal(e.data as unknown as HealthAccount & { contacts?: { personal?: unknown }[] }) as HealthAccount;
    const visits = canReadVisits(p, e.data)
      ? { records: records.filter((r) => r.data.accountId === a.id).map((r) => ({ ...r.data, id: r.id })), classes: classes.get(a.id) ?? [] }
      : null;
    let receivables: Awaited<ReturnType<typeof healthReceivables>> | undefined;
    if (canReadContract(p, e.data)) {
      const own = collectionInputs({
        contracts: contracts.filter((c) => c.data.accountId === a.id),
        payments: payments.filter((x) => x.data.accountId === a.id),
      });
      receivables = healthReceivables(own.contracts, own.payments, today);
    }
    const health: Result<HealthResult> =
      receivables && !receivables.ok
        ? receivables
        : accountHealth({ account, visits, receivables: receivables?.ok ? (receivables.value ?? null) : null, today }, model);
    rows.push({ accountId: a.id, accountName: String(e.data.name ?? a.name), owner: String(e.data.owner ?? a.owner), health });
  }
  return rows;
}
