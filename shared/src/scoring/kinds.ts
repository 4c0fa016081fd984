import { errors, excelErrorOf, kamError, messageOf, ok, type Bilingual, type KamError, type Result } from "../errors.js";
import { yuanToFen } from "../money.js";
import { normalizeKey } from "../text.js";
import { ABSENT, decimalOf, fastReader, fmt, MAX_SAFE, money, numIn, percentText, signed, type Parsed, type PeriodInfo } from "./cells.js";
import type { ScoringInput, ScoringItem, ScoringItemKind } from "./model.js";

/**
 * One definition per scoring item kind: how a model's item of that kind is checked
 * against the model's inputs, and its scoring rule, compiled once per item into
 *
 * - `exact`: the rule on parsed cells (any cell text, errors naming the input, BigInt where a
 *   product could leave the safe-integer range), with its one-line zh/en explanation;
 * - `fast`: the same rule on one row of prepared numeric columns, giving raw points or NaN for a
 *   row it cannot decide (the exact path then does). evaluate.ts drives it over blocks of rows,
 *   one loop per item built as code, so that each item's call is its own call site (see there).
 *
 * Both call the same rule functions (`pointsOf`, `deductOf`, …), so a rule is written once. The
 * kind's parameter schema is in model.ts, which the functions bundle must not load.
 * evaluate.ts applies the item's floor and cap (`centiOf`) on both paths, and explains them on
 * the exact path. Lookup tables the fast path uses are built by calling the rule itself.
 */

// ───────────────────────────── the contract ─────────────────────────────

export type ItemOf<K extends ScoringItemKind> = Extract<ScoringItem, { kind: K }>;

/** Exact-path access to one row's inputs. */
export interface RowReader {
  get(key: string): Result<Parsed>;
  /** Period from the evaluate options, when the row has none. */
  defaultPeriod: Result<PeriodInfo> | undefined;
}

export interface ExactOutcome {
  points: Result<number>;
  /** Explanation body (without the trailing "→ points"). */
  explain: () => Bilingual;
}

export interface FastContext {
  /** Period of each index a month column holds. */
  periods: PeriodInfo[];
  /** The options' period; undefined when none; null when it is invalid (rows needing it take the exact path). */
  defaultPeriod: PeriodInfo | undefined | null;
  /** Months of the options' period: 1 when none, NaN when invalid. */
  defaultMonths: number;
}

/**
 * Fast path for row `i` of a block: the item's raw points (before floor and cap), NaN where the
 * row must take the exact path. `cols[slot]` is the block's prepared column: numbers in the
 * input's own units, ABSENT for an empty optional cell, a period index for a month input;
 * `a`…`d` are row `i` of the columns the item names in `slots` (read by the caller's loop; 0
 * for a slot of -1 or beyond the list).
 */
export type FastRow = (cols: readonly Float64Array[], i: number, ctx: FastContext, a: number, b: number, c: number, d: number) => number;

export interface CompiledKind {
  exact: (row: RowReader) => ExactOutcome;
  fast: FastRow;
  /** Input slots whose row values `fast` receives as `a`…`d` (at most 4; -1 for none). */
  slots: readonly number[];
}

export interface CompileEnv {
  input(key: string): ScoringInput;
  slot(key: string): number;
}

/** Model validation of one item against the model's inputs (model.ts collects the issues). */
export interface Validator {
  input(key: string): ScoringInput | undefined;
  /** The input named by `params[field]` exists, is of one of `kinds` and (for numbers) of one of `units`. */
  need(key: string | undefined, field: string, kinds: ScoringInput["kind"][], units?: NonNullable<ScoringInput["unit"]>[]): void;
  /** An issue at `path` under the item. */
  issue(path: (string | number)[], en: string, zh: string): void;
}

export interface KindDefinition<K extends ScoringItemKind> {
  validate(item: ItemOf<K>, v: Validator): void;
  compile(item: ItemOf<K>, env: CompileEnv): CompiledKind;
  /** Choice names whose points the fast path may read in place of a number, for one input. */
  fastChoices?(item: ItemOf<K>): { input: string; names: Map<string, number> };
}

// ───────────────────────────── shared helpers ─────────────────────────────

/** Largest lookup table a kind builds from its rule for the fast path. */
const TABLE_MAX = 1 << 12;

/**
 * A one-number fast rule as a lookup table over 0, 0.01, 0.02, … up to `max` (at most TABLE_MAX
 * entries), filled by calling `rule` itself: a cell holding exactly such a number is looked up,
 * any other calls `rule`. Same results, fewer branches on the common cells.
 */
function byHundredths(rule: (v: number) => number, max: number): (v: number) => number {
  const size = Math.min(TABLE_MAX, Math.max(0, Math.floor(max * 100) + 1));
  const table = Float64Array.from({ length: size }, (_, c) => rule(c / 100));
  return (v) => {
    const c = Math.round(v * 100);
    return c >= 0 && c < size && c / 100 === v ? table[c]! : rule(v);
  };
}

/** Raw points → centipoints with the item's floor and cap (no item below its floor); NaN stays NaN. */
export function centiOf(item: ScoringItem): (p: number) => number {
  const floor = item.floor;
  const cap = item.cap ?? Infinity;
  return (p) => Math.round((p < floor ? floor : p > cap ? cap : p) * 100);
}

function errorOutcome(e: KamError): ExactOutcome {
  return {
    points: { ok: false, error: e },
    explain: () => ({ zh: `${excelErrorOf(e)} ${messageOf(e, "zh")}`, en: `${excelErrorOf(e)} ${messageOf(e, "en")}` }),
  };
}

function missing(input: ScoringInput): KamError {
  return errors.missing(input.key, input.labels);
}

/** Read a needed input on the exact path: absent → #N/A naming it. */
function need<T extends Parsed["t"]>(env: CompileEnv, row: RowReader, k: string): Result<Extract<Parsed, { t: T }>> {
  const r = row.get(k);
  if (!r.ok) return r;
  if (r.value.t === "absent") return { ok: false, error: missing(env.input(k)) };
  return r as Result<Extract<Parsed, { t: T }>>;
}

/** Scale of percentage parameters so targets and steps are integers (at most 4 decimals). */
function percentScale(...xs: number[]): number {
  for (let u = 1; u <= 1e4; u *= 10) if (xs.every((x) => Math.abs(x * u - Math.round(x * u)) < 1e-9)) return u;
  return 1e4;
}

/** Choice names must pick one level / criterion only. */
function uniqueChoiceNames(item: ScoringItem, choices: readonly { id: string; names: Bilingual; synonyms: string[] }[], v: Validator): void {
  const seen = new Map<string, string>();
  for (const c of choices) {
    for (const name of [c.id, c.names.zh, c.names.en, ...c.synonyms]) {
      const n = normalizeKey(name);
      const prev = seen.get(n);
      if (prev !== undefined && prev !== c.id) v.issue(["params"], `item "${item.key}": "${name}" names both "${prev}" and "${c.id}"`, `项目“${item.key}”：“${name}”同时指向“${prev}”和“${c.id}”`);
      seen.set(n, c.id);
    }
  }
}

// ───────────────────────────── the kinds ─────────────────────────────

/** docs/domain.md §8 sales completion: base ± points per FULL step of percentage points from the target. */
const ratioSteps: KindDefinition<"ratioSteps"> = {
  validate(item, v) {
    const q = item.params;
    const pair = q.numerator !== undefined && q.denominator !== undefined;
    if (pair === (q.rate !== undefined) || (!pair && (q.numerator !== undefined || q.denominator !== undefined))) {
      v.issue(["params"], `item "${item.key}": give numerator and denominator, or rate`, `项目“${item.key}”：请给出 numerator 和 denominator，或 rate`);
    }
    v.need(q.numerator, "numerator", ["number"]);
    v.need(q.denominator, "denominator", ["number"]);
    v.need(q.rate, "rate", ["number"], ["ratio"]);
    if (pair && v.input(q.numerator!)?.unit !== v.input(q.denominator!)?.unit) {
      v.issue(["params"], `item "${item.key}": numerator and denominator need the same unit`, `项目“${item.key}”：numerator 与 denominator 的单位须相同`);
    }
  },
  compile(item, env) {
    const q = item.params;
    const base = item.points;
    const u = percentScale(q.targetPercent, q.up.stepPercent, q.down.stepPercent);
    const T = Math.round(q.targetPercent * u);
    const SU = Math.round(q.up.stepPercent * u);
    const SD = Math.round(q.down.stepPercent * u);
    const maxParam = Math.max(T, SU, SD);
    const lower = q.betterWhen === "lower";
    const hundredU = 100 * u;
    // Signed full steps on the good side of the target for the rate N/D (N, D ≥ 0 integers):
    // one rule, in BigInt on the exact path and in safe-integer numbers on the fast path.
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
    const upPoints = q.up.points;
    const downPoints = q.down.points;
    const pointsOf = (steps: number) => base + (steps >= 0 ? steps * upPoints : steps * downPoints);
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
    let fast: FastRow;
    let slots: number[];
    if (q.rate !== undefined) {
      slots = [];
      fast = () => NaN; // a rate cell is read exactly through its decimal digits on the exact path
    } else {
      const ns = env.slot(q.numerator!);
      const ds = env.slot(q.denominator!);
      // money as integer fen (numerator and denominator share their unit)
      const inFen = env.input(q.numerator!).unit === "yuan";
      const readN = fastReader(env.input(q.numerator!), inFen);
      const readD = fastReader(env.input(q.denominator!), inFen);
      slots = [ns, ds];
      fast = (_cols, _i, _ctx, a, b) => {
        const N = readN(a);
        const D = readD(b);
        const safe = D > 0 && N >= 0 && N * hundredU <= MAX_SAFE && D * maxParam <= MAX_SAFE;
        return safe ? pointsOf(stepsNum(N, D)) : NaN;
      };
    }
    return {
      fast,
      slots,
      exact: (row) => {
        let N: bigint, D: bigint;
        if (q.rate !== undefined) {
          const r = need<"ratio">(env, row, q.rate);
          if (!r.ok) return errorOutcome(r.error);
          N = r.value.n;
          D = r.value.d;
        } else {
          const a = need<"fen" | "num">(env, row, q.numerator!);
          if (!a.ok) return errorOutcome(a.error);
          const b = need<"fen" | "num">(env, row, q.denominator!);
          if (!b.ok) return errorOutcome(b.error);
          const av = a.value.t === "fen" ? a.value.fen : a.value.n;
          const bv = b.value.t === "fen" ? b.value.fen : b.value.n;
          if (bv === 0) return errorOutcome(errors.zeroDenominator(q.denominator!, env.input(q.denominator!).labels));
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
  },
};

/** docs/domain.md §8 sales growth: +1 per full step (default 100,000 yuan) over last quarter; a decline deducts nothing. */
const growthSteps: KindDefinition<"growthSteps"> = {
  validate(item, v) {
    v.need(item.params.current, "current", ["number"], ["yuan"]);
    v.need(item.params.previous, "previous", ["number"], ["yuan"]);
  },
  compile(item, env) {
    const q = item.params;
    const base = item.points;
    const step = yuanToFen(q.stepYuan, "stepYuan");
    const stepFen = step.ok ? step.value : NaN;
    /** Points for a growth of `g` fen. */
    const up = q.pointsPerStep;
    const down = q.pointsPerStepDown;
    const pointsOf = (g: number) => base + (g >= 0 ? Math.floor(g / stepFen) * up : -Math.floor(-g / stepFen) * down);
    const cs = env.slot(q.current);
    const ps = env.slot(q.previous);
    const readC = fastReader(env.input(q.current), true);
    const readP = fastReader(env.input(q.previous), true);
    return {
      slots: [cs, ps],
      fast: (_cols, _i, _ctx, a, b) => {
        const c = readC(a);
        const p = readP(b);
        return c >= 0 && p >= 0 ? pointsOf(c - p) : NaN;
      },
      exact: (row) => {
        const c = need<"fen">(env, row, q.current);
        if (!c.ok) return errorOutcome(c.error);
        const p = need<"fen">(env, row, q.previous);
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
  },
};

/** docs/domain.md §8 new accounts: +1 per account above plan, −1 per FULL 2 below. */
const countVsPlan: KindDefinition<"countVsPlan"> = {
  validate(item, v) {
    v.need(item.params.actual, "actual", ["number"], ["count"]);
    v.need(item.params.plan, "plan", ["number"], ["count"]);
  },
  compile(item, env) {
    const q = item.params;
    const base = item.points;
    const upPer = q.up.per, upPoints = q.up.points, downPer = q.down.per, downPoints = q.down.points;
    const pointsOf = (diff: number) => base + (diff >= 0 ? Math.floor(diff / upPer) * upPoints : -Math.floor(-diff / downPer) * downPoints);
    const as = env.slot(q.actual);
    const ps = env.slot(q.plan);
    const readA = fastReader(env.input(q.actual));
    const readP = fastReader(env.input(q.plan));
    return {
      slots: [as, ps],
      fast: (_cols, _i, _ctx, a, b) => {
        const x = readA(a);
        const y = readP(b);
        return x >= 0 && y >= 0 ? pointsOf(x - y) : NaN;
      },
      exact: (row) => {
        const x = need<"num">(env, row, q.actual);
        if (!x.ok) return errorOutcome(x.error);
        const y = need<"num">(env, row, q.plan);
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
  },
};

/** A rating from 0 to `max`, scaled to the item's points. */
const rating: KindDefinition<"rating"> = {
  validate(item, v) {
    v.need(item.params.input, "input", ["number"]);
  },
  compile(item, env) {
    const q = item.params;
    const base = item.points;
    const max = q.max ?? base;
    const scale = base / max;
    const rated = (v: number) => v >= 0 && v <= max;
    const pointsOf = (v: number) => (max === base ? v : v * scale);
    const s = env.slot(q.input);
    const read = fastReader(env.input(q.input));
    const rule = byHundredths((a) => {
      const v = read(a);
      return rated(v) ? pointsOf(v) : NaN;
    }, max);
    return {
      slots: [s],
      fast: (_cols, _i, _ctx, a) => rule(a),
      exact: (row) => {
        const v = need<"num">(env, row, q.input);
        if (!v.ok) return errorOutcome(v.error);
        const n = v.value.n;
        if (!rated(n)) return errorOutcome(errors.outOfRange(q.input, `0–${fmt(max)}`));
        return {
          points: ok(pointsOf(n)),
          explain: () => ({ zh: `${item.label.zh}：评分 ${fmt(n)}（满分 ${fmt(max)}）`, en: `${item.label.en}: rated ${fmt(n)} of ${fmt(max)}` }),
        };
      },
    };
  },
};

/** A named level with fixed points (judgement 强 = 4) or a range the rater picks from (responsibility 0–3). */
const levelChoice: KindDefinition<"levelChoice"> = {
  validate(item, v) {
    v.need(item.params.input, "input", ["level", "number"]);
    uniqueChoiceNames(item, item.params.levels, v);
  },
  fastChoices(item) {
    const names = new Map<string, number>();
    for (const l of item.params.levels) {
      if (l.points === undefined) continue;
      for (const n of [l.id, l.names.zh, l.names.en, ...l.synonyms]) names.set(normalizeKey(n), l.points);
    }
    return { input: item.params.input, names };
  },
  compile(item, env) {
    const q = item.params;
    const levels = q.levels;
    const byName = new Map<string, (typeof levels)[number]>();
    for (const l of levels) for (const n of [l.id, l.names.zh, l.names.en, ...l.synonyms]) byName.set(normalizeKey(n), l);
    // Each level as the numbers it accepts: [points, points] for a fixed level, else its range.
    const lo = levels.map((l) => l.points ?? l.range![0]);
    const hi = levels.map((l) => l.points ?? l.range![1]);
    /** The level a number picks: a fixed level's points, or a number in a level's range. */
    const levelOfNumber = (v: number) => {
      for (let j = 0; j < lo.length; j++) if (v >= lo[j]! && v <= hi[j]!) return levels[j];
      return undefined;
    };
    const allowed = levels.map((l) => (l.points !== undefined ? `${fmt(l.points)} ${l.names.zh}/${l.names.en}` : `${fmt(l.range![0])}–${fmt(l.range![1])} ${l.names.zh}/${l.names.en}`));
    const s = env.slot(q.input);
    const read = fastReader(env.input(q.input), false, false);
    // A number picks its level and scores itself (a fixed level's points are that number).
    const rule = byHundredths((a) => {
      const v = read(a);
      return levelOfNumber(v) ? v : NaN;
    }, Math.max(...hi));
    return {
      slots: [s],
      fast: (_cols, _i, _ctx, a) => rule(a),
      exact: (row) => {
        const v = need<"num" | "text" | "list">(env, row, q.input);
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
  },
};

/** docs/domain.md §8 knowledge: the sum of the criteria met (4 + 3 + 2 + 1). */
const checklist: KindDefinition<"checklist"> = {
  validate(item, v) {
    v.need(item.params.input, "input", ["level", "number"]);
    uniqueChoiceNames(item, item.params.criteria, v);
  },
  compile(item, env) {
    const q = item.params;
    const byName = new Map<string, (typeof q.criteria)[number]>();
    for (const c of q.criteria) for (const n of [c.id, c.names.zh, c.names.en, ...c.synonyms]) byName.set(normalizeKey(n), c);
    // Every sum a subset of the criteria can make, in hundredths (at most 16 criteria).
    const sums = new Set<number>();
    for (let mask = 0; mask < 1 << q.criteria.length; mask++) {
      let t = 0;
      q.criteria.forEach((c, j) => {
        if (mask & (1 << j)) t += Math.round(c.points * 100);
      });
      sums.add(t);
    }
    const maxSum = Math.max(...sums);
    const isSumTable = new Uint8Array(maxSum + 1);
    for (const t of sums) if (t >= 0) isSumTable[t] = 1;
    const isSum = (v: number) => {
      const c = Math.round(v * 100);
      return Math.abs(v * 100 - c) < 1e-6 && c >= 0 && c <= maxSum && isSumTable[c] === 1;
    };
    const allowed = q.criteria.map((c) => `${c.names.zh}/${c.names.en} ${fmt(c.points)}`);
    const s = env.slot(q.input);
    const read = fastReader(env.input(q.input), false, false);
    const rule = byHundredths((a) => {
      const v = read(a);
      return isSum(v) ? v : NaN;
    }, maxSum / 100);
    return {
      slots: [s],
      fast: (_cols, _i, _ctx, a) => rule(a),
      exact: (row) => {
        const v = need<"num" | "text" | "list">(env, row, q.input);
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
  },
};

/**
 * docs/domain.md §8 conduct/service: per-event and banded deductions summed into one item;
 * docs/contracts.md §1.3: a band limit per month scales with the months of the period.
 */
const eventDeductions: KindDefinition<"eventDeductions"> = {
  validate(item, v) {
    item.params.rules.forEach((r, j) => v.need(r.input, `rules.${j}.input`, ["number"], ["count", "days"]));
    v.need(item.params.period, "period", ["month"]);
    if (item.params.rules.some((r) => r.scaleWithMonths) && item.params.period === undefined) {
      v.issue(["params", "period"], `item "${item.key}": a rule scales with months, so name the period input`, `项目“${item.key}”：有规则按月数换算，请指定期间输入 period`);
    }
  },
  compile(item, env) {
    const q = item.params;
    const base = item.points;
    // One shape for every rule (the fast loop reads them all); bands as two arrays.
    const rules = q.rules.map((r) => ({
      input: r.input,
      label: r.label ?? env.input(r.input).labels,
      perEvent: r.perEvent ?? NaN,
      firstLimit: r.bands?.[0]?.moreThan ?? NaN,
      over: (r.bands ?? []).map((b) => b.moreThan),
      deduct: (r.bands ?? []).map((b) => b.deduct),
      scaleWithMonths: r.scaleWithMonths,
      slot: env.slot(r.input),
      // the bounds fastReader checks, read here by one direct `numIn` call for every rule
      min: env.input(r.input).min,
      max: env.input(r.input).max ?? Infinity,
      integer: env.input(r.input).unit === "count",
    }));
    const needsMonths = rules.some((r) => r.scaleWithMonths);
    const periodSlot = needsMonths ? env.slot(q.period!) : -1;
    /** Deduction of one rule for `c` events in a period of `months` months. */
    const deductOf = (r: (typeof rules)[number], c: number, months: number): number => {
      if (r.perEvent === r.perEvent) return c * r.perEvent;
      const scale = r.scaleWithMonths ? months : 1;
      const over = r.over;
      let d = 0;
      for (let b = 0; b < over.length; b++) if (c > over[b]! * scale) d = r.deduct[b]!;
      return d;
    };
    // Each rule's deduction for 0, 1, 2, … events in one month, from `deductOf`, for the fast path.
    /** Fast-path deduction of rule `k` for the cell value `raw`. */
    const deductCell = (k: number, raw: number, months: number): number => {
      const r = rules[k]!;
      const c = numIn(raw, r.min, r.max, r.integer);
      return c >= 0 && months === months ? deductOf(r, c, months) : NaN;
    };
    // The same for 0, 1, 2, … events in a one-month period, as tables filled by `deductCell`.
    const tables = rules.map((_, k) => Float64Array.from({ length: 64 }, (_, c) => deductCell(k, c, 1)));
    const deductFast = (k: number, raw: number, months: number): number => {
      const t = tables[k]!;
      return months === 1 && raw >= 0 && raw < t.length && (raw | 0) === raw ? t[raw]! : deductCell(k, raw, months);
    };
    const nRules = rules.length;
    return {
      // The period and the first three rules' cells come as arguments; further rules are read here.
      slots: [needsMonths ? periodSlot : -1, ...rules.slice(0, 3).map((r) => r.slot)],
      fast: (cols, i, ctx, p, x, y, z) => {
        let months = 1;
        if (needsMonths) months = p >= 0 ? ctx.periods[p]!.months : p === ABSENT ? ctx.defaultMonths : NaN;
        let ded = 0;
        for (let k = 0; k < nRules; k++) ded += deductFast(k, k === 0 ? x : k === 1 ? y : k === 2 ? z : cols[rules[k]!.slot]![i]!, months);
        return base - ded;
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
          const c = need<"num">(env, row, r.input);
          if (!c.ok) return errorOutcome(c.error);
          const n = c.value.n;
          const d = deductOf(r, n, months);
          total += d;
          if (n === 0) continue;
          const limit =
            r.scaleWithMonths && r.over.length > 0
              ? { zh: `（每月限 ${fmt(r.firstLimit)} 次 × ${months} 个月${periodText ? ` ${periodText}` : ""}）`, en: ` (limit ${fmt(r.firstLimit)}/month × ${months})` }
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
  },
};

/** docs/domain.md §8: −1 per full day below full attendance; full = Σ (days in month − 4) (docs/contracts.md §1.3). */
const attendance: KindDefinition<"attendance"> = {
  validate(item, v) {
    v.need(item.params.absence, "absence", ["number"], ["days"]);
    v.need(item.params.attended, "attended", ["number"], ["days"]);
    v.need(item.params.period, "period", ["month"]);
  },
  compile(item, env) {
    const q = item.params;
    const base = item.points;
    const fullOf = (info: PeriodInfo) => info.calendarDays - q.offDaysPerMonth * info.months;
    const pointsOf = (short: number) => base - Math.floor(short) * q.pointsPerDay;
    const as = env.slot(q.absence);
    const ds = env.slot(q.attended);
    const ps = env.slot(q.period);
    const readA = fastReader(env.input(q.absence));
    const readD = fastReader(env.input(q.attended));
    /** Raw points of row `i`: the days short given, or else days attended against the period's full days. */
    const row: FastRow = (_cols, _i, ctx, raw, dRaw, p) => {
      const a = raw === ABSENT ? ABSENT : readA(raw);
      if (a >= 0) return pointsOf(a);
      const d = readD(dRaw);
      const info = a !== ABSENT ? undefined : p >= 0 ? ctx.periods[p] : p === ABSENT ? ctx.defaultPeriod : undefined;
      if (!(d >= 0) || !info) return NaN;
      return pointsOf(Math.max(0, fullOf(info) - d));
    };
    return {
      slots: [as, ds, ps],
      fast: row,
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
          const ai = env.input(q.absence);
          const di = env.input(q.attended);
          const pi = env.input(q.period);
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
        else return errorOutcome(missing(env.input(q.period)));
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
  },
};

/** Every item kind's definition; adding a kind to the schema without one here does not compile. */
export const KINDS: { readonly [K in ScoringItemKind]: KindDefinition<K> } = {
  ratioSteps,
  growthSteps,
  countVsPlan,
  rating,
  levelChoice,
  checklist,
  eventDeductions,
  attendance,
};

/** The definition of an item's kind. */
export function kindOf<K extends ScoringItemKind>(item: ItemOf<K>): KindDefinition<K> {
  return KINDS[item.kind as K];
}
