import { log } from "../log.js";
import type { Principal } from "./principal.js";

/**
 * The one `request` log line per request: route key, status, duration, request id and — once the
 * caller is known — the tenant and user ids (pseudonymous). Never a name, a header or a body.
 */
export function logRequest(fields: { route: string; status: number; ms: number; requestId: string; principal?: Principal | undefined }): void {
  const { principal } = fields;
  log("info", "request", {
    route: fields.route,
    status: fields.status,
    ms: fields.ms,
    requestId: fields.requestId,
    ...(principal ? { tenant: principal.tenant, user: principal.userId } : {}),
  });
}
