/**
 * Scorecard sheet: one row per manager with targets and actuals from the
 * store, the qualitative ratings the director types in, live `=KAM.SCORE` totals and
 * `=KAM.SCORE.ITEMS` breakdown (or plain values — WPS and older Office have no async custom
 * functions), tier and warning flag, and a chart of totals. Re-running updates the sheet in place:
 * typed ratings are kept (matched by manager id, in a hidden key column), and a store figure is rewritten only where the
 * store wrote it and the user has not edited it since (provenance, kept in the workbook's hidden
 * state as short marks of the written figures — never the figures themselves).
 */
import {
  DEFAULT_TIER_CUTOFFS,
  DEFAULT_WARNING_THRESHOLD,
  TIERS,
  compactPeriod,
  creditedOwner,
  evaluateModel,
  getBuiltinModel,
  performanceTier,
  periodLabel,
  previousQuarter,
  inPeriod,
  type Lang,
  type Period,
  type ScoringModel,
} from "../../../../shared/src/index.js";
import { effectiveTarget } from "../../../../shared/src/targets.js";
import { averageArchiveCompleteness, type ArchiveAccount } from "../../../../shared/src/archive/completeness.js";
import { must } from "../../../../shared/src/checked.js";
import { sumYuan } from "../../../../shared/src/money.js";
import { hashString } from "../../sync/rows.js";
import { cellAddress, columnLetter, isEmpty, type CellInput, type CellValue, type TableData, type WorkbookPort, type WriteOp } from "../../workbook/port.js";
import type { WriteMode } from "./grade.js";

export const SCORECARD_MODEL = "ka-manager";

/** Inputs the store fills (the sales group); the rest are typed by the director. */
export const STORE_INPUTS = ["salesActual", "salesPlan", "salesLastQuarter"] as const;
export const TYPED_INPUTS = [
  "newAccounts", "newAccountsPlan", "infoCollection", "teamwork", "knowledge", "judgement", "communication",
  "absenceDays", "lateCount", "unreportedFieldDays", "violations", "responsibility", "complaints",
] as const;
export const INPUTS = [...STORE_INPUTS, ...TYPED_INPUTS];

/** Every figure the store can fill, whichever model the sheet scores with. */
export type StoreInput = (typeof STORE_INPUTS)[number] | "archiveCompleteness";

/**
 * What a scorecard sheet holds for one scoring model: the model, the inputs the store fills (first,
 * from column F) and those typed, and the sheet's name and hidden-state key per period.
 */
export interface ScorecardLayout {
  model: string;
  store: readonly StoreInput[];
  typed: readonly string[];
  /** Store inputs first, then typed ones: the sheet's input columns in order. */
  inputs: readonly string[];
  /** Number format per input (by key); others are left as typed. */
  formats: Readonly<Record<string, string>>;
  sheetName(period: string, lang: Lang): string;
  stateKey(period: string): string;
}

/** The manager scorecard (docs/domain.md §8): sales from the store, the rest typed. */
export const MANAGER_LAYOUT: ScorecardLayout = {
  model: SCORECARD_MODEL,
  store: STORE_INPUTS,
  typed: TYPED_INPUTS,
  inputs: INPUTS,
  formats: { salesActual: "#,##0.00", salesPlan: "#,##0.00", salesLastQuarter: "#,##0.00" },
  sheetName: (period, lang) => `${lang === "zh" ? "考核表" : "Scorecard"} ${compactPeriod(period)}`,
  stateKey: (period) => `scorecard:${period}`,
};

/**
 * The key-account KPI scorecard (docs/domain.md §8 director KPIs, model `ka-director`) over each manager's book: sales
 * and archive completeness (docs/domain.md §2, the average over the manager's accounts) from the store;
 * churn and new development counts typed.
 */
export const DIRECTOR_LAYOUT: ScorecardLayout = {
  model: "ka-director",
  store: ["salesActual", "salesPlan", "archiveCompleteness"],
  typed: ["accountsAtStart", "accountsLost", "newKeyAccounts", "newKeyAccountsPlan"],
  inputs: ["salesActual", "salesPlan", "archiveCompleteness", "accountsAtStart", "accountsLost", "newKeyAccounts", "newKeyAccountsPlan"],
  formats: { salesActual: "#,##0.00", salesPlan: "#,##0.00", archiveCompleteness: "0.0%" },
  sheetName: (period) => `KPI ${compactPeriod(period)}`,
  stateKey: (period) => `scorecard:ka-director:${period}`,
};

export const SCORECARD_LAYOUTS: readonly ScorecardLayout[] = [MANAGER_LAYOUT, DIRECTOR_LAYOUT];

/** Fixed columns: A manager id (the row key, hidden), B manager, C total, D tier, E warning; inputs from F; items after. */
export const FIXED = 5;

export interface ManagerFigures {
  id: string;
  name: string;
  salesActual?: number;
  salesPlan?: number;
  salesLastQuarter?: number;
  /** Archive completeness of the manager's accounts, 0..1 (`archiveFigures`). */
  archiveCompleteness?: number;
}

/** The sheet of a period's scorecard: `考核表 2026Q1` (zh) / `Scorecard 2026Q1` (en); the KPI layout's `KPI 2026Q1`. */
export function scorecardSheetName(period: string, lang: Lang, layout: ScorecardLayout = MANAGER_LAYOUT): string {
  return layout.sheetName(period, lang);
}

function inputLabel(key: string, lang: Lang, layout: ScorecardLayout = MANAGER_LAYOUT): string {
  const model = modelOf(layout);
  const input = model.inputs.find((i) => i.key === key);
  return input ? input.labels[lang] : key;
}

export function scorecardHeader(lang: Lang, layout: ScorecardLayout = MANAGER_LAYOUT): string[] {
  const fixed = lang === "zh" ? ["经理编号", "经理", "总分", "绩效档次", "预警"] : ["Manager ID", "Manager", "Total", "Tier", "Warning"];
  return [...fixed, ...layout.inputs.map((k) => inputLabel(k, lang, layout))];
}

/**
 * Archive completeness per manager (docs/domain.md §2, shared `averageArchiveCompleteness`): the average over
 * the accounts the manager owns. A manager with no account has no figure (left to the sheet).
 */
export function archiveFigures(accounts: readonly ArchiveAccount[]): Map<string, number> {
  const byOwner = new Map<string, ArchiveAccount[]>();
  for (const a of accounts) {
    if (typeof a.owner !== "string" || a.deleted === true) continue;
    byOwner.set(a.owner, [...(byOwner.get(a.owner) ?? []), a]);
  }
  const out = new Map<string, number>();
  for (const [owner, mine] of byOwner) {
    const r = averageArchiveCompleteness(mine);
    if (r.ok) out.set(owner, r.value);
  }
  return out;
}

/** A contract as the scorecard needs it (`ownerAtSigning` set by the store; absent on older ones). */
export interface ContractFigure {
  accountId: string;
  signedDate: string;
  amountYuan: number;
  ownerAtSigning?: string | null;
}

export interface TargetFigure {
  subject?: string;
  versions: readonly { version: number; status: string; amountYuan: number }[];
}

/**
 * Store figures per manager. Sales credit the owner at signing (shared `creditedOwner`). The store
 * knows a quarter's sales only when it holds contracts signed in that quarter (a book not yet
 * loaded is not "0"), and a plan only when the manager has an approved target; unknown figures are
 * left out, so the sheet's own cells stay.
 */
export function managerFigures(
  managers: readonly { id: string; name: string }[],
  contracts: readonly ContractFigure[] | undefined,
  currentOwnerOf: (accountId: string) => string | undefined,
  targets: readonly TargetFigure[] | undefined,
  period: Period,
): ManagerFigures[] {
  const prev = previousQuarter(period);
  const known = (p: Period) => (contracts ?? []).some((c) => inPeriod(c.signedDate, p));
  const sum = (mine: readonly ContractFigure[], p: Period) => sumYuan(mine.filter((c) => inPeriod(c.signedDate, p)).map((c) => c.amountYuan));
  const knowsNow = known(period), knowsPrev = known(prev);
  return managers.map((m) => {
    const mine = (contracts ?? []).filter((c) => creditedOwner(c, currentOwnerOf) === m.id);
    const target = (targets ?? []).find((x) => x.subject === m.id);
    const effective = target ? effectiveTarget(target.versions) : undefined;
    const approved = effective?.ok ? effective.value : undefined;
    return {
      id: m.id,
      name: m.name,
      ...(knowsNow ? { salesActual: sum(mine, period) } : {}),
      ...(knowsPrev ? { salesLastQuarter: sum(mine, prev) } : {}),
      ...(approved ? { salesPlan: approved.amountYuan } : {}),
    };
  });
}

/** Hidden-state key of a scorecard sheet's provenance. */
export function scorecardStateKey(period: string, layout: ScorecardLayout = MANAGER_LAYOUT): string {
  return layout.stateKey(period);
}

/** Which store figures the store wrote, per manager id and input: a hash of the figure written. */
export type ScorecardProvenance = Record<string, Partial<Record<StoreInput, string>>>;

/**
 * The mark of a written figure: 24 bits of a hash, kept per cell in the hidden state. It tells an
 * untouched cell from an edited one (an edit that happens to share the mark: 1 in 16.7 million),
 * while trying every plausible figure against it yields thousands of matches, so the state does
 * not give the figures away.
 */
export function figureMark(v: CellValue): string {
  const h = parseInt(hashString(typeof v === "number" ? `n:${v}` : `s:${String(v)}`), 36);
  return (h % 0x1000000).toString(36);
}

export function parseProvenance(text: string | undefined): ScorecardProvenance {
  if (!text) return {};
  try {
    const p = JSON.parse(text) as { v?: number; cells?: ScorecardProvenance };
    return p.v === 1 && p.cells && typeof p.cells === "object" ? p.cells : {};
  } catch {
    return {};
  }
}

/** The provenance after a build: the marks of the cells that now hold the store's figure. */
export function scorecardProvenance(rows: readonly ScorecardRow[]): string {
  const cells: ScorecardProvenance = {};
  for (const r of rows) {
    const marks: Partial<Record<StoreInput, string>> = {};
    for (const k of r.storeWritten) marks[k] = figureMark(r.inputs[k] ?? null);
    if (Object.keys(marks).length) cells[r.id] = marks;
  }
  return JSON.stringify({ v: 1, cells });
}

export interface ScorecardRow {
  id: string;
  name: string;
  inputs: Record<string, CellValue>;
  /** Store inputs whose cell holds the store's figure (the rest were typed, or are empty). */
  storeWritten: StoreInput[];
  total?: number;
  tier?: string;
  warning: boolean;
  error?: string;
  items: (number | string)[];
}

/**
 * Merge store figures with what the existing sheet holds (by manager id). A store input's cell
 * takes the store's figure when it is empty, or when it still holds what the store wrote last
 * (its mark matches); a figure the user typed or edited is kept — whether the store now says 0 or
 * nothing.
 */
export function scorecardRows(managers: ManagerFigures[], existing: TableData | undefined, period: string, lang: Lang, provenance: ScorecardProvenance = {}, layout: ScorecardLayout = MANAGER_LAYOUT): ScorecardRow[] {
  const typed = new Map<string, Record<string, CellValue>>();
  if (existing) {
    for (const r of existing.rows) {
      const id = r[0];
      if (id === null || id === undefined) continue;
      const rec: Record<string, CellValue> = {};
      layout.inputs.forEach((k, i) => (rec[k] = r[FIXED + i] ?? null));
      typed.set(String(id), rec);

    }
  }
  const model = modelOf(layout);
  return managers.map((m, i) => {
    const prev = typed.get(m.id) ?? {};
    const inputs: Record<string, CellValue> = {};
    for (const k of layout.typed) inputs[k] = prev[k] ?? null;
    const storeWritten: StoreInput[] = [];
    for (const k of layout.store) {
      const cur = prev[k] ?? null;
      const mark = provenance[m.id]?.[k];
      const storeOwns = isEmpty(cur) || (mark !== undefined && mark === figureMark(cur));
      const figure = m[k];
      if (storeOwns && figure !== undefined) {
        inputs[k] = figure;
        storeWritten.push(k);
      } else {
        inputs[k] = isEmpty(cur) ? null : cur;
        // A store figure the store no longer knows stays the store's (the next build may refresh it).
        if (storeOwns && !isEmpty(cur)) storeWritten.push(k);
      }
    }
    const res = evaluateModel(model, inputs, { period });
    // The manager's row on the rebuilt sheet (row 0 is the header).
    const sheetRow = i + 1;
    const named = (e: { arg?: string; message: { zh: string; en: string } }) => namedError(e, sheetRow, lang, layout);
    const row: ScorecardRow = { id: m.id, name: m.name, inputs, storeWritten, warning: res.warning, items: res.items.map((it) => (it.points.ok ? it.points.value : named(it.points.error))) };
    if (res.total.ok) row.total = res.total.value;
    else row.error = named(res.total.error);
    const a = inputs.salesActual, p = inputs.salesPlan;
    if (typeof a === "number" && typeof p === "number" && p > 0) {
      const t = performanceTier(a / p, DEFAULT_TIER_CUTOFFS);
      if (t.ok) row.tier = TIERS.label(t.value, lang);
    }
    return row;
  });
}

/** The scoring model a layout names (every layout names a built-in one). */
export function modelOf(layout: ScorecardLayout): ScoringModel {
  return must(getBuiltinModel(layout.model), `built-in scoring model ${layout.model}`);
}

/** The column of a model input on the sheet (0-based). */
export function inputColumn(key: string, layout: ScorecardLayout = MANAGER_LAYOUT): number | undefined {
  const i = layout.inputs.indexOf(key);
  return i < 0 ? undefined : FIXED + i;
}

/** An error about an input names its column (the header text) and cell: `判断能力 (M2)：无法识别的值 7…`. */
function namedError(e: { arg?: string; message: { zh: string; en: string } }, sheetRow: number, lang: Lang, layout: ScorecardLayout): string {
  const { arg } = e;
  const col = arg === undefined ? undefined : inputColumn(arg, layout);
  if (arg === undefined || col === undefined) return e.message[lang];
  return lang === "zh" ? `${inputLabel(arg, lang, layout)}（${cellAddress(sheetRow, col)}）：${e.message.zh}` : `${inputLabel(arg, lang, layout)} (${cellAddress(sheetRow, col)}): ${e.message.en}`;
}

/** A rating column's drop-down: the scores it takes, and the scale shown as the input prompt. */
export interface RatingScale {
  key: string;
  list: string[];
  title: string;
  prompt: string;
}

/** Rating scales of the scoring model (level choices and ratings), for drop-downs and prompts. */
export function ratingScales(lang: Lang, layout: ScorecardLayout = MANAGER_LAYOUT): RatingScale[] {
  const model = modelOf(layout);
  const out: RatingScale[] = [];
  for (const it of model.items) {
    if (it.kind === "levelChoice") {
      const list: string[] = [];
      const parts: string[] = [];
      for (const l of it.params.levels) {
        if (l.points !== undefined) {
          list.push(String(l.points));
          parts.push(`${l.points} = ${l.names[lang]}`);
        } else if (l.range) {
          const [lo, hi] = l.range;
          for (let v = hi; v >= lo; v -= 0.5) list.push(String(v));
          parts.push(`${lo}–${hi} = ${l.names[lang]}`);
        }
      }
      out.push({ key: it.params.input, list: [...new Set(list)], title: it.label[lang], prompt: parts.join(" · ") });
    } else if (it.kind === "rating") {
      const max = it.params.max ?? it.points;
      const list: string[] = [];
      for (let v = max; v >= 0; v--) list.push(String(v));
      out.push({ key: it.params.input, list, title: it.label[lang], prompt: lang === "zh" ? `0–${max} 分` : `0–${max} points` });
    }
  }
  return out;
}

export interface ScorecardOpsOptions {
  /** Data rows the sheet held before (rows beyond the new list are cleared). */
  existingRows?: number;
}

export function scorecardOps(period: string, rows: ScorecardRow[], mode: WriteMode, lang: Lang, opts: ScorecardOpsOptions = {}, layout: ScorecardLayout = MANAGER_LAYOUT): WriteOp[] {
  const sheet = scorecardSheetName(period, lang, layout);
  const header = scorecardHeader(lang, layout);
  const firstInput = columnLetter(FIXED);
  const lastInput = columnLetter(FIXED + layout.inputs.length - 1);
  const model = modelOf(layout);
  const modelId = layout.model;
  const itemsCol = FIXED + layout.inputs.length;
  const itemHeader = model.items.map((it) => it.label[lang]);
  // The item headers stay in both modes: in formulas mode they title the spilled columns.
  const values: CellInput[][] = [[...header, ...itemHeader]];
  rows.forEach((r, i) => {
    const n = i + 2;
    const inputs = layout.inputs.map((k) => r.inputs[k] ?? null);
    const sales = `${columnLetter(FIXED)}${n}`, plan = `${columnLetter(FIXED + 1)}${n}`;
    const warnText = lang === "zh" ? "口头警告" : "Verbal warning";
    if (mode === "formulas") {
      values.push([
        r.id, r.name,
        { formula: `=KAM.SCORE(${firstInput}${n}:${lastInput}${n},$${firstInput}$1:$${lastInput}$1,"${modelId}")` },
        { formula: `=IF(AND(ISNUMBER(${plan}),${plan}>0),KAM.TIER(${sales}/${plan}),"")` },
        // total below the threshold → verbal warning
        { formula: `=IF(ISNUMBER(C${n}),IF(C${n}<${DEFAULT_WARNING_THRESHOLD},"${warnText}",""),"")` },
        ...inputs,
        { formula: `=KAM.SCORE.ITEMS(${firstInput}${n}:${lastInput}${n},$${firstInput}$1:$${lastInput}$1,"${modelId}")` },
      ]);
    } else {
      values.push([r.id, r.name, r.total ?? r.error ?? null, r.tier ?? null, r.warning ? warnText : null, ...inputs, ...r.items]);
    }
  });
  const ops: WriteOp[] = [{ kind: "ensureSheet", sheet, activate: true }];
  // Values left in the spill range of KAM.SCORE.ITEMS would block it (#SPILL!), and rows of managers
  // no longer listed would linger: the items block and any rows below the new list are cleared first.
  const before = opts.existingRows ?? 0;
  if (Math.max(before, rows.length) > 0) ops.push({ kind: "clear", sheet, row: 1, col: itemsCol, rows: Math.max(before, rows.length), cols: model.items.length });
  if (before > rows.length) ops.push({ kind: "clear", sheet, row: rows.length + 1, col: 0, rows: before - rows.length, cols: itemsCol + model.items.length });
  // Column A keys the rows (typed figures and provenance follow the manager id): people read
  // names, so the key column is hidden.
  ops.push({ kind: "values", sheet, row: 0, col: 0, values }, { kind: "hideColumns", sheet, col: 0, cols: 1 }, { kind: "freezeHeader", sheet });
  if (rows.length) {
    ops.push({ kind: "chart", sheet, type: "columnClustered", dataAddress: `B1:C${rows.length + 1}`, title: lang === "zh" ? `${periodLabel(period, lang)} 总分` : `${periodLabel(period, lang)} totals`, anchor: `${columnLetter(itemsCol + model.items.length + 1)}2` });
    for (const [key, format] of Object.entries(layout.formats)) {
      const c = inputColumn(key, layout);
      if (c !== undefined) ops.push({ kind: "numberFormat", sheet, address: `${columnLetter(c)}2:${columnLetter(c)}${rows.length + 1}`, format });
    }
    for (const sc of ratingScales(lang, layout)) {
      const c = inputColumn(sc.key, layout);
      if (c === undefined) continue;
      ops.push({ kind: "listValidation", sheet, address: `${columnLetter(c)}2:${columnLetter(c)}${rows.length + 1}`, list: sc.list, prompt: { title: sc.title, message: sc.prompt } });
    }
  }
  ops.push({ kind: "state", key: scorecardStateKey(period, layout), value: scorecardProvenance(rows) });
  return ops;
}

/**
 * Build or rebuild a period's scorecard sheet in a workbook: read the sheet and its provenance,
 * merge (typed figures kept, store cells refreshed), write, and record the new provenance.
 */
export async function buildScorecard(port: WorkbookPort, figures: ManagerFigures[], period: string, mode: WriteMode, lang: Lang, layout: ScorecardLayout = MANAGER_LAYOUT): Promise<ScorecardRow[]> {
  const key = scorecardStateKey(period, layout);
  const read = await port.read({ tables: [{ sheet: scorecardSheetName(period, lang, layout) }], state: [key] });
  const existing = read.tables[0];
  const rows = scorecardRows(figures, existing && existing.header.length ? existing : undefined, period, lang, parseProvenance(read.state[key]), layout);
  await port.apply(scorecardOps(period, rows, mode, lang, { existingRows: existing?.rows.length ?? 0 }, layout));
  return rows;
}
