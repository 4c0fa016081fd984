import { canReadVisits, canWriteSomeVisit, visitsViewOf, type Principal } from "../../../shared/src/access.js";
import { complianceRows, visitClasses } from "../../../shared/src/compliance.js";
import { messageOf, msg } from "../../../shared/src/errors.js";
import { VISIT_ROLES } from "../../../shared/src/labels.js";
import { parsePeriod } from "../../../shared/src/periods.js";
import { VisitPlanWriteSchema, VisitRecordWriteSchema } from "../../../shared/src/schemas/visit.js";
import { httpErrors, INVALID_QUERY } from "../http/errors.js";
import { json, route } from "../edge/route.js";
import { storeContext } from "../store/client.js";
import { listAccountRefs } from "../store/queries.js";
import {
  VISIT_PLAN,
  VISIT_RECORD,
  presentVisit,
  readAllVisits,
  upsertVisitPlans,
  upsertVisitRecords,
} from "../store/visits.js";
import { batchUpsert, writeOptions } from "./batch.js";
import { listAccountRecords, unknownQueryDetails } from "./list.js";

const OWN_VISITS = { zh: "客户经理只能查看本人客户的拜访", en: "a manager reads the visits of accounts they own only" };
const VISITS_REFUSAL = { none: { zh: "拜访仅供总监、专员和负责经理查看", en: "visits are read by directors, specialists and the owning manager" }, foreign: OWN_VISITS };

/**
 * Visits (拜访, docs/domain.md §5): plans and records (batch upsert like accounts), and compliance.
 *
 * GET /v1/visit-plans[?account=]     directors, specialists: all (paged); a manager: visits of accounts they own
 * PUT /v1/visit-plans                directors any; managers on accounts they own (visits they carry out)
 * GET /v1/visit-records[?account=]   as plans
 * PUT /v1/visit-records              as plans
 * GET /v1/visits/compliance?period=P[&account=id][&role=r]
 *   per account and our visiting role: required (docs/domain.md §5 cadence of the account's class) vs carried
 *   out (records with a written summary), plus plan adherence. Class: `strategic` = the account's flag;
 *   `important` = Pareto class A by signed-contract revenue up to the period end (shared/src/compliance.ts).
 */


function requireWriter(p: Principal): void {
  if (!canWriteSomeVisit(p)) throw httpErrors.forbidden({ zh: "只有总监和客户经理可以编辑拜访计划和记录", en: "directors and managers write visit plans and records" });
}

export const handler = route({
  "GET /v1/visit-plans": async (req) => json(200, await listAccountRecords(req, VISIT_PLAN, presentVisit, "visits", VISITS_REFUSAL)),
  "GET /v1/visit-records": async (req) => json(200, await listAccountRecords(req, VISIT_RECORD, presentVisit, "visits", VISITS_REFUSAL)),

  "PUT /v1/visit-plans": async (req) => {
    requireWriter(req.principal);
    return batchUpsert(req, VisitPlanWriteSchema, (items) => upsertVisitPlans(storeContext(), req.principal, items, writeOptions(req)));
  },

  "PUT /v1/visit-records": async (req) => {
    requireWriter(req.principal);
    return batchUpsert(req, VisitRecordWriteSchema, (items) => upsertVisitRecords(storeContext(), req.principal, items, writeOptions(req)));
  },

  "GET /v1/visits/compliance": async (req) => {
    const p = req.principal;
    if (visitsViewOf(p) === "none") throw httpErrors.forbidden({ zh: "拜访达标情况仅供总监、专员和客户经理（本人客户）查看", en: "visit compliance is read by directors, specialists and managers (their accounts)" });
    const details: { path: string; message: string }[] = [];
    details.push(...unknownQueryDetails(req, ["period", "account", "role"]));
    const period = req.query.period === undefined ? undefined : parsePeriod(req.query.period, "period");
    if (!period) details.push({ path: "period", message: msg(req.lang, "必填：期间，如 2026、2026-H1、2026-Q3 或 2026-09", "required: a period 2026, 2026-H1, 2026-Q3 or 2026-09") });
    else if (!period.ok) details.push({ path: "period", message: messageOf(period.error, req.lang) });
    let role: (typeof VISIT_ROLES.ids)[number] | undefined;
    if (req.query.role !== undefined) {
      role = VISIT_ROLES.parse(req.query.role);
      if (!role) details.push({ path: "role", message: msg(req.lang, `应为以下之一：${VISIT_ROLES.ids.join("、")}`, `expected one of ${VISIT_ROLES.ids.join(", ")}`) });
    }
    if (details.length > 0 || !period || !period.ok) throw httpErrors.badRequest(INVALID_QUERY, details);
    const ctx = storeContext();
    const [all, visits] = await Promise.all([listAccountRefs(ctx, p.tenant), readAllVisits(ctx, p.tenant)]);
    // docs/domain.md §3.3: the Pareto class is decided over every account of the tenant.
    const classes = visitClasses(all, visits.contracts, period.value.end);
    let accounts = all.filter((a) => canReadVisits(p, a));
    if (req.query.account !== undefined) {
      const one = all.find((a) => a.id === req.query.account);
      if (!one) throw httpErrors.notFound({ zh: `没有客户 ${req.query.account}`, en: `no account ${req.query.account}` });
      if (!canReadVisits(p, one)) throw httpErrors.forbidden(OWN_VISITS);
      accounts = [one];
    }
    accounts.sort((a, b) => a.id.localeCompare(b.id));
    const rows = complianceRows({
      accounts,
      classes,
      plans: visits.plans,
      records: visits.records,
      period: period.value,
      ...(role ? { role } : {}),
      lang: req.lang,
    });
    return json(200, { period: period.value.id, items: rows });
  },
});
