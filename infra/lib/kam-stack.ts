/**
 * The KAM for Excel stack: one DynamoDB table, one Lambda per route group behind
 * an HTTP API with the Entra ID JWT authorizer, and S3 + CloudFront hosting for the add-in.
 *
 * Infra never restates what the backend already says: the table comes from
 * `functions/src/store/table.ts` (TABLE_DEFINITION) and the functions, routes and each
 * function's table permissions from `functions/src/routes.ts` (ROUTE_GROUPS).
 *
 * ## One deployment = one Entra tenant
 * API Gateway's HTTP API JWT authorizer validates exactly one issuer
 * (`https://login.microsoftonline.com/<tenant>/v2.0`). A deployment therefore serves one
 * company's Entra tenant; accepting tokens of several tenants (several issuers) needs a
 * Lambda authorizer that checks `iss` against an allow-list and verifies the signature itself.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import {
  CfnOutput,
  CfnParameter,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Tags,
  type StackProps,
} from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { ROUTE_GROUPS, type RouteGroup } from "../../functions/src/routes.js";
import { TABLE_DEFINITION, TABLE_NAME_ENV, type TableDefinition } from "../../functions/src/store/table.js";
import { ENTRA_ISSUER_PREFIX, ENTRA_ISSUER_SUFFIX, GUID_PATTERN, type KamConfig } from "./config.js";

/** The repository root (infra/lib/ → ../..): entries, lock file and tsconfig live there. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// ---- Lambda settings -------------------------------------------------------------------------
/** `/v1/eval` evaluates up to 1,000 calls per request; memory also buys CPU on Lambda. */
export const FUNCTION_MEMORY_MB = 1024;
/** HTTP API integrations time out at 30 s; the function gives up first and logs why. */
export const FUNCTION_TIMEOUT = Duration.seconds(28);
export const FUNCTION_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;
export const API_ACCESS_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;
/** Default route throttling of the API stage (requests per second, burst). */
export const API_THROTTLE = { rateLimit: 200, burstLimit: 400 } as const;

/**
 * The data-plane actions a route group may be granted. `Scan` is banned in request paths
 * (no Scan: docs/contracts.md §6), and wildcards or control-plane actions are never granted.
 */
export const GRANTABLE_TABLE_ACTIONS: ReadonlySet<string> = new Set([
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
]);

// ---- API CORS (the add-in is the only browser client) -----------------------------------------
/** Request headers the add-in sends (Idempotency-Key on batches, Accept-Language on eval: docs/contracts.md §6, §1.4). */
export const API_CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "Accept-Language"];
export const API_CORS_MAX_AGE = Duration.hours(1);

// ---- Add-in hosting ----------------------------------------------------------------------------
/** The shared-runtime page (Microsoft's Excel-Custom-Functions-Shared template). */
export const ADDIN_ENTRY_PAGE = "taskpane.html";
/**
 * Custom-function metadata: `functions.json` and its localised `functions-zh-cn.json`, at the
 * root or under a per-release prefix (Office caches it up to 24 h: version its URL).
 */
export const FUNCTIONS_METADATA_PATH_PATTERN = "*functions*.json";
/**
 * Excel on the web fetches the metadata cross-origin from Office's own hosts (which vary:
 * office.com, officeapps.live.com, a tenant's SharePoint). It is public, credential-free
 * static JSON, so any origin may read it.
 */
export const FUNCTIONS_METADATA_ALLOW_ORIGINS = ["*"];
export const FUNCTIONS_METADATA_CORS_MAX_AGE = Duration.days(1);
export const HSTS_MAX_AGE = Duration.days(365);
/** Keeps earlier releases restorable for a month after an overwrite or delete. */
export const ADDIN_NONCURRENT_VERSION_EXPIRY = Duration.days(30);

/**
 * Where function code comes from.
 * - `esbuild`: the real thing — a `NodejsFunction` per group bundled by the local esbuild
 *   (no Docker) into one minified ESM `index.mjs` (see `lambdaBundling`); entries are
 *   `<repoRoot>/<group.handlerFile>`.
 * - `inline`: unit tests only — a tiny inline handler, so synthesis never bundles and does not
 *   depend on the handler files. `bin/kam.ts` never uses it.
 */
export type FunctionCode = { kind: "esbuild"; repoRoot: string } | { kind: "inline" };

export interface KamStackProps extends StackProps {
  config: KamConfig;
  functionCode: FunctionCode;
  /** Defaults to ROUTE_GROUPS; tests may pass a variant to prove validation. */
  routeGroups?: readonly RouteGroup[];
  /** Defaults to TABLE_DEFINITION. */
  tableDefinition?: TableDefinition;
}

/**
 * How every handler is bundled (`npm run bench -- lambda` measures the synthesised assets;
 * infra/lambda-bundles.test.ts bundles with these options and holds each bundle to its budget,
 * lib/lambda-bundles.ts):
 * - one minified ESM file `index.mjs` for Node.js 22, the AWS SDK bundled too (the version the
 *   tests ran against, not the runtime's);
 * - no source map: the asset is the code alone (a map is several times the code, and loading it with
 *   `--enable-source-maps` slowed every cold start); logs name errors, not stack positions;
 * - the SDK's default credential chain is replaced by functions/src/lambda/credentials.ts, its
 *   Lambda links only (environment, container endpoint): the SSO / ini / process / web-identity
 *   / instance-metadata links and their nested STS, SSO and sign-in clients never run in Lambda.
 */
export function lambdaBundling(repoRoot: string): nodejs.BundlingOptions {
  return {
    minify: true,
    sourceMap: false,
    target: "node22",
    format: nodejs.OutputFormat.ESM,
    mainFields: ["module", "main"],
    // ESM output: CommonJS dependencies that call require() need one.
    banner: LAMBDA_BANNER,
    externalModules: [],
    esbuildArgs: { "--alias": `${CREDENTIAL_CHAIN_PACKAGE}=${path.join(repoRoot, LAMBDA_CREDENTIALS_FILE)}` },
    tsconfig: path.join(repoRoot, "tsconfig.json"),
    forceDockerBundling: false,
  };
}

/** The SDK package whose credential chain the Lambda bundles replace, and the replacement. */
export const CREDENTIAL_CHAIN_PACKAGE = "@aws-sdk/credential-provider-node";
export const LAMBDA_CREDENTIALS_FILE = "functions/src/lambda/credentials.ts";
export const LAMBDA_BANNER = "import { createRequire as __kamCreateRequire } from 'node:module'; const require = __kamCreateRequire(import.meta.url);";

/** Why a route group's grant is refused, or undefined when it is fine. */
export function tableActionProblem(action: string): string | undefined {
  if (action === "dynamodb:Scan") return "dynamodb:Scan is banned in request paths";
  if (action.includes("*")) return `wildcard action ${action} is never granted`;
  if (!GRANTABLE_TABLE_ACTIONS.has(action)) return `${action} is not a grantable table data action`;
  return undefined;
}

function keyAttribute(def: TableDefinition, keySchema: TableDefinition["KeySchema"], keyType: "HASH" | "RANGE") {
  const key = keySchema.find((k) => k.KeyType === keyType);
  if (!key) return undefined;
  const attr = def.AttributeDefinitions.find((a) => a.AttributeName === key.AttributeName);
  if (!attr) throw new Error(`TABLE_DEFINITION: key attribute ${key.AttributeName} has no AttributeDefinition`);
  const type = {
    S: dynamodb.AttributeType.STRING,
    N: dynamodb.AttributeType.NUMBER,
    B: dynamodb.AttributeType.BINARY,
  }[attr.AttributeType];
  return { name: attr.AttributeName, type };
}

const PROJECTION = {
  ALL: dynamodb.ProjectionType.ALL,
  KEYS_ONLY: dynamodb.ProjectionType.KEYS_ONLY,
  INCLUDE: dynamodb.ProjectionType.INCLUDE,
} as const;

/** A construct id from a group name ("visit-plans" → "VisitPlans"). */
function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

export class KamStack extends Stack {
  readonly table: dynamodb.Table;
  readonly functions: ReadonlyMap<string, lambda.Function>;
  readonly api: apigwv2.HttpApi;
  readonly apiStage: apigwv2.HttpStage;
  readonly addinBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** The origin the API's CORS allows (a token when derived from CloudFront). */
  readonly addinOrigin: string;
  private hasIndexes = false;

  constructor(scope: Construct, id: string, props: KamStackProps) {
    super(scope, id, props);
    const { config } = props;
    const routeGroups = props.routeGroups ?? ROUTE_GROUPS;
    const tableDefinition = props.tableDefinition ?? TABLE_DEFINITION;
    Tags.of(this).add("app", "kam-for-excel");
    Tags.of(this).add("stage", config.stage);

    this.table = this.createTable(tableDefinition);
    const hosting = this.createAddinHosting(config);
    this.addinBucket = hosting.bucket;
    this.distribution = hosting.distribution;
    this.addinOrigin = config.addinOrigin ?? hosting.origin;

    this.functions = this.createFunctions(routeGroups, props.functionCode, config);
    const { api, stage } = this.createApi(routeGroups, config);
    this.api = api;
    this.apiStage = stage;

    new CfnOutput(this, "ApiUrl", { value: stage.url, description: "Base URL of the KAM HTTP API (routes under /v1)" });
    new CfnOutput(this, "AddinUrl", {
      value: `${hosting.origin}/`,
      description: "Base URL of the add-in's static files (manifest URLs point here)",
    });
    new CfnOutput(this, "AddinOrigin", { value: this.addinOrigin, description: "Origin allowed by the API's CORS" });
    new CfnOutput(this, "AddinBucketName", {
      value: this.addinBucket.bucketName,
      description: "Upload the built add-in here (aws s3 sync)",
    });
    new CfnOutput(this, "AddinDistributionId", {
      value: this.distribution.distributionId,
      description: "Invalidate after an upload (aws cloudfront create-invalidation)",
    });
    new CfnOutput(this, "TableName", { value: this.table.tableName });
  }

  /** DynamoDB table from TABLE_DEFINITION; kept (and protected) whatever happens to the stack. */
  private createTable(def: TableDefinition): dynamodb.Table {
    const partitionKey = keyAttribute(def, def.KeySchema, "HASH");
    if (!partitionKey) throw new Error("TABLE_DEFINITION: no HASH key");
    const sortKey = keyAttribute(def, def.KeySchema, "RANGE");
    const table = new dynamodb.Table(this, "Table", {
      partitionKey,
      ...(sortKey ? { sortKey } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // AWS-managed KMS key (aws/dynamodb): encrypted at rest, no key policy to keep in step.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: def.TimeToLiveAttribute,
    });
    this.hasIndexes = def.GlobalSecondaryIndexes.length > 0;
    for (const gsi of def.GlobalSecondaryIndexes) {
      const pk = keyAttribute(def, gsi.KeySchema, "HASH");
      if (!pk) throw new Error(`TABLE_DEFINITION: index ${gsi.IndexName} has no HASH key`);
      const sk = keyAttribute(def, gsi.KeySchema, "RANGE");
      table.addGlobalSecondaryIndex({
        indexName: gsi.IndexName,
        partitionKey: pk,
        ...(sk ? { sortKey: sk } : {}),
        projectionType: PROJECTION[gsi.Projection.ProjectionType],
      });
    }
    return table;
  }

  /** Private S3 bucket behind CloudFront (origin access control); the bucket is never public. */
  private createAddinHosting(config: KamConfig) {
    const bucket = new s3.Bucket(this, "AddinBucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: ADDIN_NONCURRENT_VERSION_EXPIRY }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Excel on the web and desktop load the add-in inside a frame: no X-Frame-Options and no
    // CSP frame-ancestors here, or the task pane would not load.
    const securityHeadersBehavior: cloudfront.ResponseSecurityHeadersBehavior = {
      contentTypeOptions: { override: true },
      referrerPolicy: {
        referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
      strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: false, override: true },
    };
    const pageHeaders = new cloudfront.ResponseHeadersPolicy(this, "AddinHeaders", {
      comment: "KAM add-in: security headers (framing allowed: Office hosts the pane in a frame)",
      securityHeadersBehavior,
    });
    // docs/platform.md: Excel on the web fetches functions.json cross-origin — it must carry
    // Access-Control-Allow-Origin.
    const metadataHeaders = new cloudfront.ResponseHeadersPolicy(this, "FunctionsMetadataHeaders", {
      comment: "KAM add-in: CORS for custom-function metadata (functions*.json)",
      corsBehavior: {
        accessControlAllowOrigins: FUNCTIONS_METADATA_ALLOW_ORIGINS,
        accessControlAllowMethods: ["GET", "HEAD"],
        accessControlAllowHeaders: ["*"],
        accessControlAllowCredentials: false,
        accessControlMaxAge: FUNCTIONS_METADATA_CORS_MAX_AGE,
        originOverride: true,
      },
      securityHeadersBehavior,
    });

    const origin = origins.S3BucketOrigin.withOriginAccessControl(bucket);
    const behavior = (responseHeadersPolicy: cloudfront.IResponseHeadersPolicy): cloudfront.BehaviorOptions => ({
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      compress: true,
      responseHeadersPolicy,
    });
    const domain = config.addinDomain;
    const distribution = new cloudfront.Distribution(this, "AddinDistribution", {
      comment: `KAM for Excel add-in (${config.stage})`,
      defaultRootObject: ADDIN_ENTRY_PAGE,
      defaultBehavior: behavior(pageHeaders),
      additionalBehaviors: { [FUNCTIONS_METADATA_PATH_PATTERN]: behavior(metadataHeaders) },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // PriceClass 200 includes the Asian edges (Hong Kong, Singapore, Japan…) closest to the users.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      ...(domain
        ? {
            domainNames: [domain.domainName],
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            certificate: acm.Certificate.fromCertificateArn(this, "AddinCertificate", domain.certificateArn),
          }
        : {}),
    });
    const host = domain ? domain.domainName : distribution.distributionDomainName;
    return { bucket, distribution, origin: `https://${host}` };
  }

  /**
   * One function per route group, each allowed exactly its group's table actions on the table and
   * its index actions (Query) on the indexes — item actions are never granted on index ARNs.
   */
  private createFunctions(groups: readonly RouteGroup[], code: FunctionCode, config: KamConfig) {
    const functions = new Map<string, lambda.Function>();
    // Queries on a GSI are authorised on the index ARN, not the table's.
    const indexArn = `${this.table.tableArn}/index/*`;
    for (const group of groups) {
      const problems = [
        ...group.tableActions.map(tableActionProblem),
        ...group.indexActions.map((a) => (a === "dynamodb:Query" ? undefined : `${a} is not an index action (only dynamodb:Query)`)),
      ].filter((p): p is string => p !== undefined);
      if (group.indexActions.length > 0 && !this.hasIndexes) problems.push("index actions granted on a table without indexes");
      if (problems.length) throw new Error(`route group "${group.name}": ${problems.join("; ")}`);
      if (functions.has(group.name)) throw new Error(`route group "${group.name}" appears twice`);
      const id = pascal(group.name);

      const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: FUNCTION_LOG_RETENTION });
      // Own role instead of AWSLambdaBasicExecutionRole (logs:* on "*"): this log group only.
      const role = new iam.Role(this, `${id}Role`, {
        assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
        description: `KAM ${group.name} function (${config.stage})`,
      });
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [logGroup.logGroupArn],
        }),
      );
      if (group.tableActions.length > 0) {
        role.addToPolicy(
          new iam.PolicyStatement({
            sid: "TableAccess",
            actions: [...new Set(group.tableActions)].sort(),
            resources: [this.table.tableArn],
          }),
        );
      }
      if (group.indexActions.length > 0) {
        role.addToPolicy(
          new iam.PolicyStatement({
            sid: "IndexAccess",
            actions: [...new Set(group.indexActions)].sort(),
            resources: [indexArn],
          }),
        );
      }

      const common = {
        description: `KAM ${group.name}: ${group.routes.map((r) => `${r.method} ${r.path}`).join(", ")}`.slice(0, 256),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: FUNCTION_MEMORY_MB,
        timeout: FUNCTION_TIMEOUT,
        role,
        logGroup,
        environment: {
          [TABLE_NAME_ENV]: this.table.tableName,
          KAM_STAGE: config.stage,
        },
      } satisfies Partial<lambda.FunctionProps>;

      let fn: lambda.Function;
      if (code.kind === "esbuild") {
        fn = new nodejs.NodejsFunction(this, `${id}Function`, {
          ...common,
          entry: path.join(code.repoRoot, group.handlerFile),
          handler: "handler",
          projectRoot: code.repoRoot,
          depsLockFilePath: path.join(code.repoRoot, "package-lock.json"),
          bundling: lambdaBundling(code.repoRoot),
        });
      } else {
        fn = new lambda.Function(this, `${id}Function`, {
          ...common,
          handler: "index.handler",
          code: lambda.Code.fromInline(
            `exports.handler = async () => { throw new Error("KAM ${group.name}: synthesized without bundling (tests only)"); };`,
          ),
        });
      }
      functions.set(group.name, fn);
    }
    return functions;
  }

  private createApi(groups: readonly RouteGroup[], config: KamConfig) {
    let issuer: string;
    let audience: string[];
    if (config.entra) {
      issuer = config.entra.issuer;
      audience = config.entra.audience;
    } else {
      // Not given at synth: the deployer supplies them (`--parameters EntraTenantId=…`).
      const tenant = new CfnParameter(this, "EntraTenantId", {
        type: "String",
        allowedPattern: GUID_PATTERN,
        description: "Directory (tenant) ID of the company's Microsoft Entra tenant",
      });
      const aud = new CfnParameter(this, "EntraAudience", {
        type: "String",
        minLength: 1,
        description: "Application (client) ID of the add-in's Entra app registration (the tokens' aud)",
      });
      issuer = Fn.join("", [ENTRA_ISSUER_PREFIX, tenant.valueAsString, ENTRA_ISSUER_SUFFIX]);
      audience = [aud.valueAsString];
    }
    // The single issuer of this deployment — see the file comment (one tenant per deployment).
    const authorizer = new HttpJwtAuthorizer("EntraJwt", issuer, {
      jwtAudience: audience,
      identitySource: ["$request.header.Authorization"],
    });

    const methods = [...new Set(groups.flatMap((g) => g.routes.map((r) => r.method)))].sort();
    const api = new apigwv2.HttpApi(this, "Api", {
      apiName: `kam-${config.stage}`,
      description: "KAM for Excel API (/v1)",
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      corsPreflight: {
        // Only the add-in's own origin: the API is never called from another site's pages.
        allowOrigins: [this.addinOrigin],
        allowMethods: methods.map((m) => apigwv2.CorsHttpMethod[m as keyof typeof apigwv2.CorsHttpMethod]),
        allowHeaders: API_CORS_ALLOW_HEADERS,
        allowCredentials: false,
        maxAge: API_CORS_MAX_AGE,
      },
    });

    const accessLogs = new logs.LogGroup(this, "ApiAccessLogs", { retention: API_ACCESS_LOG_RETENTION });
    const stage = api.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // No user identifiers or bodies: logs never hold personal fields (docs/domain.md §9).
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            time: "$context.requestTime",
            routeKey: "$context.routeKey",
            status: "$context.status",
            latencyMs: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
            authorizerError: "$context.authorizer.error",
          }),
        ),
      },
    });

    for (const group of groups) {
      const fn = this.functions.get(group.name)!;
      const integration = new HttpLambdaIntegration(`${pascal(group.name)}Integration`, fn);
      for (const route of group.routes) {
        api.addRoutes({
          path: route.path,
          methods: [apigwv2.HttpMethod[route.method]],
          integration,
          authorizer,
        });
      }
    }
    return { api, stage };
  }
}
