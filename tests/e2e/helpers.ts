/**
 * End-to-end plumbing: which Chromium the tests run and the font they give the page, the add-in
 * build they serve.
 *
 * Browser: `KAM_CHROMIUM` when set (it must exist); else the system Chromium at /usr/bin/chromium
 * when there is one; else the Chromium that the npm package `@sparticuz/chromium` ships inside
 * itself, so `npm ci && npm test` needs no OS package. The npm build is unpacked once per version
 * into the temp folder (one process unpacks, the others wait on a lock directory).
 *
 * Font: the screenshots show Chinese, so the page needs CJK glyphs, and a fresh machine has no
 * CJK font. `@fontsource/noto-sans-sc` ships Noto Sans SC as woff2 subsets with unicode ranges;
 * the system font loader cannot read woff2, so the tests give the page the font with `@font-face`
 * rules served from node_modules. The rules name the face after the first family of Fluent's
 * font stack (Segoe UI, which Office ships and Linux lacks): every page text then renders in
 * Noto Sans SC, the same on every machine. Only the tests do this; the served pane is unchanged.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ExcelJS from "exceljs";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Download, type Page } from "playwright-core";

const require = createRequire(import.meta.url);

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/** Flags every launch gets. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * `@sparticuz/chromium`'s own flags that the tests must not take: they switch off the browser's
 * security model (CORS, site isolation, mixed content), which the tests exercise.
 */
const WEAKENING = /^--(disable-web-security|allow-running-insecure-content|disable-site-isolation-trials)\b/;

export interface ChromiumChoice {
  source: "env" | "system" | "npm";
  executablePath: string;
  args: string[];
}

/** Wait for a lock directory (left-over locks older than `staleMs` are broken), run, release. */
export async function withDirLock<T>(lock: string, staleMs: number, run: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + staleMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      let age = 0;
      try { age = Date.now() - statSync(lock).mtimeMs; } catch { continue; /* released meanwhile */ }
      // a lock older than staleMs is left over from a killed run
      if (Date.now() > deadline || age > staleMs) { rmSync(lock, { recursive: true, force: true }); continue; }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The npm package's Chromium, unpacked into `<tmp>/kam-chromium-<version>/chromium`. */
export async function npmChromium(): Promise<ChromiumChoice> {
  const pkgDir = dirname(dirname(require.resolve("@sparticuz/chromium")));
  const { version } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string };
  const dir = join(tmpdir(), `kam-chromium-${version}`);
  const done = join(dir, ".unpacked");
  const { default: Sparticuz } = await import("@sparticuz/chromium");
  if (!existsSync(done)) {
    await withDirLock(`${dir}.lock`, 120_000, async () => {
      if (existsSync(done)) return;
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      // executablePath() unpacks into os.tmpdir(), which reads TMPDIR: point it at the versioned
      // folder for this one call, so another version's /tmp/chromium is never picked up.
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = dir;
      try {
        const exe = await Sparticuz.executablePath();
        if (exe !== join(dir, "chromium")) throw new Error(`@sparticuz/chromium unpacked to ${exe}, expected ${join(dir, "chromium")}`);
      } finally {
        if (saved === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = saved;
      }
      writeFileSync(done, version);
    });
  }
  // No WebGL in these tests: the software GL libraries it would need stay packed.
  Sparticuz.setGraphicsMode = false;
  const args = Sparticuz.args.filter((a) => !WEAKENING.test(a) && !a.startsWith("--headless"));
  return { source: "npm", executablePath: join(dir, "chromium"), args: [...new Set([...args, ...CHROMIUM_ARGS])] };
}

export function systemChromium(): ChromiumChoice | undefined {
  return existsSync(SYSTEM_CHROMIUM) ? { source: "system", executablePath: SYSTEM_CHROMIUM, args: CHROMIUM_ARGS } : undefined;
}

/** The browser the end-to-end tests run on (see the file comment for the order). */
export async function chooseChromium(): Promise<ChromiumChoice> {
  const env = process.env.KAM_CHROMIUM;
  if (env) {
    if (!existsSync(env)) throw new Error(`KAM_CHROMIUM=${env}: no such file. Unset it to use ${SYSTEM_CHROMIUM} or the npm package's Chromium.`);
    return { source: "env", executablePath: env, args: CHROMIUM_ARGS };
  }
  return systemChromium() ?? (await npmChromium());
}

/** Origin the font files are served from, inside the browser only (Playwright routing). */
const FONT_ORIGIN = "https://kam-test-fonts.invalid";
/** The first family of Fluent's font stack (webLightTheme.fontFamilyBase). */
export const PANE_FONT_FAMILY = "Segoe UI";
/** Regular, semibold and bold: the weights the pane uses. */
const WEIGHTS = [400, 600, 700];

let fontCss: string | undefined;

/** `@font-face` rules for Noto Sans SC's numbered subsets (CJK, punctuation and ASCII), woff2 only. */
export function cjkFontCss(): string {
  if (fontCss) return fontCss;
  const rules: string[] = [];
  for (const w of WEIGHTS) {
    const css = readFileSync(require.resolve(`@fontsource/noto-sans-sc/${w}.css`), "utf8");
    for (const m of css.matchAll(/@font-face\s*\{([^}]*)\}/g)) {
      const body = m[1]!;
      const file = /url\(\.\/files\/(noto-sans-sc-\d+-\d+-normal\.woff2)\)/.exec(body)?.[1];
      const range = /unicode-range:\s*([^;]+);/.exec(body)?.[1];
      if (!file || !range) continue; // the named latin/cyrillic/… subsets repeat the numbered ones
      // block, not swap: text waits for its glyphs instead of showing fallback boxes first
      rules.push(`@font-face{font-family:'${PANE_FONT_FAMILY}';font-style:normal;font-weight:${w};font-display:block;src:url(${FONT_ORIGIN}/${file}) format('woff2');unicode-range:${range};}`);
    }
  }
  if (rules.length < 3 * 90) throw new Error(`@fontsource/noto-sans-sc: expected ~100 subsets per weight, found ${rules.length} rules`);
  return (fontCss = rules.join("\n"));
}

/** Give every page of the context the CJK font (the woff2 files come from node_modules). */
export async function addCjkFont(context: BrowserContext): Promise<void> {
  const files = join(dirname(require.resolve("@fontsource/noto-sans-sc/400.css")), "files");
  await context.route(`${FONT_ORIGIN}/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    const path = join(files, name);
    if (!/^noto-sans-sc-\d+-\d+-normal\.woff2$/.test(name) || !existsSync(path)) return route.fulfill({ status: 404 });
    await route.fulfill({ status: 200, path, headers: { "content-type": "font/woff2", "access-control-allow-origin": "*" } });
  });
  await context.addInitScript((css: string) => {
    const add = () => {
      const style = document.createElement("style");
      style.dataset.kamTestFont = "";
      style.textContent = css;
      document.documentElement.appendChild(style);
    };
    // Init scripts run before the parser has made <html>: add the rules as soon as it exists.
    if (document.documentElement) add();
    else new MutationObserver((_, o) => { if (document.documentElement) { o.disconnect(); add(); } }).observe(document, { childList: true });
  }, cjkFontCss());
}

/** A persistent-profile Chromium (one context) with the CJK font. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void>; choice: ChromiumChoice }> {
  const choice = await chooseChromium();
  const userDataDir = await mkdtemp(join(tmpdir(), "kam-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: choice.executablePath,
    headless: true,
    args: choice.args,
    ignoreHTTPSErrors: true,
    acceptDownloads: true,
    viewport: { width: 320, height: 900 },
  });
  await addCjkFont(context);
  return { context, choice, close: async () => { await context.close(); rmSync(userDataDir, { recursive: true, force: true }); } };
}

/** A non-persistent Chromium for tests that need several isolated sessions (see newContext). */
export async function launchBrowser(choice?: ChromiumChoice): Promise<Browser> {
  const c = choice ?? (await chooseChromium());
  return chromium.launch({ executablePath: c.executablePath, headless: true, args: c.args });
}

/** A new isolated session (browser context) with the CJK font. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 320, height: 900 }, ignoreHTTPSErrors: true, acceptDownloads: true, ...options });
  await addCjkFont(context);
  return context;
}

export type { Browser };

/** Newest modification time under a folder (source files only). */
export function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(tsx?|json|html)$/.test(e.name) && !/\.test\./.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Build the add-in into dist/addin when its sources are newer than the last build (the build is
 * part of the product). Several e2e files run in parallel and serve the same folder: a lock
 * directory makes one of them build while the others wait, then re-check.
 */
export async function ensureAddinBuilt(root: string): Promise<void> {
  const { buildAddin, ADDIN_DIST } = await import("../../scripts/build-addin.js");
  const stale = () => {
    const built = join(ADDIN_DIST, "functions.js");
    const newest = Math.max(newestMtime(join(root, "addin")), newestMtime(join(root, "shared/src")));
    return !existsSync(built) || !existsSync(join(ADDIN_DIST, "auth.html")) || statSync(built).mtimeMs < newest;
  };
  if (!stale()) return;
  await withDirLock(join(root, "dist", ".addin-build.lock"), 180_000, async () => {
    if (!stale()) return;
    // vitest sets NODE_ENV=test, which would make vite bundle React's development build.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try { await buildAddin({ log: () => {} }); } finally { process.env.NODE_ENV = env; }
  });
}

/**
 * Open a pane tab and wait until it shows what a user would wait for: the page itself (its code
 * loads lazily) with no spinner left on it.
 */
export async function openTab(page: Page, id: string): Promise<void> {
  const tab = page.getByTestId(`tab-${id}`);
  await tab.click();
  await pageOf(page, id, (await tab.textContent()) ?? "").waitFor();
  await page.locator(`main[data-page="${id}"]`).getByRole("progressbar").first().waitFor({ state: "hidden" });
}

/** A pane page: the region named like its tab. */
export function pageOf(page: Page, id: string, tabLabel: string) {
  return page.locator(`main[data-page="${id}"]`).getByRole("region", { name: tabLabel, exact: true });
}

/**
 * A full-page screenshot once the page's web fonts have loaded (no fallback glyphs), with CSS
 * transitions finished (a button just enabled shows its final colour).
 */
export async function screenshot(page: Page, path: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path, fullPage: true, animations: "disabled" });
}

/**
 * Latin words a zh-CN user reads on the pane (`main`: its visible text, and what its inputs show),
 * outside an allow-list: the product and file names (KAM, Excel, ABC, xlsx), the language switch
 * (EN), single letters (the A/B/C/D grades, R/A/G, column letters), addresses (URLs: the store the
 * user typed) and whatever the caller adds — ids the user typed, Latin names in the data.
 */
export const LATIN_ALLOWED = ["KAM", "kam", "Excel", "ABC", "xlsx", "EN"];

export async function latinWords(page: Page, allowed: readonly string[] = []): Promise<string[]> {
  const root = page.locator("main").first();
  const text = await root.innerText();
  const inputs = await root.evaluate((m) =>
    [...m.querySelectorAll("input, textarea")]
      .filter((e) => (e as HTMLElement).offsetParent !== null && !["file", "radio", "checkbox", "hidden"].includes((e as HTMLInputElement).type))
      .map((e) => `${(e as HTMLInputElement).value} ${(e as HTMLInputElement).placeholder ?? ""}`)
      .join("\n"),
  );
  const ok = new Set([...LATIN_ALLOWED, ...allowed]);
  const words = `${text}\n${inputs}`.replace(/\b(?:https?|wss?):\/\/\S+/g, " ").match(/[A-Za-z][A-Za-z-]+/g) ?? [];
  // "A-001": a letter and a number (an account id) is not a word.
  return [...new Set(words.map((w) => w.replace(/-+$/, "")))].filter((w) => w.length > 1 && !ok.has(w));
}

/**
 * Answer the Office CDN with an empty office.js: outside a real host the pane falls back to
 * preview mode (the tests have no network).
 */
export async function blankOfficeJs(target: Page | BrowserContext): Promise<void> {
  await target.route(/appsforoffice\.microsoft\.com/, (r) => r.fulfill({ status: 200, contentType: "application/javascript", body: "" }));
}

/** Sign the pane in as a demo user picked by name on the sign-in page, and wait until it shows the name. */
export async function signInAs(page: Page, name: string): Promise<void> {
  await openTab(page, "signin");
  await page.getByTestId("load-users").click();
  await page.getByTestId("user-picker").click();
  await page.getByRole("option", { name: new RegExp(name) }).first().click();
  await page.getByTestId("sign-in").click();
  await page.getByTestId("status").getByText(name).waitFor();
}

/** Switch the pane's language with its own buttons and wait until the page reads in it. */
export async function switchLang(page: Page, lang: "zh" | "en"): Promise<void> {
  await page.getByRole("button", { name: lang === "zh" ? "中文" : "English", exact: true }).click();
  await page.locator(`main[data-lang="${lang}"]`).waitFor();
}

/** Save a download under `file` and read it back with exceljs. */
export async function savedWorkbook(d: Download, file: string): Promise<ExcelJS.Workbook> {
  await d.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile(file)).buffer as ArrayBuffer);
  return wb;
}
