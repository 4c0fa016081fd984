import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { ROUTE_GROUPS, routeKeyOf } from "../../functions/src/routes.js";
import { ADMIN, DIRECTOR, FINANCE, FOREIGN_DIRECTOR, MANAGER_LI, SPECIALIST, signIn, startTestStack, type ApiClient, type Caller } from "../backend/helpers.js";

/**
 * ROLE × ROUTE × TENANT matrix over EVERY route of ROUTE_GROUPS: each role of the
 * demo tenant and a director of a foreign tenant call each route; the status says allowed (2xx, or
 * a 4xx about the input/item that only an allowed caller reaches: 400/404/409) or denied (403).
 * Requests are chosen so they change nothing (empty batches, stale versions, unknown ids), so the
 * order of the cells does not matter. Redaction and tenant isolation are asserted on the bodies.
 */
type Who = "director" | "manager" | "specialist" | "finance" | "admin" | "foreign";
const CALLERS: Record<Who, Caller> = {
  director: DIRECTOR,
  manager: MANAGER_LI,
  specialist: SPECIALIST,
  finance: FINANCE,
  admin: ADMIN,
  foreign: FOREIGN_DIRECTOR,
};
const WHO = Object.keys(CALLERS) as Who[];

interface Cell {
  path: string;
  body?: unknown;
  /** Expected status per caller. */
  expect: Record<Who, number>;
}

const all = (s: number, foreign = s): Record<Who, number> => ({ director: s, manager: s, specialist: s, finance: s, admin: s, foreign });
const only = (allowed: Partial<Record<Who, number>>, denied = 403): Record<Who, number> => ({ ...all(denied), ...allowed });

/** One cell per route of ROUTE_GROUPS, by routeKey. */
const MATRIX: Record<string, Cell> = {
  "GET /v1/me": { path: "/v1/me", expect: all(200) },
  "GET /v1/users": { path: "/v1/users", expect: all(200) },
  "PUT /v1/users": { path: "/v1/users", body: { items: [] }, expect: only({ director: 200, admin: 200, foreign: 200 }) },
  "GET /v1/teams": { path: "/v1/teams", expect: all(200) },
  "PUT /v1/teams": { path: "/v1/teams", body: { items: [] }, expect: only({ director: 200, admin: 200, foreign: 200 }) },
  "GET /v1/accounts": { path: "/v1/accounts", expect: only({ director: 200, manager: 200, specialist: 200, finance: 200, foreign: 200 }) },
  "PUT /v1/accounts": { path: "/v1/accounts", body: { items: [] }, expect: only({ director: 200, manager: 200, specialist: 200, foreign: 200 }) },
  "GET /v1/accounts/{id}": { path: "/v1/accounts/A-001", expect: only({ director: 200, manager: 200, specialist: 200, finance: 200, foreign: 404 }) },
  "DELETE /v1/accounts/{id}": { path: "/v1/accounts/NO-SUCH-ACCOUNT", expect: only({ director: 404, foreign: 404 }) },
  "POST /v1/accounts/{id}/restore": { path: "/v1/accounts/NO-SUCH-ACCOUNT/restore", expect: only({ director: 404, foreign: 404 }) },
  // A-002 is 李明's: the profile writers record a review; finance and admin may not; another tenant finds nothing.
  "POST /v1/accounts/{id}/review": { path: "/v1/accounts/A-002/review", expect: only({ director: 200, manager: 200, specialist: 200, foreign: 404 }) },
  "GET /v1/accounts/{id}/history": { path: "/v1/accounts/A-001/history", expect: only({ director: 200, manager: 200, foreign: 404 }) },
  "POST /v1/handovers": { path: "/v1/handovers", body: { from: "m-li", to: "m-li" }, expect: only({ director: 400, foreign: 400 }) },
  "GET /v1/handovers": { path: "/v1/handovers", expect: only({ director: 200, foreign: 200 }) },
  "POST /v1/erasures": { path: "/v1/erasures", body: { accountId: "NO-SUCH-ACCOUNT", contactId: "C1" }, expect: only({ director: 404, foreign: 404 }) },
  "GET /v1/visit-plans": { path: "/v1/visit-plans", expect: only({ director: 200, manager: 200, specialist: 200, foreign: 200 }) },
  "PUT /v1/visit-plans": { path: "/v1/visit-plans", body: { items: [] }, expect: only({ director: 200, manager: 200, foreign: 200 }) },
  "GET /v1/visit-records": { path: "/v1/visit-records", expect: only({ director: 200, manager: 200, specialist: 200, foreign: 200 }) },
  "PUT /v1/visit-records": { path: "/v1/visit-records", body: { items: [] }, expect: only({ director: 200, manager: 200, foreign: 200 }) },
  "GET /v1/visits/compliance": { path: "/v1/visits/compliance?period=2026-Q2", expect: only({ director: 200, manager: 200, specialist: 200, foreign: 200 }) },
  // Admin may call the list but reads no target (filtered to none; asserted below).
  "GET /v1/targets": { path: "/v1/targets", expect: all(200) },
  "PUT /v1/targets": { path: "/v1/targets", body: { items: [] }, expect: only({ director: 200, foreign: 200 }) },
  "GET /v1/targets/{id}": { path: "/v1/targets/company:2026", expect: only({ director: 200, manager: 200, specialist: 200, finance: 200, foreign: 404 }) },
  // A stale basedOnVersion: allowed callers get 409 (nothing written), others 403.
  "POST /v1/targets/{id}/proposals": {
    path: "/v1/targets/manager:m-li:2026-Q1/proposals",
    body: { amountYuan: 7_000_000, basedOnVersion: 99 },
    expect: only({ director: 409, manager: 409, foreign: 404 }),
  },
  // Version 1 is already approved: a director's decision is a 409, nobody else may decide.
  "POST /v1/targets/{id}/decisions": {
    path: "/v1/targets/manager:m-li:2026-Q4/decisions",
    body: { version: 1, decision: "approve" },
    expect: only({ director: 409, foreign: 404 }),
  },
  "GET /v1/contracts": { path: "/v1/contracts", expect: only({ director: 200, manager: 200, finance: 200, foreign: 200 }) },
  "PUT /v1/contracts": { path: "/v1/contracts", body: { items: [] }, expect: only({ manager: 200, finance: 200 }) },
  "GET /v1/payments": { path: "/v1/payments", expect: only({ director: 200, manager: 200, finance: 200, foreign: 200 }) },
  "PUT /v1/payments": { path: "/v1/payments", body: { items: [] }, expect: only({ finance: 200 }) },
  "GET /v1/collections": { path: "/v1/collections?scope=*&period=2026-Q2", expect: only({ director: 200, manager: 200, finance: 200, foreign: 200 }) },
  "GET /v1/models": { path: "/v1/models", expect: all(200) },
  "GET /v1/models/{id}": { path: "/v1/models/ka-manager", expect: all(200) },
  // An invalid model: allowed callers (directors) reach validation (400); others are denied first.
  "PUT /v1/models/{id}": { path: "/v1/models/matrix-model", body: { id: "matrix-model" }, expect: only({ director: 400, foreign: 400 }) },
  // Health reads as the archive does; finance (names only) and admins read none — an unreadable account is unknown.
  "GET /v1/accounts/{id}/health": { path: "/v1/accounts/A-001/health", expect: only({ director: 200, manager: 200, specialist: 200 }, 404) },
  "GET /v1/health": { path: "/v1/health?scope=*", expect: only({ director: 200, manager: 200, specialist: 200, foreign: 200 }) },
  "POST /v1/eval": { path: "/v1/eval", body: { calls: [] }, expect: all(200) },
};

let stack: LocalStack;
const clients = {} as Record<Who, ApiClient>;
/** routeKey → caller → response */
const answers = new Map<string, Map<Who, { status: number; body: any }>>();

function methodOf(routeKey: string): string {
  return routeKey.slice(0, routeKey.indexOf(" "));
}

beforeAll(async () => {
  stack = await startTestStack();
  for (const w of WHO) clients[w] = await signIn(stack, CALLERS[w]);
  for (const group of ROUTE_GROUPS) {
    for (const r of group.routes) {
      const key = routeKeyOf(r);
      const cell = MATRIX[key];
      if (!cell) continue;
      const row = new Map<Who, { status: number; body: any }>();
      await Promise.all(
        WHO.map(async (w) => {
          const res = await clients[w].call(methodOf(key), cell.path, cell.body);
          row.set(w, { status: res.status, body: res.body });
        }),
      );
      answers.set(key, row);
    }
  }
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe("role × route × tenant", () => {
  const keys = ROUTE_GROUPS.flatMap((g) => g.routes.map(routeKeyOf));

  it("the matrix covers every route of every group and nothing else", () => {
    expect(keys.filter((k) => !MATRIX[k])).toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !keys.includes(k))).toEqual([]);
    expect(keys.length).toBe(36);
  });

  for (const key of Object.keys(MATRIX)) {
    it(`${key}: allow/deny per role and tenant`, () => {
      const row = answers.get(key)!;
      const got = Object.fromEntries(WHO.map((w) => [w, row.get(w)!.status]));
      expect(got).toEqual(MATRIX[key]!.expect);
      // A denial is always the error envelope with code forbidden.
      for (const w of WHO) if (row.get(w)!.status === 403) expect(row.get(w)!.body.error.code).toBe("forbidden");
    });
  }
});

describe("redaction", () => {
  it("one account: full for director and owner, no personal for specialists, names only for finance", () => {
    const row = answers.get("GET /v1/accounts/{id}")!;
    const personalOf = (b: any) => (b.contacts ?? []).filter((c: any) => c.personal !== undefined).length;
    expect(personalOf(row.get("director")!.body)).toBeGreaterThan(0);
    expect(personalOf(row.get("manager")!.body)).toBeGreaterThan(0);
    const s = row.get("specialist")!.body;
    expect(s.contacts.length).toBe(3);
    expect(JSON.stringify(s)).not.toContain("personal");
    // Finance: the name, the owner, and who last changed those two (no values of other fields).
    const fin = row.get("finance")!.body;
    expect(Object.keys(fin).sort()).toEqual(["id", "lastChanged", "name", "owner"]);
    expect(Object.keys(fin.lastChanged).sort()).toEqual(["name", "owner"]);
  });

  it("lists: finance sees account names only, specialists no personal, a manager only his own", () => {
    const row = answers.get("GET /v1/accounts")!;
    const f = row.get("finance")!.body.items as Record<string, unknown>[];
    expect(f.length).toBeGreaterThan(0);
    expect(f.every((a) => Object.keys(a).every((k) => ["id", "name", "owner", "lastChanged"].includes(k)))).toBe(true);
    expect(f.every((a) => Object.keys(a.lastChanged ?? {}).every((k) => k === "name" || k === "owner"))).toBe(true);
    expect(JSON.stringify(row.get("specialist")!.body)).not.toContain("personal");
    expect(row.get("manager")!.body.items.every((a: { owner: string }) => a.owner === "m-li")).toBe(true);
    const coll = answers.get("GET /v1/collections")!;
    expect(coll.get("finance")!.body.rows.find((r: { accountId: string }) => r.accountId === "A-001").accountName).toBe("华东电力设计院");
    expect(coll.get("manager")!.body.rows.every((r: { owner: string }) => r.owner === "m-li")).toBe(true);
    expect(answers.get("GET /v1/targets")!.get("admin")!.body.items).toEqual([]);
  });

  it("a foreign tenant's director sees nothing of tenant demo on any route", () => {
    for (const [key, row] of answers) {
      const text = JSON.stringify(row.get("foreign")!.body ?? "");
      expect(text, key).not.toContain("华东电力设计院");
      // (an error message may echo the id of the request path, so look for stored data, not ids)
      expect(text, key).not.toContain("李明");
      expect(text, key).not.toContain("30000000");
    }
    const coll = answers.get("GET /v1/collections")!.get("foreign")!.body;
    expect(coll.rows).toEqual([]);
    expect(answers.get("GET /v1/models")!.get("foreign")!.body.items.map((m: { id: string }) => m.id)).toEqual(["ka-manager", "ka-director"]);
  });
});
