import { describe, expect, it } from "vitest";
import { gatewayEvent, type Identity } from "../../local/gateway-events.js";
import { REQUEST_MAX_BYTES } from "../../../shared/src/schemas/api.js";
import { ApiError } from "./errors.js";
import { matchRoute } from "./match.js";
import { authenticate } from "./principal.js";
import { readRequest, type ApiEvent, type ApiRequest, type RouteHandler } from "./request.js";

const LI: Identity = { tid: "t1", oid: "m-li", name: "李明", roles: ["Manager"] };
const noop: RouteHandler = async () => ({ status: 204 });

function read(event: ApiEvent): ApiRequest {
  const found = matchRoute({ "PUT /v1/accounts/{id}": noop }, event)!;
  return readRequest(event, found, authenticate(event.requestContext.authorizer.jwt.claims as Record<string, string>), "req-1");
}

function refusal(event: ApiEvent): { status: number; body: unknown } {
  try {
    read(event);
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.body("en").error };
    throw e;
  }
  throw new Error("no refusal");
}

const put = (extra: { body?: unknown; headers?: Record<string, string>; id?: string } = {}) =>
  gatewayEvent(LI, { routeKey: "PUT /v1/accounts/{id}", params: { id: extra.id ?? "A1" }, ...(extra.body !== undefined ? { body: extra.body } : {}), ...(extra.headers ? { headers: extra.headers } : {}) });

describe("request step", () => {
  it("builds the request: lower-cased headers, language, parsed body, raw body, key, path parameters", () => {
    const req = read(put({ body: { name: "厦门港务" }, headers: { "Accept-Language": "zh-CN", "Idempotency-Key": "k-1" } }));
    expect(req).toMatchObject({ method: "PUT", path: "/v1/accounts/A1", routeKey: "PUT /v1/accounts/{id}", pathParameters: { id: "A1" }, body: { name: "厦门港务" }, lang: "zh", idempotencyKey: "k-1", requestId: "req-1" });
    expect(req.rawBody).toBe(JSON.stringify({ name: "厦门港务" }));
    expect(req.bodyBytes).toBe(Buffer.byteLength(req.rawBody));
    expect(req.principal.tenant).toBe("t1");
  });

  it("a base64 body is decoded; its raw form stays what the gateway sent", () => {
    const e = put();
    e.body = Buffer.from('{"a":1}').toString("base64");
    e.isBase64Encoded = true;
    e.headers["content-type"] = "application/json";
    const req = read(e);
    expect([req.body, req.rawBody, req.bodyBytes]).toEqual([{ a: 1 }, e.body, 7]);
  });

  it("refuses a bad path id, a bad Idempotency-Key, an oversize body, a non-JSON or compressed body, bad UTF-8 and bad JSON", () => {
    expect(refusal(put({ id: "a\u202eb" }))).toMatchObject({ status: 400, body: { code: "invalid", message: "invalid id in the path", details: [{ path: "id" }] } });
    expect(refusal(put({ headers: { "idempotency-key": "no spaces" } }))).toMatchObject({ status: 400, body: { details: [{ path: "Idempotency-Key" }] } });
    expect(refusal(put({ body: "x".repeat(REQUEST_MAX_BYTES + 1) })).status).toBe(413);
    expect(refusal(put({ body: "{}", headers: { "content-type": "text/plain" } }))).toMatchObject({ status: 415, body: { details: [{ path: "Content-Type" }] } });
    expect(refusal(put({ body: "{}", headers: { "content-type": "application/json; charset=latin1" } })).status).toBe(415);
    expect(refusal(put({ body: "{}", headers: { "content-encoding": "gzip" } }))).toMatchObject({ status: 415, body: { details: [{ path: "Content-Encoding" }] } });
    expect(refusal(put({ body: "{\"a\":" }))).toMatchObject({ status: 400, body: { message: "malformed JSON body" } });
    expect(refusal(put({ body: "\"\uD800\"" }))).toMatchObject({ status: 400, body: { message: "the body is not valid UTF-8" } });
    const bytes = put({ body: "x" });
    bytes.body = Buffer.from([0x22, 0xff, 0x22]).toString("base64");
    bytes.isBase64Encoded = true;
    expect(refusal(bytes)).toMatchObject({ status: 400, body: { message: "the body is not valid UTF-8" } });
  });
});

describe("route matching", () => {
  it("by the gateway's route key, else by method and path template; no match → undefined", () => {
    const routes = { "GET /v1/accounts/{id}": noop, "GET /v1/accounts": noop };
    const byKey = gatewayEvent(LI, { routeKey: "GET /v1/accounts/{id}", params: { id: "A 1" } });
    expect(matchRoute(routes, byKey)).toMatchObject({ key: "GET /v1/accounts/{id}", params: { id: "A 1" } });
    const byPath = { ...byKey, routeKey: "$default" };
    expect(matchRoute(routes, byPath)).toMatchObject({ key: "GET /v1/accounts/{id}", params: { id: "A 1" } });
    expect(matchRoute(routes, { ...byPath, rawPath: "/v1/nothing" })).toBeUndefined();
  });
});
