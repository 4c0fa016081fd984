import { Button, Card, Dropdown, Field, Input, Option, Text } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { TARGET_LEVELS, TARGET_STATUSES, ROLES, canProposeTarget, canSetTargets, periodLabel, type Principal, type Role, type TargetLevel, type TargetProposal } from "../../../../shared/src/index.js";
import { describeApiError } from "../../api/client.js";
import { rolesOf, usePane } from "../context.js";
import { principalOf } from "../principal.js";
import { NeedSignIn, Notice } from "../components/common.js";
import { PeriodPicker, TeamPicker, UserPicker, defaultPeriod, teamName, useDirectory, userName, type Directory } from "../components/Pickers.js";
import { effectiveAmount, formatTime, formatYuan, pendingChanges, proposalsOf, type ChangeView, type TargetLike } from "../logic/targets.js";

type Msg = { intent: "success" | "error" | "warning"; text: string };
/** Levels a director sets from the pane (account targets are set in the targets sheet). */
const SET_LEVELS: TargetLevel[] = ["manager", "team", "company"];

/**
 * Targets (docs/domain.md §6). Directors set targets for any period — several managers or teams at once,
 * or the company — and change them directly (`PUT /v1/targets`, approved at once), and decide
 * managers' proposals seeing who proposed what, when and why. Managers propose changes to their
 * own targets and follow their proposals' status. Every subject is picked and shown by name.
 */
export default function Targets() {
  const { t, lang, client, session } = usePane();
  const director = canSetTargets(principalOf(session));
  const dir = useDirectory();
  const me = session?.user?.id ?? "";
  const [period, setPeriod] = useState(() => defaultPeriod("current"));
  const [targets, setTargets] = useState<TargetLike[]>([]);
  const [accountNames, setAccountNames] = useState(new Map<string, string>());
  const [level, setLevel] = useState<TargetLevel>("manager");
  const [subjects, setSubjects] = useState<string[]>([]);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [proposing, setProposing] = useState<TargetLike>();
  const [msg, setMsg] = useState<Msg>();

  const load = async () => {
    const r = await client.targets({ period });
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error, lang) });
    setTargets(r.value as TargetLike[]);
    if (r.value.some((x) => x.level === "account") && accountNames.size === 0) {
      const a = await client.accounts();
      if (a.ok) setAccountNames(new Map(a.value.map((x) => [x.id, x.name])));
    }
  };
  useEffect(() => { if (session) void load(); }, [period, session?.token]);

  const subjectName = (x: { level: string; subject?: string }) => subjectLabel(x, dir, accountNames, lang);
  const amountYuan = (): number | undefined => {
    const n = Number(amount.replace(/[,，\s]/g, ""));
    return amount.trim() !== "" && Number.isFinite(n) && n >= 0 ? n : undefined;
  };

  const setDirectly = async () => {
    setMsg(undefined);
    const yuan = amountYuan();
    if (yuan === undefined) return setMsg({ intent: "error", text: t("amountInvalid") });
    const subs = level === "company" ? [undefined] : subjects;
    if (subs.length === 0) return setMsg({ intent: "error", text: t("pickSubjects") });
    const items: TargetProposal[] = subs.map((s) => ({ level, ...(s ? { subject: s } : {}), period, amountYuan: yuan, ...(reason.trim() ? { reason: reason.trim() } : {}) }));
    const r = await client.putTargets(items);
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error, lang) });
    const bad = r.value.items.map((x, i) => ({ x, s: items[i]! })).filter(({ x }) => x.status !== "created" && x.status !== "updated");
    const ok = items.filter((_, i) => !bad.some((b) => b.s === items[i]));
    setMsg(
      bad.length
        ? { intent: "error", text: bad.map(({ x, s }) => `${subjectName(s)}: ${(x.errors ?? []).map((e) => e.message).join("; ") || x.status}`).join(" · ") }
        : { intent: "success", text: `${t("targetsSet")}: ${ok.map((s) => subjectName(s)).join("、")} · ${periodLabel(period, lang)} · ${formatYuan(yuan, lang)}` },
    );
    void load();
  };

  const propose = async () => {
    if (!proposing) return;
    setMsg(undefined);
    const yuan = amountYuan();
    if (yuan === undefined) return setMsg({ intent: "error", text: t("amountInvalid") });
    const latest = proposing.versions.reduce((m, v) => Math.max(m, v.version), 0);
    const body: TargetProposal = { level: proposing.level as TargetLevel, ...(proposing.subject ? { subject: proposing.subject } : {}), period: proposing.period, amountYuan: yuan, basedOnVersion: latest, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    const r = await client.propose(proposing.id, body);
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error, lang) });
    setMsg({ intent: "success", text: t("proposalSent") });
    setProposing(undefined);
    setAmount("");
    setReason("");
    void load();
  };

  const decide = async (c: ChangeView, decision: "approve" | "reject") => {
    const r = await client.decide({ targetId: c.target.id, version: c.version.version, decision });
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error, lang) });
    setMsg({ intent: "success", text: `${subjectName(c.target)} · ${decision === "approve" ? t("approved") : t("rejected")}` });
    void load();
  };

  /** Start changing a target: a director edits it in the set form, a manager proposes. */
  const startChange = (tg: TargetLike) => {
    setMsg(undefined);
    if (director) {
      setLevel(tg.level as TargetLevel);
      setSubjects(tg.subject ? [tg.subject] : []);
    } else setProposing(tg);
    setAmount(String(effectiveAmount(tg) ?? ""));
  };
  const myTeam = dir.users.find((u) => u.id === me)?.team;
  const mine: Principal = {
    tenant: session?.user?.tenant ?? "",
    userId: me,
    name: session?.user?.name ?? "",
    roles: rolesOf(session).map((r) => ROLES.parse(r)).filter((r): r is Role => r !== undefined),
    ...(myTeam ? { team: myTeam } : {}),
  };
  const status = (s: string) => { const id = TARGET_STATUSES.parse(s); return id ? TARGET_STATUSES.label(id, lang) : s; };
  const pending = pendingChanges(targets);
  const proposals = director ? [] : proposalsOf(targets, me);
  const sorted = [...targets].sort((a, b) => levelOrder(a.level) - levelOrder(b.level) || subjectName(a).localeCompare(subjectName(b), "zh"));

  return (
    <section aria-label={t("tabTargets")} style={{ display: "flex", flexDirection: "column", gap: 8, minWidth: 0 }}>
      <NeedSignIn />
      {dir.error && <Notice intent="error" text={dir.error} />}
      <PeriodPicker value={period} onChange={(p) => { setPeriod(p); setMsg(undefined); }} testId="targets-period" />

      {director && (
        <Card data-testid="targets-set" style={{ padding: 8 }}>
          <Text weight="semibold">{t("setTargetsTitle")} · {periodLabel(period, lang)}</Text>
          <Field label={t("level")}>
            <Dropdown data-testid="target-level" style={{ minWidth: 0 }} value={TARGET_LEVELS.label(level, lang)} selectedOptions={[level]} onOptionSelect={(_, d) => { setLevel((d.optionValue as TargetLevel) ?? "manager"); setSubjects([]); }}>
              {SET_LEVELS.map((id) => <Option key={id} value={id}>{TARGET_LEVELS.label(id, lang)}</Option>)}
            </Dropdown>
          </Field>
          {level === "manager" && <UserPicker dir={dir} role="manager" multiselect label={t("managers")} value={subjects} onChange={setSubjects} testId="target-subjects" />}
          {level === "team" && <TeamPicker dir={dir} multiselect label={t("teams")} value={subjects} onChange={setSubjects} testId="target-subjects" />}
          <Field label={t("amount")}><Input style={{ minWidth: 0 }} inputMode="decimal" value={amount} onChange={(_, d) => setAmount(d.value)} data-testid="target-amount" /></Field>
          <Field label={t("reason")}><Input style={{ minWidth: 0 }} value={reason} onChange={(_, d) => setReason(d.value)} data-testid="target-reason" /></Field>
          <Button appearance="primary" disabled={!session || !amount} onClick={() => void setDirectly()} data-testid="target-submit">{t("setTarget")}</Button>
        </Card>
      )}

      {!director && proposing && (
        <Card data-testid="targets-propose" style={{ padding: 8 }}>
          <Text weight="semibold">{t("proposeFor")}: {subjectName(proposing)} · {periodLabel(proposing.period, lang)}</Text>
          <Text size={200}>{t("effective")}: {formatYuan(effectiveAmount(proposing), lang)}</Text>
          <Field label={t("amount")}><Input style={{ minWidth: 0 }} inputMode="decimal" value={amount} onChange={(_, d) => setAmount(d.value)} data-testid="target-amount" /></Field>
          <Field label={t("reason")}><Input style={{ minWidth: 0 }} value={reason} onChange={(_, d) => setReason(d.value)} data-testid="target-reason" /></Field>
          <div style={{ display: "flex", gap: 4, flexWrap: "wrap" }}>
            <Button appearance="primary" disabled={!amount} onClick={() => void propose()} data-testid="target-submit">{t("proposeChange")}</Button>
            <Button onClick={() => setProposing(undefined)}>{t("cancel")}</Button>
          </div>
        </Card>
      )}

      {msg && <div data-testid="targets-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.text} /></div>}

      {director && (
        <section aria-label={t("pendingDecisions")} data-testid="pending-decisions">
          <Text block weight="semibold">{t("pendingDecisions")}</Text>
          {pending.length === 0 && <Text as="p" size={200}>{t("noPending")}</Text>}
          {pending.map((c) => (
            <Card key={`${c.target.id}-${c.version.version}`} data-testid={`pending-${c.target.id}-${c.version.version}`} style={{ padding: 6, marginTop: 4 }}>
              <Text weight="semibold">{subjectName(c.target)} · {periodLabel(c.target.period, lang)}</Text>
              <Text size={200}>{t("proposedBy")}: {userName(dir, c.version.proposedBy)} · {formatTime(c.version.proposedAt)}</Text>
              <Text data-testid="change-amounts">{formatYuan(c.from, lang)} → {formatYuan(c.to, lang)}</Text>
              <Text size={200} data-testid="change-reason">{t("reason")}: {c.version.reason ?? "—"}</Text>
              <div style={{ display: "flex", gap: 4 }}>
                <Button size="small" appearance="primary" onClick={() => void decide(c, "approve")} data-testid={`approve-${c.target.id}-${c.version.version}`}>{t("approve")}</Button>
                <Button size="small" onClick={() => void decide(c, "reject")} data-testid={`reject-${c.target.id}-${c.version.version}`}>{t("reject")}</Button>
              </div>
            </Card>
          ))}
        </section>
      )}

      <section aria-label={t("targetsList")}>
        <Text block weight="semibold">{t("targetsList")} · {periodLabel(period, lang)}</Text>
        {sorted.length === 0 && <Text as="p" size={200} data-testid="no-targets">{t("noTargets")}</Text>}
        {sorted.map((tg) => {
          const eff = effectiveAmount(tg);
          const waiting = tg.versions.filter((v) => v.status === "pending").length;
          const canChange = director || canProposeTarget(mine, tg);
          return (
            <div key={tg.id} data-testid={`target-${tg.id}`} style={{ borderTop: "1px solid #ddd", padding: "4px 0", display: "flex", justifyContent: "space-between", alignItems: "center", gap: 4, flexWrap: "wrap" }}>
              <div style={{ minWidth: 0 }}>
                <Text weight="semibold">{subjectName(tg)}</Text>
                <br />
                <Text size={200} data-testid={`effective-${tg.id}`}>{t("effective")}: {eff === undefined ? t("noEffective") : formatYuan(eff, lang)}</Text>
                {waiting > 0 && <Text size={200}> · {t("pending")} {waiting}</Text>}
              </div>
              {canChange && <Button size="small" onClick={() => startChange(tg)} data-testid={`change-${tg.id}`}>{t("change")}</Button>}
            </div>
          );
        })}
      </section>

      {!director && session && (
        <section aria-label={t("myProposals")} data-testid="my-proposals">
          <Text block weight="semibold">{t("myProposals")}</Text>
          {proposals.length === 0 && <Text as="p" size={200}>{t("noProposals")}</Text>}
          {proposals.map((c) => (
            <div key={`${c.target.id}-${c.version.version}`} data-testid={`proposal-${c.target.id}-${c.version.version}`} data-status={c.version.status} style={{ borderTop: "1px solid #eee", padding: "4px 0" }}>
              <Text size={200}>{subjectName(c.target)} · {formatYuan(c.from, lang)} → {formatYuan(c.to, lang)} · <b>{status(c.version.status)}</b></Text>
              <br />
              <Text size={100}>{formatTime(c.version.proposedAt)}{c.version.decidedBy ? ` · ${t("decidedBy")}: ${userName(dir, c.version.decidedBy)} ${formatTime(c.version.decidedAt)}` : ""}{c.version.reason ? ` · ${t("reason")}: ${c.version.reason}` : ""}</Text>
            </div>
          ))}
        </section>
      )}
    </section>
  );
}

function levelOrder(level: string): number {
  return ["company", "team", "manager", "account"].indexOf(level);
}

/** `公司`, `团队 华东`, `经理 李明`, `客户 华东电力设计院` — names, never ids where a name is known. */
function subjectLabel(x: { level: string; subject?: string }, dir: Directory, accounts: Map<string, string>, lang: "zh" | "en"): string {
  const level = TARGET_LEVELS.parse(x.level);
  const prefix = level ? TARGET_LEVELS.label(level, lang) : x.level;
  if (x.level === "company" || !x.subject) return prefix;
  const name = x.level === "manager" ? userName(dir, x.subject) : x.level === "team" ? teamName(dir, x.subject) : (accounts.get(x.subject) ?? x.subject);
  return `${prefix} ${name}`;
}

