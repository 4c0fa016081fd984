import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { setLogSink } from "../../functions/src/log.js";
import { startLocalStack, type LocalStack } from "../../functions/local/stack.js";
import { DIRECTOR, signIn } from "./helpers.js";

/**
 * The local stack supervises its store process: `kill -9` of dynalite is noticed; a persisted
 * store comes back on the same port and data, an in-memory one is reported down (503 with the
 * reason) instead of 500 on every route; `GET /healthz` tells a health check which.
 */
const stacks: LocalStack[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function healthz(stack: LocalStack): Promise<{ status: number; body: { store: string; message?: string } }> {
  const r = await fetch(`${stack.url}/healthz`);
  return { status: r.status, body: (await r.json()) as { store: string; message?: string } };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("store supervision", () => {
  it("a killed persisted store is restarted on the same data: /healthz goes back to 200 and the data is there", async () => {
    setLogSink("off");
    const dir = mkdtempSync(join(tmpdir(), "kam-supervise-"));
    dirs.push(dir);
    const stack = await startLocalStack({ port: 0, dataDir: dir, seed: false });
    stacks.push(stack);
    expect(await healthz(stack)).toEqual({ status: 200, body: { store: "ok" } });
    const d = await signIn(stack, DIRECTOR);
    await d.call("PUT", "/v1/users", { items: [{ id: "m-sup", name: "监督经理", roles: ["manager"] }] });
    expect((await d.call("PUT", "/v1/accounts", { items: [{ id: "SUP-1", name: "持久客户", owner: "m-sup" }] })).body.items[0].status).toBe("created");

    const before = stack.storeProcess();
    expect(before).toMatchObject({ state: "up", restarts: 0 });
    process.kill(before.pid!, "SIGKILL");
    const after = await until("a restarted store", async () => {
      const p = stack.storeProcess();
      return p.state === "up" && p.pid !== undefined && p.pid !== before.pid ? p : undefined;
    });
    expect(after.restarts).toBe(1);
    expect(await healthz(stack)).toEqual({ status: 200, body: { store: "ok" } });
    const a = await d.call("GET", "/v1/accounts/SUP-1");
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ id: "SUP-1", name: "持久客户", version: 1 });
    expect((await d.call("PUT", "/v1/accounts", { items: [{ id: "SUP-1", version: 1, name: "持久客户（改）" }] })).body.items[0].status).toBe("updated");
  });

  it("a killed in-memory store is not silently replaced: /healthz and store routes answer 503 with the reason", async () => {
    setLogSink("off");
    const stack = await startLocalStack({ port: 0, inMemory: true, seed: false });
    stacks.push(stack);
    const d = await signIn(stack, DIRECTOR);
    expect((await d.call("GET", "/v1/accounts")).status).toBe(200);
    const pid = stack.storeProcess().pid!;
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write; // the stack's message, expected here
    try {
      process.kill(pid, "SIGKILL");
      const down = await until("the store reported down", async () => {
        // Until the exit is seen the probe alone fails (503 "does not answer"); then the reason.
        return stack.storeProcess().state === "failed" ? healthz(stack) : undefined;
      });
      expect(down.body.store).toBe("down");
      expect(down.body.message).toMatch(/exited unexpectedly.*in-memory data is lost/);
    } finally {
      process.stderr.write = stderr;
    }
    expect(stack.storeProcess()).toMatchObject({ state: "failed" });
    const r = await d.call("GET", "/v1/accounts");
    expect(r.status).toBe(503);
    expect(r.body.error).toMatchObject({ code: "unavailable", message: expect.stringMatching(/restart the API/) });
    // What needs no store still answers.
    expect((await fetch(`${stack.url}/dev/jwks.json`)).status).toBe(200);
  });
});
