import { publishProblems } from "../grid/problems.js";
import {
  Badge,
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
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
import { useMemo, useRef, useState } from "react";
import { MONEY_UNITS, isManager, parseRolesClaim, type Lang } from "../../../../shared/src/index.js";
import { notifyDataChanged } from "../../api/session.js";
import { describeApiError } from "../../api/client.js";
import { ENTITIES, type EntityDef, type EntityId } from "../../sync/entities.js";
import {
  executeSync,
  groupProblems,
  prepareSync,
  problemsSheetOps,
  showValue,
  type Conflict,
  type PullScope,
  type Resolution,
  type SyncPlan,
  type SyncProgress,
  type SyncSummary,
} from "../../sync/engine.js";
import type { HeaderMapping } from "../../sync/rows.js";
import { templateOps } from "../../sync/template.js";
import { rolesOf, usePane } from "../context.js";
import type { StringKey } from "../i18n.js";
import { NeedSignIn, NeedWorkbook, Notice, SheetPicker } from "../components/common.js";

type Resolutions = Record<string, Record<string, Resolution>>;

/**
 * Sync: map headers, compare three ways cell by cell, review, then push and pull. The review
 * names what would otherwise surprise: deletions (by account name and owner), ownership changes
 * (apart), new accounts that need an owner (directors choose), field conflicts (with who changed
 * the store's side and when), problems grouped by column and reason, and the first pull's scope.
 */
export default function Sync() {
  const { t, lang, port, client, session, setLastSync, touched } = usePane();
  const roles = rolesOf(session);
  const [entityId, setEntityId] = useState<EntityId>("accounts");
  const [sheet, setSheet] = useState<string>();
  const [mapping, setMapping] = useState<HeaderMapping>();
  /** The header rows the user typed (1-based sheet rows), and the values mapped for this sheet. */
  const [headerText, setHeaderText] = useState("");
  const [valueMaps, setValueMaps] = useState<Record<string, Record<string, string>>>({});
  /** Sheet row of the used range's first row (from the last plan): a typed sheet row → a row of the range. */
  const [rangeTop, setRangeTop] = useState(0);
  const [plan, setPlan] = useState<SyncPlan>();
  const [resolutions, setResolutions] = useState<Resolutions>({});
  const [confirmDeletes, setConfirmDeletes] = useState(false);
  const [owner, setOwner] = useState<string>();
  const [owners, setOwners] = useState<Record<number, string>>({});
  const [scope, setScope] = useState<string>("none");
  const [progress, setProgress] = useState<SyncProgress>();
  const [summary, setSummary] = useState<SyncSummary>();
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  // The mapping panel stays as the user left it (open) while a change re-compares the sheet.
  const [mappingOpen, setMappingOpen] = useState(false);
  const abort = useRef<AbortController | undefined>(undefined);
  const entity = ENTITIES[entityId];

  const compare = async (m: HeaderMapping | null | undefined = mapping, maps = valueMaps, picked = headerText) => {
    if (!port || !sheet) return;
    setBusy(true); setSummary(undefined); setError(undefined); setNote(undefined);
    const rows = picked.split(/[,，\s]+/).map(Number).filter((n) => Number.isInteger(n) && n >= 1).map((n) => n - 1 - rangeTop);
    const headerRows = rows.length && rows.every((r) => r >= 0) ? rows : undefined;
    const r = await prepareSync({ port, remote: client, entity, ref: { sheet }, lang, userId: session?.user?.id, roles, mapping: m ?? undefined, headerRows, valueMaps: maps });
    setBusy(false);
    if (!r.ok) {
      setPlan(undefined);
      if (r.mapping) setMapping(r.mapping.mapping);
      return setError(r.error ? `${r.message[lang]} (${describeApiError(r.error, lang)})` : r.message[lang]);
    }
    setPlan(r.plan);
    const h = r.plan.header;
    const [firstSheetRow] = h.sheetRows, [firstRow] = h.rows;
    if (firstSheetRow !== undefined && firstRow !== undefined) setRangeTop(firstSheetRow - 1 - firstRow);
    setHeaderText(h.sheetRows.join(","));
    publishProblems(sheet, r.plan.problems);
    setMapping(r.plan.mapping.mapping);
    setResolutions({});
    setConfirmDeletes(false);
    setOwners({});
    setOwner(undefined);
    setScope(r.plan.firstPull ? scopeKey(r.plan.firstPull.suggested) : "none");
  };
  const run = async () => {
    if (!plan || !port) return;
    setBusy(true);
    abort.current = new AbortController();
    const s = await executeSync(plan, port, client, {
      resolutions, confirmDeletes, owner, owners, pullScope: plan.firstPull ? scopeOf(scope) : undefined,
      onProgress: setProgress, signal: abort.current.signal,
    });
    setBusy(false);
    setSummary(s);
    if (sheet) publishProblems(sheet, s.problems);
    setPlan(undefined);
    if (s.error) setError(describeApiError(s.error, lang));
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
  const nothing = plan && plan.counts.push + plan.counts.pull + plan.counts.add + plan.counts.removeLocal + plan.counts.conflicts + plan.counts.deletes + plan.counts.dropped === 0 && !plan.firstPull?.all;
  const header = plan?.table.header ?? [];
  return (
    <section aria-label={t("tabSync")} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <NeedSignIn />
      <NeedWorkbook />
      <Field label={t("entity")}>
        <Dropdown data-testid="entity-picker" value={entity.label[lang]} selectedOptions={[entityId]} onOptionSelect={(_, d) => { setEntityId(d.optionValue as EntityId); setPlan(undefined); setMapping(undefined); setHeaderText(""); setValueMaps({}); }}>
          {Object.values(ENTITIES).map((e) => (
            <Option key={e.id} value={e.id}>{e.label[lang]}</Option>
          ))}
        </Dropdown>
      </Field>
      <SheetPicker value={sheet} onChange={(s) => { setSheet(s); setPlan(undefined); setMapping(undefined); setHeaderText(""); setValueMaps({}); setRangeTop(0); }} />
      <div style={{ display: "flex", gap: 4, flexWrap: "wrap" }}>
        <Button appearance="primary" disabled={!sheet || !session || busy} onClick={() => void compare()} data-testid="compare">{t("compare")}</Button>
        <Button disabled={!port} onClick={() => void template()}>{t("createTemplate")}</Button>
      </div>
      {mapping && (plan || error || busy) && (
        <details open={mappingOpen} onToggle={(e) => setMappingOpen(e.currentTarget.open)} data-testid="sync-mapping">
          <summary>{t("mapping")}</summary>
          <Field label={t("headerRow")} hint={t("headerRowHint")} size="small">
            <Input size="small" data-testid="header-row" value={headerText} onChange={(_, d) => setHeaderText(d.value)}
              onKeyDown={(e) => { if (e.key === "Enter") void compare(null); }} onBlur={() => { if (headerText !== (plan?.header.sheetRows.join(",") ?? "")) void compare(null); }} />
          </Field>
          {mapping.map((f, i) => (
            <Field key={i} label={`${header[i] || `#${i + 1}`}${f && plan?.sheetMapping.units?.[f] ? ` (${t("columnUnit")}: ${MONEY_UNITS[plan.sheetMapping.units[f]].label[lang]})` : ""}`} size="small">
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
            <Badge appearance="tint" color={plan.counts.held ? "warning" : "brand"}>{t("invalid")}: {plan.counts.held}</Badge>
            <Badge appearance="tint" color={plan.counts.deletes ? "danger" : "brand"}>{t("deletes")}: {plan.counts.deletes}</Badge>
            <Badge appearance="tint" color={plan.counts.ownerChanges ? "warning" : "brand"}>{t("ownerChanges")}: {plan.counts.ownerChanges}</Badge>
            <Badge appearance="tint">{t("unchanged")}: {plan.counts.unchanged}</Badge>
          </div>
          {nothing && <Notice intent="success" text={t("nothingToDo")} />}
          {plan.migrated && <Notice intent="info" text={t("migratedNote")} />}
          {plan.counts.hiddenEdits > 0 && <Notice intent="info" text={`${t("hiddenEdits")}: ${plan.counts.hiddenEdits}`} />}
          {plan.notSaved.length > 0 && <Notice intent="info" text={plan.notSaved.map((n) => `${n.address}: ${n.message[lang]}`).join("; ")} />}
          {plan.skippedRows.length > 0 && <SkippedRows plan={plan} t={t} lang={lang} />}
          {plan.unknownValues.length > 0 && (
            <UnknownValues plan={plan} t={t} lang={lang} onMap={(field, key, id) => {
              const maps = { ...valueMaps, [field]: { ...(valueMaps[field] ?? {}), [key]: id } };
              setValueMaps(maps);
              void compare(mapping, maps);
            }} />
          )}
          {plan.firstPull && <FirstPullPicker plan={plan} value={scope} onChange={setScope} t={t} />}
          {plan.needsOwner.length > 0 && <OwnerPicker plan={plan} owner={owner} owners={owners} setOwner={setOwner} setOwners={setOwners} t={t} lang={lang} />}
          {plan.ownerChanges.length > 0 && (
            <section aria-label={t("ownerChanges")} data-testid="owner-changes">
              <Text weight="semibold">{t("ownerChanges")}</Text>
              <ul>{plan.ownerChanges.map((c) => <li key={c.key}><b>{c.name}</b>: {c.fromName ?? c.from ?? "—"} → {c.toName}</li>)}</ul>
            </section>
          )}
          {plan.deletes.length > 0 && (
            <section aria-label={t("deletes")} data-testid="deletes">
              <Text weight="semibold">{t("deletesProposed")}</Text>
              <ul>{plan.deletes.map((d) => <li key={d.key}><b>{d.name}</b> · {d.ownerName ?? d.owner ?? "—"}{d.changedSince ? ` (${t("changedSince")})` : ""}</li>)}</ul>
              <Checkbox checked={confirmDeletes} onChange={(_, d) => setConfirmDeletes(!!d.checked)} label={t("confirmDeletes")} data-testid="confirm-deletes" />
            </section>
          )}
          {plan.dropped.length > 0 && (
            <section aria-label={t("dropped")} data-testid="dropped">
              <Notice intent="info" text={t("droppedNote")} />
              <ul>{plan.dropped.map((d) => <li key={d.key}>{d.name}</li>)}</ul>
            </section>
          )}
          {plan.problems.length > 0 && <Problems plan={plan} problems={plan.problems} entity={entity} lang={lang} t={t} />}
          {plan.problems.length > 0 && port && (
            <div>
              <Button size="small" data-testid="problems-sheet" onClick={() => void port.apply(problemsSheetOps(plan.problems, entity, lang, t("problemsSheetName"), (r) => t(`reason_${r}` as StringKey))).then(() => { setNote(t("problemsSheetDone")); touched(); })}>{t("problemsSheet")}</Button>
            </div>
          )}
          <Notice intent="success" text={note} />
          {plan.conflicts.length > 0 && <Conflicts plan={plan} resolutions={resolutions} setResolutions={setResolutions} t={t} lang={lang} />}
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
            {t("created")} {summary.created} · {t("updated")} {summary.updated} · {t("pulled")} {summary.pulled} · {t("added")} {summary.added} · {t("removed")} {summary.removed} · {t("deleted")} {summary.deleted} · {t("dropped")} {summary.dropped} · {t("conflicts")} {summary.conflicts.length} · {t("invalid")} {summary.problems.length} · {t("rowsSent")} {summary.rowsSent} · {t("requests")} {summary.requests}
          </Text>
          {summary.problems.length > 0 && <Problems plan={undefined} problems={summary.problems} entity={entity} lang={lang} t={t} />}
        </section>
      )}
    </section>
  );
}

/** Rows that are not records (blank, totals, subtotals), each with why: never sent, never a deletion. */
export function SkippedRows({ plan, t, lang }: { plan: SyncPlan; t: (k: StringKey) => string; lang: Lang }) {
  const at = (r: number) => (lang === "zh" ? `第 ${plan.table.row + 2 + r} 行` : `Row ${plan.table.row + 2 + r}`);
  return (
    <details data-testid="skipped-rows">
      <summary>{t("skippedRows")}: {plan.skippedRows.length}</summary>
      <ul>{plan.skippedRows.map((s) => <li key={s.row}>{at(s.row)}: {s.message[lang]}</li>)}</ul>
    </details>
  );
}

/** Enum values the catalogue does not know: the user says once what each means, for this sheet. */
export function UnknownValues({ plan, t, lang, onMap }: { plan: SyncPlan; t: (k: StringKey) => string; lang: Lang; onMap: (field: string, key: string, id: string) => void }) {
  return (
    <section aria-label={t("unknownValues")} data-testid="unknown-values">
      <Text weight="semibold">{t("unknownValues")}</Text>
      {plan.unknownValues.map((u) => (
        <Field key={`${u.field}:${u.key}`} size="small"
          label={`“${u.value}” · ${plan.entity.columns.find((c) => c.field === u.field)?.label[lang] ?? u.field} · ${u.rows.map((r) => plan.table.row + 2 + r).join(", ")}`}>
          <Dropdown size="small" placeholder={t("valueMapPick")} data-testid={`value-map-${u.field}`} onOptionSelect={(_, d) => { if (d.optionValue) onMap(u.field, u.key, d.optionValue); }}>
            {u.accepted.map((a) => <Option key={a.id} value={a.id}>{a[lang]}</Option>)}
          </Dropdown>
        </Field>
      ))}
    </section>
  );
}

function scopeKey(s: PullScope): string {
  return s.kind === "team" ? `team:${s.team}` : s.kind;
}

function scopeOf(key: string): PullScope {
  if (key.startsWith("team:")) return { kind: "team", team: key.slice(5) };
  return key === "mine" || key === "all" ? { kind: key } : { kind: "none" };
}

export function FirstPullPicker({ plan, value, onChange, t }: { plan: SyncPlan; value: string; onChange: (v: string) => void; t: (k: StringKey) => string }) {
  const fp = plan.firstPull;
  if (!fp) return null;
  const n = (k: number) => `${k} ${t("rowsUnit")}`;
  return (
    <section aria-label={t("firstPullTitle")} data-testid="first-pull">
      <Text weight="semibold">{t("firstPullTitle")}</Text>
      <RadioGroup value={value} onChange={(_, d) => onChange(d.value)}>
        <Radio value="mine" label={`${t("pullMine")} (${n(fp.mine)})`} />
        {fp.teams.map((tm) => <Radio key={tm.id} value={`team:${tm.id}`} label={`${t("pullTeam")} ${tm.name} (${n(tm.count)})`} />)}
        <Radio value="all" label={`${t("pullAll")} (${n(fp.all)})`} />
        <Radio value="none" label={t("pullNone")} />
      </RadioGroup>
    </section>
  );
}

export function OwnerPicker({ plan, owner, owners, setOwner, setOwners, t, lang }: {
  plan: SyncPlan; owner: string | undefined; owners: Record<number, string>;
  setOwner: (o: string | undefined) => void; setOwners: (o: Record<number, string>) => void; t: (k: StringKey) => string; lang: Lang;
}) {
  const managers = useMemo(() => plan.directory.users.filter((u) => isManager({ roles: parseRolesClaim(u.roles) })), [plan]);
  const label = (id: string | undefined) => (id ? `${managers.find((m) => m.id === id)?.name ?? id} (${id})` : "");
  return (
    <section aria-label={t("needsOwner")} data-testid="owner-picker">
      <Text weight="semibold">{t("needsOwner")}: {plan.needsOwner.length}</Text>
      <Field label={t("ownerForAll")}>
        <Dropdown data-testid="owner-for-all" value={label(owner)} selectedOptions={owner ? [owner] : []} onOptionSelect={(_, d) => setOwner(d.optionValue)}>
          {managers.map((m) => <Option key={m.id} value={m.id}>{`${m.name} (${m.id})`}</Option>)}
        </Dropdown>
      </Field>
      <details>
        <summary>{t("ownerPerRow")}</summary>
        {plan.needsOwner.map((r) => (
          <Field key={r.row} label={`${r.name} (${lang === "zh" ? "第" : "row "}${plan.table.row + 2 + r.row}${lang === "zh" ? "行" : ""})`} size="small">
            <Dropdown size="small" value={owners[r.row] ? label(owners[r.row]) : t("sameAsAll")} selectedOptions={[owners[r.row] ?? ""]}
              onOptionSelect={(_, d) => { const next = { ...owners }; if (d.optionValue) next[r.row] = d.optionValue; else delete next[r.row]; setOwners(next); }}>
              <Option value="">{t("sameAsAll")}</Option>
              {managers.map((m) => <Option key={m.id} value={m.id}>{`${m.name} (${m.id})`}</Option>)}
            </Dropdown>
          </Field>
        ))}
      </details>
    </section>
  );
}

export function Problems({ plan, problems, entity, lang, t }: { plan: SyncPlan | undefined; problems: SyncPlan["problems"]; entity: EntityDef; lang: Lang; t: (k: StringKey) => string }) {
  const groups = groupProblems(problems, entity, lang);
  return (
    <section aria-label={t("problemsTitle")} data-testid="problems">
      <Text weight="semibold">{t("problemsTitle")}</Text>
      {plan && plan.held.length > 0 && <Text as="p" size={200}>{t("heldRows")}: {plan.held.length}</Text>}
      {groups.map((g) => (
        <details key={`${g.field}/${g.reason}`}>
          <summary><b>{g.label}</b> · {t(`reason_${g.reason}` as StringKey)} · {g.count}</summary>
          <Text as="p" size={200}>{g.example[lang]}</Text>
          <Text as="p" size={200}>{g.cells.slice(0, 50).join(", ")}{g.cells.length > 50 ? " …" : ""}</Text>
        </details>
      ))}
    </section>
  );
}

export function Conflicts({ plan, resolutions, setResolutions, t, lang }: { plan: SyncPlan; resolutions: Resolutions; setResolutions: (r: Resolutions) => void; t: (k: StringKey) => string; lang: Lang }) {
  const all = (r: Resolution) => setResolutions(Object.fromEntries(plan.conflicts.map((c) => [c.key, Object.fromEntries(c.fields.map((f) => [f.field, r]))])));
  const label = (f: string) => plan.entity.columns.find((c) => c.field === f)?.label[lang] ?? f;
  const when = (at: string | undefined) => (at ? new Date(at).toLocaleString(lang === "zh" ? "zh-CN" : "en-US") : "");
  return (
    <section aria-label={t("conflicts")} data-testid="conflicts">
      <div style={{ display: "flex", gap: 4 }}>
        <Button size="small" onClick={() => all("mine")}>{t("allMine")}</Button>
        <Button size="small" onClick={() => all("theirs")}>{t("allTheirs")}</Button>
      </div>
      {plan.conflicts.map((c: Conflict) => (
        <div key={c.key} style={{ borderTop: "1px solid #ddd", paddingTop: 4 }} data-testid={`conflict-${c.key}`}>
          <Text weight="semibold">{c.name}</Text>
          {c.gone && <Notice intent="warning" text={t("storeDeleted")} />}
          {c.fields.length > 0 && (
            <Table size="extra-small" aria-label={c.name}>
              <TableHeader><TableRow><TableHeaderCell>{t("field")}</TableHeaderCell><TableHeaderCell>{t("mine")}</TableHeaderCell><TableHeaderCell>{t("theirs")}</TableHeaderCell><TableHeaderCell>{t("changedBy")}</TableHeaderCell><TableHeaderCell /></TableRow></TableHeader>
              <TableBody>
                {c.fields.map((f) => (
                  <TableRow key={f.field}>
                    <TableCell>{label(f.field)}</TableCell>
                    <TableCell>{showValue(plan, f.field, f.mine, lang)}</TableCell>
                    <TableCell>{showValue(plan, f.field, f.theirs, lang)}</TableCell>
                    <TableCell>{f.byName ?? f.by ?? ""} {when(f.at)}</TableCell>
                    <TableCell>
                      <RadioGroup layout="horizontal" aria-label={`${c.name} ${label(f.field)}`} value={resolutions[c.key]?.[f.field] ?? ""}
                        onChange={(_, d) => setResolutions({ ...resolutions, [c.key]: { ...(resolutions[c.key] ?? {}), [f.field]: d.value as Resolution } })}>
                        <Radio value="mine" label={t("keepMine")} />
                        <Radio value="theirs" label={t("takeTheirs")} />
                      </RadioGroup>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </div>
      ))}
    </section>
  );
}
