import { randomUUID } from "node:crypto";
import { ApiError, httpErrors } from "./errors.js";
import { matchRoute } from "./match.js";
import { authenticate, type JwtClaims, type Principal } from "./principal.js";
import { eventLang, readRequest, type ApiEvent, type ApiRequest, type ApiResponse, type ApiResult, type RouteHandler } from "./request.js";
import { logRequest } from "./requestLog.js";
import { errorResponse, mapError, toResult } from "./respond.js";

/**
 * A step between the request and its route function: it may answer itself, or call `next` and
 * change the answer (registration, idempotency).
 */
export type Step = (req: ApiRequest, next: () => Promise<ApiResponse>) => Promise<ApiResponse>;

/** The route function with the errors it throws as responses (so an idempotent run can store a 4xx). */
export async function runHandler(fn: RouteHandler, req: ApiRequest): Promise<ApiResponse> {
  try {
    return await fn(req);
  } catch (e) {
    if (e instanceof ApiError) return errorResponse(e, req.lang);
    throw e;
  }
}

/** Run `steps` in order around the route function. */
export function runSteps(steps: readonly Step[], req: ApiRequest, fn: RouteHandler): Promise<ApiResponse> {
  const at = (i: number): Promise<ApiResponse> => (i < steps.length ? steps[i]!(req, () => at(i + 1)) : runHandler(fn, req));
  return at(0);
}

/**
 * One Lambda handler over a group's route functions: auth (401) → route (404) → request
 * (400/413/415) → `steps` → route function; errors mapped to responses; one log line.
 */
export function serve(routes: Record<string, RouteHandler>, steps: readonly Step[]): (event: ApiEvent) => Promise<ApiResult> {
  return async (event) => {
    const t0 = Date.now();
    const requestId = event.requestContext?.requestId ?? randomUUID();
    const method = event.requestContext?.http?.method ?? "";
    let routeKey = `${method} ${event.rawPath}`;
    let principal: Principal | undefined;
    let result: ApiResult;
    try {
      principal = authenticate(event.requestContext?.authorizer?.jwt?.claims as JwtClaims | undefined);
      const found = matchRoute(routes, event);
      if (!found) throw httpErrors.notFound({ zh: `没有接口 ${method} ${event.rawPath}`, en: `no route ${method} ${event.rawPath}` });
      routeKey = found.key;
      result = toResult(await runSteps(steps, readRequest(event, found, principal, requestId), found.fn));
    } catch (e) {
      result = toResult(mapError(e, eventLang(event), { route: routeKey, requestId }));
    }
    logRequest({ route: routeKey, status: result.statusCode as number, ms: Date.now() - t0, requestId, principal });
    return result;
  };
}
