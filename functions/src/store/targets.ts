import { canReadTarget, targetActorRole, type Principal } from "../../../shared/src/access.js";
import { messageOf, msg, type KamError, type Lang } from "../../../shared/src/errors.js";
import type { TargetLevel } from "../../../shared/src/labels.js";
import { targetIdOf, TargetSchema, type TargetProposal } from "../../../shared/src/schemas/target.js";
import { validate, type ErrorDetail } from "../../../shared/src/schemas/validation.js";
import { applyProposal, approve, effectiveTarget, reject, type TargetVersionRecord } from "../../../shared/src/targets.js";
import { ACCOUNT } from "./accounts.js";
import type { StoreContext } from "./client.js";

import { commitChange, getEntities, getEntity, listHistory, toHistoryEntry, type Doc, type EntityType, type StoredEntity } from "./entity.js";
import { listAllOf } from "./queries.js";
import { TEAM } from "./teams.js";
import { USER, getUsers, type UserDoc } from "./users.js";

/**
 * Sales targets (销售指标, docs/domain.md §6) — entity `TGT`, one item per (level, subject, period) with the
 * id `targetIdOf(level, subject, period)` (`manager:m-li:2026-Q1`). The item holds every version
 * (`versions`, the shared TargetSchema); each transition — a director setting a target, a manager's
 * proposal, a director's decision — is one conditional write through `commitChange`, so it lands in
 * the history outbox with who and when. The transitions themselves are the engine's
 * (`applyProposal`, `approve`, `reject`); the effective target is `effectiveTarget` (latest approved).
 */
export const TARGET: EntityType = { code: "TGT" };

export type TargetDoc = Doc & { level: TargetLevel; subject?: string; period: string; versions: TargetVersionRecord[] };

/** Retries of a transition that lost a race with another write to the same target. */
export const TARGET_WRITE_ATTEMPTS = 5;

export interface TargetView {
  id: string;
  level: TargetLevel;
  subject?: string;
  period: string;
  versions: TargetVersionRecord[];
  /** docs/domain.md §6: the latest approved version, or null. */
  effective: { version: number; amountYuan: number } | null;
  /** Latest version number (what a proposal's `basedOnVersion` names). */
  latestVersion: number;
  pending: number[];
  updatedAt: string;
  updatedBy: string;
}

export function presentTarget(e: StoredEntity<TargetDoc>): TargetView {
  const eff = effectiveTarget(e.data.versions);
  return {
    id: e.id,
    level: e.data.level,
    ...(e.data.subject !== undefined ? { subject: e.data.subject } : {}),
    period: e.data.period,
    versions: e.data.versions,
    effective: eff.ok ? { version: eff.value.version, amountYuan: eff.value.amountYuan } : null,
    latestVersion: e.data.versions.reduce((m, v) => Math.max(m, v.version), 0),
    pending: e.data.versions.filter((v) => v.status === "pending").map((v) => v.version),
    updatedAt: e.updatedAt,
    updatedBy: e.updatedBy,
  };
}

/** The caller with their team from the user directory (canProposeTarget needs it for team targets). */
export async function withTeam(ctx: StoreContext, p: Principal): Promise<Principal> {
  if (p.team !== undefined) return p;
  const me = await getEntity<UserDoc>(ctx, USER, p.tenant, p.userId, { repair: false });
  return me?.data.team !== undefined ? { ...p, team: me.data.team } : p;
}

/** Owners of the accounts that account-level targets name (canReadTarget / canProposeTarget context). */
export async function accountOwners(ctx: StoreContext, tenant: string, targets: readonly { level: string; subject?: string }[]): Promise<Map<string, string>> {
  const ids = targets.flatMap((t) => (t.level === "account" && t.subject !== undefined ? [t.subject] : []));
  if (ids.length === 0) return new Map();
  const found = await getEntities(ctx, ACCOUNT, tenant, ids, { repair: false });
  return new Map([...found.values()].filter((a) => !a.deleted).map((a) => [a.id, a.data.owner as string]));
}

export function contextOf(owners: Map<string, string>, t: { level: string; subject?: string }): { accountOwner?: string } {
  const o = t.level === "account" && t.subject !== undefined ? owners.get(t.subject) : undefined;
  return o !== undefined ? { accountOwner: o } : {};
}

export type TransitionOutcome =
  | { ok: true; status: "created" | "updated"; stored: StoredEntity<TargetDoc> }
  | { ok: false; status: "conflict"; current?: StoredEntity<TargetDoc>; details: ErrorDetail[] }
  | { ok: false; status: "invalid" | "forbidden" | "notFound"; details: ErrorDetail[] };

function engineDetails(e: KamError, lang: Lang): ErrorDetail[] {
  return [{ path: e.arg ?? "", message: messageOf(e, lang) }];
}

/** Check the next document against the stored shape (defence: the engine already kept it valid). */
function validTarget(id: string, d: TargetDoc, lang: Lang = "en"): ErrorDetail[] {
  const r = validate(TargetSchema, { id, level: d.level, ...(d.subject !== undefined ? { subject: d.subject } : {}), period: d.period, versions: d.versions }, lang);
  return r.ok ? [] : r.details;
}

/**
 * A new version (director: approved at once; manager: pending) — docs/domain.md §6 via `applyProposal`.
 * `mustExist`: proposals are changes to an existing target; a director's set may create one.
 * `basedOnVersion` (when given) must be the latest version number, else a conflict.
 */
export async function proposeTarget(
  ctx: StoreContext,
  p: Principal,
  proposal: TargetProposal,
  opts: { mustExist: boolean; lang: Lang; idempotencyKey?: string },
): Promise<TransitionOutcome> {
  const id = targetIdOf(proposal.level, proposal.subject, proposal.period);
  for (let attempt = 0; attempt < TARGET_WRITE_ATTEMPTS; attempt++) {
    const existing = await getEntity<TargetDoc>(ctx, TARGET, p.tenant, id);
    if (!existing && opts.mustExist) return { ok: false, status: "notFound", details: [{ path: "id", message: msg(opts.lang, `没有指标 ${id}`, `no target ${id}`) }] };
    const versions = existing?.data.versions ?? [];
    const latest = versions.reduce((m, v) => Math.max(m, v.version), 0);
    if (proposal.basedOnVersion !== undefined && proposal.basedOnVersion !== latest) {
      return {
        ok: false,
        status: "conflict",
        ...(existing ? { current: existing } : {}),
        details: [{
          path: "basedOnVersion",
          message: msg(opts.lang, `指标已更新为版本 ${latest}（你看到的是版本 ${proposal.basedOnVersion}），请刷新后重试`, `the target's latest version is ${latest}, not ${proposal.basedOnVersion}`),
        }],
      };
    }
    const next = applyProposal(versions, {
      amountYuan: proposal.amountYuan,
      proposedBy: p.userId,
      proposedAt: new Date().toISOString(),
      // docs/domain.md §6: a director's version is approved at once; anyone else's is pending.
      proposerRole: targetActorRole(p),
      ...(proposal.reason ? { reason: proposal.reason } : {}),
    });
    if (!next.ok) return { ok: false, status: "invalid", details: engineDetails(next.error, opts.lang) };
    const data: TargetDoc = {
      level: proposal.level,
      ...(proposal.subject !== undefined ? { subject: proposal.subject } : {}),
      period: proposal.period,
      versions: next.value,
    };
    const bad = validTarget(id, data, opts.lang);
    if (bad.length > 0) return { ok: false, status: "invalid", details: bad };
    const res = await commitChange<TargetDoc>(ctx, TARGET, p.tenant, id, existing, {
      data,
      by: p.userId,
      op: existing ? "update" : "create",
      ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
    });
    if (res.ok) return { ok: true, status: existing ? "updated" : "created", stored: res.stored };
    if (res.reason === "tooLarge") return { ok: false, status: "invalid", details: [{ path: "versions", message: msg(opts.lang, "指标版本过多", "too many versions") }] };
    // Lost a race: re-read and re-apply (a basedOnVersion then reports the conflict).
  }
  return { ok: false, status: "conflict", details: [{ path: "id", message: msg(opts.lang, "指标在保存时不断被修改；请重试", "the target kept changing; retry") }] };
}

/** A director's decision on a pending version (docs/domain.md §6 第6条) via the engine's approve / reject. */
export async function decideTarget(
  ctx: StoreContext,
  p: Principal,
  id: string,
  decision: { version: number; decision: "approve" | "reject"; reason?: string | undefined },
  opts: { lang: Lang; idempotencyKey?: string },
): Promise<TransitionOutcome> {
  for (let attempt = 0; attempt < TARGET_WRITE_ATTEMPTS; attempt++) {
    const existing = await getEntity<TargetDoc>(ctx, TARGET, p.tenant, id);
    if (!existing) return { ok: false, status: "notFound", details: [{ path: "id", message: msg(opts.lang, `没有指标 ${id}`, `no target ${id}`) }] };
    const input = { decidedBy: p.userId, decidedAt: new Date().toISOString(), deciderRole: targetActorRole(p) };
    const next = decision.decision === "approve" ? approve(existing.data.versions, decision.version, input) : reject(existing.data.versions, decision.version, input);
    if (!next.ok) {
      const status = next.error.code === "na" ? "notFound" : "conflict";
      return status === "conflict"
        ? { ok: false, status, current: existing, details: engineDetails(next.error, opts.lang) }
        : { ok: false, status, details: engineDetails(next.error, opts.lang) };
    }
    let versions = next.value;
    const { reason } = decision;
    if (reason) {
      // The decision's reason is kept with the decided version (the proposer's reason stays in history).
      versions = versions.map((v) => (v.version === decision.version ? { ...v, reason } : v));
    }
    const data: TargetDoc = { ...existing.data, versions };
    const res = await commitChange<TargetDoc>(ctx, TARGET, p.tenant, id, existing, {
      data,
      by: p.userId,
      op: "update",
      ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
    });
    if (res.ok) return { ok: true, status: "updated", stored: res.stored };
  }
  return { ok: false, status: "conflict", details: [{ path: "id", message: msg(opts.lang, "指标在保存时不断被修改；请重试", "the target kept changing; retry") }] };
}

export async function listTargets(ctx: StoreContext, tenant: string): Promise<StoredEntity<TargetDoc>[]> {
  return listAllOf<TargetDoc>(ctx, TARGET, tenant);
}

/** Who may see a target (shared canReadTarget), for a batch of targets. */
/**
 * One target as `p` (with its team, `withTeam`) may see it: the stored target, the reader's context
 * (the owner of the account it names) and whether `p` may read it (`canReadTarget`); undefined when
 * no target has the id. `GET /v1/targets/{id}`, its proposals and `KAM.TARGET` read targets here.
 */
export async function readTargetAs(
  ctx: StoreContext,
  p: Principal,
  id: string,
  opts: { repair?: boolean } = {},
): Promise<{ stored: StoredEntity<TargetDoc>; context: { accountOwner?: string }; readable: boolean } | undefined> {
  const e = await getEntity<TargetDoc>(ctx, TARGET, p.tenant, id, opts);
  if (!e) return undefined;
  const context = contextOf(await accountOwners(ctx, p.tenant, [e.data]), e.data);
  return { stored: e, context, readable: canReadTarget(p, e.data, context) };
}

export async function readableTargets(ctx: StoreContext, p: Principal, targets: readonly StoredEntity<TargetDoc>[]): Promise<StoredEntity<TargetDoc>[]> {
  const owners = await accountOwners(ctx, p.tenant, targets.map((t) => t.data));
  return targets.filter((t) => canReadTarget(p, t.data, contextOf(owners, t.data)));
}

export async function targetHistory(ctx: StoreContext, tenant: string, id: string) {
  return (await listHistory(ctx, TARGET, tenant, id)).map(toHistoryEntry);
}

/**
 * Does a subject exist (manager → user, account → account, team → some user's team)? The checker
 * serves one batch of targets: it reads each distinct subject, and the user directory, once.
 */
export function subjectChecker(ctx: StoreContext, tenant: string, lang: Lang = "en"): (level: string, subject: string | undefined) => Promise<ErrorDetail[]> {
  let users: Promise<StoredEntity<UserDoc>[]> | undefined;
  const checked = new Map<string, Promise<ErrorDetail[]>>();
  const check = async (level: string, subject: string | undefined): Promise<ErrorDetail[]> => {
    if (subject === undefined || level === "company") return [];
    if (level === "manager") return (await getUsers(ctx, tenant, [subject])).has(subject) ? [] : [{ path: "subject", message: msg(lang, `用户目录中没有 ${subject}`, `unknown user ${subject}`) }];
    if (level === "account") {
      const a = await getEntity(ctx, ACCOUNT, tenant, subject, { repair: false });
      return a && !a.deleted ? [] : [{ path: "subject", message: msg(lang, `没有客户 ${subject}`, `unknown account ${subject}`) }];
    }
    if ((await (users ??= listAllOf<UserDoc>(ctx, USER, tenant))).some((u) => u.data.team === subject)) return [];
    // A team named in GET/PUT /v1/teams counts even before anyone is in it.
    const team = await getEntity(ctx, TEAM, tenant, subject, { repair: false });
    return team && !team.deleted ? [] : [{ path: "subject", message: msg(lang, `没有团队 ${subject}`, `unknown team ${subject}`) }];
  };
  return (level, subject) => {
    const key = `${level}\u0000${subject ?? ""}`;
    let r = checked.get(key);
    if (!r) checked.set(key, (r = check(level, subject)));
    return r;
  };
}
