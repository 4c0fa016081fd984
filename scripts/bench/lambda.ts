/**
 * `npm run bench -- lambda` — the Lambda bundles as CDK synthesises them:
 *  1. synthesises the stack (infra/bin/kam.ts into a scratch directory; `KAM_BENCH_CDK_OUT=<dir>`
 *     measures an existing cloud assembly instead, e.g. one synthesised from another commit);
 *  2. per route group: the size of its `index.mjs` (minified; source maps, if any, are not
 *     counted) against its budget (infra/lib/lambda-bundles.ts), the module init time — `import()`
 *     in a fresh Node process, median of 5 — and the first request: a fresh process imports the
 *     bundle and answers one API Gateway HTTP API v2 event (JWT claims in the gateway's string
 *     form) against DynamoDB Local (the table created from TABLE_DEFINITION);
 *  3. BASELINE, same process: the DynamoDB client alone bundled with the same options — its size,
 *     init time and one GetItem from a fresh process — and each handler's ratio to it;
 *  4. the add-in's functions.js from the real build (scripts/build-addin.ts): its size gzip with
 *     the chunks it imports statically — what Excel loads before any cell can calculate.
 * Figures and ratios only; nothing here asserts.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ROUTE_GROUPS, type RouteGroup } from "../../functions/src/routes.js";
import { DYNAMODB_ENDPOINT_ENV } from "../../functions/src/store/client.js";
import { TABLE_DEFINITION, TABLE_NAME_ENV } from "../../functions/src/store/table.js";
import { lambdaBundling } from "../../infra/lib/kam-stack.js";
import { INIT_BUDGET_MS, bundleBudgetOf, esbuildOptionsOf } from "../../infra/lib/lambda-bundles.js";
import { buildAddin, FUNCTIONS_JS_GZIP_BUDGET, startupFiles } from "../build-addin.js";
import { startEngine } from "../../tests/backend/engines.js";
import { readAssembly, resourcesOfType, synthesise, type Assembly } from "../../tests/deploy/template.js";
import { at, got, must } from "../../shared/src/checked.js";
import { median } from "./stats.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const INIT_RUNS = 5;
const TABLE = "kam-bench";
const TENANT = "bench-tenant";

interface Bundle {
  group: string;
  file: string;
  env: Record<string, string>;
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

/** The bundles of a cloud assembly: each Lambda function's asset `index.mjs` and its environment. */
function bundlesOf(assembly: Assembly): Bundle[] {
  const out: Bundle[] = [];
  for (const [, r] of resourcesOfType(assembly, "AWS::Lambda::Function")) {
    const group = /^KAM ([\w-]+):/.exec(String(r.Properties?.Description ?? ""))?.[1];
    const dir = assembly.assetDirs.get(String(r.Properties?.Code?.S3Key ?? ""));
    const file = dir === undefined ? undefined : join(dir, "index.mjs");
    if (!group || !file || !existsSync(file)) continue;
    // Tokens ({"Ref": …}) have no value offline; plain strings are passed as the template gives them.
    const env = Object.fromEntries(Object.entries((r.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    out.push({ group, file, env });
  }
  return out.sort((a, b) => ROUTE_GROUPS.findIndex((g) => g.name === a.group) - ROUTE_GROUPS.findIndex((g) => g.name === b.group));
}

/** Run `code` (ESM) in a fresh Node process; the result is the JSON after the last `KAM_BENCH ` marker. */
function fresh<T>(code: string, env: Record<string, string>): T {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8", timeout: 60_000 });
  const line = r.stdout.split("\n").reverse().find((l) => l.startsWith("KAM_BENCH "));
  if (!line) throw new Error(`child failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(line.slice("KAM_BENCH ".length)) as T;
}

const INIT_CODE = `
const t = performance.now();
await import(process.env.KAM_BENCH_URL);
console.log("KAM_BENCH " + JSON.stringify({ ms: performance.now() - t }));
process.exit(0);`;

const FIRST_REQUEST_CODE = `
const t0 = performance.now();
const mod = await import(process.env.KAM_BENCH_URL);
const init = performance.now() - t0;
const event = JSON.parse(process.env.KAM_BENCH_EVENT);
const t1 = performance.now();
const res = await mod.handler(event);
console.log("KAM_BENCH " + JSON.stringify({ init, first: performance.now() - t1, status: res.statusCode }));
process.exit(0);`;

const BASELINE_REQUEST_CODE = `
const t0 = performance.now();
const { DynamoDBClient, GetItemCommand } = await import(process.env.KAM_BENCH_URL);
const init = performance.now() - t0;
const t1 = performance.now();
const client = new DynamoDBClient({ endpoint: process.env.KAM_BENCH_ENDPOINT, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
await client.send(new GetItemCommand({ TableName: process.env.KAM_BENCH_TABLE, Key: { pk: { S: "T#x#USER#x" }, sk: { S: "#ITEM" } } }));
console.log("KAM_BENCH " + JSON.stringify({ init, first: performance.now() - t1, status: 200 }));
process.exit(0);`;

/** The request a group answers first: its first route without a path parameter (else its first). */
function firstRoute(group: RouteGroup) {
  return group.routes.find((r) => r.method === "GET" && !r.path.includes("{")) ?? group.routes.find((r) => !r.path.includes("{")) ?? at(group.routes, 0, `routes of ${group.name}`);
}

/** An API Gateway HTTP API v2 event as the JWT authorizer passes it (claims as strings). */
function gatewayEvent(group: RouteGroup): Record<string, unknown> {
  const route = firstRoute(group);
  const now = Date.now();
  const body = route.path === "/v1/eval" ? JSON.stringify({ calls: [{ fn: "COLLECTION", args: ["*", "2026"] }] }) : route.method === "GET" ? undefined : JSON.stringify({ items: [] });
  return {
    version: "2.0",
    routeKey: `${route.method} ${route.path}`,
    rawPath: route.path,
    rawQueryString: "",
    headers: { "content-type": "application/json", "accept-language": "zh-CN", host: "api.example.com" },
    requestContext: {
      accountId: "123456789012",
      apiId: "bench",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: { method: route.method, path: route.path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "kam-bench" },
      requestId: `bench-${group.name}`,
      routeKey: `${route.method} ${route.path}`,
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      authorizer: {
        jwt: {
          claims: { tid: TENANT, oid: "bench-director", sub: "bench-director", name: "Bench Director", roles: "[Director]", iat: String(Math.floor(now / 1000)), exp: String(Math.floor(now / 1000) + 3600) },
          scopes: null,
        },
      },
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  };
}

/** The DynamoDB client alone, bundled with the handlers' options: the floor every handler stands on. */
async function baselineBundle(dir: string): Promise<string> {
  const file = join(dir, "baseline", "index.mjs");
  const { entryPoints: _e, ...opts } = esbuildOptionsOf(lambdaBundling(ROOT), "baseline", file);
  await build({ ...opts, stdin: { contents: `export { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";\nexport { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";\n`, resolveDir: ROOT, loader: "ts" } });
  return file;
}

async function benchFunctionsJs(scratch: string): Promise<void> {
  const dist = join(scratch, "addin-dist");
  const t = performance.now();
  await buildAddin({ dist, log: () => {} });
  const files = startupFiles(join(dist, "addin"));
  const gzip = files.reduce((n, f) => n + f.gzip, 0);
  console.log(`
The add-in's functions.js (built in ${((performance.now() - t) / 1000).toFixed(1)} s), with the chunks it imports statically, gzip:`);
  for (const f of files) console.log(`  ${f.file.padEnd(44)} ${kb(f.bytes).padStart(9)} ${kb(f.gzip).padStart(9)} gzip`);
  console.log(`  ${"total".padEnd(44)} ${"".padStart(9)} ${kb(gzip).padStart(9)} gzip  budget ${kb(FUNCTIONS_JS_GZIP_BUDGET)}: ${gzip <= FUNCTIONS_JS_GZIP_BUDGET ? "ok" : "OVER"}`);
}

export async function benchLambda(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "kam-bench-lambda-"));
  let engine: Awaited<ReturnType<typeof startEngine>> | undefined;
  try {
    let assembly: Assembly;
    const given = process.env.KAM_BENCH_CDK_OUT;
    if (!given) {
      const cdkOut = join(scratch, "cdk.out");
      const t = performance.now();
      assembly = await synthesise(cdkOut);
      console.log(`synthesised the stack in ${((performance.now() - t) / 1000).toFixed(1)} s (${cdkOut})`);
    } else {
      console.log(`cloud assembly: ${given}`);
      assembly = readAssembly(given);
    }
    const bundles = bundlesOf(assembly);
    const baseFile = await baselineBundle(scratch);
    const baseUrl = pathToFileURL(baseFile).href;
    const baseBytes = statSync(baseFile).size;

    // Init times first, before DynamoDB Local's JVM competes for the CPU.
    const initOf = (url: string, env: Record<string, string>) => median(Array.from({ length: INIT_RUNS }, () => fresh<{ ms: number }>(INIT_CODE, { ...env, KAM_BENCH_URL: url }).ms));
    const baseInit = initOf(baseUrl, {});
    const inits = new Map(bundles.map((b) => [b.group, initOf(pathToFileURL(b.file).href, b.env)]));

    engine = await startEngine("dynamodb-local");
    const dynamo = new DynamoDBClient({ endpoint: engine.endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    await dynamo.send(new CreateTableCommand({ ...(TABLE_DEFINITION as unknown as ConstructorParameters<typeof CreateTableCommand>[0]), TableName: TABLE }));
    // Warm DynamoDB Local's JVM, so the first handler measured does not pay for the engine's own start.
    for (let i = 0; i < 30; i++) await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `warm#${i}` }, sk: { S: "#ITEM" } } }));
    dynamo.destroy();
    const storeEnv = { [TABLE_NAME_ENV]: TABLE, [DYNAMODB_ENDPOINT_ENV]: engine.endpoint, AWS_REGION: "local" };
    const baseFirst = fresh<{ first: number }>(BASELINE_REQUEST_CODE, { KAM_BENCH_URL: baseUrl, KAM_BENCH_ENDPOINT: engine.endpoint, KAM_BENCH_TABLE: TABLE }).first;

    console.log(`\nLambda bundles (index.mjs, minified), init = import() in a fresh Node process (median of ${INIT_RUNS}), first request against DynamoDB Local:`);
    console.log(`  ${"group".padEnd(9)} ${"size".padStart(9)} ${"budget".padStart(7)} ${"× base".padStart(7)} ${"init".padStart(8)} ${"× base".padStart(7)} ${"first request".padStart(26)} ${"× base".padStart(7)}`);
    for (const b of bundles) {
      const group = must(ROUTE_GROUPS.find((g) => g.name === b.group), `route group ${b.group}`);
      const url = pathToFileURL(b.file).href;
      const env = { ...b.env, ...storeEnv, KAM_BENCH_URL: url };
      const bytes = statSync(b.file).size;
      const init = got(inits, b.group, "init times");
      const first = fresh<{ first: number; status: number }>(FIRST_REQUEST_CODE, { ...env, KAM_BENCH_EVENT: JSON.stringify(gatewayEvent(group)) });
      const route = firstRoute(group);
      const budget = bundleBudgetOf(b.group);
      console.log(
        `  ${b.group.padEnd(9)} ${kb(bytes).padStart(9)} ${(bytes <= budget ? "ok" : "OVER").padStart(7)} ${(bytes / baseBytes).toFixed(2).padStart(7)} ` +
          `${`${init.toFixed(0)} ms`.padStart(8)} ${(init / baseInit).toFixed(2).padStart(7)} ` +
          `${`${route.method} ${route.path} ${first.status} ${first.first.toFixed(0)} ms`.padStart(26)} ${(first.first / baseFirst).toFixed(2).padStart(7)}`,
      );
    }
    console.log(`  ${"BASELINE".padEnd(9)} ${kb(baseBytes).padStart(9)} ${"".padStart(7)} ${"1.00".padStart(7)} ${`${baseInit.toFixed(0)} ms`.padStart(8)} ${"1.00".padStart(7)} ${`GetItem ${baseFirst.toFixed(0)} ms`.padStart(26)} ${"1.00".padStart(7)}`);
    console.log(`  budgets: ${kb(bundleBudgetOf("me"))} per bundle (eval ${kb(bundleBudgetOf("eval"))}), init ≤ ${INIT_BUDGET_MS} ms; BASELINE = @aws-sdk/client-dynamodb + lib-dynamodb alone, same options`);
    await engine.stop();
    engine = undefined;
    await benchFunctionsJs(scratch);
  } finally {
    await engine?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchLambda();
