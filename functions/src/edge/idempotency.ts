import { msg, type Lang } from "../../../shared/src/errors.js";
import { ApiError, httpErrors } from "../http/errors.js";
import type { ApiResponse } from "../http/request.js";
import type { Step } from "../http/serve.js";
import { storeContext } from "../store/client.js";
import { withIdempotency, type IdempotencyOutcome } from "../store/idempotency.js";

const WRITE_METHODS = new Set(["PUT", "POST", "DELETE", "PATCH"]);

const IN_PROGRESS = { zh: "使用该 Idempotency-Key 的请求仍在处理中；请稍后重试", en: "a request with this Idempotency-Key is still in progress; retry later" };

/**
 * The answer of an idempotency outcome: a fresh run's own response, a replay's stored one marked
 * `idempotent-replayed: true`, a conflict a 409, an undecodable stored response a 500. Errors are thrown.
 */
export function outcomeResponse(out: IdempotencyOutcome, lang: Lang): ApiResponse {
  switch (out.kind) {
    case "fresh":
      return out.response;
    case "replay":
      return { ...out.response, headers: { ...(out.response.headers ?? {}), "idempotent-replayed": "true" } };
    case "unreadable":
      throw new ApiError("internal", { zh: "无法读取已保存的幂等响应", en: "stored idempotent response unreadable" });
    case "conflict":
      if (out.reason === "vanished") throw httpErrors.conflict({ zh: "该 Idempotency-Key 正被另一请求使用；请重试", en: "Idempotency-Key is being reused; retry" });
      if (out.reason === "inProgress") throw httpErrors.conflict(IN_PROGRESS);
      throw httpErrors.conflict({ zh: "该 Idempotency-Key 已用于另一个不同的请求", en: "Idempotency-Key was already used for a different request" }, [
        { path: "Idempotency-Key", message: msg(lang, "新的请求请使用新的 Idempotency-Key", "use a new key for a new request") },
      ]);
  }
}

/**
 * Idempotency step: a write (PUT, POST, DELETE, PATCH) with an `Idempotency-Key` runs at most once
 * per key, route, path and body; other requests pass through.
 */
export const idempotency: Step = async (req, next) => {
  if (req.idempotencyKey === undefined || !WRITE_METHODS.has(req.method)) return next();
  const out = await withIdempotency(storeContext(), req.principal, req.idempotencyKey, { routeKey: req.routeKey, path: req.path, body: req.rawBody }, next);
  return outcomeResponse(out, req.lang);
};
