import { Badge, Button, Dropdown, Field, Option, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { useState } from "react";
import { columnLetter, type TableData, type TableRef } from "../../workbook/port.js";
import {
  GRADE_INPUTS,
  applyGradeMapping,
  computeGrades,
  gradeOps,
  gradeSummary,
  readGradingTable,
  type GradeColumns,
  type GradeInput,
  type GradeMapping,
  type GradedRow,
  type WriteMode,
} from "../logic/grade.js";
import { usePane } from "../context.js";
import { ModePicker, NeedWorkbook, Notice, SheetPicker } from "../components/common.js";

const NONE = "-";

/** Grade accounts: value, grade, class and ABC from the sheet's columns, as values or live formulas. */
export default function Grade() {
  const { t, lang, port, host, touched } = usePane();
  const [sheet, setSheet] = useState<string>();
  const [ref, setRef] = useState<TableRef>();
  const [table, setTable] = useState<TableData>();
  const [detected, setDetected] = useState<GradeColumns>();
  const [mapping, setMapping] = useState<GradeMapping>({});
  const [mode, setMode] = useState<WriteMode>(host === "excel" ? "formulas" : "values");
  const [msg, setMsg] = useState<{ intent: "success" | "error" | "warning"; text: string }>();
  const cols = table && detected ? applyGradeMapping(table.header, detected, mapping) : undefined;
  const results: GradedRow[] = table && cols ? computeGrades(table, cols, lang) : [];
  const detect = async (r: TableRef | undefined = ref) => {
    if (!port || !r) return;
    const read = await readGradingTable(port, r);
    if (!read) return setMsg({ intent: "error", text: t("noWorkbook") });
    setTable(read.table); setDetected(read.columns); setMapping({}); setMsg(undefined);
  };
  const write = async () => {
    if (!port || !table || !cols) return;
    await port.apply(gradeOps(table, cols, results, mode, lang));
    touched();
    // Rows that failed are said, with how many: never a plain success over rows left ungraded.
    const s = gradeSummary(results);
    const parts = [`${t("gradeWritten")}: ${s.graded} ${t("gradeRowsGraded")}`];
    if (s.failed) parts.push(`${s.failed} ${t("gradeRowsFailed")}`);
    if (s.skipped) parts.push(`${s.skipped} ${t("gradeRowsSkipped")}`);
    setMsg({ intent: s.failed ? "warning" : "success", text: parts.join(lang === "zh" ? "；" : "; ") });
  };
  const columnName = (c: number) => `${table ? columnLetter(table.col + c) : ""} · ${table?.header[c] ?? ""}`;
  const pick = (k: GradeInput, v: string | undefined) => setMapping((m) => ({ ...m, [k]: v === undefined || v === NONE ? null : Number(v) }));
  const nameCol = table?.header.findIndex((h) => /名称|客户|name|account/i.test(h)) ?? -1;
  const shown = results.map((r, i) => ({ r, i })).filter((x) => !x.r.skipped).slice(0, 10);
  return (
    <section aria-label={t("tabGrade")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedWorkbook />
      <SheetPicker value={sheet} onChange={(s) => { setSheet(s); setRef({ sheet: s }); void detect({ sheet: s }); }} />
      {host === "excel" && <Button size="small" onClick={() => void port?.selection().then((r) => { setRef(r); void detect(r); })}>{t("useSelection")}</Button>}
      <Button disabled={!ref} onClick={() => void detect()} data-testid="detect">{t("detect")}</Button>
      {cols && (
        <div data-testid="grade-columns" style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
          {GRADE_INPUTS.filter((d) => cols.found[d.id] !== undefined).map((d) => <Badge key={d.id} color="success" appearance="tint">{t("found")}: {d.label[lang]}</Badge>)}
          {GRADE_INPUTS.filter((d) => cols.missingFactors.includes(d.id as never)).map((d) => <Badge key={d.id} color="danger" appearance="tint">{t("missing")}: {d.label[lang]}</Badge>)}
        </div>
      )}
      {cols && table && (
        <details open data-testid="grade-mapping">
          <summary>{t("gradeMapping")}</summary>
          <div style={{ display: "flex", flexDirection: "column", gap: 4, marginTop: 4 }}>
            {GRADE_INPUTS.map((d) => {
              const c = cols.found[d.id];
              return (
                <Field key={d.id} label={d.label[lang]} orientation="horizontal" size="small">
                  <Dropdown
                    size="small"
                    style={{ minWidth: 0, maxWidth: 170 }}
                    value={c === undefined ? t("notInSheet") : columnName(c)}
                    selectedOptions={[c === undefined ? NONE : String(c)]}
                    onOptionSelect={(_, o) => pick(d.id, o.optionValue)}
                    data-testid={`map-${d.id}`}
                  >
                    <Option value={NONE}>{t("notInSheet")}</Option>
                    {table.header.map((h, i) => (h ? <Option key={i} value={String(i)}>{columnName(i)}</Option> : null))}
                  </Dropdown>
                </Field>
              );
            })}
          </div>
        </details>
      )}
      {cols && !cols.canValue && <Notice intent="warning" text={t("valueNeedsFactors")} />}
      {table && shown.length > 0 && (
        <Table size="extra-small" aria-label={t("previewRows")} data-testid="grade-preview">
          <TableHeader><TableRow><TableHeaderCell>#</TableHeaderCell><TableHeaderCell>{lang === "zh" ? "价值分" : "Value"}</TableHeaderCell><TableHeaderCell>{lang === "zh" ? "等级" : "Grade"}</TableHeaderCell><TableHeaderCell>ABC</TableHeaderCell></TableRow></TableHeader>
          <TableBody>
            {shown.map(({ r, i }) => (
              <TableRow key={i}>
                <TableCell>{nameCol >= 0 ? String(table.rows[i]?.[nameCol] ?? "") : i + 1}</TableCell>
                <TableCell>{r.error ?? (r.value === undefined ? "" : r.value.toFixed(2))}</TableCell>
                <TableCell>{r.grade ?? ""}</TableCell>
                <TableCell>{r.abc ?? ""}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <ModePicker mode={mode} setMode={setMode} />
      <Button appearance="primary" disabled={!cols || (!cols.canValue && !cols.canAbc && !cols.canClass)} onClick={() => void write()} data-testid="write-grades">{t("writeGrades")}</Button>
      {msg && <div data-testid="grade-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.text} /></div>}
      <Text size={200}>{t("gradeRules")}</Text>
    </section>
  );
}
