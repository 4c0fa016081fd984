/**
 * `npm run bench`: every benchmark prints figures and a ratio against a baseline run in the
 * same process. Nothing here asserts on time. What each bench printed goes to its section of
 * docs/benchmarks.md, with the date and the machine (`KAM_BENCH_NO_DOC=1` leaves the file alone).
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { basename, dirname, join } from "node:path";
import { capture, type BenchRun, writeReport } from "./bench-report.js";

const here = dirname(fileURLToPath(import.meta.url));
const benches: Array<[file: string, fn: string]> = [
  ["bench/engine.ts", "benchEngine"],
  ["bench/store.ts", "benchStore"],
  ["bench/functions.ts", "benchFunctions"],
  ["bench/sync.ts", "benchSync"],
  ["bench/lambda.ts", "benchLambda"],
  ["bench/sync-index-reads.ts", "benchIndexReads"],
  ["bench/grid.ts", "benchGrid"],
];
const only = process.argv.slice(2);

const runs: BenchRun[] = [];
for (const [file, fn] of benches) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  const path = join(here, file);
  if (!existsSync(path)) continue;
  console.log(`\n=== ${file} ===`);
  const mod = (await import(pathToFileURL(path).href)) as Record<string, () => Promise<void>>;
  const date = new Date();
  const started = performance.now();
  const run = mod[fn];
  if (!run) throw new Error(`${file} exports no ${fn}`);
  const output = await capture(() => run());
  runs.push({ name: basename(file, ".ts"), output, wallMs: performance.now() - started, date });
}
if (runs.length > 0 && process.env.KAM_BENCH_NO_DOC !== "1") {
  const doc = join(here, "..", "docs", "benchmarks.md");
  writeReport(doc, runs);
  console.log(`\ndocs/benchmarks.md: ${runs.map((r) => r.name).join(", ")} updated`);
}
