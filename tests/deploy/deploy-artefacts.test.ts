/**
 * The deployed artefacts, run: `infra/bin/kam.ts` synthesises the stack (esbuild bundles, no
 * Docker) into a scratch folder; DynamoDB Local gets the table the template defines; each
 * function's bundled `index.mjs` runs in its own worker thread with the environment the template
 * gives it and is invoked with HTTP API payload-2.0 events carrying the JWT authorizer's string
 * claims. A recording proxy per function sees every DynamoDB call, and the function's synthesised
 * IAM policy must allow each one and grant nothing else. Offline throughout.
 *
 * The one thing not taken from the template: the SDK endpoint. The bundles run their production
 * client path (no DYNAMODB_ENDPOINT) and reach DynamoDB Local through the SDK's standard
 * `AWS_ENDPOINT_URL_DYNAMODB` variable, with the credentials and region in the environment as
 * Lambda provides them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, UpdateTimeToLiveCommand, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INLINE_RESPONSE_BYTES } from "../../functions/src/store/idempotency.js";
import { REPO_ROOT } from "../../infra/lib/kam-stack.js";
import { startEngine, type Engine } from "../backend/engines.js";
import { ACCOUNT, API_ID, AUDIENCE, REGION, gatewayClaims, gatewayEvent } from "../../functions/local/gateway-events.js";
import { dynamoGrants, grantCovers, isAllowed, roleStatements, type Statement } from "./iam.js";
import { startLambda, type LambdaHost } from "./lambda.js";
import { startRecorder, type RecordedCall, type Recorder } from "./recorder.js";
import { TENANT, scenario } from "./scenario.js";
import { resolverOf, resourcesOfType, single, synthesise, type Assembly, type Json, type Resolver } from "./template.js";

const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const DISTRIBUTION_DOMAIN = "d111111abcdef8.cloudfront.net";

interface Fn {
  logicalId: string;
  roleId: string;
  bundle: string;
  handler: string;
  env: Record<string, string>;
}

let outdir: string;
let assembly: Assembly;
let engine: Engine | undefined;
let tableId: string;
let tableName: string;
let tableArn: string;
let resolve: Resolver;
const functions = new Map<string, Fn>();
/** Route key → function logical id, from the template's routes and integrations. */
const routeTargets = new Map<string, string>();
const recorders = new Map<string, Recorder>();
const hosts = new Map<string, LambdaHost>();
const invokedRoutes = new Set<string>();

/** The template's AWS::DynamoDB::Table as a CreateTable call (and the TTL to switch on after). */
function createTableInput(props: Json, name: string): { input: CreateTableCommandInput; ttl?: string } {
  // Properties that change nothing a function can observe on DynamoDB Local.
  const noLocalEffect = new Set(["PointInTimeRecoverySpecification", "SSESpecification", "Tags", "DeletionProtectionEnabled"]);
  const input: CreateTableCommandInput = { TableName: name, AttributeDefinitions: props.AttributeDefinitions, KeySchema: props.KeySchema };
  let ttl: string | undefined;
  for (const [key, value] of Object.entries(props as Record<string, Json>)) {
    if (key === "AttributeDefinitions" || key === "KeySchema" || noLocalEffect.has(key)) continue;
    if (key === "BillingMode") input.BillingMode = value;
    else if (key === "ProvisionedThroughput") input.ProvisionedThroughput = value;
    else if (key === "GlobalSecondaryIndexes") {
      input.GlobalSecondaryIndexes = (value as Json[]).map((g) => ({
        IndexName: g.IndexName,
        KeySchema: g.KeySchema,
        Projection: g.Projection,
        ...(g.ProvisionedThroughput ? { ProvisionedThroughput: g.ProvisionedThroughput } : {}),
      }));
    } else if (key === "LocalSecondaryIndexes") input.LocalSecondaryIndexes = value;
    else if (key === "StreamSpecification") input.StreamSpecification = { StreamEnabled: true, StreamViewType: value.StreamViewType };
    else if (key === "TimeToLiveSpecification") ttl = value.Enabled ? value.AttributeName : undefined;
    else throw new Error(`AWS::DynamoDB::Table property ${key} is not translated by the deploy test`);
  }
  return { input, ...(ttl ? { ttl } : {}) };
}

function arnOf(call: RecordedCall, table: string): string {
  const arn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`;
  return call.index ? `${arn}/index/${call.index}` : arn;
}

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "kam-deploy-"));
  // The engine starts while the stack synthesises.
  const t0 = Date.now();
  const phases: string[] = [];
  const started = startEngine("dynamodb-local").then((e) => {
    phases.push(`DynamoDB Local up ${Date.now() - t0} ms`);
    return (engine = e);
  });
  const synthesised = synthesise(outdir).then((a) => {
    phases.push(`synthesised ${Date.now() - t0} ms`);
    return a;
  });
  await Promise.allSettled([started, synthesised]);
  assembly = await synthesised;
  await started;
  const [tid, table] = single(assembly, "AWS::DynamoDB::Table");
  tableId = tid;
  // The physical name CloudFormation gives an unnamed table: <stack>-<logical id>-<suffix>.
  tableName = table.Properties.TableName ?? `${assembly.stackName}-${tableId}-1Q2W3E4R5T6Y`;
  tableArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}`;
  const [distributionId] = single(assembly, "AWS::CloudFront::Distribution");
  // Other resources resolve to opaque names: they never match a table ARN.
  const refs: Record<string, string> = {};
  const atts: Record<string, string> = {};
  for (const [id, r] of Object.entries(assembly.template.Resources)) {
    refs[id] = `<${id}>`;
    for (const att of ["Arn", "DomainName", "RegionalDomainName", "Id"]) atts[`${id}.${att}`] = `<${id}.${att}>`;
    if (r.Type === "AWS::Lambda::Function") atts[`${id}.Arn`] = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`;
  }
  refs[tableId] = tableName;
  refs[single(assembly, "AWS::ApiGatewayV2::Api")[0]] = API_ID;
  // Deploy-time parameters (no issuer/audience at synth): this deployment's tenant and client.
  refs.EntraTenantId = TENANT;
  refs.EntraAudience = AUDIENCE;
  atts[`${tableId}.Arn`] = tableArn;
  atts[`${distributionId}.DomainName`] = DISTRIBUTION_DOMAIN;
  resolve = resolverOf(refs, atts, { "AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com" });

  for (const [id, r] of resourcesOfType(assembly, "AWS::Lambda::Function")) {
    const p = r.Properties;
    const dir = assembly.assetDirs.get(p.Code.S3Key);
    if (!dir) throw new Error(`${id}: no asset for ${p.Code.S3Key}`);
    const roleId = p.Role["Fn::GetAtt"][0] as string;
    functions.set(id, {
      logicalId: id,
      roleId,
      bundle: path.join(dir, `${p.Handler.split(".")[0]}.mjs`),
      handler: p.Handler,
      env: resolve(p.Environment?.Variables ?? {}),
    });
  }
  const integrations = new Map<string, string>();
  for (const [id, r] of resourcesOfType(assembly, "AWS::ApiGatewayV2::Integration")) {
    integrations.set(id, r.Properties.IntegrationUri["Fn::GetAtt"][0]);
  }
  for (const [, r] of resourcesOfType(assembly, "AWS::ApiGatewayV2::Route")) {
    const target = r.Properties.Target["Fn::Join"][1][1].Ref as string;
    routeTargets.set(r.Properties.RouteKey, integrations.get(target)!);
  }

  const admin = new DynamoDBClient({ endpoint: engine!.endpoint, region: REGION, credentials: CREDENTIALS });
  try {
    const { input, ttl } = createTableInput(table.Properties, tableName);
    await admin.send(new CreateTableCommand(input));
    if (ttl) await admin.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttl, Enabled: true } }));
  } finally {
    admin.destroy();
  }

  // One at a time, so each import time is the bundle's own.
  for (const fn of functions.values()) {
    const recorder = await startRecorder(engine!.endpoint);
    recorders.set(fn.logicalId, recorder);
    // What the Lambda runtime sets, then the function's own variables from the template.
    const env: Record<string, string> = {
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: "local",
      AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1024",
      LAMBDA_TASK_ROOT: path.dirname(fn.bundle),
      TZ: ":UTC",
      ...fn.env,
      AWS_ENDPOINT_URL_DYNAMODB: recorder.endpoint,
    };
    hosts.set(fn.logicalId, await startLambda({ name: fn.logicalId, bundle: fn.bundle, handler: fn.handler, env }));
  }
  phases.push(`functions loaded ${Date.now() - t0} ms`);
  console.log(`deploy test set-up: ${phases.join(", ")}`);
  // Generous for a loaded machine (the whole suite in parallel); alone it takes 10–45 s.
}, 240_000);

afterAll(async () => {
  await Promise.all([...hosts.values()].map((h) => h.stop()));
  await Promise.all([...recorders.values()].map((r) => r.close()));
  await engine?.stop();
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

describe("the synthesised table on DynamoDB Local", () => {
  it("has the template's keys, indexes, billing mode and TTL", async () => {
    const client = new DynamoDBClient({ endpoint: engine!.endpoint, region: REGION, credentials: CREDENTIALS });
    try {
      const props = assembly.template.Resources[tableId]!.Properties;
      const d = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table!;
      expect(d.KeySchema).toEqual(props.KeySchema);
      expect(d.BillingModeSummary?.BillingMode).toBe(props.BillingMode);
      expect(
        d.GlobalSecondaryIndexes!.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection })).sort((a, b) => a.IndexName!.localeCompare(b.IndexName!)),
      ).toEqual(props.GlobalSecondaryIndexes.map((g: Json) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection })));
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: props.TimeToLiveSpecification.AttributeName, TimeToLiveStatus: "ENABLED" });
    } finally {
      client.destroy();
    }
  });
});

describe("the bundled functions behind the API", () => {
  it("every function's bundle loads in a fresh sandbox with the template's environment", () => {
    expect(functions.size).toBeGreaterThan(0);
    const init: string[] = [];
    for (const fn of functions.values()) {
      expect(fs.existsSync(fn.bundle), fn.bundle).toBe(true);
      expect(fn.env.TABLE_NAME).toBe(tableName);
      // Production talks to the regional DynamoDB endpoint: the template points it nowhere else.
      expect(Object.keys(fn.env).filter((k) => /ENDPOINT/i.test(k)), fn.logicalId).toEqual([]);
      const host = hosts.get(fn.logicalId)!;
      expect(host.initMs).toBeGreaterThan(0);
      init.push(`${fn.logicalId} ${Math.round(fs.statSync(fn.bundle).size / 1024)} KB, import ${host.initMs.toFixed(0)} ms`);
    }
    console.log(`bundles (import in a worker thread, DynamoDB Local running):\n  ${init.join("\n  ")}`);
  });

  it("answer every route of the template as the contract says (payload 2.0, string claims)", async () => {
    for (const step of scenario()) {
      const fnId = routeTargets.get(step.call.routeKey);
      if (!fnId) throw new Error(`no route ${step.call.routeKey} in the template`);
      const host = hosts.get(fnId)!;
      const res = await host.invoke(gatewayEvent(step.who, step.call));
      invokedRoutes.add(step.call.routeKey);
      const label = `${step.call.routeKey} as ${step.who.oid}${step.replayOf ? ` (replay of ${step.replayOf})` : ""}`;
      const body = res.body ? JSON.parse(res.body) : undefined;
      if (res.statusCode !== step.status) {
        throw new Error(`${label}: expected ${step.status}, got ${res.statusCode} ${res.body?.slice(0, 600)}\n${host.logs.join("").slice(-2000)}`);
      }
      try {
        step.check?.(body, (res.headers ?? {}) as Record<string, string>);
      } catch (e) {
        throw new Error(`${label}: ${(e as Error).message}`);
      }
      if (step.replayOf?.endsWith("-big")) {
        // The stored answer really was split into parts (larger than the inline limit).
        const packed = gzipSync(Buffer.from(JSON.stringify({ status: res.statusCode, body }), "utf8"));
        expect(packed.length, `${label}: stored response size`).toBeGreaterThan(INLINE_RESPONSE_BYTES);
      }
    }
  }, 120_000);

  it("every route: JWT authorizer with the events' issuer and audience, payload-2.0 proxy integration, invoke permission", () => {
    const [authId, auth] = single(assembly, "AWS::ApiGatewayV2::Authorizer");
    const jwt = resolve(auth.Properties.JwtConfiguration);
    const claims = gatewayClaims({ tid: TENANT, oid: "x", name: "x", roles: [] });
    expect(jwt).toEqual({ Issuer: claims.iss, Audience: [claims.aud] });
    expect(auth.Properties.IdentitySource).toEqual(["$request.header.Authorization"]);
    const permissions = resourcesOfType(assembly, "AWS::Lambda::Permission").map(([, r]) => resolve(r.Properties));
    for (const [, r] of resourcesOfType(assembly, "AWS::ApiGatewayV2::Route")) {
      const { RouteKey: key, AuthorizationType, AuthorizerId } = r.Properties;
      expect([AuthorizationType, AuthorizerId], key).toEqual(["JWT", { Ref: authId }]);
      const integration = assembly.template.Resources[r.Properties.Target["Fn::Join"][1][1].Ref]!.Properties;
      expect([integration.IntegrationType, integration.PayloadFormatVersion], key).toEqual(["AWS_PROXY", "2.0"]);
      const fnArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${routeTargets.get(key)}`;
      const sourceArn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/*/*${key.slice(key.indexOf(" ") + 1)}`;
      expect(
        permissions.some((p) => p.Action === "lambda:InvokeFunction" && p.Principal === "apigateway.amazonaws.com" && p.FunctionName === fnArn && p.SourceArn === sourceArn),
        `${key}: no invoke permission ${sourceArn}`,
      ).toBe(true);
    }
  });

  it("every route of the template was called", () => {
    expect([...invokedRoutes].sort()).toEqual([...routeTargets.keys()].sort());
  });
});

describe("each function's IAM policy against the DynamoDB calls it made", () => {
  function usage(fnId: string) {
    const calls = recorders.get(fnId)!.calls;
    const used = new Map<string, Set<string>>();
    for (const c of calls) {
      for (const t of c.tables) {
        const key = `${c.action} ${arnOf(c, t)}`;
        if (!used.has(key)) used.set(key, new Set());
      }
    }
    return { calls, pairs: [...used.keys()].map((k) => ({ action: k.split(" ")[0]!, resource: k.split(" ")[1]! })) };
  }

  it("functions only touch the stack's table, through the endpoint they were given", () => {
    for (const fnId of functions.keys()) {
      const { calls } = usage(fnId);
      expect(calls.length, fnId).toBeGreaterThan(0);
      for (const c of calls) expect(c.tables, `${fnId} ${c.action}`).toEqual([tableName]);
      // Failures are only the optimistic-concurrency ones the store expects.
      for (const c of calls) {
        if (c.status !== 200) expect(`${c.status} ${c.errorType}`, `${fnId} ${c.action}`).toMatch(/^400 .*#ConditionalCheckFailedException$/);
      }
    }
  });

  it("allows every action each function used, on the table or index it used it on", () => {
    for (const fn of functions.values()) {
      const statements = roleStatements(assembly, fn.roleId, resolve);
      for (const { action, resource } of usage(fn.logicalId).pairs) {
        expect(isAllowed(statements, action, resource), `${fn.logicalId}: ${action} on ${resource}`).toBe(true);
      }
    }
  });

  it("grants no DynamoDB action, on no table or index, that the function never used", () => {
    const report: Record<string, string[]> = {};
    const unused: string[] = [];
    for (const fn of functions.values()) {
      const statements: Statement[] = roleStatements(assembly, fn.roleId, resolve);
      const { pairs } = usage(fn.logicalId);
      report[fn.logicalId] = [...new Set(pairs.map((p) => `${p.action}${p.resource.includes("/index/") ? ` (${p.resource.split("/index/")[1]})` : ""}`))].sort();
      for (const grant of dynamoGrants(statements)) {
        if (!pairs.some((p) => grantCovers(grant, p.action, p.resource))) unused.push(`${fn.logicalId}: ${grant.action} on ${grant.resource}`);
      }
    }
    console.log(`DynamoDB actions per function:\n${Object.entries(report).map(([f, a]) => `  ${f}: ${a.join(", ")}`).join("\n")}`);
    expect(unused).toEqual([]);
  });
});

describe("CORS of the add-in host and the API", () => {
  function metadataPaths(): string[] {
    const manifest = fs.readFileSync(path.join(REPO_ROOT, "manifest.xml"), "utf8");
    const urls = [...manifest.matchAll(/https:\/\/[^"'\s<]*functions[^"'\s<]*\.json[^"'\s<]*/g)].map((m) => new URL(m[0]).pathname);
    return [...new Set(urls)];
  }

  function cloudFrontPathMatch(pattern: string, p: string): boolean {
    const re = new RegExp(`^/?${pattern.replace(/^\//, "").replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    return re.test(p);
  }

  it("functions*.json (every metadata URL of the manifest) is served with CORS any Office host can read", () => {
    const paths = metadataPaths();
    expect(paths).toEqual(expect.arrayContaining(["/functions.json", "/functions-zh-cn.json"]));
    const [, dist] = single(assembly, "AWS::CloudFront::Distribution");
    const config = dist.Properties.DistributionConfig;
    for (const p of paths) {
      // CloudFront uses the first cache behaviour whose pattern matches, else the default.
      const behaviour = (config.CacheBehaviors ?? []).find((b: Json) => cloudFrontPathMatch(b.PathPattern, p));
      expect(behaviour, `no cache behaviour for ${p}`).toBeDefined();
      expect(behaviour.AllowedMethods).toEqual(expect.arrayContaining(["GET", "HEAD"]));
      const policyId = behaviour.ResponseHeadersPolicyId.Ref as string;
      const cors = assembly.template.Resources[policyId]!.Properties.ResponseHeadersPolicyConfig.CorsConfig;
      expect(cors.AccessControlAllowOrigins.Items).toEqual(["*"]);
      expect(cors.AccessControlAllowMethods.Items).toEqual(expect.arrayContaining(["GET"]));
      expect(cors.AccessControlAllowCredentials).toBe(false);
      expect(cors.OriginOverride).toBe(true);
    }
    // The add-in's pages are not given to other origins.
    const defaultPolicy = assembly.template.Resources[config.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref]!;
    expect(defaultPolicy.Properties.ResponseHeadersPolicyConfig.CorsConfig).toBeUndefined();
  });

  it("the API allows exactly the add-in host's origin, the add-in's headers and every route's method", () => {
    const [, api] = single(assembly, "AWS::ApiGatewayV2::Api");
    const cors = resolve(api.Properties.CorsConfiguration);
    const addinUrl = resolve(assembly.template.Outputs!.AddinUrl!.Value) as string;
    expect(addinUrl).toBe(`https://${DISTRIBUTION_DOMAIN}/`);
    expect(cors.AllowOrigins).toEqual([new URL(addinUrl).origin]);
    expect(cors.AllowCredentials).toBe(false);
    const headers = (cors.AllowHeaders as string[]).map((h) => h.toLowerCase());
    // The headers addin/src/api/client.ts sends.
    for (const h of ["authorization", "content-type", "idempotency-key", "accept-language"]) expect(headers, h).toContain(h);
    const methods = new Set([...routeTargets.keys()].map((k) => k.split(" ")[0]));
    expect([...(cors.AllowMethods as string[])].sort()).toEqual([...methods].sort());
  });
});
