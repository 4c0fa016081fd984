import type { Bilingual, Lang } from "../../../../shared/src/errors.js";
import { HEALTH_STATUS_LABELS, type HealthResult, type HealthStatus } from "../../../../shared/src/health/health.js";
import type { HealthItem } from "../../../../shared/src/schemas/health.js";

/** R/A/G fills and text colours the pane and the sheets use (status and support colours). */
export const RAG_COLOURS: Readonly<Record<HealthStatus, { fill: string; font: string }>> = {
  R: { fill: "#F4B6B6", font: "#8A1C1C" },
  A: { fill: "#FFE08A", font: "#6B4E00" },
  G: { fill: "#B7E1B0", font: "#1E5A16" },
};

export interface HealthRow {
  accountId: string;
  name: string;
  score: number | undefined;
  status: HealthStatus | undefined;
  /** "G 绿" / "G Green". */
  statusLabel: string;
  /** The plan for the deal status, then the factor to work on. */
  next: string;
  /** The explanation as list lines (factors, what is left out, the cap), or the error. */
  explanation: string[];
}

/** The health list as the page shows it: lowest score first (the API's order), errors last. */
export function healthRows(items: readonly HealthItem[], lang: Lang): HealthRow[] {
  const rows = items.map((i): HealthRow => {
    const name = i.accountName || i.accountId;
    if ("error" in i) {
      return { accountId: i.accountId, name, score: undefined, status: undefined, statusLabel: i.error.code, next: "", explanation: [i.error.field ? `${i.error.field}: ${i.error.message}` : i.error.message] };
    }
    const sep = lang === "zh" ? "；" : "; ";
    return {
      accountId: i.accountId,
      name,
      score: i.score,
      status: i.status,
      statusLabel: `${i.status} ${HEALTH_STATUS_LABELS[i.status][lang]}`,
      next: i.nextStep.focus ? `${i.nextStep.plan[lang]}${sep}${i.nextStep.focus[lang]}` : i.nextStep.plan[lang],
      explanation: explanationLines(i, lang),
    };
  });
  return [...rows.filter((r) => r.score !== undefined), ...rows.filter((r) => r.score === undefined)];
}

/**
 * The explanation as list lines: one per factor with data (points of its rescaled maximum and what
 * they were made of), then what was left out and the status cap — the explanation's own lines
 * without its head (score, status) and its last line (the next step, shown apart).
 */
function explanationLines(h: HealthResult & { explanation: Bilingual }, lang: Lang): string[] {
  const factors = h.factors
    .filter((f) => !f.missing)
    .map((f) => `${f.label[lang]} ${f.points.toFixed(1)}/${f.maxPoints.toFixed(1)}${lang === "zh" ? "：" : ": "}${f.detail[lang]}`);
  const rest = h.explanation[lang].split("\n").slice(2, -1);
  return [...factors, ...rest];
}

/** Counts per status, for the page's summary line. */
export function ragCounts(rows: readonly HealthRow[]): Record<HealthStatus, number> {
  const out: Record<HealthStatus, number> = { R: 0, A: 0, G: 0 };
  for (const r of rows) if (r.status) out[r.status]++;
  return out;
}
