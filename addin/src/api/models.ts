/**
 * `GET /v1/models` for the custom functions: the tenant's stored scoring models as the store
 * lists them (each model is then validated by the scoring-model parser). The list envelope is
 * checked once the answer is in; its schemas do not load with functions.js.
 */
import type { Session } from "./session.js";
import { answerError, exchange, loadChecks, type ApiResult } from "./transport.js";

export async function storedModels(session: Session, fetchImpl?: typeof fetch): Promise<ApiResult<Record<string, unknown>[]>> {
  const a = await exchange(session, { method: "GET", path: "/v1/models", fetch: fetchImpl });
  if (!a.ok) return { ok: false, error: answerError(a) };
  const page = (await loadChecks()).listPage(a.json, a.status);
  return page.ok ? { ok: true, value: page.value.items } : page;
}
