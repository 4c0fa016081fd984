import { matchPath } from "../routes.js";
import type { ApiEvent, RouteHandler } from "./request.js";

export interface MatchedRoute {
  /** The route template key, e.g. `GET /v1/accounts/{id}`. */
  key: string;
  fn: RouteHandler;
  params: Record<string, string>;
}

/** Find the route function: by API Gateway's routeKey, else by method + path template. */
export function matchRoute(routes: Record<string, RouteHandler>, event: ApiEvent): MatchedRoute | undefined {
  const method = event.requestContext?.http?.method ?? "";
  const fromKey = routes[event.routeKey];
  if (fromKey) {
    const template = event.routeKey.slice(event.routeKey.indexOf(" ") + 1);
    const params = { ...(matchPath(template, event.rawPath) ?? {}), ...((event.pathParameters as Record<string, string>) ?? {}) };
    return { key: event.routeKey, fn: fromKey, params };
  }
  for (const [key, fn] of Object.entries(routes)) {
    const [m, template] = key.split(" ");
    if (m !== method) continue;
    const params = matchPath(template!, event.rawPath);
    if (params) return { key, fn, params };
  }
  return undefined;
}
