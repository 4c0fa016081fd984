/**
 * Route groups of the HTTP API. One Lambda per group in production (infra/ builds a
 * NodejsFunction from `handlerFile` and grants exactly `tableActions` on the table and
 * `indexActions` on its indexes); the local stack dispatches through the same list. Plain data —
 * infra imports it. The grants are least privilege, checked against the DynamoDB calls the
 * bundled functions really make (tests/deploy).
 *
 * Paths use API Gateway HTTP API templates (`{id}`); every route requires a JWT.
 * No group is granted `dynamodb:Scan` (no Scan in request paths) nor `DeleteItem`
 * (deletes are tombstones: conditional PutItem).
 */
export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE";

export interface RouteDef {
  method: HttpMethod;
  path: string;
}

export type TableAction =
  | "dynamodb:GetItem"
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:Query"
  | "dynamodb:BatchGetItem"
  | "dynamodb:BatchWriteItem";

/** The only action that means anything on an index: lists and `since` syncs read GSI1/GSI2. */
export type IndexAction = "dynamodb:Query";

export interface RouteGroup {
  name: string;
  /** Repo-relative path of the file exporting `handler`. */
  handlerFile: string;
  routes: RouteDef[];
  /** Actions on the table itself (items by key, history and idempotency items). */
  tableActions: TableAction[];
  /** Actions on the table's indexes. */
  indexActions: IndexAction[];
}

/**
 * Every group registers the caller in the user directory on the first request
 * (docs/contracts.md §5.1) → GetItem, then a conditional PutItem of the USER item and its history.
 */
const REGISTER: TableAction[] = ["dynamodb:GetItem", "dynamodb:PutItem"];
/** Batch upserts pre-read their rows, `/v1/eval` the tenant models SCORE names → BatchGetItem. */
const BATCH_READ: TableAction[] = ["dynamodb:BatchGetItem"];
/**
 * Versioned and idempotent writes: conditional PutItem; UpdateItem clears outboxes and stores an
 * idempotent response; BatchWriteItem writes batched history records and the parts of a large
 * stored response; Query reads history and those parts back (a replay).
 */
const WRITE: TableAction[] = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:Query"];
/** Lists, `since` syncs and owner filters. */
const LISTS: IndexAction[] = ["dynamodb:Query"];

function actions(...lists: TableAction[][]): TableAction[] {
  return [...new Set(lists.flat())].sort();
}

export const ROUTE_GROUPS: RouteGroup[] = [
  {
    name: "me",
    handlerFile: "functions/src/handlers/me.ts",
    routes: [{ method: "GET", path: "/v1/me" }],
    tableActions: actions(REGISTER),
    indexActions: [],
  },
  {
    name: "users",
    handlerFile: "functions/src/handlers/users.ts",
    routes: [
      { method: "GET", path: "/v1/users" },
      { method: "PUT", path: "/v1/users" },
    ],
    tableActions: actions(REGISTER, BATCH_READ, WRITE),
    indexActions: LISTS,
  },
  {
    name: "teams",
    handlerFile: "functions/src/handlers/teams.ts",
    routes: [
      { method: "GET", path: "/v1/teams" },
      { method: "PUT", path: "/v1/teams" },
    ],
    tableActions: actions(REGISTER, BATCH_READ, WRITE),
    indexActions: LISTS,
  },
  {
    name: "accounts",
    handlerFile: "functions/src/handlers/accounts.ts",
    routes: [
      { method: "GET", path: "/v1/accounts" },
      { method: "PUT", path: "/v1/accounts" },
      { method: "GET", path: "/v1/accounts/{id}" },
      { method: "DELETE", path: "/v1/accounts/{id}" },
      { method: "POST", path: "/v1/accounts/{id}/restore" },
      { method: "POST", path: "/v1/accounts/{id}/review" },
      { method: "GET", path: "/v1/accounts/{id}/history" },
      { method: "POST", path: "/v1/handovers" },
      { method: "GET", path: "/v1/handovers" },
      { method: "POST", path: "/v1/erasures" },
    ],
    tableActions: actions(REGISTER, BATCH_READ, WRITE),
    indexActions: LISTS,
  },
  {
    name: "visits",
    handlerFile: "functions/src/handlers/visits.ts",
    routes: [
      { method: "GET", path: "/v1/visit-plans" },
      { method: "PUT", path: "/v1/visit-plans" },
      { method: "GET", path: "/v1/visit-records" },
      { method: "PUT", path: "/v1/visit-records" },
      { method: "GET", path: "/v1/visits/compliance" },
    ],
    tableActions: actions(REGISTER, BATCH_READ, WRITE),
    indexActions: LISTS,
  },
  {
    name: "targets",
    handlerFile: "functions/src/handlers/targets.ts",
    routes: [
      { method: "GET", path: "/v1/targets" },
      { method: "PUT", path: "/v1/targets" },
      { method: "GET", path: "/v1/targets/{id}" },
      { method: "POST", path: "/v1/targets/{id}/proposals" },
      { method: "POST", path: "/v1/targets/{id}/decisions" },
    ],
    tableActions: actions(REGISTER, BATCH_READ, WRITE),
    indexActions: LISTS,
  },
  {
    name: "finance",
    handlerFile: "functions/src/handlers/finance.ts",
    routes: [
      { method: "GET", path: "/v1/contracts" },
      { method: "PUT", path: "/v1/contracts" },
      { method: "GET", path: "/v1/payments" },
      { method: "PUT", path: "/v1/payments" },
      { method: "GET", path: "/v1/collections" },
    ],
    tableActions: actions(REGISTER, BATCH_READ, WRITE),
    indexActions: LISTS,
  },
  {
    name: "models",
    handlerFile: "functions/src/handlers/models.ts",
    routes: [
      { method: "GET", path: "/v1/models" },
      { method: "GET", path: "/v1/models/{id}" },
      { method: "PUT", path: "/v1/models/{id}" },
    ],
    // Models are read one at a time (GetItem); only /v1/eval reads several.
    tableActions: actions(REGISTER, WRITE),
    indexActions: LISTS,
  },
  {
    name: "health",
    handlerFile: "functions/src/handlers/health.ts",
    routes: [
      { method: "GET", path: "/v1/accounts/{id}/health" },
      { method: "GET", path: "/v1/health" },
    ],
    // Reads only, like /v1/eval.
    tableActions: actions(REGISTER, BATCH_READ),
    indexActions: LISTS,
  },
  {
    name: "eval",
    handlerFile: "functions/src/handlers/eval.ts",
    routes: [{ method: "POST", path: "/v1/eval" }],
    // Reads only; no idempotency (read-only POST).
    tableActions: actions(REGISTER, BATCH_READ),
    indexActions: LISTS,
  },
];

/** `"GET /v1/accounts/{id}"` — the HTTP API routeKey of a route. */
export function routeKeyOf(r: RouteDef): string {
  return `${r.method} ${r.path}`;
}

/** Match a concrete path against a template; returns path parameters or undefined. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split("/");
  const p = path.split("/");
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i]!;
    if (seg.startsWith("{") && seg.endsWith("}")) {
      if (p[i] === "") return undefined;
      try {
        params[seg.slice(1, -1)] = decodeURIComponent(p[i]!);
      } catch {
        return undefined;
      }
    } else if (seg !== p[i]) return undefined;
  }
  return params;
}

/** The group and route serving (method, path), for the local adapter. */
export function findRoute(
  method: string,
  path: string,
): { group: RouteGroup; route: RouteDef; pathParameters: Record<string, string> } | undefined {
  for (const group of ROUTE_GROUPS) {
    for (const route of group.routes) {
      if (route.method !== method) continue;
      const params = matchPath(route.path, path);
      if (params) return { group, route, pathParameters: params };
    }
  }
  return undefined;
}
