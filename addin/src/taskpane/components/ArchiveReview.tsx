import { Badge, Button, Spinner, Text } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { describeApiError } from "../../api/client.js";
import { usePane } from "../context.js";
import { afterReview, reviewRows, type ReviewAccount } from "../logic/archive.js";
import { tf } from "../i18n.js";
import { Notice } from "./common.js";

/**
 * Archive review (档案复核): the caller's accounts with a "review due" badge on stale archives and an
 * "archive reviewed" button each; the store sets the review date, and the badge goes.
 */
export function ArchiveReview() {
  const { t, lang, client, session } = usePane();
  const [accounts, setAccounts] = useState<ReviewAccount[]>();
  const [busy, setBusy] = useState<string>();
  // A review done is told in the pane's language at the time it is shown (the switch re-renders it).
  const [msg, setMsg] = useState<{ intent: "error"; text: string } | { intent: "success"; name: string; date: string }>();
  const load = async () => {
    setBusy("*");
    setMsg(undefined);
    const r = await client.accounts();
    setBusy(undefined);
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error, lang) });
    setAccounts(r.value.filter((a) => !a.deleted).map((a) => ({ id: a.id, name: a.name, lastReviewed: (a as { lastReviewed?: string }).lastReviewed ?? null })));
  };
  useEffect(() => { if (session) void load(); }, [session]);
  const review = async (id: string, name: string) => {
    setBusy(id);
    setMsg(undefined);
    const r = await client.reviewAccount(id);
    setBusy(undefined);
    if (!r.ok) return setMsg({ intent: "error", text: `${name}: ${describeApiError(r.error, lang)}` });
    setAccounts((list) => afterReview(list ?? [], { id, lastReviewed: r.value.lastReviewed ?? null }));
    setMsg({ intent: "success", name, date: r.value.lastReviewed ?? "" });
  };
  const rows = accounts ? reviewRows(accounts) : [];
  const due = rows.filter((r) => r.stale).length;
  return (
    <section aria-label={t("archiveTitle")} data-testid="archive-review" style={{ display: "flex", flexDirection: "column", gap: 4 }}>
      <div style={{ display: "flex", gap: 4, alignItems: "center", justifyContent: "space-between" }}>
        <Text weight="semibold">{t("archiveTitle")}</Text>
        <Button size="small" disabled={!session || busy !== undefined} onClick={() => void load()} data-testid="archive-load">{t("archiveLoad")}</Button>
      </div>
      <Text size={200}>{t("archiveRule")}</Text>
      {busy === "*" && <Spinner size="tiny" label={t("loading")} />}
      {msg && <div data-testid="archive-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.intent === "error" ? msg.text : tf("archiveDone", lang, { name: msg.name, date: msg.date })} /></div>}
      {accounts && <Text data-testid="archive-summary" data-due={due}>{tf("archiveStaleCount", lang, { n: due, total: rows.length })}</Text>}
      <ul style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: 2 }}>
        {rows.map((r) => (
          <li key={r.id} data-testid={`archive-${r.id}`} data-stale={String(r.stale)} style={{ display: "flex", gap: 6, alignItems: "center" }}>
            {r.stale && <Badge shape="rounded" color="warning" data-testid={`archive-badge-${r.id}`} style={{ flexShrink: 0 }}>{t("archiveStale")}</Badge>}
            <Text size={200} style={{ flex: 1 }}>
              {r.name} · {r.lastReviewed ? tf("archiveLast", lang, { date: r.lastReviewed }) : t("archiveNever")}
            </Text>
            {r.stale && (
              <Button size="small" disabled={busy !== undefined} onClick={() => void review(r.id, r.name)} data-testid={`archive-reviewed-${r.id}`}>
                {t("archiveReviewed")}
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
