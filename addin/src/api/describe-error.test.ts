import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KamClient, describeApiError } from "./client.js";

/** Errors and language as the pane shows them, against real sockets on 127.0.0.1. */
let server: Server;
let base: string;
let closedBase: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(String(req.headers["accept-language"]));
    res.setHeader("content-type", "application/json");
    res.end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nobody listens on: bind, note it, close.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  closedBase = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((r) => probe.close(() => r()));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const clientOn = (apiBase: string) => new KamClient({ session: () => ({ apiBase, token: "t" }) as never });

describe("errors and language as the pane shows them", () => {
  it("an unreachable store reads in the pane's language, not as the browser's 'Failed to fetch'", async () => {
    const r = await clientOn(closedBase).me();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.status).toBe(0);
    expect(describeApiError(r.error, "zh")).toBe("无法连接服务器，请检查网络或服务地址");
    expect(describeApiError(r.error, "en")).toContain("Cannot reach the store");
  });

  it("sends the pane's language as Accept-Language", async () => {
    const client = clientOn(base);
    client.language = "zh";
    await client.me();
    client.language = "en";
    await client.me();
    expect(seen.slice(-2)).toEqual(["zh-CN", "en-US"]);
  });

  it("a message repeating its first detail shows once, with the field it names", () => {
    const e = { status: 400, code: "invalid", message: "陈静 名下没有可交接的客户", details: [{ path: "accounts", message: "陈静 名下没有可交接的客户" }] };
    expect(describeApiError(e, "zh")).toBe("accounts: 陈静 名下没有可交接的客户");
    expect(describeApiError({ ...e, message: "invalid input" }, "zh")).toBe("invalid input · accounts: 陈静 名下没有可交接的客户");
  });
});
