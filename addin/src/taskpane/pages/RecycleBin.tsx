import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { useCallback, useEffect, useState } from "react";
import { describeApiError } from "../../api/client.js";
import { canRestoreAccount, recycleBinFilter, type DeletedAccount } from "../../../../shared/src/index.js";
import { notifyDataChanged } from "../../api/session.js";
import { People } from "../../sync/engine.js";
import { usePane } from "../context.js";
import { principalOf } from "../principal.js";
import { NeedSignIn, Notice } from "../components/common.js";

/**
 * Recycle bin (回收站): deleted accounts with name, owner, who deleted them and when
 * (`GET /v1/accounts?deleted=true`: directors see all, managers their own). Directors restore
 * (`POST /v1/accounts/{id}/restore`): the last content comes back at the next version and its
 * history goes on; personal data erased while deleted stays erased.
 */
export default function RecycleBin() {
  const { t, lang, client, session } = usePane();
  const director = canRestoreAccount(principalOf(session));
  const [items, setItems] = useState<DeletedAccount[]>();
  const [people, setPeople] = useState<People>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState<string>();

  const load = useCallback(async () => {
    if (!session) return;
    setError(undefined);
    const [list, dir] = await Promise.all([client.listDeletedAccounts(), client.directory()]);
    if (!list.ok) { setItems(undefined); return setError(describeApiError(list.error, lang)); }
    const shown = recycleBinFilter(principalOf(session), undefined);
    setItems(list.value.filter((a) => shown.allowed && (shown.owner === undefined || a.owner === shown.owner)));
    if (dir.ok) setPeople(new People(dir.value));
  }, [client, session, director]);
  useEffect(() => { void load(); }, [load]);

  const restore = async (a: DeletedAccount) => {
    setBusy(a.id); setDone(undefined); setError(undefined);
    const r = await client.restoreAccount(a.id);
    setBusy(undefined);
    if (!r.ok) return setError(`${a.name}: ${describeApiError(r.error, lang)}`);
    setDone(`${t("restoredOk")}: ${a.name}`);
    notifyDataChanged();
    await load();
  };
  const nameOf = (id: string | undefined, given?: string) => given ?? (id ? (people?.get(id)?.name ?? id) : "");
  const when = (at: string | undefined) => (at ? new Date(at).toLocaleString(lang === "zh" ? "zh-CN" : "en-US") : "");

  return (
    <section aria-label={t("tabRecycle")} data-testid="recycle-bin" style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedSignIn />
      {!director && session && <Notice intent="info" text={t("restoreDirectorsOnly")} />}
      <div><Button size="small" onClick={() => void load()}>{t("refresh")}</Button></div>
      <Notice intent="error" text={error} />
      <Notice intent="success" text={done} />
      {items && items.length === 0 && <Text>{t("noDeleted")}</Text>}
      {items && items.length > 0 && (
        <Table size="small" aria-label={t("tabRecycle")}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("accountName")}</TableHeaderCell>
              <TableHeaderCell>{t("ownerName")}</TableHeaderCell>
              <TableHeaderCell>{t("deletedBy")}</TableHeaderCell>
              <TableHeaderCell>{t("deletedAt")}</TableHeaderCell>
              {director && <TableHeaderCell />}
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((a) => (
              <TableRow key={a.id} data-testid={`deleted-${a.id}`}>
                <TableCell>{a.name}</TableCell>
                <TableCell>{nameOf(a.owner)}</TableCell>
                <TableCell>{nameOf(a.deletedBy, a.deletedByName)}</TableCell>
                <TableCell>{when(a.deletedAt)}</TableCell>
                {director && (
                  <TableCell>
                    <Button size="small" disabled={busy === a.id} onClick={() => void restore(a)} data-testid={`restore-${a.id}`}>{t("restore")}</Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
