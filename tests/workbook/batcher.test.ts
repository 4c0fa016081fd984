/**
 * The batcher of store-backed calls against a real HTTP server on loopback that speaks the
 * `/v1/eval` encoding (docs/contracts.md §3): coalescing, ≤ 1,000 calls per request, de-duplication, the
 * TTL cache and its invalidation after a sync, failures that fail only their own calls, and no
 * promise ever left pending (docs/platform.md: the Microsoft sample's #BUSY! forever).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isKamError, type FnResult } from "../../shared/src/excel/cells.js";
import { notifyDataChanged, setSession } from "../../addin/src/api/session.js";
import { canceledCall, EvalBatcher, SIGN_IN_MESSAGE } from "../../addin/src/functions/batcher.js";
import { installCustomFunctionsStub, StubCustomFunctionsError } from "./cf-stub.js";

installCustomFunctionsStub("en-US");
const { remote } = await import("../../addin/src/functions/runtime.js");

interface Seen {
  requests: number;
  calls: number;
  maxCallsPerRequest: number;
  inFlight: number;
  maxInFlight: number;
  auth: string[];
  /** Scopes of every call the server received. */
  scopes: unknown[];
}
const seen: Seen = { requests: 0, calls: 0, maxCallsPerRequest: 0, inFlight: 0, maxInFlight: 0, auth: [], scopes: [] };
/** A request holding `account:hold` waits until the test opens this gate (a call caught in flight). */
let gate: { opened: Promise<void>; open: () => void; arrived: Promise<void>; arrive: () => void } | undefined;
function newGate(): NonNullable<typeof gate> {
  let open!: () => void;
  let arrive!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const arrived = new Promise<void>((r) => (arrive = r));
  return (gate = { opened, open, arrived, arrive });
}
let server: Server;
let base: string;

/** The test's /v1/eval: COLLECTION of `account:aN` answers N/100 (rate) — or N × 1,000 yuan for `due`. */
function answer(call: { fn: string; args: unknown[] }): unknown {
  const [scope, , measure] = call.args as [string, string, string | null];
  const m = /^account:a(\d+)$/.exec(scope);
  if (call.fn !== "COLLECTION" || !m) return { error: { code: "#N/A", message: `no account ${scope}` } };
  return { value: measure === "due" ? Number(m[1]) * 1000 : Number(m[1]) / 100 };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { calls: Array<{ fn: string; args: unknown[] }> };
  seen.requests++;
  seen.calls += body.calls.length;
  seen.maxCallsPerRequest = Math.max(seen.maxCallsPerRequest, body.calls.length);
  seen.auth.push(String(req.headers.authorization));
  seen.inFlight++;
  seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
  await new Promise((r) => setTimeout(r, 5));
  seen.inFlight--;
  const scopes = body.calls.map((c) => c.args[0]);
  seen.scopes.push(...scopes);
  if (scopes.includes("account:hold") && gate) {
    gate.arrive();
    await gate.opened;
  }
  if (scopes.includes("account:boom")) {
    res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "internal", message: "store unavailable", details: [] } }));
    return;
  }
  if (scopes.includes("account:garbled")) {
    res.writeHead(200, { "content-type": "application/json" }).end("{not json");
    return;
  }
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ results: body.calls.map(answer) }));
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  setSession(undefined);
  await new Promise<void>((r) => server.close(() => r()));
});

afterEach(() => {
  Object.assign(seen, { requests: 0, calls: 0, maxCallsPerRequest: 0, inFlight: 0, maxInFlight: 0, auth: [], scopes: [] });
  gate?.open();
  gate = undefined;
});

const session = () => ({ apiBase: base, token: "tok", expiresAt: Date.now() + 3_600_000 });

function collection(b: EvalBatcher, scope: string, measure: string | null = null, signal?: AbortSignal): Promise<FnResult> {
  return b.call("COLLECTION", [scope, "2026-Q3", measure, "en"], `COLLECTION|${scope}|2026-Q3|${measure ?? "rate"}`, signal);
}

describe("EvalBatcher over HTTP", () => {
  it("10,000 calls of one recalculation → 10 requests of ≤ 1,000 calls, at most 4 in flight, all answered", async () => {
    const b = new EvalBatcher({ getSession: session });
    const calls = Array.from({ length: 10_000 }, (_, i) => collection(b, `account:a${i}`));
    const results = await Promise.all(calls);
    // 10,000 distinct calls ÷ 1,000 per request = 10 requests (goal: ≤ 20)
    expect(seen.requests).toBe(10);
    expect(seen.maxCallsPerRequest).toBe(1000);
    expect(seen.maxInFlight).toBeLessThanOrEqual(4);
    expect(results[0]).toBe(0);
    expect(results[1234]).toBe(12.34);
    expect(results[9999]).toBe(99.99);
    expect(seen.auth.every((a) => a === "Bearer tok")).toBe(true);
    expect(b.outstanding).toBe(0);
  });

  it("identical calls are sent once; answers come from the cache until the TTL passes", async () => {
    let now = 1_000_000;
    const b = new EvalBatcher({ getSession: session, ttlMs: 60_000, now: () => now });
    const first = await Promise.all(Array.from({ length: 5000 }, (_, i) => collection(b, `account:a${i % 50}`, "due")));
    // 5,000 calls, 50 distinct → one request of 50 calls
    expect(seen.requests).toBe(1);
    expect(seen.calls).toBe(50);
    expect(b.stats.deduplicated).toBe(4950);
    expect(first[51]).toBe(1000); // account:a1, due → 1 × 1,000
    await collection(b, "account:a7", "due");
    expect(seen.requests).toBe(1); // cached
    expect(b.stats.cacheHits).toBe(1);
    now += 60_001;
    expect(await collection(b, "account:a7", "due")).toBe(7000);
    expect(seen.requests).toBe(2); // expired → asked again
  });

  it("a failed request fails only its own calls with #N/A and the reason; nothing is cached or pending", async () => {
    const b = new EvalBatcher({ getSession: session, maxCallsPerRequest: 10 });
    const calls = [
      ...Array.from({ length: 9 }, (_, i) => collection(b, `account:a${i}`)),
      collection(b, "account:boom"), // 10th call: first request fails
      ...Array.from({ length: 10 }, (_, i) => collection(b, `account:a${100 + i}`)), // second request
    ];
    const results = await Promise.all(calls);
    expect(seen.requests).toBe(2);
    for (const r of results.slice(0, 10)) {
      expect(isKamError(r) && r.code === "na" && r.message.en).toBeTruthy();
      expect(isKamError(r) && r.message.en).toContain("HTTP 500 store unavailable");
    }
    expect(results.slice(10)).toEqual(Array.from({ length: 10 }, (_, i) => (100 + i) / 100));
    expect(b.stats.failedRequests).toBe(1);
    expect(b.outstanding).toBe(0);
    // not cached: asking again goes to the server
    await collection(b, "account:a3");
    expect(seen.requests).toBe(3);
  });

  it("unreadable answers and unreachable servers settle every call with #N/A", async () => {
    const garbled = new EvalBatcher({ getSession: session });
    const g = await Promise.all([collection(garbled, "account:garbled"), collection(garbled, "account:a1")]);
    expect(g.every((r) => isKamError(r) && r.code === "na")).toBe(true);

    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", () => r()));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const unreachable = new EvalBatcher({ getSession: () => ({ apiBase: `http://127.0.0.1:${port}`, token: "t", expiresAt: Date.now() + 60_000 }) });
    const u = await Promise.all(Array.from({ length: 3 }, (_, i) => collection(unreachable, `account:a${i}`)));
    expect(u.every((r) => isKamError(r) && r.code === "na" && /failed/.test(r.message.en))).toBe(true);
    expect(unreachable.outstanding).toBe(0);
  });

  it("not signed in (or an expired token) → #N/A with the sign-in message, no request", async () => {
    const none = new EvalBatcher({ getSession: () => undefined });
    const expired = new EvalBatcher({ getSession: () => ({ apiBase: base, token: "t", expiresAt: Date.now() - 1 }) });
    for (const r of await Promise.all([collection(none, "account:a1"), collection(expired, "account:a1")])) {
      expect(isKamError(r) && r.message.en).toBe(SIGN_IN_MESSAGE);
    }
    expect(seen.requests).toBe(0);
  });
});

describe("the add-in's batcher: session and sync wiring", () => {
  it("uses the pane's session; a sync (onDataChanged) drops the cache", async () => {
    setSession(session());
    expect(await remote("COLLECTION", ["account:a42", "2026-Q3"])).toBe(0.42);
    expect(await remote("COLLECTION", ["account:a42", "2026-Q3"])).toBe(0.42);
    expect(seen.requests).toBe(1); // second answer from the cache
    notifyDataChanged();
    expect(await remote("COLLECTION", ["account:a42", "2026-Q3"])).toBe(0.42);
    expect(seen.requests).toBe(2);
    const err = await remote("COLLECTION", ["account:zz", "2026-Q3"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StubCustomFunctionsError);
    expect((err as StubCustomFunctionsError).code).toBe("#N/A");
    expect((err as StubCustomFunctionsError).message).toBe("no account account:zz");
    setSession(undefined);
  });
});

describe("canceled calls (@cancelable: Excel's onCanceled)", () => {
  const isCanceled = (r: FnResult) => isKamError(r) && r.message.en === canceledCall().message.en;

  it("a call canceled before its request is sent is removed from the batch", async () => {
    const b = new EvalBatcher({ getSession: session, windowMs: 20 });
    const abort = new AbortController();
    const kept = collection(b, "account:a1");
    const dropped = collection(b, "account:a2", null, abort.signal);
    const alsoKept = collection(b, "account:a3");
    abort.abort();
    expect(isCanceled(await dropped)).toBe(true); // settles at once, before the window closes
    expect(seen.requests).toBe(0);
    expect(await Promise.all([kept, alsoKept])).toEqual([0.01, 0.03]);
    expect(seen.requests).toBe(1);
    expect(seen.scopes).toEqual(["account:a1", "account:a3"]);
    expect(b.stats).toMatchObject({ canceled: 1, dropped: 1, sent: 2 });
    expect(b.outstanding).toBe(0);
  });

  it("a batch whose every call is canceled sends no request; an already aborted signal is never queued", async () => {
    const b = new EvalBatcher({ getSession: session, windowMs: 5 });
    const abort = new AbortController();
    const calls = Array.from({ length: 3 }, (_, i) => collection(b, `account:a${i}`, null, abort.signal));
    abort.abort();
    expect((await Promise.all(calls)).every(isCanceled)).toBe(true);
    expect(isCanceled(await collection(b, "account:a9", null, abort.signal))).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(seen.requests).toBe(0);
    expect(b.outstanding).toBe(0);
    await b.idle();
  });

  it("a call canceled while its request is in flight: its answer is ignored, not cached", async () => {
    const g = newGate();
    const b = new EvalBatcher({ getSession: session, windowMs: 1 });
    const abort = new AbortController();
    const held = collection(b, "account:hold", null, abort.signal);
    const other = collection(b, "account:a5");
    await g.arrived; // the request is at the server
    abort.abort();
    expect(isCanceled(await held)).toBe(true);
    g.open();
    expect(await other).toBe(0.05);
    await b.idle();
    expect(b.stats).toMatchObject({ canceled: 1, dropped: 0, ignored: 1 });
    // not cached: the same call asks the server again
    await collection(b, "account:hold");
    expect(seen.requests).toBe(2);
  });

  it("identical calls: one caller canceling leaves the call for the others", async () => {
    const b = new EvalBatcher({ getSession: session, windowMs: 5 });
    const abort = new AbortController();
    const first = collection(b, "account:a7", null, abort.signal);
    const second = collection(b, "account:a7");
    abort.abort();
    expect(isCanceled(await first)).toBe(true);
    expect(await second).toBe(0.07);
    expect(seen.scopes).toEqual(["account:a7"]);
    expect(b.stats).toMatchObject({ canceled: 1, dropped: 0, deduplicated: 1 });
  });

  it("KAM.COLLECTION/TARGET/ACCOUNT hand Excel's invocation to the batcher: onCanceled drops the call", async () => {
    setSession(session());
    notifyDataChanged(); // empty cache
    const { CUSTOM_FUNCTIONS } = await import("../../addin/src/functions/register.js");
    const kamCollection = CUSTOM_FUNCTIONS.COLLECTION as (...args: unknown[]) => Promise<unknown>;
    const kamAccount = CUSTOM_FUNCTIONS.ACCOUNT as (...args: unknown[]) => Promise<unknown>;
    const invocation: CustomFunctions.CancelableInvocation = { functionName: "COLLECTION" } as CustomFunctions.CancelableInvocation;
    const canceled = kamCollection("account:a61", "2026-Q3", null, null, invocation);
    const kept = kamCollection("account:a62", "2026-Q3", null, null, { functionName: "COLLECTION" } as CustomFunctions.CancelableInvocation);
    expect(typeof invocation.onCanceled).toBe("function");
    invocation.onCanceled!();
    const err = await canceled.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StubCustomFunctionsError);
    expect(await kept).toBe(0.62);
    expect(seen.scopes).toEqual(["account:a62"]);
    // an account call canceled the same way never reaches the server
    const inv: CustomFunctions.CancelableInvocation = { functionName: "ACCOUNT" } as CustomFunctions.CancelableInvocation;
    const acc = kamAccount("a1", "grade", null, inv);
    inv.onCanceled!();
    await acc.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 120));
    expect(seen.requests).toBe(1);
    setSession(undefined);
  });
});
