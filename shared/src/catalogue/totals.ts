import { at } from "../checked.js";
import type { Bilingual } from "../errors.js";
import { isBlank, readMoney, type MoneyUnit, type RawCell } from "./grammar.js";

/**
 * Rows that are not records: blank rows, and totals / subtotals (合计, 小计, 总计, Total…, or a
 * row without id and name whose figures are the sums of the rows above). Sync and grading skip
 * them and list them as skipped, with the reason.
 */
export type RowKind = "data" | "blank" | "totals";

/** A blank or totals row: why it is skipped, and the message that says so. */
export interface SkippedRowClass {
  kind: Exclude<RowKind, "data">;
  /** Why a row is skipped: `blank`, `totalsWord` (the word found) or `sumOfAbove`. */
  reason: "blank" | "totalsWord" | "sumOfAbove";
  /** The word that marked a totals row. */
  word?: string;
  message: Bilingual;
}

export type RowClass = { kind: "data" } | SkippedRowClass;

const ZH_TOTAL_RE = /^(.{0,12}?)(合计|小计|总计|共计|总合计|累计合计)(?:[:：].*)?$|^(合计|小计|总计|共计)(?![\u4e00-\u9fff])/;
const EN_TOTAL_RE = /^(?:[a-z][\w\s-]{0,19}\s)??((?:grand\s+)?(?:sub-?\s?)?totals?)\s*(?:[:：(（].*)?$/i;

/** The totals word a cell holds (`合计`, `华东小计`, `总计：`, `Total`, `Subtotal`), if any. */
export function totalsWord(v: RawCell): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = v.normalize("NFKC").trim();
  if (t === "" || t.length > 24) return undefined;
  const zh = ZH_TOTAL_RE.exec(t.replace(/\s+/g, ""));
  if (zh) return zh[2] ?? zh[3];
  const en = EN_TOTAL_RE.exec(t);
  if (en) return en[1];
  return undefined;
}

export interface RowContext {
  /** Columns that identify a record (id, name): a sums row has none of them filled. */
  keyColumns: readonly number[];
  /** Money unit per column, to read the figures as the grammar does. */
  units?: readonly (MoneyUnit | undefined)[];
}

function figure(v: RawCell, unit: MoneyUnit | undefined): number | undefined {
  if (typeof v === "boolean" || isBlank(v)) return undefined;
  if (typeof v === "string" && !/\d/.test(v)) return undefined;
  const r = readMoney(v, unit ?? "yuan");
  return r.ok ? r.value : undefined;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 0.005 + Math.abs(b) * 1e-12;

/**
 * Classify every data row of a table (rows below the header). A sums row is recognised when its
 * figures equal the column sums of the data rows since the previous totals row (a subtotal) or of
 * all data rows above (a grand total), for every figure it holds and at least one column.
 */
export function classifyRows(rows: readonly (readonly RawCell[])[], ctx: RowContext): RowClass[] {
  const out: RowClass[] = [];
  let sinceTotals: number[] = [];
  const all: number[] = [];
  for (const [i, row] of rows.entries()) {
    const c = classifyRow(row, ctx, rows, sinceTotals, all);
    out.push(c);
    if (c.kind === "data") {
      sinceTotals.push(i);
      all.push(i);
    } else if (c.kind === "totals") sinceTotals = [];
  }
  return out;
}

function classifyRow(row: readonly RawCell[], ctx: RowContext, rows: readonly (readonly RawCell[])[], since: number[], all: number[]): RowClass {
  if (row.every(isBlank)) return { kind: "blank", reason: "blank", message: { zh: "空行", en: "blank row" } };
  for (const v of row) {
    const w = totalsWord(v);
    if (w) return { kind: "totals", reason: "totalsWord", word: w, message: { zh: `合计行（“${w}”），已跳过`, en: `totals row ("${w}"), skipped` } };
  }
  if (ctx.keyColumns.length === 0 || ctx.keyColumns.some((c) => !isBlank(row[c]))) return { kind: "data" };
  const figures: Array<[number, number]> = [];
  for (let c = 0; c < row.length; c++) {
    if (isBlank(row[c])) continue;
    const n = figure(row[c], ctx.units?.[c]);
    if (n === undefined) return { kind: "data" };
    figures.push([c, n]);
  }
  if (figures.length === 0) return { kind: "data" };
  for (const group of [since, all]) {
    if (group.length < 2) continue;
    const sums = figures.every(([c, n]) => {
      let s = 0;
      for (const i of group) s += figure(at(rows, i, "rows")[c], ctx.units?.[c]) ?? 0;
      return near(n, Math.round(s * 100) / 100);
    });
    if (sums) return { kind: "totals", reason: "sumOfAbove", message: { zh: "无编号和名称、数字为上方各行之和的合计行，已跳过", en: "a row without id or name whose figures sum the rows above (totals), skipped" } };
  }
  return { kind: "data" };
}
