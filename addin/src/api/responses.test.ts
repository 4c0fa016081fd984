import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
});
