import { Dropdown, Field, Option, Radio, RadioGroup, Button } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { usePane } from "../context.js";
import type { SheetInfo } from "../../workbook/port.js";
import type { WriteMode } from "../logic/grade.js";
import { Notice } from "./Notice.js";

export { Notice };

/** A sheet picker over the port's visible sheets. */
export function SheetPicker({ value, onChange, label }: { value: string | undefined; onChange: (s: string) => void; label?: string }) {
  const { port, t } = usePane();
  const [sheets, setSheets] = useState<SheetInfo[]>([]);
  const load = () => void port?.listSheets().then(setSheets);
  useEffect(load, [port]);
  return (
    // At 320 px the picker shrinks (Fluent's Dropdown and Button have wide minimum widths) so the
    // ↻ button stays inside the pane.
    <div style={{ display: "flex", gap: 4, alignItems: "end", minWidth: 0 }}>
      <Field label={label ?? t("sheet")} style={{ flex: 1, minWidth: 0 }}>
        <Dropdown data-testid="sheet-picker" style={{ minWidth: 0, width: "100%" }} button={{ style: { minWidth: 0 } }} value={value ?? ""} selectedOptions={value ? [value] : []} onOptionSelect={(_, d) => d.optionValue && onChange(d.optionValue)} onClick={load}>
          {sheets.map((s) => (
            <Option key={s.name} value={s.name}>{s.name}</Option>
          ))}
        </Dropdown>
      </Field>
      <Button size="small" style={{ minWidth: 32, flexShrink: 0 }} onClick={load} aria-label={t("refresh")} data-testid="sheet-refresh">↻</Button>
    </div>
  );
}

export function ModePicker({ mode, setMode }: { mode: WriteMode; setMode: (m: WriteMode) => void }) {
  const { t } = usePane();
  return (
    <Field label={t("writeAs")}>
      <RadioGroup layout="horizontal" value={mode} onChange={(_, d) => setMode(d.value as WriteMode)}>
        <Radio value="values" label={t("asValues")} />
        <Radio value="formulas" label={t("asFormulas")} />
      </RadioGroup>
    </Field>
  );
}

export function NeedWorkbook() {
  const { port, t } = usePane();
  return port ? null : <Notice intent="info" text={t("noWorkbook")} />;
}

export function NeedSignIn() {
  const { session, t } = usePane();
  return session ? null : <Notice intent="warning" text={t("notSignedIn")} />;
}
