import { Button, Dropdown, Field, Option, Text } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import type { Account } from "../../../../shared/src/index.js";
import { describeApiError } from "../../api/client.js";
import { usePane } from "../context.js";
import { NeedSignIn, NeedWorkbook, Notice } from "../components/common.js";
import { relationshipMap, type RelationshipMap as MapLayout } from "../logic/relmap.js";

/** Relationship map: an account's decision chain drawn in a new sheet (layers as rows, contacts as R/A/G boxes). */
export default function RelationshipMap() {
  const { t, lang, client, port, session, touched } = usePane();
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [chosen, setChosen] = useState<string>();
  const [msg, setMsg] = useState<{ intent: "success" | "error"; text: string }>();
  const [drawn, setDrawn] = useState<MapLayout>();
  useEffect(() => {
    if (!session) return;
    void client.accounts().then((r) => {
      if (r.ok) setAccounts(r.value.filter((a) => typeof (a as { name?: unknown }).name === "string") as Account[]);
      else setMsg({ intent: "error", text: describeApiError(r.error, lang) });
    });
  }, [session]);
  const account = accounts.find((a) => a.id === chosen);
  const draw = async () => {
    if (!port || !account) return;
    // Only what the map shows is taken from the account: never a contact's personal details.
    const map = relationshipMap({ name: account.name, contacts: account.contacts }, lang);
    await port.apply(map.ops);
    const how = port.drawBoxes ? await port.drawBoxes(map.sheet, map.boxes) : "cells";
    touched();
    setDrawn(map);
    setMsg({ intent: "success", text: `${map.sheet} ✓ ${map.boxes.length} ${t(how === "shapes" ? "mapShapes" : "mapCells")}` });
  };
  return (
    <section aria-label={t("tabMap")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedSignIn />
      <NeedWorkbook />
      <Field label={t("mapAccount")}>
        <Dropdown data-testid="map-account" value={account?.name ?? ""} selectedOptions={chosen ? [chosen] : []} onOptionSelect={(_, d) => setChosen(d.optionValue)}>
          {accounts.map((a) => <Option key={a.id} value={a.id} text={a.name}>{a.name}</Option>)}
        </Dropdown>
      </Field>
      <Button appearance="primary" disabled={!port || !account} onClick={() => void draw()} data-testid="map-draw">{t("mapDraw")}</Button>
      <Text size={200}>{t("mapRule")}</Text>
      {msg && <div data-testid="map-message" data-intent={msg.intent}><Notice intent={msg.intent} text={msg.text} /></div>}
      {drawn && <MapPreview map={drawn} />}
    </section>
  );
}

/** What was drawn, as the sheet lays it out (the pane's own view: preview mode shows no grid). */
function MapPreview({ map }: { map: MapLayout }) {
  return (
    <div data-testid="map-preview" style={{ display: "grid", gridTemplateColumns: "auto 1fr", gap: 4, alignItems: "stretch" }}>
      {map.layerRows.map((l) => (
        <div key={l.layer} style={{ display: "contents" }}>
          <Text size={200} weight="semibold" style={{ alignSelf: "center" }}>{l.label}</Text>
          <div style={{ display: "flex", flexWrap: "wrap", gap: 4, minHeight: 24, borderBottom: "1px dashed #C8C6C4", paddingBottom: 4 }}>
            {map.boxes.filter((b) => b.row === l.row).map((b) => (
              <div key={b.col} style={{ background: b.fill, color: b.font, border: "1px solid #605E5C", borderRadius: 6, padding: "2px 6px", fontSize: 11, whiteSpace: "pre-line", textAlign: "center" }}>{b.text}</div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
