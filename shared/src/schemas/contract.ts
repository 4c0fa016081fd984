import * as z from "zod/mini";
import { yuanToFen } from "../money.js";
import { BaseVersionSchema, hasAtMostTwoDecimals, IdSchema, IsoDateSchema, TEXT_LIMITS, VersionSchema, clearableFields, moneyYuan, optionalFields, text } from "./common.js";
import { customIssue } from "./messages.js";

/**
 * Contracts, instalments and payments — the inputs of collections (docs/domain.md §7). Amounts in yuan
 * (≤ 2 decimals); the engine turns them into fen.
 */

/** Most instalments one contract holds. */
export const INSTALMENTS_MAX = 120;

export const InstalmentSchema = z.strictObject({
  id: IdSchema,
  dueDate: IsoDateSchema,
  amountYuan: moneyYuan({ positive: true }),
});
export type Instalment = z.infer<typeof InstalmentSchema>;

const instalmentList = z.array(InstalmentSchema).check(z.maxLength(INSTALMENTS_MAX));

const contractRequired = {
  accountId: IdSchema,
  signedDate: IsoDateSchema,
  amountYuan: moneyYuan({ positive: true }),
};
const contractOptional = {
  /** 合同编号 */
  number: text(TEXT_LIMITS.short),
};

/**
 * Instalment ids are unique and the schedule never exceeds the contract amount (compared in fen).
 * A schedule may be shorter than the amount while it is being entered.
 */
function checkInstalments(c: { amountYuan?: number; instalments?: Instalment[] | null }, ctx: z.core.$RefinementCtx) {
  if (!c.instalments) return;
  const seen = new Set<string>();
  let scheduledFen = 0;
  c.instalments.forEach((it, i) => {
    if (seen.has(it.id)) ctx.addIssue(customIssue(["instalments", i, "id"], `分期编号 ${it.id} 重复`, `duplicate instalment id ${it.id}`));
    seen.add(it.id);
    const f = yuanToFen(it.amountYuan);
    if (f.ok) scheduledFen += f.value;
  });
  // Compare only against a valid amount (its own issue is reported already).
  if (c.amountYuan === undefined || !(c.amountYuan > 0) || !hasAtMostTwoDecimals(c.amountYuan)) return;
  const total = yuanToFen(c.amountYuan);
  if (total.ok && scheduledFen > total.value)
    ctx.addIssue(
      customIssue(
        ["instalments"],
        `分期合计 ${scheduledFen / 100} 元，超过合同金额 ${c.amountYuan} 元`,
        `instalments total ${scheduledFen / 100} yuan, more than the contract amount ${c.amountYuan}`,
      ),
    );
}

export const ContractSchema = z
  .strictObject({
    id: IdSchema,
    version: VersionSchema,
    ...contractRequired,
    ...optionalFields(contractOptional),
    /** The account's owner on the signed date, set by the store (never written by clients). */
    ownerAtSigning: z.optional(IdSchema),
    instalments: instalmentList,
  })
  .check(z.superRefine(checkInstalments));
export type Contract = z.infer<typeof ContractSchema>;

/** Upsert form (docs/contracts.md §6); `instalments` replaces the whole schedule when present. */
export const ContractWriteSchema = z
  .strictObject({
    id: IdSchema,
    version: BaseVersionSchema,
    ...optionalFields(contractRequired),
    ...clearableFields(contractOptional),
    instalments: z.optional(instalmentList),
  })
  .check(z.superRefine(checkInstalments));
export type ContractWrite = z.infer<typeof ContractWriteSchema>;

const paymentRequired = {
  contractId: IdSchema,
  date: IsoDateSchema,
  amountYuan: moneyYuan({ positive: true }),
};
const paymentOptional = {
  /** Applies to this instalment; otherwise FIFO over the contract's open instalments (docs/domain.md §7). */
  instalmentId: IdSchema,
};

export const PaymentSchema = z.strictObject({
  id: IdSchema,
  version: VersionSchema,
  ...paymentRequired,
  ...optionalFields(paymentOptional),
});
export type Payment = z.infer<typeof PaymentSchema>;

export const PaymentWriteSchema = z.strictObject({
  id: IdSchema,
  version: BaseVersionSchema,
  ...optionalFields(paymentRequired),
  ...clearableFields(paymentOptional),
});
export type PaymentWrite = z.infer<typeof PaymentWriteSchema>;
