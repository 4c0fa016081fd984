import { createHash } from "node:crypto";
import { EAST_2026_MODEL } from "../backend-entities/models.js";
import type { Call, Identity } from "../../functions/local/gateway-events.js";

/**
 * What the deploy test sends through the bundled functions: every route of the synthesised API,
 * in an order that builds on earlier answers (accounts before their visits, contracts before
 * payments…), with the answers a correct deployment gives. Each write group also gets an
 * idempotent request whose stored response is larger than the inline limit, and its replay, so
 * the rarely used store paths (response parts: BatchWriteItem, Query on the table) run too.
 */
export const TENANT = "3c9d6b0e-2f41-4a7b-9e15-6d2a8f0c4b71";

const who = (oid: string, name: string, roles: string[]): Identity => ({ tid: TENANT, oid, name, roles });
export const DIRECTOR = who("d-1", "王建国", ["Director"]);
export const DIRECTOR_MANAGER = who("dm-1", "周强", ["Director", "Manager"]);
export const MANAGER = who("m-1", "李明", ["Manager"]);
export const MANAGER_2 = who("m-2", "张伟", ["Manager"]);
export const FINANCE = who("f-1", "刘芳", ["Finance"]);
export const ADMIN = who("a-1", "赵磊", ["Admin"]);
/** Never seen before the step that uses them. */
export const NEWCOMER = who("s-9", "陈静", ["Specialist"]);
/** Never seen before the health list (whose function then registers them). */
export const HEALTH_NEWCOMER = who("s-8", "孙悦", ["Specialist"]);

export interface Step {
  who: Identity;
  call: Call;
  status: number;
  /** Further checks on the parsed body and headers. */
  check?: (body: any, headers: Record<string, string>) => void;
  /** Marks the replay of the step before (same key, same request). */
  replayOf?: string;
}

function expectEq(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const statuses = (body: any) => (body.items as { status: string }[]).map((i) => i.status);

/**
 * A body whose 400 answer lists one detail per unknown field, each naming the field: with
 * incompressible field names the stored (gzip'ed) response is larger than the inline limit.
 * Deterministic: names are a SHA-256 chain from a fixed seed.
 */
export function oversizedUnknownFields(seed: string, base: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  let h = createHash("sha256").update(seed).digest();
  for (let i = 0; i < 6000; i++) {
    let name = "";
    for (let j = 0; j < 3; j++) {
      h = createHash("sha256").update(h).digest();
      name += h.toString("base64url");
    }
    out[`x${name}`] = 1;
  }
  return out;
}

/** Two steps: an idempotent request with an oversized stored response, then its replay. */
function oversized(whoami: Identity, routeKey: string, key: string, base: Record<string, unknown>, params?: Record<string, string>): Step[] {
  const call: Call = { routeKey, body: oversizedUnknownFields(key, base), headers: { "Idempotency-Key": key }, ...(params ? { params } : {}) };
  return [
    { who: whoami, call, status: 400 },
    { who: whoami, call, status: 400, replayOf: key, check: (_b, h) => expectEq(h["idempotent-replayed"], "true", "replay header") },
  ];
}



const DIRECTORY_WRITE: Call = {
  routeKey: "PUT /v1/users",
  headers: { "Idempotency-Key": "users-1" },
  body: { items: [{ id: "m-2", name: "张伟", roles: ["manager"], team: "east" }, { id: "f-1", name: "刘芳", roles: ["finance"] }] },
};

const MODEL = EAST_2026_MODEL;

/** Every date lies in last year: periods are closed and nothing is "after today", whatever the clock. */
const Y = new Date().getUTCFullYear() - 1;
const TARGET_ID = `manager:m-2:${Y}-09`;

export function scenario(): Step[] {
  return [
    // ---- me: roles arrive as the gateway's "[Director Manager]" string
    {
      who: DIRECTOR_MANAGER,
      call: { routeKey: "GET /v1/me" },
      status: 200,
      check: (b) => expectEq([b.id, b.tenant, [...b.roles].sort()], ["dm-1", TENANT, ["director", "manager"]], "me"),
    },
    { who: MANAGER, call: { routeKey: "GET /v1/me" }, status: 200, check: (b) => expectEq(b.roles, ["manager"], "me roles") },

    // ---- users
    { who: ADMIN, call: DIRECTORY_WRITE, status: 200, check: (b) => expectEq(statuses(b), ["created", "created"], "users created") },
    {
      who: ADMIN,
      call: DIRECTORY_WRITE,
      status: 200,
      replayOf: "users-1",
      check: (b, h) => {
        expectEq(statuses(b), ["created", "created"], "users replay");
        expectEq(h["idempotent-replayed"], "true", "replay header");
      },
    },
    {
      who: ADMIN,
      call: { routeKey: "PUT /v1/users", body: { items: [{ id: "m-2", team: "west" }, { id: "m-x", roles: ["manager"] }] } },
      status: 200,
      // A new directory entry needs a name.
      check: (b) => expectEq(statuses(b), ["updated", "invalid"], "users update / invalid"),
    },
    {
      who: MANAGER,
      call: { routeKey: "GET /v1/users" },
      status: 200,
      check: (b) => {
        const ids = (b.items as { id: string }[]).map((u) => u.id);
        for (const id of ["a-1", "f-1", "m-1", "m-2"]) if (!ids.includes(id)) throw new Error(`GET /v1/users lacks ${id}: ${ids.join(",")}`);
      },
    },
    ...oversized(ADMIN, "PUT /v1/users", "users-big", { items: [] }),

    // ---- teams: names for the team ids users carry
    { who: MANAGER, call: { routeKey: "PUT /v1/teams", body: { items: [{ id: "east", name: "华东" }] } }, status: 403 },
    {
      who: DIRECTOR,
      call: { routeKey: "PUT /v1/teams", body: { items: [{ id: "east", name: "华东" }, { id: "west", name: "华西" }, { id: "dup", name: "华东" }] }, headers: { "Idempotency-Key": "teams-1" } },
      status: 200,
      check: (b) => expectEq(statuses(b), ["created", "created", "invalid"], "teams created / duplicate name"),
    },
    {
      who: FINANCE,
      call: { routeKey: "GET /v1/teams" },
      status: 200,
      check: (b) => expectEq((b.items as { id: string; name: string }[]).map((t) => [t.id, t.name]).sort(), [["east", "华东"], ["west", "华西"]], "teams"),
    },
    ...oversized(DIRECTOR, "PUT /v1/teams", "teams-big", { items: [] }),

    // ---- accounts: create, conflict, update, list, read, history, delete, handover, erasure
    {
      who: MANAGER,
      call: {
        routeKey: "PUT /v1/accounts",
        headers: { "Idempotency-Key": "acc-1" },
        body: {
          items: [
            {
              id: "A-1",
              name: "华东电力设计院",
              contacts: [{ id: "p1", name: "陈总", title: "总经理", role: "decider", intimacy: 4, professionalism: 4, support: 5, personal: { birthday: "1968-02-03", hometown: "广东潮州" } }],
            },
            { id: "A-2", name: "南京钢铁集团有限公司" },
            { id: "A-3", name: "佛山陶瓷有限公司" },
          ],
        },
      },
      status: 200,
      check: (b) => expectEq(statuses(b), ["created", "created", "created"], "accounts created"),
    },
    {
      who: MANAGER,
      call: { routeKey: "PUT /v1/accounts", body: { items: [{ id: "A-1", name: "改名" }] } },
      status: 200,
      check: (b) => {
        expectEq(statuses(b), ["conflict"], "accounts conflict");
        expectEq(b.items[0].current?.name, "华东电力设计院", "conflict current");
      },
    },
    {
      who: MANAGER,
      call: { routeKey: "PUT /v1/accounts", body: { items: [{ id: "A-1", version: 1, phone: "021-1" }, { id: "A-2", version: 1, phone: "025-1" }, { id: "A-3", version: 1, phone: "0757-1" }] } },
      status: 200,
      check: (b) => expectEq(statuses(b), ["updated", "updated", "updated"], "accounts updated"),
    },
    {
      who: MANAGER,
      call: { routeKey: "GET /v1/accounts" },
      status: 200,
      check: (b) => expectEq((b.items as { id: string }[]).map((a) => a.id).sort(), ["A-1", "A-2", "A-3"], "accounts list"),
    },
    {
      who: MANAGER,
      call: { routeKey: "GET /v1/accounts", query: { since: "0", owner: "m-1" } },
      status: 200,
      check: (b) => expectEq(b.items.length, 3, "accounts since"),
    },
    { who: MANAGER, call: { routeKey: "GET /v1/accounts/{id}", params: { id: "A-1" } }, status: 200, check: (b) => expectEq([b.version, b.phone], [2, "021-1"], "account") },
    {
      who: MANAGER,
      call: { routeKey: "GET /v1/accounts/{id}/history", params: { id: "A-2" } },
      status: 200,
      check: (b) => expectEq((b.items as { op: string }[]).map((h) => h.op), ["create", "update"], "history"),
    },
    { who: DIRECTOR, call: { routeKey: "DELETE /v1/accounts/{id}", params: { id: "A-3" }, query: { version: "1" } }, status: 409 },
    {
      who: DIRECTOR,
      call: { routeKey: "DELETE /v1/accounts/{id}", params: { id: "A-3" }, query: { version: "2" }, headers: { "Idempotency-Key": "del-1" } },
      status: 200,
      check: (b) => expectEq([b.deleted, b.version], [true, 3], "delete"),
    },
    { who: MANAGER, call: { routeKey: "GET /v1/accounts/{id}", params: { id: "A-3" } }, status: 404 },
    {
      who: DIRECTOR,
      call: { routeKey: "GET /v1/accounts", query: { deleted: "true" } },
      status: 200,
      check: (b) => expectEq((b.items as { id: string; deletedBy: string }[]).map((a) => [a.id, a.deletedBy]), [["A-3", "d-1"]], "recycle bin"),
    },
    { who: MANAGER, call: { routeKey: "POST /v1/accounts/{id}/restore", params: { id: "A-3" } }, status: 403 },
    { who: DIRECTOR, call: { routeKey: "POST /v1/accounts/{id}/restore", params: { id: "A-2" } }, status: 409 },
    {
      who: DIRECTOR,
      call: { routeKey: "POST /v1/accounts/{id}/restore", params: { id: "A-3" }, headers: { "Idempotency-Key": "restore-1" } },
      status: 200,
      check: (b) => expectEq([b.id, b.version, b.name, b.deleted], ["A-3", 4, "佛山陶瓷有限公司", undefined], "restore"),
    },
    { who: DIRECTOR, call: { routeKey: "GET /v1/accounts/{id}", params: { id: "A-3" } }, status: 200, check: (b) => expectEq(b.version, 4, "restored read") },
    {
      who: MANAGER,
      call: { routeKey: "POST /v1/accounts/{id}/review", params: { id: "A-2" }, headers: { "Idempotency-Key": "review-1" } },
      status: 200,
      check: (b) => expectEq([b.id, b.version, typeof b.lastReviewed, b.reviewStale], ["A-2", 3, "string", false], "archive review"),
    },
    { who: MANAGER, call: { routeKey: "POST /v1/accounts/{id}/review", params: { id: "A-404" } }, status: 404 },
    {
      who: DIRECTOR,
      call: { routeKey: "POST /v1/handovers", body: { from: "m-1", to: "m-2", accountIds: ["A-1", "A-2"] }, headers: { "Idempotency-Key": "ho-1" } },
      status: 201,
      check: (b) => expectEq([b.from, b.to, b.accountIds], ["m-1", "m-2", ["A-1", "A-2"]], "handover"),
    },
    { who: DIRECTOR, call: { routeKey: "GET /v1/handovers" }, status: 200, check: (b) => expectEq(b.items.length, 1, "handovers") },
    { who: MANAGER, call: { routeKey: "GET /v1/accounts/{id}", params: { id: "A-1" } }, status: 403 },
    {
      who: DIRECTOR,
      call: { routeKey: "POST /v1/erasures", body: { accountId: "A-1", contactId: "p1" } },
      status: 200,
      check: (b) => expectEq([b.accountId, b.contactId], ["A-1", "p1"], "erasure"),
    },
    {
      who: DIRECTOR,
      call: { routeKey: "GET /v1/accounts/{id}/history", params: { id: "A-1" } },
      status: 200,
      check: (b) => {
        const text = JSON.stringify(b);
        for (const secret of ["1968-02-03", "广东潮州"]) if (text.includes(secret)) throw new Error(`history still holds ${secret}`);
      },
    },
    ...oversized(MANAGER, "PUT /v1/accounts", "acc-big", { items: [] }),

    // ---- visits
    {
      who: MANAGER_2,
      call: {
        routeKey: "PUT /v1/visit-plans",
        body: { items: [{ id: "VP-1", accountId: "A-1", month: `${Y}-07`, role: "kaManager", plannedDate: `${Y}-07-08` }, { id: "VP-2", accountId: "A-1", month: `${Y}-13`, role: "kaManager" }] },
      },
      status: 200,
      check: (b) => expectEq(statuses(b), ["created", "invalid"], "visit plans"),
    },
    {
      who: MANAGER_2,
      call: { routeKey: "PUT /v1/visit-plans", body: { items: [{ id: "VP-1", version: 1, purpose: "方案交流" }] } },
      status: 200,
      check: (b) => expectEq(statuses(b), ["updated"], "visit plan update"),
    },
    { who: MANAGER_2, call: { routeKey: "GET /v1/visit-plans", query: { account: "A-1" } }, status: 200, check: (b) => expectEq(b.items.length, 1, "visit plans list") },
    {
      who: DIRECTOR,
      call: {
        routeKey: "PUT /v1/visit-records",
        headers: { "Idempotency-Key": "vr-1" },
        body: { items: [{ id: "VR-1", accountId: "A-1", date: `${Y}-07-02`, role: "kaManager", purpose: "c", outcome: "B", owner: "m-2", summary: "拜访纪要" }] },
      },
      status: 200,
      check: (b) => expectEq(statuses(b), ["created"], "visit records"),
    },
    { who: MANAGER_2, call: { routeKey: "GET /v1/visit-records" }, status: 200, check: (b) => expectEq(b.items.length, 1, "visit records list") },
    {
      who: DIRECTOR,
      call: { routeKey: "GET /v1/visits/compliance", query: { period: `${Y}-Q3`, account: "A-1", role: "kaManager" } },
      status: 200,
      check: (b) => expectEq([b.items[0].carriedOut, b.items[0].planned], [1, 1], "compliance"),
    },
    ...oversized(DIRECTOR, "PUT /v1/visit-plans", "vp-big", { items: [] }),

    // ---- targets
    {
      who: DIRECTOR,
      call: { routeKey: "PUT /v1/targets", body: { items: [{ level: "manager", subject: "m-2", period: `${Y}-09`, amountYuan: 2_000_000 }] } },
      status: 200,
      check: (b) => expectEq([b.items[0].id, b.items[0].status], [TARGET_ID, "created"], "target"),
    },
    { who: MANAGER_2, call: { routeKey: "GET /v1/targets", query: { period: `${Y}-09` } }, status: 200, check: (b) => expectEq(b.items.length, 1, "targets") },
    {
      who: MANAGER_2,
      call: { routeKey: "POST /v1/targets/{id}/proposals", params: { id: TARGET_ID }, body: { amountYuan: 1_800_000, reason: "客户预算推迟", basedOnVersion: 1 }, headers: { "Idempotency-Key": "prop-1" } },
      status: 201,
      check: (b) => expectEq(b.pending, [2], "proposal"),
    },
    { who: MANAGER_2, call: { routeKey: "POST /v1/targets/{id}/proposals", params: { id: TARGET_ID }, body: { amountYuan: 1, basedOnVersion: 1 } }, status: 409 },
    {
      who: DIRECTOR,
      call: { routeKey: "POST /v1/targets/{id}/decisions", params: { id: TARGET_ID }, body: { version: 2, decision: "approve" } },
      status: 200,
      check: (b) => expectEq(b.effective, { version: 2, amountYuan: 1_800_000 }, "decision"),
    },
    { who: MANAGER_2, call: { routeKey: "GET /v1/targets/{id}", params: { id: TARGET_ID } }, status: 200, check: (b) => expectEq(b.history.length, 3, "target history") },
    ...oversized(DIRECTOR, "PUT /v1/targets", "tgt-big", { items: [] }),

    // ---- finance
    {
      who: FINANCE,
      call: {
        routeKey: "PUT /v1/contracts",
        body: {
          items: [
            {
              id: "CON-1",
              accountId: "A-1",
              signedDate: `${Y}-01-15`,
              amountYuan: 300_000,
              instalments: [
                { id: "I1", dueDate: `${Y}-03-10`, amountYuan: 100_000 },
                { id: "I2", dueDate: `${Y}-05-10`, amountYuan: 200_000 },
              ],
            },
          ],
        },
      },
      status: 200,
      check: (b) => expectEq(statuses(b), ["created"], "contract"),
    },
    {
      who: FINANCE,
      call: { routeKey: "PUT /v1/payments", headers: { "Idempotency-Key": "pay-1" }, body: { items: [{ id: "PAY-1", contractId: "CON-1", date: `${Y}-03-05`, amountYuan: 150_000 }] } },
      status: 200,
      check: (b) => expectEq(statuses(b), ["created"], "payment"),
    },
    { who: MANAGER_2, call: { routeKey: "GET /v1/contracts" }, status: 200, check: (b) => expectEq(b.items.map((c: { id: string }) => c.id), ["CON-1"], "contracts") },
    { who: FINANCE, call: { routeKey: "GET /v1/payments", query: { account: "A-1" } }, status: 200, check: (b) => expectEq(b.items.length, 1, "payments") },
    {
      who: FINANCE,
      call: { routeKey: "GET /v1/collections", query: { scope: "account:A-1", period: `${Y}-Q2` } },
      status: 200,
      // due 100,000 + 200,000 = 300,000 by 06-30; collected 150,000 (FIFO) → rate 0.5
      check: (b) => expectEq([b.dueYuan, b.collectedYuan, b.rate], [300_000, 150_000, 0.5], "collections"),
    },
    ...oversized(FINANCE, "PUT /v1/payments", "pay-big", { items: [] }),

    // ---- account health (read rights of accounts; finance reads none)
    {
      who: DIRECTOR,
      call: { routeKey: "GET /v1/accounts/{id}/health", params: { id: "A-1" } },
      status: 200,
      check: (b) => {
        const score = b.score ?? b.health?.score;
        if (typeof score !== "number" || score < 0 || score > 100) throw new Error(`health score: ${JSON.stringify(b)}`);
      },
    },
    { who: FINANCE, call: { routeKey: "GET /v1/accounts/{id}/health", params: { id: "A-1" } }, status: 404 },
    { who: FINANCE, call: { routeKey: "GET /v1/health", query: { scope: "*" } }, status: 403 },
    {
      who: HEALTH_NEWCOMER,
      call: { routeKey: "GET /v1/health", query: { scope: "*" } },
      status: 200,
      check: (b) => expectEq((b.items as unknown[]).length, b.accounts, "health list"),
    },

    // ---- models
    { who: MANAGER, call: { routeKey: "GET /v1/models" }, status: 200 },
    {
      who: DIRECTOR,
      call: { routeKey: "PUT /v1/models/{id}", params: { id: "east-2026" }, body: MODEL, headers: { "Idempotency-Key": "model-1" } },
      status: 201,
      check: (b) => expectEq([b.id, b.revision], ["east-2026", 1], "model"),
    },
    { who: DIRECTOR, call: { routeKey: "PUT /v1/models/{id}", params: { id: "east-2026" }, body: MODEL }, status: 409 },
    {
      who: DIRECTOR,
      call: { routeKey: "PUT /v1/models/{id}", params: { id: "east-2026" }, body: { ...MODEL, version: 2 }, headers: { "If-Match": "1" } },
      status: 200,
      check: (b) => expectEq(b.revision, 2, "model revision"),
    },
    { who: FINANCE, call: { routeKey: "GET /v1/models/{id}", params: { id: "east-2026" } }, status: 200, check: (b) => expectEq(b.readOnly, false, "model read") },
    ...oversized(DIRECTOR, "PUT /v1/models/{id}", "model-big", {}, { id: "east-2026" }),

    // ---- eval: store-backed functions read what the other functions wrote; the first call is
    // a newcomer's (registration writes the directory entry from this function too)
    {
      who: NEWCOMER,
      call: { routeKey: "POST /v1/eval", body: { calls: [{ fn: "KAM.COMPLETION", args: [80, 100] }] } },
      status: 200,
      check: (b) => expectEq(b.results, [{ value: 0.8 }], "eval newcomer"),
    },
    {
      who: DIRECTOR,
      call: {
        routeKey: "POST /v1/eval",
        body: {
          calls: [
            { fn: "COLLECTION", args: ["华东电力设计院", `${Y}-Q2`] },
            { fn: "COLLECTION", args: ["*", `${Y}-Q2`, "due"] },
            { fn: "ACCOUNT", args: ["A-1", "class"] },
          ],
        },
      },
      status: 200,
      check: (b) => {
        expectEq(b.results.slice(0, 2), [{ value: 0.5 }, { value: 300_000 }], "eval by name / all");
        if (b.results[2].error) throw new Error(`ACCOUNT class: ${JSON.stringify(b.results[2])}`);
      },
    },
    {
      who: MANAGER_2,
      call: {
        routeKey: "POST /v1/eval",
        body: {
          calls: [
            { fn: "COLLECTION", args: ["A-1", `${Y}-Q2`] },
            { fn: "TARGET", args: ["m-2", `${Y}-09`] },
            { fn: "ACCOUNT", args: ["A-1", "owner"] },
            { fn: "SCORE", args: [[[3, 5]], [["newAccounts", "newAccountsPlan"]], "east-2026"] },
            { fn: "KAM.VISITS", args: ["strategic", "salesManager", 12] },
          ],
        },
      },
      status: 200,
      check: (b) => expectEq(b.results, [{ value: 0.5 }, { value: 1_800_000 }, { value: "m-2" }, { value: 4 }, { value: 6 }], "eval"),
    },
  ];
}
