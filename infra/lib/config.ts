/**
 * Deployment settings of the KAM stack, read from CDK context (`-c key=value`, `cdk.json`
 * "context", or `CDK_CONTEXT_JSON` when the CDK CLI runs the app).
 *
 * | context key           | meaning                                                                 |
 * |-----------------------|-------------------------------------------------------------------------|
 * | `stage`               | deployment name (`prod`, `test`…): stack name `Kam-<stage>`, tags       |
 * | `tenantId`            | the company's Entra tenant (GUID) → issuer `https://login.microsoftonline.com/<tid>/v2.0` |
 * | `issuer`              | the issuer itself (instead of `tenantId`), exactly as in the token's `iss` |
 * | `audience`            | the add-in's Entra application (client) ID — the token's `aud`; several: comma-separated |
 * | `addinOrigin`         | origin the add-in is served from, if not this stack's CloudFront domain |
 * | `addinDomain`         | custom domain for the add-in's CloudFront distribution (needs `addinCertificateArn`) |
 * | `addinCertificateArn` | ACM certificate (us-east-1) covering `addinDomain`                       |
 *
 * Issuer and audience are optional at synth time: without them the template takes them as
 * CloudFormation parameters (`EntraTenantId`, `EntraAudience`) that must be given at deploy,
 * so `npm run synth` works on a fresh clone with nothing configured.
 *
 * One deployment = one Entra tenant: the HTTP API JWT authorizer accepts exactly one issuer.
 * Serving several companies' tenants from one API needs a Lambda authorizer instead.
 *
 * Bad settings are operator input, so parsing never throws: it lists every problem at once.
 */

export const DEFAULT_STAGE = "prod";
/** Entra ID v2.0 tokens carry this issuer (app registration: `accessTokenAcceptedVersion: 2`). */
export const ENTRA_ISSUER_PREFIX = "https://login.microsoftonline.com/";
export const ENTRA_ISSUER_SUFFIX = "/v2.0";
const ENTRA_HOST = "login.microsoftonline.com";
export const GUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
const GUID = new RegExp(GUID_PATTERN);
/** Stage names become part of stack and resource names: short, lower-case, DNS-safe. */
const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_CERT_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/;

/** Issuer and audiences of the JWT authorizer, both fixed at synth time. */
export interface EntraSettings {
  issuer: string;
  audience: string[];
}

export interface AddinDomainSettings {
  domainName: string;
  certificateArn: string;
}

export interface KamConfig {
  stage: string;
  /** Undefined → taken from CloudFormation parameters at deploy time. */
  entra?: EntraSettings;
  /** Undefined → derived: `https://<addinDomain>` or `https://<CloudFront domain>`. */
  addinOrigin?: string;
  addinDomain?: AddinDomainSettings;
}

export type ConfigResult = { ok: true; config: KamConfig } | { ok: false; problems: string[] };

export const CONTEXT_KEYS = [
  "stage",
  "tenantId",
  "issuer",
  "audience",
  "addinOrigin",
  "addinDomain",
  "addinCertificateArn",
] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** `https://login.microsoftonline.com/<tid>/v2.0` — the `iss` of the tenant's v2.0 tokens. */
export function entraIssuer(tenantId: string): string {
  return `${ENTRA_ISSUER_PREFIX}${tenantId}${ENTRA_ISSUER_SUFFIX}`;
}

function text(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const s = String(raw).trim();
  return s === "" ? undefined : s;
}

/**
 * The issuer must equal the token's `iss` byte for byte. For Entra that is the tenant-specific
 * v2.0 form; `common`/`organizations` never appear in `iss`, and a trailing slash or the v1
 * form (`https://sts.windows.net/<tid>/`) would reject every v2.0 token.
 */
function checkIssuer(issuer: string, problems: string[]): void {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    problems.push(`issuer "${issuer}" is not a URL`);
    return;
  }
  if (url.protocol !== "https:") {
    problems.push(`issuer "${issuer}" must use https`);
    return;
  }
  if (url.hostname === ENTRA_HOST) {
    const tid = issuer.slice(ENTRA_ISSUER_PREFIX.length, issuer.length - ENTRA_ISSUER_SUFFIX.length);
    if (!issuer.startsWith(ENTRA_ISSUER_PREFIX) || !issuer.endsWith(ENTRA_ISSUER_SUFFIX) || !GUID.test(tid)) {
      problems.push(
        `issuer "${issuer}" is not an Entra v2.0 tenant issuer: expected ${entraIssuer("<tenant GUID>")}`,
      );
    }
  }
}

/**
 * An origin as browsers send it in `Origin`: https, host (and port), nothing else. One
 * trailing slash is forgiven; a path, query or credentials are not (CORS compares exactly).
 */
export function normalizeOrigin(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:") return undefined;
  const trimmed = raw.endsWith("/") ? raw.slice(0, -1) : raw;
  return trimmed.toLowerCase() === url.origin.toLowerCase() ? url.origin : undefined;
}

/** Reads the settings from a context lookup (`node.tryGetContext`). */
export function parseKamConfig(lookup: (key: ContextKey) => unknown): ConfigResult {
  const problems: string[] = [];

  const stage = text(lookup("stage")) ?? DEFAULT_STAGE;
  if (!STAGE.test(stage)) problems.push(`stage "${stage}" must match ${STAGE.source}`);

  const tenantId = text(lookup("tenantId"));
  const issuerRaw = text(lookup("issuer"));
  const audienceRaw = text(lookup("audience"));
  let entra: EntraSettings | undefined;
  if (tenantId !== undefined && issuerRaw !== undefined) {
    problems.push("give either tenantId or issuer, not both");
  } else if (tenantId !== undefined && !GUID.test(tenantId)) {
    problems.push(`tenantId "${tenantId}" is not a GUID (Entra admin center → Overview → Tenant ID)`);
  }
  const issuer = issuerRaw ?? (tenantId !== undefined && GUID.test(tenantId) ? entraIssuer(tenantId) : undefined);
  if (issuerRaw !== undefined) checkIssuer(issuerRaw, problems);
  const audience = audienceRaw
    ?.split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
  const issuerGiven = tenantId !== undefined || issuerRaw !== undefined;
  if (issuerGiven && !audience?.length) problems.push("audience is required when the issuer is set");
  if (!issuerGiven && audience?.length) problems.push("tenantId (or issuer) is required when audience is set");
  if (issuer !== undefined && audience?.length) entra = { issuer, audience };

  const originRaw = text(lookup("addinOrigin"));
  let addinOrigin: string | undefined;
  if (originRaw !== undefined) {
    addinOrigin = normalizeOrigin(originRaw);
    if (addinOrigin === undefined) {
      problems.push(`addinOrigin "${originRaw}" must be an https origin such as https://kam.example.com (no path)`);
    }
  }

  const domainRaw = text(lookup("addinDomain"));
  const certRaw = text(lookup("addinCertificateArn"));
  let addinDomain: AddinDomainSettings | undefined;
  if ((domainRaw === undefined) !== (certRaw === undefined)) {
    problems.push("addinDomain and addinCertificateArn go together (CloudFront needs the certificate)");
  } else if (domainRaw !== undefined && certRaw !== undefined) {
    const domainName = domainRaw.toLowerCase();
    if (!DOMAIN.test(domainName)) problems.push(`addinDomain "${domainRaw}" is not a domain name`);
    if (!ACM_CERT_ARN.test(certRaw)) {
      problems.push(`addinCertificateArn "${certRaw}" must be an ACM certificate ARN in us-east-1 (CloudFront)`);
    }
    addinDomain = { domainName, certificateArn: certRaw };
  }

  if (problems.length > 0) return { ok: false, problems };
  const config: KamConfig = { stage };
  if (entra) config.entra = entra;
  if (addinOrigin) config.addinOrigin = addinOrigin;
  if (addinDomain) config.addinDomain = addinDomain;
  return { ok: true, config };
}
