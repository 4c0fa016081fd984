/**
 * What the targets page shows, from the targets of a period (docs/domain.md §6): the effective amount is
 * the engine's `effectiveTarget` (the highest approved version, never "the last approved in array
 * order"); a change reads as old → new, where old is what was in force when it was proposed.
 */
import { DEFAULT_TIME_ZONE, effectiveTarget, type Lang, type TargetVersionRecord } from "../../../../shared/src/index.js";

export interface TargetLike {
  id: string;
  level: string;
  subject?: string;
  period: string;
  versions: TargetVersionRecord[];
}

/** The effective amount (yuan), or undefined when no version is approved. */
export function effectiveAmount(t: TargetLike): number | undefined {
  const e = effectiveTarget(t.versions);
  return e.ok ? e.value.amountYuan : undefined;
}

/** The amount in force just before version `v` was proposed (the approved version below it with the highest number). */
export function amountBefore(t: TargetLike, version: number): number | undefined {
  const e = effectiveTarget(t.versions.filter((x) => x.version < version));
  return e.ok ? e.value.amountYuan : undefined;
}

export interface ChangeView {
  target: TargetLike;
  version: TargetVersionRecord;
  from: number | undefined;
  to: number;
}

/** Pending versions (the director's decision list), oldest proposal first. */
export function pendingChanges(targets: readonly TargetLike[]): ChangeView[] {
  return targets
    .flatMap((t) => t.versions.filter((v) => v.status === "pending").map((v) => ({ target: t, version: v, from: amountBefore(t, v.version), to: v.amountYuan })))
    .sort((a, b) => a.version.proposedAt.localeCompare(b.version.proposedAt));
}

/** Versions a user proposed that needed a decision (theirs, not set directly), newest first. */
export function proposalsOf(targets: readonly TargetLike[], userId: string): ChangeView[] {
  return targets
    .flatMap((t) =>
      t.versions
        .filter((v) => v.proposedBy === userId && !(v.status === "approved" && v.decidedBy === userId))
        .map((v) => ({ target: t, version: v, from: amountBefore(t, v.version), to: v.amountYuan })),
    )
    .sort((a, b) => b.version.proposedAt.localeCompare(a.version.proposedAt));
}

/** 7,500,000 in the pane's locale. */
export function formatYuan(n: number | undefined, lang: Lang): string {
  if (n === undefined) return "—";
  return new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: 2 }).format(n);
}

/** An ISO time as `2026-12-01 10:05` in the tenant's zone. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: DEFAULT_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(d);
  const get = (k: string) => parts.find((p) => p.type === k)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}
