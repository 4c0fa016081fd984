import * as z from "zod/mini";
import { VISIT_OUTCOMES, VISIT_PURPOSES, VISIT_ROLES } from "../labels.js";
import { BaseVersionSchema, IdSchema, IsoDateSchema, MonthSchema, TEXT_LIMITS, VersionSchema, clearableFields, enumId, optionalFields, text } from "./common.js";
import { customIssue } from "./messages.js";

/**
 * Visits (拜访) — docs/domain.md §5: the monthly plan (月拜访计划表) and the visit record (月度客户拜访记录表,
 * with the daily report codes).
 */

const planRequired = {
  accountId: IdSchema,
  /** Month the visit is planned for, `YYYY-MM`. */
  month: MonthSchema,
  /** Our visiting role (VISIT_ROLES id). */
  role: enumId(VISIT_ROLES),
  /** The manager who plans and carries out the visit (user id). */
  owner: IdSchema,
};
const planOptional = {
  plannedDate: IsoDateSchema,
  purpose: text(TEXT_LIMITS.text),
};

function checkPlannedDate(p: { month?: string; plannedDate?: string | null }, ctx: z.core.$RefinementCtx) {
  if (p.month && p.plannedDate && p.plannedDate.slice(0, 7) !== p.month)
    ctx.addIssue(customIssue(["plannedDate"], `计划日期 ${p.plannedDate} 不在 ${p.month} 月内`, `planned date ${p.plannedDate} is not in month ${p.month}`));
}

/**
 * Set by the server when a plan or record is first stored (a date in the tenant's zone), never by a
 * client: the lateness rules of docs/domain.md §5 (visits.ts planIsLate / recordIsLate) read it.
 */
const entered = { enteredOn: z.optional(IsoDateSchema) };

export const VisitPlanSchema = z
  .strictObject({ id: IdSchema, version: VersionSchema, ...planRequired, ...optionalFields(planOptional), ...entered })
  .check(z.superRefine(checkPlannedDate));
export type VisitPlan = z.infer<typeof VisitPlanSchema>;

export const VisitPlanWriteSchema = z
  .strictObject({ id: IdSchema, version: BaseVersionSchema, ...optionalFields(planRequired), ...clearableFields(planOptional) })
  .check(z.superRefine(checkPlannedDate));
export type VisitPlanWrite = z.infer<typeof VisitPlanWriteSchema>;

const recordRequired = {
  accountId: IdSchema,
  date: IsoDateSchema,
  role: enumId(VISIT_ROLES),
  /** a 初次拜访 / b 处理问题 / c 建立关系 */
  purpose: enumId(VISIT_PURPOSES),
  /** A 商谈成功 … E 继续观察 */
  outcome: enumId(VISIT_OUTCOMES),
  owner: IdSchema,
};
const recordOptional = {
  /** The plan this visit carries out (plan adherence, docs/domain.md §5). */
  planId: IdSchema,
  /**
   * Written summary. Optional to store, but a visit without one does not count (docs/domain.md §5) —
   * see `hasWrittenSummary`.
   */
  summary: text(TEXT_LIMITS.longText),
};

export const VisitRecordSchema = z.strictObject({ id: IdSchema, version: VersionSchema, ...recordRequired, ...optionalFields(recordOptional), ...entered });
export type VisitRecord = z.infer<typeof VisitRecordSchema>;

export const VisitRecordWriteSchema = z.strictObject({
  id: IdSchema,
  version: BaseVersionSchema,
  ...optionalFields(recordRequired),
  ...clearableFields(recordOptional),
});
export type VisitRecordWrite = z.infer<typeof VisitRecordWriteSchema>;

export { hasWrittenSummary } from "./fields.js";
