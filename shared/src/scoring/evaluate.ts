import { errors, excelErrorOf, fail, kamError, messageOf, ok, type Bilingual, type KamError, type Result } from "../errors.js";
import { yuanToFen } from "../money.js";
import { readMoney, readNumber } from "../catalogue/grammar.js";
import { daysOfMonth, parsePeriod, type Period } from "../periods.js";
import { normalizeKey } from "../text.js";
import { buildKernel, fenIn, numIn, percentScale, type Kernel } from "./kernel.js";
import type { ScoringInput, ScoringItem, ScoringModel } from "./model.js";
import { headerNamesOf } from "./names.js";

/**
 * Scorecard evaluation (docs/domain.md §8). Two paths with one meaning:
 *
 * - the **exact path** parses any cell (numbers, numeric text, choice names, months), reports
 *   errors naming the input (docs/contracts.md §2) and writes a one-line zh/en explanation per item;
 * - the **fast path** (compiled model, many rows: `evaluateColumns`, `evaluateRows`) computes
 *   the same points with integer arithmetic on plain numbers, block by block, without building
 *   explanations or allocating per row — through one fused generated loop (kernel.ts) or, where
 *   code generation is not allowed, one loop per item. Whenever it cannot decide a row (text,
 *   an error, a 3-decimal amount, numbers beyond the safe-integer range) it hands that row to
 *   the exact path, so all paths agree (property-tested); `result(row)` explains any row lazily.
 *
 * Steps are never decided by binary floating point (docs/domain.md §8: 115% is exactly +3, 94.99% is
 * −1): money is integer fen (`yuanToFen`), rates are compared as integer cross-products, and
 * BigInt takes over where a product would leave the safe-integer range. Points are kept to 0.01.
 */

// ───────────────────────────── results ─────────────────────────────

export interface ItemScore {
  key: string;
  group: string;
  label: Bilingual;
  points: Result<number>;
  /** One line per item, built on first read. */
  readonly explanation: Bilingual;
}

export interface ScoreResult {
  modelId: string;
  /** An error if any item is an error — the first by item order (docs/contracts.md §2). */
  total: Result<number>;
  items: ItemScore[];
  /** docs/domain.md §8: total below the model's `warningThreshold` → verbal warning. False when the total is an error. */
  warning: boolean;
}

export interface EvaluateOptions {
  /** Period used when the row has no `month`/period input (attendance by days attended, scaled bands). */
  period?: unknown;
  /** Build explanations (default true; they are built lazily anyway). */
  explain?: boolean;
}

/** Column index of each input found in a header row. */
export interface ResolvedHeaders {
  /** input key → column index */
  columns: Record<string, number>;
  /** per column: the input key it feeds, or undefined (ignored header) */
  keys: (string | undefined)[];
}

// ───────────────────────────── headers ─────────────────────────────

/**
 * Map a header row to the model's inputs: a header is an input key or one of its zh/en names,
 * ignoring case, spaces and full/half width (normalizeKey). Unknown headers are ignored; two
 * columns feeding one input → #VALUE! naming it.
 */
export function resolveHeaders(model: ScoringModel | CompiledModel, headers: readonly unknown[]): Result<ResolvedHeaders> {
  const compiled = toCompiled(model);
  const columns: Record<string, number> = {};
  const keys: (string | undefined)[] = [];
  headers.forEach((h) => {
    const cell = Array.isArray(h) && h.length === 1 ? h[0] : h;
    const input = typeof cell === "string" ? compiled.headers.get(normalizeKey(cell)) : undefined;
    keys.push(input?.key);
  });
  for (let col = 0; col < keys.length; col++) {
    const k = keys[col];
    if (k === undefined) continue;
    if (columns[k] !== undefined) {
      const input = compiled.inputByKey.get(k)!;
      return fail("value", k, {
        zh: `“${input.labels.zh}”出现在两列（第 ${columns[k] + 1} 列和第 ${col + 1} 列）`,
        en: `"${input.labels.en}" appears in two columns (${columns[k] + 1} and ${col + 1})`,
      });
    }
    columns[k] = col;
  }
  return ok({ columns, keys });
}

// ───────────────────────────── parsed inputs ─────────────────────────────

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Fast-path marker: an optional input without a default whose cell is empty. */
const ABSENT = -Infinity;

interface PeriodInfo {
  period: Period;
  months: number;
  /** Σ calendar days of its months. */
  calendarDays: number;
}

type Parsed =
  | { t: "absent" }
  | { t: "num"; n: number }
  | { t: "fen"; fen: number }
  | { t: "ratio"; n: bigint; d: bigint }
  | { t: "text"; s: string }
  | { t: "list"; items: string[] }
  | { t: "period"; info: PeriodInfo };

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}

/** A 1×1 range arrives as [[v]]; read the single value. */
function unwrap(v: unknown): unknown {
  while (Array.isArray(v) && v.length === 1) v = v[0];
  return v;
}

function periodInfo(p: Period): PeriodInfo {
  let calendarDays = 0;
  for (const m of p.months) calendarDays += daysOfMonth(m);
  return { period: p, months: p.months.length, calendarDays };
}

/** Numeric text through the shared cell grammar (`1,200`, `120万`); a percentage is left to the ratio reader. */
function numericText(s: string): number | undefined {
  if (/[%％]\s*$/.test(s)) return undefined;
  const r = readNumber(s);
  return r.ok ? r.value : undefined;
}

/** Exact rational of a number's shortest decimal (0.9499 → 9499/10000). */
function decimalOf(x: number): { n: bigint; d: bigint } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/i.exec(String(x))!;
  const frac = m[3] ?? "";
  let n = BigInt((m[2] ?? "0") + frac);
  const exp = (m[4] ? Number(m[4]) : 0) - frac.length;
  let d = 1n;
  if (exp >= 0) n *= 10n ** BigInt(exp);
  else d = 10n ** BigInt(-exp);
  return { n: m[1] === "-" ? -n : n, d };
}

function rangeError(input: ScoringInput): KamError {
  return errors.outOfRange(input.key, `${input.min}–${input.max ?? "∞"}`);
}

/** Exact-path parse of one cell for one input (defaults applied, errors named by input key). */
function parseCell(input: ScoringInput, raw: unknown): Result<Parsed> {
  let v = unwrap(raw);
  if (isEmpty(v)) {
    if (input.defaultValue === undefined) return ok({ t: "absent" });
    v = input.defaultValue;
  }
  const k = input.key;
  if (input.kind === "month") {
    const p = parsePeriod(v, k);
    return p.ok ? ok({ t: "period", info: periodInfo(p.value) }) : p;
  }
  if (Array.isArray(v)) {
    if (input.kind !== "level") return { ok: false, error: errors.notANumber(k, v) };
    const items = v.flat(2).filter((x) => !isEmpty(x)).map((x) => String(x));
    return ok({ t: "list", items });
  }
  if (typeof v === "boolean" || (typeof v !== "number" && typeof v !== "string")) return { ok: false, error: errors.notANumber(k, v) };

  if (input.kind === "level") {
    const n = typeof v === "number" ? v : numericText(v);
    if (n === undefined) return ok({ t: "text", s: v as string });
    if (!Number.isFinite(n)) return { ok: false, error: errors.notANumber(k, v) };
    if (n < input.min) return { ok: false, error: n < 0 ? errors.negative(k) : rangeError(input) };
    if (input.max !== undefined && n > input.max) return { ok: false, error: rangeError(input) };
    return ok({ t: "num", n });
  }

  if (input.unit === "yuan") {
    const yuan = typeof v === "string" ? readMoney(v) : undefined;
    const fen = yuan?.ok && yuan.value !== undefined ? yuanToFen(yuan.value, k) : yuanToFen(v, k);
    if (!fen.ok) return fen;
    if (fen.value < Math.round(input.min * 100)) return { ok: false, error: fen.value < 0 ? errors.negative(k) : rangeError(input) };
    if (input.max !== undefined && fen.value > Math.round(input.max * 100)) return { ok: false, error: rangeError(input) };
    return ok({ t: "fen", fen: fen.value });
  }

  if (input.unit === "ratio") {
    let r: { n: bigint; d: bigint } | undefined;
    if (typeof v === "number") r = Number.isFinite(v) ? decimalOf(v) : undefined;
    else {
      const t = v.normalize("NFKC").trim();
      const pct = /%$/.test(t);
      const n = numericText(pct ? t.slice(0, -1) : t);
      if (n !== undefined && Number.isFinite(n)) {
        r = decimalOf(n);
        if (pct) r = { n: r.n, d: r.d * 100n };
      }
    }
    if (!r) return { ok: false, error: errors.notANumber(k, v) };
    const min = decimalOf(input.min);
    if (r.n * min.d < min.n * r.d) return { ok: false, error: r.n < 0n ? errors.negative(k) : rangeError(input) };
    if (input.max !== undefined) {
      const max = decimalOf(input.max);
      if (r.n * max.d > max.n * r.d) return { ok: false, error: rangeError(input) };
    }
    return ok({ t: "ratio", n: r.n, d: r.d });
  }

  const n = typeof v === "number" ? v : numericText(v);
  if (n === undefined || !Number.isFinite(n)) return { ok: false, error: errors.notANumber(k, v) };
  if (n < input.min) return { ok: false, error: n < 0 ? errors.negative(k) : rangeError(input) };
  if (input.max !== undefined && n > input.max) return { ok: false, error: rangeError(input) };
  if (input.unit === "count" && !Number.isInteger(n)) {
    return fail("num", k, { zh: `应为整数次数，实际为 ${n}`, en: `expected a whole number, got ${n}` });
  }
  return ok({ t: "num", n });
}

// ───────────────────────────── formatting ─────────────────────────────

function fmt(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}
function signed(n: number): string {
  return n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : "±0";
}
function money(fen: number): string {
  const yuan = Math.abs(fen) / 100;
  const s = yuan.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return fen < 0 ? `−${s}` : s;
}
/** Rate N/D as a percentage, truncated (never rounded up across a step) to 2 decimals. */
function percentText(n: bigint, d: bigint): string {
  const hundredths = (n * 10000n) / d; // in 0.01 %
  const whole = hundredths / 100n;
  const frac = hundredths % 100n;
  const exact = (n * 10000n) % d === 0n;
  const body = frac === 0n ? `${whole}` : `${whole}.${String(frac).padStart(2, "0").replace(/0$/, "")}`;
  return `${exact ? "" : "≈"}${body}%`;
}

// ───────────────────────────── compiled items ─────────────────────────────

/** Exact-path access to one row's inputs. */
interface RowReader {
  get(key: string): Result<Parsed>;
  /** Period from the evaluate options, when the row has none. */
  defaultPeriod: Result<PeriodInfo> | undefined;
}

interface ExactOutcome {
  points: Result<number>;
  /** Explanation body (without the trailing "→ points"). */
  explain: () => Bilingual;
}

/**
 * `arr[i] += v` on a typed array: the loops keep `i` below the block length, so the slot is
 * always there; reading it types as `number | undefined`, hence the `?? 0`.
 */
function addAt(arr: Float64Array, i: number, v: number): void {
  arr[i] = (arr[i] ?? 0) + v;
}

interface CompiledItem {
  item: ScoringItem;
  /**
   * Fast path over a block of rows: adds each row's centipoints (floor/cap applied) to `acc[i]`,
   * or sets NaN where the row must take the exact path. `s[slot]` is the block's prepared column.
   * Each kind has its own loop so the loop stays monomorphic.
   */
  fast: (s: readonly Float64Array[], n: number, ctx: FastContext, acc: Float64Array) => void;
  /** Exact path: raw points before floor/cap, with its explanation. */
  exact: (row: RowReader) => ExactOutcome;
}

interface FastContext {
  periods: PeriodInfo[];
  /** Block-sized buffers an item may use. */
  scratch: Float64Array;
  months: Float64Array;
  /** The options' period; undefined when none; null when it is invalid (rows needing it take the exact path). */
  defaultPeriod: PeriodInfo | undefined | null;
}

/** docs/domain.md §8: no item below its floor; a cap only where the model sets one. */
function clamp(item: ScoringItem, p: number): number {
  if (p < item.floor) p = item.floor;
  if (item.cap !== undefined && p > item.cap) p = item.cap;
  return p;
}

/** Range of an input on the fast path (fen for money). */
function limitsOf(input: ScoringInput) {
  const max = input.max ?? Infinity;
  return {
    min: input.min,
    max,
    integer: input.unit === "count",
    money: input.unit === "yuan",
    minFen: Math.round(input.min * 100),
    maxFen: max === Infinity ? Infinity : Math.round(max * 100),
  };
}

function missing(input: ScoringInput): KamError {
  return errors.missing(input.key, input.labels);
}


interface CompileEnv {
  inputByKey: Map<string, ScoringInput>;
  slot: Map<string, number>;
}

function compileItem(item: ScoringItem, env: CompileEnv): CompiledItem {
  const base = item.points;
  const input = (k: string) => env.inputByKey.get(k)!;
  const slot = (k: string) => env.slot.get(k)!;
  const floor = item.floor;
  const cap = item.cap ?? Infinity;
  const lim = (k: string) => limitsOf(input(k));
  const errorOutcome = (e: KamError): ExactOutcome => ({
    points: { ok: false, error: e },
    explain: () => ({ zh: `${excelErrorOf(e)} ${messageOf(e, "zh")}`, en: `${excelErrorOf(e)} ${messageOf(e, "en")}` }),
  });
  /** Read a needed input on the exact path: absent → #N/A naming it. */
  const need = <T extends Parsed["t"]>(row: RowReader, k: string): Result<Extract<Parsed, { t: T }>> => {
    const r = row.get(k);
    if (!r.ok) return r;
    if (r.value.t === "absent") return { ok: false, error: missing(input(k)) };
    return r as Result<Extract<Parsed, { t: T }>>;
  };

  switch (item.kind) {
    case "ratioSteps": {
      // docs/domain.md §8 sales completion: base ± points per FULL step of percentage points from the target.
      const q = item.params;
      const u = percentScale(q.targetPercent, q.up.stepPercent, q.down.stepPercent);
      const T = Math.round(q.targetPercent * u);
      const SU = Math.round(q.up.stepPercent * u);
      const SD = Math.round(q.down.stepPercent * u);
      const maxParam = Math.max(T, SU, SD);
      const lower = q.betterWhen === "lower";
      const hundredU = 100 * u;
      /** Signed full steps on the good side; N/D ≥ 0 integers. */
      const stepsBig = (N: bigint, D: bigint): number => {
        let num = N * BigInt(hundredU) - D * BigInt(T);
        if (lower) num = -num;
        return num >= 0n ? Number(num / (D * BigInt(SU))) : -Number(-num / (D * BigInt(SD)));
      };
      const stepsNum = (N: number, D: number): number => {
        let num = N * hundredU - D * T;
        if (lower) num = -num;
        return num >= 0 ? Math.floor(num / (D * SU)) : -Math.floor(-num / (D * SD));
      };
      const pointsOf = (steps: number) => base + (steps >= 0 ? steps * q.up.points : steps * q.down.points);
      const numSlot = q.rate === undefined ? slot(q.numerator!) : -1;
      const denSlot = q.rate === undefined ? slot(q.denominator!) : -1;
      const target = `${fmt(q.targetPercent)}%`;
      const explainSteps = (rate: string, steps: number): Bilingual => {
        const d = steps >= 0 ? q.up.points * steps : q.down.points * steps;
        const good = lower ? { zh: "优于", en: "better than" } : { zh: "高于", en: "above" };
        const bad = lower ? { zh: "高于", en: "above" } : { zh: "低于", en: "below" };
        if (steps === 0) {
          return { zh: `${item.label.zh} ${rate}：距${target}不足 1 档，${signed(0)}`, en: `${item.label.en} ${rate}: within one step of ${target}, ${signed(0)}` };
        }
        const n = Math.abs(steps);
        const side = steps > 0 ? good : bad;
        return {
          zh: `${item.label.zh} ${rate}：${side.zh}${target} ${n} 档，${signed(d)}`,
          en: `${item.label.en} ${rate}: ${n} step${n === 1 ? "" : "s"} ${side.en} ${target}, ${signed(d)}`,
        };
      };
      return {
        item,
        fast:
          q.rate !== undefined
            ? (_s, n, _ctx, acc) => acc.fill(NaN, 0, n) // a rate cell is read exactly through its decimal digits on the exact path
            : (s, n, _ctx, acc) => {
                const Ns = s[numSlot]!;
                const Ds = s[denSlot]!;
                const upPts = q.up.points;
                const downPts = q.down.points;
                const a = lim(q.numerator!);
                const aMin = a.min, aMax = a.max, aInt = a.integer, aMinFen = a.minFen, aMaxFen = a.maxFen;
                const b = lim(q.denominator!);
                const bMin = b.min, bMax = b.max, bInt = b.integer, bMinFen = b.minFen, bMaxFen = b.maxFen;
                const money = a.money;
                for (let i = 0; i < n; i++) {
                  const N = money ? fenIn(Ns[i]!, aMinFen, aMaxFen) : numIn(Ns[i]!, aMin, aMax, aInt);
                  const D = money ? fenIn(Ds[i]!, bMinFen, bMaxFen) : numIn(Ds[i]!, bMin, bMax, bInt);
                  if (!(D > 0) || !(N >= 0) || N * hundredU > MAX_SAFE || D * maxParam > MAX_SAFE) {
                    acc[i] = NaN;
                    continue;
                  }
                  const steps = stepsNum(N, D);
                  let p = base + (steps >= 0 ? steps * upPts : steps * downPts);
                  if (p < floor) p = floor;
                  if (p > cap) p = cap;
                  addAt(acc, i, Math.round(p * 100));
                }
              },
        exact: (row) => {
          let N: bigint, D: bigint;
          if (q.rate !== undefined) {
            const r = need<"ratio">(row, q.rate);
            if (!r.ok) return errorOutcome(r.error);
            N = r.value.n;
            D = r.value.d;
          } else {
            const a = need<"fen" | "num">(row, q.numerator!);
            if (!a.ok) return errorOutcome(a.error);
            const b = need<"fen" | "num">(row, q.denominator!);
            if (!b.ok) return errorOutcome(b.error);
            const av = a.value.t === "fen" ? a.value.fen : a.value.n;
            const bv = b.value.t === "fen" ? b.value.fen : b.value.n;
            if (bv === 0) return errorOutcome(errors.zeroDenominator(q.denominator!, input(q.denominator!).labels));
            // Counts are integers and money is fen; other units go through their decimal digits.
            const ra = decimalOf(av);
            const rb = decimalOf(bv);
            N = ra.n * rb.d;
            D = rb.n * ra.d;
          }
          const steps = stepsBig(N, D);
          return { points: ok(pointsOf(steps)), explain: () => explainSteps(percentText(N, D), steps) };
        },
      };
    }

    case "growthSteps": {
      // docs/domain.md §8 sales growth: +1 per full step (default 100,000 yuan) over last quarter; a decline deducts nothing.
      const q = item.params;
      const step = yuanToFen(q.stepYuan, "stepYuan");
      const stepFen = step.ok ? step.value : NaN;
      const cur = slot(q.current);
      const prev = slot(q.previous);
      const pointsOf = (g: number) => base + (g >= 0 ? Math.floor(g / stepFen) * q.pointsPerStep : -Math.floor(-g / stepFen) * q.pointsPerStepDown);
      return {
        item,
        fast: (s, n, _ctx, acc) => {
          const cs = s[cur]!;
          const ps = s[prev]!;
          const up = q.pointsPerStep;
          const down = q.pointsPerStepDown;
          const lc = lim(q.current);
          const lcMinFen = lc.minFen, lcMaxFen = lc.maxFen;
          const lp = lim(q.previous);
          const lpMinFen = lp.minFen, lpMaxFen = lp.maxFen;
          for (let i = 0; i < n; i++) {
            const c = fenIn(cs[i]!, lcMinFen, lcMaxFen);
            const pr = fenIn(ps[i]!, lpMinFen, lpMaxFen);
            if (!(c >= 0 && pr >= 0)) {
              acc[i] = NaN;
              continue;
            }
            const g = c - pr;
            let p = base + (g >= 0 ? Math.floor(g / stepFen) * up : -Math.floor(-g / stepFen) * down);
            if (p < floor) p = floor;
            if (p > cap) p = cap;
            addAt(acc, i, Math.round(p * 100));
          }
        },
        exact: (row) => {
          const c = need<"fen">(row, q.current);
          if (!c.ok) return errorOutcome(c.error);
          const p = need<"fen">(row, q.previous);
          if (!p.ok) return errorOutcome(p.error);
          const g = c.value.fen - p.value.fen; // fen; both safe integers ≥ 0, so exact
          const pts = pointsOf(g);
          const steps = g >= 0 ? Math.floor(g / stepFen) : Math.floor(-g / stepFen);
          return {
            points: ok(pts),
            explain: () =>
              g >= 0
                ? {
                    zh: `${item.label.zh}：较上季增长 ${money(g)} 元，${steps} 档（每档 ${money(stepFen)} 元），${signed(pts - base)}`,
                    en: `${item.label.en}: +${money(g)} yuan over last quarter, ${steps} step${steps === 1 ? "" : "s"} of ${money(stepFen)}, ${signed(pts - base)}`,
                  }
                : q.pointsPerStepDown === 0
                  ? {
                      zh: `${item.label.zh}：较上季减少 ${money(-g)} 元，负增长不扣分，${signed(0)}`,
                      en: `${item.label.en}: ${money(-g)} yuan below last quarter, no deduction for negative growth, ${signed(0)}`,
                    }
                  : {
                      zh: `${item.label.zh}：较上季减少 ${money(-g)} 元，${steps} 档，${signed(pts - base)}`,
                      en: `${item.label.en}: ${money(-g)} yuan below last quarter, ${steps} step${steps === 1 ? "" : "s"}, ${signed(pts - base)}`,
                    },
          };
        },
      };
    }

    case "countVsPlan": {
      // docs/domain.md §8 new accounts: +1 per account above plan, −1 per FULL 2 below.
      const q = item.params;
      const a = slot(q.actual);
      const p = slot(q.plan);
      const pointsOf = (diff: number) => base + (diff >= 0 ? Math.floor(diff / q.up.per) * q.up.points : -Math.floor(-diff / q.down.per) * q.down.points);
      return {
        item,
        fast: (s, n, _ctx, acc) => {
          const xs = s[a]!;
          const ys = s[p]!;
          const upPer = q.up.per, upPts = q.up.points, downPer = q.down.per, downPts = q.down.points;
          const la = lim(q.actual);
          const laMin = la.min, laMax = la.max, laInt = la.integer;
          const lp = lim(q.plan);
          const lpMin = lp.min, lpMax = lp.max, lpInt = lp.integer;
          for (let i = 0; i < n; i++) {
            const x = numIn(xs[i]!, laMin, laMax, laInt);
            const y = numIn(ys[i]!, lpMin, lpMax, lpInt);
            if (!(x >= 0 && y >= 0)) {
              acc[i] = NaN;
              continue;
            }
            const diff = x - y;
            let pts = base + (diff >= 0 ? Math.floor(diff / upPer) * upPts : -Math.floor(-diff / downPer) * downPts);
            if (pts < floor) pts = floor;
            if (pts > cap) pts = cap;
            addAt(acc, i, Math.round(pts * 100));
          }
        },
        exact: (row) => {
          const x = need<"num">(row, q.actual);
          if (!x.ok) return errorOutcome(x.error);
          const y = need<"num">(row, q.plan);
          if (!y.ok) return errorOutcome(y.error);
          const diff = x.value.n - y.value.n;
          const pts = pointsOf(diff);
          return {
            points: ok(pts),
            explain: () => {
              const head = { zh: `${item.label.zh}：${x.value.n}（计划 ${y.value.n}）`, en: `${item.label.en}: ${x.value.n} vs plan ${y.value.n}` };
              if (diff > 0) return { zh: `${head.zh}，超出 ${diff}，${signed(pts - base)}`, en: `${head.en}, ${diff} above, ${signed(pts - base)}` };
              if (diff < 0)
                return {
                  zh: `${head.zh}，少 ${-diff}（每少 ${q.down.per} 个 −${fmt(q.down.points)}），${signed(pts - base)}`,
                  en: `${head.en}, ${-diff} below (−${fmt(q.down.points)} per full ${q.down.per}), ${signed(pts - base)}`,
                };
              return { zh: `${head.zh}，按计划完成，${signed(0)}`, en: `${head.en}, on plan, ${signed(0)}` };
            },
          };
        },
      };
    }

    case "rating": {
      const q = item.params;
      const max = q.max ?? base;
      const i = slot(q.input);
      const scale = base / max;
      const pointsOf = (v: number) => (max === base ? v : v * scale);
      const range = (k: string) => errors.outOfRange(k, `0–${fmt(max)}`);
      return {
        item,
        fast: (s, n, _ctx, acc) => {
          const vs = s[i]!;
          const same = max === base;
          const l = lim(q.input);
          const lMin = l.min, lMax = l.max, lInt = l.integer;
          for (let r = 0; r < n; r++) {
            const v = numIn(vs[r]!, lMin, lMax, lInt);
            if (!(v >= 0 && v <= max)) {
              acc[r] = NaN;
              continue;
            }
            let pts = same ? v : v * scale;
            if (pts < floor) pts = floor;
            if (pts > cap) pts = cap;
            addAt(acc, r, Math.round(pts * 100));
          }
        },
        exact: (row) => {
          const v = need<"num">(row, q.input);
          if (!v.ok) return errorOutcome(v.error);
          if (!(v.value.n >= 0 && v.value.n <= max)) return errorOutcome(range(q.input));
          const n = v.value.n;
          return {
            points: ok(pointsOf(n)),
            explain: () => ({ zh: `${item.label.zh}：评分 ${fmt(n)}（满分 ${fmt(max)}）`, en: `${item.label.en}: rated ${fmt(n)} of ${fmt(max)}` }),
          };
        },
      };
    }

    case "levelChoice": {
      const q = item.params;
      const i = slot(q.input);
      const byName = new Map<string, (typeof q.levels)[number]>();
      for (const l of q.levels) for (const n of [l.id, l.names.zh, l.names.en, ...l.synonyms]) byName.set(normalizeKey(n), l);
      const levels = q.levels;
      const fixed = levels.filter((l) => l.points !== undefined).map((l) => l.points!);
      const rangeLo = levels.filter((l) => l.range).map((l) => l.range![0]);
      const rangeHi = levels.filter((l) => l.range).map((l) => l.range![1]);
      const levelOfNumber = (v: number) => {
        for (let j = 0; j < levels.length; j++) {
          const l = levels[j]!;
          if (l.points !== undefined ? l.points === v : v >= l.range![0] && v <= l.range![1]) return l;
        }
        return undefined;
      };
      const allowed = q.levels.map((l) => (l.points !== undefined ? `${fmt(l.points)} ${l.names.zh}/${l.names.en}` : `${fmt(l.range![0])}–${fmt(l.range![1])} ${l.names.zh}/${l.names.en}`));
      return {
        item,
        fast: (s, n, _ctx, acc) => {
          const vs = s[i]!;
          const l = lim(q.input);
          const lMin = l.min, lMax = l.max;
          for (let r = 0; r < n; r++) {
            const v = numIn(vs[r]!, lMin, lMax, false);
            let found = false;
            for (let j = 0; j < fixed.length && !found; j++) found = fixed[j] === v;
            for (let j = 0; j < rangeLo.length && !found; j++) found = v >= rangeLo[j]! && v <= rangeHi[j]!;
            if (!found) {
              acc[r] = NaN;
              continue;
            }
            let pts = v;
            if (pts < floor) pts = floor;
            if (pts > cap) pts = cap;
            addAt(acc, r, Math.round(pts * 100));
          }
        },
        exact: (row) => {
          const v = need<"num" | "text" | "list">(row, q.input);
          if (!v.ok) return errorOutcome(v.error);
          const raw = v.value.t === "num" ? v.value.n : v.value.t === "text" ? v.value.s : v.value.items.join(",");
          const level = v.value.t === "num" ? levelOfNumber(v.value.n) : v.value.t === "text" ? byName.get(normalizeKey(v.value.s)) : undefined;
          if (!level) return errorOutcome(errors.badChoice(q.input, raw, allowed));
          if (level.points === undefined && v.value.t !== "num") {
            const [lo, hi] = level.range!;
            return errorOutcome(
              kamError("value", q.input, {
                zh: `“${level.names.zh}”需要填写 ${fmt(lo)}–${fmt(hi)} 之间的分数`,
                en: `"${level.names.en}" needs a score from ${fmt(lo)} to ${fmt(hi)}`,
              }),
            );
          }
          const pts = level.points ?? (v.value as { n: number }).n;
          return {
            points: ok(pts),
            explain: () => ({ zh: `${item.label.zh}：${level.names.zh}`, en: `${item.label.en}: ${level.names.en}` }),
          };
        },
      };
    }

    case "checklist": {
      // docs/domain.md §8 knowledge: the sum of the criteria met (4 + 3 + 2 + 1).
      const q = item.params;
      const i = slot(q.input);
      const byName = new Map<string, (typeof q.criteria)[number]>();
      for (const c of q.criteria) for (const n of [c.id, c.names.zh, c.names.en, ...c.synonyms]) byName.set(normalizeKey(n), c);
      const sums = new Set<number>();
      for (let mask = 0; mask < 1 << q.criteria.length; mask++) {
        let t = 0;
        q.criteria.forEach((c, j) => {
          if (mask & (1 << j)) t += Math.round(c.points * 100);
        });
        sums.add(t);
      }
      const isSum = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6 && sums.has(Math.round(v * 100));
      const maxSum = Math.max(...sums);
      const sumTable = new Uint8Array(maxSum + 1);
      for (const t of sums) if (t >= 0) sumTable[t] = 1;
      const allowed = q.criteria.map((c) => `${c.names.zh}/${c.names.en} ${fmt(c.points)}`);
      return {
        item,
        fast: (s, n, _ctx, acc) => {
          const vs = s[i]!;
          const l = lim(q.input);
          const lMin = l.min, lMax = l.max;
          for (let r = 0; r < n; r++) {
            const v = numIn(vs[r]!, lMin, lMax, false);
            const c = Math.round(v * 100);
            if (!(v >= 0 && c <= maxSum && Math.abs(v * 100 - c) < 1e-6 && sumTable[c] === 1)) {
              acc[r] = NaN;
              continue;
            }
            let pts = v;
            if (pts < floor) pts = floor;
            if (pts > cap) pts = cap;
            addAt(acc, r, Math.round(pts * 100));
          }
        },
        exact: (row) => {
          const v = need<"num" | "text" | "list">(row, q.input);
          if (!v.ok) return errorOutcome(v.error);
          if (v.value.t === "num") {
            const n = v.value.n;
            if (!isSum(n)) {
              return errorOutcome(
                kamError("num", q.input, {
                  zh: `${fmt(n)} 不是达标项分值之和（${allowed.join("、")}）`,
                  en: `${fmt(n)} is not a sum of criteria points (${allowed.join(", ")})`,
                }),
              );
            }
            return {
              points: ok(n),
              explain: () => ({ zh: `${item.label.zh}：达标项合计 ${fmt(n)} 分`, en: `${item.label.en}: criteria met worth ${fmt(n)}` }),
            };
          }
          const names = v.value.t === "list" ? v.value.items.flatMap((x) => x.split(/[,，、;；/|]+/)) : v.value.s.split(/[,，、;；/|+]+/);
          const met: (typeof q.criteria)[number][] = [];
          for (const name of names) {
            if (name.trim() === "") continue;
            const c = byName.get(normalizeKey(name));
            if (!c) return errorOutcome(errors.badChoice(q.input, name.trim(), allowed));
            if (!met.includes(c)) met.push(c);
          }
          met.sort((x, y) => q.criteria.indexOf(x) - q.criteria.indexOf(y));
          const pts = met.reduce((t, c) => t + c.points, 0);
          return {
            points: ok(pts),
            explain: () =>
              met.length === 0
                ? { zh: `${item.label.zh}：无达标项`, en: `${item.label.en}: no criteria met` }
                : {
                    zh: `${item.label.zh}：${met.map((c) => `${c.names.zh} ${fmt(c.points)}`).join(" + ")}`,
                    en: `${item.label.en}: ${met.map((c) => `${c.names.en} ${fmt(c.points)}`).join(" + ")}`,
                  },
          };
        },
      };
    }

    case "eventDeductions": {
      // docs/domain.md §8 conduct/service: per-event and banded deductions summed into one item;
      // docs/contracts.md §1.3: a band limit per month scales with the months of the period.
      const q = item.params;
      const rules = q.rules.map((r) => ({
        ...r,
        slot: slot(r.input),
        label: r.label ?? input(r.input).labels,
        lim: limitsOf(input(r.input)),
        bandOver: (r.bands ?? []).map((b) => b.moreThan),
        bandDeduct: (r.bands ?? []).map((b) => b.deduct),
      }));
      const periodSlot = q.period !== undefined ? slot(q.period) : -1;
      const needsMonths = rules.some((r) => r.scaleWithMonths);
      const deductOf = (r: (typeof rules)[number], c: number, months: number): number => {
        if (r.perEvent !== undefined) return c * r.perEvent;
        const scale = r.scaleWithMonths ? months : 1;
        let d = 0;
        for (const b of r.bands!) if (c > b.moreThan * scale) d = b.deduct;
        return d;
      };
      return {
        item,
        fast: (s, n, ctx, acc) => {
          // total deduction per row, rule by rule (each rule a tight loop over the block)
          const ded = ctx.scratch;
          ded.fill(0, 0, n);
          // months per row, only when a rule scales; constant unless the block has period cells
          let monthsConst = 1;
          let monthsCol: Float64Array | undefined;
          if (needsMonths) {
            const ps = s[periodSlot]!;
            monthsConst = ctx.defaultPeriod === null ? NaN : ctx.defaultPeriod ? ctx.defaultPeriod.months : 1;
            let uniform = true;
            for (let i = 0; i < n && uniform; i++) uniform = ps[i] === ABSENT;
            if (!uniform) {
              monthsCol = ctx.months;
              for (let i = 0; i < n; i++) {
                const p = ps[i]!;
                monthsCol[i] = p >= 0 ? ctx.periods[p]!.months : p === ABSENT ? monthsConst : NaN;
              }
            }
          }
          for (let k = 0; k < rules.length; k++) {
            const r = rules[k]!;
            const cs = s[r.slot]!;
            if (r.perEvent !== undefined) {
              const per = r.perEvent;
              const l = r.lim;
              const lMin = l.min, lMax = l.max, lInt = l.integer;
              for (let i = 0; i < n; i++) {
                const c = numIn(cs[i]!, lMin, lMax, lInt);
                addAt(ded, i, c >= 0 ? c * per : NaN);
              }
              continue;
            }
            const deduct = r.bandDeduct;
            const nb = deduct.length;
            if (r.scaleWithMonths && monthsCol) {
              const over = r.bandOver;
              const l = r.lim;
              const lMin = l.min, lMax = l.max, lInt = l.integer;
              for (let i = 0; i < n; i++) {
                const c = numIn(cs[i]!, lMin, lMax, lInt);
                const m = monthsCol[i]!;
                let d = c >= 0 && m === m ? 0 : NaN;
                for (let b = 0; b < nb; b++) if (c > over[b]! * m) d = deduct[b]!;
                addAt(ded, i, d);
              }
              continue;
            }
            const m = r.scaleWithMonths ? monthsConst : 1;
            const th = r.bandOver.map((o) => o * m);
            const okMonths = m === m;
            const l = r.lim;
            const lMin = l.min, lMax = l.max, lInt = l.integer;
            for (let i = 0; i < n; i++) {
              const c = numIn(cs[i]!, lMin, lMax, lInt);
              let d = c >= 0 && okMonths ? 0 : NaN;
              for (let b = 0; b < nb; b++) if (c > th[b]!) d = deduct[b]!;
              addAt(ded, i, d);
            }
          }
          for (let i = 0; i < n; i++) {
            let pts = base - ded[i]!;
            if (pts < floor) pts = floor;
            if (pts > cap) pts = cap;
            addAt(acc, i, Math.round(pts * 100));
          }
        },
        exact: (row) => {
          let months = 1;
          let periodText = "";
          if (needsMonths) {
            const p = row.get(q.period!);
            if (!p.ok) return errorOutcome(p.error);
            const info = p.value.t === "period" ? p.value.info : row.defaultPeriod?.ok ? row.defaultPeriod.value : undefined;
            if (p.value.t !== "period" && row.defaultPeriod && !row.defaultPeriod.ok) return errorOutcome(row.defaultPeriod.error);
            if (info) {
              months = info.months;
              periodText = info.period.id;
            }
          }
          const parts: { zh: string; en: string }[] = [];
          let total = 0;
          for (const r of rules) {
            const c = need<"num">(row, r.input);
            if (!c.ok) return errorOutcome(c.error);
            const n = c.value.n;
            const d = deductOf(r, n, months);
            total += d;
            if (n === 0) continue;
            const limit =
              r.scaleWithMonths && r.bands
                ? { zh: `（每月限 ${fmt(r.bands[0]!.moreThan)} 次 × ${months} 个月${periodText ? ` ${periodText}` : ""}）`, en: ` (limit ${fmt(r.bands[0]!.moreThan)}/month × ${months})` }
                : { zh: "", en: "" };
            parts.push({ zh: `${r.label.zh} ${n} 次${limit.zh} ${signed(-d)}`, en: `${r.label.en} ${n}${limit.en} ${signed(-d)}` });
          }
          return {
            points: ok(base - total),
            explain: () =>
              parts.length === 0
                ? { zh: `${item.label.zh}：无扣分`, en: `${item.label.en}: no deductions` }
                : { zh: `${item.label.zh}：${parts.map((p) => p.zh).join("；")}`, en: `${item.label.en}: ${parts.map((p) => p.en).join("; ")}` },
          };
        },
      };
    }

    case "attendance": {
      // docs/domain.md §8: −1 per full day below full attendance; full = Σ (days in month − 4) (docs/contracts.md §1.3).
      const q = item.params;
      const abs = slot(q.absence);
      const att = slot(q.attended);
      const per = slot(q.period);
      const fullOf = (info: PeriodInfo) => info.calendarDays - q.offDaysPerMonth * info.months;
      const pointsOf = (short: number) => base - Math.floor(short) * q.pointsPerDay;
      return {
        item,
        fast: (s, n, ctx, acc) => {
          const as = s[abs]!;
          const ds = s[att]!;
          const ps = s[per]!;
          const ppd = q.pointsPerDay;
          const la = lim(q.absence);
          const laMin = la.min, laMax = la.max, laInt = la.integer;
          const ld = lim(q.attended);
          const ldMin = ld.min, ldMax = ld.max, ldInt = ld.integer;
          for (let i = 0; i < n; i++) {
            const raw = as[i]!;
            const a = raw === ABSENT ? ABSENT : numIn(raw, laMin, laMax, laInt);
            let short: number;
            if (a >= 0) short = a;
            else {
              const d = numIn(ds[i]!, ldMin, ldMax, ldInt);
              const p = ps[i]!;
              const info = a !== ABSENT ? undefined : p >= 0 ? ctx.periods[p] : p === ABSENT ? ctx.defaultPeriod : undefined;
              if (!(d >= 0) || !info) {
                acc[i] = NaN;
                continue;
              }
              short = Math.max(0, fullOf(info) - d);
            }
            let pts = base - Math.floor(short) * ppd;
            if (pts < floor) pts = floor;
            if (pts > cap) pts = cap;
            addAt(acc, i, Math.round(pts * 100));
          }
        },
        exact: (row) => {
          const a = row.get(q.absence);
          if (!a.ok) return errorOutcome(a.error);
          if (a.value.t === "num") {
            const short = a.value.n;
            return {
              points: ok(pointsOf(short)),
              explain: () => ({ zh: `${item.label.zh}：缺勤 ${fmt(short)} 天，${signed(pointsOf(short) - base)}`, en: `${item.label.en}: ${fmt(short)} day${short === 1 ? "" : "s"} short, ${signed(pointsOf(short) - base)}` }),
            };
          }
          const d = row.get(q.attended);
          if (!d.ok) return errorOutcome(d.error);
          if (d.value.t !== "num") {
            const ai = input(q.absence);
            const di = input(q.attended);
            const pi = input(q.period);
            return errorOutcome(
              kamError("na", q.absence, {
                zh: `缺少输入“${ai.labels.zh}”（或“${di.labels.zh}”与“${pi.labels.zh}”）`,
                en: `missing input "${ai.labels.en}" (or "${di.labels.en}" with "${pi.labels.en}")`,
              }),
            );
          }
          const p = row.get(q.period);
          if (!p.ok) return errorOutcome(p.error);
          let info: PeriodInfo;
          if (p.value.t === "period") info = p.value.info;
          else if (row.defaultPeriod?.ok) info = row.defaultPeriod.value;
          else if (row.defaultPeriod) return errorOutcome(row.defaultPeriod.error);
          else return errorOutcome(missing(input(q.period)));
          const full = fullOf(info);
          const attended = d.value.n;
          const short = Math.max(0, full - attended);
          const pts = pointsOf(short);
          const how = info.months === 1 ? `${info.calendarDays} − ${q.offDaysPerMonth}` : `${info.calendarDays} − ${q.offDaysPerMonth} × ${info.months}`;
          return {
            points: ok(pts),
            explain: () => ({
              zh: `${item.label.zh}：出勤 ${fmt(attended)} 天，满勤 ${full} 天（${info.period.id}：${how}），缺勤 ${fmt(short)} 天，${signed(pts - base)}`,
              en: `${item.label.en}: ${fmt(attended)} of ${full} full days (${info.period.id}: ${how}), ${fmt(short)} short, ${signed(pts - base)}`,
            }),
          };
        },
      };
    }
  }
}

// ───────────────────────────── compiled model ─────────────────────────────

type Prep = (v: unknown) => number;
/**
 * Prepare `n` cells of one input, from `src[offset]` on (fast-path values, NaN = exact path).
 * Returns `out`, or a view of `src` itself when a typed column needs no conversion.
 */
type ColumnPrep = (src: ArrayLike<unknown> | undefined, offset: number, n: number, out: Float64Array) => Float64Array;

export interface CompiledModel {
  readonly model: ScoringModel;
  readonly inputKeys: readonly string[];
  readonly itemKeys: readonly string[];
  /** @internal normalized header name → input */
  readonly headers: Map<string, ScoringInput>;
  /** @internal */
  readonly inputByKey: Map<string, ScoringInput>;
  /** @internal */
  readonly items: readonly CompiledItem[];
  /** @internal fast-path parse of one input's cells, per input slot */
  readonly preps: readonly ColumnPrep[];
  /** @internal */
  readonly periodCache: { ids: Map<unknown, number>; infos: PeriodInfo[] };
  /** @internal the fused kernel, when code generation is available and not turned off */
  readonly kernel: Kernel | undefined;
}

const compiledCache = new WeakMap<ScoringModel, CompiledModel>();

export interface CompileOptions {
  /**
   * Fuse the fast path into one generated loop per row (default true; falls back to per-item
   * loops where code generation is not allowed). Both give the same numbers.
   */
  fused?: boolean;
}

function isCompiled(m: ScoringModel | CompiledModel): m is CompiledModel {
  return (m as CompiledModel).preps !== undefined;
}

function toCompiled(m: ScoringModel | CompiledModel): CompiledModel {
  return isCompiled(m) ? m : compileModel(m);
}

/**
 * Compile a (validated) model into an evaluator. Cached per model object, so calling
 * `evaluateModel(model, …)` repeatedly compiles once.
 */
export function compileModel(model: ScoringModel, options?: CompileOptions): CompiledModel {
  const fused = options?.fused ?? true;
  const cached = fused ? compiledCache.get(model) : undefined;
  if (cached) return cached;
  const inputByKey = new Map(model.inputs.map((i) => [i.key, i] as const));
  const slot = new Map(model.inputs.map((i, j) => [i.key, j] as const));
  const headers = new Map<string, ScoringInput>();
  for (const input of model.inputs) for (const h of headerNamesOf(input)) headers.set(normalizeKey(h), input);
  const items = model.items.map((item) => compileItem(item, { inputByKey, slot }));
  const periodCache = { ids: new Map<unknown, number>(), infos: [] as PeriodInfo[] };

  // Choice names a level input may carry on the fast path (only where one levelChoice item reads it).
  const levelNames = new Map<string, Map<string, number>>();
  for (const item of model.items) {
    if (item.kind !== "levelChoice") continue;
    if (levelNames.has(item.params.input)) {
      levelNames.set(item.params.input, new Map());
      continue;
    }
    const m = new Map<string, number>();
    for (const l of item.params.levels) {
      if (l.points === undefined) continue;
      for (const n of [l.id, l.names.zh, l.names.en, ...l.synonyms]) m.set(normalizeKey(n), l.points);
    }
    levelNames.set(item.params.input, m);
  }

  const preps = model.inputs.map((input): ColumnPrep => columnPrep(input, cellPrep(input)));

  /**
   * One cell → its fast-path value in the input's own units (yuan stay yuan; the items convert
   * and range-check). Empty → the default or ABSENT; text is parsed exactly; NaN = exact path.
   */
  function cellPrep(input: ScoringInput): Prep {
    const exact = (v: unknown): number => {
      const r = parseCell(input, v);
      if (!r.ok) return NaN;
      const p = r.value;
      return p.t === "absent" ? ABSENT : p.t === "num" ? p.n : p.t === "fen" ? p.fen / 100 : NaN;
    };
    const emptyValue = exact(undefined);
    if (input.kind === "month") {
      return (v) => {
        if (isEmpty(v)) return ABSENT;
        const known = periodCache.ids.get(v);
        if (known !== undefined) return known;
        const p = parsePeriod(v, input.key);
        if (!p.ok) return NaN;
        if (periodCache.infos.length >= 4096) return NaN; // cache full: the exact path parses it
        periodCache.infos.push(periodInfo(p.value));
        periodCache.ids.set(v, periodCache.infos.length - 1);
        return periodCache.infos.length - 1;
      };
    }
    if (input.unit === "ratio") return () => NaN; // rates are read through their decimal digits on the exact path
    const names = input.kind === "level" ? levelNames.get(input.key) : undefined;
    return (v) => {
      if (typeof v === "number") return v;
      if (isEmpty(v)) return emptyValue;
      if (typeof v === "string" && names) {
        const n = names.get(normalizeKey(v));
        if (n !== undefined) return n;
      }
      return exact(v);
    };
  }

  /** Column of one input for a block: a typed column of numbers is read in place; anything else cell by cell. */
  function columnPrep(input: ScoringInput, prep: Prep): ColumnPrep {
    const generic: ColumnPrep = (src, offset, n, out) => {
      if (!src) return out.fill(prep(undefined), 0, n);
      for (let i = 0; i < n; i++) out[i] = prep(src[offset + i]);
      return out;
    };
    if (input.kind === "month" || input.unit === "ratio") return generic;
    return (src, offset, n, out) => (src instanceof Float64Array ? src.subarray(offset, offset + n) : generic(src, offset, n, out));
  }

  const compiled: CompiledModel = {
    model,
    inputKeys: model.inputs.map((i) => i.key),
    itemKeys: model.items.map((i) => i.key),
    headers,
    inputByKey,
    items,
    preps,
    periodCache,
    kernel: fused ? buildKernel(model) : undefined,
  };
  if (fused) compiledCache.set(model, compiled);
  return compiled;
}

/** Cent-exact sum of item points (points are kept to 0.01). */
function centi(p: number): number {
  return Math.round(p * 100);
}

function evaluateExact(c: CompiledModel, raw: (key: string) => unknown, opts: EvaluateOptions | undefined, duplicates?: Map<string, KamError>): ScoreResult {
  const parsed = new Map<string, Result<Parsed>>();
  const defaultPeriod = opts?.period === undefined || isEmpty(opts.period) ? undefined : (() => {
    const p = parsePeriod(opts.period, "period");
    return p.ok ? ok(periodInfo(p.value)) : p;
  })();
  const row: RowReader = {
    defaultPeriod,
    get(key) {
      let r = parsed.get(key);
      if (!r) {
        const dup = duplicates?.get(key);
        r = dup ? { ok: false, error: dup } : parseCell(c.inputByKey.get(key)!, raw(key));
        parsed.set(key, r);
      }
      return r;
    },
  };
  const items: ItemScore[] = [];
  let total: Result<number> | undefined;
  let sum = 0;
  for (const ci of c.items) {
    const { item } = ci;
    const out = ci.exact(row);
    let points: Result<number>;
    if (out.points.ok) {
      const v = centi(clamp(item, out.points.value));
      sum += v;
      points = ok(v / 100);
    } else {
      points = out.points;
      total ??= out.points;
    }
    items.push(itemScore(item, points, out.points.ok ? out.points.value : NaN, out.explain));
  }
  total ??= ok(sum / 100);
  return { modelId: c.model.id, total, items, warning: total.ok && total.value < c.model.warningThreshold };
}

function itemScore(item: ScoringItem, points: Result<number>, raw: number, body: () => Bilingual): ItemScore {
  let cache: Bilingual | undefined;
  const score = { key: item.key, group: item.group, label: item.label, points } as ItemScore;
  Object.defineProperty(score, "explanation", {
    enumerable: true,
    get(): Bilingual {
      if (cache) return cache;
      const b = body();
      if (!points.ok) return (cache = { zh: `${item.label.zh}：${b.zh}`, en: `${item.label.en}: ${b.en}` });
      const v = points.value;
      // Say when the floor or the cap changed the raw points (docs/domain.md §8: no item below 0).
      let note = { zh: "", en: "" };
      if (centi(raw) !== centi(v)) {
        note = v === item.floor
          ? { zh: `（最低 ${fmt(item.floor)} 分）`, en: ` (floor ${fmt(item.floor)})` }
          : { zh: `（上限 ${fmt(item.cap!)} 分）`, en: ` (cap ${fmt(item.cap!)})` };
      }
      return (cache = { zh: `${b.zh} → ${fmt(v)}${note.zh}`, en: `${b.en} → ${fmt(v)}${note.en}` });
    },
  });
  return score;
}

/**
 * Evaluate a model on one row of inputs keyed by input key (or any header name of an input).
 * Never throws on user input: errors are per item, and the total is the first item error.
 */
export function evaluateModel(model: ScoringModel | CompiledModel, inputs: Readonly<Record<string, unknown>>, opts?: EvaluateOptions): ScoreResult {
  const c = toCompiled(model);
  const values = new Map<string, unknown>();
  let duplicates: Map<string, KamError> | undefined;
  for (const [name, value] of Object.entries(inputs)) {
    const input = c.inputByKey.get(name) ?? c.headers.get(normalizeKey(name));
    if (!input) continue;
    if (values.has(input.key) && !isEmpty(values.get(input.key)) && !isEmpty(value)) {
      (duplicates ??= new Map()).set(
        input.key,
        kamError("value", input.key, { zh: `“${input.labels.zh}”给出了两次`, en: `"${input.labels.en}" is given twice` }),
      );
    }
    if (!values.has(input.key) || isEmpty(values.get(input.key))) values.set(input.key, value);
  }
  return evaluateExact(c, (k) => values.get(k), opts, duplicates);
}

// ───────────────────────────── many rows ─────────────────────────────

export interface ScoreTable {
  rowCount: number;
  /** Total per row; NaN where the total is an error (see `result(row)`). */
  totals: Float64Array;
  /** Rows whose total is an error, ascending. */
  errorRows: number[];
  /** How many rows the fast path handed to the exact path (text cells, errors, huge amounts). */
  exactPathRows: number;
  /** Full result of one row (points, errors, explanations), computed on demand. */
  result(row: number): ScoreResult;
}

/** Where block `start..start+n` of input `slot` is: a source array and the offset of `start` in it. */
type BlockSource = (slot: number, start: number, n: number) => { src: ArrayLike<unknown> | undefined; offset: number };

/** Rows per block: the prepared columns of a block stay in cache. */
const BLOCK = 1024;

function evaluateMany(c: CompiledModel, rowCount: number, source: BlockSource, cell: (slot: number, row: number) => unknown, opts: EvaluateOptions | undefined): ScoreTable {
  const nIn = c.preps.length;
  const preps = c.preps;
  const fasts = c.items.map((i) => i.fast);
  const block = Math.min(c.kernel ? BLOCK * 8 : BLOCK, Math.max(1, rowCount));
  const bufs: Float64Array[] = preps.map(() => new Float64Array(block));
  const cur = bufs.slice();
  const acc = new Float64Array(block);
  const totals = new Float64Array(rowCount);
  const errorRows: number[] = [];
  let exactPathRows = 0;
  let defaultPeriod: PeriodInfo | undefined | null;
  if (opts?.period !== undefined && !isEmpty(opts.period)) {
    const p = parsePeriod(opts.period, "period");
    defaultPeriod = p.ok ? periodInfo(p.value) : null;
  }
  const ctx: FastContext = { periods: c.periodCache.infos, scratch: new Float64Array(block), months: new Float64Array(block), defaultPeriod };
  const exactRow = (r: number) => evaluateExact(c, (k) => cell(c.inputKeys.indexOf(k), r), opts);
  const kernel = c.kernel;
  let pMonths: number[] = [];
  let pDays: number[] = [];
  const defMonths = defaultPeriod === null ? NaN : defaultPeriod ? defaultPeriod.months : 1;
  const defDays = defaultPeriod ? defaultPeriod.calendarDays : NaN;
  for (let start = 0; start < rowCount; start += block) {
    const n = Math.min(block, rowCount - start);
    for (let j = 0; j < nIn; j++) {
      const { src, offset } = source(j, start, n);
      cur[j] = preps[j]!(src, offset, n, bufs[j]!);
    }
    let bad = n;
    if (kernel) {
      if (pMonths.length !== ctx.periods.length) {
        pMonths = ctx.periods.map((p) => p.months);
        pDays = ctx.periods.map((p) => p.calendarDays);
      }
      bad = kernel(cur, n, totals.subarray(start, start + n), pMonths, pDays, defMonths, defDays);
    } else {
      acc.fill(0, 0, n);
      for (let k = 0; k < fasts.length; k++) fasts[k]!(cur, n, ctx, acc);
      for (let i = 0; i < n; i++) totals[start + i] = acc[i]! / 100;
    }
    if (bad === 0) continue;
    for (let i = 0; i < n; i++) {
      if (totals[start + i] === totals[start + i]) continue;
      // The fast path could not decide this row: the exact path does, and names any error.
      exactPathRows++;
      const res = exactRow(start + i);
      if (res.total.ok) totals[start + i] = res.total.value;
      else {
        totals[start + i] = NaN;
        errorRows.push(start + i);
      }
    }
  }
  return { rowCount, totals, errorRows, exactPathRows, result: (r) => exactRow(r) };
}

/**
 * Evaluate many rows given column-wise: `columns[inputKey][row]` (numbers, text or empty),
 * as the Excel layer slices a sheet. Totals come from the fast path; `result(row)` gives
 * items, errors and explanations on demand.
 */
export function evaluateColumns(
  model: ScoringModel | CompiledModel,
  columns: Readonly<Record<string, ArrayLike<unknown> | undefined>>,
  opts?: EvaluateOptions & { rowCount?: number },
): ScoreTable {
  const c = toCompiled(model);
  const cols = c.inputKeys.map((k) => columns[k]);
  const rowCount = opts?.rowCount ?? Math.max(0, ...cols.map((col) => col?.length ?? 0));
  return evaluateMany(c, rowCount, (j, start) => ({ src: cols[j], offset: start }), (j, r) => cols[j]?.[r], opts);
}

/**
 * Evaluate rows of a 2-D range (row-major, as an Excel custom function receives it) whose
 * header row was mapped with `resolveHeaders`.
 */
export function evaluateRows(model: ScoringModel | CompiledModel, headers: ResolvedHeaders, rows: readonly (readonly unknown[])[], opts?: EvaluateOptions): ScoreTable {
  const c = toCompiled(model);
  const colOf = c.inputKeys.map((k) => headers.columns[k] ?? -1);
  const blockCols = colOf.map(() => [] as unknown[]);
  const source: BlockSource = (j, start, n) => {
    const col = colOf[j]!;
    if (col < 0) return { src: undefined, offset: 0 };
    const out = blockCols[j]!;
    out.length = n;
    for (let i = 0; i < n; i++) out[i] = rows[start + i]![col];
    return { src: out, offset: 0 };
  };
  return evaluateMany(c, rows.length, source, (j, r) => (colOf[j]! < 0 ? undefined : rows[r]![colOf[j]!]), opts);
}
