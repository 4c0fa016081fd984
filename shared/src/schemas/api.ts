import * as z from "zod/mini";
import { FINITE, IdSchema, IsoDateSchema, PeriodIdSchema, TEXT_LIMITS, TimestampSchema, VersionSchema, text } from "./common.js";
import { customIssue, says } from "./messages.js";

/**
 * API envelopes (docs/contracts.md §6, §3, §11).
 */

/** docs/contracts.md §6: ≤ 500 items and ≤ 1 MB per request. */
export const BATCH_MAX_ITEMS = 500;
export const REQUEST_MAX_BYTES = 1024 * 1024;
/** At most 1,000 calls per `/v1/eval` request (docs/contracts.md §3). */
export const EVAL_MAX_CALLS = 1000;
/** Excel's own limit on one cell's text. */
export const EXCEL_TEXT_MAX = 32767;

// ---------------------------------------------------------------------------------------------
// Batch upserts and lists

/** `{"items":[...]}` with at most 500 items. */
export function BatchRequest<T extends z.core.$ZodType>(item: T) {
  return z.strictObject({ items: z.array(item).check(atMost(BATCH_MAX_ITEMS, `每个请求最多 ${BATCH_MAX_ITEMS} 项`, `at most ${BATCH_MAX_ITEMS} items per request`)) });
}

/**
 * A length limit with its own message (zh, en). Like `z.maxLength` it also runs when the items
 * themselves failed, so an oversized request is always reported as such.
 */
export function atMost(max: number, zh: string, en: string) {
  return z.refine<readonly unknown[]>((a) => a.length <= max, { ...says(zh, en), when: (p) => Array.isArray(p.value) });
}

export const BATCH_STATUSES = ["created", "updated", "unchanged", "conflict", "invalid", "forbidden"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const ErrorDetailSchema = z.strictObject({ path: text(500), message: text(2000) });

/**
 * Per-item result of a batch upsert: `version` is the stored version after the write (or the
 * current one for unchanged / conflict); `current` is the stored item on a conflict (redacted for
 * the caller); `errors` explain `invalid` / `forbidden`.
 */
export function BatchItemResult<T extends z.core.$ZodType>(current: T) {
  return z.strictObject({
    id: text(TEXT_LIMITS.id),
    status: z.enum(BATCH_STATUSES),
    version: z.optional(VersionSchema),
    /** The write's time, when asked for (`PUT /v1/accounts?stamps=true`). */
    updatedAt: z.optional(TimestampSchema),
    current: z.optional(current),
    errors: z.optional(z.array(ErrorDetailSchema)),
  });
}
export const BatchItemResultSchema = BatchItemResult(z.unknown());
export type BatchItemResult = z.infer<typeof BatchItemResultSchema>;

export function BatchResponse<T extends z.core.$ZodType>(current: T) {
  return z.strictObject({ items: z.array(BatchItemResult(current)) });
}

/** `GET /v1/accounts?keys=true`: an item's id and the time of its last change, no fields. */
export const ChangeEntrySchema = z.strictObject({ id: text(TEXT_LIMITS.id), updatedAt: TimestampSchema });
export type ChangeEntry = z.infer<typeof ChangeEntrySchema>;

/** `{"items":[...],"next":cursor}` — `next` absent on the last page. */
export function ListResponse<T extends z.core.$ZodType>(item: T) {
  return z.strictObject({ items: z.array(item), next: z.optional(text(2048)) });
}

// ---------------------------------------------------------------------------------------------
// History, handover, erasure

/** `review`: the archive was reviewed (docs/domain.md §2 twice-yearly review; sets `lastReviewed`). */
export const HISTORY_OPS = ["create", "update", "delete", "handover", "erasure", "restore", "review"] as const;
export type HistoryOp = (typeof HISTORY_OPS)[number];

/**
 * One field change `old → new`. `field` is a path such as `phone`, `contacts[c1].title` or
 * `contacts[c1].personal.birthday`; absent old/new = the field did not exist. `redacted` marks a
 * change whose confidential values were hidden from the reader (docs/contracts.md §5.4).
 */
export const FieldChangeSchema = z.strictObject({
  field: z.string().check(z.minLength(1), z.maxLength(500)),
  old: z.optional(z.unknown()),
  new: z.optional(z.unknown()),
  redacted: z.optional(z.literal(true)),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

/** An immutable history entry of an account (docs/domain.md §2: who, when, which fields, old → new). */
export const HistoryEntrySchema = z.strictObject({
  at: TimestampSchema,
  by: IdSchema,
  op: z.enum(HISTORY_OPS),
  /** The account version this entry produced. */
  version: z.optional(VersionSchema),
  changes: z.array(FieldChangeSchema),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** Handover (资料交接, docs/domain.md §2): reassign `from`'s accounts (all, or the listed ones) to `to`. */
export const HandoverSchema = z
  .strictObject({
    from: IdSchema,
    to: IdSchema,
    accountIds: z.optional(z.array(IdSchema).check(z.minLength(1), z.maxLength(BATCH_MAX_ITEMS))),
  })
  .check(z.refine((h) => h.from !== h.to, { path: ["to"], ...says("不能交接给同一位经理", "handover to the same manager") }));
export type Handover = z.infer<typeof HandoverSchema>;

/** The recorded handover (from, to, who approved, when, accounts — docs/domain.md §2). */
export const HandoverRecordSchema = z.strictObject({
  from: IdSchema,
  to: IdSchema,
  approvedBy: IdSchema,
  at: TimestampSchema,
  accountIds: z.array(IdSchema),
});
export type HandoverRecord = z.infer<typeof HandoverRecordSchema>;

/** Erasure of one contact's confidential personal details (docs/domain.md §2, §9). */
export const ErasureSchema = z.strictObject({ accountId: IdSchema, contactId: IdSchema });
export type Erasure = z.infer<typeof ErasureSchema>;

// ---------------------------------------------------------------------------------------------
// /v1/eval

export const EXCEL_ERROR_CODES = [
  "#VALUE!", "#DIV/0!", "#NUM!", "#N/A", "#NAME?", "#NULL!", "#REF!", "#SPILL!", "#CALC!",
  "#BUSY!", "#CONNECT!", "#FIELD!", "#GETTING_DATA", "#BLOCKED!", "#UNKNOWN!",
] as const;

/** An error value `{"error":{"code":"#DIV/0!","message":"..."}}` (docs/contracts.md §3). */
export const ExcelErrorSchema = z.strictObject({
  error: z.strictObject({ code: z.enum(EXCEL_ERROR_CODES), message: text(2000) }),
});
export type ExcelError = z.infer<typeof ExcelErrorSchema>;

/** One cell: number (finite), text, boolean, empty (`null`) or an error value. */
const finiteNumber = z.number().check(z.refine(Number.isFinite, FINITE));

export const ExcelScalarSchema = z.union([
  finiteNumber,
  text(EXCEL_TEXT_MAX),
  z.boolean(),
  z.null(),
  ExcelErrorSchema,
]);
export type ExcelScalar = z.infer<typeof ExcelScalarSchema>;

/** A range: a rectangular 2-D array of cells (rows of equal length). */
export const ExcelRangeSchema = z
  .array(z.array(ExcelScalarSchema).check(z.minLength(1)))
  .check(
    z.minLength(1),
    z.refine((rows) => rows.every((r) => r.length === rows[0]?.length), says("区域必须是矩形", "a range must be rectangular")),
  );
export type ExcelRange = z.infer<typeof ExcelRangeSchema>;

/** A function argument: a cell value or a range (`null` = omitted). */
export const ExcelArgSchema = z.union([ExcelScalarSchema, ExcelRangeSchema]);
export type ExcelArg = z.infer<typeof ExcelArgSchema>;

/** Most arguments one call passes (Excel's own limit is 255). */
export const EVAL_MAX_ARGS = 255;

export const EvalCallSchema = z.strictObject({
  /** Function name without the namespace (`SCORE`); `KAM.SCORE` is accepted too. */
  fn: z.string().check(
    z.minLength(1),
    z.maxLength(64),
    z.refine((s) => /^(KAM\.)?[A-Za-z][A-Za-z0-9_.]*$/.test(s), says("不是函数名", "not a function name")),
  ),
  args: z.array(ExcelArgSchema).check(z.maxLength(EVAL_MAX_ARGS)),
});
export type EvalCall = z.infer<typeof EvalCallSchema>;

export const EvalRequestSchema = z.strictObject({
  calls: z.array(EvalCallSchema).check(atMost(EVAL_MAX_CALLS, `每个请求最多 ${EVAL_MAX_CALLS} 次调用`, `at most ${EVAL_MAX_CALLS} calls per request`)),
});
export type EvalRequest = z.infer<typeof EvalRequestSchema>;

/** A result value: one cell as a scalar, or a 2-D array whose error cells are error objects. */
export const EvalValueSchema = z.union([
  finiteNumber,
  text(EXCEL_TEXT_MAX),
  z.boolean(),
  z.null(),
  ExcelRangeSchema,
]);

/** `{"value": v}` or `{"error": {...}}`, in the order of the calls. */
export const EvalResultSchema = z.union([z.strictObject({ value: EvalValueSchema }), ExcelErrorSchema]);
export type EvalResult = z.infer<typeof EvalResultSchema>;

export const EvalResponseSchema = z.strictObject({ results: z.array(EvalResultSchema) });
export type EvalResponse = z.infer<typeof EvalResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Collections

import { parseCollectionScope, type CollectionScope } from "./fields.js";

export { parseCollectionScope, type CollectionScope };

export const CollectionScopeSchema = z.pipe(
  text(TEXT_LIMITS.name + 10),
  z.transform((s: string, ctx): CollectionScope => {
    const scope = parseCollectionScope(s);
    if (!scope) {
      ctx.issues.push({
        ...customIssue(
          undefined,
          "应为 account:<编号>、owner:<用户编号>、team:<团队编号>、* 或客户编号 / 名称",
          "expected account:<id>, owner:<userId>, team:<teamId>, * or an account id / name",
        ),
        input: s,
      });
      return z.NEVER;
    }
    return scope;
  }),
);

/**
 * `GET /v1/collections?scope=&period=&asOf=`. `asOf` must not be after today in the tenant's time
 * zone — the handler checks that, since the schema does not know the tenant.
 */
export const CollectionsQuerySchema = z.strictObject({
  scope: CollectionScopeSchema,
  period: PeriodIdSchema,
  asOf: z.optional(IsoDateSchema),
});
export type CollectionsQuery = z.output<typeof CollectionsQuerySchema>;

// ---------------------------------------------------------------------------------------------
// Errors

export const API_ERROR_CODES = [
  "invalid",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "too_large",
  "unsupported_media_type",
  "unsupported",
  "internal",
  "unavailable",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** `{"error":{"code","message","details":[{path,message}]}}` (a 400's details name each bad path). */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(API_ERROR_CODES),
    message: text(TEXT_LIMITS.longText),
    details: z.array(ErrorDetailSchema),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
