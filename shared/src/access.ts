import { ROLES, type Role } from "./labels.js";
import type { Account, AccountName, AccountWrite } from "./schemas/account.js";
import type { HistoryEntry, FieldChange } from "./schemas/api.js";
import { pickLastChanged } from "./schemas/changes.js";
import { msg, type Bilingual, type Lang } from "./errors.js";
import type { ErrorDetail } from "./schemas/validation.js";

/**
 * Who may read and write what — docs/domain.md §1 (roles), §2 (archive access, handover, personal
 * details), §9 (confidentiality); docs/contracts.md §5 (rights on accounts, history).
 *
 * A principal may hold several roles; each right is granted when any of its roles grants it.
 * Owner rights (a manager's own accounts) need the `manager` role and `account.owner === userId`,
 * so a handover (owner changes) removes the old owner's access at once (docs/domain.md §2).
 */
export interface Principal {
  /** The company (docs/domain.md §1: no data ever crosses tenants). */
  tenant: string;
  userId: string;
  name: string;
  roles: readonly Role[];
  /** Team id from the user directory, when known (team targets). */
  team?: string;
}

// ---------------------------------------------------------------------------------------------
// Token claims

/**
 * The `roles` claim → role ids (docs/domain.md §1) (docs/contracts.md §5.1): a real array (`["Director","Manager"]`,
 * the local adapter) or API Gateway's flattened string (`"[Director Manager]"`), case-insensitive;
 * a JSON-array string and a single role string are accepted too. Unknown values are dropped,
 * duplicates removed, and the result is in ROLES order so both forms give the same array.
 */
export function parseRolesClaim(claim: unknown): Role[] {
  let tokens: unknown[] = [];
  if (Array.isArray(claim)) tokens = claim;
  else if (typeof claim === "string") {
    const s = claim.trim();
    let parsed: unknown;
    if (s.startsWith("[") && s.includes('"')) {
      try {
        parsed = JSON.parse(s);
      } catch {
        parsed = undefined;
      }
    }
    tokens = Array.isArray(parsed) ? parsed : s.replace(/^\[|\]$/g, "").split(/[\s,]+/);
  }
  const found = new Set<Role>();
  for (const t of tokens) {
    if (typeof t !== "string") continue;
    const id = ROLES.ids.find((r) => r === t.trim().toLowerCase());
    if (id) found.add(id);
  }
  return ROLES.ids.filter((r) => found.has(r));
}

export function hasRole(p: Pick<Principal, "roles">, role: Role): boolean {
  return p.roles.includes(role);
}

/** The owning manager of an account (docs/domain.md §2: "a manager reads and writes the accounts they own"). */
export function isOwner(p: Pick<Principal, "roles" | "userId">, account: { owner?: string } | undefined): boolean {
  return account !== undefined && hasRole(p, "manager") && account.owner === p.userId;
}

// ---------------------------------------------------------------------------------------------
// Decisions

export type AccessDecision = { allowed: true } | { allowed: false; details: ErrorDetail[] };

const ALLOW: AccessDecision = { allowed: true };

/** Which accounts a list shows a principal: every account, those they own, or none. */
export type ListView = "all" | "own" | "none";

/** The list rule every account list shares: `readAll` roles see every account, a manager their own, others none. */
function listView(p: Pick<Principal, "roles">, readAll: readonly Role[]): ListView {
  if (readAll.some((r) => hasRole(p, r))) return "all";
  if (hasRole(p, "manager")) return "own";
  return "none";
}
function deny(path: string, lang: Lang, zh: string, en: string): AccessDecision {
  return { allowed: false, details: [{ path, message: msg(lang, zh, en) }] };
}

// ---------------------------------------------------------------------------------------------
// Accounts

/**
 * How much of an account a principal sees:
 * - `full` — director, or the owning manager (personal details included);
 * - `noPersonal` — specialist (archive filing, statistics): everything but contacts' `personal`;
 * - `nameOnly` — finance: id, name, owner (finance sees account names only, docs/domain.md §1);
 * - `none` — admin, a manager who does not own it.
 */
export type AccountView = "full" | "noPersonal" | "nameOnly" | "none";

export function accountViewOf(p: Principal, account: { owner?: string }): AccountView {
  if (hasRole(p, "director") || isOwner(p, account)) return "full";
  if (hasRole(p, "specialist")) return "noPersonal";
  if (hasRole(p, "finance")) return "nameOnly";
  return "none";
}

/**
 * Which accounts `GET /v1/accounts` lists for `p`, given its `owner=` filter: directors, specialists
 * and finance any (the filter as asked); a manager only their own — asking for another
 * manager's is `foreignOwner`; other roles none (`role`).
 */
export function accountListFilter(p: Principal, ownerParam: string | undefined): { allowed: true; owner?: string } | { allowed: false; reason: "role" | "foreignOwner" } {
  if (hasRole(p, "director") || hasRole(p, "specialist") || hasRole(p, "finance")) return ownerParam ? { allowed: true, owner: ownerParam } : { allowed: true };
  if (hasRole(p, "manager")) return ownerParam !== undefined && ownerParam !== p.userId ? { allowed: false, reason: "foreignOwner" } : { allowed: true, owner: p.userId };
  return { allowed: false, reason: "role" };
}

/** Whether `p` reads the archive (more than the name) of an account: everyone but names-only readers and non-readers. */
export function canReadArchive(p: Principal, account: { owner?: string }): boolean {
  const v = accountViewOf(p, account);
  return v === "full" || v === "noPersonal";
}

/** Fields a names-only reader (finance) sees of an account. */
export const NAME_ONLY_FIELDS: readonly string[] = ["id", "name", "owner"];

/** May `p` read one field of an account it can read (finance: names only)? */
export function canReadAccountField(p: Principal, account: { owner?: string }, field: string): boolean {
  const v = accountViewOf(p, account);
  return v !== "none" && (v !== "nameOnly" || NAME_ONLY_FIELDS.includes(field));
}

/** May `p` read the health of an account owned by `owner`? The archive view, names-only excluded. */
export function canReadHealth(p: Principal, account: { owner?: string }): boolean {
  return canReadArchive(p, account);
}

/**
 * Health lists (`GET /v1/health`): directors and specialists every account, a manager their own
 * accounts; finance (names only) and admin none.
 */
export function healthViewOf(p: Principal): ListView {
  return listView(p, ["director", "specialist"]);
}

export function canReadAccount(p: Principal, account: { owner?: string }): boolean {
  return accountViewOf(p, account) !== "none";
}

/**
 * docs/domain.md §2/§9: contacts' confidential personal details — the owner and directors only;
 * finance and specialists never.
 */
export function canReadPersonal(p: Principal, account: { owner?: string }): boolean {
  return accountViewOf(p, account) === "full";
}

/** docs/contracts.md §5.4: directors and the owner. */
export function canReadHistory(p: Principal, account: { owner?: string }): boolean {
  return hasRole(p, "director") || isOwner(p, account);
}

/**
 * rights on accounts (docs/contracts.md §5.3), for one batch item (`existing` = stored account, undefined for a new
 * one): manager — only accounts they own, creates owned by themselves, never reassigns (that is a
 * director's handover); director — any; specialist — profile fields, contacts, competitors and
 * follow-ups of any existing account, but never `personal`, the owner, or removing contacts (which
 * would destroy personal details they cannot see); finance and admin — no account writes.
 * A denial names the field path, for the per-item `forbidden` result.
 */
export function checkAccountWrite(p: Principal, existing: Pick<Account, "owner" | "deleted"> | undefined, write: AccountWrite, lang: Lang = "en"): AccessDecision {
  if (hasRole(p, "director")) return ALLOW;
  if (existing?.deleted) return deny("id", lang, "该客户已删除；只有总监可以编辑", "the account is deleted; only a director can write it");
  const reasons: AccessDecision[] = [];
  if (hasRole(p, "manager")) reasons.push(managerWrite(p, existing, write, lang));
  if (hasRole(p, "specialist")) reasons.push(specialistWrite(existing, write, lang));
  if (reasons.some((r) => r.allowed)) return ALLOW;
  if (reasons.length > 0) return reasons[0]!;
  if (hasRole(p, "finance")) return deny("", lang, "财务只能编辑合同和回款，不能编辑客户档案", "finance writes contracts and payments only, not account archives");
  return deny("", lang, "此角色不能编辑客户档案", "this role cannot write account archives");
}

/** The roles that may send account writes at all (each item is then checked by `checkAccountWrite`). */
export function canWriteSomeAccount(p: Principal): boolean {
  return hasRole(p, "director") || hasRole(p, "manager") || hasRole(p, "specialist");
}

/** The owner a new account gets when the write names none: a manager (not a director) owns what they create. */
export function defaultAccountOwner(p: Pick<Principal, "roles" | "userId">): string | undefined {
  return hasRole(p, "manager") && !hasRole(p, "director") ? p.userId : undefined;
}

export function canWriteAccount(p: Principal, existing: Pick<Account, "owner" | "deleted"> | undefined, write: AccountWrite): boolean {
  return checkAccountWrite(p, existing, write).allowed;
}

function managerWrite(p: Principal, existing: Pick<Account, "owner"> | undefined, write: AccountWrite, lang: Lang): AccessDecision {
  if (existing) {
    if (existing.owner !== p.userId) return deny("id", lang, "客户经理只能编辑自己负责的客户", "a manager writes only the accounts they own");
    if (write.owner !== undefined && write.owner !== p.userId) return deny("owner", lang, "只有总监可以更换客户负责人（交接）", "only a director reassigns an account (handover)");
    return ALLOW;
  }
  if (write.owner !== undefined && write.owner !== p.userId) return deny("owner", lang, "客户经理新建的客户只能由自己负责", "a manager creates accounts owned by themselves");
  return ALLOW;
}

function specialistWrite(existing: Pick<Account, "owner"> | undefined, write: AccountWrite, lang: Lang): AccessDecision {
  if (!existing) return deny("id", lang, "专员只能完善已有客户；新客户由客户经理或总监创建", "a specialist files existing accounts; managers and directors create them");
  if (write.owner !== undefined && write.owner !== existing.owner) return deny("owner", lang, "只有总监可以更换客户负责人（交接）", "only a director reassigns an account (handover)");
  if (write.contacts === null) return deny("contacts", lang, "专员不能删除决策链", "a specialist cannot remove the decision chain");
  for (const [i, c] of (write.contacts ?? []).entries()) {
    if (c.personal !== undefined) return deny(`contacts[${i}].personal`, lang, "专员不能查看或编辑联系人的保密个人信息", "specialists never read or write confidential personal details");
    if (c.deleted) return deny(`contacts[${i}].deleted`, lang, "专员不能删除联系人", "a specialist cannot remove a contact");
  }
  return ALLOW;
}

/**
 * Archive review (docs/domain.md §2: reviewed at least every 6 months): whoever may write the account's
 * profile — a director, the owning manager, a specialist — may record that it was reviewed.
 */
export function canReviewArchive(p: Principal, account: Pick<Account, "owner" | "deleted">): boolean {
  return !account.deleted && checkAccountWrite(p, account, { id: "" }).allowed;
}

/** Tombstone delete (docs/contracts.md §8.10): directors. */
export function canDeleteAccount(p: Pick<Principal, "roles">): boolean {
  return hasRole(p, "director");
}

/**
 * Recycle bin (回收站, docs/contracts.md §8.10): which tombstones `GET /v1/accounts?deleted=true`
 * lists — directors every one, a manager those they own, other roles none (403).
 */
export function recycleBinViewOf(p: Pick<Principal, "roles">): ListView {
  return listView(p, ["director"]);
}

/**
 * The recycle bin's owner filter for `p` given its `owner=` parameter: directors any (as asked),
 * a manager their own — asking for another's is `foreignOwner`; other roles `role`.
 */
export function recycleBinFilter(p: Pick<Principal, "roles" | "userId">, ownerParam: string | undefined): { allowed: true; owner?: string } | { allowed: false; reason: "role" | "foreignOwner" } {
  const view = recycleBinViewOf(p);
  if (view === "none") return { allowed: false, reason: "role" };
  if (view === "all") return ownerParam !== undefined ? { allowed: true, owner: ownerParam } : { allowed: true };
  return ownerParam !== undefined && ownerParam !== p.userId ? { allowed: false, reason: "foreignOwner" } : { allowed: true, owner: p.userId };
}

/** Restoring a deleted account: directors (managers see their deleted accounts but cannot restore). */
export function canRestoreAccount(p: Pick<Principal, "roles">): boolean {
  return hasRole(p, "director");
}

/**
 * docs/contracts.md §8, §5.1: an account's owner must be a user of the tenant's directory with the
 * manager role — in `PUT /v1/accounts`, handovers, pickers and sheet cells. `user` is the directory
 * entry of `ownerId` (undefined: not in the directory). Returns the per-item problem at `path`, or
 * undefined when the owner is eligible. Callers check it only when the owner changes, so an account
 * whose stored owner lost the role still accepts edits that leave `owner` alone.
 */
export function ownerEligible(
  ownerId: string,
  user: { roles: readonly Role[] } | undefined,
  path = "owner",
  lang?: Lang,
): ErrorDetail | undefined {
  // A zh reader gets the Chinese text; otherwise the message carries both (en / zh), as sheets show it.
  const say = (m: Bilingual) => msg(lang === "zh" ? "zh" : "both", m.zh, m.en);
  if (!user) {
    return { path, message: say({ en: `owner: unknown user ${ownerId}`, zh: `负责人：用户目录中没有 ${ownerId}` }) };
  }
  if (!isManager(user)) {
    return {
      path,
      message: say({
        en: `owner: ${ownerId} does not have the manager role`,
        zh: `负责人：${ownerId} 不是客户经理（没有客户经理角色）`,
      }),
    };
  }
  return undefined;
}

/** A directory user who may own accounts (a handover's receiver must be one). */
export function isManager(u: { roles: readonly string[] }): boolean {
  return u.roles.includes("manager");
}

/** Handover (docs/domain.md §2): a director reassigns a manager's accounts. */
export function canHandover(p: Pick<Principal, "roles">): boolean {
  return hasRole(p, "director");
}

/** Erasure of a contact's personal details (docs/domain.md §2): directors. */
export function canEraseContact(p: Principal): boolean {
  return hasRole(p, "director");
}

// ---------------------------------------------------------------------------------------------
// Contracts, payments, collections (docs/domain.md §7): finance and the owning manager write
// contracts; finance writes payments

/** Directors, finance, and the owning manager read an account's contracts and payments. */
export function canReadContract(p: Principal, account: { owner?: string }): boolean {
  return hasRole(p, "director") || hasRole(p, "finance") || isOwner(p, account);
}

/** Finance, or the manager owning the contract's account (`account` undefined = unknown account). */
export function canWriteContract(p: Principal, account: { owner?: string } | undefined): boolean {
  return hasRole(p, "finance") || isOwner(p, account);
}

/**
 * One contract write (`canWriteContract` on the stored contract's account, then on the account it
 * will have): `stored` = the stored contract's account (`stored` undefined for a new contract;
 * `account` undefined when unknown); `next` = the account it will have (undefined when unknown —
 * reported by the write's own checks). Each denial names its field.
 */
export function checkContractWrite(
  p: Principal,
  stored: { account: { owner?: string } | undefined } | undefined,
  next: { account: { owner?: string } | undefined },
  lang: Lang = "en",
): AccessDecision {
  const details: ErrorDetail[] = [];
  if (stored && !canWriteContract(p, stored.account)) details.push({ path: "id", message: msg(lang, "只有财务或该客户的负责经理可以编辑其合同", "finance or the account's owning manager writes its contracts") });
  if (next.account && !canWriteContract(p, next.account)) details.push({ path: "accountId", message: msg(lang, "客户经理只能编辑自己负责的客户的合同", "a manager writes contracts of accounts they own only") });
  return details.length > 0 ? { allowed: false, details } : ALLOW;
}

/** The roles that may send contract writes at all (each item is then checked by `canWriteContract`). */
export function canWriteSomeContract(p: Principal): boolean {
  return hasRole(p, "finance") || hasRole(p, "manager");
}

export function canWritePayment(p: Principal): boolean {
  return hasRole(p, "finance");
}

/**
 * Lists of one account's records — `?account=` of contracts and payments (`finance`) or of visit
 * plans and records (`visits`): `canReadContract` or `canReadVisits` on that account. `account` is
 * undefined when no live account has the id: only readers of every account may ask (and find none).
 */
export function canReadAccountRecords(p: Principal, records: "finance" | "visits", account: { owner?: string } | undefined): boolean {
  if (account === undefined) return (records === "finance" ? collectionsViewOf(p) : visitsViewOf(p)) === "all";
  return records === "finance" ? canReadContract(p, account) : canReadVisits(p, account);
}

/**
 * Contracts, payments and collections: directors and finance see every account; a manager sees
 * the accounts they own (the handler keeps only those rows); others none.
 */
export function collectionsViewOf(p: Pick<Principal, "roles">): ListView {
  return listView(p, ["director", "finance"]);
}

// ---------------------------------------------------------------------------------------------
// Visits (docs/domain.md §5)

/** Directors and specialists (statistics) read all visits; a manager those of accounts they own. */
export function canReadVisits(p: Principal, account: { owner?: string }): boolean {
  return hasRole(p, "director") || hasRole(p, "specialist") || isOwner(p, account);
}

/** Visit lists and compliance: directors and specialists every account, a manager their own; others none. */
export function visitsViewOf(p: Principal): ListView {
  return listView(p, ["director", "specialist"]);
}

/** The roles that may send visit writes at all (each item is then checked by `checkVisitWrite`). */
export function canWriteSomeVisit(p: Principal): boolean {
  return hasRole(p, "director") || hasRole(p, "manager");
}

/** Who carries out a new visit that names nobody: its writer, unless a director writes it. */
export function defaultVisitOwner(p: Principal): string | undefined {
  return hasRole(p, "director") ? undefined : p.userId;
}

/**
 * One visit plan/record write (`canWriteVisit` on the stored item, then on the item as written):
 * `stored` = the stored visit's account and owner (undefined for a new one); `next` = the account
 * and owner it will have (`account` undefined when unknown — reported elsewhere). A denial names
 * `owner` when the account is the writer's own (the visit is someone else's), else `accountId`.
 */
export function checkVisitWrite(
  p: Principal,
  stored: { account: { owner?: string } | undefined; owner: string } | undefined,
  next: { account: { owner?: string } | undefined; owner: string | null },
  lang: Lang = "en",
): AccessDecision {
  const zh = "客户经理只能编辑自己负责的客户、且由自己执行的拜访";
  const en = "a manager writes visits of accounts they own, carried out by themselves";
  if (stored && !canWriteVisit(p, stored.account, { owner: stored.owner })) return deny("id", lang, zh, en);
  if (next.account && !canWriteVisit(p, next.account, { owner: next.owner })) return deny(isOwner(p, next.account) ? "owner" : "accountId", lang, zh, en);
  return ALLOW;
}

/** Directors write any plan/record; a manager writes their own, on accounts they own. */
export function canWriteVisit(p: Principal, account: { owner?: string } | undefined, visit: { owner?: string | null }): boolean {
  if (hasRole(p, "director")) return true;
  return isOwner(p, account) && (visit.owner == null || visit.owner === p.userId);
}

// ---------------------------------------------------------------------------------------------
// Users, targets, scoring models

/** `PUT /v1/users` — admin and director (docs/contracts.md §5.2). */
export function canManageUsers(p: Principal): boolean {
  return hasRole(p, "admin") || hasRole(p, "director");
}

/** docs/domain.md §6: targets are set — and changes approved or rejected — by the director. */
export function canSetTargets(p: Pick<Principal, "roles">): boolean {
  return hasRole(p, "director");
}

/** docs/domain.md §6 第6条: only a director approves or rejects a pending change. */
export function canDecideTarget(p: Principal): boolean {
  return hasRole(p, "director");
}

/**
 * Who may propose a change to a target: a director (which sets it at once), or a manager for a
 * target that is theirs — their own manager target, their team's, or an account they own.
 */
export function canProposeTarget(
  p: Principal,
  target: { level: string; subject?: string },
  context: { accountOwner?: string } = {},
): boolean {
  if (hasRole(p, "director")) return true;
  if (!hasRole(p, "manager")) return false;
  switch (target.level) {
    case "manager":
      return target.subject === p.userId;
    case "team":
      return p.team !== undefined && target.subject === p.team;
    case "account":
      return context.accountOwner !== undefined && context.accountOwner === p.userId;
    default:
      return false;
  }
}

/**
 * Reading targets: directors, specialists (reports) and finance read all; a manager reads the
 * company target, their team's, their own and those of accounts they own; admin none.
 */
export function canReadTarget(p: Principal, target: { level: string; subject?: string }, context: { accountOwner?: string } = {}): boolean {
  if (hasRole(p, "director") || hasRole(p, "specialist") || hasRole(p, "finance")) return true;
  if (!hasRole(p, "manager")) return false;
  return target.level === "company" || canProposeTarget(p, target, context);
}

/** The role a target proposal or decision is recorded under: director when `p` is one, else manager. */
export function targetActorRole(p: Principal): "director" | "manager" {
  return hasRole(p, "director") ? "director" : "manager";
}

/** Scoring models: directors write (built-ins stay read-only); any signed-in role reads. */
export function canWriteScoringModel(p: Principal): boolean {
  return hasRole(p, "director");
}

/** docs/contracts.md §3: any signed-in role. */
export function canCallEval(p: Principal): boolean {
  return p.roles.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Redaction

/** The account without any contact's `personal` object (also for structured logs, which never hold personal fields). */
export function stripPersonal<A extends { contacts?: readonly { personal?: unknown }[] }>(account: A): A {
  if (!account.contacts) return account;
  return { ...account, contacts: account.contacts.map(({ personal: _personal, ...rest }) => rest) };
}

/**
 * What `p` may see of an account (docs/domain.md §2, §9): the whole record for the owner and directors,
 * every contact's `personal` removed whole for specialists, `{id, name, owner}` for finance,
 * `undefined` for anyone else.
 */
export function redactAccount(account: Account, p: Principal): Account | AccountName | undefined {
  switch (accountViewOf(p, account)) {
    case "full":
      return account;
    case "noPersonal":
      return stripPersonal(account);
    case "nameOnly": {
      // Who changed which field carries no values; this reader sees only the name and owner's.
      const lastChanged = account.lastChanged && pickLastChanged(account.lastChanged, (k) => k === "name" || k === "owner");
      return { id: account.id, name: account.name, owner: account.owner, ...(lastChanged ? { lastChanged } : {}) };
    }
    case "none":
      return undefined;
  }
}

const PERSONAL_SEGMENT = /(^|[.\]])personal($|[.[])/;

/** Remove every `personal` property nested anywhere in a value; reports whether one was found. */
function scrubPersonal(v: unknown): { value: unknown; found: boolean } {
  if (Array.isArray(v)) {
    let found = false;
    const value = v.map((x) => {
      const r = scrubPersonal(x);
      found ||= r.found;
      return r.value;
    });
    return { value, found };
  }
  if (v !== null && typeof v === "object") {
    let found = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "personal") {
        found = true;
        continue;
      }
      const r = scrubPersonal(x);
      found ||= r.found;
      out[k] = r.value;
    }
    return { value: out, found };
  }
  return { value: v, found: false };
}

/**
 * A history entry without confidential values: a change of a personal field (`…personal…` path)
 * keeps its field path but loses old → new, and personal objects nested in other changes'
 * values (e.g. a whole contact added or removed) are removed; such changes are marked
 * `redacted: true`. Also for structured logs, which never hold personal fields.
 */
export function stripPersonalFromHistory(entry: HistoryEntry): HistoryEntry {
  const changes = entry.changes.map((c): FieldChange => {
    if (PERSONAL_SEGMENT.test(c.field)) return { field: c.field, redacted: true };
    const o = scrubPersonal(c.old);
    const n = scrubPersonal(c.new);
    if (!o.found && !n.found) return c;
    const out: FieldChange = { field: c.field, redacted: true };
    if ("old" in c) out.old = o.value;
    if ("new" in c) out.new = n.value;
    return out;
  });
  return { ...entry, changes };
}

/**
 * A history entry as `p` may see it (docs/contracts.md §5.4): `undefined` unless `p` may read the
 * account's history (directors and the owner); personal old → new values stripped for a reader who
 * may not read `personal`. (Under today's rights every history reader may read `personal`, so the
 * stripping only acts if history access is ever widened — it stays here so that cannot leak.)
 */
export function redactHistoryEntry(entry: HistoryEntry, p: Principal, account: { owner?: string }): HistoryEntry | undefined {
  if (!canReadHistory(p, account)) return undefined;
  return canReadPersonal(p, account) ? entry : stripPersonalFromHistory(entry);
}
