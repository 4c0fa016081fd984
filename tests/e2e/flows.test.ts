/**
 * Each role's day on the targets, collections and handover pages, end to end in real Chromium at
 * 320 px against the local stack (demo seed), preview mode, in zh-CN and en-US; every choice is
 * made by name through the pickers, and every outcome is checked through the API:
 * - Targets: the director sets a new period's targets for two managers and a team at once; a
 *   manager proposes a change with a reason and sees it pending; the director sees who proposed
 *   what (old → new), when and why, and approves; the manager sees it approved.
 * - Collections: finance pulls a team's report (picked by name, default period = the last complete
 *   quarter) and a typed `team:华东` scope; the downloaded workbook's figures equal
 *   GET /v1/collections; an unknown name says so and writes nothing.
 * - Handover: the director hands two chosen accounts over after confirming the list.
 * Screenshots go to test-artifacts/screenshots/ (flow-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startLocalStack, type LocalStack } from "../../functions/local/stack.js";
import { setLogSink } from "../../functions/src/log.js";
import { serveAddin, type AddinServer } from "../../scripts/serve-addin.js";
import { signIn } from "../backend/helpers.js";
import { AGEING_BUCKETS, compactPeriod, currentQuarter, lastCompleteQuarter, periodLabel, today } from "../../shared/src/index.js";
import { blankOfficeJs, ensureAddinBuilt, latinWords, launchBrowser, newContext, openTab, savedWorkbook, screenshot, signInAs } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SHOTS = join(ROOT, "test-artifacts/screenshots");

let stack: LocalStack;
let addin: AddinServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let work: string;

const token = async (sub: string, name: string, roles: string[]) => (await signIn(stack, { sub, tid: "demo", name, roles })).token;

async function api<T>(tok: string, path: string): Promise<T> {
  const r = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${tok}` } });
  const text = await r.text();
  if (!r.ok) throw new Error(`GET ${path} → ${r.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A pane in its own browser context (its own session), signed in as a demo user. */
async function paneFor(name: string, lang: "zh" | "en" = "zh"): Promise<Page> {
  const context = await newContext(browser);
  contexts.push(context);
  const page = await context.newPage();
  await blankOfficeJs(page);
  await page.goto(`${addin.url}/index.html?api=${encodeURIComponent(stack.url)}&lang=${lang}`);
  await page.getByTestId("tab-signin").waitFor({ timeout: 30_000 });
  await signInAs(page, name);
  return page;
}

const tab = openTab;

/** Choose options of a picker by their names (a multiselect stays open until Escape). */
async function pick(page: Page, testId: string, ...options: (string | RegExp)[]): Promise<void> {
  await page.getByTestId(testId).click();
  for (const o of options) {
    // A multiselect's options are menuitemcheckbox elements.
    const opt = page.locator('[role="option"],[role="menuitemcheckbox"]').filter({ hasText: o }).first();
    await opt.waitFor({ timeout: 10_000 }).catch(async (e) => {
      await page.screenshot({ path: join(SHOTS, `debug-${testId}.png`), fullPage: true });
      throw new Error(`${testId}: no option ${String(o)} among ${JSON.stringify(await page.getByRole("option").allTextContents())}; ${String(e)}`);
    });
    await opt.click();
  }
  if (options.length > 1) await page.keyboard.press("Escape");
}

async function outcome(page: Page, testId: string, intent: "success" | "error" | "warning"): Promise<string> {
  const m = page.getByTestId(testId);
  await m.waitFor();
  await expect.poll(async () => `${await m.getAttribute("data-intent")}: ${await m.textContent()}`).toMatch(new RegExp(`^${intent}: `));
  return (await m.textContent()) ?? "";
}
const succeeded = (page: Page, testId: string) => outcome(page, testId, "success");

/** No horizontal scrolling at 320 px. */
async function fits(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
}

async function download(page: Page, name: string): Promise<ExcelJS.Workbook> {
  const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download").click()]);
  return savedWorkbook(d, join(work, name));
}

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, join(SHOTS, `flow-${name}.png`));
}

beforeAll(async () => {
  setLogSink("off");
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


interface TargetView { id: string; effective: { version: number; amountYuan: number } | null; pending: number[]; versions: { version: number; status: string; amountYuan: number; proposedBy: string; reason?: string }[] }
type Figures = { dueYuan: number; collectedYuan: number; rate: number | null; creditYuan: number; ageing: Record<string, number> };
type Report = Figures & { accounts: number; rows: (Figures & { accountId: string; accountName: string })[] };

/** The report sheet's rows by account id, and its totals row (the note below it is skipped). */
function readReport(ws: ExcelJS.Worksheet, totalLabel: string): { rows: Map<string, unknown[]>; totals: unknown[] } {
  const rows = new Map<string, unknown[]>();
  let totals: unknown[] | undefined;
  ws.eachRow((row, n) => {
    if (n === 1 || totals) return;
    const v = (row.values as unknown[]).slice(1, 11);
    if (v[1] === totalLabel) totals = v;
    else rows.set(String(v[0]), v);
  });
  return { rows, totals: totals! };
}
const line = (f: Figures) => [f.dueYuan, f.collectedYuan, f.rate ?? "—", f.creditYuan, ...AGEING_BUCKETS.map((b) => f.ageing?.[b.key] ?? 0)];
const cells = (v: unknown[]) => [v[2], v[3], v[4], v[5], ...AGEING_BUCKETS.map((_, i) => v[6 + i])];

describe("each role's day on targets, collections and handover (real Chromium, 320 px, local stack)", () => {
  let director: Page | undefined;

  it("targets: the director sets 2027 Q1 for two managers and a team at once; 李明 proposes a change; the director sees reason and old → new and approves", async () => {
    const dir = await token("d-wang", "王建国", ["director"]);
    const dirPane = await paneFor("王建国");
    director = dirPane;
    await tab(dirPane, "targets");
    // The period defaults to the current quarter, shown by name.
    expect(await dirPane.getByTestId("targets-period").inputValue()).toBe(periodLabel(currentQuarter(today()), "zh"));
    await pick(dirPane, "targets-period", "2027年一季度");
    await dirPane.getByTestId("no-targets").waitFor();
    await pick(dirPane, "target-subjects", /^李明/, /^张伟/);
    await dirPane.getByTestId("target-amount").fill("8,000,000");
    await dirPane.getByTestId("target-submit").click();
    expect(await succeeded(dirPane, "targets-message")).toContain("8,000,000");
    await pick(dirPane, "target-level", "团队");
    await pick(dirPane, "target-subjects", "华东");
    await dirPane.getByTestId("target-amount").fill("9500000");
    await dirPane.getByTestId("target-submit").click();
    expect(await succeeded(dirPane, "targets-message")).toContain("团队 华东");
    await expect.poll(() => dirPane.getByTestId("effective-team:east:2027-Q1").textContent()).toContain("9,500,000");
    for (const m of ["m-li", "m-zhang"]) {
      expect((await api<TargetView>(dir, `/v1/targets/${encodeURIComponent(`manager:${m}:2027-Q1`)}`)).effective).toEqual({ version: 1, amountYuan: 8_000_000 });
    }
    expect((await api<TargetView>(dir, "/v1/targets/team%3Aeast%3A2027-Q1")).effective).toEqual({ version: 1, amountYuan: 9_500_000 });
    // Names, never ids, on the page.
    const text = (await dirPane.locator("main").textContent()) ?? "";
    expect(text).not.toMatch(/m-li|m-zhang|\beast\b/);
    await fits(dirPane);
    expect(await latinWords(dirPane)).toEqual([]);
    await shot(dirPane, "targets-director-set-zh");

    // 李明, in English, proposes lowering his own 2027 Q1 target.
    const id = "manager:m-li:2027-Q1";
    const manager = await paneFor("李明", "en");
    await tab(manager, "targets");
    await pick(manager, "targets-period", "2027 Q1");
    await manager.getByTestId(`change-${id}`).click();
    await manager.getByTestId("target-amount").fill("8500000");
    await manager.getByTestId("target-reason").fill("华东新签大单");
    await manager.getByTestId("target-submit").click();
    await succeeded(manager, "targets-message");
    await expect.poll(() => manager.getByTestId(`proposal-${id}-2`).textContent()).toMatch(/8,000,000 → 8,500,000 · Pending/);
    expect(await manager.getByTestId(`approve-${id}-2`).count()).toBe(0);
    await fits(manager);
    await shot(manager, "targets-manager-proposed-en");
    let t = await api<TargetView>(dir, `/v1/targets/${encodeURIComponent(id)}`);
    expect(t.pending).toEqual([2]);
    expect(t.versions[1]).toMatchObject({ version: 2, status: "pending", amountYuan: 8_500_000, proposedBy: "m-li", reason: "华东新签大单" });

    // The director sees who proposed what and why, then approves.
    await pick(dirPane, "targets-period", "2027年二季度");
    await pick(dirPane, "targets-period", "2027年一季度");
    const card = dirPane.getByTestId(`pending-${id}-2`);
    await card.waitFor();
    expect(await latinWords(dirPane)).toEqual([]);
    expect(await card.getByTestId("change-amounts").textContent()).toBe("8,000,000 → 8,500,000");
    expect(await card.getByTestId("change-reason").textContent()).toBe("理由: 华东新签大单");
    expect(await card.textContent()).toMatch(/提出人: 李明 · \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await shot(dirPane, "targets-director-decides-zh");
    await dirPane.getByTestId(`approve-${id}-2`).click();
    await expect.poll(() => dirPane.getByTestId(`effective-${id}`).textContent()).toContain("8,500,000");
    t = await api<TargetView>(dir, `/v1/targets/${encodeURIComponent(id)}`);
    expect(t.effective).toEqual({ version: 2, amountYuan: 8_500_000 });

    // 李明 sees his proposal approved.
    await pick(manager, "targets-period", "2027 Q2");
    await pick(manager, "targets-period", "2027 Q1");
    await expect.poll(() => manager.getByTestId(`proposal-${id}-2`).getAttribute("data-status")).toBe("approved");
    expect(await manager.getByTestId(`proposal-${id}-2`).textContent()).toContain("Decided by: 王建国");
    await shot(manager, "targets-manager-approved-en");
  });

  it("collections: finance picks team 华南 by name (zh, last complete quarter) and types team:华东 (en); the workbook holds the API's figures", async () => {
    const fin = await token("f-liu", "刘芳", ["finance"]);
    const zh = await paneFor("刘芳");
    await zh.getByTestId("new-workbook").click();
    await tab(zh, "collections");
    const period = lastCompleteQuarter(today());
    expect(await zh.getByTestId("collections-period").inputValue()).toBe(periodLabel(period, "zh"));
    await pick(zh, "collections-scope-kind", "按团队");
    await pick(zh, "collections-team", "华南");
    await zh.getByTestId("pull-report").click();
    expect(await succeeded(zh, "collections-message")).toContain(`回款 ${compactPeriod(period)} · 团队 华南 · 15 个客户`);
    await fits(zh);
    expect(await latinWords(zh)).toEqual([]);
    await shot(zh, "collections-team-zh");
    const wbZh = await download(zh, "collections-zh.xlsx");
    const sheetZh = wbZh.getWorksheet(`回款 ${compactPeriod(period)}`)!;
    expect(sheetZh.getCell("A1").value).toBe("客户编号");
    const south = await api<Report>(fin, `/v1/collections?scope=team:south&period=${period}`);
    const zhRows = readReport(sheetZh, "合计");
    expect([...zhRows.rows.keys()].sort()).toEqual(south.rows.map((r) => r.accountId).sort());
    for (const r of south.rows) expect(cells(zhRows.rows.get(r.accountId)!), r.accountId).toEqual(line(r));
    expect(cells(zhRows.totals)).toEqual(line(south));
    expect(sheetZh.getCell("C2").numFmt).toBe("#,##0.00");
    // The note names the scope and period, cites no document.
    const note = String(sheetZh.getCell(`A${south.rows.length + 4}`).value);
    expect(note).toContain(`团队 华南 · 期间：${periodLabel(period, "zh")}`);
    expect(note).not.toMatch(/DOMAIN|§/);

    // en-US: a typed scope with a team name; an unknown name says so and writes nothing.
    const en = await paneFor("刘芳", "en");
    await en.getByTestId("new-workbook").click();
    await tab(en, "collections");
    await pick(en, "collections-scope-kind", "Type a scope");
    await en.getByTestId("collections-scope").fill("owner:李雷");
    await en.getByTestId("pull-report").click();
    expect(await outcome(en, "collections-message", "error")).toContain('no user "李雷"');
    // A named team nobody is in yet: an empty scope, said so as a warning, never ✓.
    const put = await fetch(`${stack.url}/v1/teams`, {
      method: "PUT",
      headers: { authorization: `Bearer ${await token("d-wang", "王建国", ["director"])}`, "content-type": "application/json" },
      body: JSON.stringify({ items: [{ id: "west", name: "西北" }] }),
    });
    expect(put.status).toBe(200);
    await en.getByTestId("collections-scope").fill("team:西北");
    await en.getByTestId("pull-report").click();
    expect(await outcome(en, "collections-message", "warning")).toBe("Team 西北: The scope holds no accounts; no report written");
    await en.getByTestId("collections-scope").fill("team:华东");
    await pick(en, "collections-period", "2026 Q2");
    await en.getByTestId("pull-report").click();
    expect(await succeeded(en, "collections-message")).toContain("Collections 2026Q2 · Team 华东 · 15 accounts");
    await fits(en);
    await shot(en, "collections-typed-en");
    const wbEn = await download(en, "collections-en.xlsx");
    expect(wbEn.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(["Collections 2026Q2"]));
    const ws = wbEn.getWorksheet("Collections 2026Q2")!;
    const east = await api<Report>(fin, "/v1/collections?scope=team:east&period=2026-Q2");
    const enRows = readReport(ws, "Total");
    for (const r of east.rows) expect(cells(enRows.rows.get(r.accountId)!), r.accountId).toEqual(line(r));
    expect(cells(enRows.totals)).toEqual(line(east));
    // Worked by hand from the seed: A-001 instalments of 400,000 due 02-28 and 05-31, paid 400,000
    // + 300,000 → due 800,000, collected 700,000, rate 0.875.
    expect(cells(enRows.rows.get("A-001")!).slice(0, 3)).toEqual([800_000, 700_000, 0.875]);
    // The chart's own block: 15 accounts, all shown (≤ 20, no "others").
    expect(ws.getCell("L1").value).toBe("Account");
    expect(ws.getCell("L16").value).not.toBeNull();
    expect(ws.getCell("L17").value).toBeNull();
  });

  it("handover: the director picks 张伟 → 李明 by name, chooses two accounts, confirms the list and sees the summary", async () => {
    const zhang = await token("m-zhang", "张伟", ["manager"]);
    const before = (await api<{ items: { id: string; name: string }[] }>(zhang, "/v1/accounts?limit=1000")).items;
    expect(before.length).toBeGreaterThan(2);
    const dirPane = director ?? (await paneFor("王建国"));
    await tab(dirPane, "handover");
    await pick(dirPane, "handover-from", /^张伟/);
    await pick(dirPane, "handover-to", /^李明/);
    await dirPane.getByTestId(`handover-account-${before[0]!.id}`).waitFor();
    await dirPane.getByTestId("handover-clear").click();
    expect(await dirPane.getByTestId("hand-over").isDisabled()).toBe(true);
    const chosen = before.slice(0, 2);
    for (const a of chosen) await dirPane.getByTestId(`handover-account-${a.id}`).click();
    await dirPane.getByTestId("hand-over").click();
    const list = dirPane.getByTestId("handover-confirm-list");
    await list.waitFor();
    expect(await list.locator("li").allTextContents()).toEqual(chosen.map((a) => a.name).sort((x, y) => x.localeCompare(y, "zh")));
    expect(await list.textContent()).toContain("以下客户将从 张伟 交接给 李明");
    await shot(dirPane, "handover-confirm-zh");
    await dirPane.getByTestId("confirm-handover").click();
    expect(await succeeded(dirPane, "handover-message")).toContain("已将 2 个客户从 张伟 交接给 李明");
    expect((await dirPane.getByTestId("handover-summary").locator("li").allTextContents()).sort()).toEqual(chosen.map((a) => a.name).sort());
    await expect.poll(() => dirPane.getByTestId("handover-records").textContent()).toContain("张伟");
    await fits(dirPane);
    expect(await latinWords(dirPane)).toEqual([]);
    await shot(dirPane, "handover-done-zh");

    const after = (await api<{ items: { id: string }[] }>(zhang, "/v1/accounts?limit=1000")).items.map((a) => a.id);
    expect(after.sort()).toEqual(before.slice(2).map((a) => a.id).sort());
    const recorded = (await api<{ items: { from: string; to: string; accountIds: string[] }[] }>(await token("d-wang", "王建国", ["director"]), "/v1/handovers")).items;
    expect(recorded.find((h) => h.from === "m-zhang" && h.to === "m-li")?.accountIds.slice().sort()).toEqual(chosen.map((a) => a.id).sort());
  });

  it("every page reads in Chinese: a director walks the whole pane in zh-CN, with its messages and an unreachable store", async () => {
    const p = await paneFor("王建国");
    const found: Record<string, string[]> = {};
    const check = async (where: string, allowed: string[] = []) => {
      const words = await latinWords(p, allowed);
      if (words.length) {
        found[where] = words;
        await shot(p, `latin-${where}`);
      }
    };
    await check("signin");
    // An unreachable store: the browser says "Failed to fetch"; the pane must not.
    const store = p.getByRole("textbox", { name: "服务地址" });
    await store.fill("http://127.0.0.1:9");
    await p.getByTestId("load-users").click();
    await expect.poll(() => p.locator("main").innerText()).toContain("无法连接服务器");
    await check("signin-unreachable");
    await store.fill(stack.url);

    await p.getByTestId("new-workbook").click();
    await tab(p, "sync");
    await check("sync");
    await p.getByRole("button", { name: "创建模板工作表" }).click();
    await p.getByTestId("compare").click();
    await p.getByTestId("plan-counts").waitFor();
    await check("sync-plan");
    // At 320 px the sheet picker's ↻ stays inside the pane.
    const refresh = await p.getByTestId("sheet-refresh").boundingBox();
    expect(refresh!.x + refresh!.width).toBeLessThanOrEqual(320);
    await fits(p);
    // The mapping panel stays open while a change re-compares the sheet.
    const panel = p.getByTestId("sync-mapping");
    await panel.locator("summary").click();
    for (const n of [1, 2]) {
      await panel.getByRole("combobox").nth(n).click();
      await p.getByRole("option", { name: "（不同步）" }).click();
      await expect.poll(() => panel.getByRole("combobox").nth(n).textContent()).toContain("（不同步）");
      await expect.poll(() => p.getByTestId("compare").isEnabled()).toBe(true);
      expect(await panel.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    }
    await check("sync-remapped");

    await tab(p, "grade");
    await check("grade");

    await tab(p, "scorecard");
    await pick(p, "scorecard-period", "2026年一季度");
    await p.getByTestId("build-scorecard").click();
    await succeeded(p, "scorecard-message");
    await check("scorecard");

    await tab(p, "targets");
    await check("targets");

    await tab(p, "collections");
    await p.getByTestId("pull-report").click();
    await p.getByTestId("collections-message").waitFor();
    await check("collections");

    await tab(p, "handover");
    await pick(p, "handover-from", /^李明/);
    await check("handover");

    await tab(p, "recycle");
    await check("recycle");

    await tab(p, "health");
    await p.getByTestId("health-load").click();
    await p.getByTestId("health-summary").or(p.locator("main [role=alert], main .fui-MessageBar")).first().waitFor();
    await check("health");

    await tab(p, "map");
    await p.getByTestId("map-account").click();
    await p.getByRole("option").first().click();
    await p.getByTestId("map-draw").click();
    await p.getByTestId("map-message").waitFor();
    await check("map");

    await tab(p, "share");
    await p.getByTestId("share-check").click();
    await p.getByTestId("share-plan").or(p.getByTestId("share-message")).first().waitFor();
    // The hidden sheet is named by its real name (_kam_state), which the user finds in Excel.
    await check("share", ["state"]);

    // The store goes away mid-session: the page's error reads in Chinese too.
    await p.route(`${stack.url}/**`, (r) => r.abort("connectionrefused"));
    try {
      await tab(p, "recycle");
      await expect.poll(() => p.locator("main").innerText()).toContain("无法连接服务器");
      await check("recycle-unreachable");
    } finally {
      await p.unroute(`${stack.url}/**`);
    }
    // The manager's and finance's pane, every page; a server refusal comes back in Chinese
    // (Accept-Language): finance has no recycle bin.
    for (const who of ["李明", "刘芳"]) {
      const q = await paneFor(who);
      await q.getByTestId("new-workbook").click();
      for (const id of ["signin", "sync", "grade", "scorecard", "targets", "collections", "handover", "recycle", "health", "map", "share"]) {
        await tab(q, id);
        if (who === "刘芳" && id === "recycle") await expect.poll(() => q.locator("main").innerText()).toContain("回收站仅供总监和客户经理使用");
        if (id === "collections") await pick(q, "collections-scope-kind", "输入范围");
        const words = await latinWords(q);
        if (words.length) found[`${who}-${id}`] = words;
      }
    }
    expect(found).toEqual({});
  });
});
