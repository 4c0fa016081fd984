import { describe, expect, it } from "vitest";
import { ENTITIES } from "../../addin/src/sync/entities.js";
import { prepareSync, type SyncPlan } from "../../addin/src/sync/engine.js";
import { MemoryStore } from "../../addin/src/sync/memoryStore.test-util.js";
import { openXlsx } from "../../addin/src/workbook/xlsx.js";
import { CORPUS, CORPUS_DIRECTORY, buildWorkbook, type CorpusBook } from "./make.js";

/** The signed-in manager of every sync below (a manager's new row without an owner is theirs). */
const ME = "m-li";

async function planOf(book: CorpusBook): Promise<SyncPlan> {
  const bytes = new Uint8Array(await buildWorkbook(book).xlsx.writeBuffer());
  const opened = await openXlsx(bytes);
  if (!opened.ok) throw new Error(opened.message);
  const store = new MemoryStore();
  store.users = CORPUS_DIRECTORY.map((u) => ({ ...u, roles: [...u.roles] }));
  const p = await prepareSync({ port: opened.workbook, remote: store, entity: ENTITIES[book.entity], ref: { sheet: book.sheet }, lang: "zh", userId: ME, roles: ["manager"] });
  if (!p.ok) throw new Error(`${book.name}: ${p.message.en}`);
  return p.plan;
}

/**
 * Every corpus workbook, written as a real .xlsx and synced through the xlsx adapter into an empty
 * in-memory store: the plan finds the header, lists the blank and totals rows as skipped, holds
 * back the rows with problem cells, and creates the other rows with the values the grammar reads.
 */
describe("sync plans of the messy workbooks", () => {
  it.each(CORPUS.map((b) => [b.name, b] as const))("%s", async (_name, book) => {
    const plan = await planOf(book);
    const e = book.expect;
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
