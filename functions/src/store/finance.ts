import { canWritePayment, checkContractWrite, type Principal } from "../../../shared/src/access.js";
import { collectionSummary, type CollectionSummary, type ContractInput, type PaymentInput } from "../../../shared/src/collections.js";
import { msg, type Lang, type Result } from "../../../shared/src/errors.js";
import { ContractSchema, PaymentSchema, type ContractWrite, type PaymentWrite } from "../../../shared/src/schemas/contract.js";
import { validate, type Validated } from "../../../shared/src/schemas/validation.js";
import { ownerChangesOf } from "../../../shared/src/credit.js";
import { contractAccountChange, contractReferences, paymentReferences, withOwnerAtSigning } from "../../../shared/src/recordWrites.js";
import { ACCOUNT, listHandovers } from "./accounts.js";
import type { StoreContext } from "./client.js";
import { getEntities, mergeDocument, upsertBatch, type Doc, type EntityType, type StoredEntity, type UpsertPolicy, type UpsertResult } from "./entity.js";
import { listAllOf, listByAccount, type AccountRef } from "./queries.js";

/**
 * Contracts, instalments and payments (docs/domain.md §7) and the collection figures computed from them.
 *
 * ## Keys (on the core's generic entity store, table.ts)
 * - contract `CON`: GSI2 partition = the contract's **account** (`T#t#CON#OWN#<accountId>`), so the
 *   contracts of one account are one Query. Instalments live inside the contract (one version).
 * - payment `PAY`: the store adds the paying contract's `accountId` to the stored document (derived,
 *   never written by a client) and indexes GSI2 by it (`T#t#PAY#OWN#<accountId>`). A contract's
 *   account therefore never changes once created (a per-item `invalid`), so the index cannot go stale.
 *
 * ## Reading the book of a collection scope (one logical store query per distinct scope)
 * - `account:<id>` / bare id: GetItem ACC + Query CON by account + Query PAY by account = 3 requests;
 *   a bare string that is no account id is looked up as an exact account name (Query ACC GSI1,
 *   projected to id/name/owner) → +1.
 * - `owner:<u>`: GetItem USER (is `u` a user id?) + Query ACC GSI2 (projected) + Query CON GSI1 +
 *   Query PAY GSI1 (filtered to the set); a name instead of an id adds Query USER GSI1 (the directory).
 * - `team:<t>`: Query USER GSI1 (the directory) + Query TEAM GSI1 (names) + Query ACC GSI1 (projected) + CON + PAY.
 * - `*`: Query ACC GSI1 (projected) + CON GSI1 + PAY GSI1.
 * (each Query paged at 1 MB). No Scan anywhere.
 */
export const CONTRACT: EntityType = { code: "CON", ownerOf: (d) => (typeof d.accountId === "string" ? d.accountId : undefined) };
export const PAYMENT: EntityType = { code: "PAY", ownerOf: (d) => (typeof d.accountId === "string" ? d.accountId : undefined) };

export type ContractDoc = Doc & { accountId: string; signedDate: string; amountYuan: number; number?: string; ownerAtSigning?: string; instalments: { id: string; dueDate: string; amountYuan: number }[] };
export type PaymentDoc = Doc & { contractId: string; accountId: string; date: string; amountYuan: number; instalmentId?: string };

export function presentContract(e: StoredEntity<ContractDoc>): Record<string, unknown> {
  return { id: e.id, version: e.version, ...e.data, updatedAt: e.updatedAt, updatedBy: e.updatedBy };
}

/** The payment as the API shows it (PaymentSchema fields; the derived accountId is shown read-only). */
export function presentPayment(e: StoredEntity<PaymentDoc>): Record<string, unknown> {
  return { id: e.id, version: e.version, ...e.data, updatedAt: e.updatedAt, updatedBy: e.updatedBy };
}

// ---------------------------------------------------------------------------------------------
// Writes

/** A contract's content validated with the shared schema (instalments ≤ amount, unique ids …). */
function validContract(merged: Doc, lang: Lang = "en"): Validated<ContractDoc> {
  const r = validate(ContractSchema, { id: "x", version: 0, instalments: [], ...merged }, lang);
  if (!r.ok) return r;
  const { id: _i, version: _v, ...doc } = r.value;
  return { ok: true, value: doc as ContractDoc };
}

/**
 * Contract upserts: finance, or the manager owning the contract's account (shared canWriteContract);
 * the account must exist and a contract never moves to another account.
 */
export async function upsertContracts(
  ctx: StoreContext,
  p: Principal,
  items: readonly (ContractWrite & { id: string })[],
  opts: { idempotencyKey?: string; lang?: Lang } = {},
): Promise<UpsertResult[]> {
  const lang = opts.lang ?? "en";
  const existing = await getEntities<ContractDoc>(ctx, CONTRACT, p.tenant, items.map((i) => i.id), { repair: false });
  const accountIds = new Set<string>();
  for (const i of items) if (typeof i.accountId === "string") accountIds.add(i.accountId);
  for (const e of existing.values()) accountIds.add(e.data.accountId);
  const accounts = await getEntities(ctx, ACCOUNT, p.tenant, [...accountIds], { repair: false });
  const accountOf = (id: string | undefined) => {
    const a = id === undefined ? undefined : accounts.get(id);
    return a && !a.deleted ? { owner: a.data.owner as string } : undefined;
  };
  // The owner on the signed date is fixed at write time from the account's handovers (shared rule).
  const changes = items.length > 0 ? ownerChangesOf(await listHandovers(ctx, p.tenant)) : [];
  const policy: UpsertPolicy<ContractWrite & { id: string }, ContractDoc> = {
    forbidden(ex, input) {
      const target = input.accountId ?? ex?.data.accountId;
      const decision = checkContractWrite(p, ex ? { account: accountOf(ex.data.accountId) } : undefined, { account: accountOf(target) }, lang);
      return decision.allowed ? undefined : decision.details;
    },
    merge(ex, input) {
      const moved = contractAccountChange(ex?.data, input, lang);
      if (moved) return { ok: false, details: [moved] };
      const valid = validContract(mergeDocument(ex?.data, input as Doc), opts.lang);
      return valid.ok ? { ok: true, value: withOwnerAtSigning(valid.value, accountOf(valid.value.accountId)?.owner, changes) } : valid;
    },
    present: presentContract,
    check(merged) {
      return contractReferences(merged, accountOf(merged.accountId) !== undefined, lang);
    },
  };
  return upsertBatch(ctx, CONTRACT, p.tenant, { id: p.userId }, items, policy, opts);
}

/** Payment upserts (finance — shared canWritePayment); the contract and named instalment must exist. */
export async function upsertPayments(
  ctx: StoreContext,
  p: Principal,
  items: readonly (PaymentWrite & { id: string })[],
  opts: { idempotencyKey?: string; lang?: Lang } = {},
): Promise<UpsertResult[]> {
  const lang = opts.lang ?? "en";
  const existing = await getEntities<PaymentDoc>(ctx, PAYMENT, p.tenant, items.map((i) => i.id), { repair: false });
  const contractIds = new Set<string>();
  for (const i of items) if (typeof i.contractId === "string") contractIds.add(i.contractId);
  for (const e of existing.values()) contractIds.add(e.data.contractId);
  const contracts = await getEntities<ContractDoc>(ctx, CONTRACT, p.tenant, [...contractIds], { repair: false });
  const policy: UpsertPolicy<PaymentWrite & { id: string }, PaymentDoc> = {
    forbidden() {
      return canWritePayment(p) ? undefined : [{ path: "", message: msg(lang, "只有财务可以登记回款", "only finance writes payments") }];
    },
    merge(ex, input) {
      const { accountId: _derived, ...stored } = (ex?.data ?? {}) as Doc;
      const merged = mergeDocument(stored, input as Doc);
      const r = validate(PaymentSchema, { id: "x", version: 0, ...merged }, opts.lang);
      if (!r.ok) return r;
      const { id: _i, version: _v, ...doc } = r.value;
      const named = contracts.get(doc.contractId);
      const contract = named && !named.deleted ? named.data : undefined;
      const bad = paymentReferences(doc, contract, lang);
      if (bad || !contract) return { ok: false, details: bad ? [bad] : [] };
      // Derived: the paying contract's account (GSI2 of payments).
      return { ok: true, value: { ...doc, accountId: contract.accountId } as PaymentDoc };
    },
    present: presentPayment,
  };
  return upsertBatch(ctx, PAYMENT, p.tenant, { id: p.userId }, items, policy, opts);
}

export interface FinanceBook {
  contracts: StoredEntity<ContractDoc>[];
  payments: StoredEntity<PaymentDoc>[];
}

/** Contracts and payments of a set of accounts: per account for one, the tenant's (filtered) otherwise. */
export async function readBook(ctx: StoreContext, tenant: string, accounts: readonly AccountRef[], single: boolean): Promise<FinanceBook> {
  const ids = new Set(accounts.map((a) => a.id));
  const [only] = accounts;
  if (single && only && accounts.length === 1) {
    const id = only.id;
    const [contracts, payments] = await Promise.all([
      listByAccount<ContractDoc>(ctx, CONTRACT, tenant, id),
      listByAccount<PaymentDoc>(ctx, PAYMENT, tenant, id),
    ]);
    return { contracts, payments };
  }
  if (ids.size === 0) return { contracts: [], payments: [] };
  const [contracts, payments] = await Promise.all([listAllOf<ContractDoc>(ctx, CONTRACT, tenant), listAllOf<PaymentDoc>(ctx, PAYMENT, tenant)]);
  return { contracts: contracts.filter((c) => ids.has(c.data.accountId)), payments: payments.filter((x) => ids.has(x.data.accountId)) };
}

/** The engine's inputs from stored documents. */
export function collectionInputs(book: FinanceBook): { contracts: ContractInput[]; payments: PaymentInput[] } {
  const live = new Set(book.contracts.map((c) => c.id));
  return {
    contracts: book.contracts.map((c) => ({ id: c.id, accountId: c.data.accountId, amountYuan: c.data.amountYuan, instalments: c.data.instalments })),
    // A payment whose contract was removed is not counted (its contract's book is gone).
    payments: book.payments
      .filter((x) => live.has(x.data.contractId))
      .map((x) => ({ id: x.id, contractId: x.data.contractId, date: x.data.date, amountYuan: x.data.amountYuan, ...(x.data.instalmentId ? { instalmentId: x.data.instalmentId } : {}) })),
  };
}

/** docs/domain.md §7 via the shared engine (collectionSummary). */
export function summarise(book: FinanceBook, period: string, asOf?: string, today?: string): Result<CollectionSummary> {
  const inputs = collectionInputs(book);
  return collectionSummary({ ...inputs, period, ...(asOf ? { asOf } : {}), ...(today ? { today } : {}) });
}
