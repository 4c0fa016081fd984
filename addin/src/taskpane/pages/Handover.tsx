import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { canHandover, type HandoverRecord } from "../../../../shared/src/index.js";
import { describeApiError } from "../../api/client.js";
import { usePane } from "../context.js";
import { principalOf } from "../principal.js";
import { NeedSignIn, Notice } from "../components/common.js";
import { UserPicker, useDirectory, userName } from "../components/Pickers.js";
import { tf } from "../i18n.js";

type Msg = { intent: "success" | "error" | "warning"; text: string };

/**
 * Handover (资料交接): a director moves a departing manager's accounts — all or some, picked by
 * name — to another manager, after confirming the list; the pane then shows what moved. The
 * receiver is chosen among users with the manager role; the server refuses a handover of no accounts.
 */
export default function Handover() {
  const { t, lang, client, session } = usePane();
  const director = canHandover(principalOf(session));
  const dir = useDirectory();
  const [records, setRecords] = useState<HandoverRecord[]>([]);
  const [from, setFrom] = useState<string[]>([]);
  const [to, setTo] = useState<string[]>([]);
  const [accounts, setAccounts] = useState<{ id: string; name: string }[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [confirm, setConfirm] = useState(false);
  const [summary, setSummary] = useState<{ from: string; to: string; names: string[] }>();
  const [msg, setMsg] = useState<Msg>();

  const loadRecords = async () => {
    const h = await client.handovers();
    if (h.ok) setRecords(h.value.items);
  };
  const loadAccounts = async (owner: string | undefined) => {
    if (!owner) return setAccounts([]);
    const r = await client.accounts({ owner });
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error, lang) });
    const list = r.value.map((a) => ({ id: a.id, name: a.name })).sort((a, b) => a.name.localeCompare(b.name, "zh"));
    setAccounts(list);
    setChosen(new Set(list.map((a) => a.id)));
  };
  useEffect(() => { if (session && director) void loadRecords(); }, [session?.token, director]);
  useEffect(() => { if (session && director) void loadAccounts(from[0]); }, [from[0]]);

  if (session && !director) return <section aria-label={t("tabHandover")}><Notice intent="info" text={t("directorsOnly")} /></section>;

  const selected = accounts.filter((a) => chosen.has(a.id));
  const go = async () => {
    setConfirm(false);
    if (!from[0] || !to[0]) return;
    const r = await client.handover({ from: from[0], to: to[0], accountIds: selected.map((a) => a.id) });
    if (!r.ok) return setMsg({ intent: "error", text: describeApiError(r.error, lang) });
    const moved = new Set(r.value.accountIds);
    const names = accounts.filter((a) => moved.has(a.id)).map((a) => a.name);
    const fromName = userName(dir, from[0]);
    const toName = userName(dir, to[0]);
    setSummary({ from: fromName, to: toName, names });
    setMsg({ intent: "success", text: tf("handoverDone", lang, { n: r.value.accountIds.length, from: fromName, to: toName }) });
    void loadAccounts(from[0]);
    void loadRecords();
  };
  const toggle = (id: string, on: boolean) => setChosen((s) => { const n = new Set(s); if (on) n.add(id); else n.delete(id); return n; });

  return (
    <section aria-label={t("tabHandover")} style={{ display: "flex", flexDirection: "column", gap: 8, minWidth: 0 }}>
      <NeedSignIn />
      {dir.error && <Notice intent="error" text={dir.error} />}
      <UserPicker dir={dir} role="manager" label={t("fromManager")} value={from} onChange={(v) => { setFrom(v); setSummary(undefined); setMsg(undefined); if (v[0] && v[0] === to[0]) setTo([]); }} testId="handover-from" />
      <UserPicker dir={dir} role="manager" exclude={from[0]} label={t("toManager")} value={to} onChange={setTo} testId="handover-to" />
      {from[0] && (
        <section aria-label={t("handoverAccounts")} data-testid="handover-accounts">
          <Text block weight="semibold">{t("handoverAccounts")} ({selected.length}/{accounts.length})</Text>
          {accounts.length === 0 ? (
            <Text as="p" size={200} data-testid="handover-none">{t("noAccountsOwned")}</Text>
          ) : (
            <>
              <div style={{ display: "flex", gap: 4 }}>
                <Button size="small" onClick={() => setChosen(new Set(accounts.map((a) => a.id)))} data-testid="handover-all">{t("selectAll")}</Button>
                <Button size="small" onClick={() => setChosen(new Set())} data-testid="handover-clear">{t("selectNone")}</Button>
              </div>
              <div style={{ maxHeight: 240, overflowY: "auto", display: "flex", flexDirection: "column" }}>
                {accounts.map((a) => (
                  <Checkbox key={a.id} label={a.name} checked={chosen.has(a.id)} onChange={(_, d) => toggle(a.id, d.checked === true)} data-testid={`handover-account-${a.id}`} />
                ))}
              </div>
            </>
          )}
        </section>
      )}
      <Button appearance="primary" disabled={!from[0] || !to[0] || selected.length === 0} onClick={() => setConfirm(true)} data-testid="hand-over">{t("reviewHandover")}</Button>
      {from[0] && to[0] && accounts.length > 0 && selected.length === 0 && <Text size={200}>{t("handoverNoneSelected")}</Text>}
      {msg && <div data-testid="handover-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.text} /></div>}
      {summary && (
        <ul data-testid="handover-summary" style={{ margin: 0, paddingLeft: 18 }}>
          {summary.names.map((n) => <li key={n}><Text size={200}>{n}</Text></li>)}
        </ul>
      )}
      <Dialog open={confirm} onOpenChange={(_, d) => setConfirm(d.open)}>
        <DialogSurface aria-label={t("confirmHandover")} style={{ maxWidth: "calc(100vw - 16px)" }}>
          <DialogBody>
            <DialogTitle>{t("confirmHandover")}</DialogTitle>
            <DialogContent data-testid="handover-confirm-list">
              <Text>{tf("handoverConfirmText", lang, { from: userName(dir, from[0]), to: userName(dir, to[0]) })}</Text>
              <ol style={{ paddingLeft: 18, maxHeight: 240, overflowY: "auto" }}>{selected.map((a) => <li key={a.id}>{a.name}</li>)}</ol>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void go()} data-testid="confirm-handover">{t("confirmHandover")} ({selected.length})</Button>
              <Button onClick={() => setConfirm(false)}>{t("cancel")}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      <Text weight="semibold">{t("recorded")}</Text>
      <Table size="extra-small" aria-label={t("recorded")} data-testid="handover-records">
        <TableHeader><TableRow><TableHeaderCell>{t("fromManager")}</TableHeaderCell><TableHeaderCell>{t("toManager")}</TableHeaderCell><TableHeaderCell>{t("accountsMoved")}</TableHeaderCell><TableHeaderCell>{t("when")}</TableHeaderCell></TableRow></TableHeader>
        <TableBody>{records.map((r, i) => <TableRow key={i}><TableCell>{userName(dir, r.from)}</TableCell><TableCell>{userName(dir, r.to)}</TableCell><TableCell>{r.accountIds.length}</TableCell><TableCell>{userName(dir, r.approvedBy)} {r.at.slice(0, 10)}</TableCell></TableRow>)}</TableBody>
      </Table>
    </section>
  );
}
