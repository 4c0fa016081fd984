import { setLogSink } from "../../functions/src/log.js";
import { ensureTable, startLocalStack, type LocalStack } from "../../functions/local/stack.js";
import { createStoreContext, type StoreContext } from "../../functions/src/store/client.js";
import { ensureRegistered } from "../../functions/src/store/users.js";
import type { Principal } from "../../shared/src/access.js";
import { startEngine, type Engine, type EngineName } from "./engines.js";

/** A local stack on a free loopback port, in memory, with the demo tenant; logs silenced. */
export async function startTestStack(opts: { seed?: boolean } = {}): Promise<LocalStack> {
  setLogSink("off");
  return startLocalStack({ port: 0, inMemory: true, seed: opts.seed ?? true });
}

/** An engine with the table made and a store context on it, the given users registered. */
export async function startStoreOn(name: EngineName, table: string, users: readonly Principal[]): Promise<{ engine: Engine; ctx: StoreContext }> {
  const engine = await startEngine(name);
  await ensureTable(engine.endpoint, table);
  const ctx = createStoreContext({ endpoint: engine.endpoint, table });
  for (const p of users) await ensureRegistered(ctx, p);
  return { engine, ctx };
}

export interface Caller {
  sub: string;
  tid: string;
  name: string;
  roles: string[];
}

export const DIRECTOR: Caller = { sub: "d-wang", tid: "demo", name: "王建国", roles: ["Director"] };
export const MANAGER_LI: Caller = { sub: "m-li", tid: "demo", name: "李明", roles: ["Manager"] };
export const MANAGER_ZHANG: Caller = { sub: "m-zhang", tid: "demo", name: "张伟", roles: ["Manager"] };
export const SPECIALIST: Caller = { sub: "s-chen", tid: "demo", name: "陈静", roles: ["Specialist"] };
export const FINANCE: Caller = { sub: "f-liu", tid: "demo", name: "刘芳", roles: ["Finance"] };
export const ADMIN: Caller = { sub: "a-zhao", tid: "demo", name: "赵磊", roles: ["Admin"] };
/** A director of another company: must see and change nothing of tenant `demo`. */
export const FOREIGN_DIRECTOR: Caller = { sub: "d-other", tid: "other-co", name: "外部总监", roles: ["Director"] };

export interface ApiClient {
  token: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

/** Sign in through the dev issuer (POST /dev/token) and call the API over HTTP. */
export async function signIn(stack: LocalStack, who: Caller): Promise<ApiClient> {
  const r = await fetch(`${stack.url}/dev/token`, { method: "POST", body: JSON.stringify(who) });
  const { token } = (await r.json()) as { token: string };
  return clientWithToken(stack, token);
}

/** Sign several callers in at once: one client per caller, in the callers' order (a tuple of the same length). */
export function signInAll<const T extends readonly Caller[]>(stack: LocalStack, callers: T): Promise<{ -readonly [K in keyof T]: ApiClient }> {
  // Array.map keeps the length and order but types its result as an array: restore the tuple.
  return Promise.all(callers.map((c) => signIn(stack, c))) as Promise<{ -readonly [K in keyof T]: ApiClient }>;
}

export function clientWithToken(stack: LocalStack, token: string | undefined): ApiClient {
  return {
    token: token ?? "",
    async call(method, path, body, headers = {}) {
      const res = await fetch(`${stack.url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json", ...headers },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
  };
}
