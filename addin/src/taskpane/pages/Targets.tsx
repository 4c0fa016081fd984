import { Button, Dropdown, Field, Input, Option, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { useState } from "react";
import { TARGET_LEVELS, TARGET_STATUSES, parsePeriod, targetIdOf, type Target } from "../../../../shared/src/index.js";
import { describeApiError } from "../../api/client.js";
import { rolesOf, usePane } from "../context.js";
import { NeedSignIn, Notice } from "../components/common.js";

/** Targets (issue 5 §5; DOMAIN §6): directors set and decide, managers propose; history shown. */
export default function Targets() {
  const { t, lang, client, session } = usePane();
  const director = rolesOf(session).includes("director");
  const [period, setPeriod] = useState("2026-Q1");
  const [level, setLevel] = useState<string>(director ? "manager" : "manager");
  const [subject, setSubject] = useState(session?.user?.id ?? "");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [targets, setTargets] = useState<Target[]>([]);
  const [msg, setMsg] = useState<{ intent: "success" | "error"; text: string }>();
  /** Reload the period's targets; `keepMessage` after a proposal or decision so its outcome stays visible. */
  const load = async (keepMessage = false) => {
    const p = parsePeriod(period);
    if (!p.ok) return setMsg({ intent: "error", text: p.error.message[lang] });
    const r = await client.targets({ period: p.value.id });
    if (r.ok) { setTargets(r.value); if (!keepMessage) setMsg(undefined); } else setMsg({ intent: "error", text: describeApiError(r.error) });
  };
  const propose = async () => {
    const p = parsePeriod(period);
    if (!p.ok) return setMsg({ intent: "error", text: p.error.message[lang] });
    const subj = level === "company" ? undefined : subject;
    const id = targetIdOf(level, subj, p.value.id);
    const existing = targets.find((x) => x.id === id);
    const r = await client.propose(id, { level: level as "manager", ...(subj ? { subject: subj } : {}), period: p.value.id, amountYuan: Number(amount), ...(reason ? { reason } : {}), basedOnVersion: existing?.versions.length ?? 0 });
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error) });
    setMsg({ intent: "success", text: t("done") });
    void load(true);
  };
  const decide = async (target: Target, version: number, decision: "approve" | "reject") => {
    const r = await client.decide({ targetId: target.id, version, decision });
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error) });
    setMsg({ intent: "success", text: t("done") });
    void load(true);
  };
  const status = (s: string) => { const id = TARGET_STATUSES.parse(s); return id ? TARGET_STATUSES.label(id, lang) : s; };
  return (
    <section aria-label={t("tabTargets")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedSignIn />
      <Field label={t("period")}><Input value={period} onChange={(_, d) => setPeriod(d.value)} data-testid="targets-period" /></Field>
      <Button onClick={() => void load()} disabled={!session} data-testid="targets-load">{t("load")}</Button>
      <Field label={t("level")}>
        <Dropdown value={TARGET_LEVELS.label(level as "manager", lang)} selectedOptions={[level]} onOptionSelect={(_, d) => setLevel(d.optionValue ?? "manager")}>
          {TARGET_LEVELS.entries.map((e) => <Option key={e.id} value={e.id}>{e[lang]}</Option>)}
        </Dropdown>
      </Field>
      {level !== "company" && <Field label={t("subject")}><Input value={subject} onChange={(_, d) => setSubject(d.value)} data-testid="target-subject" /></Field>}
      <Field label={t("amount")}><Input type="number" value={amount} onChange={(_, d) => setAmount(d.value)} data-testid="target-amount" /></Field>
      <Field label={t("reason")}><Input value={reason} onChange={(_, d) => setReason(d.value)} data-testid="target-reason" /></Field>
      <Button appearance="primary" disabled={!session || !amount} onClick={() => void propose()} data-testid="target-submit">{director ? t("setTarget") : t("proposeChange")}</Button>
      {msg && <div data-testid="targets-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.text} /></div>}
      {targets.map((tg) => {
        const approved = [...tg.versions].reverse().find((v) => v.status === "approved");
        return (
          <div key={tg.id} style={{ borderTop: "1px solid #ddd" }} data-testid={`target-${tg.id}`}>
            <Text weight="semibold">{tg.id}</Text> · <Text data-testid={`effective-${tg.id}`}>{t("effective")}: {approved?.amountYuan ?? "—"}</Text>
            <Table size="extra-small" aria-label={`${t("history")} ${tg.id}`}>
              <TableHeader><TableRow><TableHeaderCell>v</TableHeaderCell><TableHeaderCell>{t("amount")}</TableHeaderCell><TableHeaderCell>{t("pending")}</TableHeaderCell><TableHeaderCell /></TableRow></TableHeader>
              <TableBody>
                {tg.versions.map((v) => (
                  <TableRow key={v.version}>
                    <TableCell>{v.version}</TableCell><TableCell>{v.amountYuan}</TableCell><TableCell>{status(v.status)} · {v.proposedBy}</TableCell>
                    <TableCell>{director && v.status === "pending" && (<><Button size="small" onClick={() => void decide(tg, v.version, "approve")} data-testid={`approve-${tg.id}-${v.version}`}>{t("approve")}</Button><Button size="small" onClick={() => void decide(tg, v.version, "reject")} data-testid={`reject-${tg.id}-${v.version}`}>{t("reject")}</Button></>)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        );
      })}
    </section>
  );
}
