/**
 * The sync's invariants as fast-check properties over random sheets, store states and edit
 * sequences, on both workbook adapters (exceljs for real; the Excel adapter on the office-addin-mock
 * fake), against the in-memory store with the API's write semantics. The expected value of every
 * cell is modelled here, independently of the engine's parser.
 *
 * After each sync:
 * - no unintended write: a stored field changes only where the user changed that cell since the
 *   last sync, in a row without a problem, in a column the sheet has (and then to the cell's value);
 * - edits are sent (hidden rows too) unless the store changed the same field to something else
 *   (a conflict: "mine" sends it, otherwise the store's value stays);
 * - no unintended delete: a tombstone only for a director who confirmed, of an id in no row;
 * - the owner never changes implicitly; new rows get the signed-in manager or the director's choice;
 * - a second sync with no edits sends nothing.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import ExcelJS from "exceljs";
import { XlsxWorkbook } from "../workbook/xlsx.js";
import { ExcelWorkbook } from "../workbook/excel.js";
import { fakeExcel } from "../workbook/fakeExcel.test-util.js";
import type { CellValue, WorkbookPort } from "../workbook/port.js";
import { ACCOUNTS } from "./entities.js";
import { BASELINE_FORMAT, executeSync, prepareSync, stateKeyOf, type Resolution } from "./engine.js";
import { MemoryStore } from "./memoryStore.test-util.js";
import { contentHash } from "./rows.js";

const SHEET = "客户";
const HEADERS: Record<string, string> = {
  id: "客户编号", name: "客户名称", owner: "负责经理", ownershipType: "企业性质", registeredCapital: "注册资本",
  phone: "电话", strategic: "战略客户", foundedYear: "成立年份",
};
const OPTIONAL = ["owner", "ownershipType", "registeredCapital", "phone", "strategic", "foundedYear"] as const;
const STORE_FIELDS = ["name", "owner", "ownershipType", "registeredCapital", "phone", "strategic", "foundedYear"] as const;

const USERS = [
  { id: "m1", name: "李明", roles: ["manager"], team: "east" },
  { id: "m2", name: "王芳", roles: ["manager"], team: "west" },
  { id: "m3", name: "张伟", roles: ["manager"], team: "east" },
  { id: "m4", name: "张伟", roles: ["manager"], team: "west" },
  { id: "d1", name: "赵总", roles: ["director"] },
  { id: "s1", name: "钱专员", roles: ["specialist"] },
];

/** The model's reading of a raw cell: the stored value, "blank", or invalid. */
type Expect = { ok: true; value: unknown } | { ok: false };
function expected(field: string, raw: CellValue): Expect {
  if (raw === null || raw === "") return field === "owner" || field === "name" ? { ok: false } : { ok: true, value: undefined };
  const t = typeof raw === "string" ? raw.trim() : raw;
  switch (field) {
    case "name":
    case "phone":
      return { ok: true, value: String(t) };
    case "owner":
      return t === "李明" || t === "m1" ? { ok: true, value: "m1" } : t === "王芳" || t === "m2" ? { ok: true, value: "m2" } : t === "m3" ? { ok: true, value: "m3" } : { ok: false };
    case "ownershipType":
      return t === "国企" ? { ok: true, value: "stateOwned" } : t === "民营" ? { ok: true, value: "private" } : t === "外资" ? { ok: true, value: "foreign" } : { ok: false };
    case "registeredCapital":
    case "foundedYear":
      return typeof t === "number" ? { ok: true, value: t } : { ok: false };
    case "strategic":
      return t === "是" ? { ok: true, value: true } : t === "否" ? { ok: true, value: false } : { ok: false };
  }
  return { ok: false };
}

const validCell: Record<string, fc.Arbitrary<CellValue>> = {
  name: fc.constantFrom("华东电力", "星河科技", "远大集团", "蓝海物流", "Acme"),
  owner: fc.constantFrom("李明", "王芳", "m3", "m1"),
  ownershipType: fc.constantFrom("国企", "民营", "外资"),
  registeredCapital: fc.integer({ min: 1_000, max: 9_000_000 }),
  phone: fc.constantFrom("021-5550101", "010-8888", "0755-1234"),
  strategic: fc.constantFrom("是", "否"),
  foundedYear: fc.integer({ min: 1950, max: 2025 }),
};
const invalidCell: Record<string, fc.Arbitrary<CellValue>> = {
  name: fc.constant(null),
  owner: fc.constantFrom("张伟", "钱专员", "无名氏", null),
  ownershipType: fc.constantFrom("待定", "x"),
  registeredCapital: fc.constantFrom("约100", "待定"),
  phone: fc.constant("021-1"), // a phone is text: never invalid (kept as a valid edit)
  strategic: fc.constantFrom("也许", "待定", "x"),
  foundedYear: fc.constantFrom("x年", "约2000"),
};
const storeValue: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.constantFrom("华东电力股份", "星河科技集团", "新名称"),
  owner: fc.constantFrom("m1", "m2"),
  ownershipType: fc.constantFrom("stateOwned", "private", "foreign"),
  registeredCapital: fc.integer({ min: 1_000, max: 9_000_000 }),
  phone: fc.constantFrom("021-000", "020-111"),
  strategic: fc.boolean(),
  foundedYear: fc.integer({ min: 1950, max: 2025 }),
};

type Edit =
  | { kind: "cell"; row: number; field: number; valid: boolean; pick: number; blank: boolean }
  | { kind: "hide"; row: number }
  | { kind: "removeRow"; row: number }
  | { kind: "clearId"; row: number }
  | { kind: "newRow"; withOwner: boolean; invalid: boolean; pick: number }
  | { kind: "storeEdit"; account: number; field: number; pick: number }
  | { kind: "storeDelete"; account: number }
  | { kind: "swap"; a: number; b: number }
  | { kind: "both"; row: number; field: number; pick: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("cell" as const), row: fc.nat(20), field: fc.nat(20), valid: fc.boolean(), pick: fc.nat(1000), blank: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("hide" as const), row: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeRow" as const), row: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("clearId" as const), row: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("newRow" as const), withOwner: fc.boolean(), invalid: fc.boolean(), pick: fc.nat(1000) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("storeEdit" as const), account: fc.nat(20), field: fc.nat(20), pick: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("storeDelete" as const), account: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("swap" as const), a: fc.nat(20), b: fc.nat(20) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("both" as const), row: fc.nat(20), field: fc.nat(20), pick: fc.nat(1000) }) },
);

const scenarioArb = fc.record({
  columns: fc.subarray([...OPTIONAL]),
  accounts: fc.array(fc.record({
    owner: fc.constantFrom("m1", "m2", "m3"),
    ownershipType: fc.constantFrom("stateOwned", "private", "foreign"),
    registeredCapital: fc.integer({ min: 1_000, max: 9_000_000 }),
    phone: fc.option(fc.constantFrom("021-5550101", "010-8888"), { nil: undefined }),
    strategic: fc.boolean(),
    foundedYear: fc.option(fc.integer({ min: 1950, max: 2025 }), { nil: undefined }),
  }), { minLength: 1, maxLength: 5 }),
  edits: fc.array(editArb, { maxLength: 8 }),
  director: fc.boolean(),
  resolution: fc.constantFrom<Resolution | undefined>(undefined, "mine", "theirs"),
  confirmDeletes: fc.boolean(),
});

interface Adapter {
  port: WorkbookPort;
  hide(dataRow: number): void;
}

function xlsxAdapter(header: string[]): Adapter {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet(SHEET).addRow(header);
  const port = new XlsxWorkbook(wb);
  return { port, hide: (r) => { wb.getWorksheet(SHEET)!.getRow(r + 2).hidden = true; } };
}

function excelAdapter(header: string[]): Adapter {
  const x = fakeExcel({ [SHEET]: [header] });
  const port = new ExcelWorkbook(x.run, () => false);
  return { port, hide: (r) => { x.hidden.add(`${SHEET}!${r + 1}`); } };
}

async function readSheet(port: WorkbookPort, fields: string[]) {
  const t = (await port.read({ tables: [{ sheet: SHEET }] })).tables[0]!;
  return t.rows.map((line, i) => ({ row: i, cells: Object.fromEntries(fields.map((f, j) => [f, line[j] ?? null])) as Record<string, CellValue> }));
}

function snapshot(store: MemoryStore): Map<string, Record<string, unknown>> {
  return new Map([...store.items].map(([k, v]) => [k, structuredClone(v)]));
}

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

async function check(sc: Scenario, make: (h: string[]) => Adapter): Promise<void> {
  const fields = ["id", "name", ...OPTIONAL.filter((f) => sc.columns.includes(f))];
  const { port, hide } = make(fields.map((f) => HEADERS[f]!));
  const store = new MemoryStore();
  store.users = USERS;
  store.actor = "seed";
  await store.upsert(ACCOUNTS, sc.accounts.map((a, i) => ({ id: `acc-${i}`, name: `客户${i}`, ...a })), "seed");
  const user = sc.director ? { id: "d1", roles: ["director"] } : { id: "m1", roles: ["manager"] };
  let ids = 0;
  const sync = async (o: Parameters<typeof executeSync>[3] = {}) => {
    store.actor = user.id;
    const p = await prepareSync({ port, remote: store, entity: ACCOUNTS, ref: { sheet: SHEET }, lang: "zh", userId: user.id, roles: user.roles });
    if (!p.ok) throw new Error(p.message.en);
    const summary = await executeSync(p.plan, port, store, { newId: () => `new-${++ids}`, ...o });
    return { plan: p.plan, summary };
  };

  // First sync pulls everything the user chose into the empty sheet.
  const first = await sync({ pullScope: { kind: "all" } });
  expect(first.summary.added).toBe(sc.accounts.length);
  const g0 = await readSheet(port, fields);
  const sPrev = snapshot(store);

  // Edits on both sides.
  const rowsNow = g0.length;
  /** Physical data row → the row of g0 whose content it holds now (rows can be moved). */
  const at = g0.map((_, i) => i);
  let newRows = 0;
  const edited = new Set<number>();
  const idCleared = new Set<number>();
  const removed = new Set<number>();
  const newRowCells: Record<string, CellValue>[] = [];
  const storeEdited = new Map<string, Set<string>>();
  const storeDeleted = new Set<string>();
  for (const e of sc.edits) {
    if (e.kind === "storeEdit" || e.kind === "storeDelete") {
      const id = `acc-${e.account % sc.accounts.length}`;
      if (storeDeleted.has(id)) continue;
      if (e.kind === "storeDelete") { await store.tombstone(ACCOUNTS, id); storeDeleted.add(id); continue; }
      const f = STORE_FIELDS[e.field % STORE_FIELDS.length]!;
      store.edit(id, { [f]: fc.sample(storeValue[f]!, { seed: e.pick, numRuns: 1 })[0] }, "m2");
      storeEdited.set(id, new Set([...(storeEdited.get(id) ?? []), f]));
      continue;
    }
    if (e.kind === "newRow") {
      const cells: Record<string, CellValue> = { id: null };
      fields.slice(1).forEach((f, j) => {
        if (f === "owner" && !e.withOwner) { cells[f] = null; return; }
        const arb = e.invalid && j === (e.pick % (fields.length - 1)) ? invalidCell[f]! : validCell[f]!;
        cells[f] = fc.sample(arb, { seed: e.pick + j, numRuns: 1 })[0]!;
      });
      cells.name ??= null;
      if (typeof cells.name === "string") cells.name = `${cells.name}新${newRows}`;
      const r = rowsNow + newRows++;
      await port.apply([{ kind: "values", sheet: SHEET, row: r + 1, col: 0, values: [fields.map((f) => cells[f] ?? null)] }]);
      newRowCells.push(cells);
      continue;
    }
    if (e.kind === "swap") {
      // Moving rows (sorting, cut and paste) is not an edit.
      const pa = e.a % rowsNow, pb = e.b % rowsNow;
      if (pa === pb || [pa, pb].some((p) => removed.has(at[p]!) || idCleared.has(at[p]!))) continue;
      const t = (await port.read({ tables: [{ sheet: SHEET }] })).tables[0]!;
      await port.apply([
        { kind: "values", sheet: SHEET, row: pa + 1, col: 0, values: [t.rows[pb]!.slice(0, fields.length)] },
        { kind: "values", sheet: SHEET, row: pb + 1, col: 0, values: [t.rows[pa]!.slice(0, fields.length)] },
      ]);
      [at[pa], at[pb]] = [at[pb]!, at[pa]!];
      continue;
    }
    const p = e.row % rowsNow;
    const r = at[p]!;
    if (removed.has(r) || idCleared.has(r)) continue;
    if (e.kind === "hide") { hide(p); continue; }
    if (e.kind === "both") {
      // The same field edited in the sheet and, by another user, in the store.
      const id = String(g0[r]!.cells.id);
      if (storeDeleted.has(id) || removed.has(r) || idCleared.has(r)) continue;
      const j = 1 + (e.field % (fields.length - 1));
      const f = fields[j]!;
      let v = fc.sample(validCell[f]!, { seed: e.pick, numRuns: 1 })[0]!;
      if (f === "name" && typeof v === "string") v = `${v}${r}`;
      edited.add(r);
      await port.apply([{ kind: "values", sheet: SHEET, row: p + 1, col: j, values: [[v]] }]);
      store.edit(id, { [f]: fc.sample(storeValue[f]!, { seed: e.pick + 1, numRuns: 1 })[0] }, "m2");
      continue;
    }
    if (e.kind === "removeRow") {
      if (edited.has(r)) continue;
      removed.add(r);
      await port.apply([{ kind: "clear", sheet: SHEET, row: p + 1, col: 0, rows: 1, cols: fields.length }]);
      continue;
    }
    if (e.kind === "clearId") {
      // The row's other cells stay as synced, so the row is recognisable.
      if (edited.has(r)) continue;
      idCleared.add(r);
      await port.apply([{ kind: "values", sheet: SHEET, row: p + 1, col: 0, values: [[null]] }]);
      continue;
    }
    const j = 1 + (e.field % (fields.length - 1));
    const f = fields[j]!;
    let v: CellValue = e.blank && f !== "name" && f !== "owner" ? null : fc.sample(e.valid ? validCell[f]! : invalidCell[f]!, { seed: e.pick, numRuns: 1 })[0]!;
    if (f === "name" && typeof v === "string") v = `${v}${r}`; // names stay unique
    edited.add(r);
    await port.apply([{ kind: "values", sheet: SHEET, row: p + 1, col: j, values: [[v]] }]);
  }
  const g1 = await readSheet(port, fields);
  const s0 = snapshot(store);

  const ownerChoice = "王芳";
  const { plan, summary } = await sync({ resolutions: sc.resolution, confirmDeletes: sc.confirmDeletes, owner: sc.director ? ownerChoice : undefined });
  const s1 = snapshot(store);

  // Rows of the sheet by id (g0 rows are the synced accounts, in order).
  const idOfRow = g0.map((r) => String(r.cells.id));
  const idsNow = new Set(g1.map((r) => r.cells.id).filter((v) => v !== null).map(String));

  for (const [row, id] of idOfRow.entries()) {
    const before = s0.get(id)!;
    const after = s1.get(id)!;
    const prev = sPrev.get(id)!;
    if (before.deleted) { expect(after.deleted).toBe(true); continue; }
    const inSheet = idsNow.has(id);
    if (!inSheet && !idCleared.has(row)) {
      // Gone from the sheet: a deletion only for a director who confirmed.
      const deleted = sc.director && sc.confirmDeletes;
      expect(after.deleted === true, `deleted ${id}`).toBe(deleted);
      expect(pickFields(after)).toEqual(pickFields(before));
      if (!sc.director) expect(plan.dropped.map((d) => d.key)).toContain(id);
      else expect(plan.deletes.find((d) => d.key === id)).toMatchObject({ name: before.name, owner: before.owner });
      continue;
    }
    expect(after.deleted, `not deleted ${id}`).toBeUndefined();
    const phys = at.indexOf(row);
    if (idCleared.has(row)) {
      expect(pickFields(after)).toEqual(pickFields(before));
      expect(plan.problems.some((p) => p.row === phys && p.reason === "idEdited")).toBe(true);
      continue;
    }
    const c0 = g0[row]!.cells, c1 = g1[phys]!.cells;
    const changed = fields.filter((f) => f !== "id" && !sameCell(c0[f]!, c1[f]!));
    const invalid = changed.some((f) => !expected(f, c1[f]!).ok);
    for (const f of STORE_FIELDS) {
      const userChanged = changed.includes(f);
      const storeChanged = JSON.stringify(before[f]) !== JSON.stringify(prev[f]);
      const mine = userChanged ? expected(f, c1[f]!) : undefined;
      if (!userChanged || invalid) {
        // No unintended write (absent column, untouched cell, blank-to-blank, held row).
        expect(after[f], `${id}.${f} must not change`).toEqual(before[f]);
        continue;
      }
      const want = (mine as { value: unknown }).value;
      if (!storeChanged || JSON.stringify(want ?? null) === JSON.stringify(before[f] ?? null)) {
        expect(after[f], `${id}.${f} sent`).toEqual(want);
      } else {
        // Both sides changed the field differently: a conflict of that field only.
        const c = plan.conflicts.find((x) => x.key === id);
        expect(c, `${id}.${f} is a conflict`).toBeDefined();
        expect(c!.fields.map((x) => x.field)).toContain(f);
        expect(c?.fields.find((x) => x.field === f)).toMatchObject({ by: "m2" });
        expect(after[f], `${id}.${f} conflict`).toEqual(sc.resolution === "mine" ? want : before[f]);
      }
    }
    if (invalid) expect(plan.held.map((h) => h.row)).toContain(phys);
  }

  // New rows: created when valid, owned by the signed-in manager or the director's choice.
  const created = [...s1.keys()].filter((k) => !s0.has(k));
  const validNew = newRowCells.filter((cells) => fields.slice(1).every((f) => (f === "owner" && cells[f] === null) || expected(f, cells[f]!).ok));
  expect(created.length).toBe(validNew.length);
  for (const k of created) {
    const item = s1.get(k)!;
    const cells = newRowCells.find((c) => c.name === item.name)!;
    const wantOwner = cells.owner ? (expected("owner", cells.owner) as { value: unknown }).value : sc.director ? "m2" : "m1";
    expect(item.owner).toBe(wantOwner);
  }

  // Ownership changes are listed apart, and only for edited owner cells.
  for (const oc of plan.ownerChanges) {
    expect(fields).toContain("owner");
    expect(idOfRow).toContain(oc.key);
  }

  // A second sync with no edits sends nothing and deletes nothing.
  const deletedBefore = [...store.items.values()].filter((i) => i.deleted).length;
  const again = await sync({ resolutions: sc.resolution, owner: sc.director ? ownerChoice : undefined });
  expect(again.summary.rowsSent, "second sync sends nothing").toBe(0);
  expect([...store.items.values()].filter((i) => i.deleted).length).toBe(deletedBefore);
  // Rows a manager removed are not pulled back into the sheet.
  if (!sc.director) for (const d of plan.dropped) expect(again.plan.pull.some((p) => p.key === d.key)).toBe(false);
  void summary;
}

function pickFields(o: Record<string, unknown>) {
  return Object.fromEntries(STORE_FIELDS.map((f) => [f, o[f]]));
}

function sameCell(a: CellValue, b: CellValue): boolean {
  const n = (v: CellValue) => (v === null || v === "" ? null : typeof v === "string" ? v.trim() : v);
  return n(a) === n(b);
}


describe("sync invariants (fast-check)", () => {
  it("on the xlsx adapter (exceljs)", async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, (sc) => check(sc, xlsxAdapter)), { seed: 20261201, numRuns: 60 });
  });

  it("on the Excel adapter (office-addin-mock)", async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, (sc) => check(sc, excelAdapter)), { seed: 20261202, numRuns: 30 });
  });
});

describe("migration from the per-row state (format 1)", () => {
  it("an unchanged row stays unchanged; a changed one turns each field that differs from the store into a conflict, never a send", async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ capital: fc.integer({ min: 1, max: 1_000_000 }), edit: fc.boolean(), storeEdit: fc.boolean() }), { minLength: 1, maxLength: 6 }),
      async (rows) => {
        const fields = ["id", "name", "registeredCapital"];
        const { port } = xlsxAdapter(fields.map((f) => HEADERS[f]!));
        const store = new MemoryStore();
        store.users = USERS;
        await store.upsert(ACCOUNTS, rows.map((r, i) => ({ id: `acc-${i}`, name: `客户${i}`, owner: "m1", registeredCapital: r.capital })), "seed");
        await port.apply([{ kind: "values", sheet: SHEET, row: 1, col: 0, values: rows.map((r, i) => [`acc-${i}`, `客户${i}`, r.capital]) }]);
        // The old state: one content hash of the parsed row (owner filled from the user).
        const v1 = { v: 1, entity: "accounts", fields: ["id", "name", "registeredCapital", "owner"], rows: Object.fromEntries(rows.map((r, i) => [`acc-${i}`, [1, contentHash({ id: `acc-${i}`, name: `客户${i}`, registeredCapital: r.capital, owner: "m1" }, ["id", "name", "registeredCapital", "owner"])]])) };
        await port.apply([{ kind: "state", key: stateKeyOf(ACCOUNTS, SHEET), value: JSON.stringify(v1) }]);
        for (const [i, r] of rows.entries()) {
          if (r.edit) await port.apply([{ kind: "values", sheet: SHEET, row: i + 1, col: 2, values: [[r.capital + 1]] }]);
          if (r.storeEdit) store.edit(`acc-${i}`, { registeredCapital: r.capital + 2 }, "m2");
        }
        const before = snapshot(store);
        const p = await prepareSync({ port, remote: store, entity: ACCOUNTS, ref: { sheet: SHEET }, lang: "zh", userId: "m1", roles: ["manager"] });
        if (!p.ok) throw new Error(p.message.en);
        expect(p.plan.migrated).toBe(true);
        const s = await executeSync(p.plan, port, store);
        expect(s.rowsSent).toBe(0);
        expect(snapshot(store)).toEqual(before);
        const sheet = await readSheet(port, fields);
        for (const [i, r] of rows.entries()) {
          const conflict = p.plan.conflicts.find((c) => c.key === `acc-${i}`);
          if (r.edit) expect(conflict?.fields.map((f) => f.field)).toEqual(["registeredCapital"]);
          else expect(conflict).toBeUndefined();
          // untouched rows take the store's change
          if (!r.edit) expect(sheet[i]!.cells.registeredCapital).toBe(r.storeEdit ? r.capital + 2 : r.capital);
        }
        const state = JSON.parse((await port.read({ state: [stateKeyOf(ACCOUNTS, SHEET)] })).state[stateKeyOf(ACCOUNTS, SHEET)]!);
        expect(state.v).toBe(BASELINE_FORMAT);
      },
    ), { seed: 7, numRuns: 25 });
  });
});
