/**
 * End-to-end plumbing: Debian Chromium through playwright-core (never skipped — a missing browser
 * fails with a clear message), the local stack and the add-in server on free ports.
 */
import { existsSync, statSync, readdirSync } from "node:fs";
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
