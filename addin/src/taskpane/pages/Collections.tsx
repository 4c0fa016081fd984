import { Button, Field, Input, Text } from "@fluentui/react-components";
import { useState } from "react";
import { parsePeriod } from "../../../../shared/src/index.js";
import { describeApiError } from "../../api/client.js";
import { collectionsOps, collectionsSheetName, type CollectionReportJson } from "../logic/collections.js";
import { usePane } from "../context.js";
import { NeedSignIn, NeedWorkbook, Notice } from "../components/common.js";

/** Collections (issue 5 §6; finance): report for a scope and period into a sheet, refreshable. */
export default function Collections() {
  const { t, lang, client, port, session, touched } = usePane();
  const [scope, setScope] = useState("*");
  const [period, setPeriod] = useState("2026-Q1");
  const [msg, setMsg] = useState<{ intent: "success" | "error"; text: string }>();
  const pull = async () => {
    if (!port) return;
    const p = parsePeriod(period);
    if (!p.ok) return setMsg({ intent: "error", text: p.error.message[lang] });
    const r = await client.collections({ scope, period: p.value.id });
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error) });
    const accounts = await client.accounts();
    const names = new Map((accounts.ok ? accounts.value : []).map((a) => [a.id, a.name]));
    await port.apply(collectionsOps(r.value as unknown as CollectionReportJson, names, scope, p.value.id, lang));
    touched();
    setMsg({ intent: "success", text: `${collectionsSheetName(p.value.id)} ✓` });
  };
  return (
    <section aria-label={t("tabCollections")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedSignIn />
      <NeedWorkbook />
      <Field label={t("scope")} hint="*, owner:<id>, team:<id>, account:<id>"><Input value={scope} onChange={(_, d) => setScope(d.value)} data-testid="collections-scope" /></Field>
      <Field label={t("period")}><Input value={period} onChange={(_, d) => setPeriod(d.value)} data-testid="collections-period" /></Field>
      <Button appearance="primary" disabled={!port || !session} onClick={() => void pull()} data-testid="pull-report">{t("pullReport")}</Button>
      <Text size={200}>{t("collectionRule")}</Text>
      {msg && <div data-testid="collections-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.text} /></div>}
    </section>
  );
}
