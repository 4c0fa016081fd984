import * as z from "zod/mini";
import { isIsoDate, parseDate, today as todayIn, type IsoDate } from "./dates.js";
import { messageOf, type Bilingual, type KamError, type Lang } from "./errors.js";
import { DEAL_STATUSES, GRADES, STAGES, type DealStatus, type Grade, type Stage } from "./labels.js";

/**
 * Stage gates of the development process (docs/domain.md §4: "an account leaves stage 3 only with a
 * grade; D-grade accounts are not advanced"; at every stage "有则进入下一阶段，无则终止" — go on
 * when there is a chance, otherwise terminate).
 *
 * The gates, checked on the merged record (stored account + write) and only when `stage` or
 * `grade` changes — a create counts as a change of every field it sets:
 * - an account at stage 4 `relate` or 5 `close` needs a grade;
 * - a D account is never at stage 4 or 5;
 * - skipping stages is allowed (accounts are imported mid-way), the two gates above still apply.
 *
 * Termination: deal status `terminated` (终止) records an account dropped at any stage, with the
 * date and the reason in `termination` ({ date, reason }). The stage stays where the account was
 * dropped. Checked when `dealStatus` or `termination` changes: a terminated account needs a
 * termination record with a date (not after today) and a reason; a termination record on an
 * account that is not terminated is refused — reviving an account sends its new deal status and
 * `termination: null`.
 *
 * Each refusal names its field (`stage`, `grade`, `dealStatus`, `termination.date`,
 * `termination.reason`) with a zh and en reason, so the API can answer a per-item `invalid` and
 * the pane can show the reason on the cell.
 */

/** Deal status of an account dropped from development (a DEAL_STATUSES id). */
export const TERMINATED = "terminated" satisfies DealStatus;

export type DealStatusId = DealStatus;

/** A deal status id from an id, a zh/en label or an alias. */
export function parseDealStatus(v: unknown): DealStatusId | undefined {
  return DEAL_STATUSES.parse(v);
}

/** Longest termination reason, in characters (the catalogue's long-text limit). */
export const TERMINATION_REASON_MAX = 2000;

/** The termination record of a terminated account: when and why it was dropped. */
export const TerminationSchema = z.strictObject({
  date: z.string().check(z.maxLength(10), z.refine(isIsoDate, { message: "expected a date YYYY-MM-DD" })),
  reason: z.string().check(
    z.maxLength(TERMINATION_REASON_MAX),
    z.refine((s) => s.trim().length > 0, { message: "must not be empty" }),
  ),
});
export type Termination = z.infer<typeof TerminationSchema>;

/** The fields the gates read; anything else on the record is ignored. */
export interface StageGateRecord {
  stage?: unknown;
  grade?: unknown;
  dealStatus?: unknown;
  termination?: unknown;
  [field: string]: unknown;
}

export type StageGateField = "stage" | "grade" | "dealStatus" | "termination" | "termination.date" | "termination.reason";

export interface StageGateIssue {
  field: StageGateField;
  message: Bilingual;
}

export interface StageGateOptions {
  /** Today in the tenant's zone (default: today in Asia/Shanghai); a termination date may not be later. */
  today?: IsoDate;
}

/** docs/domain.md §4: stages from which a grade is required, and which a D account may not reach. */
export const GATED_STAGES: readonly Stage[] = ["relate", "close"];

function stageNumber(s: Stage): number {
  return STAGES.ids.indexOf(s) + 1;
}

function stageText(s: Stage): Bilingual {
  return { zh: `${stageNumber(s)}“${STAGES.label(s, "zh")}”`, en: `${stageNumber(s)} "${STAGES.label(s, "en")}"` };
}

function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}

function same(a: unknown, b: unknown): boolean {
  if (blank(a) && blank(b)) return true;
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return a === b;
}

/**
 * The gate refusals for a write: `existing` is the stored account (undefined for a create),
 * `merged` the record the write would store. Unreadable stage/grade/status values are left to the
 * schema, which names them; the gates judge only values they can read.
 */
export function stageGateIssues(
  existing: StageGateRecord | undefined,
  merged: StageGateRecord,
  opts: StageGateOptions = {},
): StageGateIssue[] {
  const issues: StageGateIssue[] = [];
  const changed = (f: keyof StageGateRecord) => (existing === undefined ? !blank(merged[f]) : !same(existing[f], merged[f]));
  const stageChanged = changed("stage");
  const gradeChanged = changed("grade");

  if (stageChanged || gradeChanged) {
    const stage = STAGES.parse(merged.stage);
    const grade: Grade | undefined = GRADES.parse(merged.grade);
    const gradeBlank = blank(merged.grade);
    if (stage !== undefined && GATED_STAGES.includes(stage)) {
      const st = stageText(stage);
      if (gradeBlank) {
        // The field the user touched carries the reason: a stage moved up, or a grade cleared.
        issues.push({
          field: stageChanged ? "stage" : "grade",
          message: stageChanged
            ? {
                zh: `开发阶段 ${st.zh} 需要客户等级：请先在第 3 阶段“价值评估”中评定等级（A–C）`,
                en: `stage ${st.en} needs a grade: grade the account (A–C) at stage 3 "Assess" first`,
              }
            : {
                zh: `客户处于开发阶段 ${st.zh}，不能清除客户等级`,
                en: `the account is at stage ${st.en}; its grade cannot be cleared`,
              },
        });
      } else if (grade === "D") {
        issues.push({
          field: gradeChanged ? "grade" : "stage",
          message: gradeChanged
            ? {
                zh: `D 级客户（暂缓观察）不能处于开发阶段 ${st.zh}：请将阶段退回第 3 阶段或更早，或终止开发`,
                en: `a D account (postpone, observe) cannot be at stage ${st.en}: move it back to stage 3 or earlier, or terminate it`,
              }
            : {
                zh: `D 级客户（暂缓观察）不推进，不能进入开发阶段 ${st.zh}`,
                en: `D accounts (postpone, observe) are not advanced: they cannot enter stage ${st.en}`,
              },
        });
      }
    }
  }

  if (changed("dealStatus") || changed("termination")) issues.push(...terminationIssues(merged, opts));
  return issues;
}

function terminationIssues(merged: StageGateRecord, opts: StageGateOptions): StageGateIssue[] {
  const status = parseDealStatus(merged.dealStatus);
  const t = merged.termination;
  if (status !== TERMINATED) {
    if (blank(t)) return [];
    return [
      {
        field: "termination",
        message: {
          zh: "只有“终止”的客户才有终止记录：恢复开发时请清除终止记录",
          en: `only a terminated account has a termination record: clear it when the account is revived`,
        },
      },
    ];
  }
  if (blank(t) || typeof t !== "object" || Array.isArray(t)) {
    return [
      {
        field: "termination",
        message: {
          zh: "终止开发需要记录终止日期和原因",
          en: "a terminated account needs the date and the reason it was dropped",
        },
      },
    ];
  }
  const issues: StageGateIssue[] = [];
  const rec = t as Record<string, unknown>;
  const date = typeof rec["date"] === "string" || typeof rec["date"] === "number" ? parseDate(rec["date"], "termination.date") : undefined;
  if (date === undefined || !date.ok) {
    issues.push({ field: "termination.date", message: { zh: "缺少终止日期（YYYY-MM-DD）", en: "missing the termination date (YYYY-MM-DD)" } });
  } else {
    const now = opts.today ?? todayIn();
    if (date.value > now) {
      issues.push({
        field: "termination.date",
        message: { zh: `终止日期 ${date.value} 晚于今天 ${now}`, en: `the termination date ${date.value} is after today (${now})` },
      });
    }
  }
  if (typeof rec["reason"] !== "string" || rec["reason"].trim() === "") {
    issues.push({ field: "termination.reason", message: { zh: "缺少终止原因", en: "missing the reason for termination" } });
  }
  return issues;
}

/** One refusal as the engine's error shape (a #VALUE! naming the field). */
export function stageGateError(issue: StageGateIssue): KamError {
  return { code: "value", arg: issue.field, message: issue.message };
}

/**
 * Adapter for a batch write path: the refusals of one item as per-item `invalid` details
 * `{ path, message }`, in the caller's language (`lang`), or `"both"` for "中文 / English".
 * Call it per item with the stored account (undefined for a create) and the merged record; an
 * empty list means the gates pass.
 */
export function stageGateDetails(
  existing: StageGateRecord | undefined,
  merged: StageGateRecord,
  lang: Lang | "both" = "both",
  opts: StageGateOptions = {},
): { path: string; message: string }[] {
  return stageGateIssues(existing, merged, opts).map((i) => ({
    path: i.field,
    message: lang === "both" ? `${i.message.zh} / ${i.message.en}` : i.message[lang],
  }));
}

/** The message of a refusal with its field, as a cell note shows it ("stage: …"). */
export function stageGateMessage(issue: StageGateIssue, lang: Lang): string {
  return messageOf(stageGateError(issue), lang);
}
