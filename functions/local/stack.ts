import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { isUtf8 } from "node:buffer";
import { fork, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as z from "zod/mini";
import { IdSchema } from "../../shared/src/schemas/common.js";
import { validate } from "../../shared/src/schemas/validation.js";
import type { ApiEvent, ApiResult } from "../src/http/request.js";
import { findRoute, type RouteGroup } from "../src/routes.js";
import { createStoreContext, destroyStoreContext, setStoreContext, type StoreContext } from "../src/store/client.js";
import { DEFAULT_TABLE_NAME, TABLE_DEFINITION } from "../src/store/table.js";
import { createDevIssuer, type DevIssuer } from "./issuer.js";
import { recoverIndexes } from "./recover.js";
import { DEMO_USERS, isStoreEmpty, seedDemo } from "./seed.js";

/**
 * Local stack: dynalite (persisted under ./.data, `KAM_DATA_DIR` overrides) + the
 * table from TABLE_DEFINITION + every route group served on 127.0.0.1 through a thin adapter that
 * verifies the JWT like API Gateway's authorizer and builds the same HTTP API v2 event. Dispatch
 * goes through ROUTE_GROUPS: each group's handler file is imported on first use, so groups added
 * later are picked up; a group whose file does not exist yet answers 501.
 *
 * The dynalite process is supervised (`startDynalite`): restarted on its port and data after an
 * unexpected exit, with the indexes recovered (recover.ts); `GET /healthz` answers 200
 * `{store:"ok"}` while the store answers, else 503 `{store:"down", message}`.
 */
export const DEFAULT_API_PORT = 3001;
export const DEFAULT_DATA_DIR = ".data";
/** The add-in's dev origin (CORS), `KAM_ADDIN_ORIGIN` overrides. */
export const DEFAULT_ADDIN_ORIGIN = "https://localhost:3000";
/** API Gateway HTTP API's own payload limit; the handlers enforce the 1 MB request limit. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface LocalStackOptions {
  /** HTTP port; 0 = a free one. Default `KAM_API_PORT` or 3001. */
  port?: number;
  /** Data directory (dynalite LevelDB + dev issuer key). Default `KAM_DATA_DIR` or ./.data. */
  dataDir?: string;
  /** Keep everything in memory (tests). */
  inMemory?: boolean;
  /** Load the demo tenant when the store is empty (default true). */
  seed?: boolean;
  tableName?: string;
  /** Origins allowed by CORS. */
  allowedOrigins?: string[];
  /**
   * Where dynalite runs: `process` (default) — its own child process, as DynamoDB is a service
   * apart from the API, so the store's work and the handlers' run on separate cores; `inline` —
   * in this process (no fork; for tools that must stay single-process).
   */
  dynamo?: "process" | "inline";
  /** Restarts of a persisted store allowed within a minute before the stack gives up (default 5). */
  maxStoreRestarts?: number;
}

export interface LocalStack {
  url: string;
  port: number;
  /** The dynalite endpoint (for tests that talk to the store directly). */
  dynamoEndpoint: string;
  store: StoreContext;
  issuer: DevIssuer;
  /**
   * The supervised store process: its pid while up, its state, restarts within the last minute,
   * and the items whose index entries the recoveries restored or removed.
   */
  storeProcess(): { pid?: number; state: StoreState; restarts: number; recovered: number };
  stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((res, rej) => {
    server.once("error", rej);
    server.listen(port, "127.0.0.1", () => res((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((res) => server.close(() => res()));
}

/** Create the table if it does not exist (dynalite or DynamoDB Local). */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException) && (e as { name?: string }).name !== "ResourceNotFoundException") throw e;
  }
  const { TimeToLiveAttribute: _ttl, ...def } = TABLE_DEFINITION;
  await client.send(new CreateTableCommand({ TableName: tableName, ...def }));
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === "ACTIVE") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  client.destroy();
}

/** The store's state as the supervisor sees it. */
export type StoreState = "up" | "restarting" | "failed";

interface DynamoEngine {
  endpoint: string;
  /** The dynalite process id (undefined inline). */
  pid(): number | undefined;
  state(): StoreState;
  /** Why the store is not up (for `/healthz` and 503 answers). */
  problem(): string | undefined;
  restarts(): number;
  /** Resolves once the store is up again (or failed for good). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

const DYNALITE_PROCESS = join(dirname(fileURLToPath(import.meta.url)), "dynalite-process.mjs");
/** Restarts allowed within RESTART_WINDOW_MS before the supervisor gives up on the store (default). */
export const MAX_STORE_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

interface DynaliteChild {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

/** Fork the dynalite process listening on `port` (0 = a free one). */
async function forkDynalite(options: Record<string, unknown>, port: number): Promise<DynaliteChild> {
  // No loader flags are inherited: the child is plain JavaScript. `KAM_PROF_DIR` (benchmarks): a CPU
  // profile of the store process too.
  const prof = process.env.KAM_PROF_DIR;
  const execArgv = prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [];
  const child = fork(DYNALITE_PROCESS, [JSON.stringify(options), String(port)], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  const listening = await new Promise<number>((res, rej) => {
    child.once("message", (m: { port?: number; error?: string }) => (m.port ? res(m.port) : rej(new Error(`dynalite: ${m.error ?? "no port"}`))));
    child.once("exit", (code, signal) => rej(new Error(`dynalite exited with ${code ?? signal} before listening`)));
    child.once("error", rej);
  });
  return { child, port: listening, exited };
}

/**
 * dynalite on a free loopback port, in a child process or inline. The child process is supervised:
 * when it exits without being asked to, a persisted store is restarted on the same port and data
 * directory (at most MAX_STORE_RESTARTS a minute); an in-memory store lost its data, so it is not
 * restarted — the stack then answers 503 on store routes and `/healthz` says why.
 */
async function startDynalite(
  options: Record<string, unknown>,
  where: "process" | "inline",
  afterRestart: () => Promise<void>,
  maxRestarts = MAX_STORE_RESTARTS,
): Promise<DynamoEngine> {
  if (where === "inline") {
    const db = dynalite(options);
    const port = await listen(db, 0);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      pid: () => undefined,
      state: () => "up",
      problem: () => undefined,
      restarts: () => 0,
      ready: () => Promise.resolve(),
      stop: () => close(db),
    };
  }
  let current = await forkDynalite(options, 0);
  const port = current.port;
  let state: StoreState = "up";
  let problem: string | undefined;
  let stopping = false;
  let ready: Promise<void> = Promise.resolve();
  const restartTimes: number[] = [];
  const persisted = typeof options.path === "string";

  const fail = (why: string) => {
    state = "failed";
    problem = why;
    process.stderr.write(`local stack: ${why}\n`);
  };
  const supervise = (c: DynaliteChild) => {
    c.child.once("exit", (code, signal) => {
      if (stopping || c !== current) return;
      const how = `the local store process (dynalite, pid ${c.child.pid}) exited unexpectedly (${signal ?? `code ${code}`})`;
      if (!persisted) return fail(`${how}; its in-memory data is lost — restart the API (npm run api)`);
      const now = Date.now();
      // Forget restarts older than the window (an empty list stops the loop: now - now is 0).
      while (now - (restartTimes[0] ?? now) > RESTART_WINDOW_MS) restartTimes.shift();
      if (restartTimes.length >= maxRestarts) return fail(`${how} ${maxRestarts} times within a minute; not restarting it again — restart the API`);
      restartTimes.push(now);
      state = "restarting";
      problem = `${how}; restarting it`;
      process.stderr.write(`local stack: ${problem}\n`);
      ready = (async () => {
        try {
          current = await forkDynalite(options, port);
          supervise(current);
          await afterRestart();
          state = "up";
          problem = undefined;
        } catch (e) {
          fail(`${how}; the restart failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      })();
    });
  };
  supervise(current);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: () => (state === "up" ? current.child.pid : undefined),
    state: () => state,
    problem: () => problem,
    restarts: () => restartTimes.length,
    ready: () => ready,
    async stop() {
      stopping = true;
      await ready;
      const { child, exited } = current;
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send("stop");
        else child.kill("SIGTERM");
      }
      await exited;
    },
  };
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = opts.inMemory ? undefined : resolve(opts.dataDir ?? process.env.KAM_DATA_DIR ?? DEFAULT_DATA_DIR);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const tableName = opts.tableName ?? DEFAULT_TABLE_NAME;
  // A persisted store left open (the marker is there) was not stopped cleanly: recover its indexes.
  const openMarker = dataDir ? join(dataDir, "dynalite.open") : undefined;
  const unclean = openMarker !== undefined && existsSync(openMarker);
  let recovered = 0;
  const engine: DynamoEngine = await startDynalite(
    { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataDir ? { path: join(dataDir, "dynalite") } : {}) },
    opts.dynamo ?? (process.env.KAM_DYNAMO === "inline" ? "inline" : "process"),
    async () => {
      await ensureTable(engine.endpoint, tableName);
      const r = await recoverIndexes(engine.endpoint, tableName);
      recovered += r.reindexed + r.removed;
    },
    opts.maxStoreRestarts,
  );
  const dynamoEndpoint = engine.endpoint;
  await ensureTable(dynamoEndpoint, tableName);
  if (openMarker) {
    if (unclean) {
      const r = await recoverIndexes(dynamoEndpoint, tableName);
      recovered += r.reindexed + r.removed;
    }
    writeFileSync(openMarker, `${process.pid}\n`);
  }
  const health = new DynamoDBClient({ endpoint: dynamoEndpoint, region: "local", maxAttempts: 1, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const store: StoreContext = createStoreContext({ endpoint: dynamoEndpoint, table: tableName });
  setStoreContext(store);
  if (opts.seed !== false && (await isStoreEmpty(store))) await seedDemo(store);

  const issuer = await createDevIssuer(dataDir);
  const origins = new Set(opts.allowedOrigins ?? [process.env.KAM_ADDIN_ORIGIN ?? DEFAULT_ADDIN_ORIGIN]);
  const server = createServer((req, res) => {
    handle(req, res, issuer, origins, { engine, health, tableName }).catch((e) => {
      if (!res.headersSent) send(res, 500, { error: { code: "internal", message: "internal error", details: [] } });
      process.stderr.write(`local adapter: ${e instanceof Error ? e.stack : String(e)}\n`);
    });
  });
  const envPort = process.env.KAM_API_PORT ? Number(process.env.KAM_API_PORT) : undefined;
  const port = await listen(server, opts.port ?? envPort ?? DEFAULT_API_PORT);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dynamoEndpoint,
    store,
    issuer,
    storeProcess: () => {
      const pid = engine.pid();
      return { state: engine.state(), restarts: engine.restarts(), recovered, ...(pid !== undefined ? { pid } : {}) };
    },
    async stop() {
      server.closeAllConnections?.();
      await close(server);
      destroyStoreContext(store);
      health.destroy();
      await engine.stop();
      if (openMarker) rmSync(openMarker, { force: true });
      setStoreContext(undefined);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP adapter

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

function cors(req: IncomingMessage, res: ServerResponse, origins: Set<string>): void {
  const origin = req.headers.origin;
  if (origin && origins.has(origin)) {
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("vary", "Origin");
    res.setHeader("access-control-allow-headers", "authorization, content-type, idempotency-key, accept-language, if-match");
    res.setHeader("access-control-allow-methods", "GET, PUT, POST, DELETE, OPTIONS");
    res.setHeader("access-control-expose-headers", "idempotent-replayed");
    res.setHeader("access-control-max-age", "600");
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | "tooLarge"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY_BYTES) return "tooLarge";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const DevTokenRequest = z.strictObject({
  sub: IdSchema,
  tid: IdSchema,
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  roles: z.array(z.string().check(z.maxLength(40))).check(z.maxLength(10)),
  expiresInSeconds: z.optional(z.int().check(z.gte(-3600), z.lte(7 * 24 * 3600))),
});

const handlers = new Map<string, Promise<((e: ApiEvent) => Promise<ApiResult>) | undefined>>();

/** Import a group's handler on first use; undefined while its file does not exist yet. */
function handlerOf(group: RouteGroup): Promise<((e: ApiEvent) => Promise<ApiResult>) | undefined> {
  const file = join(REPO_ROOT, group.handlerFile);
  if (!existsSync(file)) return Promise.resolve(undefined);
  let p = handlers.get(file);
  if (!p) {
    p = import(pathToFileURL(file).href).then((m: { handler?: (e: ApiEvent) => Promise<ApiResult> }) => m.handler);
    p.catch(() => handlers.delete(file));
    handlers.set(file, p);
  }
  return p;
}

interface StoreHealth {
  engine: DynamoEngine;
  health: DynamoDBClient;
  tableName: string;
}

/** `GET /healthz`: 200 `{store:"ok"}` when the store answers DescribeTable within 2 s, else 503. */
async function healthz(h: StoreHealth): Promise<{ status: number; body: { store: "ok" | "down"; message?: string } }> {
  if (h.engine.state() !== "up") return { status: 503, body: { store: "down", message: h.engine.problem() ?? "the store is not up" } };
  try {
    await h.health.send(new DescribeTableCommand({ TableName: h.tableName }), { abortSignal: AbortSignal.timeout(2000) });
    return { status: 200, body: { store: "ok" } };
  } catch (e) {
    return { status: 503, body: { store: "down", message: `the store does not answer: ${e instanceof Error ? e.message : String(e)}` } };
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, issuer: DevIssuer, origins: Set<string>, store: StoreHealth): Promise<void> {
  cors(req, res, origins);
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (method === "OPTIONS") {
    res.writeHead(204);
    res.end();
    return;
  }
  const body = await readBody(req);
  if (body === "tooLarge") return send(res, 413, { error: { code: "too_large", message: "request body too large", details: [] } });

  if (url.pathname === "/healthz" && method === "GET") {
    const h = await healthz(store);
    return send(res, h.status, h.body);
  }

  // Dev issuer — local mode only (never deployed).
  if (url.pathname === "/dev/jwks.json" && method === "GET") return send(res, 200, issuer.jwks);
  if (url.pathname === "/dev/users" && method === "GET") return send(res, 200, { items: DEMO_USERS });
  if (url.pathname === "/dev/token" && method === "POST") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return send(res, 400, { error: { code: "invalid", message: "malformed JSON body", details: [] } });
    }
    const v = validate(DevTokenRequest, parsed);
    if (!v.ok) return send(res, 400, { error: { code: "invalid", message: "invalid token request", details: v.details } });
    const { expiresInSeconds, ...claims } = v.value;
    return send(res, 200, { token: await issuer.issue(claims, expiresInSeconds !== undefined ? { expiresInSeconds } : {}) });
  }

  const found = findRoute(method, url.pathname);
  if (!found) return send(res, 404, { error: { code: "not_found", message: `no route ${method} ${url.pathname}`, details: [] } });

  // The JWT authorizer: missing or invalid token → 401 before any handler runs.
  const auth = req.headers.authorization ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const claims = token ? await issuer.verify(token) : undefined;
  if (!claims) return send(res, 401, { error: { code: "unauthorized", message: "missing or invalid bearer token", details: [] } });

  // A store being restarted is waited for; a store that is gone for good is a clear 503.
  if (store.engine.state() === "restarting") await store.engine.ready();
  if (store.engine.state() === "failed") {
    return send(res, 503, { error: { code: "unavailable", message: store.engine.problem() ?? "the local store is down", details: [] } });
  }

  const handler = await handlerOf(found.group);
  if (!handler) {
    return send(res, 501, { error: { code: "unsupported", message: `route group ${found.group.name} is not implemented yet`, details: [] } });
  }

  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const now = Date.now();
  const event = {
    version: "2.0",
    routeKey: `${found.route.method} ${found.route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(found.pathParameters).length > 0 ? { pathParameters: found.pathParameters } : {}),
    // As API Gateway: text as a string; bytes that are not UTF-8 base64-encoded, never altered.
    ...(body.length > 0 ? (isUtf8(body) ? { body: body.toString("utf8"), isBase64Encoded: false } : { body: body.toString("base64"), isBase64Encoded: true }) : { isBase64Encoded: false }),
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: url.host,
      domainPrefix: "local",
      http: { method, path: url.pathname, protocol: "HTTP/1.1", sourceIp: req.socket.remoteAddress ?? "127.0.0.1", userAgent: headers["user-agent"] ?? "" },
      requestId: `local-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      routeKey: `${found.route.method} ${found.route.path}`,
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      authorizer: { principalId: "", integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
  } as unknown as ApiEvent;
  const result = await handler(event);
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  res.end(result.body ?? "");
}
