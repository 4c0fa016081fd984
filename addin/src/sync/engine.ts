/**
 * The three-way sync, field by field. For every cell it compares three states:
 * the cell now, the cell at the last sync, the store now. The last-synced state lives in the
 * workbook's very-hidden state sheet and keeps, per row, the id, the version and a hash of each
 * raw cell (hashes, never values: confidential data must not sit in the file).
 *
 *   user changed  = hash of the cell now ≠ hash at the last sync
 *   store changed = hash of the store's value rendered as the cell ≠ the store's hash at the last sync
 *
 *   user │ store │ action
 *   ─────┼───────┼──────────────────────────────────────────────────────────────────────────
 *    no  │  no   │ nothing (a second sync with no change sends nothing)
 *    yes │  no   │ the cell is parsed, resolved and sent as a merge write (absent fields keep theirs)
 *    no  │  yes  │ the store's value is written into the cell
 *    yes │  yes  │ same value → converge; else a CONFLICT of that field (mine / theirs per field)
 *
 * Only cells the user changed are parsed, so a directory change never holds back untouched rows.
 * Rules that keep shared data safe:
 * - blank at the last sync and blank now is nothing; non-blank → blank clears the field (`null`),
 *   except the owner (a problem); a column the sheet lacks is never sent;
 * - a row with any problem is held back whole (nothing sent or written, never a deletion);
 * - hiding or filtering rows is not an edit; edits in hidden rows are sent like any other;
 * - a deletion is an id of the last-synced state found in no row of the sheet's used range.
 *   Directors get it proposed (by name and owner) and confirm it; for other roles the row only
 *   leaves this sheet's state and is not pulled back into the sheet;
 * - the owner never changes implicitly: a new row without one gets the signed-in manager, a
 *   director chooses; an existing account's owner changes only when its owner cell was edited;
 * - nothing is pulled into a sheet before the user chose what to pull (first sync).
 * Pushes are chunked by ≤ 500 items and ≤ 1 MB (the API's batch limits), each chunk with its own
 * Idempotency-Key.
 */
import {
  BATCH_MAX_ITEMS,
  CATALOGUE,
  boolWord,
  REQUEST_MAX_BYTES,
  classifyRows,
  canDeleteAccount,
  defaultAccountOwner,
  detectHeader,
  isManager,
  normalizeKey,
  parseRolesClaim,
  validate,
  type Bilingual,
  type Lang,
  type MoneyUnit,
  type SkippedRowClass,
} from "../../../shared/src/index.js";
import { at, got } from "../../../shared/src/checked.js";
import { effectiveTarget } from "../../../shared/src/targets.js";
import { cellAddress, withHeaderRow, type CellInput, type CellMark, type CellUnmark, type CellValue, type TableData, type TableRef, type WorkbookPort, type WriteOp } from "../workbook/port.js";
import { computedValue, type ColumnDef, type EntityDef } from "./entities.js";
import type { ApiError, ItemResult, SyncRemote } from "./remote.js";
import {
  cellHash,
  columnOf,
  contentHash,
  knownColumn,
  detectMapping,
  numberFormatOf,
  parseCell,
  readRows,
  reportOf,
  toCell,
  type CellProblem,
  type HeaderMapping,
  type MappingReport,
  type ProblemReason,
  type SheetRow,
} from "./rows.js";

/** Format of the state kept per synced sheet. 1: one content hash per row; 2: one hash per cell. */
export const BASELINE_FORMAT = 2;

/** What a first pull brings into a sheet (saved; later syncs add new store items within it). */
export type PullScope = { kind: "mine" } | { kind: "team"; team: string } | { kind: "all" } | { kind: "none" };

/** The last-synced state of one synced sheet (kept in the workbook). */
export interface Baseline {
  v: typeof BASELINE_FORMAT;
  entity: string;
  /** The sheet's language, fixed when it was first synced: values are written in it. */
  lang: Lang;
  /** Field of each hash slot. */
  fields: string[];
  /** Change cursor for `since` (largest `updatedAt` seen). */
  cursor?: string;
  /** What new store items come into this sheet (absent: nothing chosen yet). */
  scope?: PullScope;
  /**
   * key → [version, cell hashes joined by ",", change time?]. A slot is the cell's hash ("" blank),
   * or "cell|store" when the store's value renders differently from what the cell holds (a value
   * typed as 120万 and stored as 1200000), or "?" when unknown (migrated from format 1). The
   * change time (ms, base 36) is the store's `updatedAt` of that version, where known: a sync
   * whose store answers change times reads in full only the items whose time differs.
   */
  rows: Record<string, [number, string] | [number, string, string]>;
  /** Rows removed from this sheet by a role that cannot delete: not pulled back into it. */
  dropped?: string[];
  /** Problem cells marked in the sheet → the fill they had before (null: none). */
  marks?: Record<string, string | null>;
  /** How the sheet is read, kept with its mapping so that every later sync reads it the same way. */
  sheet?: SheetMapping;
}

/**
 * A sheet's own reading rules: the header row(s) the user picked, the money unit of each column
 * (from its header, `金额(万元)`, or a `单位：万元` title row; applied on read and on write), and
 * enum values the user mapped once for the sheet (per field: normalizeKey(raw) → id).
 */
export interface SheetMapping {
  /** 0-based rows of the header in the sheet's used range, when the user picked them. */
  headerRows?: number[];
  units?: Record<string, MoneyUnit>;
  valueMaps?: Record<string, Record<string, string>>;
}

/** A row of the sheet that is not a record (blank, totals, subtotal): never pushed, never a deletion. */
export interface SkippedRow {
  /** 0-based data row in the table. */
  row: number;
  kind: SkippedRowClass["kind"];
  reason: SkippedRowClass["reason"] | "hook";
  message: Bilingual;
}

/** An enum value the catalogue does not know, with the cells holding it and the values accepted. */
export interface UnknownValue {
  field: string;
  /** The text as typed (first spelling seen). */
  value: string;
  /** normalizeKey(value): the key a value map uses. */
  key: string;
  rows: number[];
  accepted: { id: string; zh: string; en: string }[];
}

/** Format 1 (one content hash of the parsed row). */
interface BaselineV1 {
  v: 1;
  entity: string;
  fields: string[];
  cursor?: string;
  rows: Record<string, [number, string]>;
}

export interface DirectoryUser {
  id: string;
  name: string;
  roles: string[];
  team?: string;
}

export interface Directory {
  users: DirectoryUser[];
  teams: { id: string; name: string }[];
}

/** Who last changed one field of an item (the API's `lastChanged[fieldPath]`). */
export interface ChangeStamp {
  by: string;
  byName?: string;
  at: string;
}

export interface RemoteRow {
  key: string;
  version: number;
  /** The store's change time (ms) of this version. */
  t?: number;
  fields: Record<string, unknown>;
  lastChanged?: Record<string, ChangeStamp>;
}

export type Resolution = "mine" | "theirs";

export interface FieldConflict {
  field: string;
  /** The cell's value, parsed and resolved (undefined: blank → clear). */
  mine: unknown;
  theirs: unknown;
  /** Who changed the store's side, and when (when the store says). */
  by?: string;
  byName?: string;
  at?: string;
}

export interface Conflict {
  key: string;
  /** Data row in the sheet (-1: not in the sheet). */
  row: number;
  /** Account (or item) name, for the card. */
  name: string;
  fields: FieldConflict[];
  /** The item was deleted in the store while the row was edited here. */
  gone?: boolean;
  /** The store refused the write: changed meanwhile; the next sync shows the fields. */
  stale?: boolean;
}

/** One item to write: only the fields that changed (null clears), or every filled field of a new row. */
export interface PushRow {
  key: string;
  row: number;
  isNew: boolean;
  version: number;
  name: string;
  fields: Record<string, unknown>;
  /** Cell hash of each sent field (the new last-synced state once written). */
  hashes: Record<string, string>;
  /** A director's new row without an owner: executeSync takes the choice. */
  needsOwner?: boolean;
  hidden: boolean;
}

export interface PullRow {
  key: string;
  /** Data row to write into; undefined: a new row at the end. */
  row?: number;
  /** Fields to write (all mapped ones for a new row). */
  fields: string[];
  remote: RemoteRow;
  /** First sync: a store row the chosen pull scope may bring in (executeSync decides). */
  candidate?: boolean;
}

export interface DeleteProposal {
  key: string;
  name: string;
  owner?: string;
  ownerName?: string;
  version: number;
  /** The store changed the item since this sheet's last sync. */
  changedSince?: boolean;
}

export interface OwnerChange {
  key: string;
  row: number;
  name: string;
  from?: string;
  fromName?: string;
  to: string;
  toName: string;
}

export interface HeldRow {
  row: number;
  key: string;
  problems: CellProblem[];
}

export interface FirstPull {
  mine: number;
  all: number;
  teams: { id: string; name: string; count: number }[];
  /** What the pane preselects: my accounts for a manager, everything for other roles. */
  suggested: PullScope;
}

export interface ProblemGroup {
  field: string;
  label: string;
  reason: ProblemReason;
  count: number;
  /** Cell addresses (the first ones are enough to find them; all are marked in the sheet). */
  cells: string[];
  /** One message of the group, as an example. */
  example: Bilingual;
}

export interface SyncCounts {
  push: number;
  pull: number;
  add: number;
  removeLocal: number;
  conflicts: number;
  deletes: number;
  dropped: number;
  invalid: number;
  held: number;
  unchanged: number;
  needsOwner: number;
  ownerChanges: number;
  hiddenEdits: number;
}

/** What a plan is built from and keeps: the table, its mapping and the three states. */
export interface PlanBasis {
  entity: EntityDef;
  table: TableData;
  ref: TableRef;
  stateKey: string;
  mapping: MappingReport;
  /** The sheet's language (fixed in the state at the first sync). */
  lang: Lang;
  userId?: string;
  roles: string[];
  directory: Directory;
  /** Mapped fields, in column order (what the hashes cover). */
  fields: string[];
  base: Baseline | undefined;
  /** The state was format 1 and is migrated by this sync. */
  migrated: boolean;
  rows: SheetRow[];
  /** Data rows left out (blank, totals, subtotals, or `skipRow`), for the review to list. */
  skipped: number[];
  /** The same rows with their kind and reason. */
  skippedRows: SkippedRow[];
  /**
   * The header as found or picked: 0-based rows of the used range (what a pick saves), the same
   * as 1-based sheet rows (what the review shows), and whether the user picked them.
   */
  header: { rows: number[]; sheetRows: number[]; chosen: boolean };
  /** The sheet's reading rules in force (saved in the state with the sync). */
  sheetMapping: SheetMapping;
  remote: Map<string, RemoteRow>;
  /** Remote view is every visible item (not only changes since the cursor). */
  complete: boolean;
  cursor?: string;
}

export interface SyncPlan extends PlanBasis {
  /** contacts: versions of the accounts in the remote view. */
  accountVersions: Map<string, number>;
  push: PushRow[];
  pull: PullRow[];
  /** Rows of items deleted in the store (the row is cleared in the sheet). */
  removeLocal: SheetRow[];
  conflicts: Conflict[];
  /** Directors: rows gone from the sheet, proposed as deletions (tombstones after confirmation). */
  deletes: DeleteProposal[];
  /** Other roles: rows gone from the sheet that only leave this sheet's state. */
  dropped: { key: string; name: string }[];
  problems: CellProblem[];
  /** Enum values the catalogue does not know, for the user to map once for the sheet. */
  unknownValues: UnknownValue[];
  held: HeldRow[];
  ownerChanges: OwnerChange[];
  /** New rows that need an owner chosen (directors). */
  needsOwner: PushRow[];
  /** Cells typed over in a computed column (archive completeness): not sent, not a problem. */
  notSaved: CellProblem[];
  /** First sync of this sheet: what could be pulled (nothing is, before the user chooses). */
  firstPull?: FirstPull;
  /** The new last-synced state of the rows, as if every write succeeds (sent fields added on success). */
  next: Map<string, BaseRow>;
  /** Rows removed from the state (gone on both sides). */
  forget: Set<string>;
  counts: SyncCounts;
  requests: number;
}

export interface SyncProgress {
  phase: "push" | "delete" | "write";
  done: number;
  total: number;
}

export interface SyncSummary {
  created: number;
  updated: number;
  unchanged: number;
  pulled: number;
  added: number;
  removed: number;
  deleted: number;
  dropped: number;
  conflicts: Conflict[];
  problems: CellProblem[];
  /** Items sent in upserts. */
  rowsSent: number;
  /** HTTP requests made (list + directory + upserts + deletes). */
  requests: number;
  cancelled: boolean;
  error?: ApiError;
}

export interface PrepareOptions {
  port: WorkbookPort;
  remote: SyncRemote;
  entity: EntityDef;
  ref: TableRef;
  /** The pane's language: the sheet's language when it is synced the first time. */
  lang: Lang;
  userId?: string;
  /** Role ids of the signed-in user (director, manager, …; any case). */
  roles?: string[];
  /** A mapping the user edited; else auto-detected. */
  mapping?: HeaderMapping;
  /**
   * Header row(s) picked by the user, 0-based in the sheet's used range (saved with the sheet's
   * mapping). Without it: the saved pick, else the shared header detection below title rows.
   */
  headerRows?: number[];
  /** Values the user mapped for this sheet, per field (merged over the saved ones). */
  valueMaps?: Record<string, Record<string, string>>;
  /** Money units per field (over the saved and detected ones). */
  units?: Record<string, MoneyUnit>;
  /** Take the header from the block's rows yourself (no header detection); default: detection. */
  prepareTable?: (t: TableData) => TableData;
  /** Rows to leave out (totals, subtotals: totals-row detection). */
  skipRow?: (line: readonly CellValue[], row: number) => boolean;
}

export type Prepared = { ok: true; plan: SyncPlan } | { ok: false; message: Bilingual; mapping?: MappingReport; error?: ApiError };

export function stateKeyOf(entity: EntityDef, sheet: string): string {
  return `sync:${entity.id}:${sheet}`;
}

/** Fields that hold people: a user id, or a display name unique in the directory. */
export const PEOPLE_FIELDS: ReadonlySet<string> = new Set(["owner", "liaisonLeader"]);


/** Read the table and its state, fetch the store's view and the directory, and plan every cell. */
export async function prepareSync(o: PrepareOptions): Promise<Prepared> {
  const sheetName = o.ref.sheet ?? o.ref.table ?? "";
  let stateKey = stateKeyOf(o.entity, sheetName);
  const read = await o.port.read({ tables: [o.ref], state: [stateKey], withFormulas: true });
  const raw = read.tables[0];
  if (!raw) return { ok: false, message: { zh: `找不到工作表或表格 ${sheetName}`, en: `sheet or table ${sheetName} not found` } };
  const stored = parseState(read.state[stateKey], o.entity);
  const saved: SheetMapping = stored?.v === BASELINE_FORMAT ? (stored.sheet ?? {}) : {};
  const found = o.prepareTable ? undefined : findHeader(raw, o.entity, o.headerRows ?? saved.headerRows);
  const table = o.prepareTable ? o.prepareTable(raw) : found!.table;
  if (table.sheet !== sheetName) stateKey = stateKeyOf(o.entity, table.sheet);
  const detected = o.mapping ? undefined : found?.mapping;
  const mapping = o.mapping ? reportOf(table.header, o.entity, o.mapping) : (detected ?? detectMapping(table.header, o.entity));
  // The sheet's reading rules: units saved with the mapping, a unit the header (or a 单位 title
  // row) states now over them, and the caller's over both.
  const units: Record<string, MoneyUnit> = { ...(saved.units ?? {}), ...(found?.units ?? {}), ...(o.units ?? {}) };
  for (const f of Object.keys(units)) if (columnOf(o.entity, f)?.kind !== "money" || !mapping.mapping.includes(f)) delete units[f];
  const valueMaps: Record<string, Record<string, string>> = {};
  for (const src of [saved.valueMaps, o.valueMaps]) for (const [f, m] of Object.entries(src ?? {})) valueMaps[f] = { ...(valueMaps[f] ?? {}), ...m };
  const headerRows = o.headerRows ?? saved.headerRows;
  const sheetMapping: SheetMapping = {
    ...(headerRows?.length ? { headerRows: [...headerRows] } : {}),
    ...(Object.keys(units).length ? { units } : {}),
    ...(Object.keys(valueMaps).length ? { valueMaps } : {}),
  };
  const entity = sheetEntity(o.entity, units, valueMaps);
  if (mapping.missing.length) {
    return {
      ok: false,
      mapping,
      message: {
        zh: `缺少必需的列：${mapping.missing.map((c) => c.label.zh).join("、")}`,
        en: `required columns missing: ${mapping.missing.map((c) => c.label.en).join(", ")}`,
      },
    };
  }
  if (!mapping.mapping.includes("id")) {
    return { ok: false, mapping, message: { zh: `缺少编号列（${knownColumn(o.entity, "id").label.zh}）`, en: `the id column (${knownColumn(o.entity, "id").label.en}) is missing` } };
  }
  // Blank, totals and subtotal rows are not records: listed as skipped, never read as rows.
  const keyColumns = mapping.mapping.flatMap((f, c) => (f === "id" || f === "name" || f === "accountId" ? [c] : []));
  const kinds = classifyRows(table.rows, { keyColumns, units: mapping.mapping.map((f) => (f ? units[f] : undefined)) });
  const skippedRows: SkippedRow[] = [];
  const skipRow = (line: readonly CellValue[], r: number): boolean => {
    const k = kinds[r];
    if (k && k.kind !== "data") {
      skippedRows.push({ row: r, kind: k.kind, reason: k.reason, message: k.message });
      return true;
    }
    if (o.skipRow?.(line, r)) {
      skippedRows.push({ row: r, kind: "totals", reason: "hook", message: { zh: "已跳过", en: "skipped" } });
      return true;
    }
    return false;
  };
  const fields = mapping.mapping.filter((f): f is string => !!f && !!columnOf(o.entity, f));
  // Changes only (`since`) when the state's hashes cover every mapped field; else the whole view.
  // A column whose unit changed renders every stored value anew: that needs the whole view too.
  const sameUnits = sameValue(Object.entries(saved.units ?? {}).sort(), Object.entries(units).sort());
  const current = o.entity.since && stored?.v === BASELINE_FORMAT && sameUnits && fields.every((f) => stored.fields.includes(f)) ? stored : undefined;
  const since = current?.cursor;
  const [listed, dir, sheet] = await Promise.all([
    current && o.entity.changeTimes && o.remote.changes ? changedItems(o.remote, o.entity, current) : o.remote.list(o.entity, since).then((r): StoreRead => (r.ok ? { ...r, complete: since === undefined, requests: 1 } : r)),
    o.remote.directory ? o.remote.directory() : Promise.resolve(undefined),
    readRows(table, entity, mapping.mapping, { skip: skipRow }),
  ]);
  if (!listed.ok) return { ok: false, error: listed.error, mapping, message: { zh: `读取服务器数据失败：${listed.error.message}`, en: `could not read the store: ${listed.error.message}` } };
  let requests = listed.requests + (o.remote.directory ? 1 : 0);
  if (dir && !dir.ok) return { ok: false, error: dir.error, mapping, message: { zh: `读取用户目录失败：${dir.error.message}`, en: `could not read the user directory: ${dir.error.message}` } };
  const directory: Directory = dir?.ok ? dir.value : { users: [], teams: [] };
  let items = listed.value;
  let complete = listed.complete;
  /** Every change up to this time was seen (from the change times, when read). */
  const seenUpTo = listed.cursor;
  if (!complete && stored) {
    // A row gone from the sheet is named in the review by the store's name and owner: when the
    // change list does not carry it, read the whole view once.
    const inDelta = new Set(items.map((i) => String(i.id)));
    const vanished = Object.keys(stored.rows).some((k) => !sheet.idCells.has(k) && !inDelta.has(accountOfKey(k)));
    if (vanished) {
      const full = await o.remote.list(o.entity);
      requests++;
      if (!full.ok) return { ok: false, error: full.error, mapping, message: { zh: `读取服务器数据失败：${full.error.message}`, en: `could not read the store: ${full.error.message}` } };
      items = full.value;
      complete = true;
    }
  }
  const base: Baseline | undefined = stored?.v === BASELINE_FORMAT ? stored : undefined;
  const planOf = (all: Record<string, unknown>[], whole: boolean) => {
    const view = remoteView(entity, all, fields);
    return classify({
      entity,
      table,
      ref: o.ref,
      stateKey,
      mapping,
      lang: base?.lang ?? o.lang,
      userId: o.userId,
      roles: (o.roles ?? []).map((r) => r.toLowerCase()),
      directory,
      fields,
      base: stored?.v === 1 ? migrateState(stored, sheet.rows, fields, entity, o.userId, o.lang, peopleOf(directory)) : base,
      migrated: stored?.v === 1,
      rows: sheet.rows,
      skipped: skippedRows.map((x) => x.row).sort((a, b) => a - b),
      skippedRows: [...skippedRows].sort((a, b) => a.row - b.row),
      header: headerOf(found?.rows ?? [], table, !!(o.headerRows ?? saved.headerRows)?.length),
      sheetMapping,
      remote: view.rows,
      complete: whole,
      cursor: maxCursor(maxCursor(stored?.cursor, view.cursor), seenUpTo),
      coveredAccounts: view.coveredAccounts,
      gone: view.gone,
      idCells: sheet.idCells,
    });
  };
  let plan = planOf(items, complete);
  if (!complete && plan.ownerChanges.some((c) => c.from === undefined)) {
    // An ownership change names the owner it replaces: read the whole view once.
    const full = await o.remote.list(o.entity);
    requests++;
    if (!full.ok) return { ok: false, error: full.error, mapping, message: { zh: `读取服务器数据失败：${full.error.message}`, en: `could not read the store: ${full.error.message}` } };
    plan = planOf(full.value, true);
  }
  plan.requests = requests;
  return { ok: true, plan };
}

/**
 * The store's items that changed since the state was saved, from the change times (ids and
 * `updatedAt`, no item reads): an item whose time is the one the state holds for its row is as
 * last synced; the others are read with one `since` list from the earliest of their times. With
 * no cursor the times cover the whole view: a row of the state missing from them has left it,
 * which only the whole list tells apart, so that is read instead.
 */
type StoreRead = { ok: true; value: Record<string, unknown>[]; complete: boolean; requests: number; cursor?: string } | { ok: false; error: ApiError };

/** Sorted row numbers as runs of consecutive rows: [1, 2, 3, 7, 8] → {1..3}, {7..8}. */
function consecutiveRuns(sorted: readonly number[]): { first: number; last: number }[] {
  const runs: { first: number; last: number }[] = [];
  let run: { first: number; last: number } | undefined;
  for (const n of sorted) {
    if (run && n === run.last + 1) run.last = n;
    else runs.push((run = { first: n, last: n }));
  }
  return runs;
}

/** The account part of a row key (`account/contact` for contacts; the whole key otherwise). */
function accountOfKey(key: string): string {
  const slash = key.indexOf("/");
  return slash < 0 ? key : key.slice(0, slash);
}

async function changedItems(remote: SyncRemote, entity: EntityDef, state: Baseline): Promise<StoreRead> {
  const times = await remote.changes!(entity, state.cursor);
  if (!times.ok) return times;
  const seen = new Set<string>();
  let newest: string | undefined, earliest: string | undefined;
  for (const e of times.value) {
    seen.add(e.id);
    newest = maxCursor(newest, e.updatedAt);
    const held = state.rows[e.id]?.[2];
    if (held !== undefined && parseInt(held, 36) === Date.parse(e.updatedAt)) continue;
    if (earliest === undefined || e.updatedAt < earliest) earliest = e.updatedAt;
  }
  if (state.cursor === undefined && Object.keys(state.rows).some((k) => !seen.has(k))) {
    const full = await remote.list(entity);
    return full.ok ? { ok: true, value: full.value, complete: true, requests: 2 } : full;
  }
  if (earliest === undefined) return { ok: true, value: [], complete: false, requests: 1, ...(newest ? { cursor: newest } : {}) };
  // From just before the earliest: a store's `since` need not include the cursor's own instant.
  const delta = await remote.list(entity, new Date(Date.parse(earliest) - 1).toISOString());
  return delta.ok ? { ok: true, value: delta.value, complete: false, requests: 2, ...(newest ? { cursor: newest } : {}) } : delta;
}

/**
 * The header of a sheet's used range found by the shared detector (below title rows; two-row
 * bilingual or grouped headers), or the rows the user picked. The table answered starts below
 * it; its header texts are the detector's (two rows joined by " / "). A named table or a range
 * whose first row is the header reads as before.
 */
function findHeader(raw: TableData, entity: EntityDef, picked: readonly number[] | undefined): { table: TableData; rows: number[]; mapping?: MappingReport; units: Record<string, MoneyUnit> } {
  const grid: CellValue[][] = [raw.header, ...raw.rows];
  const d = detectHeader(grid, CATALOGUE[entity.id].fields, picked?.length ? { headerRows: picked } : {});
  const last = d.headerRows.at(-1);
  if (last === undefined) return { table: raw, rows: [0], units: {} };
  const table = last === 0 ? raw : withHeaderRow(raw, last - 1);
  const header = table.header.map((h, c) => d.columns.find((x) => x.column === c)?.header ?? h);
  // Fields the sync knows; a header cell the detector left unmatched may still be a template's
  // "客户名称 / Account name" that the sync's own lookup reads.
  const legacy = detectMapping(header, entity).mapping;
  const used = new Set<string>();
  const mapping: HeaderMapping = header.map((_, c) => {
    const f = d.mapping[c];
    if (f && columnOf(entity, f)) { used.add(f); return f; }
    return undefined;
  });
  header.forEach((_, c) => {
    const f = legacy[c];
    if (!mapping[c] && f && !used.has(f) && !d.columns.some((x) => x.column === c && x.duplicateOf !== undefined)) { used.add(f); mapping[c] = f; }
  });
  const units: Record<string, MoneyUnit> = {};
  d.units.forEach((u, c) => { const f = mapping[c]; if (u && f) units[f] = u; });
  return { table: { ...table, header }, rows: d.headerRows, mapping: reportOf(header, entity, mapping), units };
}

/** Enum values the catalogue does not know, one entry per field and spelling (normalizeKey), with the values accepted. */
export function unknownValuesOf(problems: readonly CellProblem[], entity: EntityDef): UnknownValue[] {
  const out = new Map<string, UnknownValue>();
  for (const p of problems) {
    if (p.grammar !== "unknownValue" || p.value === undefined) continue;
    const col = columnOf(entity, p.field);
    if (!col?.enum) continue;
    const key = normalizeKey(p.value);
    const k = `${p.field}\u0000${key}`;
    const u = out.get(k) ?? { field: p.field, value: p.value, key, rows: [], accepted: col.enum.entries.map((e) => ({ id: e.id, zh: e.zh, en: e.en })) };
    u.rows.push(p.row);
    out.set(k, u);
  }
  return [...out.values()];
}

/** The header rows, also as 1-based sheet rows (the table starts below the last of them). */
function headerOf(rows: number[], table: TableData, chosen: boolean): PlanBasis["header"] {
  const last = rows[rows.length - 1] ?? 0;
  return { rows, sheetRows: rows.map((r) => table.row - (last - r) + 1), chosen };
}

/** The entity as this sheet reads it: its money columns in the sheet's units, its value maps. */
function sheetEntity(entity: EntityDef, units: Record<string, MoneyUnit>, valueMaps: Record<string, Record<string, string>>): EntityDef {
  if (!Object.keys(units).length && !Object.keys(valueMaps).length) return entity;
  return {
    ...entity,
    columns: entity.columns.map((c) => (units[c.field] || valueMaps[c.field] ? { ...c, ...(units[c.field] ? { unit: units[c.field] } : {}), ...(valueMaps[c.field] ? { valueMap: valueMaps[c.field] } : {}) } : c)),
  };
}

function maxCursor(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function parseState(raw: string | undefined, entity: EntityDef): Baseline | BaselineV1 | undefined {
  if (!raw) return undefined;
  try {
    const b = JSON.parse(raw) as Baseline | BaselineV1;
    if ((b.v !== 1 && b.v !== BASELINE_FORMAT) || b.entity !== entity.id || typeof b.rows !== "object" || !Array.isArray(b.fields)) return undefined;
    return b;
  } catch {
    return undefined;
  }
}

/** The current state of a sheet, if it has one (format 1 states read as undefined). */
export function parseBaseline(raw: string | undefined, entity: EntityDef): Baseline | undefined {
  const b = parseState(raw, entity);
  return b?.v === BASELINE_FORMAT ? b : undefined;
}

/**
 * Format 1 → 2: a row whose row hash still matches the sheet is unchanged since
 * that sync (its cells become the last-synced cells); otherwise every field is unknown ("?"), so each
 * field that differs from the store is a conflict, never an automatic send.
 */
function migrateState(old: BaselineV1, rows: SheetRow[], fields: string[], entity: EntityDef, userId: string | undefined, lang: Lang, people: People): Baseline {
  const byKey = new Map(rows.filter((r) => r.key).map((r) => [r.key, r]));
  const out: Baseline = { v: BASELINE_FORMAT, entity: entity.id, lang, fields, ...(old.cursor ? { cursor: old.cursor } : {}), scope: { kind: "all" }, rows: {} };
  for (const [key, [version, hash]] of Object.entries(old.rows)) {
    const row = byKey.get(key);
    if (!row) { out.rows[key] = [version, fields.map(() => "?").join(",")]; continue; }
    // Format 1 hashed the parsed row, with an absent owner filled from the signed-in user.
    const parsed: Record<string, unknown> = {};
    let readable = true;
    fields.forEach((f, i) => {
      const p = parseCell(knownColumn(entity, f), row.cells[i] ?? null);
      if ("error" in p) readable = false;
      else parsed[f] = p.value;
    });
    for (const c of entity.columns) if (c.defaultsToUser && parsed[c.field] === undefined && userId) parsed[c.field] = userId;
    const same = readable && contentHash(parsed, old.fields) === hash;
    // Unchanged: the cell is what was synced, and the store then held the value it reads as.
    out.rows[key] = [version, same ? fields.map((f, i) => {
      const c = at(row.hashes, i, "cell hashes");
      const s = cellHash(renderValue(knownColumn(entity, f), parsed[f], lang, people) as CellValue);
      return c === s ? c : `${c}|${s}`;
    }).join(",") : fields.map(() => "?").join(",")];
  }
  return out;
}

/** Project the store's items onto the synced fields (contacts flatten out of their accounts). */
export function remoteView(entity: EntityDef, items: Record<string, unknown>[], keys: readonly string[]): { rows: Map<string, RemoteRow>; cursor?: string; coveredAccounts: Map<string, number>; gone: Set<string> } {
  const rows = new Map<string, RemoteRow>();
  /** Ids the view reports deleted (a changes-only view carries tombstones). */
  const gone = new Set<string>();
  /** contacts: account id → the account's version (contacts share it, docs/contracts.md §6). */
  const coveredAccounts = new Map<string, number>();
  let cursor: string | undefined;
  const computedKeys = keys.filter((k) => columnOf(entity, k)?.computed);
  for (const item of items) {
    const updatedAt = typeof item.updatedAt === "string" ? item.updatedAt : undefined;
    if (updatedAt && (!cursor || updatedAt > cursor)) cursor = updatedAt;
    const version = typeof item.version === "number" ? item.version : 0;
    const lastChanged = item.lastChanged && typeof item.lastChanged === "object" ? (item.lastChanged as Record<string, ChangeStamp>) : undefined;
    if (entity.id === "contacts") {
      const accountId = String(item.id);
      coveredAccounts.set(accountId, version);
      if (item.deleted === true) continue;
      for (const c of (item.contacts as Record<string, unknown>[] | undefined) ?? []) {
        const key = `${accountId}/${String(c.id)}`;
        const stamp = lastChanged?.[`contacts[${String(c.id)}]`];
        const lc = stamp ? Object.fromEntries(keys.map((k) => [k, stamp])) : undefined;
        rows.set(key, { key, version, fields: { ...pick(c, keys), accountId, id: c.id }, ...(lc ? { lastChanged: lc } : {}) });
      }
      continue;
    }
    if (item.deleted === true) { gone.add(String(item.id)); continue; }
    if (entity.id === "targets") {
      const versions = (item.versions as { version: number; amountYuan: number; status: string }[] | undefined) ?? [];
      const effective = effectiveTarget(versions);
      const approved = effective.ok ? effective.value : undefined;
      const pending = [...versions].reverse().find((v) => v.status === "pending");
      rows.set(String(item.id), { key: String(item.id), version: versions.length, fields: pick({ ...item, effective: approved?.amountYuan, pending: pending?.amountYuan }, keys) });
      continue;
    }
    const fields = pick(item, keys);
    for (const k of computedKeys) {
      const v = computedValue(entity.id, k, item);
      if (v === undefined) delete fields[k];
      else fields[k] = v;
    }
    // The name and owner name a row in the review even when their columns are not in the sheet.
    if (item.name !== undefined) fields.name ??= item.name;
    if (item.owner !== undefined) fields.owner ??= item.owner;
    const t = timeOf(updatedAt);
    rows.set(String(item.id), { key: String(item.id), version, fields, ...(lastChanged ? { lastChanged } : {}), ...(t !== undefined ? { t } : {}) });
  }
  return { rows, cursor, coveredAccounts, gone };
}

function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}

// ── the directory ───────────────────────────────────────────────────────────────────────────

/** People lookups: by id, by display name (unique names only). */
export class People {
  private readonly byId = new Map<string, DirectoryUser>();
  private readonly byName = new Map<string, DirectoryUser[]>();
  constructor(readonly directory: Directory) {
    for (const u of directory.users) {
      this.byId.set(u.id, u);
      const k = normalizeKey(u.name);
      this.byName.set(k, [...(this.byName.get(k) ?? []), u]);
    }
  }
  get(id: string): DirectoryUser | undefined {
    return this.byId.get(id);
  }
  /** Name for a cell: the display name when it names one user only, else the id (still resolvable). */
  display(id: string): string {
    const u = this.byId.get(id);
    if (!u) return id;
    return (this.byName.get(normalizeKey(u.name)) ?? []).length === 1 ? u.name : id;
  }
  teamName(id: string): string {
    return this.directory.teams.find((t) => t.id === id)?.name ?? id;
  }
  /** A people cell → user id, or why not. */
  resolve(text: string, field: string): { id: string } | { reason: ProblemReason; message: Bilingual } {
    const t = text.trim();
    const byId = this.byId.get(t);
    const found = byId ? [byId] : (this.byName.get(normalizeKey(t)) ?? []);
    if (found.length > 1) {
      return { reason: "ambiguousPerson", message: { zh: `“${t}”对应多位用户（${found.map((u) => u.id).join("、")}），请填写用户编号`, en: `"${t}" names several users (${found.map((u) => u.id).join(", ")}); enter the user id` } };
    }
    const u = found[0];
    if (!u) return { reason: "unknownPerson", message: { zh: `用户目录中没有“${t}”`, en: `"${t}" is not in the user directory` } };
    if (field === "owner" && !isManager({ roles: parseRolesClaim(u.roles) })) {
      return { reason: "notManager", message: { zh: `负责经理必须是大客户经理：${u.name}（${u.id}）不是`, en: `the owner must be a manager: ${u.name} (${u.id}) is not` } };
    }
    return { id: u.id };
  }
}

/** The People of a directory, built once per directory object: the plan, the write-back and the review share it. */
const peopleCache = new WeakMap<Directory, People>();
function peopleOf(directory: Directory): People {
  let p = peopleCache.get(directory);
  if (!p) peopleCache.set(directory, (p = new People(directory)));
  return p;
}

// ── planning ────────────────────────────────────────────────────────────────────────────────

/** Last-synced state of one row, decoded: per field the cell's hash and the store's hash. */
export interface BaseRow {
  version: number;
  cells: Map<string, { c: string; s: string }>;
  /** The store's change time (ms) of `version`, where known. */
  t?: number;
}

function decodeRow(base: Baseline, key: string): BaseRow | undefined {
  const r = base.rows[key];
  if (!r) return undefined;
  const parts = r[1].split(",");
  const cells = new Map<string, { c: string; s: string }>();
  base.fields.forEach((f, i) => {
    const p = parts[i] ?? "?";
    const bar = p.indexOf("|");
    cells.set(f, bar < 0 ? { c: p, s: p } : { c: p.slice(0, bar), s: p.slice(bar + 1) });
  });
  const t = r[2] === undefined ? NaN : parseInt(r[2], 36);
  return { version: r[0], cells, ...(Number.isFinite(t) ? { t } : {}) };
}

function encodeRow(b: BaseRow, fields: readonly string[]): [number, string] | [number, string, string] {
  const cells = fields.map((f) => {
    const e = b.cells.get(f);
    if (!e) return "?";
    return e.c === e.s ? e.c : `${e.c}|${e.s}`;
  }).join(",");
  return b.t === undefined ? [b.version, cells] : [b.version, cells, b.t.toString(36)];
}

/** An ISO time as ms (undefined when absent or not a time). */
function timeOf(iso: unknown): number | undefined {
  const t = typeof iso === "string" ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/** A field value as the sheet shows it (in the sheet's language; people by name). */
export function renderValue(col: ColumnDef, v: unknown, lang: Lang, people: People): CellInput {
  if (v === undefined || v === null || v === "") return null;
  if (PEOPLE_FIELDS.has(col.field) && typeof v === "string") return people.display(v);
  if (col.kind === "bool") return typeof v === "boolean" ? boolWord(v, lang) : String(v);
  return toCell(col, v, lang);
}


function sameValue(a: unknown, b: unknown): boolean {
  const n = (v: unknown) => (v === undefined || v === null || v === "" ? null : v);
  return JSON.stringify(n(a)) === JSON.stringify(n(b));
}

interface ClassifyInput extends PlanBasis {
  coveredAccounts: Map<string, number>;
  /** Ids the store's view reports deleted. */
  gone: Set<string>;
  /** Every id found in the sheet's used range (read, invalid, hidden or skipped rows alike). */
  idCells: Set<string>;
}

/** The per-cell three-way classification (pure). */
export function classify(i: ClassifyInput): SyncPlan {
  const { entity, table, fields, lang } = i;
  const people = peopleOf(i.directory);
  // The shared rights read the session's roles as role ids (docs/domain.md §1).
  const who = { roles: parseRolesClaim(i.roles), userId: i.userId ?? "" };
  const plan: SyncPlan = {
    entity, table, ref: i.ref, stateKey: i.stateKey, mapping: i.mapping, lang, userId: i.userId, roles: i.roles, directory: i.directory,
    fields, base: i.base, migrated: i.migrated, rows: i.rows, skipped: i.skipped, skippedRows: i.skippedRows, header: i.header, sheetMapping: i.sheetMapping,
    remote: i.remote, complete: i.complete, cursor: i.cursor,
    accountVersions: i.coveredAccounts,
    push: [], pull: [], removeLocal: [], conflicts: [], deletes: [], dropped: [], problems: [], unknownValues: [], held: [], ownerChanges: [], needsOwner: [], notSaved: [],
    next: new Map(), forget: new Set(),
    counts: { push: 0, pull: 0, add: 0, removeLocal: 0, conflicts: 0, deletes: 0, dropped: 0, invalid: 0, held: 0, unchanged: 0, needsOwner: 0, ownerChanges: 0, hiddenEdits: 0 },
    requests: 0,
  };
  const cols = fields.map((f) => knownColumn(entity, f));
  const colIndex = (f: string) => i.mapping.mapping.indexOf(f);
  const addressOf = (row: number, field: string) => cellAddress(table.row + 1 + row, table.col + Math.max(0, colIndex(field)));
  const storeHash = (col: ColumnDef, v: unknown) => cellHash(renderValue(col, v, lang, people) as CellValue);
  const base = i.base;
  const baseRow = (key: string) => (base ? decodeRow(base, key) : undefined);
  const dropped = new Set(base?.dropped ?? []);
  const nameOf = (row: SheetRow | undefined, remote: RemoteRow | undefined, key: string): string => {
    const at = fields.indexOf("name");
    const cell = row && at >= 0 ? row.cells[at] : null;
    return String(remote?.fields.name ?? (cell === null || cell === undefined ? "" : cell)) || key;
  };
  const problem = (row: number, field: string, reason: ProblemReason, message: Bilingual): CellProblem => ({ row, address: addressOf(row, field), field, message, reason });

  // Ids written twice: which row wins would be a silent overwrite.
  const seen = new Map<string, number>();
  const dupes = new Set<number>();
  for (const r of i.rows) {
    if (!r.key) continue;
    const first = seen.get(r.key);
    if (first !== undefined) { dupes.add(first); dupes.add(r.row); } else seen.set(r.key, r.row);
  }

  // Rows the last sync knew that are in no row of the sheet now (candidates for deletion), and rows
  // whose id is not one the sheet or the store knows: a cleared or edited id cell, when the row's
  // other cells match a vanished row's.
  const vanished = new Map<string, BaseRow>();
  for (const key of Object.keys(base?.rows ?? {})) if (!i.idCells.has(key)) vanished.set(key, baseRow(key)!);
  const matchVanished = (r: SheetRow): string | undefined => {
    if (!vanished.size) return undefined;
    const filled = fields.map((f, j) => ({ f, h: at(r.hashes, j, "cell hashes") })).filter((x) => x.h !== "" && x.f !== "id" && x.f !== "accountId");
    if (!filled.length) return undefined;
    // By the name when the sheet has one (the row kept its name), else by most of its cells.
    const nameAt = fields.indexOf("name");
    for (const [key, b] of vanished) {
      if (nameAt >= 0) {
        const nameBase = b.cells.get("name")?.c;
        if (nameBase && nameBase !== "?" && r.hashes[nameAt] === nameBase) return key;
        continue;
      }
      const same = filled.filter((x) => { const c = b.cells.get(x.f)?.c; return c !== undefined && c !== "?" && c === x.h; }).length;
      if (same * 2 > filled.length && same >= 2) return key;
    }
    return undefined;
  };

  /** Parse and resolve one changed cell: a value to send (null clears), or a problem. */
  const readCell = (r: SheetRow, j: number, wasBlank: boolean): { value: unknown } | { problem: CellProblem } => {
    const col = at(cols, j, "columns");
    const raw = r.cells[j] ?? null;
    if (raw === null || (typeof raw === "string" && raw.trim() === "")) {
      if (wasBlank) return { value: undefined };
      if (col.field === "owner") return { problem: problem(r.row, col.field, "ownerCleared", { zh: `${col.label.zh}不能清空（如需移交，请填写新的负责经理）`, en: `${col.label.en} cannot be cleared (to hand over, enter the new owner)` }) };
      if (col.required) return { problem: problem(r.row, col.field, "required", { zh: `${col.label.zh}不能为空`, en: `${col.label.en} is required` }) };
      return { value: null };
    }
    if (PEOPLE_FIELDS.has(col.field)) {
      const p = people.resolve(String(raw), col.field);
      return "id" in p ? { value: p.id } : { problem: problem(r.row, col.field, p.reason, p.message) };
    }
    const p = parseCell(col, raw);
    if ("error" in p) return { problem: { ...problem(r.row, col.field, "unreadable", p.error), ...(p.reason ? { grammar: p.reason } : {}), ...(p.reason === "unknownValue" ? { value: String(raw).trim() } : {}) } };
    return { value: p.value };
  };

  const hold = (r: SheetRow, problems: CellProblem[]) => {
    plan.problems.push(...problems);
    plan.held.push({ row: r.row, key: r.key, problems });
    const b = r.key ? baseRow(r.key) : undefined;
    if (b) plan.next.set(r.key, b);
  };

  /** A row to create: every filled cell, the owner by the rules. */
  const planNew = (r: SheetRow, remoteVersion = 0) => {
    const out: Record<string, unknown> = {};
    const hashes: Record<string, string> = {};
    const problems: CellProblem[] = [];
    if (entity.readOnly) return;
    cols.forEach((col, j) => {
      hashes[col.field] = at(r.hashes, j, "cell hashes");
      if ((col.field === "id" && !r.key) || col.computed) return;
      const c = readCell(r, j, true);
      if ("problem" in c) problems.push(c.problem);
      else if (c.value !== undefined && c.value !== null) out[col.field] = c.value;
    });
    for (const c of entity.columns) {
      if (!c.required || c.field === "id" || c.defaultsToUser) continue;
      // A required cell that could not be read is one problem (its own), not two.
      if (out[c.field] === undefined && !problems.some((p) => p.field === c.field)) problems.push(problem(r.row, c.field, "required", { zh: `${c.label.zh}不能为空`, en: `${c.label.en} is required` }));
    }
    const ownerCol = entity.columns.find((c) => c.defaultsToUser);
    let needsOwner = false;
    if (ownerCol && out[ownerCol.field] === undefined) {
      // Only a manager owns what they create; anyone else (a director) picks an owner.
      const owner = defaultAccountOwner(who);
      if (owner) out[ownerCol.field] = owner;
      else needsOwner = true;
    }
    if (!problems.length) problems.push(...schemaProblems(entity, r.row, { id: r.key || "new", ...out }, addressOf));
    if (problems.length) return hold(r, problems);
    const p: PushRow = { key: r.key, row: r.row, isNew: true, version: remoteVersion, name: String(out.name ?? r.key), fields: out, hashes, hidden: r.hidden, ...(needsOwner ? { needsOwner } : {}) };
    plan.push.push(p);
    if (needsOwner) plan.needsOwner.push(p);
    if (r.hidden) plan.counts.hiddenEdits++;
  };

  const localKeys = new Set<string>();
  for (const r of i.rows) {
    if (dupes.has(r.row)) {
      hold(r, [problem(r.row, "id", "duplicateId", { zh: `编号重复：${r.key}`, en: `duplicate id: ${r.key}` })]);
      localKeys.add(r.key);
      continue;
    }
    const b = r.key ? baseRow(r.key) : undefined;
    const remote = r.key ? i.remote.get(r.key) : undefined;
    if (r.key) localKeys.add(r.key);
    if (!b) {
      // Not in the last-synced state: a cleared or edited id of a row synced before, a row of
      // the store pasted in (adopted), or a new row.
      const was = !remote && !entity.readOnly ? matchVanished(r) : undefined;
      if (was) {
        vanished.delete(was);
        localKeys.add(was);
        plan.next.set(was, baseRow(was)!);
        const hb: CellProblem = problem(r.row, "id", "idEdited", { zh: `编号不可修改：这一行原为 ${was}，请恢复编号`, en: `ids cannot be edited: this row was ${was}; put the id back` });
        plan.problems.push(hb);
        plan.held.push({ row: r.row, key: r.key, problems: [hb] });
        continue;
      }
      if (!remote) { planNew(r); continue; }
    }
    // Known here or in the store: field by field.
    const storeGone = !remote && (i.complete || i.gone.has(r.key) || (entity.id === "contacts" && i.coveredAccounts.has(accountOfKey(r.key))));
    const send: Record<string, unknown> = {};
    const hashes: Record<string, string> = {};
    const pullFields: string[] = [];
    const conflicts: FieldConflict[] = [];
    const problems: CellProblem[] = [];
    const next: BaseRow = { version: remote?.version ?? b?.version ?? 0, cells: new Map(b?.cells ?? []) };
    const t = remote ? remote.t : b?.t;
    if (t !== undefined) next.t = t;
    let userChangedAny = false;
    cols.forEach((col, j) => {
      const f = col.field;
      const ch = at(r.hashes, j, "cell hashes");
      if (f === "id" || (entity.id === "contacts" && f === "accountId")) { next.cells.set(f, { c: ch, s: ch }); return; }
      const e = b?.cells.get(f);
      const sh = remote ? storeHash(col, remote.fields[f]) : (e?.s ?? ch);
      let user: boolean, store: boolean;
      if (!e) {
        // No last-synced cell (a newly mapped column, or a store row pasted in): each side counts
        // as changed where it holds a value; filled on both sides and different is a conflict.
        user = ch !== "";
        store = sh !== "";
      } else if (e.c === "?") { user = true; store = true; } // migrated from format 1: strict
      else { user = ch !== e.c; store = sh !== e.s; }
      if (entity.readOnly) { user = false; store = ch !== sh; }
      if (col.computed) {
        // Pull-only: the cell shows the figure the store's item gives. Typing there is noted, never
        // sent; the cell is put back when the store's view of the row is at hand.
        if (user && ch !== sh) plan.notSaved.push({ row: r.row, address: addressOf(r.row, f), field: f, message: { zh: `${col.label.zh}为计算列，不保存`, en: `${col.label.en} is a computed column, not saved` } });
        user = false;
        store = !!remote && ch !== sh;
      }
      if (storeGone) { if (user) userChangedAny = true; return; }
      if (!user && !store) { next.cells.set(f, { c: ch, s: e?.s ?? sh }); return; }
      if (!user && store) { pullFields.push(f); next.cells.set(f, { c: sh, s: sh }); return; }
      if (user) userChangedAny = true;
      if (user && !store) {
        const c = readCell(r, j, e?.c === "");
        if ("problem" in c) { problems.push(c.problem); return; }
        if (c.value === undefined) { next.cells.set(f, { c: ch, s: sh }); return; }
        send[f] = c.value;
        hashes[f] = ch;
        return;
      }
      // Changed on both sides.
      if (ch === sh) { next.cells.set(f, { c: ch, s: sh }); return; }
      const c = readCell(r, j, false);
      if ("problem" in c) { problems.push(c.problem); return; }
      if (sameValue(c.value, remote?.fields[f])) { next.cells.set(f, { c: ch, s: sh }); return; }
      const stamp = remote?.lastChanged?.[f];
      const by = stamp?.by;
      conflicts.push({ field: f, mine: c.value ?? undefined, theirs: remote?.fields[f], ...(stamp ? { by, byName: stamp.byName ?? (by ? people.get(by)?.name : undefined), at: stamp.at } : {}) });
    });
    if (storeGone) {
      if (!b) { planNew(r); continue; }
      if (userChangedAny) plan.conflicts.push({ key: r.key, row: r.row, name: nameOf(r, undefined, r.key), fields: [], gone: true });
      else plan.removeLocal.push(r);
      plan.next.set(r.key, b);
      continue;
    }
    if (problems.length) { hold(r, problems); continue; }
    if (Object.keys(send).length) {
      const item = { id: entity.id === "contacts" ? r.key.split("/")[1] : r.key, ...send };
      const bad = schemaProblems(entity, r.row, item, addressOf);
      if (bad.length) { hold(r, bad); continue; }
      const p: PushRow = { key: r.key, row: r.row, isNew: false, version: remote?.version ?? b?.version ?? 0, name: nameOf(r, remote, r.key), fields: send, hashes, hidden: r.hidden };
      plan.push.push(p);
      if (r.hidden) plan.counts.hiddenEdits++;
      if ("owner" in send && send.owner !== remote?.fields.owner) {
        const from = remote?.fields.owner === undefined ? undefined : String(remote.fields.owner);
        plan.ownerChanges.push({ key: r.key, row: r.row, name: p.name, from, fromName: from ? people.get(from)?.name : undefined, to: String(send.owner), toName: people.get(String(send.owner))?.name ?? String(send.owner) });
      }
    }
    if (pullFields.length && remote) plan.pull.push({ key: r.key, row: r.row, fields: pullFields, remote });
    if (conflicts.length) plan.conflicts.push({ key: r.key, row: r.row, name: nameOf(r, remote, r.key), fields: conflicts });
    if (!Object.keys(send).length && !pullFields.length && !conflicts.length) plan.counts.unchanged++;
    plan.next.set(r.key, next);
  }

  // Rows of the last sync that are in no row of the sheet.
  const canDelete = entity.id === "contacts" || (!!entity.tombstones && canDeleteAccount(who));
  for (const [key, b] of vanished) {
    if (localKeys.has(key)) continue;
    const remote = i.remote.get(key);
    const known = remote || (!i.complete && !i.gone.has(key));
    if (!known) { plan.forget.add(key); continue; } // gone on both sides
    if (entity.readOnly) continue;
    const name = String(remote?.fields.name ?? key);
    if (canDelete) {
      const owner = remote?.fields.owner === undefined ? undefined : String(remote.fields.owner);
      const changedSince = !!remote && remote.version !== b.version;
      plan.deletes.push({ key, name, owner, ownerName: owner ? people.get(owner)?.name ?? owner : undefined, version: remote?.version ?? b.version, ...(changedSince ? { changedSince } : {}) });
      plan.next.set(key, b);
    } else {
      plan.dropped.push({ key, name });
      plan.forget.add(key);
    }
  }

  // New in the store: into the sheet within the pull scope (nothing before the first choice).
  const scope = base?.scope;
  const candidates: RemoteRow[] = [];
  for (const [key, remote] of i.remote) {
    if (localKeys.has(key) || vanished.has(key) || base?.rows[key] || dropped.has(key)) continue;
    candidates.push(remote);
  }
  const inScope = (r: RemoteRow, s: PullScope): boolean => {
    if (s.kind === "all") return true;
    if (s.kind === "none") return false;
    const owner = r.fields.owner === undefined ? undefined : String(r.fields.owner);
    if (owner === undefined) return true;
    if (s.kind === "mine") return owner === i.userId;
    return people.get(owner)?.team === s.team;
  };
  if (!scope) {
    const teams = new Map<string, number>();
    let mine = 0;
    for (const r of candidates) {
      if (inScope(r, { kind: "mine" })) mine++;
      const owner = r.fields.owner === undefined ? undefined : people.get(String(r.fields.owner));
      if (owner?.team) teams.set(owner.team, (teams.get(owner.team) ?? 0) + 1);
    }
    plan.firstPull = {
      mine,
      all: candidates.length,
      teams: [...teams].map(([id, count]) => ({ id, name: people.teamName(id), count })),
      // A manager (not a director) owns what they create: their own accounts first.
      suggested: defaultAccountOwner(who) !== undefined ? { kind: "mine" } : { kind: "all" },
    };
    // Kept aside: executeSync adds the ones the chosen scope takes.
    plan.pull.push(...candidates.map((remote): PullRow => ({ key: remote.key, fields, remote, candidate: true })));
  } else {
    for (const remote of candidates) if (inScope(remote, scope)) plan.pull.push({ key: remote.key, fields, remote });
  }

  const adds = plan.pull.filter((p) => p.row === undefined && !p.candidate);
  plan.counts = {
    ...plan.counts,
    push: plan.push.length,
    pull: plan.pull.filter((p) => p.row !== undefined).length,
    add: adds.length,
    removeLocal: plan.removeLocal.length,
    conflicts: plan.conflicts.length,
    deletes: plan.deletes.length,
    dropped: plan.dropped.length,
    invalid: plan.problems.length,
    held: plan.held.length,
    needsOwner: plan.needsOwner.length,
    ownerChanges: plan.ownerChanges.length,
  };
  plan.unknownValues = unknownValuesOf(plan.problems, entity);
  return plan;
}

/** The item against the shared write schema: problems on the cells of the fields it names. */
function schemaProblems(entity: EntityDef, row: number, item: Record<string, unknown>, addressOf: (row: number, field: string) => string): CellProblem[] {
  if (!entity.writeSchema) return [];
  // A contact row carries its account's id; the contact schema does not.
  const { accountId, ...contact } = item;
  const v = validate(entity.writeSchema, entity.id === "contacts" ? contact : { ...contact, ...(accountId !== undefined ? { accountId } : {}) });
  if (v.ok) return [];
  return v.details.map((d) => {
    const field = d.path.split(/[.[]/)[0] || "id";
    return { row, address: addressOf(row, field), field, reason: "unreadable" as const, message: { zh: `${field}: ${d.message}`, en: `${field}: ${d.message}` } };
  });
}

/** Problems grouped by column and reason, with counts (largest group first). */
export function groupProblems(problems: readonly CellProblem[], entity: EntityDef, lang: Lang): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const p of problems) {
    const reason = p.reason ?? "rejected";
    const k = `${p.field}\u0000${reason}`;
    const g = groups.get(k) ?? { field: p.field, label: columnOf(entity, p.field)?.label[lang] ?? p.field, reason, count: 0, cells: [], example: p.message };
    g.count++;
    if (p.address) g.cells.push(p.address);
    groups.set(k, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label) || a.reason.localeCompare(b.reason));
}

// ── execution ───────────────────────────────────────────────────────────────────────────────

export interface ExecuteOptions {
  /** Per conflict key: one answer for all its fields, or per field; or one answer for every conflict. */
  resolutions?: Record<string, Resolution | Record<string, Resolution>> | Resolution;
  confirmDeletes?: boolean;
  /** Directors: the owner of every new row without one, and per data row choices that win over it. */
  owner?: string;
  owners?: Record<number, string>;
  /** First sync of a sheet: what to pull into it (default: nothing). */
  pullScope?: PullScope;
  onProgress?: (p: SyncProgress) => void;
  signal?: AbortSignal;
  /** Id generator for new rows (tests pass a deterministic one). */
  newId?: (entity: EntityDef) => string;
  idempotencyKey?: () => string;
  /** Upsert requests in flight at once (default PUSH_CONCURRENCY). */
  concurrency?: number;
}

/** Chunks pushed in parallel: enough to overlap network and store latency, few enough to be polite. */
export const PUSH_CONCURRENCY = 4;

export function defaultNewId(entity: EntityDef): string {
  const rnd = Math.random().toString(36).slice(2, 8);
  return `${entity.idPrefix}-${Date.now().toString(36)}${rnd}`;
}

function defaultIdempotencyKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Split items into requests of ≤ 500 items and ≤ 1 MB of JSON (docs/contracts.md §6). */
export function chunkItems<T>(items: T[], maxItems = BATCH_MAX_ITEMS, maxBytes = REQUEST_MAX_BYTES): T[][] {
  const envelope = '{"items":[]}'.length;
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = envelope;
  for (const it of items) {
    const size = utf8Length(JSON.stringify(it)) + 1;
    if (cur.length && (cur.length >= maxItems || bytes + size > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = envelope;
    }
    cur.push(it);
    bytes += size;
  }
  if (cur.length) out.push(cur);
  return out;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

interface BuiltItem {
  item: Record<string, unknown>;
  rows: PushRow[];
}

/** Carry out a plan: push, delete (if confirmed), pull, write the sheet, its marks and the new state. */
export async function executeSync(plan: SyncPlan, port: WorkbookPort, remote: SyncRemote, o: ExecuteOptions = {}): Promise<SyncSummary> {
  const { entity, lang, fields } = plan;
  const people = peopleOf(plan.directory);
  const summary: SyncSummary = { created: 0, updated: 0, unchanged: 0, pulled: 0, added: 0, removed: 0, deleted: 0, dropped: 0, conflicts: [], problems: [...plan.problems], rowsSent: 0, requests: plan.requests, cancelled: false };
  const next = new Map<string, BaseRow>([...plan.next].map(([k, b]) => [k, { version: b.version, cells: new Map(b.cells), ...(b.t !== undefined ? { t: b.t } : {}) }]));
  const newId = o.newId ?? defaultNewId;
  const resolutionOf = (key: string, field: string): Resolution | undefined => {
    const r = typeof o.resolutions === "string" ? o.resolutions : o.resolutions?.[key];
    return typeof r === "string" ? r : r?.[field];
  };
  const colOf = (f: string) => knownColumn(entity, f);
  const storeHash = (f: string, v: unknown) => cellHash(renderValue(colOf(f), v, lang, people) as CellValue);
  const addressOf = (row: number, field: string) => cellAddress(plan.table.row + 1 + row, plan.table.col + Math.max(0, plan.mapping.mapping.indexOf(field)));

  // What goes to the store: planned rows, owners chosen, conflicts answered "mine".
  const toPush: PushRow[] = [];
  for (const p of plan.push) {
    if (!p.needsOwner) { toPush.push({ ...p, fields: { ...p.fields }, hashes: { ...p.hashes } }); continue; }
    const chosen = o.owners?.[p.row] ?? o.owner;
    const ok = chosen ? people.resolve(chosen, "owner") : undefined;
    if (!ok || !("id" in ok)) {
      summary.problems.push({ row: p.row, address: addressOf(p.row, "owner"), field: "owner", reason: "needsOwner", message: ok && "message" in ok ? ok.message : { zh: "新客户需要选择负责经理", en: "choose an owner for the new account" } });
      continue;
    }
    toPush.push({ ...p, needsOwner: false, fields: { ...p.fields, owner: ok.id }, hashes: { ...p.hashes } });
  }
  const toPull: PullRow[] = plan.pull.filter((p) => !p.candidate).map((p) => ({ ...p, fields: [...p.fields] }));
  let scope = plan.base?.scope;
  if (plan.firstPull) {
    scope = o.pullScope ?? { kind: "none" };
    const s = scope;
    const owned = (p: PullRow) => (p.remote.fields.owner === undefined ? undefined : String(p.remote.fields.owner));
    for (const p of plan.pull) {
      if (!p.candidate) continue;
      const owner = owned(p);
      const take = s.kind === "all" || (s.kind !== "none" && (owner === undefined || (s.kind === "mine" ? owner === plan.userId : people.get(owner)?.team === s.team)));
      if (take) toPull.push({ key: p.key, fields: p.fields, remote: p.remote });
    }
  }
  const pushByKey = new Map(toPush.filter((p) => p.key).map((p) => [p.key, p]));
  const pulledFields = new Map<string, PullRow>(toPull.filter((p) => p.row !== undefined).map((p) => [p.key, p]));
  for (const c of plan.conflicts) {
    const open: FieldConflict[] = [];
    const r = plan.rows.find((x) => x.row === c.row);
    const remoteRow = plan.remote.get(c.key);
    for (const f of c.fields) {
      const res = resolutionOf(c.key, f.field);
      if (!res || !r) { open.push(f); continue; }
      const j = fields.indexOf(f.field);
      if (res === "mine") {
        const p = pushByKey.get(c.key) ?? { key: c.key, row: c.row, isNew: false, version: remoteRow?.version ?? next.get(c.key)?.version ?? 0, name: c.name, fields: {}, hashes: {}, hidden: r.hidden };
        p.fields[f.field] = f.mine === undefined ? null : f.mine;
        p.hashes[f.field] = r.hashes[j]!;
        if (!pushByKey.has(c.key)) { pushByKey.set(c.key, p); toPush.push(p); }
      } else if (remoteRow) {
        const p = pulledFields.get(c.key) ?? { key: c.key, row: c.row, fields: [], remote: remoteRow };
        p.fields.push(f.field);
        if (!pulledFields.has(c.key)) { pulledFields.set(c.key, p); toPull.push(p); }
        const sh = storeHash(f.field, remoteRow.fields[f.field]);
        next.get(c.key)?.cells.set(f.field, { c: sh, s: sh });
      }
    }
    if (open.length || c.gone) summary.conflicts.push({ ...c, fields: open });
  }

  // New ids for new rows (written back to the sheet).
  const assigned = new Map<number, string>();
  for (const p of toPush) {
    if (!p.isNew || p.key) continue;
    const id = newId(entity);
    assigned.set(p.row, id);
    p.fields = { id, ...p.fields };
    p.key = entity.id === "contacts" ? `${String(p.fields.accountId)}/${id}` : id;
  }

  // Build the items (contacts: one account write per account).
  const built: BuiltItem[] = [];
  if (entity.id === "contacts") {
    const byAccount = new Map<string, BuiltItem>();
    for (const p of toPush) {
      const [acc, cid] = p.key.split("/") as [string, string];
      const { accountId: _a, id: _i, ...rest } = p.fields;
      void _a; void _i;
      const it = byAccount.get(acc) ?? { item: { id: acc, version: accountVersion(acc, plan, next) || p.version, contacts: [] as unknown[] }, rows: [] };
      (it.item.contacts as unknown[]).push({ id: cid, ...rest });
      it.rows.push(p);
      byAccount.set(acc, it);
    }
    built.push(...byAccount.values());
  } else {
    for (const p of toPush) built.push({ item: { id: p.isNew ? p.key : p.key, ...p.fields, ...(p.isNew ? (p.version ? { version: p.version } : {}) : { version: p.version }) }, rows: [p] });
  }
  const chunks = chunkItems(built);
  let done = 0;
  const total = built.length;
  const idempotencyKey = o.idempotencyKey ?? defaultIdempotencyKey;
  o.onProgress?.({ phase: "push", done: 0, total });
  // A few requests in flight: the store handles chunks of different rows independently.
  const concurrency = Math.max(1, o.concurrency ?? PUSH_CONCURRENCY);
  let nextChunk = 0;
  const worker = async () => {
    while (nextChunk < chunks.length) {
      if (o.signal?.aborted) { summary.cancelled = true; return; }
      if (summary.error) return;
      const chunk = at(chunks, nextChunk++, "push chunks");
      const res = await remote.upsert(entity, chunk.map((b) => b.item), idempotencyKey(), o.signal);
      summary.requests++;
      if (!res.ok) {
        if (res.error.status === -1) summary.cancelled = true;
        else summary.error = res.error;
        return;
      }
      summary.rowsSent += chunk.length;
      const byId = new Map(chunk.map((b) => [String(b.item.id), b]));
      for (const r of res.value) applyItemResult(r, byId.get(r.id), plan, next, summary, storeHash, addressOf);
      done += chunk.length;
      o.onProgress?.({ phase: "push", done, total });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));

  // Deletions (directors, only after confirmation; unconfirmed ones stay proposed).
  const forget = new Set(plan.forget);
  if (!summary.cancelled && !summary.error && o.confirmDeletes && plan.deletes.length) {
    if (entity.id === "contacts") {
      const byAccount = new Map<string, string[]>();
      for (const d of plan.deletes) {
        const [acc, cid] = d.key.split("/") as [string, string];
        byAccount.set(acc, [...(byAccount.get(acc) ?? []), cid]);
      }
      const items = [...byAccount].map(([acc, cids]) => ({ id: acc, version: accountVersion(acc, plan, next), contacts: cids.map((id) => ({ id, deleted: true })) }));
      for (const chunk of chunkItems(items)) {
        const res = await remote.upsert(entity, chunk, idempotencyKey(), o.signal);
        summary.requests++;
        if (!res.ok) { summary.error = res.error; break; }
        for (const r of res.value) {
          for (const cid of byAccount.get(r.id) ?? []) {
            if (r.status === "updated" || r.status === "unchanged") { forget.add(`${r.id}/${cid}`); summary.deleted++; }
            else summary.problems.push({ row: -1, address: "", field: "id", reason: "rejected", message: { zh: `删除 ${r.id}/${cid} 未成功（${r.status}）`, en: `delete of ${r.id}/${cid} not done (${r.status})` } });
          }
        }
      }
    } else if (entity.tombstones) {
      let n = 0;
      for (const d of plan.deletes) {
        if (o.signal?.aborted) { summary.cancelled = true; break; }
        const res = await remote.tombstone(entity, d.key);
        summary.requests++;
        n++;
        o.onProgress?.({ phase: "delete", done: n, total: plan.deletes.length });
        if (res.ok) { forget.add(d.key); summary.deleted++; }
        else summary.problems.push({ row: -1, address: "", field: "id", reason: "rejected", message: { zh: `无法删除 ${d.name}（${d.key}）：${res.error.message}`, en: `cannot delete ${d.name} (${d.key}): ${res.error.message}` } });
      }
    }
  }
  summary.dropped = plan.dropped.length;

  // Into the sheet: pulled cells, new rows, rows of items deleted in the store, new ids.
  const sheetWrites = writeBack(plan, toPull, assigned, summary, people);
  for (const p of toPull) {
    const b: BaseRow = next.get(p.key) ?? { version: p.remote.version, cells: new Map() };
    if (p.remote.version >= b.version) {
      if (p.remote.t !== undefined) b.t = p.remote.t;
      else delete b.t;
    }
    b.version = Math.max(b.version, p.remote.version);
    for (const f of p.row === undefined ? fields : p.fields) {
      const sh = storeHash(f, p.remote.fields[f]);
      b.cells.set(f, { c: sh, s: sh });
    }
    next.set(p.key, b);
  }
  for (const r of plan.removeLocal) forget.add(r.key);

  // The new state.
  const rows: Baseline["rows"] = {};
  const keys = new Set([...next.keys(), ...Object.keys(plan.base?.rows ?? {})]);
  // Sorted, so an unchanged state serialises the same and is not rewritten.
  for (const k of [...keys].sort()) {
    if (forget.has(k)) continue;
    // Rows of the old state not seen this time are kept as they were.
    const b = next.get(k) ?? decodeRow(plan.base!, k)!;
    rows[k] = encodeRow(b, fields);
  }
  // The change cursor advances only when every remote change seen was taken in; an unresolved
  // conflict must show up again on the next sync.
  const settled = !summary.conflicts.length && !summary.cancelled && !summary.error;
  const cursor = settled ? plan.cursor : plan.base?.cursor;
  const droppedKeys = [...new Set([...(plan.base?.dropped ?? []), ...plan.dropped.map((d) => d.key)])];

  // Problem marks: new problem cells marked, fixed ones unmarked (their own fill restored).
  const oldMarks = plan.base?.marks ?? {};
  const want = new Map<string, string>();
  for (const p of summary.problems) if (p.address && p.row >= 0) want.set(p.address, (want.has(p.address) ? want.get(p.address) + "\n" : "") + `${p.message.zh} / ${p.message.en}`);
  const set: CellMark[] = [...want].filter(([a]) => !(a in oldMarks)).map(([address, note]) => ({ address, note }));
  const clear: CellUnmark[] = Object.entries(oldMarks).filter(([a]) => !want.has(a)).map(([address, fill]) => ({ address, fill }));
  const marks: Record<string, string | null> = {};
  for (const [a, f] of Object.entries(oldMarks)) if (want.has(a)) marks[a] = f;

  const baseline: Baseline = {
    v: BASELINE_FORMAT, entity: entity.id, lang, fields,
    ...(entity.since && cursor ? { cursor } : {}),
    ...(scope ? { scope } : {}),
    rows,
    ...(droppedKeys.length ? { dropped: droppedKeys } : {}),
    ...(Object.keys(plan.sheetMapping).length ? { sheet: plan.sheetMapping } : {}),
  };
  // Marks first (they answer the fills to keep), then the cells and the state in one apply: a sync
  // without problem marks to change stays at 2 reads + 1 write in Excel.
  if (set.length || clear.length) {
    const before = await port.mark(plan.table.sheet, set, clear);
    for (const m of set) marks[m.address] = before[m.address] ?? null;
  }
  if (Object.keys(marks).length) baseline.marks = marks;
  const ops = sheetWrites;
  const prevRaw = plan.base && !plan.migrated ? JSON.stringify(plan.base) : undefined;
  const nextRaw = JSON.stringify(baseline);
  if (nextRaw !== prevRaw) ops.push({ kind: "state", key: plan.stateKey, value: nextRaw });
  if (ops.length) {
    o.onProgress?.({ phase: "write", done: 0, total: 1 });
    await port.apply(ops);
  }
  o.onProgress?.({ phase: "write", done: 1, total: 1 });
  return summary;
}

function accountVersion(accountId: string, plan: SyncPlan, next: Map<string, BaseRow>): number {
  const known = plan.accountVersions.get(accountId);
  if (known !== undefined) return known;
  let v = 0;
  for (const [k, r] of plan.remote) if (k.startsWith(accountId + "/")) v = Math.max(v, r.version);
  if (v) return v;
  for (const [k, r] of next) if (k.startsWith(accountId + "/")) v = Math.max(v, r.version);
  return v;
}

function applyItemResult(
  r: ItemResult,
  built: BuiltItem | undefined,
  plan: SyncPlan,
  next: Map<string, BaseRow>,
  summary: SyncSummary,
  storeHash: (f: string, v: unknown) => string,
  addressOf: (row: number, field: string) => string,
): void {
  if (!built) return;
  for (const p of built.rows) {
    switch (r.status) {
      case "created":
      case "updated":
      case "unchanged": {
        const b: BaseRow = next.get(p.key) ?? { version: 0, cells: new Map() };
        // The change time goes with the version it is of: the write's own, else kept while the
        // version stays, else unknown.
        const t = timeOf(r.updatedAt) ?? (r.version === undefined || r.version === b.version ? b.t : undefined);
        b.version = r.version ?? b.version;
        if (t !== undefined) b.t = t;
        else delete b.t;
        // The cell as it is (a defaulted owner leaves a blank cell blank), the store as it renders.
        for (const [f, v] of Object.entries(p.fields)) {
          if (!plan.fields.includes(f)) continue;
          b.cells.set(f, { c: p.hashes[f] ?? storeHash(f, v), s: storeHash(f, v) });
        }
        if (p.isNew) {
          for (const f of plan.fields) if (!b.cells.has(f)) b.cells.set(f, { c: p.hashes[f] ?? "", s: "" });
          // The generated id is written into the id cell.
          const h = storeHash("id", p.fields.id);
          if (plan.fields.includes("id")) b.cells.set("id", { c: h, s: h });
        }
        next.set(p.key, b);
        summary[r.status]++;
        break;
      }
      case "conflict": {
        // Changed in the store between the list and this write: nothing of the row is taken; the
        // next sync merges it field by field.
        summary.conflicts.push({ key: p.key, row: p.row, name: p.name, stale: true, fields: Object.keys(p.fields).map((f) => ({ field: f, mine: p.fields[f], theirs: r.current?.[f] })) });
        break;
      }
      case "invalid":
      case "forbidden": {
        const details = r.errors?.length ? r.errors : [{ path: "", message: r.status }];
        for (const d of details) {
          const field = d.path.split(/[.[]/)[0] || "id";
          summary.problems.push({
            row: p.row,
            address: addressOf(p.row, field),
            field,
            reason: r.status === "forbidden" ? "forbidden" : "rejected",
            message: r.status === "forbidden" ? { zh: `无权写入：${d.message}`, en: `not allowed: ${d.message}` } : { zh: `${d.path}: ${d.message}`, en: `${d.path}: ${d.message}` },
          });
        }
        break;
      }
    }
  }
}

/**
 * Sheet writes: pulled cells in place, new rows appended, rows of items deleted in the store
 * cleared in place (rows never shift, so hidden rows and the user's formats stay with their rows),
 * new ids filled in. Values are written Excel-native in the sheet's language, with number formats
 * for dates and money.
 */
function writeBack(plan: SyncPlan, toPull: PullRow[], assigned: Map<number, string>, summary: SyncSummary, people: People): WriteOp[] {
  const removed = plan.removeLocal;
  if (!toPull.length && !removed.length && !assigned.size) return [];
  const { table, entity, lang } = plan;
  const mapping = plan.mapping.mapping;
  const width = table.header.length;
  const dataRow0 = table.row + 1;
  /** Changed cells: data row → column → value. */
  const changes = new Map<number, Map<number, CellInput>>();
  const set = (r: number, c: number, v: CellInput) => {
    const m = changes.get(r) ?? new Map<number, CellInput>();
    m.set(c, v);
    changes.set(r, m);
  };
  const formats: { row: number; col: number; format: string }[] = [];
  const writeFields = (r: number, fieldsToWrite: readonly string[], values: Record<string, unknown>) => {
    for (const f of fieldsToWrite) {
      const c = mapping.indexOf(f);
      if (c < 0) continue;
      const col = knownColumn(entity, f);
      set(r, c, renderValue(col, values[f], lang, people));
      const fmt = numberFormatOf(col, values[f], lang);
      if (fmt) formats.push({ row: r, col: c, format: fmt });
    }
  };
  const idCol = mapping.indexOf("id");
  for (const [r, id] of assigned) if (idCol >= 0) set(r, idCol, id);
  let appended = table.rows.length;
  for (const p of toPull) {
    if (p.row !== undefined) { writeFields(p.row, p.fields, p.remote.fields); summary.pulled++; continue; }
    const r = appended++;
    writeFields(r, mapping.filter((f): f is string => !!f), p.remote.fields);
    summary.added++;
  }
  for (const r of removed) {
    for (let c = 0; c < width; c++) set(r.row, c, null);
    summary.removed++;
  }
  // One block per run of consecutive changed rows, as wide as the columns changed in it; cells of
  // the block that did not change keep what they hold (formulas included).
  const ops: WriteOp[] = [];
  for (const run of consecutiveRuns([...changes.keys()].sort((a, b) => a - b))) {
    const lines: Map<number, CellInput>[] = [];
    for (let r = run.first; r <= run.last; r++) lines.push(got(changes, r, "changed rows"));
    let c0 = Infinity, c1 = -1;
    for (const m of lines) for (const c of m.keys()) { c0 = Math.min(c0, c); c1 = Math.max(c1, c); }
    const values: CellInput[][] = lines.map((m, k) => {
      const r = run.first + k;
      const line: CellInput[] = [];
      for (let c = c0; c <= c1; c++) {
        const v = m.get(c);
        if (v !== undefined) line.push(v);
        else {
          const f = table.formulas?.[r]?.[c];
          line.push(f ? { formula: f } : (table.rows[r]?.[c] ?? null));
        }
      }
      return line;
    });
    ops.push({ kind: "values", sheet: table.sheet, row: dataRow0 + run.first, col: table.col + c0, values });
  }
  // Number formats, one op per column run.
  const byCol = new Map<string, number[]>();
  for (const f of formats) byCol.set(`${f.col}\u0000${f.format}`, [...(byCol.get(`${f.col}\u0000${f.format}`) ?? []), f.row]);
  for (const [k, rs] of byCol) {
    const [c, format] = k.split("\u0000") as [string, string];
    for (const run of consecutiveRuns(rs.sort((a, b) => a - b))) {
      const a = cellAddress(dataRow0 + run.first, table.col + +c);
      const b = cellAddress(dataRow0 + run.last, table.col + +c);
      ops.push({ kind: "numberFormat", sheet: table.sheet, address: a === b ? a : `${a}:${b}`, format });
    }
  }
  return ops;
}

/** The optional "problems" sheet: one line per problem cell (cell, column, reason, message). */
export function problemsSheetOps(problems: readonly CellProblem[], entity: EntityDef, lang: Lang, sheet: string, reasonLabel: (r: ProblemReason) => string): WriteOp[] {
  const head = lang === "zh" ? ["单元格", "列", "原因", "说明"] : ["Cell", "Column", "Reason", "Message"];
  const lines: CellInput[][] = problems.map((p) => [p.address, columnOf(entity, p.field)?.label[lang] ?? p.field, reasonLabel(p.reason ?? "rejected"), p.message[lang]]);
  return [
    { kind: "ensureSheet", sheet, activate: true },
    { kind: "clear", sheet, row: 0, col: 0, rows: 1 + Math.max(lines.length, 1000), cols: head.length },
    { kind: "values", sheet, row: 0, col: 0, values: [head, ...lines] },
    { kind: "freezeHeader", sheet },
  ];
}

/** A field value as text for the review (labels, people by name, dates as ISO). */
export function showValue(plan: Pick<SyncPlan, "entity" | "lang" | "directory">, field: string, v: unknown, lang: Lang = plan.lang): string {
  if (v === undefined || v === null || v === "") return "";
  const col = columnOf(plan.entity, field);
  if (!col) return String(v);
  if (col.kind === "date" || col.kind === "month") return String(v);
  const c = renderValue(col, v, lang, peopleOf(plan.directory));
  if (c === null) return "";
  if (typeof c === "object") return c.formula;
  if (typeof c === "number") return c.toLocaleString(lang === "zh" ? "zh-CN" : "en-US");
  return String(c);
}
