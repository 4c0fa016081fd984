import * as z from "zod/mini";
import { EXCEL_ERROR, type KamErrorCode } from "../errors.js";
import type { HealthResult } from "../health/health.js";
import { HEALTH_FACTORS } from "../health/model.js";
import { DEAL_STATUSES } from "../labels.js";
import { enumId, FINITE, IsoDateSchema } from "./common.js";

/**
 * The health routes' answers (handlers/health.ts): `GET /v1/accounts/{id}/health` answers one item,
 * `GET /v1/health?scope=` a list of them. An item is the account's health result (health/health.ts
 * `HealthResult`) with the account it is of and the explanation in both languages, or the error
 * that stopped it. The handler's answers are typed from these schemas and `HealthResultSchema` is
 * checked against `HealthResult` by the compiler (below), so the three cannot drift apart.
 */

const BilingualSchema = z.strictObject({ zh: z.string(), en: z.string() });

const nonNegative = z.number().check(z.refine(Number.isFinite, FINITE), z.minimum(0));

const HealthFactorKeySchema = enumId({ ids: HEALTH_FACTORS });

export const HealthFactorResultSchema = z.strictObject({
  key: HealthFactorKeySchema,
  label: BilingualSchema,
  weight: nonNegative,
  maxPoints: nonNegative,
  points: nonNegative,
  share: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  missing: z.optional(BilingualSchema),
  detail: BilingualSchema,
});

export const HealthResultSchema = z.strictObject({
  score: z.number().check(z.int(), z.minimum(0), z.maximum(100)),
  status: z.enum(["R", "A", "G"]),
  capped: z.boolean(),
  supportiveDecider: z.boolean(),
  factors: z.array(HealthFactorResultSchema),
  missing: z.array(z.strictObject({ key: HealthFactorKeySchema, reason: BilingualSchema })),
  nextStep: z.strictObject({
    dealStatus: enumId(DEAL_STATUSES),
    plan: BilingualSchema,
    focus: z.optional(BilingualSchema),
  }),
  modelId: z.string().check(z.minLength(1)),
  asOf: IsoDateSchema,
});

/** True when A and B are the same type (not merely assignable to each other). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
/** Fails to compile when `HealthResult` and `HealthResultSchema` differ by a field or a type. */
export type HealthResultMatchesSchema = Holds<Same<HealthResult, z.infer<typeof HealthResultSchema>>>;

/** The account an item is of. */
const accountOf = {
  accountId: z.string().check(z.minLength(1)),
  accountName: z.string(),
  owner: z.string(),
};

const KAM_EXCEL_ERRORS = Object.values(EXCEL_ERROR) as [(typeof EXCEL_ERROR)[KamErrorCode], ...(typeof EXCEL_ERROR)[KamErrorCode][]];

/** One account's health, or the error (an Excel error code, its message, the field it names) that stopped it. */
export const HealthItemSchema = z.union([
  z.strictObject({ ...accountOf, ...HealthResultSchema.shape, explanation: BilingualSchema }),
  z.strictObject({
    ...accountOf,
    error: z.strictObject({ code: z.enum(KAM_EXCEL_ERRORS), message: z.string(), field: z.optional(z.string()) }),
  }),
]);
export type HealthItem = z.infer<typeof HealthItemSchema>;

/** `GET /v1/health?scope=`: the scope as asked, the model used, today, and the items lowest score first. */
export const HealthListSchema = z.strictObject({
  scope: z.string(),
  modelId: z.string().check(z.minLength(1)),
  asOf: IsoDateSchema,
  /** How many items follow. */
  accounts: z.number().check(z.int(), z.minimum(0)),
  items: z.array(HealthItemSchema),
});
export type HealthList = z.infer<typeof HealthListSchema>;
