/**
 * Health, relationship map and share-safe copy in the pane, end to end in real Chromium against the
 * local stack (demo seed), preview mode, each page screenshotted in zh-CN and en-US
 * (test-artifacts/screenshots/reach-*.png):
 * - Health: 李明's accounts by health equal GET /v1/health (order, scores, R/A/G, next step).
 * - Relationship map: drawn for an account chosen by name; the downloaded file reopened with exceljs
 *   holds the layers and one box per contact, coloured by support.
 * - Archive review: stale archives are badged; "archive reviewed" stores the review date and the
 *   badge goes.
 * - KPI scorecard: the archive completeness column holds the store's figure for the manager.
 * - Share-safe copy: a workbook with the pane's sync state, personal columns and store formulas is
 *   opened, the page lists what goes, and the downloaded copy holds none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Download, Page } from "playwright-core";
import { startLocalStack, type LocalStack } from "../../functions/local/stack.js";
import { DEMO_USERS } from "../../functions/local/seed.js";
import { serveAddin, type AddinServer } from "../../scripts/serve-addin.js";
import { signIn } from "../backend/helpers.js";
import { newXlsx } from "../../addin/src/workbook/xlsx.js";
import { STATE_SHEET } from "../../addin/src/workbook/port.js";
import { visibleCellsHolding } from "../../addin/src/workbook/xlsx.test-util.js";
import { averageArchiveCompleteness, type ArchiveAccount } from "../../shared/src/archive/completeness.js";
import { blankOfficeJs, ensureAddinBuilt, launchBrowser, newContext, openTab, savedWorkbook, screenshot, signInAs, switchLang } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SHOTS = join(ROOT, "test-artifacts/screenshots");

let stack: LocalStack;
let addin: AddinServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let work: string;
let liToken: string;

async function api<T>(path: string): Promise<T> {
  const r = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${liToken}` } });
  if (!r.ok) throw new Error(`GET ${path} → ${r.status}`);
  return (await r.json()) as T;
}

const lang = (l: "zh" | "en") => switchLang(page, l);

const saved = (d: Download, name: string) => savedWorkbook(d, join(work, name));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "kam-e2e-reach-"));
  await mkdir(SHOTS, { recursive: true });
  await ensureAddinBuilt(ROOT);
  addin = await serveAddin({ port: 0, host: "localhost", build: false });
  stack = await startLocalStack({ port: 0, inMemory: true, seed: true, allowedOrigins: [addin.url] });
  browser = await launchBrowser();
  liToken = (await signIn(stack, { sub: "m-li", tid: "demo", name: "李明", roles: ["manager"] })).token;
  context = await newContext(browser);
  page = await context.newPage();
  await blankOfficeJs(page);
  await page.goto(`${addin.url}/index.html?api=${encodeURIComponent(stack.url)}&lang=zh`);
  await page.getByTestId("tab-signin").waitFor({ timeout: 30_000 });
  await signInAs(page, "李明");
}, 240_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await addin?.stop();
  await stack?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("health, relationship map and share-safe copy (real Chromium, local stack)", () => {
  it("health: the manager's accounts by health, as GET /v1/health answers them, in zh and en", async () => {
    type Item = { accountId: string; score: number; status: string; nextStep: { plan: { zh: string; en: string } } };
    const expected = (await api<{ items: Item[] }>("/v1/health?scope=*")).items;
    expect(expected.length).toBe(15); // A-001 … A-015
    await openTab(page, "health");
    await page.getByTestId("health-summary").waitFor();
    const shown = await page.locator('[data-testid^="health-A-"]').evaluateAll((els) => els.map((e) => [e.getAttribute("data-testid")!.slice(7), Number(e.getAttribute("data-score")), e.getAttribute("data-status")]));
    expect(shown).toEqual(expected.map((i) => [i.accountId, i.score, i.status]));
    const first = page.getByTestId(`health-${expected[0]!.accountId}`);
    await expect.poll(() => first.textContent()).toContain(`下一步：${expected[0]!.nextStep.plan.zh}`);
    await screenshot(page, join(SHOTS, "reach-health-zh.png"));
    await lang("en");
    await expect.poll(() => first.textContent()).toContain(`Next: ${expected[0]!.nextStep.plan.en}`);
    await screenshot(page, join(SHOTS, "reach-health-en.png"));
    await lang("zh");
  });

  it("archive review: stale archives badged; 'archive reviewed' sets the review date in the store and the badge goes", async () => {
    type Account = { id: string; name: string; lastReviewed?: string };
    const before = (await api<{ items: Account[] }>("/v1/accounts")).items;
    // The demo seed has no review dates: every archive the manager holds is due.
    const due = before.filter((a) => !a.lastReviewed);
    expect(due.length).toBeGreaterThan(0);
    await openTab(page, "health");
    const summary = page.getByTestId("archive-summary");
    await expect.poll(() => summary.getAttribute("data-due")).toBe(String(due.length));
    const target = due[0]!;
    const item = page.getByTestId(`archive-${target.id}`);
    expect(await item.getAttribute("data-stale")).toBe("true");
    expect(await page.getByTestId(`archive-badge-${target.id}`).textContent()).toBe("待复核");
    await item.scrollIntoViewIfNeeded();
    await screenshot(page, join(SHOTS, "reach-archive-zh.png"));
    await page.getByTestId(`archive-reviewed-${target.id}`).click();
    await expect.poll(() => page.getByTestId("archive-message").getAttribute("data-intent")).toBe("success");
    expect(await item.getAttribute("data-stale")).toBe("false");
    expect(await page.getByTestId(`archive-badge-${target.id}`).count()).toBe(0);
    expect(await summary.getAttribute("data-due")).toBe(String(due.length - 1));
    // The store holds the review date the page shows.
    const stored = await api<Account>(`/v1/accounts/${target.id}`);
    expect(stored.lastReviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await item.textContent()).toContain(`上次复核：${stored.lastReviewed}`);
    await lang("en");
    await expect.poll(() => summary.textContent()).toBe(`${due.length - 1} of ${before.length} archives due for review`);
    expect(await page.getByTestId("archive-message").textContent()).toContain(`archive reviewed (${stored.lastReviewed})`);
    expect(await page.getByTestId(`archive-badge-${due[1]!.id}`).textContent()).toBe("Review due");
    await screenshot(page, join(SHOTS, "reach-archive-en.png"));
    await lang("zh");
  });

  it("KPI scorecard: archive completeness comes from the store's accounts (the manager's average)", async () => {
    const accounts = (await api<{ items: ArchiveAccount[] }>("/v1/accounts")).items.filter((a) => a.owner === "m-li");
    const expected = averageArchiveCompleteness(accounts);
    if (!expected.ok) throw new Error("no account");
    await page.getByTestId("new-workbook").click();
    await openTab(page, "scorecard");
    await page.getByTestId("scorecard-period").click();
    await page.getByRole("option", { name: "2026年一季度" }).first().click();
    await page.getByTestId("scorecard-model").click();
    await page.getByRole("option", { name: "大客户总监关键业绩指标" }).click();
    await page.getByTestId("build-scorecard").click();
    await expect.poll(() => page.getByTestId("scorecard-message").textContent()).toContain("KPI 2026Q1");
    const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download").click()]);
    const ws = (await saved(d, "kpi.xlsx")).getWorksheet("KPI 2026Q1")!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const archiveCol = header.indexOf("大客户档案完整率") + 1;
    expect(archiveCol).toBeGreaterThan(0);
    let li = 0;
    ws.eachRow((row, r) => { if (row.getCell(header.indexOf("经理") + 1).value === "李明") li = r; });
    expect(li).toBeGreaterThan(1);
    // The manager-id key column is hidden: no visible cell holds a user id.
    expect(ws.getColumn(1).hidden).toBe(true);
    expect(visibleCellsHolding(ws, DEMO_USERS.map((u) => u.sub))).toEqual([]);
    expect(ws.getRow(li).getCell(archiveCol).value).toBeCloseTo(expected.value, 12);
  });

  it("relationship map: drawn for an account chosen by name; the downloaded file holds layers and boxes", async () => {
    type Account = { id: string; name: string; contacts: { name: string; layer: string; support: number }[] };
    const account = await api<Account>("/v1/accounts/A-001");
    await page.getByTestId("new-workbook").click();
    await openTab(page, "map");
    await page.getByTestId("map-account").click();
    await page.getByRole("option", { name: account.name }).first().click();
    await page.getByTestId("map-draw").click();
    await expect.poll(() => page.getByTestId("map-message").getAttribute("data-intent")).toBe("success");
    await screenshot(page, join(SHOTS, "reach-map-zh.png"));
    await lang("en");
    await page.getByTestId("map-draw").click();
    await expect.poll(() => page.getByTestId("map-message").textContent()).toContain("Map-");
    await screenshot(page, join(SHOTS, "reach-map-en.png"));
    await lang("zh");

    const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download").click()]);
    const wb = await saved(d, "map.xlsx");
    const ws = wb.getWorksheet(`关系图-${account.name}`.slice(0, 31))!;
    expect(ws).toBeDefined();
    expect(wb.getWorksheet(`Map-${account.name}`.slice(0, 31))).toBeDefined();
    expect([4, 5, 6, 7].map((r) => ws.getCell(r, 1).value)).toEqual(["决策层", "管理层", "操作层", "关系人"]);
    const boxes: { text: string; row: number; fill?: string }[] = [];
    ws.eachRow((row, r) => row.eachCell((cell, c) => { if (c > 1 && r >= 4) boxes.push({ text: String(cell.value), row: r, fill: (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb }); }));
    expect(boxes).toHaveLength(account.contacts.length);
    const layerRow: Record<string, number> = { decision: 4, management: 5, operations: 6, related: 7 };
    for (const c of account.contacts) {
      const box = boxes.find((b) => b.text.startsWith(c.name))!;
      expect(box, c.name).toBeDefined();
      expect(box.row).toBe(layerRow[c.layer]);
      expect(box.text).toContain(`支持 ${c.support}`);
      // G ≥ 4 green, A 3 amber, R ≤ 2 red
      expect(box.fill).toBe(c.support >= 4 ? "FFB7E1B0" : c.support === 3 ? "FFFFE08A" : "FFF4B6B6");
    }
  });

  it("share-safe copy: the plan is listed first; the copy has no personal value, no hidden state, store formulas as values", async () => {
    // A workbook as the pane leaves it: its sync state (the port's own very-hidden sheet), a contacts table with personal columns, store formulas.
    const port = newXlsx();
    await port.apply([{ kind: "ensureSheet", sheet: "决策链" }, { kind: "state", key: "sync:contacts", value: "{\"rows\":{}}" }]);
    port.workbook.getWorksheet("决策链")!.addRows([["客户编号", "姓名", "支持程度", "爱好", "籍贯"], ["A-001", "王总", 5, "钓鱼与围棋", "江苏苏州"]]);
    const report = port.workbook.addWorksheet("报表");
    report.getCell("A1").value = { formula: 'KAM.COLLECTION("account:A-001","2026-Q2")', result: 0.875 };
    report.getCell("A2").value = { formula: 'KAM.HEALTH("A-001","status")', result: "A" };
    await page.getByTestId("open-file").setInputFiles({ name: "synced.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.from(await port.save()) });
    await openTab(page, "share");
    await page.getByTestId("share-check").click();
    await page.getByTestId("share-plan").waitFor();
    expect(await page.getByTestId("share-personal").count()).toBe(2);
    expect(await page.getByTestId("share-hidden").textContent()).toContain(STATE_SHEET);
    expect(await page.getByTestId("share-formulas").textContent()).toContain("报表 — 2");
    await screenshot(page, join(SHOTS, "reach-share-zh.png"));
    await lang("en");
    await expect.poll(() => page.getByTestId("share-plan").textContent()).toContain("The copy will leave out");
    await screenshot(page, join(SHOTS, "reach-share-en.png"));

    const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId("share-write").click()]);
    const wb = await saved(d, "share.xlsx");
    expect(wb.worksheets.map((w) => w.name).sort()).toEqual(["决策链", "报表"].sort());
    const all: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => all.push(JSON.stringify(c.value)))));
    const text = all.join("\n");
    for (const secret of ["钓鱼与围棋", "江苏苏州", "sync:contacts"]) expect(text).not.toContain(secret);
    expect(text).not.toContain("KAM.");
    expect([wb.getWorksheet("报表")!.getCell("A1").value, wb.getWorksheet("报表")!.getCell("A2").value]).toEqual([0.875, "A"]);
    expect(wb.getWorksheet("决策链")!.getCell("B2").value).toBe("王总");
  });
});
