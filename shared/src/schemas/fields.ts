/**
 * The plain (zod-free) parts of the schema modules that the engine and the custom functions use:
 * field lists and small parsers. Kept apart so that importing them builds no schema — the
 * functions bundle (functions.js, loaded before any cell calculates) then carries only the
 * scoring-model schema. account.ts, api.ts and visit.ts re-export them.
 */

/**
 * docs/contracts.md §7 (+ the docs/domain.md §3.4 classifications and the termination record of
 * stageGates.ts, then contacts, competitors, followUps) in their order.
 */
export const ACCOUNT_FIELDS = [
  "name", "legalRep", "address", "postcode", "phone", "fax", "website", "industry", "ownershipType",
  "businessScope", "registeredCapital", "foundedYear", "industryPosition", "mainBusiness", "orgNotes",
  "paymentAttitude", "credit", "owner", "liaisonLeader", "strategic", "group", "closedReferrals", "stage",
  "grade", "dealStatus", "accountScope", "cooperationDepth", "termination", "contacts", "competitors", "followUps",
] as const;
export type AccountField = (typeof ACCOUNT_FIELDS)[number];

/**
 * `scope` grammar (docs/contracts.md §11): `account:<id>`, `owner:<userId>`, `team:<teamId>`,
 * `*`; a bare string is an account id, else an exact account name (resolved by the store).
 */
export type CollectionScope =
  | { kind: "all" }
  | { kind: "account"; id: string }
  | { kind: "owner"; id: string }
  | { kind: "team"; id: string }
  | { kind: "accountRef"; ref: string };

export function parseCollectionScope(input: string): CollectionScope | undefined {
  const s = input.trim();
  if (s === "") return undefined;
  if (s === "*" || s === "全部") return { kind: "all" };
  // The keywords read in either language: 客户/经理/团队 = account/owner/team, with ":" or "：".
  const m = /^(account|owner|team|客户|经理|团队)\s*[:：](.*)$/.exec(s);
  if (m) {
    const [, word = "", rest = ""] = m;
    const id = rest.trim();
    const kind = ({ 客户: "account", 经理: "owner", 团队: "team" } as Record<string, "account" | "owner" | "team">)[word] ?? (word as "account" | "owner" | "team");
    return id === "" ? undefined : { kind, id };
  }
  return { kind: "accountRef", ref: s };
}

/** docs/domain.md §5: a visit counts only with a written (non-blank) summary. */
export function hasWrittenSummary(record: { summary?: string | null }): boolean {
  return typeof record.summary === "string" && record.summary.trim().length > 0;
}
