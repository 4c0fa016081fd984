import { Badge, Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { useState } from "react";
import { VALUE_FACTOR_LABELS } from "../../../../shared/src/index.js";
import type { TableData, TableRef } from "../../workbook/port.js";
import { computeGrades, detectGradeColumns, gradeOps, type GradeColumns, type GradedRow, type WriteMode } from "../logic/grade.js";
import { usePane } from "../context.js";
import { ModePicker, NeedWorkbook, Notice, SheetPicker } from "../components/common.js";

/** Grade accounts (issue 5 §2). */
export default function Grade() {
  const { t, lang, port, host, touched } = usePane();
  const [sheet, setSheet] = useState<string>();
  const [ref, setRef] = useState<TableRef>();
  const [table, setTable] = useState<TableData>();
  const [cols, setCols] = useState<GradeColumns>();
  const [results, setResults] = useState<GradedRow[]>([]);
  const [mode, setMode] = useState<WriteMode>(host === "excel" ? "formulas" : "values");
  const [msg, setMsg] = useState<{ intent: "success" | "error"; text: string }>();
  const detect = async (r: TableRef | undefined = ref) => {
    if (!port || !r) return;
    const read = await port.read({ tables: [r] });
    const tbl = read.tables[0];
    if (!tbl) return setMsg({ intent: "error", text: t("noWorkbook") });
    const c = detectGradeColumns(tbl.header);
    setTable(tbl); setCols(c); setResults(computeGrades(tbl, c, lang)); setMsg(undefined);
  };
  const write = async () => {
    if (!port || !table || !cols) return;
    await port.apply(gradeOps(table, cols, results, mode, lang));
    touched();
    setMsg({ intent: "success", text: `${t("gradeWritten")}: ${table.rows.length}` });
  };
  const nameCol = table?.header.findIndex((h) => /名称|客户|name|account/i.test(h)) ?? -1;
  return (
    <section aria-label={t("tabGrade")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedWorkbook />
      <SheetPicker value={sheet} onChange={(s) => { setSheet(s); setRef({ sheet: s }); void detect({ sheet: s }); }} />
      {host === "excel" && <Button size="small" onClick={() => void port?.selection().then((r) => { setRef(r); void detect(r); })}>{t("useSelection")}</Button>}
      <Button disabled={!ref} onClick={() => void detect()} data-testid="detect">{t("detect")}</Button>
      {cols && (
        <div data-testid="grade-columns" style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
          {Object.keys(cols.found).map((k) => <Badge key={k} color="success" appearance="tint">{t("found")}: {(VALUE_FACTOR_LABELS as Record<string, { zh: string; en: string }>)[k]?.[lang] ?? k}</Badge>)}
          {cols.missingFactors.map((k) => <Badge key={k} color="danger" appearance="tint">{t("missing")}: {VALUE_FACTOR_LABELS[k][lang]}</Badge>)}
        </div>
      )}
      {cols && !cols.canValue && <Notice intent="warning" text={t("valueNeedsFactors")} />}
      {table && results.length > 0 && (
        <Table size="extra-small" aria-label={t("previewRows")} data-testid="grade-preview">
          <TableHeader><TableRow><TableHeaderCell>#</TableHeaderCell><TableHeaderCell>{lang === "zh" ? "价值分" : "Value"}</TableHeaderCell><TableHeaderCell>{lang === "zh" ? "等级" : "Grade"}</TableHeaderCell><TableHeaderCell>ABC</TableHeaderCell></TableRow></TableHeader>
          <TableBody>
            {results.slice(0, 10).map((r, i) => (
              <TableRow key={i}>
                <TableCell>{nameCol >= 0 ? String(table.rows[i]![nameCol] ?? "") : i + 1}</TableCell>
                <TableCell>{r.value ?? r.error ?? ""}</TableCell>
                <TableCell>{r.grade ?? ""}</TableCell>
                <TableCell>{r.abc ?? ""}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <ModePicker mode={mode} setMode={setMode} />
      <Button appearance="primary" disabled={!cols || (!cols.canValue && !cols.canAbc)} onClick={() => void write()} data-testid="write-grades">{t("writeGrades")}</Button>
      {msg && <Notice intent={msg.intent} text={msg.text} />}
      <Text size={200}>{lang === "zh" ? "DOMAIN §3.2：A ≥ 75，B ≥ 55，C ≥ 35，否则 D；§3.3 ABC 80/95。" : "DOMAIN §3.2: A ≥ 75, B ≥ 55, C ≥ 35, else D; §3.3 ABC 80/95."}</Text>
    </section>
  );
}
