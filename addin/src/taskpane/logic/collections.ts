/**
 * Collection report into a sheet (issue 5 §6; DOMAIN §7: 回款率 = collected ÷ due by the period
 * end, cumulative; ageing as of the period end). Refreshing rewrites the same sheet in place.
 */
import { AGEING_BUCKETS, type Lang } from "../../../../shared/src/index.js";
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
  rows: (CollectionFiguresJson & { accountId: string; accountName?: string; name?: string })[];
}

/** A rate as the API sends it: a number, `{ok, value}`, `{value}` or an error object. */
export function rateOf(v: unknown): number | string {
  if (typeof v === "number") return v;
  if (v && typeof v === "object") {
    const o = v as { ok?: boolean; value?: unknown; error?: { code?: string; message?: unknown } };
    if (typeof o.value === "number") return o.value;
    if (o.error) return String(o.error.code ?? "#DIV/0!");
  }
  return "#DIV/0!";
}

export function collectionsSheetName(period: string): string {
  return `Collections ${period}`;
}

export function collectionsHeader(lang: Lang): string[] {
  const zh = ["客户编号", "客户", "应回款(元)", "已回款(元)", "回款率", "预收/溢缴(元)"];
  const en = ["Account ID", "Account", "Due (yuan)", "Collected (yuan)", "Collection rate", "Credit (yuan)"];
  return [...(lang === "zh" ? zh : en), ...AGEING_BUCKETS.map((b) => (lang === "zh" ? `逾期 ${b.zh}` : `Overdue ${b.en}`))];
}

export function collectionsOps(report: CollectionReportJson, names: Map<string, string>, scope: string, period: string, lang: Lang): WriteOp[] {
  const sheet = collectionsSheetName(period);
  const header = collectionsHeader(lang);
  const line = (id: string, name: string, f: CollectionFiguresJson): CellInput[] => [
    id, name, f.dueYuan, f.collectedYuan, rateOf(f.rate), f.creditYuan, ...AGEING_BUCKETS.map((b) => f.ageing?.[b.key] ?? 0),
  ];
  const rows = report.rows.map((r) => line(r.accountId, r.accountName ?? r.name ?? names.get(r.accountId) ?? "", r));
  const total = line("", lang === "zh" ? "合计" : "Total", report);
  const note = lang === "zh"
    ? `范围 ${scope} · 期间 ${period} · 回款率 = 截至期末已回款 ÷ 截至期末应回款（DOMAIN §7）`
    : `Scope ${scope} · period ${period} · collection rate = collected ÷ due by the period end (DOMAIN §7)`;
  const values: CellInput[][] = [header, ...rows, total];
  const last = values.length; // 1-based row of totals
  const width = header.length;
  return [
    { kind: "ensureSheet", sheet, activate: true },
    // clear a previous, longer report first (refresh in place)
    { kind: "clear", sheet, row: 0, col: 0, rows: 2000, cols: width },
    { kind: "values", sheet, row: 0, col: 0, values },
    { kind: "values", sheet, row: last + 1, col: 0, values: [[note]] },
    { kind: "numberFormat", sheet, address: `C2:D${last}`, format: "#,##0.00" },
    { kind: "numberFormat", sheet, address: `E2:E${last}`, format: "0.0%" },
    { kind: "numberFormat", sheet, address: `F2:${columnLetter(width - 1)}${last}`, format: "#,##0.00" },
    { kind: "freezeHeader", sheet },
    ...(rows.length ? [{ kind: "chart" as const, sheet, type: "columnClustered" as const, dataAddress: `B1:D${rows.length + 1}`, title: lang === "zh" ? "应回款与已回款" : "Due and collected", anchor: `${columnLetter(width + 1)}2` }] : []),
  ];
}
