/**
 * Preview mode on a wide screen, end to end in Chromium at 1280 px:
 *  - the Office CDN hangs (a route that never answers): index.html sends the browser to
 *    preview.html, which renders without office.js and works;
 *  - the opened workbook's sheet shows as a grid with sheet tabs and the workbook's highlight fills;
 *    a 10,000-row sheet keeps at most 200 rows in the DOM wherever it is scrolled to;
 *  - a cell edited in the grid is in the downloaded workbook;
 *  - `npm start` on two free, non-default ports: the served manifest names the add-in's port, the
 *    pane finds the API and signs in (CORS allows the add-in's actual origin), no "Failed to fetch".
 * Screenshots in zh-CN and en-US under test-artifacts/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { serveAddin, type AddinServer } from "../../scripts/serve-addin.js";
import { blankOfficeJs, ensureAddinBuilt, launchBrowser, newContext, savedWorkbook, screenshot, signInAs, switchLang } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SHOTS = join(ROOT, "test-artifacts/screenshots");
const WIDE = { width: 1280, height: 800 };
const ROWS = 10_000;
const SHEET = "客户档案";
/** The fill a highlight gives an unreadable cell (light red, Excel's "bad" style). */
const HIGHLIGHT = "FFFFC7CE";

let browser: Browser;
/** Closed at the end only: the npm Chromium runs single-process, and closing a context mid-run can take the browser down. */
const contexts: BrowserContext[] = [];
let addin: AddinServer;
let work: string;

/** A 10,000-row accounts sheet (one unreadable amount, highlighted) and a second sheet. */
async function bigWorkbook(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET);
  ws.addRow(["客户编号", "客户名称", "负责人", "销售额", "回款额", "备注"]);
  for (let i = 1; i <= ROWS; i++) ws.addRow([`acc-${i}`, `客户${i}`, i % 2 ? "李明" : "张伟", i * 1000, i * 900, null]);
  ws.getCell("D5001").value = "120万?";
  ws.getCell("D5001").fill = { type: "pattern", pattern: "solid", fgColor: { argb: HIGHLIGHT } };
  const other = wb.addWorksheet("回款");
  other.addRow(["合同编号", "应收", "实收"]);
  other.addRow(["c-1", 100, 90]);
  const file = join(work, "big.xlsx");
  await wb.xlsx.writeFile(file);
  return file;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

const grid = (page: Page) => page.getByTestId("grid-scroller");
const rowsInDom = (page: Page) => grid(page).locator('[role="row"][data-row]').count();

/** Scroll the grid so that sheet row `row` is at the top, and wait until it is drawn. */
async function scrollToRow(page: Page, row: number): Promise<void> {
  await grid(page).evaluate((el, top) => { el.scrollTop = top; }, (row - 1) * 24);
  await grid(page).locator(`[data-row="${row}"]`).waitFor();
}

async function hangOfficeCdn(context: BrowserContext): Promise<void> {
  // Never answered: the request stays pending, as with a blocked or very slow CDN.
  await context.route(/appsforoffice\.microsoft\.com/, () => undefined);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "kam-e2e-preview-"));
  await mkdir(SHOTS, { recursive: true });
  await ensureAddinBuilt(ROOT);
  addin = await serveAddin({ port: 0, host: "localhost", build: false });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await addin?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("preview mode at 1280 px (real Chromium)", () => {
  it("renders with the Office CDN hanging, shows the sheet as a virtualised grid, and a grid edit is in the download", async () => {
    const context = await newContext(browser, { viewport: WIDE });
    contexts.push(context);
    await hangOfficeCdn(context);
    const page = await context.newPage();
    {
      // index.html in a plain browser tab goes to preview.html, query kept, before office.js holds it up.
      await page.goto(`${addin.url}/index.html?lang=zh`, { waitUntil: "commit" });
      await page.waitForURL(/\/preview\.html\?lang=zh$/, { timeout: 15_000 });
      await page.getByTestId("tab-signin").waitFor({ timeout: 15_000 });
      expect(await page.evaluate(() => typeof (globalThis as { Office?: unknown }).Office)).toBe("undefined");
      expect(await page.locator("script[src*='appsforoffice']").count()).toBe(0);

      await page.getByTestId("open-file").setInputFiles(await bigWorkbook());
      await page.getByTestId("sheet-grid").waitFor();
      expect(await page.getByTestId("sheet-grid").getAttribute("data-sheet")).toBe(SHEET);
      expect(await grid(page).locator('[data-address="B2"]').textContent()).toBe("客户1");
      expect(await grid(page).locator('[data-address="D2"]').textContent()).toBe("1,000");

      // Virtualised: wherever the sheet is scrolled to, at most 200 rows are in the DOM.
      const counts: number[] = [await rowsInDom(page)];
      for (const row of [2_000, 5_000, 9_990, 3]) {
        await scrollToRow(page, row);
        counts.push(await rowsInDom(page));
      }
      expect(Math.max(...counts), JSON.stringify(counts)).toBeLessThanOrEqual(200);
      expect(Math.min(...counts), JSON.stringify(counts)).toBeGreaterThan(10);
      await scrollToRow(page, 9_990);
      expect(await grid(page).locator('[data-address="A10001"]').textContent()).toBe(`acc-${ROWS}`);

      // The highlighted cell shows with its fill; fix it in the grid (double-click, type, Enter).
      await scrollToRow(page, 4_995);
      const bad = grid(page).locator('[data-address="D5001"]');
      expect(await bad.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(255, 199, 206)");
      await screenshot(page, join(SHOTS, "preview-grid-1280-zh-CN.png"));
      await bad.dblclick();
      const editor = page.getByTestId("cell-editor");
      expect(await editor.inputValue()).toBe("120万?");
      await editor.fill("1,200,000");
      await editor.press("Enter");
      await expect.poll(() => bad.textContent()).toBe("1,200,000");
      // Typing on a selected cell starts an edit too; Escape leaves the cell as it was.
      await grid(page).locator('[data-address="F5001"]').click();
      await page.keyboard.type("x");
      await page.keyboard.press("Escape");
      expect(await grid(page).locator('[data-address="F5001"]').textContent()).toBe("");

      // Sheet tabs switch the grid.
      await page.getByTestId("sheet-tab-回款").click();
      await grid(page).locator('[data-address="B2"]').getByText("100").waitFor();
      expect(await page.getByTestId("sheet-grid").getAttribute("data-sheet")).toBe("回款");

      // English, same grid.
      await switchLang(page, "en");
      await screenshot(page, join(SHOTS, "preview-grid-1280-en-US.png"));

      // The download holds the edit.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download").click()]);
      const wb = await savedWorkbook(download, join(work, "edited.xlsx"));
      expect(wb.getWorksheet(SHEET)!.getCell("D5001").value).toBe(1_200_000);
      expect(wb.getWorksheet(SHEET)!.getCell("F5001").value).toBe(null);
      expect(wb.getWorksheet(SHEET)!.rowCount).toBe(ROWS + 1);

      // A narrow window has the pane alone.
      await page.setViewportSize({ width: 800, height: 800 });
      await page.getByTestId("sheet-grid").waitFor({ state: "detached" });
    }
  });

  it("index.html as Office loads it (with _host_Info) stays put, office.js in <head>, and shows the pane", async () => {
    const context = await newContext(browser, { viewport: WIDE });
    contexts.push(context);
    // An answered, empty office.js: outside a real host the page falls back to preview mode in place.
    await blankOfficeJs(context);
    const page = await context.newPage();
    const url = `${addin.url}/index.html?_host_Info=Excel$Win32$16.01$zh-CN$$$$0&lang=zh`;
    await page.goto(url);
    await page.getByTestId("tab-signin").waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(url);
    expect(await page.locator("head > script[src*='appsforoffice.microsoft.com']").count()).toBe(1);
  });

  it("`npm start` on non-default free ports: the manifest follows the add-in's port and the pane signs in to the API", async () => {
    const [addinPort, apiPort] = [await freePort(), await freePort()];
    const data = join(work, "data");
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: ROOT,
      env: { ...process.env, KAM_ADDIN_PORT: String(addinPort), KAM_API_PORT: String(apiPort), KAM_DATA_DIR: data, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    const context = await newContext(browser, { viewport: WIDE });
    contexts.push(context);
    try {
      await expect.poll(() => out, { timeout: 90_000, interval: 200 }).toContain("KAM for Excel is running.");
      const origin = `https://localhost:${addinPort}`;
      expect(out).toContain(`${origin}/preview.html`);
      expect(out).toContain(`http://127.0.0.1:${apiPort}`);

      const manifest = await (await context.request.get(`${origin}/manifest.xml`)).text();
      expect(manifest).toContain(`${origin}/index.html`);
      expect(manifest).not.toMatch(/localhost:3000/);

      await hangOfficeCdn(context);
      const page = await context.newPage();
      await page.goto(`${origin}/preview.html?lang=zh`);
      await signInAs(page, "李明");
      expect(await page.locator("body").textContent()).not.toMatch(/Failed to fetch/i);
      await screenshot(page, join(SHOTS, "preview-ports-signed-in-zh-CN.png"));
    } finally {
      child.kill("SIGINT");
      await exited;
    }
  }, 120_000);
});
