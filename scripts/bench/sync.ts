/**
 * Sync benchmark: figures only, nothing asserts on time.
 *   1. a director's sync of a 10,000-row accounts table (no owner column) into an empty local store,
 *      with one owner choice for all new rows (wall time, HTTP requests; goal ≤ 10 s and ⌈rows/500⌉
 *      upserts plus the fixed reads: the list, the users and the teams),
 *   2. a no-change re-sync (goal ≤ 1 s, 0 rows sent): the sync reads the change times (ids and
 *      `updatedAt` from the index, no item reads) and reads in full only items whose time differs
 *      from the one the sheet's state holds — here none,
 *   3. the initial taskpane JavaScript, gzip (goal ≤ 250 KB; pages load lazily),
 * with a baseline in the same process: the same 10,000 items sent as one request per row would take
 * 10,000 requests (measured on the first 200 rows and extrapolated).
 * Setup: this process is the pane (workbook, sync engine, API client); the local API (`npm run api`,
 * in-memory store) runs as a child process with dynalite in a process of its own, as under
 * `npm start` — the same three parts a user has (Excel, API, DynamoDB), on one 2-core machine.
 * Run: `npx tsx scripts/bench/sync.ts` (or `npm run bench sync`). `KAM_BENCH_ROWS=n` changes the
 * table size; `KAM_PROF_DIR=<dir>` writes CPU profiles of the API and dynalite processes there (where
 * the time goes: mostly the AWS SDK's per-request work in the API, request validation and LevelDB
 * encoding in dynalite).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { buildFunctionsPage, initialPaneFiles, PANE_JS_GZIP_BUDGET } from "../build-addin.js";
import { startApiProcess } from "../../functions/local/process.js";
import { KamClient } from "../../addin/src/api/client.js";
import { devSignIn, signOut } from "../../addin/src/api/auth.js";
import { XlsxWorkbook } from "../../addin/src/workbook/xlsx.js";
import { ACCOUNTS } from "../../addin/src/sync/entities.js";
import { executeSync, prepareSync } from "../../addin/src/sync/engine.js";

const ROWS = Number(process.env.KAM_BENCH_ROWS ?? 10_000);
const OWNERSHIP = ["国企", "民营", "外资", "合资", "股份", "事业单位"];

function workbook(rows: number): XlsxWorkbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("客户档案");
  ws.addRow(["客户编号", "客户名称", "企业性质", "所在行业", "注册资本(元)", "电话", "地址", "付款态度"]);
  for (let i = 0; i < rows; i++) {
    ws.addRow([`bench-${i}`, `客户${i}有限公司`, OWNERSHIP[i % OWNERSHIP.length], "装备制造", 1_000_000 + i * 100, `021-${String(60000000 + i)}`, `上海市浦东新区${i}号`, i % 2 ? "爽快" : "一般"]);
  }
  return new XlsxWorkbook(wb);
}

export async function benchSync(): Promise<void> {
  // As under `npm start`: the pane (this process) talks HTTP to the local API in its own process,
  // which talks to dynalite in a third one.
  const stack = await startApiProcess({ inMemory: true, seed: false, ...(process.env.KAM_PROF_DIR ? { execArgv: ["--cpu-prof", `--cpu-prof-dir=${process.env.KAM_PROF_DIR}`] } : {}) });
  try {
    // The owner the director picks must be a registered manager: the manager's first request registers them.
    const m = await devSignIn(stack.url, { sub: "m-bench", tid: "bench", name: "Bench manager", roles: ["manager"] });
    if (!m.ok) throw new Error(m.message);
    await new KamClient().me();
    const s = await devSignIn(stack.url, { sub: "d-bench", tid: "bench", name: "Bench director", roles: ["director"] });
    if (!s.ok) throw new Error(s.message);
    const port = workbook(ROWS);
    const client = new KamClient();
    const who = { userId: "d-bench", roles: ["director"] };

    let t0 = performance.now();
    const p1 = await prepareSync({ port, remote: client, entity: ACCOUNTS, ref: { sheet: "客户档案" }, lang: "zh", ...who });
    if (!p1.ok) throw new Error(p1.message.en);
    const s1 = await executeSync(p1.plan, port, client, { owner: "m-bench" });
    const firstMs = performance.now() - t0;
    const firstRequests = client.requests;
    console.log(`director's sync of ${ROWS} rows (one owner choice, ${p1.plan.needsOwner.length} rows needed it) into an empty store: ${(firstMs / 1000).toFixed(2)} s, ${firstRequests} HTTP requests (${s1.rowsSent} rows sent, created ${s1.created}, problems ${s1.problems.length}); goal ≤ 10 s, ${Math.ceil(ROWS / 500)} upserts + 3 fixed reads`);

    client.requests = 0;
    t0 = performance.now();
    const p2 = await prepareSync({ port, remote: client, entity: ACCOUNTS, ref: { sheet: "客户档案" }, lang: "zh", ...who });
    if (!p2.ok) throw new Error(p2.message.en);
    const s2 = await executeSync(p2.plan, port, client);
    const secondMs = performance.now() - t0;
    console.log(`no-change re-sync: ${(secondMs / 1000).toFixed(2)} s, ${client.requests} HTTP requests, ${s2.rowsSent} rows sent (change times of the whole view: ids + updatedAt, no item read); goal ≤ 1 s, 0 rows`);

    client.requests = 0;
    t0 = performance.now();
    const p3 = await prepareSync({ port, remote: client, entity: ACCOUNTS, ref: { sheet: "客户档案" }, lang: "zh", ...who });
    if (!p3.ok) throw new Error(p3.message.en);
    const s3 = await executeSync(p3.plan, port, client);
    const thirdMs = performance.now() - t0;
    console.log(`no-change re-sync with the change cursor: ${(thirdMs / 1000).toFixed(2)} s, ${client.requests} HTTP requests, ${s3.rowsSent} rows sent (change times since the cursor)`);

    // Baseline: one request per row (what a naive add-in does), measured on 200 rows.
    const sample = 200;
    const baseClient = new KamClient();
    t0 = performance.now();
    for (let i = 0; i < sample; i++) await baseClient.upsert(ACCOUNTS, [{ id: `base-${i}`, name: `基线${i}`, owner: "m-bench" }], `base-${i}`);
    const perRowMs = (performance.now() - t0) / sample;
    console.log(`baseline one request per row: ${(perRowMs * ROWS / 1000).toFixed(2)} s for ${ROWS} rows (extrapolated from ${sample}), ${ROWS} requests → batched sync is ${(perRowMs * ROWS / firstMs).toFixed(1)}× faster`);
  } finally {
    signOut(); // also stops the token refresh timer, which would keep this process alive
    await stack.stop();
  }
  // Measured on a fresh build of the current sources, never on whatever dist/addin holds.
  const dir = await mkdtemp(join(tmpdir(), "kam-bench-pane-"));
  try {
    await buildFunctionsPage(dir);
    const js = initialPaneFiles(dir) ?? [];
    const sum = (k: "bytes" | "gzip") => js.reduce((n, f) => n + f[k], 0);
    console.log(`initial taskpane JS (functions.js + pane entry + first page): ${(sum("gzip") / 1000).toFixed(1)} KB gzip (${(sum("bytes") / 1000).toFixed(0)} KB raw, ${js.length} files); goal ≤ ${PANE_JS_GZIP_BUDGET / 1000} KB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  void benchSync();
}
