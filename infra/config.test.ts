import { describe, expect, it } from "vitest";
import { entraIssuer, normalizeOrigin, parseKamConfig, type ContextKey } from "./lib/config.js";
import { parseContextArgs, stackNameOf } from "./lib/app.js";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "c6c1f32b-5e55-4997-881a-753cc1d563b7";

function parse(context: Partial<Record<ContextKey, string>>) {
  return parseKamConfig((key) => context[key]);
}

function problemsOf(context: Partial<Record<ContextKey, string>>): string[] {
  const result = parse(context);
  return result.ok ? [] : result.problems;
}

describe("parseKamConfig", () => {
  it("derives the Entra v2.0 issuer from the tenant id", () => {
    const result = parse({ tenantId: TENANT, audience: CLIENT });
    expect(result).toEqual({
      ok: true,
      config: {
        stage: "prod",
        entra: { issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, audience: [CLIENT] },
      },
    });
    expect(entraIssuer(TENANT)).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0`);
  });

  it("takes an explicit issuer and several comma-separated audiences", () => {
    const result = parse({
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      audience: `${CLIENT}, api://kam.example.com/${CLIENT}`,
      stage: "test",
    });
    expect(result.ok && result.config.entra).toEqual({
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      audience: [CLIENT, `api://kam.example.com/${CLIENT}`],
    });
    expect(result.ok && result.config.stage).toBe("test");
  });

  it("leaves issuer and audience to deploy-time parameters when neither is given", () => {
    const result = parse({});
    expect(result).toEqual({ ok: true, config: { stage: "prod" } });
  });

  it.each([
    // a trailing slash, "common" and the v1 issuer never equal a v2.0 token's iss
    [`https://login.microsoftonline.com/${TENANT}/v2.0/`],
    ["https://login.microsoftonline.com/common/v2.0"],
    [`http://login.microsoftonline.com/${TENANT}/v2.0`],
    ["not a url"],
  ])("rejects issuer %s", (issuer) => {
    expect(problemsOf({ issuer, audience: CLIENT })).toHaveLength(1);
  });

  it("rejects a tenant id that is not a GUID, and tenantId together with issuer", () => {
    expect(problemsOf({ tenantId: "contoso.onmicrosoft.com", audience: CLIENT })[0]).toMatch(/not a GUID/);
    expect(problemsOf({ tenantId: TENANT, issuer: entraIssuer(TENANT), audience: CLIENT })[0]).toMatch(/not both/);
  });

  it("requires issuer and audience together", () => {
    expect(problemsOf({ tenantId: TENANT })).toEqual(["audience is required when the issuer is set"]);
    expect(problemsOf({ audience: CLIENT })).toEqual(["tenantId (or issuer) is required when audience is set"]);
  });

  it("normalises the add-in origin and rejects anything that is not an https origin", () => {
    expect(parse({ addinOrigin: "https://KAM.Example.com/" })).toEqual({
      ok: true,
      config: { stage: "prod", addinOrigin: "https://kam.example.com" },
    });
    expect(normalizeOrigin("https://kam.example.com:8443")).toBe("https://kam.example.com:8443");
    expect(normalizeOrigin("https://kam.example.com/addin")).toBeUndefined();
    expect(normalizeOrigin("http://kam.example.com")).toBeUndefined();
    expect(normalizeOrigin("https://kam.example.com/?x=1")).toBeUndefined();
    expect(problemsOf({ addinOrigin: "kam.example.com" })[0]).toMatch(/https origin/);
  });

  it("takes a custom add-in domain only with a us-east-1 certificate", () => {
    const arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    expect(parse({ addinDomain: "Kam.Example.com", addinCertificateArn: arn })).toEqual({
      ok: true,
      config: { stage: "prod", addinDomain: { domainName: "kam.example.com", certificateArn: arn } },
    });
    expect(problemsOf({ addinDomain: "kam.example.com" })[0]).toMatch(/go together/);
    expect(
      problemsOf({ addinDomain: "kam.example.com", addinCertificateArn: arn.replace("us-east-1", "ap-east-1") })[0],
    ).toMatch(/us-east-1/);
  });

  it("rejects stage names that cannot be part of resource names, listing every problem", () => {
    const problems = problemsOf({ stage: "Prod Stage", addinOrigin: "ftp://x", tenantId: "x", audience: CLIENT });
    expect(problems).toHaveLength(3);
    expect(stackNameOf("test")).toBe("Kam-test");
  });
});

describe("parseContextArgs", () => {
  it("reads -c, --context and --context= like the CDK CLI", () => {
    expect(parseContextArgs(["-c", "stage=test", "--context", "audience=a=b", `--context=tenantId=${TENANT}`])).toEqual({
      ok: true,
      context: { stage: "test", audience: "a=b", tenantId: TENANT },
    });
  });

  it("refuses stray arguments and pairs without a key", () => {
    expect(parseContextArgs(["deploy"]).ok).toBe(false);
    expect(parseContextArgs(["-c", "=x"]).ok).toBe(false);
    expect(parseContextArgs(["-c"]).ok).toBe(false);
  });
});
