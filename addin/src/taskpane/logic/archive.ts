import { isStaleArchive } from "../../../../shared/src/archive/completeness.js";

/**
 * The archive review list of the pane: every account with whether its archive is stale (not
 * reviewed for more than 183 days, or never — the shared rule `isStaleArchive`), stale ones first.
 */

/** An account as the list needs it (`GET /v1/accounts` items carry `lastReviewed` once reviewed). */
export interface ReviewAccount {
  id: string;
  name?: string | null;
  lastReviewed?: string | null;
}

export interface ReviewRow {
  id: string;
  name: string;
  lastReviewed: string | undefined;
  stale: boolean;
}

/** Rows by staleness (stale first), then by the oldest review (never reviewed first), then id. */
export function reviewRows(accounts: readonly ReviewAccount[], today?: string): ReviewRow[] {
  const rows = accounts.map((a): ReviewRow => {
    const last = a.lastReviewed ?? undefined;
    const stale = isStaleArchive(last, today);
    // A review date the rule cannot read counts as no review: the archive needs one.
    return { id: a.id, name: a.name || a.id, lastReviewed: last, stale: stale.ok ? stale.value : true };
  });
  return rows.sort((x, y) =>
    Number(y.stale) - Number(x.stale) || (x.lastReviewed ?? "").localeCompare(y.lastReviewed ?? "") || x.id.localeCompare(y.id));
}

/** The list after a review answered: that account's review date replaced by the store's. */
export function afterReview(accounts: readonly ReviewAccount[], reviewed: ReviewAccount): ReviewAccount[] {
  return accounts.map((a) => (a.id === reviewed.id ? { ...a, lastReviewed: reviewed.lastReviewed ?? null } : a));
}
