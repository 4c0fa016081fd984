import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, createLocalJWKSet, type JSONWebKeySet, type JWK, type JWTPayload } from "jose";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Local dev issuer (local mode only, never deployed). An ES256 key generated at first
 * start and kept in the data dir, so tokens survive restarts. `verify` checks a token exactly as
 * API Gateway's JWT authorizer does: signature against the JWKS (by `kid`), issuer, audience,
 * expiry / not-before.
 */
export const DEV_ISSUER = "https://kam.local/dev-issuer";
export const DEV_AUDIENCE = "api://kam-for-excel-local";
export const DEV_TOKEN_TTL_SECONDS = 12 * 3600;
const ALG = "ES256";

export interface DevIssuer {
  issuer: string;
  audience: string;
  jwks: JSONWebKeySet;
  issue(claims: { sub: string; tid: string; name: string; roles: string[] }, opts?: { expiresInSeconds?: number }): Promise<string>;
  verify(token: string): Promise<JWTPayload | undefined>;
}

export async function createDevIssuer(dataDir: string | undefined): Promise<DevIssuer> {
  const file = dataDir ? join(dataDir, "dev-issuer.jwk.json") : undefined;
  let privateJwk: JWK;
  if (file && existsSync(file)) privateJwk = JSON.parse(readFileSync(file, "utf8")) as JWK;
  else {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), alg: ALG, kid: `dev-${Date.now().toString(36)}` };
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600 });
    }
  }
  const { d: _d, ...publicJwk } = privateJwk;
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, use: "sig" }] };
  const signingKey = await importJWK(privateJwk, ALG);
  const keySet = createLocalJWKSet(jwks);
  return {
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    jwks,
    async issue(claims, opts = {}) {
      return new SignJWT({ tid: claims.tid, name: claims.name, roles: claims.roles })
        .setProtectedHeader({ alg: ALG, kid: privateJwk.kid!, typ: "JWT" })
        .setSubject(claims.sub)
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (opts.expiresInSeconds ?? DEV_TOKEN_TTL_SECONDS))
        .sign(signingKey);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keySet, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [ALG], requiredClaims: ["exp"] });
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}
