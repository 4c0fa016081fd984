import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { authenticate } from "../http/principal.js";
import type { ApiRequest } from "../http/request.js";
import { batchUpsert, writeOptions } from "./batch.js";

function request(body: unknown, extra: Partial<ApiRequest> = {}): ApiRequest {
  return {
    method: "PUT", path: "/v1/things", routeKey: "PUT /v1/things", pathParameters: {}, query: {}, headers: {}, body, bodyBytes: 0, rawBody: "",
    principal: authenticate({ tid: "t1", sub: "u1" }), requestId: "r1", lang: "en", ...extra,
  };
}

const Item = z.strictObject({ id: z.string(), n: z.number() });

describe("batchUpsert", () => {
  it("writes the valid items in order and answers every result at its request index", async () => {
    const seen: unknown[] = [];
    const res = await batchUpsert(request({ items: [{ id: "a", n: 1 }, { id: "b" }, { id: "c", n: 3 }] }), Item, async (items) => {
      seen.push(...items);
      return items.map((i) => ({ id: i.id, status: "created" as const, version: i.n }));
    });
    expect(seen).toEqual([{ id: "a", n: 1 }, { id: "c", n: 3 }]);
    expect(res.status).toBe(200);
    const items = (res.body as { items: { id: string; status: string }[] }).items;
    expect(items.map((r) => [r.id, r.status])).toEqual([["a", "created"], ["b", "invalid"], ["c", "created"]]);
  });

  it("a wrong envelope is refused before anything is written", async () => {
    let wrote = false;
    await expect(batchUpsert(request([]), Item, async () => ((wrote = true), []))).rejects.toMatchObject({ status: 400 });
    expect(wrote).toBe(false);
  });
});

describe("writeOptions", () => {
  it("the idempotency key only when the request has one, always the language", () => {
    expect(writeOptions(request({}, { lang: "zh" }))).toEqual({ lang: "zh" });
    expect(writeOptions(request({}, { idempotencyKey: "k1" }))).toEqual({ idempotencyKey: "k1", lang: "en" });
  });
});
