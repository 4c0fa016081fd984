import { canReadHealth, healthViewOf } from "../../../shared/src/access.js";
import { today } from "../../../shared/src/dates.js";
import { EXCEL_ERROR, messageOf, msg, type Lang } from "../../../shared/src/errors.js";
import { explainHealth, type HealthResult } from "../../../shared/src/health/health.js";
import { parseCollectionScope } from "../../../shared/src/schemas/api.js";
import type { HealthItem, HealthList } from "../../../shared/src/schemas/health.js";
import { managerScopeReach } from "../../../shared/src/scopes.js";
import { httpErrors, INVALID_QUERY } from "../http/errors.js";
import { json, route, type ApiRequest } from "../edge/route.js";
import { ACCOUNT, type AccountDoc } from "../store/accounts.js";
import { storeContext } from "../store/client.js";
import { getEntity } from "../store/entity.js";
import { accountRefOf } from "../store/queries.js";
import { unknownQueryDetails } from "./list.js";
import { resolveRouteScope } from "./scope.js";
import { healthOfAccounts, resolveHealthModel, type HealthRow } from "../store/health.js";

/**
 * Account health (shared/src/health): score 0–100, R/A/G, each factor's points and what to do next.
 *
 * GET /v1/accounts/{id}/health[?model=]   one account
 * GET /v1/health?scope=[&model=]          the accounts of a scope (`account:<id>`, `owner:<userId>`,
 *                                         `team:<teamId>`, `*`, or an account id / exact name),
 *                                         lowest score first
 *
 * Read rights are the account archive's (shared access rules): directors and specialists every
 * account, a manager the accounts they own. Finance sees account names only, not the decision
 * chain health is made of, so it reads no health. Answers hold no contact's personal details;
 * factors the caller may not read (contracts for a specialist) are left out as missing data.
 */

function queryOf(req: ApiRequest, allowed: readonly string[]): Record<string, string> {
  const bad = unknownQueryDetails(req, allowed);
  if (bad.length) throw httpErrors.badRequest(INVALID_QUERY, bad);
  return req.query;
}

/** One account's answer, in the shape of the shared `HealthItemSchema`. */
function present(row: HealthRow, lang: Lang): HealthItem {
  const base = { accountId: row.accountId, accountName: row.accountName, owner: row.owner };
  if (!row.health.ok) {
    const e = row.health.error;
    return { ...base, error: { code: EXCEL_ERROR[e.code], message: messageOf(e, lang), ...(e.arg ? { field: e.arg } : {}) } };
  }
  const h: HealthResult = row.health.value;
  return { ...base, ...h, explanation: { zh: explainHealth(h, "zh"), en: explainHealth(h, "en") } };
}

async function model(req: ApiRequest) {
  const m = await resolveHealthModel(storeContext(), req.principal.tenant, req.query.model);
  if (!m.ok) throw httpErrors.notFound(m.message);
  return m.model;
}

export const handler = route({
  "GET /v1/accounts/{id}/health": async (req) => {
    const p = req.principal;
    queryOf(req, ["model"]);
    const id = req.pathParameters.id ?? "";
    const e = await getEntity<AccountDoc>(storeContext(), ACCOUNT, p.tenant, id, { repair: false });
    // An account the caller may not read answers as an unknown one.
    if (!e || e.deleted || !canReadHealth(p, e.data)) throw httpErrors.notFound({ zh: `没有客户 ${id}`, en: `no account ${id}` });
    const rows = await healthOfAccounts(storeContext(), p, [accountRefOf(e)], await model(req), today(), [e]);
    return json(200, present(rows[0]!, req.lang));
  },

  "GET /v1/health": async (req) => {
    const p = req.principal;
    const q = queryOf(req, ["scope", "model"]);
    const view = healthViewOf(p);
    if (view === "none") {
      throw httpErrors.forbidden({ zh: "客户健康度仅供总监、专员和客户经理（自己的客户）查看", en: "account health is read by directors, specialists and managers (their own accounts)" });
    }
    const scope = parseCollectionScope(q.scope ?? "");
    if (!scope) throw httpErrors.badRequest(INVALID_QUERY, [{ path: "scope", message: msg(req.lang, "应为 account:<id>、owner:<userId>、team:<teamId>、* 或客户 id / 名称", "expected account:<id>, owner:<userId>, team:<teamId>, * or an account id / name") }]);
    const ctx = storeContext();
    const r = await resolveRouteScope(ctx, p.tenant, scope, req.lang);
    const reach = view === "own" ? managerScopeReach(p, r.scope, r.single, r.accounts) : "inside";
    if (reach === "foreignOwner") throw httpErrors.forbidden({ zh: "客户经理只能查看自己负责客户的健康度", en: "a manager reads the health of accounts they own only" });
    if (reach === "foreignAccount") throw httpErrors.notFound({ zh: `没有客户 ${q.scope}`, en: `no account ${q.scope}` });
    const accounts = r.accounts.filter((a) => canReadHealth(p, a));
    const m = await model(req);
    const now = today();
    const rows = await healthOfAccounts(ctx, p, accounts, m, now);
    const score = (x: HealthRow) => (x.health.ok ? x.health.value.score : -1);
    rows.sort((a, b) => score(a) - score(b) || a.accountName.localeCompare(b.accountName, "zh"));
    const answer: HealthList = { scope: q.scope ?? "", modelId: m.id, asOf: now, accounts: rows.length, items: rows.map((row) => present(row, req.lang)) };
    return json(200, answer);
  },
});
