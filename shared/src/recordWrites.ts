import { ownerOnDate, type OwnerChange } from "./credit.js";
import { msg, type Lang } from "./errors.js";
import type { ErrorDetail, Validated } from "./schemas/validation.js";

/**
 * Validation rules of contract, payment, visit and team writes and of handovers, as pure use-cases: the store reads what
 * they need (the stored item, the accounts, contracts and users it names) and writes what they
 * accept. Each problem names the field of the batch item, in the writer's language.
 */

/**
 * A contract never moves to another account: payments are indexed by their contract's account, so a
 * move would leave them under the old one. `stored` is the stored contract (undefined: a new one).
 */
export function contractAccountChange(stored: { accountId: string } | undefined, write: { accountId?: string }, lang: Lang = "en"): ErrorDetail | undefined {
  if (!stored || write.accountId === undefined || write.accountId === stored.accountId) return undefined;
  return { path: "accountId", message: msg(lang, "合同所属客户不能更改；请新建一份合同", "a contract's account cannot change; create a new contract") };
}

/**
 * The owner at signing, fixed when the contract is written: the account's owner on the signed date,
 * from its current owner and the handovers since (`ownerOnDate`). An unknown account (`currentOwner`
 * undefined, reported by `contractReferences`) leaves the contract as written.
 */
export function withOwnerAtSigning<C extends { accountId: string; signedDate: string; ownerAtSigning?: string }>(
  contract: C,
  currentOwner: string | undefined,
  changes: readonly OwnerChange[],
): C {
  if (currentOwner === undefined) return contract;
  return { ...contract, ownerAtSigning: ownerOnDate(currentOwner, changes.filter((c) => c.accountId === contract.accountId), contract.signedDate) };
}

/** A contract names a live account (`accountKnown`). */
export function contractReferences(contract: { accountId: string }, accountKnown: boolean, lang: Lang = "en"): ErrorDetail[] {
  return accountKnown ? [] : [{ path: "accountId", message: msg(lang, `没有客户 ${contract.accountId}`, `unknown account ${contract.accountId}`) }];
}

/**
 * A payment names a live contract (`contract` undefined: none) and, when it names an instalment, one
 * of that contract's.
 */
export function paymentReferences(
  payment: { contractId: string; instalmentId?: string },
  contract: { instalments: readonly { id: string }[] } | undefined,
  lang: Lang = "en",
): ErrorDetail | undefined {
  if (!contract) return { path: "contractId", message: msg(lang, `没有合同 ${payment.contractId}`, `unknown contract ${payment.contractId}`) };
  if (payment.instalmentId !== undefined && !contract.instalments.some((x) => x.id === payment.instalmentId)) {
    return { path: "instalmentId", message: msg(lang, `合同 ${payment.contractId} 没有分期 ${payment.instalmentId}`, `contract ${payment.contractId} has no instalment ${payment.instalmentId}`) };
  }
  return undefined;
}

/**
 * A visit plan or record names a live account, and a user of the directory carries it out. The owner
 * is checked only when it changes (`storedOwner`: the stored item's), so a visit whose owner left the
 * directory still accepts other edits.
 */
export function visitReferences(
  visit: { accountId: unknown; owner: unknown },
  storedOwner: unknown,
  known: { account: boolean; owner: boolean },
  lang: Lang = "en",
): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (!known.account) out.push({ path: "accountId", message: msg(lang, `没有客户 ${String(visit.accountId)}`, `unknown account ${String(visit.accountId)}`) });
  if (visit.owner !== storedOwner && !known.owner) out.push({ path: "owner", message: msg(lang, `用户目录中没有 ${String(visit.owner)}`, `unknown user ${String(visit.owner)}`) });
  return out;
}

/** A handover that would move no account is refused, never recorded. */
export function nothingToHandOver(fromName: string, lang: Lang = "en"): ErrorDetail {
  return { path: "accounts", message: msg(lang, `${fromName} 名下没有可交接的客户`, `${fromName} owns no accounts to hand over`) };
}

/**
 * The accounts a handover moves: every account its giver owns (`owned`, tombstones included), or the
 * ones named (`accountIds`), each of which must be the giver's (a problem per foreign id, at
 * `accountIds[i]`); at least one of them live.
 */
export function handoverSelection<A extends { id: string; deleted?: boolean }>(
  owned: readonly A[],
  accountIds: readonly string[] | undefined,
  fromName: string,
  lang: Lang = "en",
): Validated<A[]> {
  let chosen = [...owned];
  if (accountIds) {
    const ownedIds = new Set(owned.map((a) => a.id));
    const details: ErrorDetail[] = [];
    accountIds.forEach((id, i) => {
      if (!ownedIds.has(id)) details.push({ path: `accountIds[${i}]`, message: msg(lang, `客户 ${id} 不属于 ${fromName}`, `account ${id} is not owned by ${fromName}`) });
    });
    if (details.length > 0) return { ok: false, details };
    const wanted = new Set(accountIds);
    chosen = owned.filter((a) => wanted.has(a.id));
  }
  if (chosen.filter((a) => !a.deleted).length === 0) return { ok: false, details: [nothingToHandOver(fromName, lang)] };
  return { ok: true, value: chosen };
}

/**
 * A team's name is unique in its tenant (compared NFKC-normalised and trimmed). For each written
 * team, in batch order: the problem at `name` when a stored team or an earlier accepted item of the
 * batch already uses the name, else undefined (renaming a team to its own name is no clash).
 */
export function teamNameClashes(
  stored: readonly { id: string; name: string }[],
  items: readonly { id: string; name: string }[],
  lang: Lang = "en",
): (ErrorDetail | undefined)[] {
  const keyOf = (name: string) => name.normalize("NFKC").trim();
  const owner = new Map(stored.map((t) => [keyOf(t.name), t.id]));
  return items.map((item) => {
    const key = keyOf(item.name);
    const other = owner.get(key);
    if (other !== undefined && other !== item.id) return { path: "name", message: msg(lang, `团队“${other}”已使用名称“${key}”`, `the name "${key}" is already used by team ${other}`) };
    owner.set(key, item.id);
    return undefined;
  });
}
