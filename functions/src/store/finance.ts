import { canWritePayment, checkContractWrite, type Principal } from "../../../shared/src/access.js";
import { collectionSummary, type CollectionSummary, type ContractInput, type PaymentInput } from "../../../shared/src/collections.js";
import { msg, type Bilingual, type Lang, type Result } from "../../../shared/src/errors.js";
import { resolveScopeNames } from "../../../shared/src/scopes.js";
import type { CollectionScope } from "../../../shared/src/schemas/api.js";
import { ContractSchema, PaymentSchema, type ContractWrite, type PaymentWrite } from "../../../shared/src/schemas/contract.js";
import { validate, type ErrorDetail, type Validated } from "../../../shared/src/schemas/validation.js";
import { ownerChangesOf } from "../../../shared/src/credit.js";
import { contractAccountChange, contractReferences, paymentReferences, withOwnerAtSigning } from "../../../shared/src/recordWrites.js";
import { ACCOUNT, listHandovers, type AccountDoc } from "./accounts.js";
import type { StoreContext } from "./client.js";

import { getEntities, getEntity, mergeDocument, readIndexAll, upsertBatch, type Doc, type EntityType, type StoredEntity, type UpsertPolicy, type UpsertResult } from "./entity.js";
import { GSI_CHANGES, GSI_OWNER, keys } from "./table.js";
import { listTeams } from "./teams.js";
import { USER, getUsers, type UserDoc } from "./users.js";

/**
 * Contracts, instalments and payments (DOMAIN §7) and the collection figures computed from them.
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
// Account directory entries (id, name, owner) — projected reads

export interface AccountRef {
  id: string;
  name: string;
  owner: string;
  /** DOMAIN §3.1 strategic flag (visit cadence). */
  strategic: boolean;
}

const REF_PROJECTION = { ProjectionExpression: "id, deleted, #d.#n, #d.#o, #d.#s", names: { "#d": "data", "#n": "name", "#o": "owner", "#s": "strategic" } };

function refsOf(items: Record<string, unknown>[]): AccountRef[] {
  return items
    .filter((i) => i.deleted !== true)
    .map((i) => {
      const d = (i.data ?? {}) as { name?: string; owner?: string; strategic?: boolean };
      return { id: i.id as string, name: d.name ?? "", owner: d.owner ?? "", strategic: d.strategic === true };
    });
}

/** All live accounts of a tenant as {id, name, owner} (GSI1 or GSI2 entries, items projected). */
export async function listAccountRefs(ctx: StoreContext, tenant: string, owner?: string): Promise<AccountRef[]> {
  const items = await readIndexAll(ctx, {
    index: owner === undefined ? GSI_CHANGES : GSI_OWNER,
    partition: owner === undefined ? keys.changesPk(tenant, ACCOUNT.code) : keys.ownerPk(tenant, ACCOUNT.code, owner),
    projection: { expression: REF_PROJECTION.ProjectionExpression, names: REF_PROJECTION.names },
  });
  return refsOf(items);
}

/** The directory entry of a stored account. */
export function accountRefOf(e: StoredEntity<Doc>): AccountRef {
  return { id: e.id, name: String(e.data.name ?? ""), owner: String(e.data.owner ?? ""), strategic: e.data.strategic === true };
}

export type AccountLookup =
  | { ok: true; ref: AccountRef; /** the stored account when found by id */ stored?: StoredEntity<AccountDoc> }
  | { ok: false; reason: "notFound" }
  | { ok: false; reason: "ambiguous"; count: number };

/**
 * The one account resolver of the scopes, `KAM.ACCOUNT`/`ARCHIVE`/`HEALTH` and `?account=`: a live
 * account by id (GetItem); with `byName` (CONTRACTS: a bare string is an account id, else an exact
 * account name), a string that is no live account id is looked up among the names (Query ACC GSI1,
 * projected). Each caller words not-found and ambiguous itself.
 */
export async function lookupAccount(ctx: StoreContext, tenant: string, ref: string, byName: boolean): Promise<AccountLookup> {
  const byId = await getEntity<AccountDoc>(ctx, ACCOUNT, tenant, ref, { repair: false });
  if (byId && !byId.deleted) return { ok: true, ref: accountRefOf(byId), stored: byId };
  if (!byName) return { ok: false, reason: "notFound" };
  const named = (await listAccountRefs(ctx, tenant)).filter((a) => a.name === ref.trim());
  if (named.length === 0) return { ok: false, reason: "notFound" };
  if (named.length > 1) return { ok: false, reason: "ambiguous", count: named.length };
  return { ok: true, ref: named[0]! };
}

/** Documents of one entity indexed on GSI2 by account (contracts, payments, visits). */
export async function listByAccount<D extends Doc>(ctx: StoreContext, type: EntityType, tenant: string, accountId: string): Promise<StoredEntity<D>[]> {
  const items = await readIndexAll(ctx, { index: GSI_OWNER, partition: keys.ownerPk(tenant, type.code, accountId) });
  return items.filter((i) => i.deleted !== true).map(entityOf<D>);
}

/** Every live document of one entity of the tenant (GSI1, all pages). */
export async function listAllOf<D extends Doc>(ctx: StoreContext, type: EntityType, tenant: string): Promise<StoredEntity<D>[]> {
  const items = await readIndexAll(ctx, { index: GSI_CHANGES, partition: keys.changesPk(tenant, type.code) });
  return items.filter((i) => i.deleted !== true).map(entityOf<D>);
}

function entityOf<D extends Doc>(i: Record<string, unknown>): StoredEntity<D> {
  return {
    id: i.id as string,
    version: i.version as number,
    data: (i.data ?? {}) as D,
    updatedAt: i.updatedAt as string,
    updatedBy: i.updatedBy as string,
    changedAt: i.changedAt as number,
    deleted: i.deleted === true,
    outbox: [],
  };
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

// ---------------------------------------------------------------------------------------------
// Collection scopes

export type ScopeResolution =
  | { ok: true; accounts: AccountRef[]; /** the scope names one account */ single: boolean; /** the scope with names replaced by ids */ scope: CollectionScope }
  | { ok: false; reason: "notFound" | "ambiguous"; message: string; bilingual: Bilingual };

function notResolved(reason: "notFound" | "ambiguous", bilingual: Bilingual): ScopeResolution {
  return { ok: false, reason, message: bilingual.en, bilingual };
}

/**
 * The tenant's accounts for a scope (CONTRACTS "Collections" grammar), as {id, name, owner}.
 * `owner:` and `team:` take a name too, resolved by the shared rule (shared/src/scopes.ts); an
 * unknown or ambiguous name is not resolved, and neither is an unknown user id.
 */
export async function resolveScope(ctx: StoreContext, tenant: string, scope: CollectionScope): Promise<ScopeResolution> {
  switch (scope.kind) {
    case "all":
      return { ok: true, accounts: await listAccountRefs(ctx, tenant), single: false, scope };
    case "owner": {
      let resolved: CollectionScope = scope;
      if (!(await getUsers(ctx, tenant, [scope.id])).has(scope.id)) {
        const users = (await listAllOf<UserDoc>(ctx, USER, tenant)).filter((u) => !u.deleted).map((u) => ({ id: u.id, name: u.data.name }));
        const r = resolveScopeNames(scope, users, []);
        if (!r.ok) return notResolved(r.reason === "ambiguous" ? "ambiguous" : "notFound", r.message);
        resolved = r.scope;
      }
      const owner = resolved.kind === "owner" ? resolved.id : scope.id;
      return { ok: true, accounts: await listAccountRefs(ctx, tenant, owner), single: false, scope: resolved };
    }
    case "team": {
      const [users, teams] = await Promise.all([listAllOf<UserDoc>(ctx, USER, tenant), listTeams(ctx, tenant)]);
      const live = users.filter((u) => !u.deleted);
      const r = resolveScopeNames(scope, live.map((u) => ({ id: u.id, name: u.data.name, team: u.data.team })), teams.map((x) => ({ id: x.id, name: x.data.name })));
      if (!r.ok) return notResolved(r.reason === "ambiguous" ? "ambiguous" : "notFound", r.message);
      const team = r.scope.kind === "team" ? r.scope.id : scope.id;
      const members = new Set(live.filter((u) => u.data.team === team).map((u) => u.id));
      // A named team nobody is in yet is an empty scope, not an unknown one.
      const all = members.size === 0 ? [] : await listAccountRefs(ctx, tenant);
      return { ok: true, accounts: all.filter((a) => members.has(a.owner)), single: false, scope: r.scope };
    }
    case "account":
    case "accountRef": {
      const ref = scope.kind === "account" ? scope.id : scope.ref;
      const found = await lookupAccount(ctx, tenant, ref, scope.kind === "accountRef");
      if (found.ok) return { ok: true, accounts: [found.ref], single: true, scope: found.stored ? scope : { kind: "account", id: found.ref.id } };
      if (scope.kind === "account") return notResolved("notFound", { zh: `没有客户 ${ref}`, en: `no account ${ref}` });
      if (found.reason === "notFound") return notResolved("notFound", { zh: `没有编号或名称为“${ref}”的客户`, en: `no account with id or name ${ref}` });
      return notResolved("ambiguous", { zh: `有 ${found.count} 个客户名为“${ref}”，请改用 account:<客户编号>`, en: `${found.count} accounts are named ${ref}; use account:<id>` });
    }
  }
}

export interface FinanceBook {
  contracts: StoredEntity<ContractDoc>[];
  payments: StoredEntity<PaymentDoc>[];
}

/** Contracts and payments of a set of accounts: per account for one, the tenant's (filtered) otherwise. */
export async function readBook(ctx: StoreContext, tenant: string, accounts: readonly AccountRef[], single: boolean): Promise<FinanceBook> {
  const ids = new Set(accounts.map((a) => a.id));
  if (single && accounts.length === 1) {
    const id = accounts[0]!.id;
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

/** DOMAIN §7 via the shared engine (collectionSummary). */
export function summarise(book: FinanceBook, period: string, asOf?: string, today?: string): Result<CollectionSummary> {
  const inputs = collectionInputs(book);
  return collectionSummary({ ...inputs, period, ...(asOf ? { asOf } : {}), ...(today ? { today } : {}) });
}
