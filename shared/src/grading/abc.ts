import { errors, fail, ok, type Result } from "../errors.js";
import type { AbcClass } from "../labels.js";
import { at } from "../checked.js";
import { yuanToFen } from "../money.js";
import { cmp, rationalOf } from "./exact.js";

/**
 * Pareto / ABC classes (docs/domain.md §3.3).
 *
 * Accounts are sorted by revenue, descending. An account's class is decided by the cumulative
 * share of all accounts BEFORE it: A if that share < cutoffs.A, B if < cutoffs.B, else C. So the
 * first account is always A and the account that crosses 80% is still A. Equal revenues get the
 * class of the first of them (i.e. the share before the whole tie group). Zero or negative
 * revenue is C. Shares are the positive revenues' sum; everything is compared exactly in fen.
 */
export interface AbcCutoffs {
  A: number;
  B: number;
}

/** docs/domain.md §3.3 *default*: 80 / 95. */
export const DEFAULT_ABC_CUTOFFS: Readonly<AbcCutoffs> = { A: 0.8, B: 0.95 };

/** A revenue in yuan; empty cells (null, undefined, "") count as 0. */
export type Revenue = number | string | null | undefined;

function readRevenues(revenues: readonly Revenue[], arg: string): Result<number[]> {
  if (!Array.isArray(revenues)) return { ok: false, error: errors.notANumber(arg, revenues) };
  if (revenues.length === 0) {
    return fail("na", arg, { zh: "营业额列表为空", en: "the revenue list is empty" });
  }
  const fen: number[] = [];
  for (let i = 0; i < revenues.length; i++) {
    const v = revenues[i];
    if (v === null || v === undefined || v === "") {
      fen.push(0);
      continue;
    }
    if (typeof v !== "number" && typeof v !== "string") return { ok: false, error: errors.notANumber(`${arg}[${i}]`, v) };
    const f = yuanToFen(v, `${arg}[${i}]`);
    if (!f.ok) return f;
    fen.push(f.value);
  }
  return ok(fen);
}

function checkCutoffs(c: AbcCutoffs): Result<AbcCutoffs> {
  for (const k of ["A", "B"] as const) {
    if (typeof c[k] !== "number" || !Number.isFinite(c[k])) return { ok: false, error: errors.notANumber(`cutoffs.${k}`, c[k]) };
  }
  if (!(c.A > 0 && c.A <= c.B && c.B <= 1)) {
    return fail("num", "cutoffs", { zh: "ABC 分界应满足 0 < A ≤ B ≤ 1", en: "ABC cut-offs must satisfy 0 < A ≤ B ≤ 1" });
  }
  return ok(c);
}

function totalPositive(fen: readonly number[], arg: string): Result<bigint> {
  let total = 0n;
  for (const f of fen) if (f > 0) total += BigInt(f);
  if (total === 0n) {
    return fail("div0", arg, { zh: "营业额合计为 0，无法计算占比", en: "total revenue is 0; shares are undefined" });
  }
  return ok(total);
}

/** docs/domain.md §3.3: class from the cumulative share before the account (exact: before/total vs cut-off). */
function classOf(beforeFen: bigint, totalFen: bigint, revenueFen: number, cutoffs: AbcCutoffs): AbcClass {
  if (revenueFen <= 0) return "C";
  const share = { n: beforeFen, d: totalFen };
  if (cmp(share, rationalOf(cutoffs.A)) < 0) return "A";
  if (cmp(share, rationalOf(cutoffs.B)) < 0) return "B";
  return "C";
}

/** docs/domain.md §3.3 ABC class of every account, in the input order. */
export function abcClasses(revenues: readonly Revenue[], cutoffs: AbcCutoffs = DEFAULT_ABC_CUTOFFS): Result<AbcClass[]> {
  const c = checkCutoffs(cutoffs);
  if (!c.ok) return c;
  const fen = readRevenues(revenues, "revenues");
  if (!fen.ok) return fen;
  const total = totalPositive(fen.value, "revenues");
  if (!total.ok) return total;
  const order = fen.value.map((r, i) => ({ r, i })).sort((a, b) => b.r - a.r || a.i - b.i);
  const out: AbcClass[] = new Array(fen.value.length);
  let before = 0n;
  let groupBefore = 0n;
  let previous: number | undefined;
  for (const { r, i } of order) {
    // docs/domain.md §3.3: a tie takes the class of the first of them — the share before the whole group.
    if (previous !== r) groupBefore = before;
    previous = r;
    out[i] = classOf(groupBefore, total.value, r, cutoffs);
    if (r > 0) before += BigInt(r);
  }
  return ok(out);
}

/**
 * docs/domain.md §3.3 class of one revenue within the list `all` it belongs to (e.g. a cell and its
 * column). The share before it is the sum of the revenues strictly greater than it, which is the
 * first-of-the-tie rule. A value that is not in the list is #N/A.
 */
export function abcClassOf(value: Revenue, all: readonly Revenue[], cutoffs: AbcCutoffs = DEFAULT_ABC_CUTOFFS): Result<AbcClass> {
  const c = checkCutoffs(cutoffs);
  if (!c.ok) return c;
  const fen = readRevenues(all, "all");
  if (!fen.ok) return fen;
  const one = readRevenues([value], "value");
  if (!one.ok) return { ok: false, error: { ...one.error, arg: "value" } };
  const v = at(one.value, 0, "value");
  if (!fen.value.includes(v)) {
    return fail("na", "value", { zh: "该营业额不在列表中", en: "the value is not in the list" });
  }
  const total = totalPositive(fen.value, "all");
  if (!total.ok) return total;
  let before = 0n;
  for (const f of fen.value) if (f > v && f > 0) before += BigInt(f);
  return ok(classOf(before, total.value, v, cutoffs));
}
