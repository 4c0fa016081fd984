/**
 * Engine benchmark: evaluates the built-in `ka-manager` scorecard on
 * 1,000,000 deterministically generated rows and prints rows/s next to a BASELINE — the same
 * docs/domain.md §8 arithmetic hand-written inline below, run in the same process on the same columns.
 * Figures only: nothing here asserts on time. Run: `npx tsx scripts/bench/engine.ts`.
 *
 * Rows arrive column-wise (one array per input), as the Excel layer slices a scorecard range.
 */
import { pathToFileURL } from "node:url";
import { getBuiltinModel } from "../../shared/src/scoring/builtins.js";
import { compileModel, evaluateColumns, evaluateModel } from "../../shared/src/scoring/evaluate.js";

const ROWS = 1_000_000;
const CHUNK = 100_000;

/** mulberry32: a small deterministic PRNG so every run scores the same rows. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMERIC_INPUTS = [
  "salesActual", "salesPlan", "salesLastQuarter", "newAccounts", "newAccountsPlan", "infoCollection", "teamwork",
  "knowledge", "judgement", "communication", "absenceDays", "lateCount", "unreportedFieldDays", "violations",
  "responsibility", "complaints",
] as const;
type Columns = Record<(typeof NUMERIC_INPUTS)[number], Float64Array>;

export function generate(chunk: number, n: number): Columns {
  const rand = prng(0x5eed + chunk);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const cols = Object.fromEntries(NUMERIC_INPUTS.map((k) => [k, new Float64Array(n)])) as Columns;
  for (let i = 0; i < n; i++) {
    const planFen = int(50_000_000, 500_000_000); // 500,000 – 5,000,000 yuan
    cols.salesPlan[i] = planFen / 100;
    cols.salesActual[i] = Math.round((planFen * int(60, 140)) / 100 + int(-99, 99)) / 100; // 60%–140%, to the fen
    cols.salesLastQuarter[i] = int(40_000_000, 500_000_000) / 100;
    cols.newAccounts[i] = int(0, 12);
    cols.newAccountsPlan[i] = int(2, 8);
    cols.infoCollection[i] = int(0, 20) / 2;
    cols.teamwork[i] = int(0, 10);
    cols.knowledge[i] = int(0, 10); // every 0..10 is a sum of 4 + 3 + 2 + 1 criteria
    cols.judgement[i] = pick([4, 3.5, 3, 2.5]);
    cols.communication[i] = pick([6, 5.5, 5, 4.5]);
    cols.absenceDays[i] = rand() < 0.8 ? 0 : int(1, 6);
    cols.lateCount[i] = rand() < 0.7 ? 0 : int(1, 9);
    cols.unreportedFieldDays[i] = int(0, 14);
    cols.violations[i] = rand() < 0.9 ? 0 : int(1, 3);
    cols.responsibility[i] = pick([5, 4.5, 3, 2, 1]);
    cols.complaints[i] = rand() < 0.95 ? 0 : 1;
  }
  return cols;
}

/**
 * BASELINE: docs/domain.md §8 for ka-manager written out by hand for this column layout — integer fen,
 * the default steps and bands as literals, month = one month. No validation beyond what the
 * generated data needs.
 */
export function baseline(c: Columns, n: number, out: Float64Array): void {
  const { salesActual, salesPlan, salesLastQuarter, newAccounts, newAccountsPlan, infoCollection, teamwork, knowledge,
    judgement, communication, absenceDays, lateCount, unreportedFieldDays, violations, responsibility, complaints } = c;
  for (let i = 0; i < n; i++) {
    const actual = Math.round(salesActual[i]! * 100);
    const plan = Math.round(salesPlan[i]! * 100);
    const last = Math.round(salesLastQuarter[i]! * 100);
    // sales completion: 25 ± 1 per full 5 percentage points
    const diff = actual * 100 - plan * 100;
    let completion = 25 + (diff >= 0 ? Math.floor(diff / (plan * 5)) : -Math.floor(-diff / (plan * 5)));
    if (completion < 0) completion = 0;
    // growth: 10 + 1 per full 100,000 yuan (10,000,000 fen); decline deducts nothing
    const g = actual - last;
    const growth = 10 + (g > 0 ? Math.floor(g / 10_000_000) : 0);
    // new accounts: +1 per account above plan, −1 per full 2 below
    const d = newAccounts[i]! - newAccountsPlan[i]!;
    let accounts = 5 + (d >= 0 ? d : -Math.floor(-d / 2));
    if (accounts < 0) accounts = 0;
    let attendance = 5 - Math.floor(absenceDays[i]!);
    if (attendance < 0) attendance = 0;
    const late = lateCount[i]!;
    const field = unreportedFieldDays[i]!;
    let conduct = 5 - (late > 6 ? 3 : late > 3 ? 2 : late > 0 ? 1 : 0) - (field > 10 ? 2 : field > 5 ? 1 : 0) - 2 * violations[i]!;
    if (conduct < 0) conduct = 0;
    let service = 5 - 5 * complaints[i]!;
    if (service < 0) service = 0;
    const cents =
      (completion + growth + accounts) * 100 +
      Math.round(infoCollection[i]! * 100) + Math.round(teamwork[i]! * 100) + Math.round(knowledge[i]! * 100) +
      Math.round(judgement[i]! * 100) + Math.round(communication[i]! * 100) +
      (attendance + conduct + service) * 100 + Math.round(responsibility[i]! * 100);
    out[i] = cents / 100;
  }
}

const ROUNDS = 3;

export async function benchEngine(): Promise<void> {
  const model = getBuiltinModel("ka-manager")!;
  const compiled = compileModel(model);
  const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

  // Generate every row before timing anything (not timed).
  const chunks: { cols: Columns; n: number }[] = [];
  for (let chunk = 0; chunk * CHUNK < ROWS; chunk++) chunks.push({ cols: generate(chunk, Math.min(CHUNK, ROWS - chunk * CHUNK)), n: Math.min(CHUNK, ROWS - chunk * CHUNK) });
  const engineTotals: Float64Array[] = chunks.map((c) => new Float64Array(c.n));
  const baseTotals = chunks.map((c) => new Float64Array(c.n));

  // Warm both paths up on rows that are not timed.
  const warm = generate(-1, CHUNK);
  const warmOut = new Float64Array(CHUNK);
  for (let k = 0; k < 3; k++) {
    evaluateColumns(compiled, warm, { rowCount: CHUNK });
    baseline(warm, CHUNK, warmOut);
  }

  // Several rounds over all 1,000,000 rows; the order alternates so neither side always runs second.
  const engineRounds: number[] = [];
  const baselineRounds: number[] = [];
  let errorRows = 0;
  let exactPathRows = 0;
  const runEngine = () => {
    const t = performance.now();
    errorRows = 0;
    exactPathRows = 0;
    chunks.forEach((c, k) => {
      const table = evaluateColumns(compiled, c.cols, { rowCount: c.n });
      engineTotals[k] = table.totals;
      errorRows += table.errorRows.length;
      exactPathRows += table.exactPathRows;
    });
    engineRounds.push(performance.now() - t);
  };
  const runBaseline = () => {
    const t = performance.now();
    chunks.forEach((c, k) => baseline(c.cols, c.n, baseTotals[k]!));
    baselineRounds.push(performance.now() - t);
  };
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      runEngine();
      runBaseline();
    } else {
      runBaseline();
      runEngine();
    }
  }

  // Check: every engine total equals the baseline's; a sample also through the exact (explaining) path.
  let compared = 0;
  let mismatches = 0;
  let exactChecked = 0;
  let exactMismatches = 0;
  let checksum = 0;
  chunks.forEach((c, k) => {
    const e = engineTotals[k]!;
    const b = baseTotals[k]!;
    for (let i = 0; i < c.n; i++) {
      compared++;
      checksum += e[i]!;
      if (e[i] !== b[i]) mismatches++;
    }
    for (let i = 0; i < c.n; i += 997) {
      const row: Record<string, unknown> = {};
      for (const key of NUMERIC_INPUTS) row[key] = c.cols[key][i];
      const r = evaluateModel(compiled, row);
      exactChecked++;
      if (!r.total.ok || r.total.value !== b[i]) exactMismatches++;
    }
  });

  const engineMs = Math.min(...engineRounds);
  const baselineMs = Math.min(...baselineRounds);
  const rounds = (xs: number[]) => xs.map((x) => fmt(x)).join(" / ");
  console.log(`engine bench: ka-manager, ${fmt(ROWS)} generated rows (columnar, ${NUMERIC_INPUTS.length} inputs), node ${process.version}, best of ${ROUNDS} rounds`);
  console.log(`  engine   (compiled model, evaluateColumns): ${fmt(engineMs)} ms  ${fmt(ROWS / (engineMs / 1000))} rows/s   [rounds ${rounds(engineRounds)} ms]`);
  console.log(`  baseline (hand-written inline arithmetic): ${fmt(baselineMs)} ms  ${fmt(ROWS / (baselineMs / 1000))} rows/s   [rounds ${rounds(baselineRounds)} ms]`);
  console.log(`  ratio engine/baseline time: ${(engineMs / baselineMs).toFixed(2)}×  (goal ≥ 1,000,000 rows/s and ≤ 3×)`);
  console.log(
    `  check: ${fmt(compared - mismatches)}/${fmt(compared)} engine totals equal the baseline's` +
      `; exact path on a sample: ${exactChecked - exactMismatches}/${exactChecked} equal; error rows: ${errorRows}; rows sent to the exact path: ${exactPathRows}; checksum ${checksum.toFixed(2)}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchEngine();
}
