import { kamError, type Lang, type Result } from "../errors.js";
import { MAX_RANGE_CELLS, asBoolean, asNumber, asOptionalText, asText, cellArg, collapse, toMatrix, usedRows, type CellResult, type ExcelCell, type FnResult } from "./cells.js";
import type { CellRead } from "./signatures.js";

/**
 * Excel's array lifting for arguments that take one cell: given ranges, the function is evaluated
 * cell by cell and the answers spill (`=KAM.COMPLETION(B2:B40, C2:C40)` → 39 ratios). A 1-row or
 * 1-column argument broadcasts along the other direction, like Excel's own functions; an argument
 * shorter than the others reads as empty beyond its end (→ #N/A "missing input"); rows after the
 * last used row of every argument are not answered.
 *
 * `fn` receives one cell per lifted argument and the argument names to use in messages
 * (`actual[3,1]` when that argument was a range).
 */
export function lift(
  args: readonly unknown[],
  names: readonly string[],
  fn: (cells: ExcelCell[], names: string[]) => CellResult,
): FnResult {
  const ms: ExcelCell[][][] = [];
  for (let i = 0; i < names.length; i++) {
    const m = toMatrix(args[i], names[i]!);
    if (!m.ok) return m.error;
    ms.push(m.value);
  }
  let rows = 1;
  let cols = 1;
  for (const m of ms) {
    // Trailing empty rows of a tall range are padding (a whole-column reference), not answers.
    if (m.length > 1) rows = Math.max(rows, usedRows(m));
    cols = Math.max(cols, m[0]!.length);
  }
  if (rows * cols > MAX_RANGE_CELLS) {
    return kamError("num", names.join(", "), {
      zh: `结果区域过大（${rows}×${cols}）`,
      en: `the result is too large (${rows}×${cols})`,
    });
  }
  const single = ms.map((m) => m.length === 1 && m[0]!.length === 1);
  if (single.every(Boolean)) return fn(ms.map((m) => m[0]![0]), [...names]);
  const out: CellResult[][] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    const row: CellResult[] = new Array(cols);
    for (let c = 0; c < cols; c++) {
      const cells: ExcelCell[] = [];
      const cellNames: string[] = [];
      for (let i = 0; i < ms.length; i++) {
        const m = ms[i]!;
        const rr = m.length === 1 ? 0 : r;
        const cc = m[0]!.length === 1 ? 0 : c;
        cells.push(rr < m.length && cc < m[rr]!.length ? m[rr]![cc] : null);
        cellNames.push(single[i] ? names[i]! : cellArg(names[i]!, rr, cc));
      }
      row[c] = fn(cells, cellNames);
    }
    out[r] = row;
  }
  return collapse(out);
}

/** A reader of an argument read once for the call (a list of weights or cut-offs, a grade table, a scheme). */
export type ArgReader = (v: unknown) => Result<unknown>;

/**
 * The arguments after the first, each read once for the call by its reader, in order (a function
 * whose first argument is read per answer); the first error is the whole call's.
 */
export function readAfterFirst(once: readonly ArgReader[], args: readonly unknown[]): Result<unknown[]> {
  const values: unknown[] = [];
  for (const [i, read] of once.entries()) {
    const v = read(args[i + 1]);
    if (!v.ok) return v;
    values.push(v.value);
  }
  return { ok: true, value: values };
}

/** Result → cell. */
export function cell<T extends number | string | boolean>(r: Result<T>): CellResult {
  return r.ok ? r.value : r.error;
}

/** One cell of a lifted parameter, read as its signature says (signatures.ts `CellRead`). */
function readCell(v: ExcelCell, name: string, read: CellRead): Result<unknown> {
  switch (read.as) {
    case "number":
      return asNumber(v, name, read);
    case "text":
      return read.optional ? asOptionalText(v, name) : asText(v, name, read.label);
    case "boolean":
      return asBoolean(v, name);
  }
}

/**
 * A rule on one value per parameter, lifted over ranges (`lift`) on the parameters that declare a
 * `read`: first the parameters read once for the call (`readArg`, e.g. a list of cut-offs) in
 * order, then, cell by cell, each lifted cell as its `read` says, naming the cell in its messages;
 * then the rule runs on the values (in parameter order) and the call's language. An error of the
 * rule that names a lifted parameter names the cell instead (`plan` → `plan[3,1]`). What a
 * function whose parameters the signature table reads runs (implementations.ts `lifted`): its
 * implementation is only its rule.
 */
export function liftRule(
  params: readonly { name: string; read?: CellRead; readArg?: ArgReader }[],
  rule: (values: unknown[], lang: Lang) => Result<number | string | boolean>,
): (args: readonly unknown[], lang: Lang) => FnResult {
  const lifted = params.flatMap((p, i) => (p.read ? [i] : []));
  const names = lifted.map((i) => params[i]!.name);
  return (args, lang) => {
    const once: unknown[] = [];
    for (let i = 0; i < params.length; i++) {
      const readArg = params[i]!.readArg;
      const v = readArg ? readArg(args[i]) : { ok: true as const, value: args[i] };
      if (!v.ok) return v.error;
      once.push(v.value);
    }
    return lift(
      lifted.map((i) => args[i]),
      names,
      (cells, cellNames) => {
        const values = [...once];
        for (let k = 0; k < lifted.length; k++) {
          const v = readCell(cells[k], cellNames[k]!, params[lifted[k]!]!.read!);
          if (!v.ok) return v.error;
          values[lifted[k]!] = v.value;
        }
        const r = rule(values, lang);
        if (r.ok) return r.value;
        const k = names.indexOf(r.error.arg ?? "");
        return k >= 0 ? { ...r.error, arg: cellNames[k] } : r.error;
      },
    );
  };
}
