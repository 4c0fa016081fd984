import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { DIRECTOR, MANAGER_LI, signIn, startTestStack, type ApiClient } from "./helpers.js";

/**
 * The API's edges seen from outside: path ids follow the body id rule, bodies must be JSON in
 * UTF-8, error details name the field the client sent, accounts go only to managers.
 * Real HTTP on loopback against the local stack (dynalite in its own process).
 */
let stack: LocalStack;
let dir: ApiClient, li: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  [dir, li] = await Promise.all([signIn(stack, DIRECTOR), signIn(stack, MANAGER_LI)]);
});
afterAll(async () => {
  await stack?.stop();
});

/** A raw request: bytes and headers exactly as given. */
async function raw(client: ApiClient, method: string, path: string, body: Buffer | string | undefined, headers: Record<string, string>) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${client.token}`, ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : new Uint8Array(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const LONG_ID = "A".repeat(5000);
const BAD_IDS: [string, string][] = [
  ["5,000 characters", LONG_ID],
  ["129 characters", "B".repeat(129)],
  ["right-to-left override U+202E", "A-\u202E100"],
  ["first-strong isolate U+2068", "A-\u2068100"],
  ["control character U+0001", "A-\u0001"],
  ["replacement character U+FFFD", "A-\uFFFD"],
];

describe("path ids follow the body id rule", () => {
  const routes: [method: string, path: (id: string) => string, body?: unknown][] = [
    ["GET", (id) => `/v1/accounts/${id}`],
    ["DELETE", (id) => `/v1/accounts/${id}`],
    ["GET", (id) => `/v1/accounts/${id}/history`],
    ["GET", (id) => `/v1/targets/${id}`],
    ["POST", (id) => `/v1/targets/${id}/proposals`, { amountYuan: 1 }],
    ["POST", (id) => `/v1/targets/${id}/decisions`, { version: 1, decision: "approve" }],
    ["GET", (id) => `/v1/models/${id}`],
    ["PUT", (id) => `/v1/models/${id}`, { id: "x" }],
  ];
  for (const [what, id] of BAD_IDS) {
    it(`a path id with ${what} is a 400 naming "id" on every {id} route`, async () => {
      for (const [method, path, body] of routes) {
        const r = await dir.call(method, path(encodeURIComponent(id)), body);
        expect({ route: `${method} ${path("{id}")}`, status: r.status, code: r.body?.error?.code }).toEqual({
          route: `${method} ${path("{id}")}`,
          status: 400,
          code: "invalid",
        });
        expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain("id");
      }
    });
  }

  it("a good id still reaches the route (404 for an unknown account, 200 for a known one)", async () => {
    expect((await dir.call("GET", `/v1/accounts/${encodeURIComponent("KA-不存在")}`)).status).toBe(404);
    expect((await dir.call("GET", "/v1/accounts/A-001")).status).toBe(200);
  });

  it("bad ids inside a batch body stay per-item invalid results", async () => {
    const r = await dir.call("PUT", "/v1/accounts", {
      items: [
        { id: "A-\u202E100", name: "伪装客户", owner: "m-li" },
        { id: LONG_ID, name: "长编号", owner: "m-li" },
        { id: "EDGE-OK-1", name: "正常客户", owner: "m-li" },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { status: string }) => i.status)).toEqual(["invalid", "invalid", "created"]);
    expect(r.body.items[0].errors[0].path).toBe("id");
    expect(r.body.items[1].errors[0].path).toBe("id");
  });
});

describe("request bodies: JSON in UTF-8, uncompressed", () => {
  const item = (id: string) => JSON.stringify({ items: [{ id, name: "编码测试", owner: "m-li" }] });

  it("415 for a body sent as text/plain, as application/x-www-form-urlencoded, or in another charset", async () => {
    const cases: Record<string, string>[] = [
      { "content-type": "text/plain;charset=UTF-8" },
      { "content-type": "application/x-www-form-urlencoded" },
      { "content-type": "application/json; charset=latin1" },
    ];
    for (const headers of cases) {
      const r = await raw(dir, "PUT", "/v1/accounts", item("ENC-1"), headers);
      expect(r.status).toBe(415);
      expect(r.body.error.code).toBe("unsupported_media_type");
      expect(r.body.error.details[0].path).toBe("Content-Type");
    }
    expect((await dir.call("GET", "/v1/accounts/ENC-1")).status).toBe(404);
  });

  it("415 for any Content-Encoding (gzip, identity) — the body is never inflated or guessed", async () => {
    const { gzipSync } = await import("node:zlib");
    const gz = await raw(dir, "PUT", "/v1/accounts", gzipSync(item("ENC-2")), { "content-type": "application/json", "content-encoding": "gzip" });
    expect(gz.status).toBe(415);
    expect(gz.body.error.details[0].path).toBe("Content-Encoding");
    const id = await raw(dir, "PUT", "/v1/accounts", item("ENC-2"), { "content-type": "application/json", "content-encoding": "identity" });
    expect(id.status).toBe(415);
  });

  it("400 for bytes that are not UTF-8, even inside an id; nothing is created under an altered id", async () => {
    const bytes = Buffer.concat([Buffer.from('{"items":[{"id":"ENC-'), Buffer.from([0xff, 0xfe]), Buffer.from('3","name":"坏字节","owner":"m-li"}]}')]);
    const r = await raw(dir, "PUT", "/v1/accounts", bytes, { "content-type": "application/json" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/UTF-8/);
    const list = await dir.call("GET", "/v1/accounts?limit=1000");
    expect(list.body.items.some((a: { id: string }) => a.id.startsWith("ENC-"))).toBe(false);
  });

  it("400 for malformed JSON; application/json with charset=utf-8 is accepted", async () => {
    expect((await raw(dir, "PUT", "/v1/accounts", "{\"items\": [", { "content-type": "application/json" })).status).toBe(400);
    const ok = await raw(dir, "PUT", "/v1/accounts", item("ENC-4"), { "content-type": "Application/JSON; charset=\"UTF-8\"" });
    expect(ok.status).toBe(200);
    expect(ok.body.items[0].status).toBe("created");
  });

  it("the Lambda edge refuses a base64 body that is not UTF-8 and a string body with a lone surrogate", async () => {
    const { handler } = await import("../../functions/src/handlers/accounts.js");
    const event = (body: string, isBase64Encoded: boolean) =>
      ({
        version: "2.0",
        routeKey: "PUT /v1/accounts",
        rawPath: "/v1/accounts",
        rawQueryString: "",
        headers: { "content-type": "application/json" },
        body,
        isBase64Encoded,
        requestContext: { requestId: "edge", http: { method: "PUT", path: "/v1/accounts" }, authorizer: { jwt: { claims: { tid: "demo", sub: "d-wang", name: "王建国", roles: "[Director]" }, scopes: [] } } },
      }) as never;
    const b64 = Buffer.concat([Buffer.from('{"items":[{"id":"ENC-'), Buffer.from([0xc3, 0x28]), Buffer.from('5","name":"x"}]}')]).toString("base64");
    expect((await handler(event(b64, true))).statusCode).toBe(400);
    expect((await handler(event('{"items":[{"id":"ENC-\uD800","name":"x"}]}', false))).statusCode).toBe(400);
    const good = await handler(event(Buffer.from(item("ENC-6")).toString("base64"), true));
    expect(good.statusCode).toBe(200);
    // No Content-Type at all: 415 as well.
    const bare = { ...(event(item("ENC-7"), false) as object), headers: {} };
    expect((await handler(bare as never)).statusCode).toBe(415);
  });
});

describe("error details name the field the client sent", () => {
  it("a proposal naming another period is a 400 naming period; another subject names subject", async () => {
    const period = await li.call("POST", "/v1/targets/manager:m-li:2026-Q1/proposals", { period: "2026-Q2", amountYuan: 7_000_000 });
    expect(period.status).toBe(400);
    expect(period.body.error.details.map((d: { path: string }) => d.path)).toEqual(["period"]);
    const subject = await dir.call("POST", "/v1/targets/manager:m-li:2026-Q1/proposals", { subject: "m-zhang", amountYuan: 7_000_000 });
    expect(subject.status).toBe(400);
    expect(subject.body.error.details.map((d: { path: string }) => d.path)).toEqual(["subject"]);
  });
});

describe("accounts belong to managers", () => {
  it("a handover to a finance user (or any non-manager) is a 400 naming to; nothing moves", async () => {
    const before = (await dir.call("GET", "/v1/accounts?owner=m-li&limit=1000")).body.items.length;
    for (const to of ["f-liu", "s-chen", "d-wang"]) {
      const r = await dir.call("POST", "/v1/handovers", { from: "m-li", to });
      expect(r.status).toBe(400);
      expect(r.body.error.details).toEqual([{ path: "to", message: expect.stringContaining(to) }]);
    }
    expect((await dir.call("GET", "/v1/accounts?owner=m-li&limit=1000")).body.items.length).toBe(before);
  });

  it("a write naming a non-manager owner is a per-item invalid naming owner; a manager is accepted", async () => {
    const r = await dir.call("PUT", "/v1/accounts", {
      items: [
        { id: "OWN-1", name: "财务名下", owner: "f-liu" },
        { id: "OWN-2", name: "经理名下", owner: "m-zhang" },
      ],
    });
    expect(r.body.items[0]).toMatchObject({ id: "OWN-1", status: "invalid", errors: [{ path: "owner" }] });
    expect(r.body.items[1]).toMatchObject({ id: "OWN-2", status: "created" });
    const moved = await dir.call("POST", "/v1/handovers", { from: "m-zhang", to: "m-li", accountIds: ["OWN-2"] });
    expect(moved.status).toBe(201);
    expect(moved.body.accountIds).toEqual(["OWN-2"]);
  });
});
