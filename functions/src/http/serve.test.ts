import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { gatewayEvent, type Identity } from "../../local/gateway-events.js";
import { setLogSink } from "../log.js";
import { httpErrors } from "./errors.js";
import { json, type ApiResponse, type RouteHandler } from "./request.js";
import { serve, type Step } from "./serve.js";
import { parse } from "./validate.js";

const LI: Identity = { tid: "t1", oid: "m-li", name: "李明", roles: ["Manager"] };
let lines: Record<string, unknown>[];
beforeEach(() => {
  lines = [];
  setLogSink((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
});
afterEach(() => setLogSink("off"));

const routes: Record<string, RouteHandler> = {
  "GET /v1/me": async (req) => json(200, { id: req.principal.userId }),
  "PUT /v1/things/{id}": async (req) => json(200, parse(z.object({ n: z.number() }), req.body, req.lang, "thing")),
  "GET /v1/boom": async () => {
    throw new TypeError("secret 13800138000 in a defect");
  },
  "GET /v1/refused": async () => {
    throw httpErrors.forbidden({ zh: "不可以", en: "not you" });
  },
};

describe("serve: the edge's steps composed", () => {
  it("runs the steps in order around the route function; a step sees the route's 4xx as a response", async () => {
    const seen: string[] = [];
    const tag =
      (name: string): Step =>
      async (req, next) => {
        seen.push(`${name}>`);
        const res: ApiResponse = await next();
        seen.push(`<${name} ${res.status}`);
        return { ...res, headers: { ...(res.headers ?? {}), [`x-${name}`]: req.routeKey } };
      };
    const handler = serve(routes, [tag("a"), tag("b")]);
    const ok = await handler(gatewayEvent(LI, { routeKey: "GET /v1/me" }));
    expect(ok).toEqual({ statusCode: 200, headers: { "content-type": "application/json; charset=utf-8", "x-b": "GET /v1/me", "x-a": "GET /v1/me" }, body: '{"id":"m-li"}' });
    expect(seen).toEqual(["a>", "b>", "<b 200", "<a 200"]);
    seen.length = 0;
    const refused = await handler(gatewayEvent(LI, { routeKey: "GET /v1/refused", headers: { "accept-language": "zh-CN" } }));
    expect([refused.statusCode, JSON.parse(refused.body as string)]).toEqual([403, { error: { code: "forbidden", message: "不可以", details: [] } }]);
    expect(seen).toEqual(["a>", "b>", "<b 403", "<a 403"]);
  });

  it("no principal → 401 and no step runs; an unknown route → 404; validation → 400 naming the path", async () => {
    const ran: string[] = [];
    const handler = serve(routes, [async (req, next) => (ran.push(req.routeKey), next())]);
    const anonymous = gatewayEvent(LI, { routeKey: "GET /v1/me" });
    anonymous.requestContext.authorizer.jwt.claims = {};
    expect((await handler(anonymous)).statusCode).toBe(401);
    const unknown = await handler({ ...gatewayEvent(LI, { routeKey: "GET /v1/me" }), routeKey: "$default", rawPath: "/v1/nope" });
    expect([unknown.statusCode, JSON.parse(unknown.body as string).error.message]).toEqual([404, "no route GET /v1/nope"]);
    const bad = await handler(gatewayEvent(LI, { routeKey: "PUT /v1/things/{id}", params: { id: "T1" }, body: { n: "1" } }));
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body as string).error.details[0].path).toBe("thing.n");
    expect(ran).toEqual(["PUT /v1/things/{id}"]);
  });

  it("a defect is a 500 without detail, logged as `unhandled`; one `request` line per request, never a name or body", async () => {
    const handler = serve(routes, []);
    const res = await handler(gatewayEvent(LI, { routeKey: "GET /v1/boom" }));
    expect([res.statusCode, JSON.parse(res.body as string)]).toEqual([500, { error: { code: "internal", message: "internal error", details: [] } }]);
    await handler(gatewayEvent(LI, { routeKey: "PUT /v1/things/{id}", params: { id: "T1" }, body: { n: 1, name: "李明" } }));
    const [unhandled, first, second] = lines;
    expect(unhandled).toMatchObject({ level: "error", msg: "unhandled", route: "GET /v1/boom", error: "TypeError: secret 13800138000 in a defect" });
    expect(first).toMatchObject({ level: "info", msg: "request", route: "GET /v1/boom", status: 500, tenant: "t1", user: "m-li" });
    expect(second).toMatchObject({ msg: "request", route: "PUT /v1/things/{id}", status: 200 });
    expect(Object.keys(second!).sort()).toEqual(["level", "ms", "msg", "requestId", "route", "status", "tenant", "time", "user"]);
    expect(JSON.stringify(lines)).not.toContain("李明");
  });

  it("before the caller is known the request line has no tenant or user", async () => {
    const anonymous = gatewayEvent(LI, { routeKey: "GET /v1/me" });
    anonymous.requestContext.authorizer.jwt.claims = { tid: "t1" };
    await serve(routes, [])(anonymous);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: "request", route: "GET /v1/me", status: 401 });
    expect(lines[0]).not.toHaveProperty("tenant");
  });
});
