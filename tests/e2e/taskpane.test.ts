/**
 * The pane in a real browser, end to end: local stack + add-in server, preview
 * mode, sign in as a manager, open a fixture workbook, sync, edit, sync again, a conflict from a
 * director's session resolved in the pane, grade accounts, build a scorecard, download the workbook
 * and check it with exceljs, check the store through the API; screenshots of every page in zh-CN
 * and en-US under test-artifacts/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import type { BrowserContext, Page } from "playwright-core";
import { startLocalStack, type LocalStack } from "../../functions/local/stack.js";
import { DEMO_USERS } from "../../functions/local/seed.js";
import { serveAddin, type AddinServer } from "../../scripts/serve-addin.js";
import { signIn as apiSignIn } from "../backend/helpers.js";
import { VALUE_FACTORS, VALUE_FACTOR_LABELS, lastCompleteQuarter, periodLabel, today } from "../../shared/src/index.js";
import { visibleCellsHolding } from "../../addin/src/workbook/xlsx.test-util.js";
import { blankOfficeJs, ensureAddinBuilt, launchChromium, openTab, screenshot, signInAs, switchLang } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SHOTS = join(ROOT, "test-artifacts/screenshots");
const SHEET = "客户档案";

let stack: LocalStack;
let addin: AddinServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let work: string;

const token = async (sub: string, name: string, roles: string[]) => (await apiSignIn(stack, { sub, tid: "demo", name, roles })).token;

async function api<T>(tok: string, method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${stack.url}${path}`, { method, headers: { authorization: `Bearer ${tok}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${text}`);
  return JSON.parse(text) as T;
}

/** The fixture: an accounts sheet with zh headers, the seven value factors and revenue. */
async function fixture(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET);
  ws.addRow(["客户编号", "客户名称", "企业性质", "注册资本(元)", "付款态度", ...VALUE_FACTORS.map((f) => VALUE_FACTOR_LABELS[f].zh), "销售额"]);
  ws.addRow(["e2e-1", "华东精工", "国企", 50_000_000, "爽快", 5, 5, 5, 5, 5, 5, 5, 9_000_000]);
  ws.addRow(["e2e-2", "星河软件", "民营", 10_000_000, "一般", 3, 3, 3, 3, 3, 3, 3, 800_000]);
  ws.addRow(["e2e-3", "南方物流", "外资", 2_000_000, "迟缓", 1, 1, 1, 1, 1, 1, 1, 200_000]);
  const file = join(work, "fixture.xlsx");
  await wb.xlsx.writeFile(file);
  return file;
}

async function pickOption(testId: string, option: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole("option", { name: option }).first().click();
}

const tab = (id: string) => openTab(page, id);

async function download(): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download").click()]);
  const file = join(work, `download-${Date.now()}.xlsx`);
  await d.saveAs(file);
  return file;
}

async function reopen(file: string): Promise<void> {
  await page.getByTestId("open-file").setInputFiles(file);
  await page.getByText(/预览模式|Preview mode/).filter({ hasText: file.split("/").pop()! }).waitFor();
}

/** Edit a downloaded workbook like a user in another spreadsheet program would. */
async function editFile(file: string, edit: (ws: ExcelJS.Worksheet) => void, from = file): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(from);
  edit(wb.getWorksheet(SHEET)!);
  const out = file.replace(/\.xlsx$/, "-edited.xlsx");
  await wb.xlsx.writeFile(out);
  return out;
}

async function syncSheet(): Promise<string> {
  await tab("sync");
  await pickOption("sheet-picker", SHEET);
  await page.getByTestId("compare").click();
  await page.getByTestId("plan-counts").waitFor();
  // The first sync of a sheet asks what to pull into it: these flows add nothing from the store.
  const firstPull = page.getByTestId("first-pull");
  if (await firstPull.count()) await firstPull.getByRole("radio", { name: /暂不拉取|Nothing for now/ }).check();
  return (await page.getByTestId("plan-counts").textContent()) ?? "";
}

async function runSync(): Promise<string> {
  await page.getByTestId("sync-now").click();
  await page.getByTestId("summary").waitFor();
  return (await page.getByTestId("summary").textContent()) ?? "";
}

/** The page's message once shown; it must report success. */
async function succeeded(testId: string): Promise<string> {
  const m = page.getByTestId(testId);
  await m.waitFor();
  const text = (await m.textContent()) ?? "";
  expect(await m.getAttribute("data-intent"), text).toBe("success");
  return text;
}

const inLang = (lang: "zh" | "en") => switchLang(page, lang);

const signIn = (name: string) => signInAs(page, name);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "kam-e2e-"));
  await mkdir(SHOTS, { recursive: true });
  // Build the page when the sources are newer than the last build (the build is part of the product).
  await ensureAddinBuilt(ROOT);
  addin = await serveAddin({ port: 0, host: "localhost", build: false });
  stack = await startLocalStack({ port: 0, inMemory: true, seed: true, allowedOrigins: [addin.url] });
  browser = await launchChromium();
  page = await browser.context.newPage();
  // No network in CI: Office.js from the CDN is absent, which is exactly preview mode.
  await blankOfficeJs(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await addin?.stop();
  await stack?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("taskpane end to end (preview mode, real Chromium, local stack)", () => {
  it("signs in, syncs, resolves a conflict, grades, builds a scorecard, downloads — and the store agrees", async () => {
    await page.goto(`${addin.url}/index.html?api=${encodeURIComponent(stack.url)}&lang=zh`);
    await page.getByTestId("tab-signin").waitFor({ timeout: 30_000 });

    // Sign in as a manager (李明, m-li) and open the fixture.
    await signIn("李明");
    await reopen(await fixture());

    // First sync: three rows created, owner = the manager.
    let counts = await syncSheet();
    expect(counts).toContain("待上传: 3");
    let summary = await runSync();
    expect(summary).toContain("新建 3");
    const director = await token("d-wang", "王建国", ["director"]);
    let stored = await api<{ items: { id: string; name: string; owner: string; version: number; ownershipType: string; paymentAttitude?: string }[] }>(director, "GET", "/v1/accounts?limit=1000");
    expect(stored.items.find((a) => a.id === "e2e-1")).toMatchObject({ name: "华东精工", owner: "m-li", ownershipType: "stateOwned", version: 1 });

    // A second sync with nothing changed sends nothing.
    counts = await syncSheet();
    expect(counts).toContain("待上传: 0");
    summary = await runSync();
    expect(summary).toContain("发送行数 0");

    // Edit rows elsewhere (the baseline travels in the file), reopen, sync again.
    let file = await download();
    file = await editFile(file, (ws) => {
      ws.getCell("D2").value = 60_000_000; // e2e-1 registered capital
      ws.addRow(["e2e-4", "西部能源", "股份", 30_000_000, "爽快", 4, 4, 4, 4, 4, 4, 4, 1_000_000]);
    });
    await reopen(file);
    counts = await syncSheet();
    expect(counts).toContain("待上传: 2");
    summary = await runSync();
    expect(summary).toMatch(/新建 1 · 更新 1/);

    // A conflict: the director renames e2e-2 in the store while the manager edits the same row.
    const current = (await api<{ items: { id: string; version: number }[] }>(director, "GET", "/v1/accounts?limit=1000")).items.find((a) => a.id === "e2e-2")!;
    const put = await api<{ items: { status: string }[] }>(director, "PUT", "/v1/accounts", { items: [{ id: "e2e-2", version: current.version, name: "星河软件（总监改）" }] });
    expect(put.items[0]!.status).toBe("updated");
    file = await download();
    file = await editFile(file, (ws) => { ws.getCell("B3").value = "星河软件股份"; });
    await reopen(file);
    counts = await syncSheet();
    expect(counts).toContain("冲突: 1");
    const conflicts = page.getByTestId("conflicts");
    await expect(conflicts.textContent()).resolves.toContain("星河软件（总监改）");
    await screenshot(page, join(SHOTS, "sync-conflict-zh.png"));
    // The same field-level card in English: the account's name, both values, who changed the store's side.
    await inLang("en");
    const card = page.getByTestId("conflict-e2e-2");
    expect(await card.getByRole("columnheader").allTextContents()).toEqual(expect.arrayContaining(["Field", "Mine", "Theirs", "Changed by"]));
    expect(await card.textContent()).toMatch(/星河软件股份.*星河软件（总监改）.*王建国/);
    await card.getByRole("radio", { name: "Keep mine" }).waitFor();
    await conflicts.getByRole("button", { name: "Keep all mine" }).waitFor();
    expect(await page.getByTestId("plan-counts").textContent()).toContain("Conflicts: 1");
    await screenshot(page, join(SHOTS, "sync-conflict-en-US.png"));
    await inLang("zh");
    await conflicts.getByRole("radio", { name: "保留我的" }).check();
    summary = await runSync();
    expect(summary).toContain("冲突 0");
    stored = await api(director, "GET", "/v1/accounts?limit=1000");
    expect(stored.items.find((a) => a.id === "e2e-2")!.name).toBe("星河软件股份");

    // Grade the accounts (values: preview mode has no custom functions engine).
    await tab("grade");
    await pickOption("sheet-picker", SHEET);
    await page.getByTestId("grade-preview").waitFor();
    await page.getByTestId("write-grades").click();
    await page.getByText(/已写入分级结果/).waitFor();

    // Scorecard (directors build it): sign in as the director.
    await signIn("王建国");
    await tab("scorecard");
    // The period defaults to the last complete quarter, shown by name; this scorecard is for 2026-Q1.
    expect(await page.getByTestId("scorecard-period").inputValue()).toBe(periodLabel(lastCompleteQuarter(today()), "zh"));
    await pickOption("scorecard-period", "2026年一季度");
    await page.getByTestId("build-scorecard").click();
    expect(await succeeded("scorecard-message")).toMatch(/考核表已生成: 考核表 2026Q1 \(2\)/);

    // Download and check with exceljs.
    const final = new ExcelJS.Workbook();
    await final.xlsx.load((await readFile(await download())).buffer as ArrayBuffer);
    const ws = final.getWorksheet(SHEET)!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const gradeCol = header.indexOf("等级") + 1;
    const valueCol = header.indexOf("价值分") + 1;
    expect(gradeCol).toBeGreaterThan(0);
    // all factors 5 → value 100 → A; all 3 → (3−1)/4 × 100 = 50 → C (≥ 35, < 55); all 1 → 0 → D
    expect([2, 3, 4].map((r) => ws.getCell(r, gradeCol).value)).toEqual(["A", "C", "D"]);
    expect(ws.getCell(2, valueCol).value).toBe(100);
    const abcCol = header.indexOf("ABC") + 1;
    // revenue 9,000,000 of 11,000,000 total is first → A; the next starts at 9/11 ≈ 81.8% ≥ 80% → B
    expect(ws.getCell(2, abcCol).value).toBe("A");
    expect(ws.getCell(3, abcCol).value).toBe("B");
    const sc = final.getWorksheet("考核表 2026Q1");
    expect(sc).toBeDefined();
    // People are shown by name; the manager-id key column (A) is hidden, and no visible cell holds a user id.
    expect(sc!.getCell("B1").value).toBe("经理");
    expect([2, 3].map((r) => sc!.getCell(r, 2).value)).toEqual(expect.arrayContaining(["李明", "张伟"]));
    expect(sc!.getColumn(1).hidden).toBe(true);
    expect(visibleCellsHolding(sc!, DEMO_USERS.map((u) => u.sub))).toEqual([]);
    expect(final.getWorksheet("_kam_state")!.state).toBe("veryHidden");

    // The store: four accounts, the manager's values, the resolved conflict.
    stored = await api(director, "GET", "/v1/accounts?limit=1000");
    const mine = stored.items.filter((a) => a.id.startsWith("e2e-")).sort((a, b) => a.id.localeCompare(b.id));
    expect(mine.map((a) => [a.id, a.owner])).toEqual([["e2e-1", "m-li"], ["e2e-2", "m-li"], ["e2e-3", "m-li"], ["e2e-4", "m-li"]]);
    expect((mine[0] as unknown as { registeredCapital: number }).registeredCapital).toBe(60_000_000);
  });

  it("scorecard right after sign-in waits for the user directory; a directory without managers builds nothing", async () => {
    // GET /v1/users is held back until the user has tried to build, as on a slow network.
    const USERS = /\/v1\/users(\?.*)?$/;
    let arrived!: () => void;
    const requested = new Promise<void>((r) => (arrived = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(USERS, async (route) => { arrived(); await held; await route.continue(); });
    try {
      await signIn("王建国");
      await page.getByTestId("tab-scorecard").click();
      await requested;
      const build = page.getByTestId("build-scorecard");
      const clicked = build.click(); // as soon as the pane lets the user
      expect(await build.isDisabled()).toBe(true);
      await page.getByTestId("directory-loading").waitFor();
      expect(await page.getByTestId("scorecard-message").count()).toBe(0);
      release();
      await clicked;
      expect(await succeeded("scorecard-message")).toContain("(2)");
      const table = page.locator("main section table");
      await expect.poll(() => table.textContent()).toMatch(/李明.*张伟|张伟.*李明/);
      // Teams are picked by their names (never their ids): 华东 holds 李明 only.
      await page.getByTestId("scorecard-team").click();
      expect(await page.getByRole("option").allTextContents()).toEqual(expect.arrayContaining(["全部", "华东", "华南"]));
      expect(await page.getByRole("option").allTextContents()).not.toContain("east");
      await page.getByRole("option", { name: "华东" }).click();
      await page.getByTestId("build-scorecard").click();
      await expect.poll(() => page.getByTestId("scorecard-message").textContent()).toContain("(1)");
      await expect.poll(() => table.textContent()).not.toContain("张伟");
    } finally {
      release();
      await page.unroute(USERS);
    }

    // The same tenant's directory without its managers: no scorecard, and no success reported.
    await page.route(USERS, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { items: { roles: string[] }[] };
      await route.fulfill({ response, json: { ...body, items: body.items.filter((u) => !u.roles.includes("manager")) } });
    });
    try {
      await tab("grade");
      await tab("scorecard");
      await page.getByTestId("build-scorecard").click();
      const m = page.getByTestId("scorecard-message");
      await m.waitFor();
      expect(await m.getAttribute("data-intent")).toBe("error");
      expect(await m.textContent()).toContain("未生成考核表");
      expect(await page.locator("main section table").count()).toBe(0);
    } finally {
      await page.unroute(USERS);
    }
  });

  it("a director syncs the manager's sheet (no owner column): no owner changes, a bad cell is held not deleted, different fields merge", async () => {
    await signIn("王建国");
    const manager = await token("m-li", "李明", ["manager"]);
    const before = (await api<{ items: { id: string; version: number; owner: string }[] }>(manager, "GET", "/v1/accounts?limit=1000")).items.filter((a) => a.id.startsWith("e2e-"));
    // The manager renames e2e-1 in the store; the director's copy edits its payment attitude.
    const e1 = before.find((a) => a.id === "e2e-1")!;
    await api(manager, "PUT", "/v1/accounts", { items: [{ id: "e2e-1", version: e1.version, name: "华东精工集团" }] });
    let file = await download();
    // First, review only (nothing is sent): a copy with a new row the director must give an owner
    // and a row removed, which is proposed for deletion by name and owner — in zh-CN and en-US.
    const review = await editFile(file.replace(/\.xlsx$/, "-review.xlsx"), (ws) => {
      ws.spliceRows(4, 1); // e2e-3 南方物流
      ws.addRow(["e2e-new", "北方新材", "民营", 3_000_000, "爽快"]);
    }, file);
    await reopen(review);
    let counts = await syncSheet();
    // To push: the new row, and the 等级 cells of e2e-1, e2e-2 and e2e-4 that the grade page wrote in
    // the first test and no sync has sent since (e2e-3's row is removed). To pull: e2e-1's new name.
    // Nothing is skipped: the pane's reads left no empty rows in the file, so the row added by
    // another program sits right under the data.
    for (const c of ["待上传: 4", "待下载: 1", "冲突: 0", "已删除的行: 1"]) expect(counts).toContain(c);
    expect(await page.getByTestId("skipped-rows").count()).toBe(0);
    expect(await page.getByTestId("owner-picker").textContent()).toContain("所有新客户的负责经理");
    await screenshot(page, join(SHOTS, "sync-review-owner-deletes-zh-CN.png"));
    await inLang("en");
    counts = (await page.getByTestId("plan-counts").textContent()) ?? "";
    for (const c of ["To push: 4", "To pull: 1", "Deleted rows: 1"]) expect(counts).toContain(c);
    expect(counts).toContain("Owner changes: 0");
    expect(await page.getByTestId("owner-picker").textContent()).toMatch(/Owner of all new accounts/);
    expect(await page.getByTestId("deletes").textContent()).toMatch(/南方物流 · 李明/);
    await page.getByTestId("confirm-deletes").waitFor();
    await screenshot(page, join(SHOTS, "sync-review-owner-deletes-en-US.png"));
    await inLang("zh");

    file = await editFile(file, (ws) => {
      ws.getCell("E2").value = "一般"; // e2e-1 付款态度
      ws.getCell("D3").value = "待定"; // e2e-2 注册资本: not a figure
    });
    await reopen(file);
    counts = await syncSheet();
    // To push: e2e-1 (付款态度, 等级), e2e-3 and e2e-4 (等级); e2e-2 is held back by its bad cell.
    for (const c of ["待上传: 3", "待下载: 1", "无效行: 1"]) expect(counts).toContain(c);
    expect(counts).toContain("冲突: 0");
    expect(counts).toContain("已删除的行: 0");
    expect(counts).toContain("负责经理变更: 0");
    const problems = page.getByTestId("problems");
    await expect(problems.textContent()).resolves.toMatch(/注册资本.*无法识别.*1/);
    await page.screenshot({ path: join(SHOTS, "sync-review-director-zh-CN.png"), fullPage: true });
    await inLang("en");
    const enCounts = (await page.getByTestId("plan-counts").textContent()) ?? "";
    for (const c of ["Conflicts: 0", "Deleted rows: 0", "Owner changes: 0"]) expect(enCounts).toContain(c);
    expect(await page.getByTestId("problems").textContent()).toMatch(/Registered capital/i);
    await screenshot(page, join(SHOTS, "sync-review-director-en-US.png"));
    await inLang("zh");
    const summary = await runSync();
    expect(summary).toMatch(/新建 0 · 更新 3 · 下载 1 /); // e2e-1, and the grades the grade page wrote into the sheet
    const after = (await api<{ items: { id: string; owner: string; name: string; paymentAttitude?: string; registeredCapital?: number; deleted?: boolean }[] }>(manager, "GET", "/v1/accounts?limit=1000")).items.filter((a) => a.id.startsWith("e2e-"));
    const byId = (x: [string, string], y: [string, string]) => x[0].localeCompare(y[0]);
    expect(after.map((a): [string, string] => [a.id, a.owner]).sort(byId)).toEqual(before.map((a): [string, string] => [a.id, "m-li"]).sort(byId));
    expect(after.find((a) => a.id === "e2e-1")).toMatchObject({ name: "华东精工集团", paymentAttitude: "average" });
    expect(after.find((a) => a.id === "e2e-2")).toMatchObject({ registeredCapital: 10_000_000 });
    expect(after.find((a) => a.id === "e2e-2")!.deleted).toBeUndefined();
  });

  it("at 320 px: grades a sheet with 120万 and 待定 (failed rows counted, 合计 untouched); a typed 上季销售额 survives a scorecard rebuild", async () => {
    await page.setViewportSize({ width: 320, height: 1100 });
    const shotBoth = async (name: string) => {
      for (const lang of ["zh", "en"] as const) {
        await inLang(lang);
        await screenshot(page, join(SHOTS, `${name}-320-${lang === "zh" ? "zh-CN" : "en-US"}.png`));
      }
      await inLang("zh");
    };
    try {
      await signIn("王建国");
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet("客户分级");
      const factors = (n: number) => VALUE_FACTORS.map(() => n);
      sheet.addRow(["客户名称", ...VALUE_FACTORS.map((f) => VALUE_FACTOR_LABELS[f].zh), "销售额", "付款态度"]);
      sheet.addRow(["华东精工", ...factors(5), "120万", "爽快"]);
      sheet.addRow(["星河软件", ...factors(3), 300_000, "一般"]);
      sheet.addRow(["南方物流", ...factors(1), "待定", "迟缓"]);
      sheet.addRow(["合计", ...VALUE_FACTORS.map(() => null), 1_500_000, null]);
      const gradingFile = join(work, "grading.xlsx");
      await book.xlsx.writeFile(gradingFile);
      await reopen(gradingFile);

      await tab("grade");
      await pickOption("sheet-picker", "客户分级");
      await page.getByTestId("grade-preview").waitFor();
      // Inputs are shown by their labels, never their ids.
      expect(await page.getByTestId("grade-mapping").textContent()).toContain("销售额");
      expect(await page.getByTestId("grade-columns").textContent()).not.toMatch(/revenue|cumulativeSales|paymentAttitude/);
      await page.getByTestId("write-grades").click();
      const m = page.getByTestId("grade-message");
      await m.waitFor();
      // One row failed: not a plain success, and it says how many.
      expect(await m.getAttribute("data-intent")).toBe("warning");
      expect(await m.textContent()).toMatch(/2 行已分级.*1 行有无法识别.*1 行为空行或合计行/);
      await shotBoth("grade");

      await tab("scorecard");
      await pickOption("scorecard-period", "2026年一季度");
      await page.getByTestId("build-scorecard").click();
      await succeeded("scorecard-message");
      // The director types last quarter's sales for 李明 in the downloaded file, then rebuilds.
      const typed = new ExcelJS.Workbook();
      await typed.xlsx.load((await readFile(await download())).buffer as ArrayBuffer);
      const graded = typed.getWorksheet("客户分级")!;
      const gHeader = (graded.getRow(1).values as unknown[]).slice(1);
      const abc = gHeader.indexOf("ABC") + 1;
      // 120万 = 1,200,000 of 1,500,000 → A; 300,000 → B; 待定 → no class; the 合计 row is not written into.
      expect([2, 3, 4, 5].map((r) => graded.getCell(r, abc).value)).toEqual(["A", "B", null, null]);
      expect(graded.getCell(5, gHeader.indexOf("等级") + 1).value).toBeNull();
      const sc = typed.getWorksheet("考核表 2026Q1")!;
      const scHeader = (sc.getRow(1).values as unknown[]).slice(1);
      const lastQuarter = scHeader.indexOf("上季销售额") + 1;
      const liRow = [2, 3].find((r) => sc.getCell(r, scHeader.indexOf("经理") + 1).value === "李明")!;
      sc.getCell(liRow, lastQuarter).value = 18_000_000;
      const typedFile = join(work, "scorecard-typed.xlsx");
      await typed.xlsx.writeFile(typedFile);
      await reopen(typedFile);
      await tab("scorecard");
      await pickOption("scorecard-period", "2026年一季度");
      await page.getByTestId("build-scorecard").click();
      await succeeded("scorecard-message");
      await shotBoth("scorecard");
      const rebuilt = new ExcelJS.Workbook();
      await rebuilt.xlsx.load((await readFile(await download())).buffer as ArrayBuffer);
      const sc2 = rebuilt.getWorksheet("考核表 2026Q1")!;
      expect(sc2.getCell(liRow, lastQuarter).value).toBe(18_000_000);
      // The judgement column offers its scale as a drop-down with the scale in the prompt.
      const judgement = sc2.getCell(2, scHeader.indexOf("分析判断能力") + 1).dataValidation;
      expect(judgement).toMatchObject({ type: "list", formulae: ['"4,3.5,3,2.5"'], prompt: "4 = 强 · 3.5 = 较强 · 3 = 一般 · 2.5 = 较弱" });
    } finally {
      await page.setViewportSize({ width: 320, height: 900 });
    }
  });

  it("a director restores a deleted account from the recycle bin (回收站): name, owner and who deleted it shown; back in the store at version + 1", async () => {
    await signIn("王建国");
    const director = await token("d-wang", "王建国", ["director"]);
    await api(director, "PUT", "/v1/accounts", { items: [{ id: "e2e-bin", name: "回收测试客户", owner: "m-li" }] });
    await api(director, "DELETE", "/v1/accounts/e2e-bin?version=1");
    await tab("recycle");
    const bin = page.getByTestId("recycle-bin");
    await bin.getByRole("button", { name: /刷新|Refresh/ }).click();
    const row = page.getByTestId("deleted-e2e-bin");
    await row.waitFor();
    expect(await row.textContent()).toMatch(/回收测试客户.*李明.*王建国/);
    await screenshot(page, join(SHOTS, "recycle-restore-zh-CN.png"));
    await inLang("en");
    await page.getByTestId("deleted-e2e-bin").waitFor();
    await expect(page.getByTestId("recycle-bin").getByRole("columnheader").allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringMatching(/Deleted by/i)]));
    await screenshot(page, join(SHOTS, "recycle-restore-en-US.png"));
    await page.getByTestId("restore-e2e-bin").click();
    await page.getByRole("status").filter({ hasText: /Restored.*回收测试客户/ }).waitFor();
    await page.getByTestId("deleted-e2e-bin").waitFor({ state: "detached" });
    const restored = (await api<{ items: { id: string; version: number; name: string; owner: string; deleted?: boolean }[] }>(director, "GET", "/v1/accounts?limit=1000")).items.find((a) => a.id === "e2e-bin");
    expect(restored).toMatchObject({ name: "回收测试客户", owner: "m-li", version: 3 });
    expect(restored!.deleted).toBeUndefined();
    await inLang("zh");
  });

  it("saves a screenshot of every page in zh-CN and en-US", async () => {
    const pages = ["signin", "sync", "grade", "scorecard", "targets", "collections", "handover", "recycle"];
    for (const lang of ["zh", "en"] as const) {
      await inLang(lang);
      for (const p of pages) {
        await tab(p);
        const path = join(SHOTS, `${p}-${lang === "zh" ? "zh-CN" : "en-US"}.png`);
        await screenshot(page, path);
        expect(statSync(path).size).toBeGreaterThan(1000);
      }
    }
    await writeFile(join(SHOTS, "README.txt"), "Screenshots written by tests/e2e/taskpane.test.ts\n");
  });
});
