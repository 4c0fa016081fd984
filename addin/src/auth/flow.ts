/**
 * The sign-in dialog's flow (the fallback when Office SSO is unavailable): OAuth 2.0
 * authorization code with PKCE (RFC 7636, S256) against Microsoft Entra, as a single-page
 * application (the token request is a CORS `fetch`, no client secret).
 *
 * auth.html is opened by the pane with `Office.context.ui.displayDialogAsync`. First load: make a
 * `state` and a `code_verifier`, keep them in sessionStorage, go to the authorize endpoint. Entra
 * redirects back to auth.html with `code` and `state`: check the state, exchange the code (with the
 * verifier) at the token endpoint, and `messageParent` `{token, expiresAt}` — or `{error, message}`.
 *
 * Everything the browser provides is passed in (`DialogEnv`), so the flow is one function the
 * page's script calls with the real objects.
 */
import type { AuthConfig } from "./config.js";

/** sessionStorage keys (per dialog tab; cleared when the flow ends). */
export const STATE_KEY = "kam.auth.state";
export const VERIFIER_KEY = "kam.auth.verifier";
/** RFC 7636 §4.1: a verifier of 43–128 characters; 32 random bytes give 43 base64url characters. */
export const VERIFIER_BYTES = 32;
export const STATE_BYTES = 16;
/** `prompt` values the pane may ask for (`none` for a silent refresh). */
export const PROMPTS = ["none", "select_account", "login", "consent"] as const;

export type DialogErrorCode = "state_mismatch" | "authorize_failed" | "token_failed" | "not_configured";

/** What the dialog sends to the pane (JSON in `messageParent`). */
export type DialogMessage = { token: string; expiresAt: number } | { error: DialogErrorCode; message: string };

export interface DialogEnv {
  /** The dialog page's URL (auth.html, with the query Entra or the pane added). */
  url: URL;
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  fetch: typeof fetch;
  crypto: Crypto;
  navigate(url: string): void;
  messageParent(message: string): void;
  now(): number;
}

export function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function randomString(crypto: Crypto, bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** RFC 7636 §4.2, S256: BASE64URL(SHA256(ASCII(code_verifier))). Web Crypto. */
export async function challengeS256(crypto: Crypto, verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The redirect URI: the dialog page itself, without query or fragment (must match the app registration). */
export function redirectUriOf(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export function authorizeUrl(cfg: AuthConfig, p: { redirectUri: string; state: string; challenge: string; prompt?: string; loginHint?: string }): string {
  const q = new URLSearchParams({
    client_id: cfg.clientId,
    response_type: "code",
    redirect_uri: p.redirectUri,
    response_mode: "query",
    scope: cfg.scopes,
    state: p.state,
    code_challenge: p.challenge,
    code_challenge_method: "S256",
  });
  if (p.prompt) q.set("prompt", p.prompt);
  if (p.loginHint) q.set("login_hint", p.loginHint);
  return `${cfg.authorizeEndpoint}?${q}`;
}

function send(env: DialogEnv, m: DialogMessage): DialogMessage {
  env.messageParent(JSON.stringify(m));
  return m;
}

function clear(env: DialogEnv): void {
  env.storage.removeItem(STATE_KEY);
  env.storage.removeItem(VERIFIER_KEY);
}

/**
 * Run one step of the flow for the current page load. Returns what was sent to the pane, or
 * `"redirected"` when the page went to the authorize endpoint. Never throws.
 */
export async function runDialogFlow(cfg: AuthConfig | undefined, env: DialogEnv): Promise<DialogMessage | "redirected"> {
  if (!cfg) return send(env, { error: "not_configured", message: "Office sign-in is not configured in this build (KAM_ENTRA_TENANT / KAM_ENTRA_CLIENT_ID)." });
  const q = env.url.searchParams;
  const code = q.get("code"), returnedState = q.get("state"), err = q.get("error");
  try {
    if (err !== null || code !== null) {
      const expected = env.storage.getItem(STATE_KEY);
      const verifier = env.storage.getItem(VERIFIER_KEY);
      clear(env);
      // RFC 6749 §10.12: the state must be the one this dialog made (CSRF), else nothing is exchanged.
      if (!expected || returnedState !== expected) {
        return send(env, { error: "state_mismatch", message: "The sign-in response does not belong to this sign-in (state mismatch); nothing was exchanged." });
      }
      if (err !== null) return send(env, { error: "authorize_failed", message: [err, q.get("error_description")].filter(Boolean).join(": ") });
      if (!verifier) return send(env, { error: "state_mismatch", message: "The sign-in dialog lost its PKCE verifier; start again." });
      const body = new URLSearchParams({
        client_id: cfg.clientId,
        grant_type: "authorization_code",
        code: code!,
        redirect_uri: redirectUriOf(env.url),
        code_verifier: verifier,
        scope: cfg.scopes,
      });
      const r = await env.fetch(cfg.tokenEndpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
      const text = await r.text();
      let j: { access_token?: string; expires_in?: number | string; error?: string; error_description?: string } = {};
      try { j = JSON.parse(text) as typeof j; } catch { /* not JSON: reported below */ }
      if (!r.ok || typeof j.access_token !== "string") {
        return send(env, { error: "token_failed", message: j.error ? [j.error, j.error_description].filter(Boolean).join(": ") : `token endpoint answered ${r.status}` });
      }
      const seconds = Number(j.expires_in);
      return send(env, { token: j.access_token, expiresAt: env.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000 });
    }
    // First load: start the flow.
    const state = randomString(env.crypto, STATE_BYTES);
    const verifier = randomString(env.crypto, VERIFIER_BYTES);
    env.storage.setItem(STATE_KEY, state);
    env.storage.setItem(VERIFIER_KEY, verifier);
    const prompt = q.get("prompt");
    const loginHint = q.get("login_hint");
    env.navigate(authorizeUrl(cfg, {
      redirectUri: redirectUriOf(env.url),
      state,
      challenge: await challengeS256(env.crypto, verifier),
      ...(prompt && (PROMPTS as readonly string[]).includes(prompt) ? { prompt } : {}),
      ...(loginHint ? { loginHint } : {}),
    }));
    return "redirected";
  } catch (e) {
    clear(env);
    return send(env, { error: "token_failed", message: e instanceof Error ? e.message : String(e) });
  }
}
