import { Button, Dropdown, Field, Input, Option, Text } from "@fluentui/react-components";
import { useState } from "react";
import { collectionsViewOf, parseCollectionScope, periodLabel, resolveScopeNames, scopeLabel, type CollectionScope } from "../../../../shared/src/index.js";
import { describeApiError } from "../../api/client.js";
import { collectionsOps, collectionsSheetName, type CollectionReportJson } from "../logic/collections.js";
import { usePane } from "../context.js";
import { principalOf } from "../principal.js";
import { NeedSignIn, NeedWorkbook, Notice } from "../components/common.js";
import { PeriodPicker, TeamPicker, UserPicker, defaultPeriod, useDirectory } from "../components/Pickers.js";

type ScopeKind = "all" | "team" | "owner" | "typed";
type Msg = { intent: "success" | "error" | "warning"; text: string };

/**
 * Collections (finance, directors; a manager their own accounts): the report of a scope and a
 * period written into a sheet, refreshable. The scope is picked by name (all accounts, a team, a
 * manager) or typed (`owner:李明`, `team:华东`, `account:A-001`, an account name), names resolved by
 * the shared rule; an unknown or empty scope says so and writes nothing.
 */
export default function Collections() {
  const { t, lang, client, port, session, touched } = usePane();
  const dir = useDirectory();
  // A manager who reads their own accounts only starts from their own scope.
  const manager = collectionsViewOf(principalOf(session)) === "own";
  const [kind, setKind] = useState<ScopeKind>(manager ? "owner" : "all");
  const [team, setTeam] = useState<string[]>([]);
  const [owner, setOwner] = useState<string[]>(manager && session?.user ? [session.user.id] : []);
  const [typed, setTyped] = useState("");
  const [period, setPeriod] = useState(() => defaultPeriod("lastComplete"));
  const [msg, setMsg] = useState<Msg>();
  const [busy, setBusy] = useState(false);

  /** The scope to send, names resolved; or the message saying why there is none. */
  const chosenScope = (): { scope: CollectionScope; text: string } | { error: string } => {
    if (kind === "all") return { scope: { kind: "all" }, text: "*" };
    if (kind === "team") return team[0] ? { scope: { kind: "team", id: team[0] }, text: `team:${team[0]}` } : { error: t("pickTeam") };
    if (kind === "owner") return owner[0] ? { scope: { kind: "owner", id: owner[0] }, text: `owner:${owner[0]}` } : { error: t("pickManager") };
    const parsed = parseCollectionScope(typed);
    if (!parsed) return { error: `${t("scope")}: ${t("scopeTypedHint")}` };
    // The server resolves names by the same rule against the current directory (this page's copy
    // may be older), so the typed text goes as it is; the local resolution only labels the report.
    const r = resolveScopeNames(parsed, dir.users, dir.teams);
    return { scope: r.ok ? r.scope : parsed, text: typed.trim() };
  };

  const pull = async () => {
    if (!port) return;
    setMsg(undefined);
    const chosen = chosenScope();
    if ("error" in chosen) return setMsg({ intent: "error", text: chosen.error });
    setBusy(true);
    try {
      const r = await client.collections({ scope: chosen.text, period });
      if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error, lang) });
      const report = r.value as unknown as CollectionReportJson;
      const single = report.rows.length === 1 ? report.rows[0]?.accountName : undefined;
      const scopeText = scopeLabel(chosen.scope, dir.users, dir.teams, lang, single);
      if (report.rows.length === 0) return setMsg({ intent: "warning", text: `${scopeText}: ${t("scopeEmpty")}` });
      await port.apply(collectionsOps(report, new Map(), scopeText, period, periodLabel(period, lang), lang));
      touched();
      setMsg({ intent: "success", text: `${t("reportWritten")}: ${collectionsSheetName(period, lang)} · ${scopeText} · ${report.rows.length} ${t("accountsCount")}` });
    } finally {
      setBusy(false);
    }
  };

  const kinds: { id: ScopeKind; label: string }[] = [
    ...(manager ? [] : [{ id: "all" as const, label: t("scopeAll") }, { id: "team" as const, label: t("scopeTeam") }]),
    { id: "owner", label: t("scopeOwner") },
    { id: "typed", label: t("scopeTyped") },
  ];
  return (
    <section aria-label={t("tabCollections")} style={{ display: "flex", flexDirection: "column", gap: 8, minWidth: 0 }}>
      <NeedSignIn />
      <NeedWorkbook />
      {dir.error && <Notice intent="error" text={dir.error} />}
      <Field label={t("scopeKind")}>
        <Dropdown data-testid="collections-scope-kind" style={{ minWidth: 0 }} value={kinds.find((k) => k.id === kind)?.label ?? ""} selectedOptions={[kind]} onOptionSelect={(_, d) => { setKind((d.optionValue as ScopeKind) ?? "all"); setMsg(undefined); }}>
          {kinds.map((k) => <Option key={k.id} value={k.id}>{k.label}</Option>)}
        </Dropdown>
      </Field>
      {kind === "team" && <TeamPicker dir={dir} label={t("team")} value={team} onChange={setTeam} testId="collections-team" />}
      {kind === "owner" && <UserPicker dir={dir} role="manager" label={t("scopeOwner")} value={owner} onChange={setOwner} testId="collections-owner" />}
      {kind === "typed" && (
        <Field label={t("scope")} hint={t("scopeTypedHint")}>
          <Input style={{ minWidth: 0 }} value={typed} onChange={(_, d) => setTyped(d.value)} data-testid="collections-scope" />
        </Field>
      )}
      <PeriodPicker value={period} onChange={setPeriod} testId="collections-period" />
      <Button appearance="primary" disabled={!port || !session || busy} onClick={() => void pull()} data-testid="pull-report">{t("pullReport")}</Button>
      <Text size={200}>{t("collectionRule")}</Text>
      {msg && <div data-testid="collections-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.text} /></div>}
    </section>
  );
}
