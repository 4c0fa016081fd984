import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, MessageBar, MessageBarBody, Text } from "@fluentui/react-components";
import { useRef, useState } from "react";
import type { WorkbookPort } from "../../workbook/port.js";
import type { XlsxWorkbook } from "../../workbook/xlsx.js";
import { usePane as usePaneLite } from "../context.js";
import { ChartPreview } from "./ChartPreview.js";

/** Preview mode: open an .xlsx, work on it with the same pages, download it again. */
export default function PreviewBar({ port, setPort, version }: { port: XlsxWorkbook | undefined; setPort: (p: WorkbookPort) => void; version: number }) {
  const { t, lang, touched } = usePaneLite();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string>();
  const [name, setName] = useState("workbook.xlsx");
  const [confirm, setConfirm] = useState(false);
  const open = async (file: File) => {
    const { openXlsx } = await import("../../workbook/xlsx.js");
    const r = await openXlsx(await file.arrayBuffer());
    if (!r.ok) return setError(r.message);
    setError(undefined);
    setName(file.name);
    setPort(r.workbook);
    touched();
  };
  const create = async () => {
    const { newXlsx } = await import("../../workbook/xlsx.js");
    setPort(newXlsx());
    setName("kam.xlsx");
  };
  const save = async () => {
    if (!port) return;
    const buf = await port.save();
    const url = URL.createObjectURL(new Blob([buf], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setConfirm(false);
  };
  const dropped = port?.dropped ?? [];
  return (
    <section aria-label={t("preview")}>
      <Text size={200} italic>{t("preview")}{port ? ` · ${name}` : ""}</Text>
      <div style={{ display: "flex", gap: 4, flexWrap: "wrap", marginTop: 4 }}>
        <input ref={input} type="file" accept=".xlsx" aria-label={t("openWorkbook")} data-testid="open-file" style={{ display: "none" }} onChange={(e) => e.target.files?.[0] && void open(e.target.files[0])} />
        <Button size="small" onClick={() => input.current?.click()}>{t("openWorkbook")}</Button>
        <Button size="small" data-testid="new-workbook" onClick={() => void create()}>{t("newWorkbook")}</Button>
        <Button size="small" appearance="primary" disabled={!port} data-testid="download" onClick={() => (dropped.length ? setConfirm(true) : void save())}>{t("download")}</Button>
      </div>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {port && port.charts.length > 0 && <ChartPreview key={version} port={port} lang={lang} />}
      <Dialog open={confirm} onOpenChange={(_, d) => setConfirm(d.open)}>
        <DialogSurface aria-label={t("droppedWarning")}>
          <DialogBody>
            <DialogTitle>{t("download")}</DialogTitle>
            <DialogContent data-testid="dropped-warning">
              {t("droppedWarning")} {dropped.map((d) => t(d)).join(", ")}. {t("droppedHint")}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void save()}>{t("downloadAnyway")}</Button>
              <Button onClick={() => setConfirm(false)}>{t("cancel")}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}

