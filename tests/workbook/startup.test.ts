/**
 * Start-up: loading the page's entry registers every function at once, before React
 * or any pane page; and the dev server serves the add-in over HTTPS with CORS on functions.json.
 */
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FUNCTION_IDS } from "../../shared/src/excel/eval.js";
import { DEV_HOST, ROOT } from "../../scripts/build-addin.js";
import { serveAddin } from "../../scripts/serve-addin.js";
import { parseXml } from "../../scripts/xml.js";
import { checkManifest } from "./manifest-rules.js";
import { associated, installCustomFunctionsStub } from "./cf-stub.js";

describe("start-up", () => {
  it("importing addin/src/main.ts associates every KAM function synchronously", async () => {
    installCustomFunctionsStub("zh-CN");
    associated.clear();
    await import("../../addin/src/main.js");
    expect([...associated.keys()].sort()).toEqual([...FUNCTION_IDS].sort());
  });

  it("serveAddin serves the page and functions.json over HTTPS (dev certificates, CORS)", async () => {
    const root = await mkdtemp(join(tmpdir(), "kam-serve-"));
    const certDir = await mkdtemp(join(tmpdir(), "kam-certs-"));
    await writeFile(join(root, "index.html"), "<!doctype html><title>KAM</title>");
    await writeFile(join(root, "functions.json"), '{"functions":[]}');
    await copyFile(join(ROOT, "manifest.xml"), join(root, "manifest.xml"));
    const s = await serveAddin({ port: 0, host: "localhost", root, certDir, build: false });
    try {
      const get = (path: string) =>
        new Promise<{ status: number; cors?: string; body: string }>((resolve, reject) => {
          request(`${s.url}${path}`, { ca: s.ca }, (res) => {
            let body = "";
            res.on("data", (d: Buffer) => (body += d.toString()));
            res.on("end", () => resolve({ status: res.statusCode!, cors: res.headers["access-control-allow-origin"] as string | undefined, body }));
          })
            .on("error", reject)
            .end();
        });
      expect(await get("/")).toMatchObject({ status: 200, body: "<!doctype html><title>KAM</title>" });
      expect(await get("/functions.json?v=0.1.0")).toMatchObject({ status: 200, cors: "*", body: '{"functions":[]}' });
      expect((await get("/%2e%2e/%2e%2e/etc/passwd")).status).toBe(404);
      expect((await get("/missing.js")).status).toBe(404);
      // The served manifest is well-formed and names this server's origin (port 0 → a free port, not 3000).
      const manifest = await get("/manifest.xml");
      expect(manifest.status).toBe(200);
      expect(s.url).not.toBe(DEV_HOST);
      const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
      checkManifest(parseXml(manifest.body), s.url, version);
    } finally {
      await s.stop();
      await rm(root, { recursive: true, force: true });
      await rm(certDir, { recursive: true, force: true });
    }
  });
});
