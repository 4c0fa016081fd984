import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountHealth, explainHealth } from "../../../shared/src/health/health.js";
import { KamClient } from "./client.js";

/** Answers checked against the shared schemas, from a real server on 127.0.0.1. */
let server: Server;
let base: string;
/** What the server answers, by path (without the query). */
const answers = new Map<string, unknown>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = answers.get(String(req.url).split("?")[0]!);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const client = () => new KamClient({ session: () => ({ apiBase: base, token: "t", expiresAt: Date.now() + 60_000 }) });

describe("answers checked against the shared schemas", () => {
  it("teams that fit TeamSchema come through", async () => {
    answers.set("/v1/teams", { items: [{ id: "east", name: "华东" }] });
    const r = await client().teams();
    expect(r.ok && r.value.items).toEqual([{ id: "east", name: "华东" }]);
  });

  it("an answer that does not fit is an error naming the field, not data", async () => {
    answers.set("/v1/teams", { items: [{ id: "east", name: "华东" }, { id: "south", name: " " }] });
    const r = await client().teams();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ status: 200, code: "bad_response" });
    expect(r.error.details.map((d) => d.path)).toEqual(["items[1].name"]);
  });

  it("the directory keeps a user the store registered outside UserSchema's limits", async () => {
    answers.set("/v1/users", { items: [{ id: "m-li", name: "李".repeat(150), roles: ["manager"] }] });
    const r = await client().users();
    expect(r.ok && r.value.items.map((u) => u.id)).toEqual(["m-li"]);
  });

  it("a list page without items, or a batch result with an unknown status, is refused", async () => {
    answers.set("/v1/accounts", { accounts: [] });
    const list = await client().accounts();
    expect(!list.ok && list.error.code).toBe("bad_response");
    answers.set("/v1/teams", { items: [{ id: "east", status: "saved" }] });
    const put = await client().upsert({ path: "/v1/teams" }, [{ id: "east", name: "华东" }], "k1");
    expect(!put.ok && put.error.details.map((d) => d.path)).toEqual(["items[0].status"]);
  });

  it("a health list whose item does not fit names the item's field; a fitting one comes through", async () => {
    const h = accountHealth({ account: { name: "健康", owner: "m-li", stage: "assess", contacts: [{ name: "王总", role: "decider", support: 5 }] }, today: "2026-12-01" });
    if (!h.ok) throw new Error(h.error.message.en);
    const item = { accountId: "HX-1", accountName: "健康", owner: "m-li", ...h.value, explanation: { zh: explainHealth(h.value, "zh"), en: explainHealth(h.value, "en") } };
    const failed = { accountId: "HX-2", accountName: "", owner: "m-li", error: { code: "#VALUE!", message: "bad date", field: "lastReviewed" } };
    const list = { scope: "*", modelId: "health-default", asOf: "2026-12-01", accounts: 2, items: [item, failed] };
    const health = () => client().checked((c) => c.healthList, "GET", "/v1/health?scope=*");
    answers.set("/v1/health", list);
    const good = await health();
    expect(good.ok && good.value.items.map((i) => i.accountId)).toEqual(["HX-1", "HX-2"]);

    answers.set("/v1/health", { ...list, items: [{ ...item, score: "56" }, failed] });
    const score = await health();
    expect(!score.ok && score.error).toMatchObject({ status: 200, code: "bad_response", details: [{ path: "items[0].score" }] });
    const [first] = item.factors;
    answers.set("/v1/health", { ...list, items: [item, { ...item, factors: [{ ...first, key: "mood" }] }] });
    const factor = await health();
    expect(!factor.ok && factor.error.details.map((d) => d.path)).toEqual(["items[1].factors[0].key"]);
    answers.set("/v1/health", { ...list, items: [item, { ...failed, error: { code: "#OOPS", message: "bad date" } }] });
    const error = await health();
    expect(!error.ok && error.error.details.map((d) => d.path)).toEqual(["items[1].error.code"]);
  });

  it("/v1/me: the caller as the token names them; an answer without the tenant is refused", async () => {
    answers.set("/v1/me", { id: "m-li", name: "李明", tenant: "t1", roles: ["manager"], team: "east" });
    expect((await client().me()).ok).toBe(true);
    answers.set("/v1/me", { id: "m-li", name: "李明", roles: ["manager"] });
    const r = await client().me();
    expect(!r.ok && r.error.details.map((d) => d.path)).toEqual(["tenant"]);
  });

  it("a DELETE answered with anything but a tombstone is refused", async () => {
    answers.set("/v1/accounts/KA-1", { id: "KA-1", version: 3, deleted: true, updatedAt: "2026-12-01T08:00:00.000Z" });
    expect((await client().tombstone({ path: "/v1/accounts" }, "KA-1")).ok).toBe(true);
    answers.set("/v1/accounts/KA-1", { id: "KA-1", version: 3, deleted: false, updatedAt: "2026-12-01T08:00:00.000Z" });
    const r = await client().tombstone({ path: "/v1/accounts" }, "KA-1");
    expect(!r.ok && r.error.details.map((d) => d.path)).toEqual(["deleted"]);
  });
});
