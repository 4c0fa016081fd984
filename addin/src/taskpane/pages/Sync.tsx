import {
  Badge,
  Button,
  Checkbox,
  Dropdown,
  Field,
  Option,
  ProgressBar,
  Radio,
  RadioGroup,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from "@fluentui/react-components";
import { useRef, useState } from "react";
import { notifyDataChanged } from "../../api/session.js";
import { describeApiError } from "../../api/client.js";
import { ENTITIES, type EntityId } from "../../sync/entities.js";
import { showValue, executeSync, prepareSync, type Resolution, type SyncPlan, type SyncProgress, type SyncSummary } from "../../sync/engine.js";
import type { HeaderMapping } from "../../sync/rows.js";
import { templateOps } from "../../sync/template.js";
import { usePane } from "../context.js";
import { NeedSignIn, NeedWorkbook, Notice, SheetPicker } from "../components/common.js";

/** Sync (issue 5 §4): map headers, compare three ways, resolve conflicts, push and pull. */
export default function Sync() {
  const { t, lang, port, client, session, setLastSync, touched } = usePane();
  const [entityId, setEntityId] = useState<EntityId>("accounts");
  const [sheet, setSheet] = useState<string>();
  const [mapping, setMapping] = useState<HeaderMapping>();
  const [plan, setPlan] = useState<SyncPlan>();
  const [resolutions, setResolutions] = useState<Record<string, Resolution>>({});
  const [confirmDeletes, setConfirmDeletes] = useState(false);
  const [progress, setProgress] = useState<SyncProgress>();
  const [summary, setSummary] = useState<SyncSummary>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | undefined>(undefined);
  const entity = ENTITIES[entityId];

  const compare = async (m = mapping) => {
    if (!port || !sheet) return;
    setBusy(true); setSummary(undefined); setError(undefined);
    const r = await prepareSync({ port, remote: client, entity, ref: { sheet }, lang, userId: session?.user?.id, mapping: m });
    setBusy(false);
    if (!r.ok) {
      setPlan(undefined);
      if (r.mapping) setMapping(r.mapping.mapping);
      return setError(r.error ? `${r.message[lang]} (${describeApiError(r.error)})` : r.message[lang]);
    }
    setPlan(r.plan);
    setMapping(r.plan.mapping.mapping);
    setResolutions({});
  };
  const run = async () => {
    if (!plan || !port) return;
    setBusy(true);
    abort.current = new AbortController();
    const s = await executeSync(plan, port, client, { resolutions, confirmDeletes, onProgress: setProgress, signal: abort.current.signal });
    setBusy(false);
    setSummary(s);
    setPlan(undefined);
    if (s.error) setError(describeApiError(s.error));
    setLastSync(new Date().toLocaleString(lang === "zh" ? "zh-CN" : "en-US"));
    notifyDataChanged();
    touched();
  };
  const template = async () => {
    if (!port) return;
    const name = entity.sheet[lang];
    await port.apply(templateOps(entity, lang, name));
    setSheet(name);
    touched();
  };
  const nothing = plan && plan.counts.push + plan.counts.pull + plan.counts.add + plan.counts.removeLocal + plan.counts.conflicts + plan.counts.deletes === 0;
  const header = plan?.table.header ?? [];
  return (
    <section aria-label={t("tabSync")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedSignIn />
      <NeedWorkbook />
      <Field label={t("entity")}>
        <Dropdown data-testid="entity-picker" value={entity.label[lang]} selectedOptions={[entityId]} onOptionSelect={(_, d) => { setEntityId(d.optionValue as EntityId); setPlan(undefined); setMapping(undefined); }}>
          {Object.values(ENTITIES).map((e) => (
            <Option key={e.id} value={e.id}>{e.label[lang]}</Option>
          ))}
        </Dropdown>
      </Field>
      <SheetPicker value={sheet} onChange={(s) => { setSheet(s); setPlan(undefined); setMapping(undefined); }} />
      <div style={{ display: "flex", gap: 4, flexWrap: "wrap" }}>
        <Button appearance="primary" disabled={!sheet || !session || busy} onClick={() => void compare()} data-testid="compare">{t("compare")}</Button>
        <Button disabled={!port} onClick={() => void template()}>{t("createTemplate")}</Button>
      </div>
      {mapping && (plan || error) && (
        <details>
          <summary>{t("mapping")}</summary>
          {mapping.map((f, i) => (
            <Field key={i} label={header[i] || `#${i + 1}`} size="small">
              <Dropdown size="small" value={f ? (entity.columns.find((c) => c.field === f)?.label[lang] ?? f) : t("notSynced")} selectedOptions={[f ?? ""]}
                onOptionSelect={(_, d) => { const m = [...mapping]; m[i] = d.optionValue || undefined; setMapping(m); void compare(m); }}>
                <Option value="">{t("notSynced")}</Option>
                {entity.columns.map((c) => <Option key={c.field} value={c.field}>{c.label[lang]}</Option>)}
              </Dropdown>
            </Field>
          ))}
        </details>
      )}
      <Notice intent="error" text={error} />
      {plan && (
        <>
          <div data-testid="plan-counts" style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
            <Badge appearance="tint">{t("toPush")}: {plan.counts.push}</Badge>
            <Badge appearance="tint">{t("toPull")}: {plan.counts.pull}</Badge>
            <Badge appearance="tint">{t("toAdd")}: {plan.counts.add}</Badge>
            <Badge appearance="tint">{t("toRemove")}: {plan.counts.removeLocal}</Badge>
            <Badge appearance="tint" color={plan.counts.conflicts ? "danger" : "brand"}>{t("conflicts")}: {plan.counts.conflicts}</Badge>
            <Badge appearance="tint" color={plan.counts.invalid ? "warning" : "brand"}>{t("invalid")}: {plan.counts.invalid}</Badge>
            <Badge appearance="tint">{t("unchanged")}: {plan.counts.unchanged}</Badge>
          </div>
          {nothing && <Notice intent="success" text={t("nothingToDo")} />}
          {plan.problems.length > 0 && (
            <ul aria-label={t("invalid")} data-testid="problems">
              {plan.problems.map((p, i) => <li key={i}><b>{p.address}</b> {p.message[lang]}</li>)}
            </ul>
          )}
          {plan.conflicts.length > 0 && (
            <section aria-label={t("conflicts")} data-testid="conflicts">
              <div style={{ display: "flex", gap: 4 }}>
                <Button size="small" onClick={() => setResolutions(Object.fromEntries(plan.conflicts.map((c) => [c.key, "mine"])))}>{t("allMine")}</Button>
                <Button size="small" onClick={() => setResolutions(Object.fromEntries(plan.conflicts.map((c) => [c.key, "theirs"])))}>{t("allTheirs")}</Button>
              </div>
              {plan.conflicts.map((c) => (
                <div key={c.key} style={{ borderTop: "1px solid #ddd", paddingTop: 4 }}>
                  <Text weight="semibold">{c.key}</Text>
                  <Table size="extra-small" aria-label={c.key}>
                    <TableHeader><TableRow><TableHeaderCell>{t("field")}</TableHeaderCell><TableHeaderCell>{t("mine")}</TableHeaderCell><TableHeaderCell>{t("theirs")}</TableHeaderCell></TableRow></TableHeader>
                    <TableBody>
                      {c.fields.map((f) => (
                        <TableRow key={f.field}><TableCell>{entity.columns.find((x) => x.field === f.field)?.label[lang] ?? f.field}</TableCell><TableCell>{showValue(plan, f.field, f.mine, lang)}</TableCell><TableCell>{showValue(plan, f.field, f.theirs, lang)}</TableCell></TableRow>
                      ))}
                    </TableBody>
                  </Table>
                  <RadioGroup layout="horizontal" aria-label={c.key} value={resolutions[c.key] ?? ""} onChange={(_, d) => setResolutions({ ...resolutions, [c.key]: d.value as Resolution })}>
                    <Radio value="mine" label={t("keepMine")} />
                    <Radio value="theirs" label={t("takeTheirs")} />
                  </RadioGroup>
                </div>
              ))}
            </section>
          )}
          {plan.deletes.length > 0 && (
            <section aria-label={t("deletes")}>
              <Text>{t("deletes")}: {plan.deletes.map((d) => d.key).join(", ")}</Text>
              <Checkbox checked={confirmDeletes} onChange={(_, d) => setConfirmDeletes(!!d.checked)} label={t("confirmDeletes")} />
            </section>
          )}
          <div style={{ display: "flex", gap: 4 }}>
            <Button appearance="primary" disabled={busy} onClick={() => void run()} data-testid="sync-now">{t("syncNow")}</Button>
            {busy && <Button onClick={() => abort.current?.abort()}>{t("cancel")}</Button>}
          </div>
        </>
      )}
      {progress && busy && (
        <Field label={`${t("progress")}: ${progress.done} / ${progress.total}`}>
          <ProgressBar value={progress.total ? progress.done / progress.total : 0} />
        </Field>
      )}
      {summary && (
        <section aria-label={t("summary")} data-testid="summary">
          <Text weight="semibold">{summary.cancelled ? t("cancelled") : t("summary")}</Text>
          <Text as="p">
            {t("created")} {summary.created} · {t("updated")} {summary.updated} · {t("pulled")} {summary.pulled} · {t("added")} {summary.added} · {t("removed")} {summary.removed} · {t("deleted")} {summary.deleted} · {t("conflicts")} {summary.conflicts.length} · {t("invalid")} {summary.problems.length} · {t("rowsSent")} {summary.rowsSent} · {t("requests")} {summary.requests}
          </Text>
          {summary.problems.length > 0 && <ul>{summary.problems.map((p, i) => <li key={i}><b>{p.address}</b> {p.message[lang]}</li>)}</ul>}
        </section>
      )}
    </section>
  );
}
