import { must } from "./checked.js";
import { parseDate, type IsoDate } from "./dates.js";
import { errors, fail, ok, type Result } from "./errors.js";
import { ROLES, TARGET_STATUSES, type TargetStatus } from "./labels.js";
import { fenToYuan, yuanToFen } from "./money.js";
import { targetIdOf } from "./schemas/target.js";

/**
 * Targets (销售指标, docs/domain.md §6). A target keeps a history of versions. A change
 * during execution needs the director's approval; without it performance is judged against the
 * original target — so the *effective* target is the latest APPROVED version; pending and
 * rejected versions never count.
 *
 * "Latest" is the highest version number among approved versions. `approve` refuses to approve a
 * version older than one already approved, so approval order and version order never disagree.
 */
/** One version of a target (fits the stored `TargetVersion` schema; status labels accepted on input). */
export interface TargetVersionInput {
  version: number;
  amountYuan: number;
  /** approved | pending | rejected (zh/en labels accepted on input). */
  status: string;
  proposedBy: string;
  /** ISO-8601 date-time (or date). */
  proposedAt: string;
  decidedBy?: string | null;
  decidedAt?: string | null;
  reason?: string | null;
}

/** A version as the transitions write it back (same shape as the stored schema). */
export interface TargetVersionRecord {
  version: number;
  amountYuan: number;
  status: TargetStatus;
  proposedBy: string;
  proposedAt: string;
  reason?: string;
  decidedBy?: string;
  decidedAt?: string;
}

/** What `effectiveTarget` reads of a version: its number and status. */
export type TargetVersionStatus = Pick<TargetVersionInput, "version" | "status">;

function statusOf(v: TargetVersionStatus, i: number): Result<TargetStatus> {
  const s = TARGET_STATUSES.parse(v?.status);
  return s ? ok(s) : { ok: false, error: errors.badChoice(`versions[${i}].status`, v?.status, TARGET_STATUSES.ids) };
}

function checkVersions<V extends TargetVersionStatus>(versions: readonly V[]): Result<TargetStatus[]> {
  if (!Array.isArray(versions)) return fail("value", "versions", { zh: "应为指标版本列表", en: "expected a list of target versions" });
  const seen = new Set<number>();
  const statuses: TargetStatus[] = [];
  for (const [i, v] of versions.entries()) {
    if (typeof v?.version !== "number" || !Number.isInteger(v.version) || v.version < 1) {
      return { ok: false, error: errors.outOfRange(`versions[${i}].version`, "1, 2, 3 …") };
    }
    if (seen.has(v.version)) {
      return fail("value", `versions[${i}].version`, { zh: `指标版本号重复：${v.version}`, en: `duplicate target version ${v.version}` });
    }
    seen.add(v.version);
    const s = statusOf(v, i);
    if (!s.ok) return s;
    statuses.push(s.value);
  }
  return ok(statuses);
}

/** docs/domain.md §6: the latest approved version; none approved → #N/A. */
export function effectiveTarget<V extends TargetVersionStatus>(versions: readonly V[]): Result<V> {
  const st = checkVersions(versions);
  if (!st.ok) return st;
  let best: V | undefined;
  versions.forEach((v, i) => {
    if (st.value[i] === "approved" && (best === undefined || v.version > best.version)) best = v;
  });
  if (!best) return fail("na", "versions", { zh: "没有已批准的指标版本", en: "no approved target version" });
  return ok(best);
}

export interface TargetProposalInput {
  amountYuan: number;
  proposedBy: string;
  /** ISO date-time; an ISO date or Excel serial is taken as midnight in Asia/Shanghai. */
  proposedAt: string | number;
  /** The proposer's role (id or label). A director's own version is approved at once (docs/domain.md §6: the director sets targets). */
  proposerRole?: string | null;
  reason?: string | null;
}

/** Tenant zone offset used when a decision or proposal time is given as a bare date (Asia/Shanghai, no DST). */
const DEFAULT_ZONE_OFFSET = "+08:00";

function when(v: string | number, arg: string): Result<string> {
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v.trim())) return ok(v.trim());
  const d = parseDate(v, arg);
  return d.ok ? ok(`${d.value as IsoDate}T00:00:00${DEFAULT_ZONE_OFFSET}`) : d;
}

function record(v: TargetVersionInput, status: TargetStatus): TargetVersionRecord {
  return {
    version: v.version,
    amountYuan: v.amountYuan,
    status,
    proposedBy: v.proposedBy,
    proposedAt: v.proposedAt,
    ...(v.reason ? { reason: v.reason } : {}),
    ...(v.decidedBy ? { decidedBy: v.decidedBy } : {}),
    ...(v.decidedAt ? { decidedAt: v.decidedAt } : {}),
  };
}

function isDirector(role: string | null | undefined): boolean {
  return ROLES.parse(role) === "director";
}

/** docs/domain.md §6: a new version (next number). A manager's proposal is pending; a director's is approved. */
export function applyProposal(versions: readonly TargetVersionInput[], proposal: TargetProposalInput): Result<TargetVersionRecord[]> {
  const st = checkVersions(versions);
  if (!st.ok) return st;
  const amount = typeof proposal.amountYuan === "number" || typeof proposal.amountYuan === "string"
    ? yuanToFen(proposal.amountYuan, "amountYuan")
    : { ok: false as const, error: errors.missing("amountYuan") };
  if (!amount.ok) return amount;
  if (amount.value < 0) return { ok: false, error: errors.negative("amountYuan") };
  if (typeof proposal.proposedBy !== "string" || proposal.proposedBy.trim() === "") return { ok: false, error: errors.missing("proposedBy") };
  const at = when(proposal.proposedAt, "proposedAt");
  if (!at.ok) return at;
  const next = versions.reduce((m, v) => Math.max(m, v.version), 0) + 1;
  const byDirector = isDirector(proposal.proposerRole);
  const v: TargetVersionRecord = {
    version: next,
    amountYuan: fenToYuan(amount.value),
    status: byDirector ? "approved" : "pending",
    proposedBy: proposal.proposedBy,
    proposedAt: at.value,
    ...(proposal.reason ? { reason: proposal.reason } : {}),
    ...(byDirector ? { decidedBy: proposal.proposedBy, decidedAt: at.value } : {}),
  };
  return ok([...versions.map((x, i) => record(x, must(st.value[i], "the status of a checked version"))), v]);
}

export interface TargetDecisionInput {
  decidedBy: string;
  decidedAt: string | number;
  /** The decider's role; when given it must be director (docs/domain.md §6: the director approves). */
  deciderRole?: string | null;
}

function decide(versions: readonly TargetVersionInput[], version: number, d: TargetDecisionInput, to: "approved" | "rejected"): Result<TargetVersionRecord[]> {
  const st = checkVersions(versions);
  if (!st.ok) return st;
  const i = versions.findIndex((v) => v.version === version);
  if (i < 0) return fail("na", "version", { zh: `没有指标版本 ${version}`, en: `no target version ${version}` });
  const status = must(st.value[i], "the status of a checked version");
  if (status !== "pending") {
    return fail("value", "version", {
      zh: `指标版本 ${version} 已是“${TARGET_STATUSES.label(status, "zh")}”，只能审批待审批的版本`,
      en: `target version ${version} is already ${TARGET_STATUSES.label(status, "en").toLowerCase()}; only pending versions can be decided`,
    });
  }
  if (d.deciderRole !== undefined && d.deciderRole !== null && !isDirector(d.deciderRole)) {
    return fail("value", "deciderRole", { zh: "指标变更须由大客户总监审批", en: "only a director may decide a target change" });
  }
  if (typeof d.decidedBy !== "string" || d.decidedBy.trim() === "") return { ok: false, error: errors.missing("decidedBy") };
  const at = when(d.decidedAt, "decidedAt");
  if (!at.ok) return at;
  if (to === "approved") {
    const newer = versions.find((v, j) => st.value[j] === "approved" && v.version > version);
    if (newer) {
      return fail("value", "version", {
        zh: `已批准更新的版本 ${newer.version}，不能再批准旧版本 ${version}`,
        en: `a newer version ${newer.version} is already approved; version ${version} cannot be approved`,
      });
    }
  }
  return ok(versions.map((x, j) => {
    const r = record(x, must(st.value[j], "the status of a checked version"));
    return j === i ? { ...r, status: to, decidedBy: d.decidedBy, decidedAt: at.value } : r;
  }));
}

/** docs/domain.md §6: the director approves a pending version; it becomes the effective target. */
export function approve(versions: readonly TargetVersionInput[], version: number, decision: TargetDecisionInput): Result<TargetVersionRecord[]> {
  return decide(versions, version, decision, "approved");
}

/** docs/domain.md §6: the director rejects a pending version; the previous approved target stays in force. */
export function reject(versions: readonly TargetVersionInput[], version: number, decision: TargetDecisionInput): Result<TargetVersionRecord[]> {
  return decide(versions, version, decision, "rejected");
}

/**
 * The target `KAM.TARGET(owner, period[, level])` reads: without a level, "company", "*" or 公司
 * name the company target and anything else a manager's; the company target has no subject.
 */
export function targetIdOfCall(call: { owner: string; period: { id: string }; level?: string | undefined }): string {
  const owner = call.owner.trim();
  const isCompany = ["company", "*", "公司"].includes(owner.toLowerCase());
  const level = call.level ?? (isCompany ? "company" : "manager");
  return targetIdOf(level, level === "company" ? undefined : owner, call.period.id);
}
