import { canDecideTarget, canProposeTarget, canSetTargets } from "../../../shared/src/access.js";
import { TARGET_LEVELS } from "../../../shared/src/labels.js";
import { parsePeriod } from "../../../shared/src/periods.js";
import { TargetDecisionSchema, TargetProposalSchema, targetIdOf } from "../../../shared/src/schemas/target.js";
import type { ErrorDetail } from "../../../shared/src/schemas/validation.js";
import { httpErrors, INVALID_QUERY } from "../http/errors.js";
import { msg } from "../../../shared/src/errors.js";
import { json, parse, route, type ApiRequest } from "../edge/route.js";
import { unknownQueryDetails } from "./list.js";
import { storeContext } from "../store/client.js";
import type { UpsertResult } from "../store/entity.js";
import {
  subjectChecker,
  decideTarget,
  listTargets,
  presentTarget,
  proposeTarget,
  readTargetAs,
  readableTargets,
  targetHistory,
  withTeam,
  type TransitionOutcome,
} from "../store/targets.js";
import { batchItems, writeOptions } from "./batch.js";

/**
 * Targets (销售指标, docs/domain.md §6).
 *
 * GET  /v1/targets[?level=&subject=&period=]  targets the caller may read (canReadTarget), each with `effective`
 * PUT  /v1/targets {items:[TargetProposal]}    directors set targets → an approved version (per-item results;
 *                                              `version` = the target's latest version number)
 * GET  /v1/targets/{id}                        one target: every version + the change history (who, when)
 * POST /v1/targets/{id}/proposals              a manager proposes a change to their own target → pending
 *                                              (a director's proposal is approved at once)
 * POST /v1/targets/{id}/decisions {version, decision: approve|reject[, reason]}  directors
 */

const JSON_OBJECT = { zh: "应为 JSON 对象", en: "expected a JSON object" };

function fail(out: Exclude<TransitionOutcome, { ok: true }>): never {
  const text = out.details[0]?.message ?? out.status;
  switch (out.status) {
    case "notFound":
      throw httpErrors.notFound(text, out.details);
    case "conflict":
      throw httpErrors.conflict(text, out.details);
    case "forbidden":
      throw httpErrors.forbidden(text);
    default:
      throw httpErrors.badRequest(text, out.details);
  }
}

/** The target named by a path id, with the caller's right to read it. */
async function loadReadable(req: ApiRequest) {
  const ctx = storeContext();
  const p = await withTeam(ctx, req.principal);
  const id = req.pathParameters.id ?? "";
  const t = await readTargetAs(ctx, p, id);
  if (!t) {
    const text = msg(req.lang, `没有指标 ${id}`, `no target ${id}`);
    throw httpErrors.notFound(text, [{ path: "id", message: text }]);
  }
  if (!t.readable) throw httpErrors.forbidden(req.lang === "zh" ? "你无权查看此指标" : "you may not read this target");
  const { stored: e, context } = t;
  return { ctx, p, e, context };
}

export const handler = route({
  "GET /v1/targets": async (req) => {
    const ctx = storeContext();
    const p = await withTeam(ctx, req.principal);
    const details: ErrorDetail[] = [];
    details.push(...unknownQueryDetails(req, ["level", "subject", "period"]));
    const level = req.query.level === undefined ? undefined : TARGET_LEVELS.parse(req.query.level);
    if (req.query.level !== undefined && !level) details.push({ path: "level", message: msg(req.lang, `应为以下之一：${TARGET_LEVELS.ids.join("、")}`, `expected one of ${TARGET_LEVELS.ids.join(", ")}`) });
    let period: string | undefined;
    if (req.query.period !== undefined) {
      const pp = parsePeriod(req.query.period, "period");
      if (pp.ok) period = pp.value.id;
      else details.push({ path: "period", message: msg(req.lang, "应为期间，如 2026、2026-H1、2026-Q3 或 2026-09", "expected a period 2026, 2026-H1, 2026-Q3 or 2026-09") });
    }
    if (details.length > 0) throw httpErrors.badRequest(INVALID_QUERY, details);
    const all = await listTargets(ctx, p.tenant);
    const filtered = all.filter(
      (t) =>
        (level === undefined || t.data.level === level) &&
        (req.query.subject === undefined || t.data.subject === req.query.subject) &&
        (period === undefined || t.data.period === period),
    );
    const visible = await readableTargets(ctx, p, filtered);
    visible.sort((a, b) => a.id.localeCompare(b.id));
    return json(200, { items: visible.map(presentTarget) });
  },

  "PUT /v1/targets": async (req) => {
    const p = req.principal;
    if (!canSetTargets(p)) {
      throw httpErrors.forbidden(req.lang === "zh" ? "指标由总监设定；客户经理可对自己的指标提出调整" : "targets are set by directors; managers propose changes (POST /v1/targets/{id}/proposals)");
    }
    const { valid, results } = batchItems(req.body, TargetProposalSchema, req.lang);
    const ctx = storeContext();
    const checkSubject = subjectChecker(ctx, p.tenant, req.lang);
    for (const v of valid) {
      const t = v.item;
      const id = targetIdOf(t.level, t.subject, t.period);
      const bad = await checkSubject(t.level, t.subject);
      if (bad.length > 0) {
        results[v.index] = { id, status: "invalid", errors: bad };
        continue;
      }
      const out = await proposeTarget(ctx, p, t, { mustExist: false, ...writeOptions(req) });
      if (out.ok) {
        results[v.index] = { id, status: out.status, version: presentTarget(out.stored).latestVersion };
      } else if (out.status === "conflict") {
        const r: UpsertResult = { id, status: "conflict", errors: out.details, version: out.current ? presentTarget(out.current).latestVersion : 0 };
        if (out.current) r.current = presentTarget(out.current);
        results[v.index] = r;
      } else {
        results[v.index] = { id, status: out.status === "forbidden" ? "forbidden" : "invalid", errors: out.details };
      }
    }
    return json(200, { items: results });
  },

  "GET /v1/targets/{id}": async (req) => {
    const { ctx, p, e } = await loadReadable(req);
    return json(200, { ...presentTarget(e), history: await targetHistory(ctx, p.tenant, e.id) });
  },

  "POST /v1/targets/{id}/proposals": async (req) => {
    const { ctx, p, e, context } = await loadReadable(req);
    const fromTarget = { level: e.data.level, ...(e.data.subject !== undefined ? { subject: e.data.subject } : {}), period: e.data.period };
    if (typeof req.body !== "object" || req.body === null || Array.isArray(req.body)) {
      throw httpErrors.badRequest(JSON_OBJECT, [{ path: "", message: msg(req.lang, "应为 {amountYuan, reason?, basedOnVersion?}", "expected {amountYuan, reason?, basedOnVersion?}") }]);
    }
    const body = parse(TargetProposalSchema, { ...fromTarget, ...(req.body as object) }, req.lang);
    if (targetIdOf(body.level, body.subject, body.period) !== e.id) {
      // Name the fields the client sent that differ from the target in the path.
      const named = (["level", "subject", "period"] as const).filter((k) => k in (req.body as object) && body[k] !== fromTarget[k]);
      throw httpErrors.badRequest(
        { zh: "该调整指向的是另一个指标", en: "the proposal names another target" },
        (named.length > 0 ? named : (["level"] as const)).map((k) => ({ path: k, message: msg(req.lang, `此指标是 ${e.id}`, `this target is ${e.id}`) })),
      );
    }
    if (!canProposeTarget(p, e.data, context)) {
      throw httpErrors.forbidden(
        req.lang === "zh"
          ? "客户经理只能对本人、本团队或本人客户的指标提出调整"
          : "a manager proposes changes to their own manager target, their team's, or an account they own",
      );
    }
    const out = await proposeTarget(ctx, p, body, { mustExist: true, ...writeOptions(req) });
    if (!out.ok) fail(out);
    return json(201, presentTarget(out.stored));
  },

  "POST /v1/targets/{id}/decisions": async (req) => {
    const p = req.principal;
    if (!canDecideTarget(p)) throw httpErrors.forbidden(req.lang === "zh" ? "只有总监可以批准或驳回指标调整" : "only a director approves or rejects a target change");
    const id = req.pathParameters.id ?? "";
    if (typeof req.body !== "object" || req.body === null || Array.isArray(req.body)) {
      throw httpErrors.badRequest(JSON_OBJECT, [{ path: "", message: msg(req.lang, "应为 {version, decision}", "expected {version, decision}") }]);
    }
    const body = parse(TargetDecisionSchema, { targetId: id, ...(req.body as object) }, req.lang);
    if (body.targetId !== id) throw httpErrors.badRequest({ zh: "targetId 与路径不一致", en: "targetId differs from the path" }, [{ path: "targetId", message: msg(req.lang, `应为 ${id}`, `expected ${id}`) }]);
    const out = await decideTarget(storeContext(), p, id, body, { ...writeOptions(req) });
    if (!out.ok) fail(out);
    return json(200, presentTarget(out.stored));
  },
});
