import { Text } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import type { Lang } from "../../../../shared/src/index.js";
import type { XlsxWorkbook } from "../../workbook/xlsx.js";
import { parseAddress } from "../../workbook/port.js";
import { t } from "../i18n.js";

/**
 * Preview mode cannot write charts into the file (exceljs), so the pane draws the requested ones
 * (docs/contracts.md §12): a plain SVG bar chart of the first value column.
 */
export function ChartPreview({ port, lang }: { port: XlsxWorkbook; lang: Lang }) {
  const [data, setData] = useState<{ title: string; bars: { label: string; value: number }[] }[]>([]);
  useEffect(() => {
    void (async () => {
      const out: { title: string; bars: { label: string; value: number }[] }[] = [];
      for (const c of port.charts) {
        const r = await port.read({ tables: [{ sheet: c.sheet, range: c.dataAddress }] });
        const tbl = r.tables[0];
        if (!tbl) continue;
        const a = parseAddress(c.dataAddress);
        void a;
        out.push({ title: c.title, bars: tbl.rows.map((row) => ({ label: String(row[0] ?? ""), value: typeof row[1] === "number" ? row[1] : 0 })) });
      }
      setData(out);
    })();
  }, [port]);
  const fmt = new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: 2 });
  return (
    <section aria-label={t("chartsInPane", lang)} style={{ marginTop: 6 }}>
      <Text size={200} weight="semibold">{t("chartsInPane", lang)}</Text>
      {data.map((d, i) => {
        const max = Math.max(1, ...d.bars.map((b) => Math.abs(b.value)));
        const h = 16 * d.bars.length + 20;
        return (
          <figure key={i} style={{ margin: "4px 0" }}>
            <figcaption><Text size={200}>{d.title}</Text></figcaption>
            <svg width="300" height={h} role="img" aria-label={d.title}>
              {d.bars.map((b, j) => (
                <g key={j} transform={`translate(0, ${j * 16 + 4})`}>
                  <text x="0" y="11" fontSize="10">{b.label.slice(0, 12)}</text>
                  <rect x="90" y="2" height="11" width={Math.max(1, (Math.abs(b.value) / max) * 140)} fill="#0F6CBD" />
                  <text x={95 + (Math.abs(b.value) / max) * 140} y="11" fontSize="10">{fmt.format(b.value)}</text>
                </g>
              ))}
            </svg>
          </figure>
        );
      })}
    </section>
  );
}
