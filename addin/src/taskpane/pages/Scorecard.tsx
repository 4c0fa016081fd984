import { Button, Dropdown, Field, Input, Option, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { getBuiltinModel, lastCompleteQuarter, parsePeriod, type User } from "../../../../shared/src/index.js";
import { describeApiError } from "../../api/client.js";
import type { Session } from "../../api/session.js";
import { archiveFigures, buildScorecard, DIRECTOR_LAYOUT, managerFigures, MANAGER_LAYOUT, SCORECARD_LAYOUTS, scorecardSheetName, type ContractFigure, type ScorecardRow } from "../logic/scorecard.js";
import type { WriteMode } from "../logic/grade.js";
import { usePane } from "../context.js";
import { ModePicker, NeedSignIn, NeedWorkbook, Notice } from "../components/common.js";

/**
 * The user directory the scorecard's rows come from, as loaded for one session. Building waits for
 * it: a scorecard built before the directory has arrived would have no managers in it.
 */
type Directory = { status: "loading" } | { status: "loaded"; session: Session; users: User[] } | { status: "failed"; error: string };

/** Today's date where the user is, `YYYY-MM-DD`. */
function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Scorecard. Targets = effective manager targets; actuals = contracts signed in the period. */
export default function Scorecard() {
  const { t, lang, port, client, session, host, touched } = usePane();
  // Scorecards default to the last quarter that has ended.
  const [period, setPeriod] = useState(() => lastCompleteQuarter(localToday()));
  const [team, setTeam] = useState("");
  const [directory, setDirectory] = useState<Directory>({ status: "loading" });
  const [reload, setReload] = useState(0);
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<WriteMode>(host === "excel" ? "formulas" : "values");
  const [rows, setRows] = useState<ScorecardRow[]>([]);
  const [layout, setLayout] = useState(MANAGER_LAYOUT);
  const [msg, setMsg] = useState<{ intent: "success" | "error" | "warning"; text: string }>();
  useEffect(() => {
    if (!session) return;
    // A newer session (or retry) supersedes this request: its late answer is dropped.
    let current = true;
    setDirectory({ status: "loading" });
    void client.users().then((r) => {
      if (current) setDirectory(r.ok ? { status: "loaded", session, users: r.value.items } : { status: "failed", error: describeApiError(r.error) });
    });
    return () => { current = false; };
  }, [session, client, reload]);
  // A directory loaded for an earlier session does not count (the effect above replaces it).
  const users = directory.status === "loaded" && directory.session === session ? directory.users : undefined;
  const teams = [...new Set((users ?? []).map((u) => u.team).filter((x): x is string => !!x))];
  const build = async () => {
    if (!port || !users) return;
    const p = parsePeriod(period);
    if (!p.ok) return setMsg({ intent: "error", text: p.error.message[lang] });
    const managers = users.filter((u) => u.roles.includes("manager") && (!team || u.team === team));
    // An empty scorecard is never a result: nothing is written and the user is told why.
    if (managers.length === 0) {
      setRows([]);
      return setMsg({ intent: "error", text: `${t("scorecardNoManagers")}${team ? ` (${t("team")}: ${team})` : ""}` });
    }
    const notes: string[] = [];
    // Figures from the store; a route that is not there yet leaves its columns for typing.
    const [accounts, contracts, targets] = await Promise.all([client.accounts(), client.listAll<ContractFigure>("/v1/contracts"), client.targets({ period: p.value.id, level: "manager" })]);
    if (!accounts.ok) notes.push(describeApiError(accounts.error));
    if (!contracts.ok) notes.push(describeApiError(contracts.error));
    if (!targets.ok) notes.push(describeApiError(targets.error));
    const ownerOf = new Map((accounts.ok ? accounts.value : []).map((a) => [a.id, a.owner]));
    const sales = managerFigures(managers, contracts.ok ? contracts.value : undefined, (id) => ownerOf.get(id), targets.ok ? targets.value : undefined, p.value);
    // The KPI model takes archive completeness from the store's accounts (none readable: typed).
    const archive = layout === DIRECTOR_LAYOUT && accounts.ok ? archiveFigures(accounts.value) : new Map<string, number>();
    const figures = sales.map((f) => (archive.has(f.id) ? { ...f, archiveCompleteness: archive.get(f.id)! } : f));
    const r = await buildScorecard(port, figures, p.value.id, mode, lang, layout);
    setRows(r);
    touched();
    setMsg({ intent: notes.length ? "warning" : "success", text: `${t("scorecardBuilt")}: ${scorecardSheetName(p.value.id, layout)} (${r.length})${notes.length ? " · " + notes.join("; ") : ""}` });
  };
  return (
    <section aria-label={t("tabScorecard")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedSignIn />
      <NeedWorkbook />
      <Field label={t("period")}><Input value={period} onChange={(_, d) => setPeriod(d.value)} data-testid="period" /></Field>
      <Field label={t("team")}>
        <Dropdown value={team || t("allTeams")} selectedOptions={[team]} onOptionSelect={(_, d) => setTeam(d.optionValue ?? "")}>
          <Option value="">{t("allTeams")}</Option>
          {teams.map((x) => <Option key={x} value={x}>{x}</Option>)}
        </Dropdown>
      </Field>
      <Field label={t("scorecardModel")}>
        <Dropdown
          value={getBuiltinModel(layout.model)!.name[lang]}
          selectedOptions={[layout.model]}
          onOptionSelect={(_, d) => setLayout(SCORECARD_LAYOUTS.find((l) => l.model === d.optionValue) ?? MANAGER_LAYOUT)}
          data-testid="scorecard-model"
        >
          {SCORECARD_LAYOUTS.map((l) => <Option key={l.model} value={l.model}>{getBuiltinModel(l.model)!.name[lang]}</Option>)}
        </Dropdown>
      </Field>
      <ModePicker mode={mode} setMode={setMode} />
      {session && !users && directory.status !== "failed" && <Spinner size="tiny" label={t("directoryLoading")} data-testid="directory-loading" />}
      {session && directory.status === "failed" && (
        <>
          <Notice intent="error" text={`${t("directoryFailed")}: ${directory.error}`} />
          <Button size="small" onClick={() => setReload((n) => n + 1)} aria-label={t("refresh")}>↻</Button>
        </>
      )}
      <Button
        appearance="primary"
        disabled={!port || !users || busy}
        onClick={() => { setBusy(true); void build().finally(() => setBusy(false)); }}
        data-testid="build-scorecard"
      >{t("buildScorecard")}</Button>
      <Text size={200}>{t("scorecardHint")}</Text>
      {msg && <div data-testid="scorecard-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.text} /></div>}
      {rows.length > 0 && (
        <Table size="extra-small" aria-label={t("tabScorecard")}>
          <TableHeader><TableRow><TableHeaderCell>{lang === "zh" ? "经理" : "Manager"}</TableHeaderCell><TableHeaderCell>{lang === "zh" ? "总分" : "Total"}</TableHeaderCell><TableHeaderCell>{lang === "zh" ? "档次" : "Tier"}</TableHeaderCell></TableRow></TableHeader>
          <TableBody>{rows.map((r) => <TableRow key={r.id}><TableCell>{r.name}</TableCell><TableCell>{r.total ?? r.error}</TableCell><TableCell>{r.tier ?? ""}{r.warning ? " ⚠" : ""}</TableCell></TableRow>)}</TableBody>
        </Table>
      )}
    </section>
  );
}
