/**
 * Credit for sales (docs/contracts.md §10): a contract records the
 * account's owner on its signed date (`ownerAtSigning`), derived at write time from the account's
 * handovers; scorecard sales actuals credit that owner, so a later handover moves no past sales.
 * Collections scopes use the current owner instead (they follow the account).
 */

/** One change of an account's owner: `from` owned it until `at` (an ISO timestamp), `to` after. */
export interface OwnerChange {
  accountId: string;
  from: string;
  to: string;
  at: string;
}

/**
 * The owner of an account on a date (`YYYY-MM-DD`): the `from` of the first handover after that
 * day, else the current owner. A handover on the signing day itself counts as before it: from that
 * day on, the new owner answers for the account.
 */
export function ownerOnDate(currentOwner: string, changes: readonly OwnerChange[], date: string): string {
  const later = changes.filter((c) => c.at.slice(0, 10) > date).sort((a, b) => a.at.localeCompare(b.at));
  return later[0]?.from ?? currentOwner;
}

/** Handover records (one per handover, several accounts each) as per-account owner changes. */
export function ownerChangesOf(handovers: readonly { from: string; to: string; at: string; accountIds: readonly string[] }[]): OwnerChange[] {
  return handovers.flatMap((h) => h.accountIds.map((accountId) => ({ accountId, from: h.from, to: h.to, at: h.at })));
}

/** Who a contract's sales are credited to: its owner at signing; older contracts without one, the current owner. */
export function creditedOwner(contract: { accountId: string; ownerAtSigning?: string | null }, currentOwnerOf: (accountId: string) => string | undefined): string | undefined {
  return contract.ownerAtSigning ?? currentOwnerOf(contract.accountId);
}
