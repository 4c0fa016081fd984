/**
 * End-to-end plumbing: Debian Chromium through playwright-core (never skipped — a missing browser
 * fails with a clear message), the local stack and the add-in server on free ports.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.KAM_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it (Debian: apt-get install -y chromium) or set KAM_CHROMIUM; .ci/run installs it.`);
  }
  const userDataDir = await mkdtemp(join(tmpdir(), "kam-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, `--user-data-dir=${userDataDir}`].filter((a) => !a.startsWith("--user-data-dir")),
    ignoreHTTPSErrors: true,
    acceptDownloads: true,
    viewport: { width: 320, height: 900 },
  });
  return { context, close: () => context.close() };
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
  const lock = join(root, "dist", ".addin-build.lock");
  const stale = () => {
    const built = join(ADDIN_DIST, "functions.js");
    const newest = Math.max(newestMtime(join(root, "addin")), newestMtime(join(root, "shared/src")));
    return !existsSync(built) || !existsSync(join(ADDIN_DIST, "auth.html")) || statSync(built).mtimeMs < newest;
  };
  if (!stale()) return;
  mkdirSync(join(root, "dist"), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock older than the deadline is left over from a killed run
      if (Date.now() > deadline || Date.now() - statSync(lock).mtimeMs > 180_000) { rmSync(lock, { recursive: true, force: true }); continue; }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!stale()) return;
    // vitest sets NODE_ENV=test, which would make vite bundle React's development build.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try { await buildAddin({ log: () => {} }); } finally { process.env.NODE_ENV = env; }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A non-persistent Chromium for tests that need several isolated sessions (browser contexts). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it (Debian: apt-get install -y chromium) or set KAM_CHROMIUM; .ci/run installs it.`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
