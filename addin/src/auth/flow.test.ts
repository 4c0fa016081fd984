/**
 * PKCE pieces of the sign-in dialog against RFC 7636's own example, and the default
 * configuration. The whole dialog runs for real in Chromium in tests/e2e/auth-dialog.test.ts.
 */
import { describe, expect, it } from "vitest";
import { buildAuthConfigFromEnv, resolveAuthConfig } from "./config.js";
import { authorizeUrl, base64url, challengeS256, redirectUriOf } from "./flow.js";

describe("PKCE (RFC 7636)", () => {
  it("S256 of the RFC's Appendix B verifier is the RFC's challenge", async () => {
    expect(await challengeS256(crypto, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
  it("base64url has no padding and uses - and _", () => {
    // bytes fb ff → "+/8=" in base64 → "-_8" in base64url
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
  });
});

describe("configuration", () => {
  it("defaults: Entra's login host for the tenant, the SSO scope of the add-in's host", () => {
    const cfg = resolveAuthConfig(buildAuthConfigFromEnv({ KAM_ENTRA_TENANT: "contoso.onmicrosoft.com", KAM_ENTRA_CLIENT_ID: "abc-123" }), "localhost:3000")!;
    expect(cfg.authorizeEndpoint).toBe("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
    expect(cfg.tokenEndpoint).toBe("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    expect(cfg.apiScope).toBe("api://localhost:3000/abc-123/access_as_user");
    const u = new URL(authorizeUrl(cfg, { redirectUri: redirectUriOf(new URL("https://localhost:3000/auth.html?code=x")), state: "s", challenge: "c" }));
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: "abc-123", response_type: "code", redirect_uri: "https://localhost:3000/auth.html", response_mode: "query",
      scope: "api://localhost:3000/abc-123/access_as_user openid profile", state: "s", code_challenge: "c", code_challenge_method: "S256",
    });
  });
  it("not configured without a client id; empty variables count as unset", () => {
    expect(resolveAuthConfig(buildAuthConfigFromEnv({ KAM_ENTRA_TENANT: "t", KAM_ENTRA_CLIENT_ID: " " }), "h")).toBeUndefined();
    expect(buildAuthConfigFromEnv({ KAM_API_BASE: "https://api.example.com/" })).toEqual({ apiBase: "https://api.example.com" });
  });
});
