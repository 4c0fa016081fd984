import { z } from "zod";
import { TARGET_LEVELS, TARGET_STATUSES } from "../labels.js";
import { IdSchema, PeriodIdSchema, TEXT_LIMITS, TimestampSchema, enumId, moneyYuan, text } from "./common.js";

/**
 * Sales targets (销售指标) — DOMAIN §6. Set by a director on a level of the cascade
 * company → team → manager → account for a period; a change during execution is a new version
 * that stays `pending` until a director approves or rejects it; the effective target is the latest
 * approved version (第6条).
 */

/** The longest reason text for a proposal or decision. */
export const TARGET_REASON_MAX = 1000;
/** Most versions one target keeps. */
export const TARGET_VERSIONS_MAX = 500;

export const TargetVersionSchema = z
  .strictObject({
    version: z.number().int().min(1),
    amountYuan: moneyYuan(),
    status: enumId(TARGET_STATUSES),
    proposedBy: IdSchema,
    proposedAt: TimestampSchema,
    reason: text(TARGET_REASON_MAX).optional(),
    decidedBy: IdSchema.optional(),
    decidedAt: TimestampSchema.optional(),
  })
  .superRefine((v, ctx) => {
    // A decided version names who decided and when; a pending one names nobody.
    if (v.status === "pending") {
      if (v.decidedBy !== undefined) ctx.addIssue({ code: "custom", path: ["decidedBy"], message: "a pending version has no decider" });
      if (v.decidedAt !== undefined) ctx.addIssue({ code: "custom", path: ["decidedAt"], message: "a pending version has no decision time" });
    } else {
      if (v.decidedBy === undefined) ctx.addIssue({ code: "custom", path: ["decidedBy"], message: `an ${v.status} version needs decidedBy` });
      if (v.decidedAt === undefined) ctx.addIssue({ code: "custom", path: ["decidedAt"], message: `an ${v.status} version needs decidedAt` });
    }
  });
export type TargetVersion = z.infer<typeof TargetVersionSchema>;

/** level + subject rule: `company` has no subject; team / manager / account name one (team id, user id, account id). */
function checkSubject(t: { level: string; subject?: string | null }, ctx: z.RefinementCtx) {
  if (t.level === "company" && t.subject != null) ctx.addIssue({ code: "custom", path: ["subject"], message: "a company target has no subject" });
  if (t.level !== "company" && t.subject == null)
    ctx.addIssue({ code: "custom", path: ["subject"], message: `a ${t.level} target needs a subject (${t.level === "team" ? "team id" : t.level === "manager" ? "user id" : "account id"})` });
}

export const TargetSchema = z
  .strictObject({
    id: IdSchema,
    level: enumId(TARGET_LEVELS),
    subject: IdSchema.optional(),
    /** Canonical period id (`2026`, `2026-H1`, `2026-Q3`, `2026-09`). */
    period: PeriodIdSchema,
    versions: z.array(TargetVersionSchema).max(TARGET_VERSIONS_MAX),
  })
  .superRefine((t, ctx) => {
    checkSubject(t, ctx);
    t.versions.forEach((v, i) => {
      if (v.version !== i + 1) ctx.addIssue({ code: "custom", path: ["versions", i, "version"], message: `versions are numbered 1, 2, 3…; expected ${i + 1}` });
    });
  });
export type Target = z.infer<typeof TargetSchema>;

/**
 * The id of the one target for (level, subject, period): `company:2026`, `manager:u1:2026-Q3`.
 * Period must already be canonical.
 */
export function targetIdOf(level: string, subject: string | undefined, period: string): string {
  return subject === undefined ? `${level}:${period}` : `${level}:${subject}:${period}`;
}

/**
 * Request body to set (director → approved at once) or propose (manager → pending) a target amount.
 */
export const TargetProposalSchema = z
  .strictObject({
    level: enumId(TARGET_LEVELS),
    subject: IdSchema.optional(),
    period: PeriodIdSchema,
    amountYuan: moneyYuan(),
    reason: text(TARGET_REASON_MAX).optional(),
    /** The latest version number the proposer saw (optimistic concurrency); absent or 0 for a new target. */
    basedOnVersion: z.number().int().min(0).optional(),
  })
  .superRefine(checkSubject);
export type TargetProposal = z.infer<typeof TargetProposalSchema>;

/** A director's decision on a pending version. */
export const TargetDecisionSchema = z.strictObject({
  targetId: IdSchema,
  version: z.number().int().min(1),
  decision: z.enum(["approve", "reject"]),
  reason: text(TARGET_REASON_MAX).optional(),
});
export type TargetDecision = z.infer<typeof TargetDecisionSchema>;
