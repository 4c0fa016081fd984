/**
 * The Office sign-in dialog (the fallback when SSO is unavailable), for real: the
 * built auth.html in Chromium runs the authorization-code flow with PKCE against a small OAuth
 * server written here (Entra's endpoint shapes: <authority>/oauth2/v2.0/{authorize,token}); the
 * token exchange is a real cross-origin fetch. Only the platform's `Office.context.ui.messageParent`
 * (and the `Office.onReady` it needs) is stubbed, to capture what the dialog sends to the pane.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { SignJWT, generateKeyPair, jwtVerify } from "jose";
import type { BrowserContext, Page } from "playwright-core";
import { launchChromium } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const TENANT = "contoso-test";
const CLIENT_ID = "11111111-2222-3333-4444-555555555555";
const SCOPE = "api://kam.test/11111111-2222-3333-4444-555555555555/access_as_user";

interface Pending { challenge: string; method: string; redirectUri: string; clientId: string; scope: string }
interface OAuthServer {
  url: string;
  authority: string;
  /** "ok": echo the state; "tamper": answer with a state the dialog did not make. */
  mode: "ok" | "tamper";
  authorizeRequests: URLSearchParams[];
  tokenRequests: { params: URLSearchParams; origin: string | undefined }[];
  publicKey: Awaited<ReturnType<typeof generateKeyPair>>["publicKey"];
  stop(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (s += c));
    req.on("end", () => ok(s));
    req.on("error", fail);
  });
}

const s256 = (verifier: string) => createHash("sha256").update(verifier, "ascii").digest("base64url");

/** A loopback authorization server: authorize → 302 with code & state; token checks the PKCE verifier. */
async function startOAuthServer(): Promise<OAuthServer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const codes = new Map<string, Pending>();
  const srv: OAuthServer = { url: "", authority: "", mode: "ok", authorizeRequests: [], tokenRequests: [], publicKey, stop: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    const cors = { "access-control-allow-origin": req.headers.origin ?? "*", vary: "Origin" };
    if (u.pathname === `/${TENANT}/oauth2/v2.0/authorize` && req.method === "GET") {
      const q = u.searchParams;
      srv.authorizeRequests.push(q);
      const code = randomBytes(16).toString("hex");
      codes.set(code, { challenge: q.get("code_challenge") ?? "", method: q.get("code_challenge_method") ?? "", redirectUri: q.get("redirect_uri") ?? "", clientId: q.get("client_id") ?? "", scope: q.get("scope") ?? "" });
      const back = new URL(q.get("redirect_uri")!);
      back.searchParams.set("code", code);
      back.searchParams.set("state", srv.mode === "tamper" ? "forged-state" : q.get("state")!);
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (u.pathname === `/${TENANT}/oauth2/v2.0/token` && req.method === "OPTIONS") {
      res.writeHead(204, { ...cors, "access-control-allow-methods": "POST", "access-control-allow-headers": "content-type" }).end();
      return;
    }
    if (u.pathname === `/${TENANT}/oauth2/v2.0/token` && req.method === "POST") {
      const p = new URLSearchParams(await body(req));
      srv.tokenRequests.push({ params: p, origin: req.headers.origin });
      const pending = codes.get(p.get("code") ?? "");
      codes.delete(p.get("code") ?? "");
      const bad = (d: string) => res.writeHead(400, { ...cors, "content-type": "application/json" }).end(JSON.stringify({ error: "invalid_grant", error_description: d }));
      if (!pending) return bad("unknown code");
      if (p.get("grant_type") !== "authorization_code") return bad("grant_type");
      if (p.get("client_id") !== pending.clientId || p.get("redirect_uri") !== pending.redirectUri) return bad("client or redirect_uri");
      // RFC 7636 §4.6: S256 of the verifier must equal the challenge sent to authorize.
      if (pending.method !== "S256" || s256(p.get("code_verifier") ?? "") !== pending.challenge) return bad("PKCE verification failed");
      const token = await new SignJWT({ oid: "u-entra-1", name: "李明", tid: TENANT, roles: ["Manager"], scp: "access_as_user" })
        .setProtectedHeader({ alg: "RS256" }).setIssuer(srv.authority).setAudience(pending.scope.split(" ")[0]!).setIssuedAt().setExpirationTime("1h").sign(privateKey);
      res.writeHead(200, { ...cors, "content-type": "application/json" }).end(JSON.stringify({ token_type: "Bearer", access_token: token, expires_in: 3600, scope: pending.scope }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  srv.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  srv.authority = `${srv.url}/${TENANT}`;
  srv.stop = () => new Promise((ok) => server.close(() => ok()));
  return srv;
}

/** Build only the auth page with this authority baked in (the build is the product: vite + the real config). */
async function buildAuthPage(authority: string): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), "kam-auth-page-"));
  const keys = ["KAM_ENTRA_TENANT", "KAM_ENTRA_CLIENT_ID", "KAM_ENTRA_AUTHORITY", "KAM_ENTRA_API_SCOPE", "NODE_ENV"] as const;
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  Object.assign(process.env, { KAM_ENTRA_TENANT: TENANT, KAM_ENTRA_CLIENT_ID: CLIENT_ID, KAM_ENTRA_AUTHORITY: authority, KAM_ENTRA_API_SCOPE: SCOPE, NODE_ENV: "production" });
  try {
    const { build } = await import("vite");
    // The config file is read here (after the variables are set): its `define` bakes them in.
    const config = (await import("../../addin/vite.config.js")).default as import("vite").UserConfig;
    await build({
      ...config,
      configFile: false,
      logLevel: "warn",
      build: { ...config.build, outDir, emptyOutDir: true, sourcemap: false, rolldownOptions: { ...config.build!.rolldownOptions, input: { auth: join(ROOT, "addin/auth.html") } } },
    });
  } finally {
    for (const k of keys) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
  }
  return outDir;
}

function serveStatic(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const types: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)));
    if (!path.startsWith(dir) || !existsSync(path) || !statSync(path).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    createReadStream(path).pipe(res);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => new Promise((d) => server.close(() => d())) })));
}

let oauth: OAuthServer;
let site: { url: string; stop: () => Promise<void> };
let pageDir: string | undefined;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
const captured: string[] = [];

/** The platform API, stubbed: Office.js in the dialog, reduced to onReady + messageParent. */
const OFFICE_STUB = `window.Office = { onReady: () => Promise.resolve({ host: "Excel", platform: "OfficeOnline" }), context: { ui: { messageParent: (m) => window.__kamMessageParent(m) } } };`;

beforeAll(async () => {
  oauth = await startOAuthServer();
  pageDir = await buildAuthPage(oauth.authority);
  site = await serveStatic(pageDir);
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.exposeFunction("__kamMessageParent", (m: string) => { captured.push(m); });
  await page.route(/appsforoffice\.microsoft\.com/, (r) => r.fulfill({ status: 200, contentType: "application/javascript", body: OFFICE_STUB }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await oauth?.stop();
  if (pageDir) await rm(pageDir, { recursive: true, force: true });
});

async function openDialog(): Promise<Record<string, unknown>> {
  captured.length = 0;
  await page.goto(`${site.url}/auth.html`);
  await expect.poll(() => captured.length, { timeout: 20_000 }).toBe(1);
  return JSON.parse(captured[0]!) as Record<string, unknown>;
}

describe("sign-in dialog (auth.html): authorization code + PKCE, real Chromium", () => {
  it("signs in: S256 challenge, state checked, code exchanged with the verifier, token sent to the pane", async () => {
    oauth.mode = "ok";
    const before = Date.now();
    const msg = await openDialog();
    expect(msg.error).toBeUndefined();
    // The token is the one the server signed (verifies against its key) for our client's API scope.
    const { payload } = await jwtVerify(String(msg.token), oauth.publicKey, { issuer: oauth.authority, audience: SCOPE });
    expect(payload).toMatchObject({ oid: "u-entra-1", name: "李明", roles: ["Manager"] });
    // expires_in 3600 s → expiresAt ≈ now + 3,600,000 ms
    expect(msg.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(msg.expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);

    const a = oauth.authorizeRequests.at(-1)!;
    expect(Object.fromEntries(["client_id", "response_type", "code_challenge_method", "redirect_uri", "scope"].map((k) => [k, a.get(k)]))).toEqual({
      client_id: CLIENT_ID, response_type: "code", code_challenge_method: "S256", redirect_uri: `${site.url}/auth.html`, scope: `${SCOPE} openid profile`,
    });
    expect(a.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const t = oauth.tokenRequests.at(-1)!;
    expect(t.origin).toBe(site.url); // a CORS request from the dialog page (SPA redirect)
    expect(t.params.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    // state and verifier do not outlive the flow
    expect(await page.evaluate(() => [sessionStorage.getItem("kam.auth.state"), sessionStorage.getItem("kam.auth.verifier")])).toEqual([null, null]);
  });

  it("a response with a state this dialog did not make is refused: error message, nothing exchanged", async () => {
    oauth.mode = "tamper";
    const tokenCalls = oauth.tokenRequests.length;
    const msg = await openDialog();
    expect(msg).toMatchObject({ error: "state_mismatch" });
    expect(String(msg.message)).toMatch(/state mismatch/);
    expect(msg.token).toBeUndefined();
    expect(oauth.tokenRequests.length).toBe(tokenCalls);
  });
});
