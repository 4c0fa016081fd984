import { canWriteScoringModel } from "../../../shared/src/access.js";
import { msg } from "../../../shared/src/errors.js";
import { ScoringModelSchema } from "../../../shared/src/schemas/scoring.js";
import { getBuiltinHealthModel, parseHealthModel } from "../../../shared/src/health/model.js";
import type { ScoringModel } from "../../../shared/src/scoring/model.js";
import { httpErrors } from "../http/errors.js";
import { json, parse, route } from "../edge/route.js";
import { storeContext } from "../store/client.js";
import { getModel, isBuiltinId, listModels, presentStored, putModel } from "../store/models.js";

/**
 * Scoring models (docs/domain.md §8).
 *
 * GET /v1/models        built-ins (readOnly: true, always present) + the tenant's models — any role
 * GET /v1/models/{id}   one model — any role
 * PUT /v1/models/{id}   directors; body = the model JSON (ScoringModelSchema, or a health model —
 *                       shared/src/health/model.ts; a company's own is stored as `health` —, `id` = the path id);
 *                       a built-in id → 403 (read-only; save a copy under a new id); replacing an
 *                       existing model needs its `revision` (If-Match header or `?revision=`), else 409.
 */
export const handler = route({
  "GET /v1/models": async (req) => json(200, { items: await listModels(storeContext(), req.principal.tenant) }),

  "GET /v1/models/{id}": async (req) => {
    const m = await getModel(storeContext(), req.principal.tenant, req.pathParameters.id ?? "");
    if (!m) throw httpErrors.notFound({ zh: `没有评分模型 ${req.pathParameters.id ?? ""}`, en: `no scoring model ${req.pathParameters.id ?? ""}` });
    return json(200, m);
  },

  "PUT /v1/models/{id}": async (req) => {
    const p = req.principal;
    if (!canWriteScoringModel(p)) throw httpErrors.forbidden({ zh: "评分模型由总监编辑", en: "scoring models are written by directors" });
    const id = req.pathParameters.id ?? "";
    if (isBuiltinId(id) || getBuiltinHealthModel(id)) throw httpErrors.forbidden({ zh: `内置模型 ${id} 只读；请以新 id 另存一份`, en: `the built-in model ${id} is read-only; save a copy under a new id` });
    const health = parseHealthModel(req.body);
    // A body shaped like a health model is judged as one (its problems, not the scoring schema's).
    if (!health.ok && req.body !== null && typeof req.body === "object" && "decisionChain" in req.body) {
      throw httpErrors.badRequest(health.error.message[req.lang], [{ path: "model", message: health.error.message[req.lang] }]);
    }
    const model = health.ok ? (health.value as unknown as ScoringModel) : parse(ScoringModelSchema, req.body, req.lang);
    if (model.id !== id) throw httpErrors.badRequest({ zh: "模型 id 与路径不一致", en: "the model id differs from the path" }, [{ path: "id", message: msg(req.lang, `应为 ${id}`, `expected ${id}`) }]);
    const raw = req.query.revision ?? req.headers["if-match"]?.replace(/"/g, "");
    let base: number | undefined;
    if (raw !== undefined) {
      if (!/^\d{1,15}$/.test(raw)) throw httpErrors.badRequest({ zh: "修订号无效", en: "invalid revision" }, [{ path: "revision", message: msg(req.lang, "应为整数", "expected a whole number") }]);
      base = Number(raw);
    }
    const out = await putModel(storeContext(), p.tenant, p.userId, model, base, req.idempotencyKey);
    if (!out.ok) {
      throw httpErrors.conflict({ zh: "模型在该修订之后已被修改（请发送 If-Match: <revision>）", en: "the model changed since that revision (send If-Match: <revision>)" }, [
        { path: "revision", message: msg(req.lang, `已保存的修订号是 ${out.revision}`, `stored revision is ${out.revision}`) },
      ]);
    }
    return json(out.created ? 201 : 200, presentStored(out.stored));
  },
});
