import { Button, Dropdown, Field, Option, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { useState } from "react";
import { isManager, parsePeriod } from "../../../../shared/src/index.js";
import { describeApiError } from "../../api/client.js";
import { archiveFigures, buildScorecard, DIRECTOR_LAYOUT, managerFigures, MANAGER_LAYOUT, modelOf, SCORECARD_LAYOUTS, scorecardSheetName, type ContractFigure, type ScorecardRow } from "../logic/scorecard.js";
import type { WriteMode } from "../logic/grade.js";
import { usePane } from "../context.js";
import { ModePicker, NeedSignIn, NeedWorkbook, Notice } from "../components/common.js";
import { NamePicker, PeriodPicker, defaultPeriod, teamChoices, teamName, useDirectory } from "../components/Pickers.js";

/** The team picker's choice for every team. */
const ALL_TEAMS = "*";

/**
 * Scorecard. Targets = effective manager targets; actuals = contracts signed in the period. The
 * team and period are picked by name; building waits for the user directory (a scorecard built
 * before it has arrived would have no managers in it).
 */
export default function Scorecard() {
  const { t, lang, port, client, session, host, touched } = usePane();
  const dir = useDirectory();
  // Scorecards default to the last quarter that has ended.
  const [period, setPeriod] = useState(() => defaultPeriod("lastComplete"));
  const [team, setTeam] = useState("");
  const [layout, setLayout] = useState(MANAGER_LAYOUT);
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<WriteMode>(host === "excel" ? "formulas" : "values");
  const [rows, setRows] = useState<ScorecardRow[]>([]);
  const [msg, setMsg] = useState<{ intent: "success" | "error" | "warning"; text: string }>();
  const users = dir.loaded && !dir.error ? dir.users : undefined;
  const build = async () => {
    if (!port || !users) return;
    const p = parsePeriod(period);
    if (!p.ok) return setMsg({ intent: "error", text: p.error.message[lang] });
    const managers = users.filter((u) => isManager(u) && (!team || u.team === team));
    // An empty scorecard is never a result: nothing is written and the user is told why.
    if (managers.length === 0) {
      setRows([]);
      const which = !team ? "" : lang === "zh" ? `（${t("team")}：${teamName(dir, team)}）` : ` (${t("team")}: ${teamName(dir, team)})`;
      return setMsg({ intent: "error", text: `${t("scorecardNoManagers")}${which}` });
    }
    const notes: string[] = [];
    // Figures from the store; a route that is not there yet leaves its columns for typing.
    const [accounts, contracts, targets] = await Promise.all([client.accounts(), client.listAll<ContractFigure>("/v1/contracts"), client.targets({ period: p.value.id, level: "manager" })]);
    if (!accounts.ok) notes.push(describeApiError(accounts.error, lang));
    if (!contracts.ok) notes.push(describeApiError(contracts.error, lang));
    if (!targets.ok) notes.push(describeApiError(targets.error, lang));
    const ownerOf = new Map((accounts.ok ? accounts.value : []).map((a) => [a.id, a.owner]));
    const sales = managerFigures(managers, contracts.ok ? contracts.value : undefined, (id) => ownerOf.get(id), targets.ok ? targets.value : undefined, p.value);
    // The KPI model takes archive completeness from the store's accounts (none readable: typed).
    const archive = layout === DIRECTOR_LAYOUT && accounts.ok ? archiveFigures(accounts.value) : new Map<string, number>();
    const figures = sales.map((f) => {
      const archiveCompleteness = archive.get(f.id);
      return archiveCompleteness === undefined ? f : { ...f, archiveCompleteness };
    });
    const r = await buildScorecard(port, figures, p.value.id, mode, lang, layout);
    setRows(r);
    touched();
    setMsg({ intent: notes.length ? "warning" : "success", text: `${t("scorecardBuilt")}: ${scorecardSheetName(p.value.id, lang, layout)} (${r.length})${notes.length ? " · " + notes.join("; ") : ""}` });
  };
  return (
    <section aria-label={t("tabScorecard")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedSignIn />
      <NeedWorkbook />
      <PeriodPicker value={period} onChange={(p) => { setPeriod(p); setMsg(undefined); }} testId="scorecard-period" quartersOnly />
      <NamePicker
        label={t("team")}
        choices={[{ id: ALL_TEAMS, label: t("allTeams") }, ...teamChoices(dir)]}
        value={[team || ALL_TEAMS]}
        onChange={(ids) => { setTeam(ids[0] === ALL_TEAMS ? "" : (ids[0] ?? "")); setMsg(undefined); }}
        testId="scorecard-team"
      />
      <Field label={t("scorecardModel")}>
        <Dropdown
          value={modelOf(layout).name[lang]}
          selectedOptions={[layout.model]}
          onOptionSelect={(_, d) => setLayout(SCORECARD_LAYOUTS.find((l) => l.model === d.optionValue) ?? MANAGER_LAYOUT)}
          data-testid="scorecard-model"
        >
          {SCORECARD_LAYOUTS.map((l) => <Option key={l.model} value={l.model}>{modelOf(l).name[lang]}</Option>)}
        </Dropdown>
      </Field>
      <ModePicker mode={mode} setMode={setMode} />
      {session && !dir.loaded && <Spinner size="tiny" label={t("directoryLoading")} data-testid="directory-loading" />}
      {session && dir.loaded && dir.error && (
        <>
          <Notice intent="error" text={`${t("directoryFailed")}: ${dir.error}`} />
          <Button size="small" style={{ alignSelf: "flex-start", minWidth: 0 }} onClick={() => dir.reload?.()} aria-label={t("refresh")}>↻ {t("refresh")}</Button>
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
          <TableHeader><TableRow><TableHeaderCell>{t("manager")}</TableHeaderCell><TableHeaderCell>{t("scorecardTotal")}</TableHeaderCell><TableHeaderCell>{t("scorecardTier")}</TableHeaderCell></TableRow></TableHeader>
          <TableBody>{rows.map((r) => <TableRow key={r.id}><TableCell>{r.name}</TableCell><TableCell>{r.total ?? r.error}</TableCell><TableCell>{r.tier ?? ""}{r.warning ? " ⚠" : ""}</TableCell></TableRow>)}</TableBody>
        </Table>
      )}
    </section>
  );
}
