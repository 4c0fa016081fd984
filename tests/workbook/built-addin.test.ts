/**
 * What the build writes, read back from disk (the real build step, without the vite page build):
 * the built and the production manifest pass the strict manifest checks with the icons the build
 * wrote, and functions.json / functions-zh-cn.json carry what Excel needs — the ROOT flag
 * `allowErrorForDataTypeAny` (error cells reach the functions) and `options.cancelable` on exactly
 * the store-backed functions.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUNCTION_IDS, STORE_FUNCTION_IDS } from "../../shared/src/excel/eval.js";
import { buildAddin, checkedManifest, DEV_HOST, ROOT, type FunctionsMetadata } from "../../scripts/build-addin.js";
import { parseXml } from "../../scripts/xml.js";
import { checkManifest } from "./manifest-rules.js";

const HOST = "https://kam.example.cn";
const CLIENT_ID = "0f1e2d3c-4b5a-6978-8a9b-acbdcedf0102";
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
let dist: string;

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), "kam-build-"));
  await buildAddin({ dist, metadataOnly: true, host: HOST, clientId: CLIENT_ID, log: () => {} });
}, 60_000);

afterAll(async () => {
  if (dist) await rm(dist, { recursive: true, force: true });
});

/** A file of the built add-in by its URL path (what the dev server or CloudFront serves). */
function served(path: string): Buffer | undefined {
  const file = join(dist, "addin", path);
  return existsSync(file) ? readFileSync(file) : undefined;
}

async function metadata(name: string): Promise<FunctionsMetadata & Record<string, unknown>> {
  return JSON.parse(await readFile(join(dist, "addin", name), "utf8")) as FunctionsMetadata & Record<string, unknown>;
}

describe("the built manifests", () => {
  it("dist/addin/manifest.xml: strict checks with the built icons, dev URLs", () => {
    checkManifest(parseXml(readFileSync(join(dist, "addin", "manifest.xml"), "utf8")), DEV_HOST, version, served);
  });

  it("dist/manifest.prod.xml: strict checks on the production host, with WebApplicationInfo", () => {
    const root = parseXml(readFileSync(join(dist, "manifest.prod.xml"), "utf8"));
    checkManifest(root, HOST, version, served);
    expect(root.children.find((c) => c.local === "VersionOverrides")!.children.at(-1)!.local).toBe("WebApplicationInfo");
  });

  it("every file the manifests name was built (functions.json, functions-zh-cn.json, icons)", () => {
    const xml = readFileSync(join(dist, "addin", "manifest.xml"), "utf8");
    const paths = new Set([...xml.matchAll(/https:\/\/localhost:3000(\/[^"?]+)/g)].map((m) => m[1]!));
    for (const p of paths) if (p !== "/index.html" && p !== "/functions.js") expect(served(p), p).toBeDefined();
    expect([...paths]).toEqual(expect.arrayContaining(["/functions.json", "/functions-zh-cn.json"]));
  });

  it("the build refuses to write a manifest that is not well-formed", () => {
    expect(() => checkedManifest('<OfficeApp xmlns="x"><!-- npm run build -- --host --></OfficeApp>')).toThrow(/malformed comment/);
    expect(() => checkedManifest("<Other/>")).toThrow(/OfficeApp/);
  });
});

describe("the built functions metadata", () => {
  for (const name of ["functions.json", "functions-zh-cn.json"]) {
    it(`${name}: root allowErrorForDataTypeAny, every parameter of type any`, async () => {
      const m = await metadata(name);
      expect(m.allowErrorForDataTypeAny).toBe(true);
      // the flag is a root property (beside "functions"), never on a function or parameter
      for (const f of m.functions) expect(JSON.stringify(f)).not.toContain("allowErrorForDataTypeAny");
      expect(m.functions.map((f) => f.id).sort()).toEqual([...FUNCTION_IDS].sort());
      // the flag applies to parameters of type any: every KAM parameter is one
      for (const f of m.functions) for (const p of f.parameters) expect(p.type ?? "any", `${f.id}.${p.name}`).toBe("any");
    });

    it(`${name}: options.cancelable on exactly the store-backed functions`, async () => {
      const m = await metadata(name);
      const cancelable = m.functions.filter((f) => f.options?.cancelable === true).map((f) => f.id);
      expect(cancelable.sort()).toEqual([...STORE_FUNCTION_IDS].sort());
      // Excel's invocation is not a declared parameter: lang stays last
      for (const id of STORE_FUNCTION_IDS) expect(m.functions.find((f) => f.id === id)!.parameters.at(-1)!.name).not.toMatch(/invocation/i);
    });
  }
});
