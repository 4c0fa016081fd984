/**
 * `npm run bench`: every benchmark prints figures and a ratio against a baseline run in the
 * same process. Nothing here asserts on time.
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

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

for (const [file, fn] of benches) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  const path = join(here, file);
  if (!existsSync(path)) continue;
  console.log(`\n=== ${file} ===`);
  const mod = (await import(pathToFileURL(path).href)) as Record<string, () => Promise<void>>;
  await mod[fn]!();
}
