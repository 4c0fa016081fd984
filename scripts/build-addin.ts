/**
 * Build the add-in: functions.json and functions-zh-cn.json from the
 * signature table (scripts/functions-metadata.ts — never hand-written; custom-functions-metadata
 * checks them), the page
 * (vite: index.html + functions.js + lazy pane chunks), icons, and the manifests.
 *
 *   tsx scripts/build-addin.ts                       → dist/addin/ (+ dist/addin/manifest.xml, dev URLs)
 *   tsx scripts/build-addin.ts --host https://kam.example.com
 *                                                    → also dist/manifest.prod.xml for that host
 *   tsx scripts/build-addin.ts --metadata-only       → functions.json files only (fast)
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { deflateSync, gzipSync } from "node:zlib";
import { functionsMetadata, jsdocSource, metadataDifferences, type FunctionsMetadata } from "./functions-metadata.js";
import { parseXml, safeXmlComments } from "./xml.js";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, "..");
export const DIST = join(ROOT, "dist");
export const ADDIN_DIST = join(DIST, "addin");
/** The dev host every URL in the committed manifest.xml uses (docs/platform.md: dev on https://localhost:3000). */
export const DEV_HOST = "https://localhost:3000";

/**
 * Budget of functions.js with what it imports statically, in bytes gzip: Excel loads it before
 * any cell can calculate (tests/workbook/functions-bundle.test.ts, `npm run bench -- lambda`).
 */
export const FUNCTIONS_JS_GZIP_BUDGET = 40_000;

/**
 * Budget of the JavaScript the pane loads before its first page shows, in bytes gzip
 * (`initialPaneFiles`; tests/workbook/functions-bundle.test.ts, `npm run bench -- sync`).
 */
export const PANE_JS_GZIP_BUDGET = 250_000;

/** A built chunk with its size minified and gzip. */
export interface BuiltFile {
  file: string;
  bytes: number;
  gzip: number;
}

/** Add to `seen` the chunk `file` and every chunk it imports statically (not the lazy `import()`s). */
function visitStatic(file: string, seen: Set<string>): void {
  if (seen.has(file)) return;
  seen.add(file);
  const code = readFileSync(file, "utf8");
  for (const [, spec = ""] of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{][^"'`;]*?from\s*)?["']([^"']+)["']/g)) visitStatic(join(dirname(file), spec), seen);
}

function sized(addinDir: string, files: Iterable<string>): BuiltFile[] {
  return [...files].map((file) => {
    const data = readFileSync(file);
    return { file: relative(addinDir, file), bytes: data.length, gzip: gzipSync(data).length };
  });
}

/**
 * A built add-in's functions.js and the chunks it imports statically (not the lazy `import()`s):
 * what Excel loads before any cell can calculate, each with its size minified and gzip.
 */
export function startupFiles(addinDir: string): BuiltFile[] {
  const seen = new Set<string>();
  visitStatic(join(addinDir, "functions.js"), seen);
  return sized(addinDir, seen);
}

/**
 * A production vite build of the add-in page that carries functions.js, into `dir`: what
 * `startupFiles` and `initialPaneFiles` measure (the bundle test and `npm run bench -- sync`).
 */
export async function buildFunctionsPage(dir: string): Promise<void> {
  const { build } = await import("vite");
  const { addinConfig } = await import("../addin/vite.config.js");
  // Under vitest NODE_ENV is "test", which would make vite bundle React's development build.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ ...addinConfig(["functions"], dir), configFile: false, logLevel: "silent" });
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
}

/**
 * What the pane (index.html) loads before its first page shows: functions.js with its start-up
 * chunks, the pane's entry chunk (`taskpane-*.js`, which functions.js imports lazily) and the
 * first page's chunk (`SignIn-*.js`, which the entry imports lazily), each with the chunks it
 * imports statically. Undefined when the build has no functions.js; throws when a lazy chunk the
 * pane needs is not where it should be.
 */
export function initialPaneFiles(addinDir: string): BuiltFile[] | undefined {
  const functionsJs = join(addinDir, "functions.js");
  if (!existsSync(functionsJs)) return undefined;
  const seen = new Set<string>();
  visitStatic(functionsJs, seen);
  // The chunk named `name` that one of `from` imports lazily (`import("./assets/taskpane-….js")`).
  const lazyChunk = (from: Iterable<string>, name: string): string => {
    const pattern = new RegExp(`import\\(\\s*[\`"']([^\`"']*\\b${name}-[\\w-]+\\.js)[\`"']`);
    for (const f of from) {
      const m = pattern.exec(readFileSync(f, "utf8"));
      if (m) return join(dirname(f), m[1]!);
    }
    throw new Error(`no lazy import of a ${name}-*.js chunk in ${[...from].map((f) => relative(addinDir, f)).join(", ")}`);
  };
  const entry = lazyChunk([...seen], "taskpane");
  visitStatic(entry, seen);
  visitStatic(lazyChunk([entry], "SignIn"), seen);
  return sized(addinDir, seen);
}

export type { FunctionsMetadata } from "./functions-metadata.js";

export interface GeneratedMetadata {
  metadata: FunctionsMetadata;
  /** id → JavaScript function name, as custom-functions-metadata reads them. */
  associate: Array<{ id: string; functionName: string; sourceFileName: string }>;
}

/**
 * Run custom-functions-metadata over JSDoc'd function files — by default the signature table
 * written as one (`jsdocSource`); throws on any JSDoc error (a build defect).
 */
export async function generateMetadata(files?: readonly string[]): Promise<GeneratedMetadata> {
  const { generateCustomFunctionsMetadata } = await import("custom-functions-metadata");
  let dir: string | undefined;
  try {
    if (!files) {
      dir = await mkdtemp(join(tmpdir(), "kam-functions-jsdoc-"));
      const file = join(dir, "functions.ts");
      await writeFile(file, jsdocSource());
      files = [file];
    }
    const r = await generateCustomFunctionsMetadata([...files]);
    if (r.errors.length > 0) throw new Error(`custom-functions-metadata:\n${r.errors.join("\n")}`);
    return { metadata: JSON.parse(r.metadataJson) as FunctionsMetadata, associate: r.associate };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * functions.json and functions-zh-cn.json as the build writes them, from the signature table; the
 * build fails when custom-functions-metadata, run over the same table written as JSDoc, makes
 * anything else.
 */
export async function buildMetadata(): Promise<{ en: FunctionsMetadata; zh: FunctionsMetadata }> {
  const en = functionsMetadata("en");
  const diffs = metadataDifferences((await generateMetadata()).metadata, en);
  if (diffs.length > 0) throw new Error(`functions.json from the signature table differs from custom-functions-metadata's:\n${diffs.join("\n")}`);
  return { en, zh: functionsMetadata("zh") };
}

/**
 * The https origin the manifests point to: scheme https, no credentials, path, query or
 * fragment (the add-in is served at the root of its host, and `<AppDomain>` is an origin). The
 * URL parser gives the host in its ASCII form (a Chinese domain becomes `xn--…`), which is what
 * Office fetches, and an origin holds nothing XML must escape.
 */
export function manifestBase(host: string): string {
  let u: URL;
  try {
    u = new URL(host);
  } catch {
    throw new Error(`--host must be an https:// URL, got ${host}`);
  }
  if (u.protocol !== "https:" || u.username || u.password || u.search || u.hash || u.pathname.replace(/\/+$/, "") !== "") {
    throw new Error(`--host must be an https:// origin (no credentials, path, query or fragment), got ${host}`);
  }
  return u.origin;
}

/** The dev manifest with every dev URL on `host` instead; comments are kept free of `--` whatever the host holds. */
export function rehostManifest(devManifest: string, host: string): string {
  return safeXmlComments(devManifest.replaceAll(DEV_HOST, manifestBase(host)));
}

/** The production manifest: every dev URL → `host`, and the release version on Version and ?v=. */
export function productionManifest(devManifest: string, host: string, version: string, clientId?: string): string {
  if (!/^[0-9A-Za-z.+-]+$/.test(version)) throw new Error(`package version ${version} cannot go into a URL`);
  const xml = rehostManifest(devManifest, host)
    .replace(/<Version>[^<]*<\/Version>/, `<Version>${manifestVersion(version)}</Version>`)
    .replace(/\?v=[0-9A-Za-z.+-]+/g, `?v=${encodeURIComponent(version)}`);
  return clientId ? withWebApplicationInfo(xml, manifestBase(host), clientId) : xml;
}

/** Refuse to write a manifest Office would refuse: it must be well-formed XML rooted at OfficeApp. */
export function checkedManifest(xml: string): string {
  const root = parseXml(xml);
  if (root.local !== "OfficeApp") throw new Error(`a manifest's root is <OfficeApp>, got <${root.name}>`);
  return xml;
}

/**
 * Office SSO (`OfficeRuntime.auth.getAccessToken`) needs `<WebApplicationInfo>` naming the Entra
 * app registration: its client id and the Application ID URI `api://<add-in host>/<client id>`
 * (the same scope the dialog fallback asks for — addin/src/auth/config.ts). It goes last inside
 * `<VersionOverrides>`. Without it Office answers 13000 and the pane falls back to the dialog.
 */
export function withWebApplicationInfo(xml: string, base: string, clientId: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId)) {
    throw new Error(`--client-id must be the Entra application (client) id, a GUID; got ${clientId}`);
  }
  const hostName = new URL(base).host;
  const info = `    <WebApplicationInfo>
      <Id>${clientId}</Id>
      <Resource>api://${hostName}/${clientId}</Resource>
      <Scopes>
        <Scope>openid</Scope>
        <Scope>profile</Scope>
      </Scopes>
    </WebApplicationInfo>
  </VersionOverrides>`;
  const at = xml.lastIndexOf("  </VersionOverrides>");
  if (at < 0) throw new Error("manifest has no </VersionOverrides>");
  return xml.slice(0, at) + info + xml.slice(at + "  </VersionOverrides>".length);
}

/** package.json "0.1.0" → manifest "0.1.0.0" (four parts). */
export function manifestVersion(version: string): string {
  const parts = version.split(/[.+-]/).filter((p) => /^\d+$/.test(p)).slice(0, 4);
  while (parts.length < 4) parts.push("0");
  return parts.join(".");
}

// A solid square icon with a white "K"-ish bar, as a PNG written with zlib (no image library needed).
function crc32(buf: Uint8Array): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Icon files the build writes (`assets/icon-<size>.png`): ribbon 16/32/80, IconUrl 32, HighResolutionIconUrl 64. */
export const ICON_SIZES = [16, 32, 64, 80] as const;

export function iconPng(size: number): Buffer {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const u = x / size;
      const v = y / size;
      // The letter K in white on Fluent's brand blue.
      const stem = u > 0.25 && u < 0.38 && v > 0.2 && v < 0.8;
      const arm = Math.abs(u - 0.38 - Math.abs(v - 0.5) * 0.75) < 0.07 && v > 0.2 && v < 0.8 && u > 0.36;
      const white = stem || arm;
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = white ? 255 : 0x0f;
      raw[o + 1] = white ? 255 : 0x6c;
      raw[o + 2] = white ? 255 : 0xbd;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

export interface BuildOptions {
  /** Output folder (default dist/): the add-in goes to `<dist>/addin`, the production manifest to `<dist>/manifest.prod.xml`. */
  dist?: string;
  /** Production host (https://…): also write dist/manifest.prod.xml. */
  host?: string;
  /** Entra application (client) id: adds `<WebApplicationInfo>` for Office SSO to the production manifest. */
  clientId?: string | undefined;
  /** Skip the vite page build (metadata, icons and manifests only). */
  metadataOnly?: boolean;
  log?: (line: string) => void;
}

export interface BuildResult {
  files: string[];
  functionIds: string[];
}

export async function buildAddin(opts: BuildOptions = {}): Promise<BuildResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const dist = opts.dist ?? DIST;
  const addinDist = join(dist, "addin");
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
  const files: string[] = [];
  const write = async (path: string, data: string | Buffer) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
    files.push(path);
  };

  if (!opts.metadataOnly) {
    await rm(addinDist, { recursive: true, force: true });
    const { build } = await import("vite");
    const { ADDIN_BUILDS, addinConfig } = await import("../addin/vite.config.js");
    for (const pages of ADDIN_BUILDS) await build({ ...addinConfig(pages, addinDist), configFile: false });
    files.push(join(addinDist, "index.html"), join(addinDist, "functions.js"));
  }

  const metadata = await buildMetadata();
  await write(join(addinDist, "functions.json"), JSON.stringify(metadata.en, null, 2));
  await write(join(addinDist, "functions-zh-cn.json"), JSON.stringify(metadata.zh, null, 2));

  for (const size of ICON_SIZES) await write(join(addinDist, "assets", `icon-${size}.png`), iconPng(size));

  const devManifest = await readFile(join(ROOT, "manifest.xml"), "utf8");
  await write(join(addinDist, "manifest.xml"), checkedManifest(rehostManifest(devManifest, DEV_HOST)));
  if (opts.host) await write(join(dist, "manifest.prod.xml"), checkedManifest(productionManifest(devManifest, opts.host, pkg.version, opts.clientId)));

  for (const f of files) log(`  ${relative(ROOT, f)}`);
  return { files, functionIds: metadata.en.functions.map((f) => f.id) };
}

function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  buildAddin({ host: argValue(argv, "--host"), clientId: argValue(argv, "--client-id") ?? process.env.KAM_ENTRA_CLIENT_ID, metadataOnly: argv.includes("--metadata-only") })
    .then((r) => console.log(`built ${r.functionIds.length} functions: ${r.functionIds.join(", ")}`))
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
