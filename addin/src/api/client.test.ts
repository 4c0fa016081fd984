/**
 * The API client against the real local stack (dynalite + handlers over HTTP).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../../functions/local/stack.js";
import { KamClient } from "./client.js";
import { devSignIn, devUsers, tokenExpiry } from "./auth.js";
import { getSession, setSession } from "./session.js";

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, inMemory: true, seed: false });
});
afterAll(async () => {
  setSession(undefined);
  await stack?.stop();
});

describe("KamClient + dev sign-in against the local stack", () => {
  it("signs in as a demo manager and reads /v1/me with the shared session's token", async () => {
    const users = await devUsers(stack.url);
    if (!users.ok) throw new Error(users.message);
    const li = users.value.find((u) => u.sub === "m-li")!;
    const s = await devSignIn(stack.url, li);
    expect(s.ok).toBe(true);
    expect(getSession()!.user).toMatchObject({ id: "m-li", roles: ["manager"] });
    expect(tokenExpiry(getSession()!.token)).toBeGreaterThan(Date.now());
    const me = await new KamClient().me();
    expect(me.ok && me.value).toMatchObject({ id: "m-li" });
  });

  it("surfaces the server's JSON error details", async () => {
    const r = await new KamClient().upsert({ path: "/v1/accounts" }, [{ id: "x", name: "n", colour: "red" }], "k-invalid");
    expect(r.ok).toBe(true); // batch answers 200 with per-item status (docs/contracts.md §6)
    const [item] = r.ok ? r.value : [];
    expect(item?.status).toBe("invalid");
    expect(item?.errors?.map((e) => e.path).join()).toContain("colour");
    const bad = await new KamClient().checked((c) => c.batchResults, "PUT", "/v1/accounts", { wrong: 1 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.status).toBe(400);
  });

  it("lists the recycle bin and restores from it (directors)", async () => {
    const users = await devUsers(stack.url);
    if (!users.ok) throw new Error(users.message);
    const s = await devSignIn(stack.url, users.value.find((u) => u.sub === "d-wang")!);
    expect(s.ok).toBe(true);
    const client = new KamClient();
    const put = await client.upsert({ path: "/v1/accounts" }, [{ id: "BIN-1", name: "回收站客户", owner: "m-li" }], "k-bin");
    expect(put.ok && put.value[0]?.status).toBe("created");
    expect((await client.tombstone({ path: "/v1/accounts" }, "BIN-1")).ok).toBe(true);
    const bin = await client.listDeletedAccounts();
    expect(bin.ok && bin.value.find((d) => d.id === "BIN-1")).toMatchObject({ name: "回收站客户", owner: "m-li", deletedBy: "d-wang", version: 2 });
    const restored = await client.restoreAccount("BIN-1");
    expect(restored.ok && restored.value).toMatchObject({ id: "BIN-1", version: 3 });
    const again = await client.restoreAccount("BIN-1");
    expect(!again.ok && again.error.status).toBe(409);
  });
});
