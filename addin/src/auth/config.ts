/**
 * Sign-in configuration of the add-in — one typed module, fed at BUILD time.
 *
 * The build (addin/vite.config.ts) reads these environment variables and `define`s the result as
 * `__KAM_AUTH_CONFIG__`; nothing here is a secret (an SPA has no client secret — the dialog uses the
 * authorization-code flow with PKCE, RFC 7636):
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `KAM_ENTRA_TENANT` | Entra tenant id or domain (`contoso.onmicrosoft.com`), or `organizations` | — (Office sign-in off) |
 * | `KAM_ENTRA_CLIENT_ID` | the add-in's app registration (application id) | — (Office sign-in off) |
 * | `KAM_ENTRA_AUTHORITY` | authority base URL; the endpoints are `<authority>/oauth2/v2.0/{authorize,token}` | `https://login.microsoftonline.com/<tenant>` |
 * | `KAM_ENTRA_API_SCOPE` | the API scope the token is for | `api://<add-in host>/<clientId>/access_as_user` (the SSO resource form) |
 * | `KAM_API_BASE` | the KAM API base URL the pane talks to | `http://127.0.0.1:3001` (local stack); `?api=` wins |
 *
 * The app registration needs a **single-page application** redirect URI
 * `https://<add-in host>/auth.html` (so the token exchange is a CORS request without a secret).
 * Without tenant and client id the pane offers only the local stack's dev sign-in.
 */

/** What the build bakes in (every field optional: absent = not configured / default). */
export interface BuildAuthConfig {
  tenant?: string;
  clientId?: string;
  authority?: string;
  apiScope?: string;
  apiBase?: string;
}

/** The effective configuration of a page, defaults resolved. */
export interface AuthConfig {
  tenant: string;
  clientId: string;
  /** e.g. `https://login.microsoftonline.com/contoso.onmicrosoft.com` (no trailing slash). */
  authority: string;
  authorizeEndpoint: string;
  tokenEndpoint: string;
  /** Space-separated scopes asked for: the API scope plus OpenID's `openid profile`. */
  scopes: string;
  apiScope: string;
}

export const ENTRA_LOGIN_HOST = "https://login.microsoftonline.com";
/** The SSO scope name Microsoft's add-in templates expose on the API (`access_as_user`). */
export const SSO_SCOPE_NAME = "access_as_user";
export const OPENID_SCOPES = "openid profile";

export const AUTH_ENV_VARS = ["KAM_ENTRA_TENANT", "KAM_ENTRA_CLIENT_ID", "KAM_ENTRA_AUTHORITY", "KAM_ENTRA_API_SCOPE", "KAM_API_BASE"] as const;

/** Build side (Node, vite config): the environment → the baked-in config. Empty strings count as unset. */
export function buildAuthConfigFromEnv(env: Readonly<Record<string, string | undefined>>): BuildAuthConfig {
  const get = (k: (typeof AUTH_ENV_VARS)[number]) => {
    const v = env[k]?.trim();
    return v ? v : undefined;
  };
  const out: BuildAuthConfig = {};
  const tenant = get("KAM_ENTRA_TENANT"), clientId = get("KAM_ENTRA_CLIENT_ID"), authority = get("KAM_ENTRA_AUTHORITY");
  const apiScope = get("KAM_ENTRA_API_SCOPE"), apiBase = get("KAM_API_BASE");
  if (tenant) out.tenant = tenant;
  if (clientId) out.clientId = clientId;
  if (authority) out.authority = authority.replace(/\/+$/, "");
  if (apiScope) out.apiScope = apiScope;
  if (apiBase) out.apiBase = apiBase.replace(/\/+$/, "");
  return out;
}

/**
 * The page's effective config: undefined when Office sign-in is not configured (no tenant or no
 * client id). `addinHost` is the add-in's own host (`localhost:3000`), used for the default scope.
 */
export function resolveAuthConfig(build: BuildAuthConfig, addinHost: string): AuthConfig | undefined {
  if (!build.clientId || !(build.tenant || build.authority)) return undefined;
  const authority = (build.authority ?? `${ENTRA_LOGIN_HOST}/${encodeURIComponent(build.tenant!)}`).replace(/\/+$/, "");
  const apiScope = build.apiScope ?? `api://${addinHost}/${build.clientId}/${SSO_SCOPE_NAME}`;
  return {
    tenant: build.tenant ?? authority.slice(authority.lastIndexOf("/") + 1),
    clientId: build.clientId,
    authority,
    authorizeEndpoint: `${authority}/oauth2/v2.0/authorize`,
    tokenEndpoint: `${authority}/oauth2/v2.0/token`,
    scopes: `${apiScope} ${OPENID_SCOPES}`,
    apiScope,
  };
}

declare const __KAM_AUTH_CONFIG__: BuildAuthConfig | undefined;

/** What this build baked in (`{}` outside a vite build, e.g. in unit tests). */
export const BUILD_AUTH_CONFIG: BuildAuthConfig = typeof __KAM_AUTH_CONFIG__ !== "undefined" ? __KAM_AUTH_CONFIG__ : {};
