import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { DEV_AUDIENCE, DEV_ISSUER } from "../../functions/local/issuer.js";
import {
  ADMIN,
  DIRECTOR,
  FINANCE,
  FOREIGN_DIRECTOR,
  MANAGER_LI,
  MANAGER_ZHANG,
  SPECIALIST,
  clientWithToken,
  signIn,
  signInAll,
  startTestStack,
  type ApiClient,
} from "./helpers.js";

/** HTTP tests against the local server on loopback, with real JWTs from the dev issuer. */
let stack: LocalStack;
let dir: ApiClient, li: ApiClient, zhang: ApiClient, spec: ApiClient, fin: ApiClient, admin: ApiClient, foreign: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  [dir, li, zhang, spec, fin, admin, foreign] = await signInAll(stack, [DIRECTOR, MANAGER_LI, MANAGER_ZHANG, SPECIALIST, FINANCE, ADMIN, FOREIGN_DIRECTOR]);
});
afterAll(async () => {
  await stack?.stop();
});

const decider = (id: string, personal?: Record<string, string>) => ({
  id, name: "周志强", role: "decider", intimacy: 4, professionalism: 4, support: 5, ...(personal ? { personal } : {}),
});

describe("authentication", () => {
  it("401 without a token, with a garbage token, with a token of another key, and with an expired one", async () => {
    expect((await clientWithToken(stack, undefined).call("GET", "/v1/me")).status).toBe(401);
    expect((await clientWithToken(stack, "not.a.jwt").call("GET", "/v1/me")).status).toBe(401);
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT({ tid: "demo", name: "x", roles: ["Director"] })
      .setProtectedHeader({ alg: "ES256", kid: stack.issuer.jwks.keys[0]!.kid! })
      .setSubject("d-wang").setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setIssuedAt().setExpirationTime("1h")
      .sign(privateKey);
    const r = await clientWithToken(stack, forged).call("GET", "/v1/accounts");
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("unauthorized");
    const expired = await stack.issuer.issue({ sub: "d-wang", tid: "demo", name: "x", roles: ["Director"] }, { expiresInSeconds: -60 });
    expect((await clientWithToken(stack, expired).call("GET", "/v1/me")).status).toBe(401);
  });

  it("GET /v1/me answers id, name, tenant and roles from the token", async () => {
    const r = await li.call("GET", "/v1/me");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: "m-li", name: "李明", tenant: "demo", roles: ["manager"], team: "east" });
  });

  it("registers a new user on their first request", async () => {
    const newbie = await signIn(stack, { sub: "m-new", tid: "demo", name: "孙新", roles: ["Manager"] });
    await newbie.call("GET", "/v1/me");
    const users = await dir.call("GET", "/v1/users");
    expect(users.body.items).toContainEqual({ id: "m-new", name: "孙新", roles: ["manager"] });
  });
});

describe("Lambda event (API Gateway HTTP API v2)", () => {
  const event = (claims: Record<string, unknown> | undefined, body?: string) =>
    ({
      version: "2.0",
      routeKey: "GET /v1/me",
      rawPath: "/v1/me",
      rawQueryString: "",
      headers: {},
      isBase64Encoded: false,
      ...(body !== undefined ? { body } : {}),
      requestContext: { requestId: "t", http: { method: "GET", path: "/v1/me" }, ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}) },
    }) as never;

  it("reads claims from requestContext.authorizer.jwt.claims, roles as API Gateway's \"[Director Manager]\" string", async () => {
    const { handler } = await import("../../functions/src/handlers/me.js");
    const r = await handler(event({ tid: "demo", oid: "d-wang", sub: "ignored-sub", name: "王建国", roles: "[Director Manager]" }));
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body!)).toMatchObject({ id: "d-wang", tenant: "demo", roles: ["director", "manager"] });
    const none = await handler(event(undefined));
    expect(none.statusCode).toBe(401);
    const noTenant = await handler(event({ sub: "x", roles: "[Director]" }));
    expect(noTenant.statusCode).toBe(401);
  });
});

describe("roles, redaction and tenants on accounts", () => {
  it("a manager lists only their own accounts; another manager's account is 403", async () => {
    const r = await li.call("GET", "/v1/accounts?limit=1000");
    expect(r.status).toBe(200);
    // seed: A-001..A-015 belong to m-li
    expect(r.body.items.length).toBeGreaterThanOrEqual(15);
    expect(r.body.items.every((a: { owner: string }) => a.owner === "m-li")).toBe(true);
    expect((await li.call("GET", "/v1/accounts/A-016")).status).toBe(403);
    expect((await li.call("GET", "/v1/accounts?owner=m-zhang")).status).toBe(403);
  });

  it("owner and director read personal details; specialist never; finance sees names only; admin 403", async () => {
    const own = await li.call("GET", "/v1/accounts/A-001");
    expect(own.body.contacts[0].personal.hometown).toBeTruthy();
    const d = await dir.call("GET", "/v1/accounts/A-001");
    expect(d.body.contacts[0].personal).toEqual(own.body.contacts[0].personal);
    const s = await spec.call("GET", "/v1/accounts/A-001");
    expect(s.status).toBe(200);
    expect(s.body.contacts.length).toBe(3);
    expect(JSON.stringify(s.body)).not.toContain("personal");
    const f = await fin.call("GET", "/v1/accounts/A-001");
    expect(f.body).toEqual({ id: "A-001", name: "华东电力设计院", owner: "m-li", lastChanged: { name: expect.any(Object), owner: expect.any(Object) } });
    const fl = await fin.call("GET", "/v1/accounts?limit=5");
    expect(fl.body.items.every((a: object) => Object.keys(a).sort().join() === "id,lastChanged,name,owner")).toBe(true);
    expect((await admin.call("GET", "/v1/accounts")).status).toBe(403);
    expect((await admin.call("GET", "/v1/accounts/A-001")).status).toBe(403);
  });

  it("a foreign tenant sees nothing of tenant demo and cannot change it", async () => {
    const list = await foreign.call("GET", "/v1/accounts");
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    expect((await foreign.call("GET", "/v1/accounts/A-001")).status).toBe(404);
    expect((await foreign.call("GET", "/v1/accounts/A-001/history")).status).toBe(404);
    const w = await foreign.call("PUT", "/v1/accounts", { items: [{ id: "A-001", version: 1, name: "篡改", owner: "d-other" }] });
    expect(w.body.items[0].status).toBe("conflict"); // no A-001 in their tenant: version 1 does not exist
    expect(w.body.items[0].current).toBeUndefined();
    const del = await foreign.call("DELETE", "/v1/accounts/A-001");
    expect(del.status).toBe(404);
    const users = await foreign.call("GET", "/v1/users");
    expect(users.body.items.map((u: { id: string }) => u.id)).toEqual(["d-other"]);
    expect((await dir.call("GET", "/v1/accounts/A-001")).body.name).toBe("华东电力设计院");
  });

  it("history: directors and the owner; others 403", async () => {
    expect((await li.call("GET", "/v1/accounts/A-002/history")).status).toBe(200);
    expect((await dir.call("GET", "/v1/accounts/A-002/history")).status).toBe(200);
    expect((await spec.call("GET", "/v1/accounts/A-002/history")).status).toBe(403);
    expect((await fin.call("GET", "/v1/accounts/A-002/history")).status).toBe(403);
    expect((await zhang.call("GET", "/v1/accounts/A-002/history")).status).toBe(403);
  });

  it("refusals read in the request's language (Accept-Language), English otherwise", async () => {
    const zh = await fin.call("GET", "/v1/accounts/A-002/history", undefined, { "accept-language": "zh-CN" });
    expect([zh.status, zh.body.error.message]).toEqual([403, "只有总监和负责经理可以查看历史"]);
    const en = await fin.call("GET", "/v1/accounts/A-002/history");
    expect([en.status, en.body.error.message]).toEqual([403, "history is readable by directors and the account's owner"]);
    const missing = await dir.call("GET", "/v1/accounts/NO-SUCH", undefined, { "accept-language": "zh" });
    expect([missing.status, missing.body.error.message]).toEqual([404, "没有这个客户"]);
  });

  it("finance and admin cannot write accounts (403); a specialist cannot create or touch personal", async () => {
    expect((await fin.call("PUT", "/v1/accounts", { items: [{ id: "A-003", version: 1, phone: "1" }] })).status).toBe(403);
    expect((await admin.call("PUT", "/v1/accounts", { items: [{ id: "A-003", version: 1, phone: "1" }] })).status).toBe(403);
    const s = await spec.call("PUT", "/v1/accounts", {
      items: [
        { id: "SPEC-NEW", name: "新客户", owner: "m-li" },
        { id: "A-003", version: 1, contacts: [{ id: "A-003-C1", personal: { hobbies: "x" } }] },
      ],
    });
    expect(s.status).toBe(200);
    expect(s.body.items.map((i: { status: string }) => i.status)).toEqual(["forbidden", "forbidden"]);
  });
});

describe("batch upsert", () => {
  it("per-item results: created, updated, unchanged, conflict (with current), invalid, forbidden", async () => {
    const first = await li.call("PUT", "/v1/accounts", { items: [{ id: "B-1", name: "苏州新材料有限公司", phone: "0512-1" }] });
    expect(first.body.items[0]).toEqual({ id: "B-1", status: "created", version: 1 });
    const r = await li.call("PUT", "/v1/accounts", {
      items: [
        { id: "B-1", version: 1, phone: "0512-2" },
        { id: "B-2", name: "无锡新能源" },
        { id: "B-3", name: "x", colour: "red" },
        { id: "A-016", version: 1, phone: "9" },
        { id: "B-4", name: "常州机电", owner: "m-li", registeredCapital: 1.005 },
      ],
    });
    expect(r.status).toBe(200);
    const [upd, created, unknownField, forbidden, badMoney] = r.body.items;
    expect(upd).toEqual({ id: "B-1", status: "updated", version: 2 });
    expect(created).toEqual({ id: "B-2", status: "created", version: 1 });
    expect(unknownField.status).toBe("invalid");
    expect(unknownField.errors).toContainEqual({ path: "colour", message: "unknown field" });
    expect(forbidden.status).toBe("forbidden");
    expect(badMoney.status).toBe("invalid");
    const stale = await li.call("PUT", "/v1/accounts", { items: [{ id: "B-1", version: 1, phone: "0512-3" }] });
    expect(stale.body.items[0]).toMatchObject({ id: "B-1", status: "conflict", version: 2, current: { id: "B-1", version: 2, phone: "0512-2" } });
    expect((await li.call("GET", "/v1/accounts/B-1")).body.phone).toBe("0512-2");
    const same = await li.call("PUT", "/v1/accounts", { items: [{ id: "B-1", version: 2, phone: "0512-2" }] });
    expect(same.body.items[0]).toEqual({ id: "B-1", status: "unchanged", version: 2 });
  });

  it("validation details follow Accept-Language (zh texts from shared/, en otherwise)", async () => {
    const items = [{ id: "L-1", name: "x", registeredCapital: 1.005, colour: "red" }];
    const en = await li.call("PUT", "/v1/accounts", { items });
    const zh = await li.call("PUT", "/v1/accounts", { items }, { "accept-language": "zh-CN,zh;q=0.9" });
    expect(en.body.items[0].errors).toEqual([
      { path: "registeredCapital", message: "amount in yuan must have at most 2 decimals" },
      { path: "colour", message: "unknown field" },
    ]);
    expect(zh.body.items[0].errors).toEqual([
      { path: "registeredCapital", message: "金额（元）最多两位小数" },
      { path: "colour", message: "未知字段" },
    ]);
    const handover = await dir.call("POST", "/v1/handovers", { from: "m-li", to: "m-li" }, { "accept-language": "zh" });
    expect(handover.status).toBe(400);
    expect(handover.body.error.details).toEqual([{ path: "to", message: "不能交接给同一位经理" }]);
  });

  it("an unknown owner is a per-item invalid", async () => {
    const r = await dir.call("PUT", "/v1/accounts", { items: [{ id: "B-9", name: "厦门港务", owner: "ghost" }] });
    expect(r.body.items[0]).toEqual({ id: "B-9", status: "invalid", errors: [{ path: "owner", message: "owner: unknown user ghost / 负责人：用户目录中没有 ghost" }] });
  });

  it("merge semantics over HTTP: absent keeps, null clears, contacts merged by id, omitted personal kept", async () => {
    await li.call("PUT", "/v1/accounts", {
      items: [{ id: "M-1", name: "合肥精工", phone: "0551-1", fax: "0551-2", contacts: [decider("k1", { hobbies: "书法" }), { ...decider("k2"), role: "buyer" }] }],
    });
    const r = await li.call("PUT", "/v1/accounts", { items: [{ id: "M-1", version: 1, fax: null, contacts: [{ id: "k1", title: "董事长" }] }] });
    expect(r.body.items[0].status).toBe("updated");
    const a = (await li.call("GET", "/v1/accounts/M-1")).body;
    expect(a.phone).toBe("0551-1");
    expect(a.fax).toBeUndefined();
    expect(a.contacts).toHaveLength(2);
    expect(a.contacts[0]).toMatchObject({ id: "k1", title: "董事长", personal: { hobbies: "书法" } });
  });

  it("413 for 501 items and for a body over 1 MB; 400 for malformed JSON and a wrong envelope", async () => {
    const items = Array.from({ length: 501 }, (_, i) => ({ id: `X-${i}`, name: "x" }));
    const many = await li.call("PUT", "/v1/accounts", { items });
    expect(many.status).toBe(413);
    expect(many.body.error.code).toBe("too_large");
    // 1 MB = 1,048,576 bytes; one 1.1 MB string field makes the body larger
    const big = await li.call("PUT", "/v1/accounts", { items: [{ id: "BIG", name: "x", orgNotes: "长".repeat(400_000) }] });
    expect(big.status).toBe(413);
    const bad = await li.call("PUT", "/v1/accounts", "{not json");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "invalid", details: [{ path: "" }] });
    const env = await li.call("PUT", "/v1/accounts", { rows: [] });
    expect(env.status).toBe(400);
    expect(env.body.error.details).toContainEqual({ path: "rows", message: "unknown field" });
    const q = await li.call("GET", "/v1/accounts?colour=red");
    expect(q.status).toBe(400);
  });

  it("idempotency: a replay returns the first answer and writes nothing twice", async () => {
    const body = { items: [{ id: "I-1", name: "佛山陶瓷有限公司" }] };
    const a = await li.call("PUT", "/v1/accounts", body, { "idempotency-key": "sync-0001" });
    const b = await li.call("PUT", "/v1/accounts", body, { "idempotency-key": "sync-0001" });
    expect(a.body).toEqual({ items: [{ id: "I-1", status: "created", version: 1 }] });
    expect(b.body).toEqual(a.body);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    const hist = await li.call("GET", "/v1/accounts/I-1/history");
    expect(hist.body.items).toHaveLength(1);
    // same key, different request → 409
    const c = await li.call("PUT", "/v1/accounts", { items: [{ id: "I-2", name: "y" }] }, { "idempotency-key": "sync-0001" });
    expect(c.status).toBe(409);
    // another user's identical key is their own
    const d = await zhang.call("PUT", "/v1/accounts", { items: [{ id: "I-3", name: "z" }] }, { "idempotency-key": "sync-0001" });
    expect(d.body.items[0].status).toBe("created");
  });
});

describe("history, delete, handover, erasure", () => {
  it("every write keeps who, when and old → new", async () => {
    await li.call("PUT", "/v1/accounts", { items: [{ id: "HX-1", name: "温州电器", phone: "0577-1" }] });
    await dir.call("PUT", "/v1/accounts", { items: [{ id: "HX-1", version: 1, phone: "0577-2" }] });
    const h = (await li.call("GET", "/v1/accounts/HX-1/history")).body.items;
    expect(h).toHaveLength(2);
    expect(h[0]).toMatchObject({ by: "m-li", op: "create", version: 1 });
    expect(h[1]).toMatchObject({ by: "d-wang", op: "update", version: 2, changes: [{ field: "phone", old: "0577-1", new: "0577-2" }] });
    expect(Date.parse(h[1].at)).toBeGreaterThan(Date.parse(h[0].at));
  });

  it("directors delete as a tombstone; a since sync sees it; others 403", async () => {
    await li.call("PUT", "/v1/accounts", { items: [{ id: "D-1", name: "待删除客户" }] });
    expect((await li.call("DELETE", "/v1/accounts/D-1")).status).toBe(403);
    const t = Date.now() - 1;
    expect((await dir.call("DELETE", "/v1/accounts/D-1?version=7")).status).toBe(409);
    const del = await dir.call("DELETE", "/v1/accounts/D-1?version=1");
    expect(del.body).toMatchObject({ id: "D-1", version: 2, deleted: true });
    expect((await dir.call("GET", "/v1/accounts/D-1")).status).toBe(404);
    const sync = await li.call("GET", `/v1/accounts?since=${t}`);
    expect(sync.body.items).toContainEqual(expect.objectContaining({ id: "D-1", deleted: true, version: 2 }));
  });

  it("handover: the old owner loses access at once, the new one gains it, and it is recorded", async () => {
    await li.call("PUT", "/v1/accounts", { items: [{ id: "HO-1", name: "交接客户一" }, { id: "HO-2", name: "交接客户二" }] });
    expect((await li.call("POST", "/v1/handovers", { from: "m-li", to: "m-zhang", accountIds: ["HO-1"] })).status).toBe(403);
    const h = await dir.call("POST", "/v1/handovers", { from: "m-li", to: "m-zhang", accountIds: ["HO-1", "HO-2"] });
    expect(h.status).toBe(201);
    expect(h.body).toMatchObject({ from: "m-li", to: "m-zhang", approvedBy: "d-wang", accountIds: ["HO-1", "HO-2"] });
    expect((await li.call("GET", "/v1/accounts/HO-1")).status).toBe(403);
    expect((await li.call("PUT", "/v1/accounts", { items: [{ id: "HO-1", version: 1, phone: "1" }] })).body.items[0].status).toBe("forbidden");
    expect((await zhang.call("GET", "/v1/accounts/HO-1")).body.owner).toBe("m-zhang");
    const hist = (await zhang.call("GET", "/v1/accounts/HO-1/history")).body.items;
    expect(hist[1]).toMatchObject({ op: "handover", by: "d-wang", changes: [{ field: "owner", old: "m-li", new: "m-zhang" }] });
    const records = (await dir.call("GET", "/v1/handovers")).body.items;
    expect(records).toContainEqual(expect.objectContaining({ id: h.body.id, from: "m-li", to: "m-zhang" }));
    const bad = await dir.call("POST", "/v1/handovers", { from: "m-li", to: "ghost" });
    expect(bad.status).toBe(400);
  });

  it("erasure scrubs a contact's personal details from the account and its history, and is recorded", async () => {
    await li.call("PUT", "/v1/accounts", { items: [{ id: "E-1", name: "珠海船舶", contacts: [decider("p1", { birthday: "1968-02-03", family: "已婚" })] }] });
    await li.call("PUT", "/v1/accounts", { items: [{ id: "E-1", version: 1, contacts: [{ id: "p1", personal: { hometown: "广东潮州" } }] }] });
    expect((await li.call("POST", "/v1/erasures", { accountId: "E-1", contactId: "p1" })).status).toBe(403);
    const e = await dir.call("POST", "/v1/erasures", { accountId: "E-1", contactId: "p1" });
    expect(e.status).toBe(200);
    expect(e.body).toMatchObject({ accountId: "E-1", contactId: "p1", version: 3, historyEntriesScrubbed: 2 });
    const account = (await dir.call("GET", "/v1/accounts/E-1")).body;
    expect(account.contacts[0].personal).toBeUndefined();
    const hist = (await dir.call("GET", "/v1/accounts/E-1/history")).body.items;
    const text = JSON.stringify(hist);
    for (const secret of ["1968-02-03", "已婚", "广东潮州"]) expect(text).not.toContain(secret);
    expect(hist.at(-1)).toMatchObject({ op: "erasure", by: "d-wang", version: 3 });
  });
});

describe("users", () => {
  it("admins and directors write the directory; managers 403; an invalid item is per-item invalid", async () => {
    expect((await li.call("PUT", "/v1/users", { items: [{ id: "m-li", team: "south" }] })).status).toBe(403);
    const r = await admin.call("PUT", "/v1/users", {
      items: [{ id: "m-wu", name: "吴海燕", roles: ["manager"], team: "east" }, { id: "m-x", roles: ["manager"] }],
    });
    expect(r.body.items[0]).toMatchObject({ id: "m-wu", status: "created", version: 1 });
    expect(r.body.items[1].status).toBe("invalid");
    const users = (await li.call("GET", "/v1/users")).body.items;
    expect(users).toContainEqual({ id: "m-wu", name: "吴海燕", roles: ["manager"], team: "east" });
  });
});

describe("concurrency", () => {
  it("10 clients × 20 updates on the same 5 accounts: accepted writes each have a version and history entry", async () => {
    const ids = ["CC-1", "CC-2", "CC-3", "CC-4", "CC-5"];
    await dir.call("PUT", "/v1/accounts", { items: ids.map((id) => ({ id, name: `并发客户${id}`, owner: "m-li" })) });
    const clients = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signIn(stack, { sub: `d-${i}`, tid: "demo", name: `总监${i}`, roles: ["Director"] })),
    );
    const accepted: { id: string; version: number; by: string; value: string }[] = [];
    let conflicts = 0;
    await Promise.all(
      clients.map(async (c, ci) => {
        const known: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 1]));
        for (let round = 0; round < 20; round++) {
          const id = ids[(ci + round) % ids.length]!;
          const value = `c${ci}-r${round}`;
          const r = await c.call("PUT", "/v1/accounts", { items: [{ id, version: known[id], phone: value }] });
          const item = r.body.items[0];
          if (item.status === "updated") accepted.push({ id, version: item.version, by: `d-${ci}`, value });
          else {
            expect(item.status).toBe("conflict");
            expect(item.current.id).toBe(id);
            conflicts++;
          }
          known[id] = item.version;
        }
      }),
    );
    // 10 × 20 = 200 attempts, each either accepted or reported as a conflict
    expect(accepted.length + conflicts).toBe(200);
    for (const id of ids) {
      const mine = accepted.filter((a) => a.id === id);
      const account = (await dir.call("GET", `/v1/accounts/${id}`)).body;
      expect(account.version).toBe(mine.length + 1);
      expect(new Set(mine.map((a) => a.version)).size).toBe(mine.length);
      const hist = (await dir.call("GET", `/v1/accounts/${id}/history`)).body.items;
      expect(hist).toHaveLength(mine.length + 1);
      for (const a of mine) {
        expect(hist[a.version - 1]).toMatchObject({ version: a.version, by: a.by, changes: [expect.objectContaining({ field: "phone", new: a.value })] });
      }
    }
  });
});
