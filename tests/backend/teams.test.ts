import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { ADMIN, DIRECTOR, FINANCE, FOREIGN_DIRECTOR, MANAGER_LI, MANAGER_ZHANG, signInAll, startTestStack, type ApiClient } from "./helpers.js";

/**
 * Teams (docs/contracts.md §9), collection scopes by name and the handover rules over real HTTP
 * against the local stack (dynalite, demo seed).
 */
let stack: LocalStack;
let director: ApiClient, li: ApiClient, zhang: ApiClient, finance: ApiClient, admin: ApiClient, foreign: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  [director, li, zhang, finance, admin, foreign] = await signInAll(stack, [DIRECTOR, MANAGER_LI, MANAGER_ZHANG, FINANCE, ADMIN, FOREIGN_DIRECTOR]);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("GET/PUT /v1/teams", () => {
  it("every signed-in role reads the demo tenant's team names", async () => {
    for (const c of [director, li, finance, admin]) {
      const r = await c.call("GET", "/v1/teams");
      expect(r.status).toBe(200);
      expect(r.body.items).toEqual(expect.arrayContaining([{ id: "east", name: "华东" }, { id: "south", name: "华南" }]));
    }
  });

  it("admins and directors write; others are refused in the caller's language", async () => {
    const zh = await li.call("PUT", "/v1/teams", { items: [{ id: "east", name: "东区" }] }, { "accept-language": "zh-CN" });
    expect(zh.status).toBe(403);
    expect(zh.body.error.message).toBe("只有管理员和总监可以维护团队");
    const en = await finance.call("PUT", "/v1/teams", { items: [] }, { "accept-language": "en-US" });
    expect(en.status).toBe(403);
    expect(en.body.error.message).toBe("only admins and directors manage teams");

    const w = await admin.call("PUT", "/v1/teams", { items: [{ id: "north", name: "华北" }] });
    expect(w.status).toBe(200);
    expect(w.body.items[0]).toMatchObject({ id: "north", status: "created", version: 1 });
    const rename = await director.call("PUT", "/v1/teams", { items: [{ id: "north", name: "华北大区" }] });
    expect(rename.body.items[0]).toMatchObject({ id: "north", status: "updated", version: 2 });
    expect((await li.call("GET", "/v1/teams")).body.items).toContainEqual({ id: "north", name: "华北大区" });
  });

  it("a name is unique in the tenant; bad items name their field; the rest of the batch is written", async () => {
    const r = await director.call(
      "PUT",
      "/v1/teams",
      { items: [{ id: "west", name: "华东" }, { id: "bad id", name: "西部" }, { id: "mid", name: " " }, { id: "central", name: "华中" }] },
      { "accept-language": "zh-CN" },
    );
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { status: string }) => i.status)).toEqual(["invalid", "invalid", "invalid", "created"]);
    expect(r.body.items[0].errors).toEqual([{ path: "name", message: "团队“east”已使用名称“华东”" }]);
    expect(r.body.items[1].errors[0].path).toBe("id");
    expect(r.body.items[2].errors[0].path).toBe("name");
    const names = (await director.call("GET", "/v1/teams")).body.items.map((t: { name: string }) => t.name);
    expect(names.filter((n: string) => n === "华东")).toHaveLength(1);
  });

  it("another company sees none of these teams and its writes stay in its own tenant", async () => {
    expect((await foreign.call("GET", "/v1/teams")).body.items).toEqual([]);
    expect((await foreign.call("PUT", "/v1/teams", { items: [{ id: "east", name: "东部" }] })).body.items[0].status).toBe("created");
    expect((await director.call("GET", "/v1/teams")).body.items).toContainEqual({ id: "east", name: "华东" });
    expect((await foreign.call("GET", "/v1/teams")).body.items).toEqual([{ id: "east", name: "东部" }]);
  });

  it("a wrong envelope is a 400", async () => {
    const r = await director.call("PUT", "/v1/teams", { teams: [] });
    expect(r.status).toBe(400);
  });
});

describe("collection scopes by name (owner:<name>, team:<name>)", () => {
  const get = (c: ApiClient, scope: string, lang = "en-US") => c.call("GET", `/v1/collections?scope=${encodeURIComponent(scope)}&period=2026-Q2`, undefined, { "accept-language": lang });
  const ids = (body: { rows: { accountId: string }[] }) => body.rows.map((r) => r.accountId).sort();

  it("a name gives the same report as the id, for the API and KAM.COLLECTION", async () => {
    const byId = await get(finance, "owner:m-li");
    const byName = await get(finance, "owner:李明");
    expect(byName.status).toBe(200);
    expect(ids(byName.body)).toEqual(ids(byId.body));
    expect(byName.body.rows).toHaveLength(15);
    expect(byName.body.dueYuan).toBe(byId.body.dueYuan);
    const team = await get(finance, "team:华东");
    expect(ids(team.body)).toEqual(ids((await get(finance, "team:east")).body));
    expect(team.body.collectedYuan).toBe(byId.body.collectedYuan); // 李明 is the only manager in 华东
    const ev = await finance.call("POST", "/v1/eval", { calls: [
      { fn: "COLLECTION", args: ["owner:李明", "2026-Q2", "due"] },
      { fn: "COLLECTION", args: ["owner:m-li", "2026-Q2", "due"] },
      { fn: "COLLECTION", args: ["team:华南", "2026-Q2", "collected"] },
      { fn: "COLLECTION", args: ["team:south", "2026-Q2", "collected"] },
    ] });
    expect(ev.status).toBe(200);
    const v = ev.body.results.map((r: { value: number }) => r.value);
    expect(v[0]).toBe(byId.body.dueYuan);
    expect(v[0]).toBe(v[1]);
    expect(v[2]).toBe(v[3]);
  });

  it("an unknown name is a 404 naming the scope, in the caller's language; never an empty success", async () => {
    const zh = await get(finance, "owner:李雷", "zh-CN");
    expect(zh.status).toBe(404);
    expect(zh.body.error.message).toBe("用户目录中没有“李雷”（owner: 后应为用户姓名或编号）");
    expect(zh.body.error.details[0].path).toBe("scope");
    const en = await get(finance, "team:华北区", "en-US");
    expect(en.status).toBe(404);
    expect(en.body.error.message).toContain('no team "华北区"');
    expect((await get(finance, "owner:nobody-id")).status).toBe(404);
    const ev = await finance.call("POST", "/v1/eval", { calls: [{ fn: "COLLECTION", args: ["owner:李雷", "2026-Q2", "rate", "zh"] }] });
    expect(ev.body.results[0].error.code).toBe("#N/A");
    expect(ev.body.results[0].error.message).toContain("用户目录中没有“李雷”");
  });

  it("a named team nobody is in yet is an empty scope (0 accounts), not an unknown one", async () => {
    await director.call("PUT", "/v1/teams", { items: [{ id: "west-x", name: "西北" }] });
    const r = await get(finance, "team:西北");
    expect(r.status).toBe(200);
    expect(r.body.accounts).toBe(0);
    expect(r.body.rows).toEqual([]);
  });

  it("a manager may use their own name, not another's", async () => {
    expect((await get(li, "owner:李明")).status).toBe(200);
    const other = await get(li, "owner:张伟", "zh-CN");
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe("客户经理只能查看本人客户的回款");
  });
});

describe("handover: some accounts, never none", () => {
  it("moves the chosen accounts only; a handover of no accounts is refused with 400 naming accounts", async () => {
    const before = (await zhang.call("GET", "/v1/accounts?limit=1000")).body.items.map((a: { id: string }) => a.id).sort();
    expect(before.length).toBe(15);
    const pick = before.slice(0, 2);
    const r = await director.call("POST", "/v1/handovers", { from: "m-zhang", to: "m-li", accountIds: pick });
    expect(r.status).toBe(201);
    expect(r.body.accountIds.sort()).toEqual(pick);
    const after = (await zhang.call("GET", "/v1/accounts?limit=1000")).body.items.map((a: { id: string }) => a.id);
    expect(after.sort()).toEqual(before.slice(2));

    // The same accounts again: no longer 张伟's.
    const again = await director.call("POST", "/v1/handovers", { from: "m-zhang", to: "m-li", accountIds: pick }, { "accept-language": "zh-CN" });
    expect(again.status).toBe(400);
    expect(again.body.error.details[0]).toEqual({ path: "accountIds[0]", message: `客户 ${pick[0]} 不属于 张伟` });

    // A user who owns nothing: refused, in the caller's language, and not recorded.
    const count = (await director.call("GET", "/v1/handovers")).body.items.length;
    const none = await director.call("POST", "/v1/handovers", { from: "s-chen", to: "m-li" }, { "accept-language": "zh-CN" });
    expect(none.status).toBe(400);
    expect(none.body.error.details).toEqual([{ path: "accounts", message: "陈静 名下没有可交接的客户" }]);
    expect(none.body.error.message).toBe("陈静 名下没有可交接的客户");
    const en = await director.call("POST", "/v1/handovers", { from: "s-chen", to: "m-li" }, { "accept-language": "en-US" });
    expect(en.body.error.details[0]).toEqual({ path: "accounts", message: "陈静 owns no accounts to hand over" });
    expect((await director.call("GET", "/v1/handovers")).body.items.length).toBe(count);

    // Everything else of 张伟's, then once more: the second click finds nothing to move.
    expect((await director.call("POST", "/v1/handovers", { from: "m-zhang", to: "m-li" })).body.accountIds).toHaveLength(13);
    const second = await director.call("POST", "/v1/handovers", { from: "m-zhang", to: "m-li" });
    expect(second.status).toBe(400);
    expect(second.body.error.details[0].path).toBe("accounts");
    expect((await director.call("GET", "/v1/handovers")).body.items.length).toBe(count + 1);
  });

  it("only directors hand over (refusal in zh)", async () => {
    const r = await li.call("POST", "/v1/handovers", { from: "m-li", to: "m-zhang" }, { "accept-language": "zh-CN" });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe("只有总监可以交接客户");
  });
});
