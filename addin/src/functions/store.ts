/// <reference types="custom-functions-runtime" />
import { remote } from "./runtime.js";

/*
 * Store-backed functions: need sign-in in the KAM pane; batched into POST /v1/eval. They are
 * `@cancelable`: Excel passes the invocation after the declared parameters, and its
 * `onCanceled` drops the call from the batch.
 */

/**
 * Collection figure from the KAM store: rate (default), due, collected, credit, overdue or overdue90.
 * @customfunction COLLECTION
 * @cancelable
 * @param scope account:<id>, owner:<userId>, team:<teamId>, * or an account name.
 * @param period Period: 2026, 2026-H1, 2026-Q3 or 2026-09.
 * @param [measure] rate (default), due, collected, credit, overdue or overdue90.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns The collection rate (ratio) or an amount in yuan.
 */
export async function collection(scope: any, period: any, measure?: any, lang?: any, invocation?: CustomFunctions.CancelableInvocation): Promise<any> {
  return remote("COLLECTION", [scope, period, measure, lang], invocation);
}

/**
 * Effective (latest approved) sales target from the KAM store.
 * @customfunction TARGET
 * @cancelable
 * @param owner User id of the manager (or team id with level team).
 * @param period Period: 2026, 2026-H1, 2026-Q3 or 2026-09.
 * @param [level] company, team, manager or account.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Target amount, yuan.
 */
export async function target(owner: any, period: any, level?: any, lang?: any, invocation?: CustomFunctions.CancelableInvocation): Promise<any> {
  return remote("TARGET", [owner, period, level, lang], invocation);
}

/**
 * A field of an account from the KAM store (one you may read), e.g. grade, class, owner, stage.
 * @customfunction ACCOUNT
 * @cancelable
 * @param account Account id or exact name.
 * @param field Field: grade, class, owner, stage, name, industry… (or its Chinese name).
 * @param [lang] Language of labels: "zh" or "en".
 * @returns The field's value.
 */
export async function account(account: any, field: any, lang?: any, invocation?: CustomFunctions.CancelableInvocation): Promise<any> {
  return remote("ACCOUNT", [account, field, lang], invocation);
}

/**
 * Account health from the KAM store: the 0–100 score (default), the R/A/G status or the explanation.
 * @customfunction HEALTH
 * @cancelable
 * @param account Account id or exact name.
 * @param [part] score (default), status or explanation.
 * @param [lang] Language of the explanation and messages: "zh" or "en".
 * @returns The health score, R/A/G, or the explanation.
 */
export async function health(account: any, part?: any, lang?: any, invocation?: CustomFunctions.CancelableInvocation): Promise<any> {
  return remote("HEALTH", [account, part, lang], invocation);
}

/**
 * Archive completeness of an account from the KAM store: filled required fields ÷ required fields.
 * @customfunction ARCHIVE
 * @cancelable
 * @param account Account id or exact name.
 * @param [lang] Language of messages: "zh" or "en".
 * @returns Completeness ratio (1 = 100%).
 */
export async function archive(account: any, lang?: any, invocation?: CustomFunctions.CancelableInvocation): Promise<any> {
  return remote("ARCHIVE", [account, lang], invocation);
}
