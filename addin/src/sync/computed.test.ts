import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { archiveCompleteness } from "../../../shared/src/index.js";
import { XlsxWorkbook } from "../workbook/xlsx.js";
import { ACCOUNTS } from "./entities.js";
import { executeSync, prepareSync } from "./engine.js";
import { detectMapping } from "./rows.js";
import { templateOps } from "./template.js";
import { MemoryStore } from "./memoryStore.test-util.js";
import { columnLetter, type CellValue } from "../workbook/port.js";

/** The accounts sheet with the computed archive-completeness column (pull-only). */
const USER = "u-mgr1";
const SHEET = "客户";
const HEADER = ["客户编号", "客户名称", "企业性质", "注册资本", "付款态度", "电话", "档案完整率"];
const PHONE = 5;
const DONE = 6;

function setup(rows: CellValue[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET);
  for (const r of [HEADER, ...rows]) ws.addRow(r);
  const store = new MemoryStore();
  store.users = [{ id: USER, name: "李明", roles: ["manager"], team: "t-east" }];
  return { wb, ws, port: new XlsxWorkbook(wb), store };
}

async function sync(port: XlsxWorkbook, store: MemoryStore) {
  const prepared = await prepareSync({ port, remote: store, entity: ACCOUNTS, ref: { sheet: SHEET }, lang: "zh", userId: USER, roles: ["manager"] });
  if (!prepared.ok) throw new Error(prepared.message.en);
  let n = 0;
  const summary = await executeSync(prepared.plan, port, store, { newId: () => `acc-new-${++n}` });
  return { plan: prepared.plan, summary };
}

const ratioOf = (store: MemoryStore, id: string) => {
  const r = archiveCompleteness(store.items.get(id)!);
  if (!r.ok) throw new Error("not measurable");
  return r.value.ratio;
};

describe("computed column: archive completeness", () => {
  it("is recognised by its header synonyms and is in the template", () => {
    for (const h of ["档案完整率", "完整率", "Completeness", "Archive completeness", "档案完整率 / Archive completeness"]) {
      expect(detectMapping(["客户编号", "客户名称", h], ACCOUNTS).mapping[2], h).toBe("archiveCompleteness");
    }
    const header = templateOps(ACCOUNTS, "zh").find((op) => op.kind === "values");
    expect(header && header.kind === "values" ? header.values[0] : []).toContain("档案完整率 / Archive completeness");
    const at = ACCOUNTS.columns.findIndex((c) => c.field === "archiveCompleteness");
    const col = columnLetter(at);
    expect(templateOps(ACCOUNTS, "en")).toContainEqual({ kind: "numberFormat", sheet: "Accounts", address: `${col}2:${col}1001`, format: "0%" });
  });

  it("pull writes the store's completeness as a 0% ratio; an edit there sends nothing, holds nothing back and is put back; a store change of another field refreshes it", async () => {
    // Filled: name, ownership, capital, attitude, and the defaulted owner → 5 of the 10 required items.
    const { ws, port, store } = setup([[null, "华东电力", "国企", 5_000_000, "爽快", null, null]]);
    const first = await sync(port, store);
    expect(first.summary).toMatchObject({ created: 1 });
    expect(store.items.get("acc-new-1")).not.toHaveProperty("archiveCompleteness");

    const second = await sync(port, store);
    expect(second.plan.counts).toMatchObject({ push: 0, pull: 1, conflicts: 0, invalid: 0, held: 0 });
    expect(ratioOf(store, "acc-new-1")).toBe(0.5);
    expect(ws.getCell(2, DONE + 1).value).toBe(0.5);
    expect(ws.getCell(2, DONE + 1).numFmt).toBe("0%");
    expect((await sync(port, store)).plan.counts).toMatchObject({ push: 0, pull: 0, unchanged: 1 });

    // The user types over the computed cell (a number, then words): nothing is sent or held; the
    // cell is noted "computed column, not saved" once. The store's item did not change (the list
    // asks for changes only), so the typed figure stays until the store's completeness moves.
    for (const typed of [0.9, "满分"] as CellValue[]) {
      ws.getCell(2, DONE + 1).value = typed;
      const upserts = store.requests.filter((r) => r.kind === "upsert").length;
      const edited = await sync(port, store);
      expect(edited.plan.push).toEqual([]);
      expect(edited.plan.held).toEqual([]);
      expect(edited.plan.problems).toEqual([]);
      expect(edited.plan.conflicts).toEqual([]);
      expect(store.requests.filter((r) => r.kind === "upsert").length).toBe(upserts);
      expect(store.items.get("acc-new-1")).not.toHaveProperty("archiveCompleteness");
      expect(edited.plan.notSaved.map((n) => [n.address, n.field, n.message.en])).toEqual([["G2", "archiveCompleteness", "Archive completeness is a computed column, not saved"]]);
      expect(ws.getCell(2, DONE + 1).value).toBe(typed);
      expect((await sync(port, store)).plan.notSaved).toEqual([]);
    }

    // Another user fills two counted fields in the store: the cell follows, as a pull, not a conflict.
    store.edit("acc-new-1", { industry: "电力", address: "上海市浦东新区" });
    const refreshed = await sync(port, store);
    expect(refreshed.plan.counts).toMatchObject({ push: 0, pull: 1, conflicts: 0 });
    expect(ws.getCell(2, DONE + 1).value).toBe(ratioOf(store, "acc-new-1"));
    expect(ws.getCell(2, DONE + 1).value).toBe(0.7);

    // Both at once: the cell typed over and the store changed: the store's figure wins, no conflict.
    ws.getCell(2, DONE + 1).value = 0.1;
    store.edit("acc-new-1", { industryPosition: "leader" });
    const both = await sync(port, store);
    expect(both.plan.conflicts).toEqual([]);
    expect(both.plan.push).toEqual([]);
    expect(ws.getCell(2, DONE + 1).value).toBe(0.8);

    // The user's own edit of a counted field is pushed; the next sync shows the new completeness.
    ws.getCell(2, PHONE + 1).value = "021-5555";
    const mine = await sync(port, store);
    expect(mine.plan.push.map((p) => p.fields)).toEqual([{ phone: "021-5555" }]);
    await sync(port, store);
    expect(ws.getCell(2, DONE + 1).value).toBe(0.9);
    expect((await sync(port, store)).plan.counts).toMatchObject({ push: 0, pull: 0, unchanged: 1 });
  });

  it("a new row with a figure typed in the computed column is created without it", async () => {
    const { ws, port, store } = setup([["acc-9", "星河科技", "民营", null, null, null, 1]]);
    const { plan } = await sync(port, store);
    expect(plan.push.map((p) => p.fields)).toEqual([{ id: "acc-9", name: "星河科技", ownershipType: "private", owner: USER }]);
    expect(store.items.get("acc-9")).not.toHaveProperty("archiveCompleteness");
    await sync(port, store);
    expect(ws.getCell(2, DONE + 1).value).toBe(0.3);
  });
});
