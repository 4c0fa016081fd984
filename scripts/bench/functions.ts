/**
 * `npm run bench` — custom functions:
 *  1. KAM.SCORE over 100,000 rows evaluated in HyperFormula vs the same score written as native
 *     Excel formulas (IF/FLOOR/MAX) in the same process (goal: KAM.SCORE no slower);
 *  2. 10,000 KAM.COLLECTION cells through the add-in's batcher vs one request per cell, against
 *     the local stack (goal: ≤ 20 requests, ≥ 20× faster).
 * Figures and ratios only; nothing here asserts on time.
 */
import { HyperFormula } from "hyperformula";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { parseCollectionCall } from "../../shared/src/excel/store.js";
import { EvalBatcher } from "../../addin/src/functions/batcher.js";
import type { Session } from "../../addin/src/api/session.js";
import { HF_CONFIG, hfOptions, registerKamPlugin } from "../../tests/workbook/hyperformula.js";
import { at, must } from "../../shared/src/checked.js";

const ROWS = 100_000;
const CELLS = 10_000;
const HEADERS = ["salesActual", "salesPlan", "salesLastQuarter", "newAccounts", "newAccountsPlan", "infoCollection", "teamwork", "knowledge", "judgement", "communication", "absenceDays", "responsibility"];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function scorecardRows(n: number): number[][] {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => at(xs, Math.floor(r() * xs.length), "choices");
  return Array.from({ length: n }, () => [
    500_000 + Math.floor(r() * 100_000) * 10,
    800_000 + Math.floor(r() * 400) * 1000,
    600_000 + Math.floor(r() * 800) * 1000,
    Math.floor(r() * 7),
    1 + Math.floor(r() * 4),
    Math.floor(r() * 11),
    Math.floor(r() * 11),
    Math.floor(r() * 11),
    pick([4, 3.5, 3, 2.5]),
    pick([6, 5.5, 5, 4.5]),
    Math.floor(r() * 7),
    pick([5, 4.5, 3, 2]),
  ]);
}

/** docs/domain.md §8 ka-manager as native formulas (deduction counts absent → conduct 5, service 5). */
function nativeScore(row: number): string {
  const c = (col: string) => `${col}${row}`;
  const [A, B, C, D, E, F, G, H, I, J, K, L] = "ABCDEFGHIJKL".split("").map(c);
  return (
    `=MAX(0,25+IF(${A}>=${B},FLOOR(ROUND((${A}-${B})*20/${B},9),1),-FLOOR(ROUND((${B}-${A})*20/${B},9),1)))` +
    `+10+MAX(0,FLOOR((${A}-${C})/100000,1))` +
    `+MAX(0,5+IF(${D}>=${E},${D}-${E},-FLOOR((${E}-${D})/2,1)))` +
    `+${F}+${G}+${H}+${I}+${J}+MAX(0,5-${K})+5+${L}+5`
  );
}

function timeBuild(sheet: (string | number)[][]): { ms: number; values: unknown[] } {
  const t0 = performance.now();
  const hf = HyperFormula.buildFromSheets({ s: sheet }, HF_CONFIG);
  const ms = performance.now() - t0;
  const values = (hf.getSheetValues(0) as unknown[][]).slice(1).map((r) => r[12]);
  hf.destroy();
  return { ms, values };
}

async function benchScore(): Promise<void> {
  registerKamPlugin();
  hfOptions.lang = "en";
  const rows = scorecardRows(ROWS);
  const header = [...HEADERS, "total"];
  const inlineHeaders = `{${HEADERS.map((h) => JSON.stringify(h)).join(",")}}`;
  // Warm-up so the first variant does not pay for JIT compilation of HyperFormula alone.
  timeBuild([header, ...rows.slice(0, 2000).map((r, i) => [...r, nativeScore(i + 2)])]);
  timeBuild([header, ...rows.slice(0, 2000).map((r, i) => [...r, `=KAM.SCORE(A${i + 2}:L${i + 2},${inlineHeaders})`])]);
  const native = timeBuild([header, ...rows.map((r, i) => [...r, nativeScore(i + 2)])]);
  const perRowInline = timeBuild([header, ...rows.map((r, i) => [...r, `=KAM.SCORE(A${i + 2}:L${i + 2},${inlineHeaders})`])]);
  const perRow = timeBuild([header, ...rows.map((r, i) => [...r, `=KAM.SCORE(A${i + 2}:L${i + 2},$A$1:$L$1)`])]);
  const spill = timeBuild([header, [...at(rows, 0, "rows"), `=KAM.SCORE(A2:L${ROWS + 1},A1:L1)`], ...rows.slice(1).map((r) => [...r])]);
  const differ = (a: unknown[], b: unknown[]) => a.filter((v, i) => v !== b[i]).length;
  const line = (label: string, ms: number) => `  ${label.padEnd(52)} ${ms.toFixed(0).padStart(7)} ms   native/KAM ${(native.ms / ms).toFixed(2)}×`;
  console.log(`KAM.SCORE over ${ROWS.toLocaleString("en")} rows in HyperFormula (build + evaluate), same process:`);
  console.log(`  ${"native formulas per row (IF/FLOOR/MAX/ROUND)".padEnd(52)} ${native.ms.toFixed(0).padStart(7)} ms`);
  console.log(line("=KAM.SCORE(A2:L2,{headers}) per row", perRowInline.ms));
  console.log(line("=KAM.SCORE(A2:L2,$A$1:$L$1) per row (shared range)", perRow.ms));
  console.log(line("=KAM.SCORE(A2:L100001,A1:L1) one spilled formula", spill.ms));
  console.log(
    `  rows where KAM.SCORE ≠ native (same order): ${differ(native.values, perRowInline.values)} / ${differ(native.values, perRow.values)} / ${differ(native.values, spill.values)}`,
  );
}

// ---------------------------------------------------------------------------------------------

interface Target {
  apiBase: string;
  token: string;
  scopes: string[];
  note: string;
  stop: () => Promise<void>;
}

/** A loopback stand-in speaking the /v1/eval encoding, for when the local stack has no eval route. */
async function standIn(): Promise<Target> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { calls: { args: unknown[] }[] };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ results: body.calls.map((_, i) => ({ value: (i % 100) / 100 })) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    apiBase: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: "bench",
    scopes: Array.from({ length: 30 }, (_, i) => `account:A-${String(i + 1).padStart(3, "0")}`),
    note: "loopback stand-in (the local stack has no /v1/eval handler yet)",
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function localStack(): Promise<Target | undefined> {
  try {
    process.env.KAM_LOG ??= "off"; // one log line per request would drown the figures
    const mod = (await import("../../functions/local/index.js")) as typeof import("../../functions/local/index.js");
    const stack = await mod.startLocalStack({ inMemory: true, port: 0 });
    const finance = must(mod.DEMO_USERS.find((u) => u.roles.includes("finance")), "a demo finance user");
    const token = await stack.issuer.issue({ sub: finance.sub, tid: finance.tid, name: finance.name, roles: finance.roles });
    const probe = await fetch(`${stack.url}/v1/eval`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ calls: [{ fn: "COLLECTION", args: ["*", "2026", null, "en"] }] }),
    });
    if (!probe.ok) {
      await stack.stop();
      return undefined;
    }
    return {
      apiBase: stack.url,
      token,
      scopes: mod.demoAccounts().map((a) => `account:${a.id}`),
      note: "local stack (dynalite + handlers, demo tenant, finance user)",
      stop: () => stack.stop(),
    };
  } catch {
    return undefined;
  }
}

/** 10,000 cells: accounts × months × measures, as a finance sheet would hold them. */
function collectionCells(scopes: readonly string[]): unknown[][] {
  const months = Array.from({ length: 24 }, (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);
  const measures = ["rate", "due", "collected", "credit", "overdue", "overdue90"];
  return Array.from({ length: CELLS }, (_, i) => [scopes[i % scopes.length], months[Math.floor(i / scopes.length) % months.length], measures[Math.floor(i / (scopes.length * months.length)) % measures.length], "en"]);
}

async function benchCollection(): Promise<void> {
  const target = (await localStack()) ?? (await standIn());
  try {
    const session: Session = { apiBase: target.apiBase, token: target.token, expiresAt: Date.now() + 3_600_000 };
    const cells = collectionCells(target.scopes);
    const calls = cells.map((args) => {
      const c = parseCollectionCall(args, "en");
      if (!c.ok) throw new Error("bad bench call");
      return { args, key: c.value.key };
    });
    const distinct = new Set(calls.map((c) => c.key)).size;

    const batcher = new EvalBatcher({ getSession: () => session });
    const t0 = performance.now();
    await Promise.all(calls.map((c) => batcher.call("COLLECTION", c.args, c.key)));
    const batchedMs = performance.now() - t0;

    // Baseline: one request per cell (Microsoft's sample without batching), 16 at a time.
    let requests = 0;
    const t1 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < calls.length) {
          const c = at(calls, next++, "calls");
          requests++;
          const res = await fetch(`${session.apiBase}/v1/eval`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${session.token}` },
            body: JSON.stringify({ calls: [{ fn: "COLLECTION", args: c.args }] }),
          });
          await res.text();
        }
      }),
    );
    const singleMs = performance.now() - t1;
    console.log(`\n${CELLS.toLocaleString("en")} KAM.COLLECTION cells (${distinct} distinct calls) against the ${target.note}:`);
    console.log(`  batcher            ${String(batcher.stats.requests).padStart(6)} requests ${batchedMs.toFixed(0).padStart(7)} ms`);
    console.log(`  one request/cell   ${String(requests).padStart(6)} requests ${singleMs.toFixed(0).padStart(7)} ms   ratio ${(singleMs / batchedMs).toFixed(1)}× faster batched`);
  } finally {
    await target.stop();
  }
}

export async function benchFunctions(): Promise<void> {
  await benchScore();
  await benchCollection();
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await benchFunctions();
}
