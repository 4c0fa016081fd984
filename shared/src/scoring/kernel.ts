import type { ScoringInput, ScoringModel } from "./model.js";

/**
 * Fused fast-path kernel (internal; not re-exported). The compiled model's per-item column loops
 * pay one pass over a block per item; for large tables a single loop per row is faster
 * (`npm run bench -- engine`; figures in docs/benchmarks.md), so
 * the model is also turned into one JavaScript function whose source holds ONLY numbers from the
 * validated model (points, steps, slot indices — never a string from the model), built with
 * `new Function`. Where code generation is unavailable (a Content-Security-Policy without
 * 'unsafe-eval'), `buildKernel` returns undefined and the per-item loops are used.
 *
 * Semantics are those of the per-item fast loops in evaluate.ts (and therefore of the exact
 * path): a row whose result is NaN goes to the exact path. Property tests run both kernels.
 */
/** Writes each row's total (points) to `acc[i]`, NaN for rows the exact path must take; returns how many those are. */
export type Kernel = (
  cols: readonly Float64Array[],
  n: number,
  acc: Float64Array,
  /** months and calendar days per period index (month inputs hold an index) */
  pMonths: readonly number[],
  pDays: readonly number[],
  /** the options' period: months (1 when none, NaN when invalid) and calendar days (NaN when none) */
  defMonths: number,
  defDays: number,
) => number;

const ABSENT = "-Infinity";

/** A model number as source text; anything not a finite number or ±Infinity is refused. */
function lit(x: number): string {
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (typeof x !== "number" || !Number.isFinite(x)) throw new Error("kernel: not a number");
  return `(${String(x)})`;
}

function idx(x: number): string {
  if (!Number.isInteger(x) || x < 0) throw new Error("kernel: bad index");
  return String(x);
}

/** Scale of percentage parameters so targets and steps are integers (at most 4 decimals). */
export function percentScale(...xs: number[]): number {
  for (let u = 1; u <= 1e4; u *= 10) if (xs.every((x) => Math.abs(x * u - Math.round(x * u)) < 1e-9)) return u;
  return 1e4;
}

export function fenIn(v: number, minFen: number, maxFen: number): number {
  const f = v * 100;
  const r = Math.round(f);
  return Math.abs(f - r) < 1e-6 && r >= minFen && r <= maxFen && r < 1e14 ? r : NaN;
}

export function numIn(v: number, min: number, max: number, integer: boolean): number {
  return v >= min && v <= max && (!integer || Math.floor(v) === v) ? v : NaN;
}

/** `Math.floor(expr / per)`, multiplying by the reciprocal when it is exact (per a power of two). */
function floorDiv(expr: string, per: number): string {
  if (per === 1) return `Math.floor(${expr})`;
  const log = Math.log2(per);
  return Number.isInteger(log) && Math.abs(log) < 60 ? `Math.floor((${expr}) * ${lit(1 / per)})` : `Math.floor((${expr}) / ${lit(per)})`;
}

const isInt = (...xs: (number | undefined)[]) => xs.every((x) => x === undefined || Number.isInteger(x));

export function buildKernel(model: ScoringModel): Kernel | undefined {
  try {
    const slotOf = new Map(model.inputs.map((inp, j) => [inp.key, j] as const));
    const inputOf = new Map(model.inputs.map((inp) => [inp.key, inp] as const));
    const used = new Set<number>();
    const tables: Uint8Array[] = [];
    const v = (key: string) => {
      const j = slotOf.get(key)!;
      used.add(j);
      return `v${idx(j)}`;
    };
    const max = (inp: ScoringInput) => inp.max ?? Infinity;
    const money = (key: string) => {
      const inp = inputOf.get(key)!;
      return `fenIn(${v(key)}, ${lit(Math.round(inp.min * 100))}, ${lit(inp.max === undefined ? Infinity : Math.round(inp.max * 100))})`;
    };
    const num = (key: string, integer?: boolean) => {
      const inp = inputOf.get(key)!;
      return `numIn(${v(key)}, ${lit(inp.min)}, ${lit(max(inp))}, ${(integer ?? inp.unit === "count") ? "true" : "false"})`;
    };
    const MAX = lit(Number.MAX_SAFE_INTEGER);
    const parts: string[] = [];
    for (const item of model.items) {
      const base = lit(item.points);
      // Branch-free where the data decides (random levels, bands, signs mispredict): Math.max/min
      // keep NaN, and a boolean in arithmetic is 0/1.
      let whole = false; // points always whole → p * 100 needs no rounding
      const clampOf = () =>
        `p = Math.max(p, ${lit(item.floor)});${item.cap !== undefined ? ` p = Math.min(p, ${lit(item.cap)});` : ""} t += ${whole ? "p * 100" : "Math.round(p * 100)"};`;
      const wholeItem = isInt(item.points, item.floor, item.cap);
      let body: string;
      switch (item.kind) {
        case "ratioSteps": {
          const q = item.params;
          if (q.rate !== undefined) {
            body = "let p = NaN;";
            break;
          }
          const u = percentScale(q.targetPercent, q.up.stepPercent, q.down.stepPercent);
          const T = Math.round(q.targetPercent * u);
          const SU = Math.round(q.up.stepPercent * u);
          const SD = Math.round(q.down.stepPercent * u);
          const conv = (k: string) => (inputOf.get(k)!.unit === "yuan" ? money(k) : num(k));
          body =
            `const N = ${conv(q.numerator!)}, D = ${conv(q.denominator!)}; let p = NaN;` +
            `if (D > 0 && N >= 0 && N * ${lit(100 * u)} <= ${MAX} && D * ${lit(Math.max(T, SU, SD))} <= ${MAX}) {` +
            ` let num = N * ${lit(100 * u)} - D * ${lit(T)};${q.betterWhen === "lower" ? " num = -num;" : ""}` +
            (SU === SD && q.up.points === q.down.points
              ? // symmetric steps: full steps either side = the quotient truncated toward 0 (one division)
                ` p = ${base} + Math.trunc(num / (D * ${lit(SU)})) * ${lit(q.up.points)}; }`
              : ` p = ${base} + Math.floor(Math.max(num, 0) / (D * ${lit(SU)})) * ${lit(q.up.points)} - Math.floor(Math.max(-num, 0) / (D * ${lit(SD)})) * ${lit(q.down.points)}; }`);
          whole = wholeItem && isInt(q.up.points, q.down.points);
          break;
        }
        case "growthSteps": {
          const q = item.params;
          const step = Math.round(q.stepYuan * 100);
          body =
            `const c = ${money(q.current)}, pr = ${money(q.previous)}; const g = c - pr;` +
            `let p = c >= 0 && pr >= 0 ? ${base} + ${floorDiv("Math.max(g, 0)", step)} * ${lit(q.pointsPerStep)}` +
            (q.pointsPerStepDown === 0 ? "" : ` - ${floorDiv("Math.max(-g, 0)", step)} * ${lit(q.pointsPerStepDown)}`) +
            " : NaN;";
          whole = wholeItem && isInt(q.pointsPerStep, q.pointsPerStepDown);
          break;
        }
        case "countVsPlan": {
          const q = item.params;
          body =
            `const x = ${num(q.actual)}, y = ${num(q.plan)}; const d = x - y;` +
            `let p = x >= 0 && y >= 0 ? ${base} + ${floorDiv("Math.max(d, 0)", q.up.per)} * ${lit(q.up.points)} - ${floorDiv("Math.max(-d, 0)", q.down.per)} * ${lit(q.down.points)} : NaN;`;
          whole = wholeItem && isInt(q.up.points, q.down.points);
          break;
        }
        case "rating": {
          const q = item.params;
          const m = q.max ?? item.points;
          body = `const x = ${num(q.input)}; let p = x >= 0 && x <= ${lit(m)} ? ${m === item.points ? "x" : `x * ${lit(item.points / m)}`} : NaN;`;
          break;
        }
        case "levelChoice": {
          const q = item.params;
          const tests = q.levels.map((l) => (l.points !== undefined ? `(x === ${lit(l.points)})` : `((x >= ${lit(l.range![0])}) & (x <= ${lit(l.range![1])}))`));
          body = `const x = ${num(q.input, false)}; let p = (${tests.join(" | ")}) ? x : NaN;`;
          break;
        }
        case "checklist": {
          const q = item.params;
          const sums = new Set<number>();
          for (let mask = 0; mask < 1 << q.criteria.length; mask++) {
            let t = 0;
            q.criteria.forEach((c, j) => {
              if (mask & (1 << j)) t += Math.round(c.points * 100);
            });
            sums.add(t);
          }
          const maxSum = Math.max(...sums);
          const table = new Uint8Array(maxSum + 1);
          for (const s of sums) if (s >= 0) table[s] = 1;
          tables.push(table);
          const ti = idx(tables.length - 1);
          body = `const x = ${num(q.input, false)}; const cx = Math.round(x * 100); let p = x >= 0 && cx <= ${lit(maxSum)} && Math.abs(x * 100 - cx) < 1e-6 && tables[${ti}][cx] === 1 ? x : NaN;`;
          break;
        }
        case "eventDeductions": {
          const q = item.params;
          const scaled = q.rules.some((r) => r.scaleWithMonths);
          let code = "let d = 0;";
          if (scaled) {
            const pv = v(q.period!);
            code += `const pi = ${pv}; const m = pi >= 0 ? pMonths[pi] : pi === ${ABSENT} ? defMonths : NaN;`;
          }
          for (const r of q.rules) {
            if (r.perEvent !== undefined) {
              code += `{ const c = ${num(r.input)}; d += c >= 0 ? c * ${lit(r.perEvent)} : NaN; }`;
              continue;
            }
            // bands ascend, so the deduction of the highest band passed is the sum of the steps passed
            const M = r.scaleWithMonths ? " * m" : "";
            code += `{ const c = ${num(r.input)}; let x = c >= 0${r.scaleWithMonths ? " && m === m" : ""} ? 0 : NaN;`;
            let prev = 0;
            for (const b of r.bands!) {
              code += ` x += (c > ${lit(b.moreThan)}${M}) * ${lit(b.deduct - prev)};`;
              prev = b.deduct;
            }
            code += " d += x; }";
          }
          body = `${code} let p = ${base} - d;`;
          whole = wholeItem && q.rules.every((r) => isInt(r.perEvent, ...(r.bands ?? []).map((b) => b.deduct)));
          break;
        }
        case "attendance": {
          const q = item.params;
          const off = lit(q.offDaysPerMonth);
          body =
            `const ra = ${v(q.absence)}; let short = NaN;` +
            `if (ra === ${ABSENT}) { const dd = ${num(q.attended)}; const pi = ${v(q.period)};` +
            ` const full = pi >= 0 ? pDays[pi] - ${off} * pMonths[pi] : pi === ${ABSENT} ? defDays - ${off} * defMonths : NaN;` +
            ` short = dd >= 0 ? Math.max(0, full - dd) : NaN; }` +
            ` else short = ${num(q.absence)};` +
            ` let p = short >= 0 ? ${base} - Math.floor(short) * ${lit(q.pointsPerDay)} : NaN;`;
          whole = wholeItem && isInt(q.pointsPerDay);
          break;
        }
      }
      parts.push(`{ ${body} ${clampOf()} }`);
    }
    const slots = [...used].sort((a, b) => a - b);
    const src =
      `return function kernel(cols, n, acc, pMonths, pDays, defMonths, defDays) {\n` +
      slots.map((j) => `  const c${j} = cols[${j}];\n`).join("") +
      `  let bad = 0;\n  for (let i = 0; i < n; i++) {\n` +
      slots.map((j) => `    const v${j} = c${j}[i];\n`).join("") +
      `    let t = 0;\n` +
      parts.map((p) => `    ${p}\n`).join("") +
      `    if (t !== t) bad++;\n    acc[i] = t / 100;\n  }\n  return bad;\n};`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- numbers-only source, see above
    return new Function("fenIn", "numIn", "tables", src)(fenIn, numIn, tables) as Kernel;
  } catch {
    return undefined;
  }
}
