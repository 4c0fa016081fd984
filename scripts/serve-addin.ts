/**
 * Serve the built add-in over HTTPS (`npm start` serves the functions and the
 * manifest at https://localhost:3000 so the manifest sideloads into Excel).
 *
 * Certificates come from office-addin-dev-certs' `generateCertificates()` written to a cert
 * directory — never `getHttpsServerOptions()`, which tries to install the CA with sudo (docs/platform.md
 * "Dev certificates"). The default directory is the one `npx office-addin-dev-certs install` uses,
 * so a CA the user trusted on Windows/macOS keeps working; existing valid certificates are reused.
 */
import { X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import { homedir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { ADDIN_DIST, buildAddin, checkedManifest, rehostManifest } from "./build-addin.js";

export const DEFAULT_CERT_DIR = join(homedir(), ".office-addin-dev-certs");

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

export interface DevCertificates {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  dir: string;
}

/** The dev certificates in `dir`, generated (not installed) when absent or expiring within a day. */
export async function devCertificates(dir: string = DEFAULT_CERT_DIR): Promise<DevCertificates> {
  const ca = join(dir, "ca.crt");
  const cert = join(dir, "localhost.crt");
  const key = join(dir, "localhost.key");
  let fresh = existsSync(ca) && existsSync(cert) && existsSync(key);
  if (fresh) {
    try {
      const validTo = Date.parse(new X509Certificate(await readFile(cert)).validTo);
      fresh = validTo - Date.now() > 86_400_000;
    } catch {
      fresh = false;
    }
  }
  if (!fresh) {
    const { generateCertificates } = await import("office-addin-dev-certs/lib/generate.js");
    await generateCertificates(ca, cert, key);
  }
  return { ca: await readFile(ca), cert: await readFile(cert), key: await readFile(key), dir };
}

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Directory served (default dist/addin). */
  root?: string;
  certDir?: string;
  /** Build first when the directory has no index.html (default true). */
  build?: boolean;
  /** The API the served pages talk to (put in each page as `<meta name="kam-api-base">`); `setApiBase` changes it later. */
  apiBase?: string;
}

export interface AddinServer {
  url: string;
  port: number;
  ca: Buffer;
  /** Point the served pages at this API (the local stack may start after the add-in server, on a port of its own). */
  setApiBase: (url: string | undefined) => void;
  stop: () => Promise<void>;
}

/** The page with `<meta name="kam-api-base">` naming the API (the pane reads it, taskpane/index.tsx). */
export function withApiBase(html: string, apiBase: string): string {
  const attr = apiBase.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return html.replace(/<head>/i, (h) => `${h}\n    <meta name="kam-api-base" content="${attr}" />`);
}

export async function serveAddin(opts: ServeOptions = {}): Promise<AddinServer> {
  const root = opts.root ?? ADDIN_DIST;
  if (opts.build !== false && !existsSync(join(root, "index.html"))) await buildAddin({ log: () => {} });
  const certs = await devCertificates(opts.certDir);
  let origin = "";
  let apiBase = opts.apiBase;
  const server: Server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    void (async () => {
      try {
        const path = decodeURIComponent(new URL(req.url ?? "/", "https://localhost").pathname);
        const rel = path === "/" ? "index.html" : path.replace(/^\/+/, "");
        const file = normalize(join(root, rel));
        if (!file.startsWith(normalize(root) + sep) || (req.method !== "GET" && req.method !== "HEAD")) {
          res.writeHead(req.method === "GET" || req.method === "HEAD" ? 404 : 405).end();
          return;
        }
        const s = await stat(file).catch(() => undefined);
        if (!s?.isFile()) {
          res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
          return;
        }
        // The manifest names this server's own origin (the port may not be 3000), through the
        // same generator as the build: well-formed, comments free of "--".
        let body = rel === "manifest.xml" ? Buffer.from(checkedManifest(rehostManifest(await readFile(file, "utf8"), origin)), "utf8") : undefined;
        // The pages name the API this server was started with (any port).
        if (apiBase && extname(file) === ".html") body = Buffer.from(withApiBase(await readFile(file, "utf8"), apiBase), "utf8");
        const headers: Record<string, string> = {
          "content-type": TYPES[extname(file)] ?? "application/octet-stream",
          "content-length": String(body?.length ?? s.size),
          "cache-control": "no-cache",
        };
        // docs/platform.md: Excel on the web fetches functions.json cross-origin.
        if (extname(file) === ".json" || extname(file) === ".js") headers["access-control-allow-origin"] = "*";
        res.writeHead(200, headers);
        if (req.method === "HEAD") res.end();
        else res.end(body ?? (await readFile(file)));
      } catch {
        if (!res.headersSent) res.writeHead(400).end();
        else res.end();
      }
    })();
  });
  const port = opts.port ?? 3000;
  const host = opts.host ?? "localhost";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as { port: number }).port;
  origin = `https://${host}:${actual}`;
  return {
    url: `https://${host}:${actual}`,
    port: actual,
    ca: certs.ca,
    setApiBase: (url) => {
      apiBase = url;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `npm run serve:addin` alone: the same ports `npm start` would use (KAM_ADDIN_PORT, KAM_API_PORT).
  const apiPort = process.env.KAM_API_PORT;
  serveAddin({ port: Number(process.env.KAM_ADDIN_PORT ?? 3000), ...(apiPort && apiPort !== "0" ? { apiBase: `http://127.0.0.1:${apiPort}` } : {}) })
    .then((s) => {
      console.log(`KAM add-in: ${s.url}/preview.html (preview mode) — manifest: ${s.url}/manifest.xml (Ctrl+C stops)`);
      const stop = () => void s.stop().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    })
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
