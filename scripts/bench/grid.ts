/**
 * Preview grid benchmark: figures only, nothing asserts on time.
 * A 10,000-row × 8-column sheet opened in preview mode in Chromium at 1280 px; the grid is
 * scrolled 300 mouse-wheel notches (72 px), then top to bottom in 300 jumps (every row new). Per step: the time from setting scrollTop to the
 * end of the next frame (what a user feels as a pause), the rows in the DOM, and long tasks
 * (> 50 ms) seen meanwhile. Baseline in the same page: the same cells as a plain, non-virtualised
 * table (build time, and the same scroll steps on it).
 * Run: `npm run bench -- grid` (builds the add-in first when dist/addin is missing).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { serveAddin } from "../serve-addin.js";
import { ensureAddinBuilt, launchBrowser, newContext } from "../../tests/e2e/helpers.js";
import { at } from "../../shared/src/checked.js";
import { median } from "./stats.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ROWS = 10_000;
const STEPS = 300;
/** Three rows, a mouse wheel's notch. */
const WHEEL_PX = 72;
const HEADER = ["客户编号", "客户名称", "负责人", "企业性质", "所在行业", "销售额", "回款额", "备注"];

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => at(s, Math.min(s.length - 1, Math.floor(p * s.length)), "timings");
  return `median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${q(1).toFixed(1)} ms`;
}

interface StepResult {
  times: number[];
  maxRows: number;
  longTasks: number[];
}

/**
 * In the page: scroll the element in steps, timing each to the end of the next frame. Plain
 * JavaScript source (tsx's transform would add helpers to a function the page does not have).
 */
const scrollSteps = (selector: string, rowSelector: string, stepPx?: number): string => `(async () => {
  const el = document.querySelector(${JSON.stringify(selector)});
  const longTasks = [];
  const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push(e.duration); });
  obs.observe({ type: "longtask", buffered: false });
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const step = ${stepPx ?? 0} || Math.max(1, Math.floor((el.scrollHeight - el.clientHeight) / ${STEPS}));
  const from = el.scrollTop;
  const times = [];
  let maxRows = 0;
  for (let i = 1; i <= ${STEPS}; i++) {
    const t0 = performance.now();
    el.scrollTop = from + i * step;
    await frame();
    times.push(performance.now() - t0);
    maxRows = Math.max(maxRows, el.querySelectorAll(${JSON.stringify(rowSelector)}).length);
  }
  obs.disconnect();
  return { times, maxRows, longTasks };
})()`;

export async function benchGrid(): Promise<void> {
  await ensureAddinBuilt(ROOT);
  const work = await mkdtemp(join(tmpdir(), "kam-bench-grid-"));
  const file = join(work, "grid.xlsx");
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("客户档案");
  ws.addRow(HEADER);
  for (let i = 1; i <= ROWS; i++) ws.addRow([`acc-${i}`, `客户${i}有限公司`, i % 2 ? "李明" : "张伟", "国企", "装备制造", i * 1000, i * 900, `第${i}行`]);
  await wb.xlsx.writeFile(file);

  const addin = await serveAddin({ port: 0, host: "localhost", build: false });
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${addin.url}/preview.html?lang=zh`);
    await page.getByTestId("tab-signin").waitFor();
    let t0 = performance.now();
    await page.getByTestId("open-file").setInputFiles(file);
    await page.locator('[data-testid="grid-scroller"] [data-address="A2"]').waitFor();
    console.log(`open ${ROWS}-row file → grid drawn: ${(performance.now() - t0).toFixed(0)} ms (file read + exceljs parse + first render)`);

    const wheel = (await page.evaluate(scrollSteps('[data-testid="grid-scroller"]', '[role="row"][data-row]', WHEEL_PX))) as StepResult;
    console.log(`virtualised grid, ${STEPS} wheel steps of ${WHEEL_PX} px: ${stats(wheel.times)}; at most ${wheel.maxRows} rows in the DOM; ${wheel.longTasks.length} long tasks (> 50 ms)`);
    await page.evaluate(`document.querySelector('[data-testid="grid-scroller"]').scrollTop = 0`);
    const grid = (await page.evaluate(scrollSteps('[data-testid="grid-scroller"]', '[role="row"][data-row]'))) as StepResult;
    console.log(`virtualised grid, ${STEPS} jumps of 1/${STEPS} of the sheet (every row new): ${stats(grid.times)}; at most ${grid.maxRows} rows in the DOM; ${grid.longTasks.length} long tasks (> 50 ms)`);

    // Baseline: the same texts as one plain table, every row in the DOM.
    t0 = performance.now();
    const buildMs = (await page.evaluate(`((rows) => {
      const start = performance.now();
      const box = document.createElement("div");
      box.id = "baseline";
      box.style.cssText = "position:fixed;inset:0;overflow:auto;background:#fff;z-index:10";
      const table = document.createElement("table");
      for (let r = 0; r <= rows; r++) {
        const tr = table.insertRow();
        const line = r === 0 ? ${JSON.stringify(HEADER)} : ["acc-" + r, "客户" + r + "有限公司", r % 2 ? "李明" : "张伟", "国企", "装备制造", (r * 1000).toLocaleString("zh-CN"), (r * 900).toLocaleString("zh-CN"), "第" + r + "行"];
        for (const text of line) tr.insertCell().textContent = text;
      }
      box.appendChild(table);
      document.body.appendChild(box);
      void box.scrollHeight;
      return performance.now() - start;
    })(${ROWS})`)) as number;
    const baseWheel = (await page.evaluate(scrollSteps("#baseline", "tr", WHEEL_PX))) as StepResult;
    console.log(`baseline plain table, ${STEPS} wheel steps: ${stats(baseWheel.times)}`);
    await page.evaluate(`document.querySelector("#baseline").scrollTop = 0`);
    const base = (await page.evaluate(scrollSteps("#baseline", "tr"))) as StepResult;
    console.log(`baseline plain table: built in ${buildMs.toFixed(0)} ms (${(performance.now() - t0).toFixed(0)} ms round trip), ${STEPS} scroll steps: ${stats(base.times)}; ${base.maxRows} rows in the DOM; ${base.longTasks.length} long tasks`);
    console.log(`→ rows in the DOM: ${grid.maxRows} vs ${base.maxRows}; median wheel step ${median(wheel.times).toFixed(1)} vs ${median(baseWheel.times).toFixed(1)} ms, median jump ${median(grid.times).toFixed(1)} vs ${median(base.times).toFixed(1)} ms (load average ${at(loadavg(), 0, "load averages").toFixed(1)} on ${cpus().length} CPUs: wall times grow with it)`);
  } finally {
    await browser.close();
    await addin.stop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  void benchGrid();
}
