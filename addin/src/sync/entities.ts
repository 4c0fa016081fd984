/**
 * Per-entity column definitions for sheet ↔ store sync: a thin adapter over the shared field
 * catalogue (shared/src/catalogue), which alone holds field ids, kinds, zh/en headers, synonyms,
 * enum words, units and flags. This file adds what only the sync needs: API paths, id prefixes,
 * write schemas and the pull/push rules. Personal details (contact `personal.*`) are not synced
 * through sheets, nor the catalogue's `notSynced` members of a record (an account's
 * `termination.date` / `termination.reason`: the record is written whole through the API).
 */
import type * as z from "zod/mini";
import {
  AccountWriteSchema,
  CATALOGUE,
  archiveCompleteness,
  ContactWriteSchema,
  ContractWriteSchema,
  PaymentWriteSchema,
  VisitPlanWriteSchema,
  VisitRecordWriteSchema,
  type Bilingual,
  type CellKind,
  type EntityId,
  type EnumEntry,
  type FieldDef,
  type MoneyUnit,
} from "../../../shared/src/index.js";

export type { EntityId };

export type FieldKind = CellKind;

export interface EnumLike {
  entries: readonly EnumEntry[];
  parse(s: unknown): string | undefined;
  label(id: never, lang: "zh" | "en"): string;
}

export interface ColumnDef {
  field: string;
  kind: FieldKind;
  label: Bilingual;
  /** Other header spellings accepted (matched with normalizeKey). */
  synonyms?: readonly string[];
  enum?: EnumLike;
  /** Required for a new item (the store rejects the item without it). */
  required?: boolean;
  /** Filled from the signed-in user when the column is absent or the cell empty (e.g. owner). */
  defaultsToUser?: boolean;
  /** Money columns: the unit when the header names none (元); a sheet's mapping sets its own. */
  unit?: MoneyUnit;
  /** Enum and rating columns: values the user mapped for this sheet (normalizeKey(raw) → id). */
  valueMap?: Readonly<Record<string, string>>;
  /** The catalogue's flags (docs/contracts.md §8.13). */
  requiredToSave?: boolean;
  countsForCompleteness?: boolean;
  /** Derived from the stored item (see computedValue): written on pull, never pushed. */
  computed?: boolean;
}

export interface EntityDef {
  id: EntityId;
  label: Bilingual;
  /** Default sheet name for a template. */
  sheet: Bilingual;
  /** API collection path (list = GET, batch upsert = PUT). */
  path: string;
  /** Prefix of ids generated for new rows. */
  idPrefix: string;
  columns: ColumnDef[];
  /** Zod schema one pushed item must pass (shared/). */
  writeSchema?: z.core.$ZodType;
  /** Pull-only: local edits are not pushed (targets change through proposals, docs/domain.md §6). */
  readOnly?: boolean;
  /** The list route accepts `since` (change cursor). */
  since?: boolean;
  /** Deleting a row becomes a tombstone (`DELETE path/{id}`, directors). */
  tombstones?: boolean;
}

/** A catalogue field as a sync column (`required`: a new item needs it; ids are generated, so not the id). */
export function syncColumn(d: FieldDef): ColumnDef {
  const col: ColumnDef = { field: d.id, kind: d.kind, label: d.label, synonyms: d.synonyms };
  if (d.enum) col.enum = d.enum as unknown as EnumLike;
  if (d.requiredToSave) {
    col.requiredToSave = true;
    if (d.id !== "id") col.required = true;
  }
  if (d.defaultsToUser) col.defaultsToUser = true;
  if (d.unit) col.unit = d.unit;
  if (d.countsForCompleteness) col.countsForCompleteness = true;
  if (d.computed) col.computed = true;
  return col;
}

/**
 * The value of a computed column for one stored item: an account's archive completeness as a
 * ratio rounded to 4 places (a cell reads back exactly what was written, so its hash stays put).
 * Undefined when the item cannot be measured.
 */
export function computedValue(entity: EntityId, field: string, item: Record<string, unknown>): number | undefined {
  if (entity === "accounts" && field === "archiveCompleteness") {
    const r = archiveCompleteness(item);
    return r.ok ? Math.round(r.value.ratio * 10000) / 10000 : undefined;
  }
  return undefined;
}

type SyncRules = Omit<EntityDef, "id" | "label" | "sheet" | "columns">;

function entity(id: EntityId, rules: SyncRules): EntityDef {
  const c = CATALOGUE[id];
  return { id, label: c.label, sheet: c.sheet, ...rules, columns: c.fields.filter((d) => !d.personal && !d.notSynced).map(syncColumn) };
}

export const ACCOUNTS: EntityDef = entity("accounts", { path: "/v1/accounts", idPrefix: "acc", since: true, tombstones: true, writeSchema: AccountWriteSchema });

/** Contacts live inside their account (docs/contracts.md §6): account id + contact id per row. */
export const CONTACTS: EntityDef = entity("contacts", { path: "/v1/accounts", idPrefix: "ct", since: true, writeSchema: ContactWriteSchema });

export const VISIT_PLANS: EntityDef = entity("visitPlans", { path: "/v1/visit-plans", idPrefix: "vp", writeSchema: VisitPlanWriteSchema });

export const VISIT_RECORDS: EntityDef = entity("visitRecords", { path: "/v1/visit-records", idPrefix: "vr", writeSchema: VisitRecordWriteSchema });

/** Pull-only: targets change through proposals (docs/domain.md §6). */
export const TARGETS: EntityDef = entity("targets", { path: "/v1/targets", idPrefix: "tg", readOnly: true });

export const CONTRACTS: EntityDef = entity("contracts", { path: "/v1/contracts", idPrefix: "ctr", writeSchema: ContractWriteSchema });

export const PAYMENTS: EntityDef = entity("payments", { path: "/v1/payments", idPrefix: "pay", writeSchema: PaymentWriteSchema });

export const ENTITIES: Record<EntityId, EntityDef> = {
  accounts: ACCOUNTS,
  contacts: CONTACTS,
  visitPlans: VISIT_PLANS,
  visitRecords: VISIT_RECORDS,
  targets: TARGETS,
  contracts: CONTRACTS,
  payments: PAYMENTS,
};
