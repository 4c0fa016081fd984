import { Button, Text } from "@fluentui/react-components";
import { useState } from "react";
import type { XlsxWorkbook } from "../../workbook/xlsx.js";
import { usePane } from "../context.js";
import { NeedWorkbook, Notice } from "../components/common.js";
import type { SharePlan } from "../logic/share.js";

/**
 * Prepare for sharing: list what a share-safe copy leaves out (personal columns, the hidden sync
 * state, store formulas → values) and what exceljs drops, then write the copy — a download in
 * preview mode, a new workbook in Excel.
 */
export default function Share() {
  const { t, host, port } = usePane();
  const [checked, setChecked] = useState<{ bytes: Uint8Array; plan: SharePlan; dropped: string[] }>();
  const [msg, setMsg] = useState<{ intent: "success" | "error"; text: string }>();
  const [busy, setBusy] = useState(false);

  const fileBytes = async (): Promise<{ bytes: Uint8Array; dropped: string[] }> => {
    const { shareDropped } = await import("../logic/share.js");
    if (host === "excel") {
      const { readDocumentFile } = await import("../../workbook/officeFile.js");
      const bytes = await readDocumentFile();
      return { bytes, dropped: shareDropped(bytes) };
    }
    const x = port as XlsxWorkbook;
    return { bytes: new Uint8Array(await x.save()), dropped: [...x.dropped] };
  };

  const check = async () => {
    setBusy(true);
    setMsg(undefined);
    try {
      const ExcelJS = (await import("exceljs")).default;
      const { planShareSafe } = await import("../logic/share.js");
      const f = await fileBytes();
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(f.bytes as unknown as ArrayBuffer);
      setChecked({ bytes: f.bytes, plan: planShareSafe(wb), dropped: f.dropped });
    } catch (e) {
      setMsg({ intent: "error", text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  const write = async () => {
    if (!checked) return;
    setBusy(true);
    try {
      const { shareSafeCopy } = await import("../logic/share.js");
      const { bytes } = await shareSafeCopy(checked.bytes);
      if (host === "excel") {
        const { openAsNewWorkbook } = await import("../../workbook/officeFile.js");
        await openAsNewWorkbook(bytes);
      } else {
        const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = "kam-share.xlsx";
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
      setMsg({ intent: "success", text: t("shareDone") });
    } catch (e) {
      setMsg({ intent: "error", text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  const p = checked?.plan;
  const nothing = p && p.personal.every((x) => x.values === 0) && p.hiddenSheets.length === 0 && p.formulas.length === 0;
  return (
    <section aria-label={t("tabShare")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedWorkbook />
      <Text size={200}>{t("shareRule")}</Text>
      <Button disabled={!port || busy} onClick={() => void check()} data-testid="share-check">{t("shareCheck")}</Button>
      {p && (
        <div data-testid="share-plan" style={{ display: "flex", flexDirection: "column", gap: 4 }}>
          <Text weight="semibold">{t("shareWillRemove")}</Text>
          <ul style={{ margin: 0, paddingInlineStart: 16 }}>
            {p.personal.filter((x) => x.values > 0).map((x) => (
              <li key={`${x.sheet}!${x.column}`} data-testid="share-personal"><Text size={200}>{t("sharePersonal")}{x.sheet}!{x.column} “{x.header}” — {x.values} {t("shareValues")}</Text></li>
            ))}
            {p.hiddenSheets.map((s) => <li key={s} data-testid="share-hidden"><Text size={200}>{t("shareHidden")}{s}</Text></li>)}
            {p.formulas.map((f) => <li key={f.sheet} data-testid="share-formulas"><Text size={200}>{t("shareFormulas")}{f.sheet} — {f.count}</Text></li>)}
            {p.formulasWithoutValue > 0 && <li><Text size={200}>{t("shareNoValue")}{p.formulasWithoutValue}</Text></li>}
            {nothing && <li><Text size={200}>{t("shareNothing")}</Text></li>}
          </ul>
          <Notice intent="warning" text={`${t("shareDropWarning")}${checked.dropped.length ? ` (${checked.dropped.join(", ")})` : ""}`} />
          <Button appearance="primary" disabled={busy} onClick={() => void write()} data-testid="share-write">{t(host === "excel" ? "shareOpen" : "shareDownload")}</Button>
        </div>
      )}
      {msg && <div data-testid="share-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.text} /></div>}
    </section>
  );
}
