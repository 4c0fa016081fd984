import { describe, expect, it } from "vitest";
import { ApiError } from "../http/errors.js";
import { outcomeResponse } from "./idempotency.js";

function refusal(run: () => unknown, lang: "zh" | "en" = "en") {
  try {
    run();
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, error: e.body(lang).error };
    throw e;
  }
  throw new Error("no refusal");
}

describe("idempotency outcomes as HTTP", () => {
  it("fresh: the run's own response; replay: the stored one marked idempotent-replayed", () => {
    const response = { status: 200, body: { items: [] }, headers: { etag: "v1" } };
    expect(outcomeResponse({ kind: "fresh", response }, "en")).toBe(response);
    expect(outcomeResponse({ kind: "replay", response }, "en")).toEqual({ ...response, headers: { etag: "v1", "idempotent-replayed": "true" } });
    expect(outcomeResponse({ kind: "replay", response: { status: 404 } }, "en").headers).toEqual({ "idempotent-replayed": "true" });
  });

  it("conflicts are 409s in the request's language; an unreadable stored response a 500", () => {
    expect(refusal(() => outcomeResponse({ kind: "conflict", reason: "differentRequest" }, "zh"), "zh")).toEqual({
      status: 409,
      error: { code: "conflict", message: "该 Idempotency-Key 已用于另一个不同的请求", details: [{ path: "Idempotency-Key", message: "新的请求请使用新的 Idempotency-Key" }] },
    });
    expect(refusal(() => outcomeResponse({ kind: "conflict", reason: "inProgress" }, "en"))).toEqual({
      status: 409,
      error: { code: "conflict", message: "a request with this Idempotency-Key is still in progress; retry later", details: [] },
    });
    expect(refusal(() => outcomeResponse({ kind: "conflict", reason: "vanished" }, "en")).error.message).toBe("Idempotency-Key is being reused; retry");
    expect(refusal(() => outcomeResponse({ kind: "unreadable" }, "en"))).toEqual({ status: 500, error: { code: "internal", message: "stored idempotent response unreadable", details: [] } });
  });
});
