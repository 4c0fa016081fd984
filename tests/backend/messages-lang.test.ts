import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { DIRECTOR, FINANCE, MANAGER_LI, signInAll, startTestStack, type ApiClient } from "./helpers.js";

/**
 * Messages the store and the handlers write themselves (not zod's) follow Accept-Language:
 * a zh-CN request reads Chinese details, any other English — over real HTTP on loopback.
 */
let stack: LocalStack;
let dir: ApiClient, li: ApiClient, fin: ApiClient;
const ZH = { "accept-language": "zh-CN,zh;q=0.9" };

beforeAll(async () => {
  stack = await startTestStack();
  [dir, li, fin] = await signInAll(stack, [DIRECTOR, MANAGER_LI, FINANCE]);
});
afterAll(async () => {
  await stack?.stop();
});

describe("store messages in the request's language", () => {
  it("a proposal on an unknown target", async () => {
    const path = "/v1/targets/manager:m-li:2027-Q1/proposals";
    const zh = await li.call("POST", path, { amountYuan: 1_000_000 }, ZH);
    expect(zh.status).toBe(404);
    expect(zh.body.error).toEqual({ code: "not_found", message: "没有指标 manager:m-li:2027-Q1", details: [{ path: "id", message: "没有指标 manager:m-li:2027-Q1" }] });
    const en = await li.call("POST", path, { amountYuan: 1_000_000 });
    expect(en.body.error.details).toEqual([{ path: "id", message: "no target manager:m-li:2027-Q1" }]);
  });

  it("a target set for an unknown manager (per-item detail)", async () => {
    const item = { level: "manager", subject: "ghost", period: "2027-Q1", amountYuan: 1_000_000 };
    const zh = await dir.call("PUT", "/v1/targets", { items: [item] }, ZH);
    expect(zh.body.items[0].errors).toEqual([{ path: "subject", message: "用户目录中没有 ghost" }]);
    const en = await dir.call("PUT", "/v1/targets", { items: [item] });
    expect(en.body.items[0].errors).toEqual([{ path: "subject", message: "unknown user ghost" }]);
  });

  it("a payment for an unknown contract", async () => {
    const items = [{ id: "PAY-LANG-1", contractId: "CON-NONE", date: "2026-03-05", amountYuan: 100 }];
    const zh = await fin.call("PUT", "/v1/payments", { items }, ZH);
    expect(zh.status).toBe(200);
    expect(zh.body.items[0]).toEqual({ id: "PAY-LANG-1", status: "invalid", errors: [{ path: "contractId", message: "没有合同 CON-NONE" }] });
    const en = await fin.call("PUT", "/v1/payments", { items });
    expect(en.body.items[0].errors).toEqual([{ path: "contractId", message: "unknown contract CON-NONE" }]);
  });

  it("an unknown owner in PUT /v1/accounts", async () => {
    const items = [{ id: "LANG-A1", name: "厦门港务", owner: "ghost" }];
    const zh = await dir.call("PUT", "/v1/accounts", { items }, ZH);
    expect(zh.body.items[0]).toEqual({ id: "LANG-A1", status: "invalid", errors: [{ path: "owner", message: "负责人：用户目录中没有 ghost" }] });
    const en = await dir.call("PUT", "/v1/accounts", { items });
    expect(en.body.items[0].errors[0].message).toMatch(/^owner: unknown user ghost/);
  });

  it("an Idempotency-Key reused with a different body", async () => {
    const first = await li.call("PUT", "/v1/accounts", { items: [{ id: "LANG-I1", name: "x" }] }, { ...ZH, "idempotency-key": "lang-0001" });
    expect(first.status).toBe(200);
    const zh = await li.call("PUT", "/v1/accounts", { items: [{ id: "LANG-I2", name: "y" }] }, { ...ZH, "idempotency-key": "lang-0001" });
    expect(zh.status).toBe(409);
    expect(zh.body.error).toEqual({
      code: "conflict",
      message: "该 Idempotency-Key 已用于另一个不同的请求",
      details: [{ path: "Idempotency-Key", message: "新的请求请使用新的 Idempotency-Key" }],
    });
    const en = await li.call("PUT", "/v1/accounts", { items: [{ id: "LANG-I2", name: "y" }] }, { "idempotency-key": "lang-0001" });
    expect(en.body.error.message).toBe("Idempotency-Key was already used for a different request");
    expect(en.body.error.details).toEqual([{ path: "Idempotency-Key", message: "use a new key for a new request" }]);
  });

  it("a refused account write and a bad page token", async () => {
    const zh = await li.call("PUT", "/v1/accounts", { items: [{ id: "LANG-A2", name: "x", owner: "m-zhang" }] }, ZH);
    expect(zh.body.items[0]).toEqual({ id: "LANG-A2", status: "forbidden", errors: [{ path: "owner", message: "客户经理新建的客户只能由自己负责" }] });
    const en = await li.call("PUT", "/v1/accounts", { items: [{ id: "LANG-A2", name: "x", owner: "m-zhang" }] });
    expect(en.body.items[0].errors).toEqual([{ path: "owner", message: "a manager creates accounts owned by themselves" }]);
    const page = await dir.call("GET", "/v1/accounts?next=bogus", undefined, ZH);
    expect(page.status).toBe(400);
    expect(page.body.error).toEqual({ code: "invalid", message: "查询参数无效", details: [{ path: "next", message: "翻页令牌无效" }] });
  });

  it("request-level refusals: a malformed Idempotency-Key, an unknown scoring model", async () => {
    const key = await li.call("PUT", "/v1/accounts", { items: [] }, { ...ZH, "idempotency-key": "bad key!" });
    expect(key.status).toBe(400);
    expect(key.body.error).toEqual({ code: "invalid", message: "Idempotency-Key 无效", details: [{ path: "Idempotency-Key", message: "1–128 个字符：字母、数字、. _ : -" }] });
    const model = await dir.call("GET", "/v1/models/NO-MODEL", undefined, ZH);
    expect([model.status, model.body.error.message]).toEqual([404, "没有评分模型 NO-MODEL"]);
  });

  it("the same id twice in one batch of users or teams (the directory's writes follow the language too)", async () => {
    for (const [path, item] of [
      ["/v1/users", { id: "LANG-U1", name: "x" }],
      ["/v1/teams", { id: "LANG-T1", name: "语言组" }],
    ] as const) {
      const zh = await dir.call("PUT", path, { items: [item, item] }, ZH);
      expect(zh.status).toBe(200);
      expect(zh.body.items[1]).toEqual({ id: item.id, status: "invalid", errors: [{ path: "id", message: "同一 id 在本批中出现了两次" }] });
      const en = await dir.call("PUT", path, { items: [item, item] });
      expect(en.body.items[1].errors).toEqual([{ path: "id", message: "the same id appears twice in this batch" }]);
    }
  });

  it("a batch envelope with an unknown field", async () => {
    const zh = await dir.call("PUT", "/v1/accounts", { items: [], extra: 1 }, ZH);
    expect(zh.status).toBe(400);
    expect(zh.body.error).toEqual({ code: "invalid", message: "请求格式无效", details: [{ path: "extra", message: "未知字段" }] });
  });
});
