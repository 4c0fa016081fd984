/**
 * Collection report into a sheet (回款率 = collected ÷ due by the period end, cumulative; ageing as
 * of the period end). Refreshing rewrites the same sheet in place.
 *
 * - The sheet is `回款 2026Q1` (zh) / `Collections 2026Q1` (en).
 * - Where nothing is due the rate cell holds "—": the rate is undefined there, and a report cell
 *   is read by people (the `KAM.COLLECTION` function itself still returns `#DIV/0!`).
 * - Amounts carry a thousands-separator number format; the rate a percent format.
 * - The chart shows the 20 accounts with the most due and one "others" bar for the rest, from a
 *   small block of its own to the right of the report.
 */
import { AGEING_BUCKETS, compactPeriod, sumYuan, type Lang } from "../../../../shared/src/index.js";
import { columnLetter, type CellInput, type WriteOp } from "../../workbook/port.js";

export interface CollectionFiguresJson {
  dueYuan: number;
  collectedYuan: number;
  rate?: unknown;
  creditYuan: number;
  overdueYuan?: number;
  ageing: Record<string, number>;
}
export interface CollectionReportJson extends CollectionFiguresJson {
  period?: string;
  asOf?: string;
  accounts?: number;
  rows: (CollectionFiguresJson & { accountId: string; accountName?: string; name?: string })[];
}

/** What a rate cell shows where nothing is due. */
export const NOTHING_DUE = "—";
/** Accounts the chart shows on their own; the rest are one "others" bar. */
export const CHART_TOP = 20;

/** A rate as the API sends it (a number, `{value}`, null with `rateError`): the number, else "—". */
export function rateOf(v: unknown): number | string {
  if (typeof v === "number") return v;
  if (v && typeof v === "object" && typeof (v as { value?: unknown }).value === "number") return (v as { value: number }).value;
  return NOTHING_DUE;
}

export function collectionsSheetName(period: string, lang: Lang): string {
  return `${lang === "zh" ? "回款" : "Collections"} ${compactPeriod(period)}`;
}

export function collectionsHeader(lang: Lang): string[] {
  const zh = ["客户编号", "客户", "应回款(元)", "已回款(元)", "回款率", "预收/溢缴(元)"];
  const en = ["Account ID", "Account", "Due (yuan)", "Collected (yuan)", "Collection rate", "Credit (yuan)"];
  return [...(lang === "zh" ? zh : en), ...AGEING_BUCKETS.map((b) => (lang === "zh" ? `逾期 ${b.zh}` : `Overdue ${b.en}`))];
}

/** The chart's rows: the top accounts by due, then "others" with the sums of the rest. */
export function chartRows(rows: readonly { name: string; dueYuan: number; collectedYuan: number }[], lang: Lang, top = CHART_TOP): [string, number, number][] {
  const sorted = [...rows].sort((a, b) => b.dueYuan - a.dueYuan || a.name.localeCompare(b.name, "zh"));
  const out: [string, number, number][] = sorted.slice(0, top).map((r) => [r.name, r.dueYuan, r.collectedYuan]);
  const rest = sorted.slice(top);
  if (rest.length > 0) {
    const sum = (k: "dueYuan" | "collectedYuan") => sumYuan(rest.map((r) => r[k]));
    out.push([lang === "zh" ? `其他（${rest.length} 个客户）` : `Others (${rest.length} accounts)`, sum("dueYuan"), sum("collectedYuan")]);
  }
  return out;
}

/**
 * The write operations of a report. `scopeText` and `periodText` are what the note shows (names,
 * `2026年一季度`), never ids.
 */
export function collectionsOps(report: CollectionReportJson, names: Map<string, string>, scopeText: string, period: string, periodText: string, lang: Lang): WriteOp[] {
  const sheet = collectionsSheetName(period, lang);
  const header = collectionsHeader(lang);
  const line = (id: string, name: string, f: CollectionFiguresJson): CellInput[] => [
    id, name, f.dueYuan, f.collectedYuan, rateOf(f.rate), f.creditYuan, ...AGEING_BUCKETS.map((b) => f.ageing?.[b.key] ?? 0),
  ];
  const named = report.rows.map((r) => ({ ...r, name: r.accountName ?? r.name ?? names.get(r.accountId) ?? r.accountId }));
  const rows = named.map((r) => line(r.accountId, r.name, r));
  const total = line("", lang === "zh" ? "合计" : "Total", report);
  const note = lang === "zh"
    ? `范围：${scopeText} · 期间：${periodText} · 回款率 = 截至期末已回款 ÷ 截至期末应回款；无应回款时显示 ${NOTHING_DUE}`
    : `Scope: ${scopeText} · period: ${periodText} · collection rate = collected ÷ due by the period end; ${NOTHING_DUE} where nothing is due`;
  const values: CellInput[][] = [header, ...rows, total];
  const last = values.length; // 1-based row of totals
  const width = header.length;
  const chart = chartRows(named, lang);
  const chartCol = width + 1; // one blank column after the report
  const chartHeader = lang === "zh" ? ["客户", "应回款(元)", "已回款(元)"] : ["Account", "Due (yuan)", "Collected (yuan)"];
  const chartLast = chart.length + 1;
  return [
    { kind: "ensureSheet", sheet, activate: true },
    // clear a previous, longer report first (refresh in place)
    { kind: "clear", sheet, row: 0, col: 0, rows: Math.max(2000, last + 2), cols: width + 4 },
    { kind: "values", sheet, row: 0, col: 0, values },
    { kind: "values", sheet, row: last + 1, col: 0, values: [[note]] },
    { kind: "numberFormat", sheet, address: `C2:D${last}`, format: "#,##0.00" },
    { kind: "numberFormat", sheet, address: `E2:E${last}`, format: "0.0%" },
    { kind: "numberFormat", sheet, address: `F2:${columnLetter(width - 1)}${last}`, format: "#,##0.00" },
    { kind: "freezeHeader", sheet },
    ...(chart.length
      ? [
          { kind: "values" as const, sheet, row: 0, col: chartCol, values: [chartHeader, ...chart] },
          { kind: "numberFormat" as const, sheet, address: `${columnLetter(chartCol + 1)}2:${columnLetter(chartCol + 2)}${chartLast}`, format: "#,##0" },
          {
            kind: "chart" as const,
            sheet,
            type: "columnClustered" as const,
            dataAddress: `${columnLetter(chartCol)}1:${columnLetter(chartCol + 2)}${chartLast}`,
            title: lang === "zh" ? "应回款与已回款（前 20 名及其他）" : "Due and collected (top 20 and others)",
            anchor: `${columnLetter(chartCol + 4)}2`,
          },
        ]
      : []),
  ];
}
