import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Badge, Button, Spinner, Text } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { describeApiError } from "../../api/client.js";
import { usePane } from "../context.js";
import { NeedSignIn, Notice } from "../components/common.js";
import { ArchiveReview } from "../components/ArchiveReview.js";
import { NamePicker, teamChoices, useDirectory, userChoices, type Choice } from "../components/Pickers.js";
import { healthRows, ragCounts, RAG_COLOURS, type HealthRow } from "../logic/health.js";
import type { HealthItem } from "../../../../shared/src/schemas/health.js";

/** Account health: the caller's accounts by health (lowest first) with R/A/G, the explanation and what to do next. */
export default function Health() {
  const { t, lang, client, session } = usePane();
  const dir = useDirectory();
  const [scope, setScope] = useState("*");
  // The scope is picked by name: all accounts, a team, or a manager (sent as the scope syntax).
  const scopes: Choice[] = [
    { id: "*", label: t("scopeAll") },
    ...teamChoices(dir).map((c) => ({ id: `team:${c.id}`, label: `${t("team")} ${c.label}` })),
    ...userChoices(dir, "manager").map((c) => ({ id: `owner:${c.id}`, label: `${t("manager")} ${c.label}` })),
  ];
  const [items, setItems] = useState<HealthItem[]>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const load = async () => {
    setBusy(true);
    setError(undefined);
    const r = await client.checked((c) => c.healthList, "GET", `/v1/health?scope=${encodeURIComponent(scope.trim() || "*")}`);
    setBusy(false);
    if (!r.ok) return setError(describeApiError(r.error, lang));
    setItems(r.value.items);
  };
  useEffect(() => { if (session) void load(); }, [session]);
  const rows = items ? healthRows(items, lang) : [];
  const counts = ragCounts(rows);
  return (
    <section aria-label={t("tabHealth")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedSignIn />
      <div style={{ display: "flex", gap: 4, alignItems: "end" }}>
        <div style={{ flex: 1, minWidth: 0 }}>
          <NamePicker label={t("scope")} choices={scopes} value={[scope]} onChange={(ids) => ids[0] && setScope(ids[0])} testId="health-scope" />
        </div>
        <Button appearance="primary" disabled={!session || busy} onClick={() => void load()} data-testid="health-load">{t("healthLoad")}</Button>
      </div>
      <Text size={200}>{t("healthRule")}</Text>
      {busy && <Spinner size="tiny" label={t("loading")} />}
      {error && <Notice intent="error" text={error} />}
      {items && (
        <Text data-testid="health-summary" weight="semibold">
          {rows.length} {t("healthAccounts")} · R {counts.R} · A {counts.A} · G {counts.G}
        </Text>
      )}
      {items && rows.length === 0 && <Notice intent="info" text={t("healthNone")} />}
      <Accordion multiple collapsible defaultOpenItems={rows[0] ? [rows[0].accountId] : []} key={rows.map((r) => r.accountId).join(",")} data-testid="health-list">
        {rows.map((r) => <HealthItem key={r.accountId} row={r} />)}
      </Accordion>
      <ArchiveReview />
    </section>
  );
}

function HealthItem({ row }: { row: HealthRow }) {
  const { t } = usePane();
  const colour = row.status ? RAG_COLOURS[row.status] : { fill: "#E0E0E0", font: "#424242" };
  return (
    <AccordionItem value={row.accountId} data-testid={`health-${row.accountId}`} data-status={row.status ?? ""} data-score={row.score ?? ""}>
      <AccordionHeader size="small">
        <span style={{ display: "flex", gap: 6, alignItems: "center" }}>
          <Badge shape="rounded" style={{ background: colour.fill, color: colour.font, minWidth: 64, whiteSpace: "nowrap", flexShrink: 0 }}>{row.statusLabel}</Badge>
          <Text weight="semibold">{row.score ?? "—"}</Text>
          <Text>{row.name}</Text>
        </span>
      </AccordionHeader>
      <AccordionPanel>
        {row.next && <Text block size={200} weight="semibold">{t("healthNext")}{row.next}</Text>}
        <ul style={{ margin: "4px 0", paddingInlineStart: 16 }}>
          {row.explanation.map((line, i) => <li key={i}><Text size={200}>{line}</Text></li>)}
        </ul>
      </AccordionPanel>
    </AccordionItem>
  );
}
