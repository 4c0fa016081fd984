import { Button, Dropdown, Field, Option, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import type { HandoverRecord, User } from "../../../../shared/src/index.js";
import { describeApiError } from "../../api/client.js";
import { rolesOf, usePane } from "../context.js";
import { NeedSignIn, Notice } from "../components/common.js";

/** Handover (issue 5 §7; DOMAIN §2 资料交接): directors move a departing manager's accounts. */
export default function Handover() {
  const { t, client, session } = usePane();
  const director = rolesOf(session).includes("director");
  const [users, setUsers] = useState<User[]>([]);
  const [records, setRecords] = useState<HandoverRecord[]>([]);
  const [from, setFrom] = useState<string>();
  const [to, setTo] = useState<string>();
  const [msg, setMsg] = useState<{ intent: "success" | "error"; text: string }>();
  const load = async () => {
    const [u, h] = await Promise.all([client.users(), client.handovers()]);
    if (u.ok) setUsers(u.value.items.filter((x) => x.roles.includes("manager")));
    if (h.ok) setRecords(h.value.items);
  };
  useEffect(() => { if (session && director) void load(); }, [session, director]);
  const go = async () => {
    if (!from || !to) return;
    const r = await client.handover({ from, to });
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error) });
    setMsg({ intent: "success", text: `${r.value.accountIds.length} ✓` });
    void load();
  };
  const name = (id: string) => users.find((u) => u.id === id)?.name ?? id;
  if (session && !director) return <Notice intent="info" text={t("directorsOnly")} />;
  return (
    <section aria-label={t("tabHandover")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedSignIn />
      <Field label={t("fromManager")}>
        <Dropdown data-testid="handover-from" value={from ? name(from) : ""} selectedOptions={from ? [from] : []} onOptionSelect={(_, d) => setFrom(d.optionValue)}>
          {users.map((u) => <Option key={u.id} value={u.id}>{u.name}</Option>)}
        </Dropdown>
      </Field>
      <Field label={t("toManager")}>
        <Dropdown data-testid="handover-to" value={to ? name(to) : ""} selectedOptions={to ? [to] : []} onOptionSelect={(_, d) => setTo(d.optionValue)}>
          {users.filter((u) => u.id !== from).map((u) => <Option key={u.id} value={u.id}>{u.name}</Option>)}
        </Dropdown>
      </Field>
      <Button appearance="primary" disabled={!from || !to} onClick={() => void go()} data-testid="hand-over">{t("handOver")}</Button>
      {msg && <div data-testid="handover-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.text} /></div>}
      <Table size="extra-small" aria-label={t("recorded")} data-testid="handover-records">
        <TableHeader><TableRow><TableHeaderCell>{t("fromManager")}</TableHeaderCell><TableHeaderCell>{t("toManager")}</TableHeaderCell><TableHeaderCell>#</TableHeaderCell><TableHeaderCell>✓</TableHeaderCell></TableRow></TableHeader>
        <TableBody>{records.map((r, i) => <TableRow key={i}><TableCell>{name(r.from)}</TableCell><TableCell>{name(r.to)}</TableCell><TableCell>{r.accountIds.length}</TableCell><TableCell>{name(r.approvedBy)} {r.at.slice(0, 10)}</TableCell></TableRow>)}</TableBody>
      </Table>
    </section>
  );
}
