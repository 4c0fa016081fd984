import { fail, kamError, ok, type Bilingual, type KamError, type Result } from "../errors.js";
import { parsePeriod } from "../periods.js";
import { normalizeKey } from "../text.js";
import { ABSENT, fmt, isEmpty, parseCell, periodInfo, type Parsed, type PeriodInfo } from "./cells.js";
import { centiOf, kindOf, type CompiledKind, type FastContext, type FastRow, type RowReader } from "./kinds.js";
import type { ScoringInput, ScoringItem, ScoringModel } from "./model.js";
import { headerNamesOf } from "./names.js";

/**
 * Scorecard evaluation (docs/domain.md §8). Two paths with one meaning:
 *
 * - the **exact path** parses any cell (numbers, numeric text, choice names, months), reports
 *   errors naming the input (docs/contracts.md §2) and writes a one-line zh/en explanation per item;
 * - the **fast path** (compiled model, many rows: `evaluateColumns`, `evaluateRows`) computes
 *   the same points with integer arithmetic on plain numbers, block by block, one loop per item,
 *   without building explanations or allocating per row. Whenever it cannot decide a row (text,
 *   an error, a 3-decimal amount, numbers beyond the safe-integer range) it hands that row to
 *   the exact path, so both paths agree (property-tested); `result(row)` explains any row lazily.
 *
 * Each item kind's rule, for both paths, is defined once in kinds.ts; this module maps headers,
 * reads rows (cells.ts), sums item points and hands rows between the paths.
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
        zh: `“${input.labels.zh}”出现在两列（第 ${columns[k]! + 1} 列和第 ${col + 1} 列）`,
        en: `"${input.labels.en}" appears in two columns (${columns[k]! + 1} and ${col + 1})`,
      });
    }
    columns[k] = col;
  }
  return ok({ columns, keys });
}

// ───────────────────────────── compiled items ─────────────────────────────

interface CompiledItem extends CompiledKind {
  item: ScoringItem;
  /** Raw points → centipoints, floor and cap applied. */
  centi: (p: number) => number;
}

function compileItem(item: ScoringItem, inputByKey: Map<string, ScoringInput>, slots: Map<string, number>): CompiledItem {
  return { item, centi: centiOf(item), ...kindOf(item).compile(item, { input: (k) => inputByKey.get(k)!, slot: (k) => slots.get(k)! }) };
}

// ───────────────────────────── block loop ─────────────────────────────

/** Writes each row's total in centipoints to `acc[i]` for rows `0..n-1` of a block, NaN where the exact path must decide. */
type BlockLoop = (cols: readonly Float64Array[], n: number, ctx: FastContext, acc: Float64Array) => void;

/**
 * The fast path over a block: per item, one loop adding `centi(fast(row))` to each row's sum.
 * A loop written once would call every item's rule from one call site, which the JavaScript
 * engine then neither specialises nor inlines; so each item's loop is built as source text
 * holding only slot numbers (nothing else from the model), giving each item its own call site,
 * and it reads the item's columns itself (`slots`). Where code generation is refused (a
 * Content-Security-Policy without 'unsafe-eval'), the same loop runs from the code written here.
 */
function blockLoop(items: readonly CompiledItem[]): BlockLoop {
  const loops = items.map((item, k): BlockLoop => {
    const { fast, centi, slots } = item;
    try {
      const cols = [0, 1, 2, 3].map((j) => (j < slots.length && slots[j]! >= 0 ? `cols[${slots[j]!}]` : "ZERO"));
      const make = new Function(
        "f",
        "c",
        "ZERO",
        `"use strict";\nreturn function item${k}(cols, n, ctx, acc) {\n  const a = ${cols[0]}, b = ${cols[1]}, d = ${cols[2]}, e = ${cols[3]};\n  for (let i = 0; i < n; i++) acc[i] += c(f(cols, i, ctx, a[i], b[i], d[i], e[i]));\n};`,
      ) as (f: FastRow, c: (p: number) => number, zero: Float64Array) => BlockLoop;
      return make(fast, centi, ZERO);
    } catch {
      return (cols, n, ctx, acc) => {
        const [a = ZERO, b = ZERO, d = ZERO, e = ZERO] = slots.map((s) => (s >= 0 ? cols[s]! : ZERO));
        for (let i = 0; i < n; i++) acc[i] = acc[i]! + centi(fast(cols, i, ctx, a[i]!, b[i]!, d[i]!, e[i]!));
      };
    }
  });
  return (cols, n, ctx, acc) => {
    acc.fill(0, 0, n);
    for (let k = 0; k < loops.length; k++) loops[k]!(cols, n, ctx, acc);
  };
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
  /** @internal the fast path over one block of rows */
  readonly block: BlockLoop;
}

const compiledCache = new WeakMap<ScoringModel, CompiledModel>();

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
export function compileModel(model: ScoringModel): CompiledModel {
  const cached = compiledCache.get(model);
  if (cached) return cached;
  const inputByKey = new Map(model.inputs.map((i) => [i.key, i] as const));
  const slot = new Map(model.inputs.map((i, j) => [i.key, j] as const));
  const headers = new Map<string, ScoringInput>();
  for (const input of model.inputs) for (const h of headerNamesOf(input)) headers.set(normalizeKey(h), input);
  const items = model.items.map((item) => compileItem(item, inputByKey, slot));
  const periodCache = { ids: new Map<unknown, number>(), infos: [] as PeriodInfo[] };

  // Choice names a level input may carry on the fast path (only where one item reads it by name).
  const levelNames = new Map<string, Map<string, number>>();
  for (const item of model.items) {
    const choices = kindOf(item).fastChoices?.(item);
    if (!choices) continue;
    levelNames.set(choices.input, levelNames.has(choices.input) ? new Map() : choices.names);
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
    block: blockLoop(items),
    model,
    inputKeys: model.inputs.map((i) => i.key),
    itemKeys: model.items.map((i) => i.key),
    headers,
    inputByKey,
    items,
    preps,
    periodCache,
  };
  compiledCache.set(model, compiled);
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
      const v = ci.centi(out.points.value);
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
/** Column of zeros for the arguments an item's fast rule does not read. */
const ZERO = new Float64Array(BLOCK);

function evaluateMany(c: CompiledModel, rowCount: number, source: BlockSource, cell: (slot: number, row: number) => unknown, opts: EvaluateOptions | undefined): ScoreTable {
  const nIn = c.preps.length;
  const preps = c.preps;
  const block = Math.min(BLOCK, Math.max(1, rowCount));
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
  const ctx: FastContext = {
    periods: c.periodCache.infos,
    defaultPeriod,
    defaultMonths: defaultPeriod === null ? NaN : defaultPeriod ? defaultPeriod.months : 1,
  };
  const exactRow = (r: number) => evaluateExact(c, (k) => cell(c.inputKeys.indexOf(k), r), opts);
  for (let start = 0; start < rowCount; start += block) {
    const n = Math.min(block, rowCount - start);
    for (let j = 0; j < nIn; j++) {
      const { src, offset } = source(j, start, n);
      cur[j] = preps[j]!(src, offset, n, bufs[j]!);
    }
    c.block(cur, n, ctx, acc);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const t = acc[i]! / 100;
      totals[start + i] = t;
      if (t !== t) bad++;
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
