import { describe, expect, it } from "vitest";
import { parseCollectionScope, type CollectionScope } from "./schemas/api.js";
import { managerScopeReach, resolveScopeNames, scopeLabel, visibleAccounts } from "./scopes.js";

const users = [
  { id: "m-li", name: "李明", team: "east" },
  { id: "m-zhang", name: "张伟", team: "south" },
  { id: "m-wang1", name: "王芳" },
  { id: "m-wang2", name: "王芳" },
  { id: "s-x", name: "陈静", team: "north" },
];
const teams = [
  { id: "east", name: "华东" },
  { id: "south", name: "华南" },
  { id: "west-1", name: "西部" },
  { id: "west-2", name: "西部" },
];
const resolve = (s: string) => resolveScopeNames(parseCollectionScope(s)!, users, teams);

describe("collection scopes by name (one rule for the pane, KAM.COLLECTION and the API)", () => {
  it.each<[string, CollectionScope]>([
    ["owner:李明", { kind: "owner", id: "m-li" }],
    ["owner: 李明 ", { kind: "owner", id: "m-li" }],
    ["owner:m-zhang", { kind: "owner", id: "m-zhang" }],
    ["team:华东", { kind: "team", id: "east" }],
    ["团队：华东", { kind: "team", id: "east" }],
    ["经理:李明", { kind: "owner", id: "m-li" }],
    ["team:south", { kind: "team", id: "south" }],
    ["team:north", { kind: "team", id: "north" }], // a team id carried only by a user
    ["*", { kind: "all" }],
    ["account:A-001", { kind: "account", id: "A-001" }],
    ["华东电力设计院", { kind: "accountRef", ref: "华东电力设计院" }],
  ])("%s → %j", (input, expected) => {
    expect(resolve(input)).toEqual({ ok: true, scope: expected });
  });

  it("an id wins over a name", () => {
    const r = resolveScopeNames({ kind: "owner", id: "m-li" }, [...users, { id: "u9", name: "m-li" }], teams);
    expect(r).toEqual({ ok: true, scope: { kind: "owner", id: "m-li" } });
  });

  it.each([
    ["owner:王芳", "ambiguous", "有 2 位用户名为“王芳”", "2 users are named"],
    ["team:西部", "ambiguous", "有 2 个团队名为“西部”", "2 teams are named"],
    ["owner:李雷", "unknown", "用户目录中没有“李雷”", 'no user "李雷"'],
    ["team:华北", "unknown", "没有团队“华北”", 'no team "华北"'],
  ])("%s → %s, named in zh and en", (input, reason, zh, en) => {
    const r = resolve(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    expect(r.path).toBe("scope");
    expect(r.message.zh).toContain(zh);
    expect(r.message.en).toContain(en);
  });

  it("labels show names", () => {
    expect(scopeLabel({ kind: "team", id: "east" }, users, teams, "zh")).toBe("团队 华东");
    expect(scopeLabel({ kind: "owner", id: "m-li" }, users, teams, "en")).toBe("Manager 李明");
    expect(scopeLabel({ kind: "all" }, users, teams, "zh")).toBe("全部客户");
  });
});

describe("the manager scope rule", () => {
  const manager = { roles: ["manager" as const], userId: "m-li" };
  it.each<[string, boolean, { owner?: string }[], string]>([
    ["owner:m-li", false, [{ owner: "m-li" }], "inside"],
    ["owner:m-zhang", false, [{ owner: "m-zhang" }], "foreignOwner"],
    ["account:a1", true, [{ owner: "m-li" }], "inside"],
    ["account:a2", true, [{ owner: "m-zhang" }], "foreignAccount"],
    ["team:east", false, [{ owner: "m-zhang" }], "inside"],
    ["*", false, [{ owner: "m-zhang" }], "inside"],
  ])("%s → %s", (s, single, accounts, expected) => {
    expect(managerScopeReach(manager, parseCollectionScope(s)!, single, accounts)).toBe(expected);
  });

  it("keeps the accounts a view shows", () => {
    const accounts = [{ id: "a1", owner: "m-li" }, { id: "a2", owner: "m-zhang" }];
    expect(visibleAccounts(manager, "own", accounts)).toEqual([{ id: "a1", owner: "m-li" }]);
    expect(visibleAccounts(manager, "all", accounts)).toEqual(accounts);
    expect(visibleAccounts(manager, "none", accounts)).toEqual([]);
    // Owning needs the manager role.
    expect(visibleAccounts({ roles: ["finance"], userId: "m-li" }, "own", accounts)).toEqual([]);
  });
});
