import * as z from "zod/mini";
import { TARGET_LEVELS, TARGET_STATUSES } from "../labels.js";
import { IdSchema, PeriodIdSchema, TimestampSchema, enumId, intIn, moneyYuan, text } from "./common.js";
import { customIssue } from "./messages.js";

/**
 * Sales targets (销售指标) — docs/domain.md §6. Set by a director on a level of the cascade
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
    version: intIn(1, Number.MAX_SAFE_INTEGER),
    amountYuan: moneyYuan(),
    status: enumId(TARGET_STATUSES),
    proposedBy: IdSchema,
    proposedAt: TimestampSchema,
    reason: z.optional(text(TARGET_REASON_MAX)),
    decidedBy: z.optional(IdSchema),
    decidedAt: z.optional(TimestampSchema),
  })
  .check(
    z.superRefine((v, ctx) => {
      // A decided version names who decided and when; a pending one names nobody.
      const status = TARGET_STATUSES.label(v.status, "zh");
      if (v.status === "pending") {
        if (v.decidedBy !== undefined) ctx.addIssue(customIssue(["decidedBy"], "待审批的版本没有审批人", "a pending version has no decider"));
        if (v.decidedAt !== undefined) ctx.addIssue(customIssue(["decidedAt"], "待审批的版本没有审批时间", "a pending version has no decision time"));
      } else {
        if (v.decidedBy === undefined) ctx.addIssue(customIssue(["decidedBy"], `${status}的版本需要 decidedBy（审批人）`, `an ${v.status} version needs decidedBy`));
        if (v.decidedAt === undefined) ctx.addIssue(customIssue(["decidedAt"], `${status}的版本需要 decidedAt（审批时间）`, `an ${v.status} version needs decidedAt`));
      }
    }),
  );
export type TargetVersion = z.infer<typeof TargetVersionSchema>;

/** level + subject rule: `company` has no subject; team / manager / account name one (team id, user id, account id). */
function checkSubject(t: { level: string; subject?: string | null }, ctx: z.core.$RefinementCtx) {
  if (t.level === "company" && t.subject != null) ctx.addIssue(customIssue(["subject"], "公司指标没有对象（subject）", "a company target has no subject"));
  if (t.level !== "company" && t.subject == null) {
    const [zh, en] = t.level === "team" ? ["团队编号", "team id"] : t.level === "manager" ? ["用户编号", "user id"] : ["客户编号", "account id"];
    const level = TARGET_LEVELS.parse(t.level);
    ctx.addIssue(customIssue(["subject"], `${level ? TARGET_LEVELS.label(level, "zh") : t.level}指标需要对象 subject（${zh}）`, `a ${t.level} target needs a subject (${en})`));
  }
}

export const TargetSchema = z
  .strictObject({
    id: IdSchema,
    level: enumId(TARGET_LEVELS),
    subject: z.optional(IdSchema),
    /** Canonical period id (`2026`, `2026-H1`, `2026-Q3`, `2026-09`). */
    period: PeriodIdSchema,
    versions: z.array(TargetVersionSchema).check(z.maxLength(TARGET_VERSIONS_MAX)),
  })
  .check(
    z.superRefine((t, ctx) => {
      checkSubject(t, ctx);
      t.versions.forEach((v, i) => {
        if (v.version !== i + 1) ctx.addIssue(customIssue(["versions", i, "version"], `版本按 1、2、3… 编号；此处应为 ${i + 1}`, `versions are numbered 1, 2, 3…; expected ${i + 1}`));
      });
    }),
  );
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
    subject: z.optional(IdSchema),
    period: PeriodIdSchema,
    amountYuan: moneyYuan(),
    reason: z.optional(text(TARGET_REASON_MAX)),
    /** The latest version number the proposer saw (optimistic concurrency); absent or 0 for a new target. */
    basedOnVersion: z.optional(intIn(0, Number.MAX_SAFE_INTEGER)),
  })
  .check(z.superRefine(checkSubject));
export type TargetProposal = z.infer<typeof TargetProposalSchema>;

/** A director's decision on a pending version. */
export const TargetDecisionSchema = z.strictObject({
  targetId: IdSchema,
  version: intIn(1, Number.MAX_SAFE_INTEGER),
  decision: z.enum(["approve", "reject"]),
  reason: z.optional(text(TARGET_REASON_MAX)),
});
export type TargetDecision = z.infer<typeof TargetDecisionSchema>;
