import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../functions/local/stack.js";
import { ADMIN, DIRECTOR, FINANCE, FOREIGN_DIRECTOR, MANAGER_LI, signIn, startTestStack, type ApiClient } from "./helpers.js";

/** Teams (CONTRACTS "Teams") over real HTTP against the local stack (dynalite, demo seed). */
let stack: LocalStack;
let director: ApiClient, li: ApiClient, finance: ApiClient, admin: ApiClient, foreign: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  [director, li, finance, admin, foreign] = await Promise.all([DIRECTOR, MANAGER_LI, FINANCE, ADMIN, FOREIGN_DIRECTOR].map((c) => signIn(stack, c)));
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
