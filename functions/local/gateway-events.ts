import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";

/**
 * API Gateway HTTP API events, payload format 2.0, as the JWT authorizer hands them to a Lambda
 * integration: every claim is a string, arrays included (`roles` = `"[Director Manager]"`),
 * numbers too (`"exp": "1767225600"`); headers are lower-cased; the query string is parsed with
 * repeated keys joined by commas; path parameters are decoded.
 */
export interface Identity {
  tid: string;
  oid: string;
  name: string;
  roles: string[];
}

export const API_ID = "a1b2c3d4e5";
/** The add-in's Entra application (client) ID: the tokens' `aud`. */
export const AUDIENCE = "c6c1f32b-5e55-4997-881a-753cc1d563b7";
export const REGION = "ap-east-1";
export const ACCOUNT = "123456789012";

/** The claims object of `requestContext.authorizer.jwt.claims` for an Entra v2.0 access token. */
export function gatewayClaims(who: Identity, audience = AUDIENCE): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: audience,
    iss: `https://login.microsoftonline.com/${who.tid}/v2.0`,
    iat: String(now - 60),
    nbf: String(now - 60),
    exp: String(now + 3600),
    name: who.name,
    oid: who.oid,
    sub: `sub-${who.oid}`,
    tid: who.tid,
    ver: "2.0",
    scp: "access_as_user",
    roles: `[${who.roles.join(" ")}]`,
  };
}

export interface Call {
  /** The route key as in the template, e.g. `GET /v1/accounts/{id}`. */
  routeKey: string;
  /** Path parameters filling the template. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export function gatewayEvent(who: Identity, call: Call): APIGatewayProxyEventV2WithJWTAuthorizer {
  const space = call.routeKey.indexOf(" ");
  const method = call.routeKey.slice(0, space);
  const template = call.routeKey.slice(space + 1);
  const params = call.params ?? {};
  const rawPath = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`${call.routeKey}: no value for {${name}}`);
    return encodeURIComponent(v);
  });
  const query = call.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  const body = call.body === undefined ? undefined : typeof call.body === "string" ? call.body : JSON.stringify(call.body);
  const headers: Record<string, string> = {
    accept: "application/json",
    authorization: "Bearer eyJ0eXAiOiJKV1QifQ.e30.sig",
    host: `${API_ID}.execute-api.${REGION}.amazonaws.com`,
    "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Excel",
    "x-forwarded-for": "203.0.113.7",
    "x-forwarded-port": "443",
    "x-forwarded-proto": "https",
    ...(body !== undefined ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {}),
  };
  for (const [k, v] of Object.entries(call.headers ?? {})) headers[k.toLowerCase()] = v;
  const now = new Date();
  const requestId = randomUUID();
  return {
    version: "2.0",
    routeKey: call.routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: { ...query } } : {}),
    ...(Object.keys(params).length ? { pathParameters: { ...params } } : {}),
    requestContext: {
      accountId: ACCOUNT,
      apiId: API_ID,
      authorizer: { principalId: "", integrationLatency: 0, jwt: { claims: gatewayClaims(who), scopes: ["access_as_user"] } },
      domainName: `${API_ID}.execute-api.${REGION}.amazonaws.com`,
      domainPrefix: API_ID,
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: headers["user-agent"]! },
      requestId,
      routeKey: call.routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}
