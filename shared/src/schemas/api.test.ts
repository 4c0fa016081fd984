import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import {
  BatchItemResult,
  BatchItemResultSchema,
  CollectionsQuerySchema,
  ErasureSchema,
  ErrorBodySchema,
  EvalRequestSchema,
  EvalResponseSchema,
  HandoverSchema,
  HistoryEntrySchema,
  ListResponse,
  AccountSchema,
  parseCollectionScope,
  validate,
  zodIssuesToDetails,
  formatPath,
} from "./index.js";

function paths(r: { ok: boolean; details?: { path: string }[] }): string[] {
  return r.ok ? [] : r.details!.map((d) => d.path).sort();
}

describe("batch results and lists", () => {
  it("per-item result statuses", () => {
    for (const status of ["created", "updated", "unchanged", "conflict", "invalid", "forbidden"])
      expect(validate(BatchItemResultSchema, { id: "a", status }).ok).toBe(true);
    expect(paths(validate(BatchItemResultSchema, { id: "a", status: "deleted" }))).toEqual(["status"]);
    expect(validate(BatchItemResultSchema, { id: "a", status: "invalid", errors: [{ path: "items[0].phone", message: "too long" }] }).ok).toBe(true);
  });
  it("a conflict result carries the current item, validated by the given schema", () => {
    const R = BatchItemResult(AccountSchema);
    expect(validate(R, { id: "a", status: "conflict", version: 4, current: { id: "a", version: 4, name: "甲", owner: "u1" } }).ok).toBe(true);
    expect(paths(validate(R, { id: "a", status: "conflict", current: { id: "a" } }))).toEqual(["current.name", "current.owner", "current.version"]);
  });
  it("list answers {items, next?}", () => {
    const L = ListResponse(z.string());
    expect(validate(L, { items: ["a"], next: "cursor" }).ok).toBe(true);
    expect(validate(L, { items: [] }).ok).toBe(true);
    expect(paths(validate(L, { items: [], cursor: "x" }))).toEqual(["cursor"]);
  });
});

describe("history, handover, erasure", () => {
  it("history entry: who, when, op, field changes", () => {
    const e = { at: "2026-03-01T08:00:00Z", by: "u1", op: "update", version: 4, changes: [{ field: "phone", old: "010-1", new: "010-2" }, { field: "contacts[c1]", new: { id: "c1" } }] };
    expect(validate(HistoryEntrySchema, e).ok).toBe(true);
    expect(paths(validate(HistoryEntrySchema, { ...e, op: "edit", at: "yesterday" }))).toEqual(["at", "op"]);
  });
  it("handover from → to (not the same), optional accounts", () => {
    expect(validate(HandoverSchema, { from: "u1", to: "u2" }).ok).toBe(true);
    expect(validate(HandoverSchema, { from: "u1", to: "u2", accountIds: ["KA-1"] }).ok).toBe(true);
    expect(paths(validate(HandoverSchema, { from: "u1", to: "u1" }))).toEqual(["to"]);
    expect(paths(validate(HandoverSchema, { from: "u1", to: "u2", accountIds: [] }))).toEqual(["accountIds"]);
  });
  it("erasure names account and contact", () => {
    expect(validate(ErasureSchema, { accountId: "KA-1", contactId: "c1" }).ok).toBe(true);
    expect(paths(validate(ErasureSchema, { accountId: "KA-1" }))).toEqual(["contactId"]);
  });
});

describe("/v1/eval envelopes (docs/contracts.md §3)", () => {
  it("accepts scalars, null for omitted, 2-D ranges with error cells", () => {
    const body = { calls: [{ fn: "SCORE", args: [1_150_000, "ka-manager", true, null, [[1, "a"], [{ error: { code: "#N/A", message: "" } }, null]]] }, { fn: "KAM.GRADE", args: [] }] };
    expect(validate(EvalRequestSchema, body).ok).toBe(true);
  });
  it("rejects ragged ranges, bad error codes (path into the cell), non-finite numbers, 1001 calls", () => {
    expect(paths(validate(EvalRequestSchema, { calls: [{ fn: "X", args: [[[1, 2], [3]]] }] }))).toEqual(["calls[0].args[0]"]);
    expect(paths(validate(EvalRequestSchema, { calls: [{ fn: "X", args: [[[{ error: { code: "#OOPS", message: "" } }]]] }] }))).toEqual(["calls[0].args[0][0][0].error.code"]);
    expect(paths(validate(EvalRequestSchema, { calls: [{ fn: "X", args: [Infinity] }] }))).toEqual(["calls[0].args[0]"]);
    expect(validate(EvalRequestSchema, { calls: Array.from({ length: 1000 }, () => ({ fn: "X", args: [] })) }).ok).toBe(true);
    expect(paths(validate(EvalRequestSchema, { calls: Array.from({ length: 1001 }, () => ({ fn: "X", args: [] })) }))).toEqual(["calls"]);
    expect(paths(validate(EvalRequestSchema, { calls: [{ fn: "1=1", args: [] }] }))).toEqual(["calls[0].fn"]);
  });
  it("response: {value} or {error} per call", () => {
    const res = { results: [{ value: 28 }, { value: [[1, { error: { code: "#DIV/0!", message: "计划为 0" } }]] }, { error: { code: "#N/A", message: "missing salesPlan" } }] };
    expect(validate(EvalResponseSchema, res).ok).toBe(true);
    expect(validate(EvalResponseSchema, { results: [{ value: 1, error: { code: "#N/A", message: "" } }] }).ok).toBe(false);
  });
});

describe("collections query (docs/contracts.md §11)", () => {
  it("scope grammar", () => {
    expect(parseCollectionScope("*")).toEqual({ kind: "all" });
    expect(parseCollectionScope("account:KA-1")).toEqual({ kind: "account", id: "KA-1" });
    expect(parseCollectionScope("owner:u1")).toEqual({ kind: "owner", id: "u1" });
    expect(parseCollectionScope("team:east")).toEqual({ kind: "team", id: "east" });
    expect(parseCollectionScope("中建材料集团有限公司")).toEqual({ kind: "accountRef", ref: "中建材料集团有限公司" });
    expect(parseCollectionScope("owner:")).toBeUndefined();
    expect(parseCollectionScope(" ")).toBeUndefined();
  });
  it("period canonical, asOf ISO", () => {
    const r = validate(CollectionsQuerySchema, { scope: "team:east", period: "2026q2", asOf: "2026-05-31" });
    expect(r.ok && r.value).toEqual({ scope: { kind: "team", id: "east" }, period: "2026-Q2", asOf: "2026-05-31" });
    expect(paths(validate(CollectionsQuerySchema, { scope: "", period: "Q2", asOf: "31/05/2026" }))).toEqual(["asOf", "period", "scope"]);
  });
});

describe("error body and zod issue mapping", () => {
  it("error body shape", () => {
    expect(validate(ErrorBodySchema, { error: { code: "invalid", message: "bad", details: [{ path: "items[0].x", message: "unknown field" }] } }).ok).toBe(true);
    expect(validate(ErrorBodySchema, { error: { code: "invalid", message: "bad" } }).ok).toBe(false);
  });
  it("formatPath writes indexes in brackets and odd keys quoted", () => {
    expect(formatPath(["items", 3, "contacts", 0, "email"])).toBe("items[3].contacts[0].email");
    expect(formatPath([0, "a b"])).toBe('[0]["a b"]');
    expect(formatPath([])).toBe("");
  });
  it("zodIssuesToDetails gives one detail per unknown key", () => {
    const S = z.strictObject({ a: z.strictObject({ b: z.number() }) });
    const r = S.safeParse({ a: { b: "x", c: 1, d: 2 } });
    expect(r.success).toBe(false);
    if (!r.success)
      expect(zodIssuesToDetails(r.error)).toEqual([
        { path: "a.b", message: "Invalid input: expected number, received string" },
        { path: "a.c", message: "unknown field" },
        { path: "a.d", message: "unknown field" },
      ]);
  });
});
