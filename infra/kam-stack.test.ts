/**
 * CDK assertions on the synthesized template. Synthesis is offline and
 * never bundles: the `inline` function code stands in for esbuild, and the NodejsFunction wiring
 * is synthesized with bundling skipped (`aws:cdk:bundling-stacks: []`) against a scratch repo.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Match, Template } from "aws-cdk-lib/assertions";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { ROUTE_GROUPS, type RouteGroup } from "../functions/src/routes.js";
import { TABLE_DEFINITION } from "../functions/src/store/table.js";
import { createApp, kamConfigOf } from "./lib/app.js";
import { KamStack, type FunctionCode, GRANTABLE_TABLE_ACTIONS } from "./lib/kam-stack.js";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "c6c1f32b-5e55-4997-881a-753cc1d563b7";
const ADDIN_ORIGIN = "https://kam.example.com";

function synth(
  context: Record<string, unknown>,
  functionCode: FunctionCode = { kind: "inline" },
  routeGroups?: RouteGroup[],
): { stack: KamStack; template: Template } {
  const app = createApp(context);
  const config = kamConfigOf(app);
  if (!config.ok) throw new Error(config.problems.join("; "));
  const stack = new KamStack(app, "Kam-test", {
    config: config.config,
    functionCode,
    ...(routeGroups ? { routeGroups } : {}),
  });
  return { stack, template: Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties?: any; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

function actionsOf(statement: { Action: string | string[] }): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** All IAM statements of the template: managed/inline policies and role inline policies. */
function allStatements(template: Template): any[] {
  const statements: any[] = [];
  for (const policy of Object.values(resourcesOf(template, "AWS::IAM::Policy"))) {
    statements.push(...policy.Properties.PolicyDocument.Statement);
  }
  for (const policy of Object.values(resourcesOf(template, "AWS::IAM::ManagedPolicy"))) {
    statements.push(...policy.Properties.PolicyDocument.Statement);
  }
  for (const role of Object.values(resourcesOf(template, "AWS::IAM::Role"))) {
    for (const p of role.Properties.Policies ?? []) statements.push(...p.PolicyDocument.Statement);
  }
  return statements;
}

describe("KamStack with issuer, audience and add-in origin from context", () => {
  let stack: KamStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synth({ tenantId: TENANT, audience: CLIENT, addinOrigin: ADDIN_ORIGIN, stage: "test" }));
  });

  describe("DynamoDB table", () => {
    it("is on-demand with point-in-time recovery, deletion protection and SSE", () => {
      template.resourceCountIs("AWS::DynamoDB::Table", 1);
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      });
    });

    it("is retained when the stack is deleted or the table replaced", () => {
      template.hasResource("AWS::DynamoDB::Table", { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    });

    it("has exactly the keys, attributes, indexes and TTL of TABLE_DEFINITION", () => {
      const [table] = Object.values(resourcesOf(template, "AWS::DynamoDB::Table"));
      const props = table!.Properties;
      expect(props.KeySchema).toEqual(TABLE_DEFINITION.KeySchema);
      const byName = (a: { AttributeName: string }, b: { AttributeName: string }) =>
        a.AttributeName.localeCompare(b.AttributeName);
      expect([...props.AttributeDefinitions].sort(byName)).toEqual([...TABLE_DEFINITION.AttributeDefinitions].sort(byName));
      expect(props.GlobalSecondaryIndexes).toEqual(TABLE_DEFINITION.GlobalSecondaryIndexes);
      expect(props.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_DEFINITION.TimeToLiveAttribute, Enabled: true });
      // the backend's design today: pk/sk with two GSIs (gsi1 change order, gsi2 owner)
      expect(props.KeySchema).toEqual([
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ]);
      expect(props.GlobalSecondaryIndexes.map((g: { IndexName: string }) => g.IndexName)).toEqual(["gsi1", "gsi2"]);
    });
  });

  describe("functions", () => {
    it("has one ARM64 Node.js 22 function per route group and no other function", () => {
      template.resourceCountIs("AWS::Lambda::Function", ROUTE_GROUPS.length);
      expect([...stack.functions.keys()]).toEqual(ROUTE_GROUPS.map((g) => g.name));
      for (const fn of Object.values(resourcesOf(template, "AWS::Lambda::Function"))) {
        expect(fn.Properties.Architectures).toEqual(["arm64"]);
        expect(fn.Properties.Runtime).toBe("nodejs22.x");
      }
    });

    it("passes the table name in TABLE_NAME and logs to a log group with retention", () => {
      const tableId = stack.getLogicalId(stack.table.node.defaultChild as any);
      for (const [, fn] of stack.functions) {
        const props = Object.values(
          template.findResources("AWS::Lambda::Function", {
            Properties: { Role: { "Fn::GetAtt": [stack.getLogicalId(fn.role!.node.defaultChild as any), "Arn"] } },
          }),
        )[0]!.Properties;
        expect(props.Environment.Variables.TABLE_NAME).toEqual({ Ref: tableId });
        const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
        const logGroup = template.toJSON().Resources[logGroupId];
        expect(logGroup.Type).toBe("AWS::Logs::LogGroup");
        expect(logGroup.Properties.RetentionInDays).toBe(90); // THREE_MONTHS
      }
    });
  });

  describe("IAM", () => {
    it("grants no dynamodb:Scan and no dynamodb wildcard anywhere", () => {
      const actions = allStatements(template).flatMap(actionsOf);
      expect(actions.filter((a) => a.startsWith("dynamodb:")).length).toBeGreaterThan(0);
      expect(actions).not.toContain("dynamodb:Scan");
      expect(actions.filter((a) => a.startsWith("dynamodb:") && a.includes("*"))).toEqual([]);
      expect(actions).not.toContain("*");
      expect(JSON.stringify(template.toJSON())).not.toMatch(/dynamodb:(Scan|\*)/);
    });

    it("gives each function exactly its group's table actions on the table and index actions on the indexes", () => {
      const tableArn = { "Fn::GetAtt": [stack.getLogicalId(stack.table.node.defaultChild as any), "Arn"] };
      for (const group of ROUTE_GROUPS) {
        const fn = stack.functions.get(group.name)!;
        const roleId = stack.getLogicalId(fn.role!.node.defaultChild as any);
        const policies = Object.values(
          template.findResources("AWS::IAM::Policy", { Properties: { Roles: [{ Ref: roleId }] } }),
        );
        const statements = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
        const dynamo = statements.filter((s: any) => actionsOf(s).some((a) => a.startsWith("dynamodb:")));
        const onTable = dynamo.filter((s: any) => s.Sid === "TableAccess");
        const onIndexes = dynamo.filter((s: any) => s.Sid === "IndexAccess");
        expect(onTable.length + onIndexes.length, group.name).toBe(dynamo.length);
        expect(onTable.flatMap(actionsOf).sort(), group.name).toEqual([...new Set(group.tableActions)].sort());
        expect(onIndexes.flatMap(actionsOf).sort(), group.name).toEqual([...new Set(group.indexActions)].sort());
        for (const s of onTable) expect(s.Resource, group.name).toEqual(tableArn);
        for (const s of onIndexes) expect(s.Resource, group.name).toEqual({ "Fn::Join": ["", [tableArn, "/index/*"]] });
        // nothing else than its own log stream writes
        const other = statements.filter((s: any) => !dynamo.includes(s)).flatMap(actionsOf);
        expect(other.sort(), group.name).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
      }
    });

    it("attaches no managed policy (no AWSLambdaBasicExecutionRole logs:* on *)", () => {
      for (const role of Object.values(resourcesOf(template, "AWS::IAM::Role"))) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe("HTTP API", () => {
    it("has every route of ROUTE_GROUPS, each behind the JWT authorizer", () => {
      const expectedKeys = ROUTE_GROUPS.flatMap((g) => g.routes.map((r) => `${r.method} ${r.path}`)).sort();
      const routes = Object.values(resourcesOf(template, "AWS::ApiGatewayV2::Route"));
      expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(expectedKeys);
      const authorizerIds = Object.keys(resourcesOf(template, "AWS::ApiGatewayV2::Authorizer"));
      expect(authorizerIds).toHaveLength(1);
      for (const route of routes) {
        expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe("JWT");
        expect(route.Properties.AuthorizerId, route.Properties.RouteKey).toEqual({ Ref: authorizerIds[0] });
      }
    });

    it("routes each path to its group's function", () => {
      for (const group of ROUTE_GROUPS) {
        const fnId = stack.getLogicalId(stack.functions.get(group.name)!.node.defaultChild as CfnFunction);
        const integrations = template.findResources("AWS::ApiGatewayV2::Integration", {
          Properties: { IntegrationUri: { "Fn::GetAtt": [fnId, "Arn"] } },
        });
        expect(Object.keys(integrations), group.name).toHaveLength(1);
        const target = { "Fn::Join": ["", ["integrations/", { Ref: Object.keys(integrations)[0] }]] };
        for (const route of group.routes) {
          template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
            RouteKey: `${route.method} ${route.path}`,
            Target: target,
          });
        }
      }
    });

    it("validates Entra tokens of the configured tenant and audience", () => {
      template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
        AuthorizerType: "JWT",
        IdentitySource: ["$request.header.Authorization"],
        JwtConfiguration: {
          Issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
          Audience: [CLIENT],
        },
      });
    });

    it("allows CORS for exactly the add-in's origin", () => {
      const [api] = Object.values(resourcesOf(template, "AWS::ApiGatewayV2::Api"));
      const cors = api!.Properties.CorsConfiguration;
      expect(cors.AllowOrigins).toEqual([ADDIN_ORIGIN]);
      expect(cors.AllowCredentials).toBe(false);
      expect(cors.AllowHeaders).toEqual(expect.arrayContaining(["Authorization", "Content-Type", "Idempotency-Key"]));
      expect([...cors.AllowMethods].sort()).toEqual([...new Set(ROUTE_GROUPS.flatMap((g) => g.routes.map((r) => r.method)))].sort());
    });

    it("deploys the $default stage automatically with throttling and access logs", () => {
      template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
        StageName: "$default",
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp("\\$context.requestId") },
      });
    });
  });

  describe("add-in hosting", () => {
    it("keeps the bucket private, encrypted and SSL-only", () => {
      template.hasResourceProperties("AWS::S3::Bucket", {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
      });
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "s3:*",
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
            // only CloudFront (origin access control) reads objects
            Match.objectLike({ Effect: "Allow", Action: "s3:GetObject", Principal: { Service: "cloudfront.amazonaws.com" } }),
          ]),
        },
      });
    });

    it("serves the bucket through CloudFront with origin access control over HTTPS", () => {
      template.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
      template.hasResourceProperties("AWS::CloudFront::Distribution", {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: "redirect-to-https" }),
          Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: "" } })],
        }),
      });
    });

    it("sends Access-Control-Allow-Origin on functions*.json (Excel on the web fetches it cross-origin)", () => {
      const [dist] = Object.values(resourcesOf(template, "AWS::CloudFront::Distribution"));
      const behaviors = dist!.Properties.DistributionConfig.CacheBehaviors as any[];
      const metadata = behaviors.find((b) => b.PathPattern === "*functions*.json");
      expect(metadata).toBeDefined();
      const policyId = metadata.ResponseHeadersPolicyId.Ref as string;
      const policy = template.toJSON().Resources[policyId];
      expect(policy.Type).toBe("AWS::CloudFront::ResponseHeadersPolicy");
      expect(policy.Properties.ResponseHeadersPolicyConfig.CorsConfig).toMatchObject({
        AccessControlAllowOrigins: { Items: ["*"] },
        AccessControlAllowMethods: { Items: ["GET", "HEAD"] },
        AccessControlAllowCredentials: false,
        OriginOverride: true,
      });
      // the metadata path pattern matches where the add-in build puts the files
      const pattern = new RegExp("^" + metadata.PathPattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*") + "$");
      expect("/functions.json").toMatch(pattern);
      expect("/1.4.0/functions-zh-cn.json").toMatch(pattern);
      expect("/taskpane.html").not.toMatch(pattern);
    });

    it("never forbids framing (Office shows the pane in a frame)", () => {
      for (const policy of Object.values(resourcesOf(template, "AWS::CloudFront::ResponseHeadersPolicy"))) {
        const security = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig ?? {};
        expect(security.FrameOptions).toBeUndefined();
        expect(security.ContentSecurityPolicy).toBeUndefined();
      }
    });
  });

  it("outputs the API and add-in URLs, the bucket and the distribution", () => {
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(["ApiUrl", "AddinUrl", "AddinOrigin", "AddinBucketName", "AddinDistributionId", "TableName"]),
    );
    const apiId = stack.getLogicalId(stack.api.node.defaultChild as any);
    expect(JSON.stringify(outputs.ApiUrl.Value)).toContain(`"Ref":"${apiId}"`);
    expect(outputs.AddinOrigin.Value).toBe(ADDIN_ORIGIN);
    const distId = stack.getLogicalId(stack.distribution.node.defaultChild as any);
    expect(outputs.AddinDistributionId.Value).toEqual({ Ref: distId });
    expect(outputs.AddinUrl.Value).toEqual({ "Fn::Join": ["", ["https://", { "Fn::GetAtt": [distId, "DomainName"] }, "/"]] });
  });
});

describe("KamStack without issuer and audience at synth", () => {
  let stack: KamStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synth({}));
  });

  it("takes the tenant and audience as deploy-time parameters", () => {
    template.hasParameter("EntraTenantId", { Type: "String", AllowedPattern: Match.stringLikeRegexp("0-9a-fA-F") });
    template.hasParameter("EntraAudience", { Type: "String" });
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      JwtConfiguration: {
        Issuer: { "Fn::Join": ["", ["https://login.microsoftonline.com/", { Ref: "EntraTenantId" }, "/v2.0"]] },
        Audience: [{ Ref: "EntraAudience" }],
      },
    });
  });

  it("allows CORS for the CloudFront domain of the add-in", () => {
    const distId = stack.getLogicalId(stack.distribution.node.defaultChild as any);
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      CorsConfiguration: {
        AllowOrigins: [{ "Fn::Join": ["", ["https://", { "Fn::GetAtt": [distId, "DomainName"] }]] }],
      },
    });
  });
});

describe("KamStack with a custom add-in domain", () => {
  it("puts the domain and certificate on the distribution and allows that origin", () => {
    const arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    const { template } = synth({ tenantId: TENANT, audience: CLIENT, addinDomain: "kam.example.com", addinCertificateArn: arn });
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        Aliases: ["kam.example.com"],
        ViewerCertificate: Match.objectLike({ AcmCertificateArn: arn, MinimumProtocolVersion: "TLSv1.2_2021" }),
      }),
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ["https://kam.example.com"] }),
    });
    expect(template.toJSON().Outputs.AddinUrl.Value).toBe("https://kam.example.com/");
  });
});

describe("route groups that ask for too much", () => {
  const base = ROUTE_GROUPS[0]!;
  it.each(["dynamodb:Scan", "dynamodb:*", "dynamodb:DeleteTable", "s3:GetObject"])("refuses to grant %s", (action) => {
    const greedy = [{ ...base, tableActions: [...base.tableActions, action] }] as unknown as RouteGroup[];
    expect(() => synth({}, { kind: "inline" }, greedy)).toThrow(action);
  });

  it.each(["dynamodb:GetItem", "dynamodb:Scan"])("refuses %s on the indexes (only Query reads an index)", (action) => {
    const greedy = [{ ...base, indexActions: [action] }] as unknown as RouteGroup[];
    expect(() => synth({}, { kind: "inline" }, greedy)).toThrow(action);
  });

  it("grants every action the allow-list names (sanity of the list itself)", () => {
    expect(GRANTABLE_TABLE_ACTIONS.has("dynamodb:Scan")).toBe(false);
    for (const group of ROUTE_GROUPS) for (const a of group.tableActions) expect(GRANTABLE_TABLE_ACTIONS.has(a)).toBe(true);
    for (const group of ROUTE_GROUPS) expect(group.indexActions.every((a) => a === "dynamodb:Query")).toBe(true);
  });
});

describe("KamStack with NodejsFunction (bundling skipped, scratch repository)", () => {
  let repo: string;
  let template: Template;
  beforeAll(() => {
    // A scratch repo holding one tiny entry per group: the wiring is checked without esbuild.
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "kam-infra-"));
    fs.writeFileSync(path.join(repo, "package-lock.json"), "{}\n");
    fs.writeFileSync(path.join(repo, "tsconfig.json"), "{}\n");
    for (const group of ROUTE_GROUPS) {
      fs.mkdirSync(path.dirname(path.join(repo, group.handlerFile)), { recursive: true });
      fs.writeFileSync(path.join(repo, group.handlerFile), "export const handler = async () => ({ statusCode: 204 });\n");
    }
    ({ template } = synth(
      { tenantId: TENANT, audience: CLIENT, "aws:cdk:bundling-stacks": [] },
      { kind: "esbuild", repoRoot: repo },
    ));
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("builds one asset-backed ARM64 Node.js 22 function per group exporting `handler`", () => {
    const fns = Object.values(resourcesOf(template, "AWS::Lambda::Function"));
    expect(fns).toHaveLength(ROUTE_GROUPS.length);
    for (const fn of fns) {
      expect(fn.Properties.Handler).toBe("index.handler");
      expect(fn.Properties.Runtime).toBe("nodejs22.x");
      expect(fn.Properties.Architectures).toEqual(["arm64"]);
      expect(fn.Properties.Code.S3Key).toMatch(/\.zip$/);
      // No source maps in the asset, so nothing to enable (lambdaBundling).
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    }
  });
});
