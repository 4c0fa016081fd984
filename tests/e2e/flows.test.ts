/**
 * The pane's business flows end to end (issue 5 §5–7), each checked through the API, in real
 * Chromium against the local stack (demo seed), preview mode:
 * - Targets: a manager proposes a change, the director approves it in a second browser context,
 *   the effective target changes.
 * - Collections: finance pulls a period's report into a sheet; the downloaded workbook's figures
 *   equal GET /v1/collections.
 * - Handover: the director hands one manager's accounts to the other; the old manager's
 *   GET /v1/accounts no longer lists them.
 * Screenshots go to test-artifacts/screenshots/ (flow-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startLocalStack, type LocalStack } from "../../functions/local/stack.js";
import { serveAddin, type AddinServer } from "../../scripts/serve-addin.js";
import { AGEING_BUCKETS } from "../../shared/src/index.js";
import { ensureAddinBuilt, launchBrowser, newContext, openTab, screenshot } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SHOTS = join(ROOT, "test-artifacts/screenshots");

let stack: LocalStack;
let addin: AddinServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let work: string;

async function token(sub: string, name: string, roles: string[]): Promise<string> {
  const r = await fetch(`${stack.url}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sub, tid: "demo", name, roles }) });
  return ((await r.json()) as { token: string }).token;
}

async function api<T>(tok: string, path: string): Promise<T> {
  const r = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${tok}` } });
  const text = await r.text();
  if (!r.ok) throw new Error(`GET ${path} → ${r.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A pane in its own browser context (its own session), signed in as a demo user. */
async function paneFor(name: string): Promise<Page> {
  const context = await newContext(browser);
  contexts.push(context);
  const page = await context.newPage();
  // No network: Office.js from the CDN is absent, which is exactly preview mode.
  await page.route(/appsforoffice\.microsoft\.com/, (r) => r.fulfill({ status: 200, contentType: "application/javascript", body: "" }));
  await page.goto(`${addin.url}/index.html?api=${encodeURIComponent(stack.url)}&lang=zh`);
  await page.getByTestId("tab-signin").waitFor({ timeout: 30_000 });
  await tab(page, "signin");
  await page.getByTestId("load-users").click();
  await page.getByTestId("user-picker").click();
  await page.getByRole("option", { name: new RegExp(name) }).first().click();
  await page.getByTestId("sign-in").click();
  await page.getByTestId("status").getByText(name).waitFor();
  return page;
}

const tab = openTab;

async function pick(page: Page, testId: string, option: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole("option", { name: option }).first().click();
}

async function succeeded(page: Page, testId: string): Promise<string> {
  const m = page.getByTestId(testId);
  await m.waitFor();
  const text = (await m.textContent()) ?? "";
  expect(await m.getAttribute("data-intent"), text).toBe("success");
  return text;
}

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, join(SHOTS, `flow-${name}.png`));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "kam-e2e-flows-"));
  await mkdir(SHOTS, { recursive: true });
  await ensureAddinBuilt(ROOT);
  addin = await serveAddin({ port: 0, host: "localhost", build: false });
  stack = await startLocalStack({ port: 0, inMemory: true, seed: true, allowedOrigins: [addin.url] });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await addin?.stop();
  await stack?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

interface TargetView { id: string; effective: { version: number; amountYuan: number } | null; pending: number[]; versions: { version: number; status: string; amountYuan: number; proposedBy: string }[] }

describe("pane flows end to end (real Chromium, local stack, demo seed)", () => {
  let director: Page | undefined;

  it("targets: the manager proposes, the director approves in another session, the effective target changes", async () => {
    const id = "manager:m-li:2026-Q1";
    const dir = await token("d-wang", "王建国", ["director"]);
    // Seed: m-li's 2026-Q1 target is 7,500,000, approved (version 1).
    expect((await api<TargetView>(dir, `/v1/targets/${encodeURIComponent(id)}`)).effective).toEqual({ version: 1, amountYuan: 7_500_000 });

    const manager = await paneFor("李明");
    await tab(manager, "targets");
    await manager.getByTestId("targets-period").fill("2026-Q1");
    await manager.getByTestId("targets-load").click();
    await expect.poll(() => manager.getByTestId(`effective-${id}`).textContent()).toContain("7500000");
    await manager.getByTestId("target-amount").fill("8000000");
    await manager.getByTestId("target-reason").fill("华东新签大单");
    await manager.getByTestId("target-submit").click();
    await succeeded(manager, "targets-message");
    await shot(manager, "targets-proposed-zh");

    // Proposed, not yet effective.
    let t = await api<TargetView>(dir, `/v1/targets/${encodeURIComponent(id)}`);
    expect(t.pending).toEqual([2]);
    expect(t.versions[1]).toMatchObject({ version: 2, status: "pending", amountYuan: 8_000_000, proposedBy: "m-li" });
    expect(t.effective).toEqual({ version: 1, amountYuan: 7_500_000 });
    // The manager sees no approve button on their own proposal.
    expect(await manager.getByTestId(`approve-${id}-2`).count()).toBe(0);

    // The director, in a second browser context, approves it.
    const dirPane = await paneFor("王建国");
    director = dirPane;
    await tab(dirPane, "targets");
    await dirPane.getByTestId("targets-period").fill("2026-Q1");
    await dirPane.getByTestId("targets-load").click();
    await dirPane.getByTestId(`approve-${id}-2`).click();
    await expect.poll(() => dirPane.getByTestId(`effective-${id}`).textContent()).toContain("8000000");
    await shot(dirPane, "targets-approved-zh");

    t = await api<TargetView>(dir, `/v1/targets/${encodeURIComponent(id)}`);
    expect(t.effective).toEqual({ version: 2, amountYuan: 8_000_000 });
    expect(t.pending).toEqual([]);
    // The manager's pane shows the new effective target after reloading.
    await manager.getByTestId("targets-load").click();
    await expect.poll(() => manager.getByTestId(`effective-${id}`).textContent()).toContain("8000000");
  });

  it("collections: finance pulls 2026-Q2 into a sheet; the downloaded figures equal GET /v1/collections", async () => {
    const finance = await paneFor("刘芳");
    await finance.getByTestId("new-workbook").click();
    await tab(finance, "collections");
    await finance.getByTestId("collections-scope").fill("*");
    await finance.getByTestId("collections-period").fill("2026-Q2");
    await finance.getByTestId("pull-report").click();
    await succeeded(finance, "collections-message");
    await shot(finance, "collections-zh");

    const [d] = await Promise.all([finance.waitForEvent("download"), finance.getByTestId("download").click()]);
    const file = join(work, "collections.xlsx");
    await d.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(file)).buffer as ArrayBuffer);
    const ws = wb.getWorksheet("Collections 2026-Q2")!;
    expect(ws).toBeDefined();
    expect(ws.getCell("A1").value).toBe("客户编号");

    type Figures = { dueYuan: number; collectedYuan: number; creditYuan: number; ageing: Record<string, number> };
    const report = await api<Figures & { rows: (Figures & { accountId: string })[] }>(await token("f-liu", "刘芳", ["finance"]), "/v1/collections?scope=*&period=2026-Q2");
    expect(report.rows.length).toBeGreaterThan(1);
    const sheetRows = new Map<string, unknown[]>();
    let totals: unknown[] | undefined;
    ws.eachRow((row, n) => {
      if (n === 1 || totals) return; // header; the note below the totals row
      const v = (row.values as unknown[]).slice(1);
      if (v[1] === "合计") totals = v;
      else sheetRows.set(String(v[0]), v);
    });
    const line = (f: Figures) => [f.dueYuan, f.collectedYuan, f.creditYuan, ...AGEING_BUCKETS.map((b) => f.ageing?.[b.key] ?? 0)];
    const cells = (v: unknown[]) => [v[2], v[3], v[5], ...AGEING_BUCKETS.map((_, i) => v[6 + i])];
    expect([...sheetRows.keys()].sort()).toEqual(report.rows.map((r) => r.accountId).sort());
    for (const r of report.rows) expect(cells(sheetRows.get(r.accountId)!), r.accountId).toEqual(line(r));
    expect(cells(totals!)).toEqual(line(report));
    // Worked by hand from the seed (DOMAIN §7): A-001 instalments of 400,000 due 02-28 and 05-31,
    // paid 400,000 + 300,000 → due 800,000, collected 700,000, rate 700,000 ÷ 800,000 = 0.875;
    // 100,000 of the 05-31 instalment is 30 days overdue at 06-30 (bucket 1–30).
    const a1 = sheetRows.get("A-001")!;
    expect([a1[2], a1[3], a1[4]]).toEqual([800_000, 700_000, 0.875]);
    expect(AGEING_BUCKETS.map((_, i) => a1[6 + i] as number).reduce((s, x) => s + x, 0)).toBe(100_000);
  });

  it("handover: the director moves 张伟's accounts to 李明; 张伟's GET /v1/accounts no longer lists them", async () => {
    const zhang = await token("m-zhang", "张伟", ["manager"]);
    const li = await token("m-li", "李明", ["manager"]);
    const before = (await api<{ items: { id: string; owner: string }[] }>(zhang, "/v1/accounts?limit=1000")).items.map((a) => a.id).sort();
    expect(before.length).toBeGreaterThan(0);

    const dirPane = director ?? (await paneFor("王建国"));
    await tab(dirPane, "handover");
    await pick(dirPane, "handover-from", "张伟");
    await pick(dirPane, "handover-to", "李明");
    await dirPane.getByTestId("hand-over").click();
    // "<n> ✓": the number of accounts moved
    expect(await succeeded(dirPane, "handover-message")).toContain(`${before.length} ✓`);
    await expect.poll(() => dirPane.getByTestId("handover-records").textContent()).toContain("张伟");
    await shot(dirPane, "handover-zh");

    const after = (await api<{ items: { id: string }[] }>(zhang, "/v1/accounts?limit=1000")).items.map((a) => a.id);
    expect(after.filter((x) => before.includes(x))).toEqual([]);
    const liNow = (await api<{ items: { id: string; owner: string }[] }>(li, "/v1/accounts?limit=1000")).items;
    expect(before.every((x) => liNow.some((a) => a.id === x && a.owner === "m-li"))).toBe(true);
    const recorded = (await api<{ items: { from: string; to: string; accountIds: string[] }[] }>(await token("d-wang", "王建国", ["director"]), "/v1/handovers")).items;
    expect(recorded.find((h) => h.from === "m-zhang" && h.to === "m-li")?.accountIds.slice().sort()).toEqual(before);
  });
});
