/**
 * Scorecard sheet (issue 5 §3; DOMAIN §8): one row per manager with targets and actuals from the
 * store, the qualitative ratings the director types in, live `=KAM.SCORE` totals and
 * `=KAM.SCORE.ITEMS` breakdown (or plain values — WPS and older Office have no async custom
 * functions), tier and warning flag, and a chart of totals. Re-running updates the sheet in place:
 * store columns are refreshed, typed ratings are kept (matched by manager id).
 */
import {
  DEFAULT_TIER_CUTOFFS,
  DEFAULT_WARNING_THRESHOLD,
  TIERS,
  evaluateModel,
  getBuiltinModel,
  parsePeriod,
  performanceTier,
  type Lang,
  type Period,
} from "../../../../shared/src/index.js";
import { columnLetter, type CellInput, type CellValue, type TableData, type WriteOp } from "../../workbook/port.js";
import type { WriteMode } from "./grade.js";

export const SCORECARD_MODEL = "ka-manager";

/** Inputs the store fills (DOMAIN §8 sales group); the rest are typed by the director. */
export const STORE_INPUTS = ["salesActual", "salesPlan", "salesLastQuarter"] as const;
export const TYPED_INPUTS = [
  "newAccounts", "newAccountsPlan", "infoCollection", "teamwork", "knowledge", "judgement", "communication",
  "absenceDays", "lateCount", "unreportedFieldDays", "violations", "responsibility", "complaints",
] as const;
export const INPUTS = [...STORE_INPUTS, ...TYPED_INPUTS];

/** Fixed columns: A manager id, B manager, C total, D tier, E warning; inputs from F; items after. */
export const FIXED = 5;

export interface ManagerFigures {
  id: string;
  name: string;
  salesActual?: number;
  salesPlan?: number;
  salesLastQuarter?: number;
}

export function scorecardSheetName(period: string): string {
  return `Scorecard ${period}`;
}

function inputLabel(key: string, lang: Lang): string {
  const model = getBuiltinModel(SCORECARD_MODEL)!;
  const input = model.inputs.find((i) => i.key === key);
  return input ? input.labels[lang] : key;
}

export function scorecardHeader(lang: Lang): string[] {
  const fixed = lang === "zh" ? ["经理编号", "经理", "总分", "绩效档次", "预警"] : ["Manager ID", "Manager", "Total", "Tier", "Warning"];
  return [...fixed, ...INPUTS.map((k) => inputLabel(k, lang))];
}

/** Previous quarter of a period's start (salesLastQuarter, DOMAIN §8 growth). */
export function previousQuarter(p: Period): Period {
  const q = Math.floor((+p.start.slice(5, 7) - 1) / 3) + 1;
  const prev = q === 1 ? `${p.year - 1}-Q4` : `${p.year}-Q${q - 1}`;
  return (parsePeriod(prev) as { ok: true; value: Period }).value;
}

export interface ScorecardRow {
  id: string;
  name: string;
  inputs: Record<string, CellValue>;
  total?: number;
  tier?: string;
  warning: boolean;
  error?: string;
  items: (number | string)[];
}

/** Merge store figures with the ratings already typed into an existing sheet (by manager id). */
export function scorecardRows(managers: ManagerFigures[], existing: TableData | undefined, period: string, lang: Lang): ScorecardRow[] {
  const typed = new Map<string, Record<string, CellValue>>();
  if (existing) {
    for (const r of existing.rows) {
      const id = r[0];
      if (id === null || id === undefined) continue;
      const rec: Record<string, CellValue> = {};
      INPUTS.forEach((k, i) => (rec[k] = r[FIXED + i] ?? null));
      typed.set(String(id), rec);
    }
  }
  const model = getBuiltinModel(SCORECARD_MODEL)!;
  return managers.map((m) => {
    const prev = typed.get(m.id) ?? {};
    const inputs: Record<string, CellValue> = {};
    for (const k of TYPED_INPUTS) inputs[k] = prev[k] ?? null;
    inputs.salesActual = m.salesActual ?? prev.salesActual ?? null;
    inputs.salesPlan = m.salesPlan ?? prev.salesPlan ?? null;
    inputs.salesLastQuarter = m.salesLastQuarter ?? prev.salesLastQuarter ?? null;
    const res = evaluateModel(model, { ...inputs, ...(inputs.absenceDays === null ? {} : {}) }, { period });
    const row: ScorecardRow = { id: m.id, name: m.name, inputs, warning: res.warning, items: res.items.map((it) => (it.points.ok ? it.points.value : it.points.error.message[lang])) };
    if (res.total.ok) row.total = res.total.value;
    else row.error = res.total.error.message[lang];
    const a = inputs.salesActual, p = inputs.salesPlan;
    if (typeof a === "number" && typeof p === "number" && p > 0) {
      const t = performanceTier(a / p, DEFAULT_TIER_CUTOFFS);
      if (t.ok) row.tier = TIERS.label(t.value, lang);
    }
    return row;
  });
}

export function scorecardOps(period: string, rows: ScorecardRow[], mode: WriteMode, lang: Lang): WriteOp[] {
  const sheet = scorecardSheetName(period);
  const header = scorecardHeader(lang);
  const firstInput = columnLetter(FIXED);
  const lastInput = columnLetter(FIXED + INPUTS.length - 1);
  const model = getBuiltinModel(SCORECARD_MODEL)!;
  const itemsCol = FIXED + INPUTS.length;
  const itemHeader = model.items.map((it) => it.label[lang]);
  const values: CellInput[][] = [[...header, ...(mode === "values" ? itemHeader : [lang === "zh" ? "分项得分" : "Item points"])]];
  rows.forEach((r, i) => {
    const n = i + 2;
    const inputs = INPUTS.map((k) => r.inputs[k] ?? null);
    const sales = `${columnLetter(FIXED)}${n}`, plan = `${columnLetter(FIXED + 1)}${n}`;
    const warnText = lang === "zh" ? "口头警告" : "Verbal warning";
    if (mode === "formulas") {
      values.push([
        r.id, r.name,
        { formula: `=KAM.SCORE(${firstInput}${n}:${lastInput}${n},$${firstInput}$1:$${lastInput}$1,"${SCORECARD_MODEL}")` },
        { formula: `=IF(AND(ISNUMBER(${plan}),${plan}>0),KAM.TIER(${sales}/${plan}),"")` },
        // DOMAIN §8: total below the threshold → verbal warning
        { formula: `=IF(ISNUMBER(C${n}),IF(C${n}<${DEFAULT_WARNING_THRESHOLD},"${warnText}",""),"")` },
        ...inputs,
        { formula: `=KAM.SCORE.ITEMS(${firstInput}${n}:${lastInput}${n},$${firstInput}$1:$${lastInput}$1,"${SCORECARD_MODEL}")` },
      ]);
    } else {
      values.push([r.id, r.name, r.total ?? r.error ?? null, r.tier ?? null, r.warning ? warnText : null, ...inputs, ...r.items]);
    }
  });
  const ops: WriteOp[] = [
    { kind: "ensureSheet", sheet, activate: true },
    { kind: "values", sheet, row: 0, col: 0, values },
    { kind: "freezeHeader", sheet },
  ];
  if (rows.length) {
    ops.push({ kind: "chart", sheet, type: "columnClustered", dataAddress: `B1:C${rows.length + 1}`, title: lang === "zh" ? `${period} 总分` : `${period} totals`, anchor: `${columnLetter(itemsCol + model.items.length + 1)}2` });
    ops.push({ kind: "numberFormat", sheet, address: `${columnLetter(FIXED)}2:${columnLetter(FIXED + 2)}${rows.length + 1}`, format: "#,##0.00" });
  }
  return ops;
}
