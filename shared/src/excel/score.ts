import { at } from "../checked.js";
import { kamError, type KamError, type Lang, type Result } from "../errors.js";
import { getBuiltinModel } from "../scoring/builtins.js";
import { compileModel, evaluateRows, resolveHeaders, type CompiledModel, type ResolvedHeaders } from "../scoring/evaluate.js";
import type { ScoringModel } from "../scoring/model.js";
import { asBoolean, cellArg, collapse, inputError, isEmptyCell, isErrorCell, toMatrix, toScalar, transpose, usedRows, wholeArgError, type CellResult, type ExcelCell, type FnResult } from "./cells.js";

/**
 * `KAM.SCORE` and `KAM.SCORE.ITEMS` (docs/domain.md §8): a scorecard sheet in, points out.
 *
 * Shapes of `values`:
 * - with `headers` one row as wide as `values`: each row of `values` is one person → one answer
 *   per row, spilled down (`=KAM.SCORE(B2:Q40, B1:Q1)` scores a team);
 * - with `headers` one column as tall as `values`: each column is one person → answers across;
 * - without `headers`: the headers are inside — the first row (a 2-row range: headers over
 *   values) or else the first column (a 2-column range: headers beside values).
 * Rows that are entirely empty answer "" (blank lines in a team sheet); trailing ones are not
 * answered at all (a whole-column reference ends at the last used row).
 */

/** `KAM.SCORE`'s model when the argument is omitted. */
export const DEFAULT_SCORING_MODEL_ID = "ka-manager";

/** A model the caller has besides the built-ins (the add-in: models fetched from the store). */
export type ModelResolver = (id: string) => ScoringModel | undefined;

/**
 * Validates a model's JSON (`parseScoringModel` of shared/src/scoring/model.ts). Passed in rather
 * than imported so that callers scoring only with known models need not load the schema code
 * (the add-in's functions.js loads it on demand).
 */
export type ModelParser = (json: unknown) => Result<ScoringModel>;

export interface ScoreOptions {
  models?: ModelResolver;
  /** Validates a model written out as JSON in the `model` cell. */
  parseModel: ModelParser;
}

function modelArg(v: unknown, opts: ScoreOptions): Result<CompiledModel> {
  const s = toScalar(v, "model");
  if (!s.ok) return s;
  const cell = s.value;
  if (isErrorCell(cell)) return { ok: false, error: inputError("model", cell) };
  const id = isEmptyCell(cell) ? DEFAULT_SCORING_MODEL_ID : typeof cell === "string" ? cell.trim() : undefined;
  if (id === undefined) return { ok: false, error: kamError("value", "model", { zh: "应为模型编号（如 ka-manager）", en: "expected a model id such as ka-manager" }) };
  if (id.startsWith("{")) {
    // A model written out as JSON in a cell: validated like any stored model.
    let json: unknown;
    try {
      json = JSON.parse(id);
    } catch {
      return { ok: false, error: kamError("value", "model", { zh: "模型 JSON 无法解析", en: "the model JSON does not parse" }) };
    }
    const m = opts.parseModel(json);
    return m.ok ? { ok: true, value: compileModel(m.value) } : m;
  }
  const model = opts.models?.(id) ?? getBuiltinModel(id);
  if (!model) {
    return {
      ok: false,
      error: kamError("na", "model", {
        zh: `找不到评分模型“${id}”（内置：ka-manager、ka-director；自定义模型请在 KAM 任务窗格中登录后使用）`,
        en: `no scoring model "${id}" (built-in: ka-manager, ka-director; custom models need sign-in in the KAM pane)`,
      }),
    };
  }
  return { ok: true, value: compileModel(model) };
}

interface Scorecard {
  model: CompiledModel;
  headers: ResolvedHeaders;
  /** One array of cells per person, in header order. */
  records: ExcelCell[][];
  /** Records are columns of the sheet: answers go across. */
  across: boolean;
}

const headerCache = new WeakMap<CompiledModel, Map<string, Result<ResolvedHeaders>>>();

/** Header resolution is the same for every row of a sheet: cache it per model and header text. */
function resolve(model: CompiledModel, headerCells: readonly ExcelCell[]): Result<ResolvedHeaders> {
  let byModel = headerCache.get(model);
  if (!byModel) headerCache.set(model, (byModel = new Map()));
  const key = headerCells.map((h) => (typeof h === "string" ? h : typeof h === "number" ? `#${h}` : "")).join("\u0001");
  let r = byModel.get(key);
  if (!r) {
    r = resolveHeaders(model, headerCells);
    if (r.ok && Object.keys(r.value.columns).length === 0) {
      r = {
        ok: false,
        error: kamError("value", "headers", {
          zh: "表头中没有一个是评分模型的输入项（如 实际完成销售额、计划完成销售额）",
          en: "none of the headers is an input of the scoring model (e.g. salesActual, salesPlan)",
        }),
      };
    }
    if (byModel.size > 1000) byModel.clear();
    byModel.set(key, r);
  }
  return r;
}

function looksLikeHeaders(model: CompiledModel, cells: readonly ExcelCell[]): boolean {
  if (!cells.every((c) => isEmptyCell(c) || typeof c === "string")) return false;
  const r = resolve(model, cells);
  return r.ok;
}

function scorecard(args: readonly unknown[], opts: ScoreOptions): Result<Scorecard> {
  const model = modelArg(args[2], opts);
  if (!model.ok) return model;
  const values = toMatrix(args[0], "values");
  if (!values.ok) return values;
  const valuesError = wholeArgError(values.value, "values");
  if (valuesError) return { ok: false, error: valuesError };
  const v = values.value;
  const height = v.length;
  const firstRow = at(v, 0, "values rows"); // a range has at least one row
  const width = firstRow.length;
  const h = isEmptyCell(args[1]) ? undefined : toMatrix(args[1], "headers");
  if (h && !h.ok) return h;
  const hm = h && h.value.flat().some((c) => !isEmptyCell(c)) ? h.value : undefined;
  // Every person's score reads the headers: an error cell among them is the whole call's error.
  for (const [r, row] of (hm ?? []).entries()) {
    const c = row.findIndex(isErrorCell);
    if (c >= 0) return { ok: false, error: inputError(Array.isArray(args[1]) ? cellArg("headers", r, c) : "headers", row[c]) };
  }
  let headerCells: ExcelCell[];
  let records: ExcelCell[][];
  let across = false;
  if (hm) {
    const hmFirst = at(hm, 0, "header rows");
    if (hm.length === 1 && hmFirst.length === width) {
      headerCells = hmFirst;
      records = v;
    } else if (hmFirst.length === 1 && hm.length === height) {
      headerCells = hm.map((r) => r[0]);
      records = transpose(v);
      across = true;
    } else {
      return {
        ok: false,
        error: kamError("value", "headers", {
          zh: `表头应为一行（${width} 列，与 values 同宽）或一列（${height} 行，与 values 同高），实际为 ${hm.length}×${hmFirst.length}`,
          en: `headers must be one row as wide as values (${width}) or one column as tall (${height}); got ${hm.length}×${hmFirst.length}`,
        }),
      };
    }
  } else if (height >= 2 && looksLikeHeaders(model.value, firstRow)) {
    headerCells = firstRow;
    records = v.slice(1);
  } else if (width >= 2 && looksLikeHeaders(model.value, v.map((r) => r[0]))) {
    headerCells = v.map((r) => r[0]);
    records = transpose(v).slice(1);
    across = true;
  } else {
    return {
      ok: false,
      error: kamError("value", "headers", {
        zh: "请给出表头：第二个参数为表头行，或让 values 的第一行/第一列为表头",
        en: "give the headers: a header row as the second argument, or headers in the first row/column of values",
      }),
    };
  }
  const headers = resolve(model.value, headerCells);
  if (!headers.ok) return headers;
  const used = usedRows(records);
  return { ok: true, value: { model: model.value, headers: headers.value, records: records.slice(0, Math.max(1, used)), across } };
}

/**
 * The scoring engine reads an error cell as "not a number"; a cell holding #N/A must answer #N/A
 * give the error the cell's own code, naming the input.
 */
function cellErrorFor(e: KamError, sc: Scorecard, record: readonly ExcelCell[]): KamError {
  if (e.arg === undefined) return e;
  const col = sc.headers.columns[e.arg];
  if (col === undefined) return e;
  const cell = record[col];
  return isErrorCell(cell) ? inputError(e.arg, cell) : e;
}

function shaped(rows: CellResult[][], across: boolean): FnResult {
  return collapse(across ? transpose(rows) : rows);
}

/** `KAM.SCORE(values, [headers], [model], [lang])` → total points per person (docs/domain.md §8). */
export function kamScore(args: readonly unknown[], lang: Lang, opts: ScoreOptions): FnResult {
  const sc = scorecard(args, opts);
  if (!sc.ok) return sc.error;
  const { records } = sc.value;
  const table = evaluateRows(sc.value.model, sc.value.headers, records);
  const many = records.length > 1;
  const out: CellResult[][] = new Array(records.length);
  for (let r = 0; r < records.length; r++) {
    const t = table.totals[r]!;
    if (t === t) out[r] = [t];
    else if (many && records[r]!.every(isEmptyCell)) out[r] = [""];
    else {
      const total = table.result(r).total;
      out[r] = [total.ok ? total.value : cellErrorFor(total.error, sc.value, records[r]!)];
    }
  }
  return shaped(out, sc.value.across);
}

/**
 * `KAM.SCORE.ITEMS(values, [headers], [model], [showHeaders], [lang])` → each item's points, one
 * row per person in model item order, with a first row of item names when `showHeaders` is TRUE.
 */
export function kamScoreItems(args: readonly unknown[], lang: Lang, opts: ScoreOptions): FnResult {
  const show = toScalar(args[3], "showHeaders");
  if (!show.ok) return show.error;
  const showHeaders = asBoolean(show.value, "showHeaders");
  if (!showHeaders.ok) return showHeaders.error;
  const sc = scorecard(args, opts);
  if (!sc.ok) return sc.error;
  const { records, model } = sc.value;
  const table = evaluateRows(model, sc.value.headers, records);
  const out: CellResult[][] = [];
  if (showHeaders.value) out.push(model.model.items.map((i) => i.label[lang]));
  const many = records.length > 1;
  for (const [r, record] of records.entries()) {
    if (many && record.every(isEmptyCell)) {
      out.push(model.model.items.map(() => ""));
      continue;
    }
    const res = table.result(r);
    out.push(res.items.map((i) => (i.points.ok ? i.points.value : cellErrorFor(i.points.error, sc.value, record))));
  }
  return shaped(out, sc.value.across);
}
