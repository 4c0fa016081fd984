/**
 * `GET /v1/models` for the custom functions: the tenant's stored scoring models as the store
 * lists them (each model is then validated by the scoring-model parser). The list envelope is
 * checked once the answer is in; its schemas do not load with functions.js.
 */
import type { Session } from "./session.js";
import { exchange, loadChecks } from "./transport.js";

/** The listed models, or undefined when the store refused or its answer is not such a list. */
export async function storedModels(session: Session, fetchImpl?: typeof fetch): Promise<Record<string, unknown>[] | undefined> {
  const a = await exchange(session, { method: "GET", path: "/v1/models", fetch: fetchImpl });
  if (!a.ok) return undefined;
  const page = (await loadChecks()).listPage(a.json, a.status);
  return page.ok ? page.value.items : undefined;
}
