import { describe, expect, it } from "vitest";
import { parseScoringModel } from "../scoring/model.js";
import { AccountWriteSchema } from "./account.js";
import { CollectionsQuerySchema, EvalRequestSchema, HandoverSchema } from "./api.js";
import { ContractWriteSchema } from "./contract.js";
import { issueMessage } from "./messages.js";
import { validate } from "./validation.js";

const CJK = /[\u4e00-\u9fff]/;

describe("validation messages in zh and en (our own texts, no zod locale)", () => {
  it("built-in issue codes: type, size, format, enum, unknown field", () => {
    const bad = { id: "A 1", name: 5, contacts: [{ id: "c1", email: "x" }], website: "w".repeat(501), ownershipType: "martian", colour: "red" };
    const en = validate(AccountWriteSchema, bad, "en");
    const zh = validate(AccountWriteSchema, bad, "zh");
    expect(en.ok || zh.ok).toBe(false);
    if (en.ok || zh.ok) return;
    const by = (d: { path: string; message: string }[]) => Object.fromEntries(d.map((x) => [x.path, x.message]));
    expect(by(en.details)).toEqual({
      id: "id must not contain spaces, control or bidirectional-text characters, or any of # / \\ ? %",
      name: "Invalid input: expected string, received number",
      "contacts[0].email": "expected an e-mail address",
      website: "Too big: expected string to have <=500 characters",
      ownershipType: expect.stringMatching(/^Invalid option: expected one of "stateOwned"\|/),
      colour: "unknown field",
    });
    const zhBy = by(zh.details);
    expect(Object.keys(zhBy).sort()).toEqual(Object.keys(by(en.details)).sort());
    for (const m of Object.values(zhBy)) expect(m).toMatch(CJK);
    expect(zhBy.website).toBe("过长：最多 500 个字符");
    expect(zhBy.colour).toBe("未知字段");
  });

  it("schema rules (refinements, superRefine, transforms) carry both texts", () => {
    const contract = { id: "K1", accountId: "A1", signedDate: "2026-02-30", amountYuan: 100, instalments: [{ id: "i", dueDate: "2026-03-01", amountYuan: 150 }] };
    const en = validate(ContractWriteSchema, contract, "en");
    const zh = validate(ContractWriteSchema, contract, "zh");
    expect(!en.ok && en.details).toEqual([
      { path: "signedDate", message: "expected a date YYYY-MM-DD" },
      { path: "instalments", message: "instalments total 150 yuan, more than the contract amount 100" },
    ]);
    expect(!zh.ok && zh.details).toEqual([
      { path: "signedDate", message: "应为日期 YYYY-MM-DD" },
      { path: "instalments", message: "分期合计 150 元，超过合同金额 100 元" },
    ]);
    const q = validate(CollectionsQuerySchema, { scope: "account:", period: "2026-13" }, "zh");
    expect(!q.ok && q.details.map((d) => d.path)).toEqual(["scope", "period"]);
    expect(!q.ok && q.details.every((d) => CJK.test(d.message))).toBe(true);
    const h = validate(HandoverSchema, { from: "u1", to: "u1" }, "zh");
    expect(!h.ok && h.details).toEqual([{ path: "to", message: "不能交接给同一位经理" }]);
  });

  it("a limit with its own message is reported even when the items are invalid too", () => {
    const calls = Array.from({ length: 1001 }, () => ({ fn: "SCORE", args: [] }));
    calls[0] = { fn: "1bad", args: [] };
    const r = validate(EvalRequestSchema, { calls }, "zh");
    expect(!r.ok && r.details).toEqual([
      { path: "calls[0].fn", message: "不是函数名" },
      { path: "calls", message: "每个请求最多 1000 次调用" },
    ]);
  });

  it("every issue code has a Chinese text", () => {
    const issues = [
      { code: "invalid_type", expected: "number", input: "x" },
      { code: "invalid_type", expected: "string", input: undefined },
      { code: "invalid_value", values: ["a", "b"], input: "c" },
      { code: "too_big", origin: "number", maximum: 5, inclusive: true, input: 6 },
      { code: "too_small", origin: "array", minimum: 1, inclusive: true, input: [] },
      { code: "invalid_format", format: "regex", pattern: "/x/", input: "y" },
      { code: "not_multiple_of", divisor: 3, input: 4 },
      { code: "unrecognized_keys", keys: ["a"], input: {} },
      { code: "invalid_key", origin: "record", issues: [], input: {} },
      { code: "invalid_element", origin: "map", key: "k", issues: [], input: {} },
      { code: "invalid_union", errors: [], input: 1 },
      { code: "custom", input: 1 },
    ] as unknown as Parameters<typeof issueMessage>[0][];
    for (const i of issues) {
      expect(issueMessage(i, "zh")).toMatch(CJK);
      expect(issueMessage(i, "en")).not.toMatch(CJK);
    }
  });

  it("an invalid scoring model explains itself in both languages", () => {
    const r = parseScoringModel({ id: "Bad Id", name: { zh: "x", en: "x" }, version: 1, inputs: [], items: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message.en).toContain("id: id is lower-case letters, digits and -");
    expect(r.error.message.zh).toContain("id: id 由小写字母、数字和 - 组成");
    expect(r.error.message.zh).toContain("inputs: 过短：至少 1 项");
  });
});
