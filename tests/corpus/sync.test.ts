import { describe, expect, it } from "vitest";
import { ENTITIES } from "../../addin/src/sync/entities.js";
import { executeSync, parseBaseline, prepareSync, stateKeyOf, type PrepareOptions, type SyncPlan } from "../../addin/src/sync/engine.js";
import { MemoryStore } from "../../addin/src/sync/memoryStore.test-util.js";
import { openXlsx, type XlsxWorkbook } from "../../addin/src/workbook/xlsx.js";
import { CORPUS, CORPUS_DIRECTORY, buildWorkbook, type CorpusBook } from "./make.js";

/** The signed-in manager of every sync below (a manager's new row without an owner is theirs). */
const ME = "m-li";

async function open(book: CorpusBook): Promise<{ port: XlsxWorkbook; store: MemoryStore }> {
  const bytes = new Uint8Array(await buildWorkbook(book).xlsx.writeBuffer());
  const opened = await openXlsx(bytes);
  if (!opened.ok) throw new Error(opened.message);
  const store = new MemoryStore();
  store.users = CORPUS_DIRECTORY.map((u) => ({ ...u, roles: [...u.roles] }));
  return { port: opened.workbook, store };
}

async function prepare(book: CorpusBook, port: XlsxWorkbook, store: MemoryStore, more: Partial<PrepareOptions> = {}): Promise<SyncPlan> {
  const p = await prepareSync({ port, remote: store, entity: ENTITIES[book.entity], ref: { sheet: book.sheet }, lang: "zh", userId: ME, roles: ["manager"], ...more });
  if (!p.ok) throw new Error(`${book.name}: ${p.message.en}`);
  return p.plan;
}

async function planOf(book: CorpusBook): Promise<SyncPlan> {
  const { port, store } = await open(book);
  return prepare(book, port, store);
}

const book = (name: string) => CORPUS.find((b) => b.name.startsWith(name))!;

/**
 * Every corpus workbook, written as a real .xlsx and synced through the xlsx adapter into an empty
 * in-memory store: the plan finds the header, lists the blank and totals rows as skipped, holds
 * back the rows with problem cells, and creates the other rows with the values the grammar reads.
 */
describe("sync plans of the messy workbooks", () => {
  it.each(CORPUS.map((b) => [b.name, b] as const))("%s", async (_name, book) => {
    const plan = await planOf(book);
    const e = book.expect;
    // The mapping report shows each header's text next to its field.
    const shown = Object.fromEntries(plan.mapping.found.map((f) => [f.header, f.field]));
    for (const [header, field] of Object.entries(e.columns)) if (ENTITIES[book.entity].columns.some((c) => c.field === field)) expect(shown[header]).toBe(field);
    const sheetRow = (r: number) => plan.table.row + 2 + r;
    expect(plan.header.sheetRows).toEqual(e.headerRows);
    expect(sheetRow(0)).toBe(e.dataStart);
    // Blank rows below the last filled row are outside the table the workbook port reads.
    const lastFilled = book.rows.reduce((last, r, i) => (r.some((v) => v !== null && v !== undefined && String(v).trim() !== "") ? i + 1 : last), 0);
    expect(plan.skippedRows.map((s) => ({ row: sheetRow(s.row), reason: s.reason }))).toEqual(e.skipped.filter((s) => s.row <= lastFilled));
    for (const s of plan.skippedRows) expect(s.message.zh && s.message.en).toBeTruthy();

    // Per-cell problems, each naming its cell; their rows are held back whole.
    const problems = plan.problems.map((p) => ({ row: sheetRow(p.row), field: p.field, reason: p.grammar ?? p.reason }));
    expect(problems).toEqual(e.problems);
    const problemRows = new Set(e.problems.map((p) => p.row));
    expect(plan.held.map((h) => sheetRow(h.row)).sort((a, b) => a - b)).toEqual([...problemRows].sort((a, b) => a - b));

    // Rows to create: every readable record without a problem, with its parsed values.
    const owned = ENTITIES[book.entity].columns.some((c) => c.field === "owner");
    const expected = e.records
      .filter((r) => !problemRows.has(r.row))
      .map((r) => ({ row: r.row, fields: { ...(owned ? { owner: ME } : {}), ...r.fields } }));
    const pushed = plan.push.map((p) => ({ row: sheetRow(p.row), fields: p.fields }));
    expect(pushed).toEqual(expected);
    expect(plan.push.every((p) => p.isNew)).toBe(true);
    for (const h of e.hidden) if (!problemRows.has(h)) expect(plan.push.find((p) => sheetRow(p.row) === h)?.hidden).toBe(true);

    // Nothing else: no owner changes, no deletions, nothing pulled before the user chose.
    expect(plan.ownerChanges).toEqual([]);
    expect(plan.deletes).toEqual([]);
    expect(plan.dropped).toEqual([]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.pull.filter((p) => !p.candidate)).toEqual([]);
  });
});

describe("synced once, the messy workbooks are stable", () => {
  it.each(CORPUS.map((b) => [b.name, b] as const))("%s: a second sync sends, pulls and deletes nothing; skipped rows stay skipped", async (_name, b) => {
    const { port, store } = await open(b);
    const first = await prepare(b, port, store);
    const s1 = await executeSync(first, port, store, { newId: () => `new-${b.name}` });
    expect(s1.created).toBe(first.push.length);
    const before = JSON.stringify([...store.items]);
    const again = await prepare(b, port, store);
    expect({ push: again.push.length, pull: again.pull.length, deletes: again.deletes.length, dropped: again.dropped.length, conflicts: again.conflicts.length, ownerChanges: again.ownerChanges.length })
      .toEqual({ push: 0, pull: 0, deletes: 0, dropped: 0, conflicts: 0, ownerChanges: 0 });
    expect(again.skippedRows.map((x) => [x.row, x.reason])).toEqual(first.skippedRows.map((x) => [x.row, x.reason]));
    expect(again.held.map((h) => h.row)).toEqual(first.held.map((h) => h.row));
    await executeSync(again, port, store);
    expect(JSON.stringify([...store.items])).toBe(before);
  });
});

describe("a sheet's reading rules are kept with its mapping", () => {
  it("a value the catalogue does not know is a problem listing the accepted values; mapped once, it is read in every row and saved with the sheet", async () => {
    const b = book("12-");
    const { port, store } = await open(b);
    const first = await prepare(b, port, store);
    expect(first.unknownValues).toHaveLength(1);
    const u = first.unknownValues[0]!;
    expect(u).toMatchObject({ field: "ownershipType", value: "乡镇企业", rows: [3] });
    expect(u.accepted.map((a) => a.id)).toEqual(["stateOwned", "private", "foreign", "jointVenture", "jointStock", "publicInstitution"]);
    const p = first.problems.find((x) => x.field === "ownershipType")!;
    expect(p.address).toBe("D5");
    for (const a of u.accepted) {
      expect(p.message.zh).toContain(a.zh);
      expect(p.message.en).toContain(a.en);
    }

    const mapped = await prepare(b, port, store, { valueMaps: { ownershipType: { [u.key]: "private" } } });
    expect(mapped.unknownValues).toEqual([]);
    expect(mapped.problems.map((x) => x.field)).toEqual(["strategic"]);
    expect(mapped.push.find((x) => x.key === "acc-904")?.fields.ownershipType).toBe("private");
    await executeSync(mapped, port, store);
    expect(store.items.get("acc-904")?.ownershipType).toBe("private");
    const state = parseBaseline((await port.read({ state: [stateKeyOf(ENTITIES.accounts, b.sheet)] })).state[stateKeyOf(ENTITIES.accounts, b.sheet)], ENTITIES.accounts);
    expect(state?.sheet?.valueMaps).toEqual({ ownershipType: { [u.key]: "private" } });

    // Another row typed the same way later: read by the saved map, no option needed.
    const ws = port.workbook.getWorksheet(b.sheet)!;
    ws.getCell("D2").value = "乡镇企业";
    const later = await prepare(b, port, store);
    expect(later.sheetMapping.valueMaps).toEqual({ ownershipType: { [u.key]: "private" } });
    expect(later.push.map((x) => [x.key, x.fields])).toEqual([["acc-901", { ownershipType: "private" }]]);
  });

  it("a column in 万元 is read and written in 万, with the grammar's number format", async () => {
    const b = book("09-");
    const { port, store } = await open(b);
    const plan = await prepare(b, port, store);
    expect(plan.sheetMapping.units).toEqual({ registeredCapital: "wan" });
    await executeSync(plan, port, store);
    expect(store.items.get("acc-801")?.registeredCapital).toBe(5_000_000);
    store.edit("acc-801", { registeredCapital: 6_500_000 });
    const pull = await prepare(b, port, store);
    expect(pull.pull.map((x) => [x.key, x.fields])).toEqual([["acc-801", ["registeredCapital"]]]);
    await executeSync(pull, port, store);
    const cell = port.workbook.getWorksheet(b.sheet)!.getCell("C2");
    expect(cell.value).toBe(650);
    expect(cell.numFmt).toBe("#,##0.00");
    // What was written reads back as the store's value: nothing to send or pull.
    const again = await prepare(b, port, store);
    expect([again.push.length, again.pull.length, again.conflicts.length]).toEqual([0, 0, 0]);
    // The header now says 元: the synced cells are rewritten in 元 from the store, none is sent;
    // the row held back for ¥1,200,000 (元 or 万?) now reads and is created.
    port.workbook.getWorksheet(b.sheet)!.getCell("C1").value = "注册资本(元)";
    const yuan = await prepare(b, port, store);
    expect(yuan.sheetMapping.units).toEqual({ registeredCapital: "yuan" });
    expect(yuan.push.map((x) => [x.key, x.isNew, x.fields.registeredCapital])).toEqual([["acc-806", true, 1_200_000]]);
    expect(yuan.pull.map((x) => x.key).sort()).toEqual(["acc-801", "acc-802", "acc-803", "acc-804", "acc-805"]);
    await executeSync(yuan, port, store);
    expect(cell.value).toBe(6_500_000);
    expect(store.items.get("acc-801")?.registeredCapital).toBe(6_500_000);
  });

  it("the header row the user picks is used and saved; a wrong pick is refused with the mapping it found", async () => {
    const b = book("01-");
    const { port, store } = await open(b);
    const wrong = await prepareSync({ port, remote: store, entity: ENTITIES.accounts, ref: { sheet: b.sheet }, lang: "zh", userId: ME, roles: ["manager"], headerRows: [1] });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.mapping?.missing.map((c) => c.field)).toContain("name");
    const picked = await prepare(b, port, store, { headerRows: [3] });
    expect(picked.header).toEqual({ rows: [3], sheetRows: [4], chosen: true });
    await executeSync(picked, port, store);
    const next = await prepare(b, port, store);
    expect(next.header).toEqual({ rows: [3], sheetRows: [4], chosen: true });
    expect(next.sheetMapping.headerRows).toEqual([3]);
    expect([next.push.length, next.pull.length, next.skippedRows.length]).toEqual([0, 0, 1]);
  });
});
