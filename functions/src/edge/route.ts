import type { ApiEvent, ApiResult, RouteHandler } from "../http/request.js";
import { serve, type Step } from "../http/serve.js";
import { idempotency } from "./idempotency.js";
import { registration } from "./register.js";

export { json, type ApiEvent, type ApiRequest, type ApiResponse, type ApiResult, type RouteHandler } from "../http/request.js";
export { parse } from "../http/validate.js";

export interface RouteOptions {
  /** Register the caller in the user directory (first authenticated request). Default on. */
  register?: boolean;
  /**
   * Honour `Idempotency-Key` on writes (default on). Read-only POST routes (`/v1/eval`) pass
   * `false`: their group has no UpdateItem/BatchWriteItem permission and nothing to replay.
   */
  idempotent?: boolean;
}

/**
 * A group's route functions (`{"GET /v1/me": fn}`) as one Lambda handler: the HTTP edge
 * (http/serve.ts) with the store's steps — registration, then idempotency — composed in.
 */
export function route(routes: Record<string, RouteHandler>, opts: RouteOptions = {}): (event: ApiEvent) => Promise<ApiResult> {
  const steps: Step[] = [];
  if (opts.register !== false) steps.push(registration);
  if (opts.idempotent !== false) steps.push(idempotency);
  return serve(routes, steps);
}
