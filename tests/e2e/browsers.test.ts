/**
 * Smoke test of each Chromium the end-to-end tests can run on: the npm package's Chromium always,
 * the system one (/usr/bin/chromium) where it is installed. Each opens the built pane in zh-CN and
 * asks the browser (DevTools protocol, CSS.getPlatformFontsForNode) which fonts drew the title:
 * every glyph must come from the Noto Sans SC web font the tests give the page, so the
 * screenshots show Chinese, not boxes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { serveAddin, type AddinServer } from "../../scripts/serve-addin.js";
import { SYSTEM_CHROMIUM, blankOfficeJs, ensureAddinBuilt, launchBrowser, newContext, npmChromium, pageOf, screenshot, systemChromium, type ChromiumChoice } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SHOTS = join(ROOT, "test-artifacts/screenshots");
const TITLE = "KAM 大客户管理";

let addin: AddinServer;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  await ensureAddinBuilt(ROOT);
  addin = await serveAddin({ port: 0, host: "localhost", build: false });
}, 240_000);

afterAll(async () => {
  await addin?.stop();
});

interface PlatformFont { familyName: string; isCustomFont: boolean; glyphCount: number }

/** The fonts Chromium used to draw the text of the first element matching `selector`. */
async function fontsOf(page: Page, selector: string): Promise<PlatformFont[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument");
    const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
    return (await cdp.send("CSS.getPlatformFontsForNode", { nodeId })).fonts;
  } finally {
    await cdp.detach();
  }
}

async function smoke(choice: ChromiumChoice): Promise<void> {
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser(choice);
    const page = await (await newContext(browser)).newPage();
    await blankOfficeJs(page);
    await page.goto(`${addin.url}/index.html?lang=zh`);
    await page.locator("main[data-lang=zh]").getByRole("heading", { name: TITLE }).waitFor({ timeout: 30_000 });
    await pageOf(page, "signin", "登录").waitFor();
    await screenshot(page, join(SHOTS, `smoke-${choice.source}-zh-CN.png`));
    const fonts = await fontsOf(page, "main h1");
    // "KAM 大客户管理": 3 letters, a space, 5 Chinese characters: all 9 from the web font.
    expect(fonts, JSON.stringify(fonts)).toEqual([expect.objectContaining({ familyName: expect.stringMatching(/^Noto Sans SC\b/), isCustomFont: true })]);
    expect(fonts[0]!.glyphCount).toBe([...TITLE].length);
  } finally {
    await browser?.close();
  }
}

describe("the Chromium builds the end-to-end tests run on", () => {
  it("the npm package's Chromium (@sparticuz/chromium) shows the pane in zh-CN with the CJK web font", async () => {
    await smoke(await npmChromium());
  });

  const system = systemChromium();
  it.skipIf(!system)(`the system Chromium (${SYSTEM_CHROMIUM}) shows the pane in zh-CN with the CJK web font${system ? "" : ` — skipped: no ${SYSTEM_CHROMIUM} on this machine`}`, async () => {
    await smoke(system!);
  });
});
