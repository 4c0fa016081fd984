import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { XlsxWorkbook } from "../workbook/xlsx.js";
import { ACCOUNTS, CONTACTS, VISIT_RECORDS } from "./entities.js";
import { chunkItems, executeSync, groupProblems, prepareSync, problemsSheetOps, type SyncPlan } from "./engine.js";
import { detectMapping, readRows } from "./rows.js";
import { templateOps } from "./template.js";
import { MemoryStore } from "./memoryStore.test-util.js";
import { withHeaderRow, type CellValue } from "../workbook/port.js";

const USER = "u-mgr1";

function workbookWith(sheet: string, rows: CellValue[][]): XlsxWorkbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return new XlsxWorkbook(wb);
}

const HEADER = ["客户编号", "客户名称", "企业性质", "注册资本", "付款态度"];

function ids(): () => string {
  let n = 0;
  return () => `acc-new-${++n}`;
}

function storeWithUsers(): MemoryStore {
  const store = new MemoryStore();
  store.users = [
    { id: USER, name: "李明", roles: ["manager"], team: "t-east" },
    { id: "u-dir", name: "王总监", roles: ["director"] },
  ];
  return store;
}

async function sync(port: XlsxWorkbook, store: MemoryStore, opts: Parameters<typeof executeSync>[3] = {}, entity = ACCOUNTS, sheet = "客户", roles = ["manager"]) {
  const prepared = await prepareSync({ port, remote: store, entity, ref: { sheet }, lang: "zh", userId: roles.includes("director") ? "u-dir" : USER, roles });
  if (!prepared.ok) throw new Error(prepared.message.en);
  const summary = await executeSync(prepared.plan, port, store, { newId: ids(), ...opts });
  return { plan: prepared.plan, summary };
}

async function cells(port: XlsxWorkbook, sheet = "客户") {
  return (await port.read({ tables: [{ sheet }] })).tables[0]!;
}

describe("three-way sync (accounts)", () => {
  it("first sync creates every row, maps labels to ids, writes generated ids back; a second sync sends nothing", async () => {
    const port = workbookWith("客户", [HEADER, [null, "华东电力", "国企", 5_000_000, "爽快"], ["acc-2", "星河科技", "民营", 1_200_000.5, "一般"]]);
    const store = storeWithUsers();
    const { plan, summary } = await sync(port, store);
    expect(plan.counts).toMatchObject({ push: 2, pull: 0, conflicts: 0, invalid: 0 });
    expect(summary).toMatchObject({ created: 2, rowsSent: 2 });
    // 国企 → stateOwned, 爽快 → prompt (labels.ts); owner defaults to the signed-in manager
    expect(store.items.get("acc-new-1")).toMatchObject({ name: "华东电力", ownershipType: "stateOwned", registeredCapital: 5_000_000, paymentAttitude: "prompt", owner: USER, version: 1 });
    expect(store.items.get("acc-2")).toMatchObject({ registeredCapital: 1_200_000.5, paymentAttitude: "average" });
    expect((await cells(port)).rows[0]![0]).toBe("acc-new-1");

    const before = store.requests.length;
    const second = await sync(port, store);
    expect(second.plan.counts).toMatchObject({ push: 0, pull: 0, add: 0, conflicts: 0, unchanged: 2 });
    expect(second.summary.rowsSent).toBe(0);
    // the list and the directory, no upsert; it learnt the change cursor, so the next list asks for changes only
    expect(store.requests.slice(before).map((r) => r.kind).sort()).toEqual(["directory", "list"]);
    const third = await sync(port, store);
    expect(third.summary.rowsSent).toBe(0);
    expect(store.requests.find((r, i) => i > before + 1 && r.kind === "list")).toMatchObject({ kind: "list", since: "2026-01-01T00:00:00.002Z" });
  });

  it("pushes a local edit with the version it was based on, pulls a remote edit into the sheet", async () => {
    const port = workbookWith("客户", [HEADER, ["acc-1", "华东电力", "国企", 5_000_000, "爽快"], ["acc-2", "星河科技", "民营", 1_000_000, "一般"]]);
    const store = storeWithUsers();
    await sync(port, store);
    await port.apply([{ kind: "values", sheet: "客户", row: 1, col: 3, values: [[6_000_000]] }]); // local: acc-1 capital
    store.edit("acc-2", { paymentAttitude: "slow" }); // remote: acc-2 attitude → 迟缓
    const { plan, summary } = await sync(port, store);
    expect(plan.counts).toMatchObject({ push: 1, pull: 1, conflicts: 0 });
    expect(summary).toMatchObject({ updated: 1, pulled: 1 });
    expect(store.items.get("acc-1")).toMatchObject({ registeredCapital: 6_000_000, version: 2 });
    expect((await cells(port)).rows[1]![4]).toBe("迟缓");
    // and now both sides agree: nothing to do
    const third = await sync(port, store);
    expect(third.plan.counts).toMatchObject({ push: 0, pull: 0, unchanged: 2 });
  });

  it("a row changed on both sides is a conflict; keep mine overwrites the store, take theirs overwrites the sheet", async () => {
    const port = workbookWith("客户", [HEADER, ["acc-1", "华东电力", "国企", 5_000_000, "爽快"], ["acc-2", "星河科技", "民营", 1_000_000, "一般"]]);
    const store = storeWithUsers();
    await sync(port, store);
    await port.apply([{ kind: "values", sheet: "客户", row: 1, col: 1, values: [["华东电力集团"]] }, { kind: "values", sheet: "客户", row: 2, col: 1, values: [["星河科技股份"]] }]);
    store.edit("acc-1", { name: "华东电力有限公司" });
    store.edit("acc-2", { name: "星河科技有限公司" });
    const prepared = await prepareSync({ port, remote: store, entity: ACCOUNTS, ref: { sheet: "客户" }, lang: "zh", userId: USER, roles: ["manager"] });
    if (!prepared.ok) throw new Error();
    expect(prepared.plan.conflicts.map((c) => [c.key, c.name, c.fields.map((f) => [f.field, f.mine, f.theirs, f.by])])).toEqual([
      ["acc-1", "华东电力有限公司", [["name", "华东电力集团", "华东电力有限公司", "u-other"]]],
      ["acc-2", "星河科技有限公司", [["name", "星河科技股份", "星河科技有限公司", "u-other"]]],
    ]);
    const summary = await executeSync(prepared.plan, port, store, { resolutions: { "acc-1": "mine", "acc-2": "theirs" } });
    expect(summary.conflicts).toEqual([]);
    expect(store.items.get("acc-1")).toMatchObject({ name: "华东电力集团", version: 3 }); // 1 sync, 2 director, 3 mine
    expect((await cells(port)).rows.map((r) => r[1])).toEqual(["华东电力集团", "星河科技有限公司"]);
    const after = await sync(port, store);
    expect(after.plan.counts).toMatchObject({ conflicts: 0, push: 0, pull: 0 });
  });

  it("unresolved conflicts stay for the next sync and nothing is overwritten", async () => {
    const port = workbookWith("客户", [HEADER, ["acc-1", "A", "国企", 1, "爽快"]]);
    const store = storeWithUsers();
    await sync(port, store);
    await port.apply([{ kind: "values", sheet: "客户", row: 1, col: 1, values: [["mine"]] }]);
    store.edit("acc-1", { name: "theirs" });
    const { summary } = await sync(port, store);
    expect(summary.conflicts).toHaveLength(1);
    expect(store.items.get("acc-1")!.name).toBe("theirs");
    expect((await cells(port)).rows[0]![1]).toBe("mine");
    const again = await prepareSync({ port, remote: store, entity: ACCOUNTS, ref: { sheet: "客户" }, lang: "zh", userId: USER, roles: ["manager"] });
    expect(again.ok && again.plan.conflicts.length).toBe(1);
  });

  it("a deleted row becomes a tombstone only after a director confirms it, named by name and owner", async () => {
    const port = workbookWith("客户", [HEADER, ["acc-1", "A", "国企", 1, "爽快"], ["acc-2", "B", "民营", 2, "一般"]]);
    const store = storeWithUsers();
    await sync(port, store);
    await port.apply([{ kind: "clear", sheet: "客户", row: 2, col: 0, rows: 1, cols: 5 }]);
    const D = ["director"];
    const unconfirmed = await sync(port, store, {}, ACCOUNTS, "客户", D);
    expect(unconfirmed.plan.deletes.map((d) => [d.key, d.name, d.ownerName])).toEqual([["acc-2", "B", "李明"]]);
    expect(store.items.get("acc-2")!.deleted).toBeUndefined();
    const confirmed = await sync(port, store, { confirmDeletes: true }, ACCOUNTS, "客户", D);
    expect(confirmed.summary.deleted).toBe(1);
    expect(store.items.get("acc-2")!.deleted).toBe(true);
    const after = await sync(port, store, {}, ACCOUNTS, "客户", D);
    expect(after.plan.counts).toMatchObject({ deletes: 0, add: 0, unchanged: 1 });
  });

  it("a manager's removed row leaves only the sheet's state, is not pulled back, and the review says so", async () => {
    const port = workbookWith("客户", [HEADER, ["acc-1", "A", "国企", 1, "爽快"], ["acc-2", "B", "民营", 2, "一般"]]);
    const store = storeWithUsers();
    await sync(port, store, { pullScope: { kind: "all" } });
    await port.apply([{ kind: "clear", sheet: "客户", row: 2, col: 0, rows: 1, cols: 5 }]);
    const { plan, summary } = await sync(port, store);
    expect(plan.deletes).toEqual([]);
    expect(plan.dropped).toEqual([{ key: "acc-2", name: "B" }]);
    expect(summary.dropped).toBe(1);
    expect(store.items.get("acc-2")!.deleted).toBeUndefined();
    store.edit("acc-2", { name: "B2" });
    const again = await sync(port, store);
    expect(again.plan.counts).toMatchObject({ add: 0, pull: 0, deletes: 0, dropped: 0 });
  });

  it("a file read by the pane, edited in another program (a row removed, one appended), syncs exactly those two rows", async () => {
    const port = workbookWith("客户", [HEADER, ["acc-1", "A", "国企", 1, "爽快"], ["acc-2", "B", "民营", 2, "一般"], ["acc-3", "C", "外资", 3, "迟缓"]]);
    const store = storeWithUsers();
    await sync(port, store);
    // Reads past the data, as the grading page's header probes make, leave no trace in the file.
    await port.read({ tables: Array.from({ length: 30 }, (_, k) => ({ sheet: "客户", range: `A${k + 1}:ZZ${k + 1}` })) });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await port.save());
    const ws = book.getWorksheet("客户")!;
    ws.spliceRows(3, 1); // acc-2
    ws.addRow(["acc-new", "D", "民营", 4, "爽快"]);
    const edited = new XlsxWorkbook(new ExcelJS.Workbook());
    await edited.workbook.xlsx.load(await book.xlsx.writeBuffer());
    const { plan } = await sync(edited, store);
    expect(plan.push.map((r) => [r.key, r.row, r.isNew])).toEqual([["acc-new", 2, true]]);
    expect(plan.dropped.map((d) => d.key)).toEqual(["acc-2"]);
    expect(plan.skippedRows).toEqual([]);
    expect(plan.counts).toMatchObject({ push: 1, pull: 0, dropped: 1, unchanged: 2 });
  });

  it("a new item in the store is appended within the pull scope; one deleted in the store is cleared in the sheet", async () => {
    const port = workbookWith("客户", [HEADER, ["acc-1", "A", "国企", 1, "爽快"], ["acc-2", "B", "民营", 2, "一般"]]);
    const store = storeWithUsers();
    await sync(port, store, { pullScope: { kind: "mine" } });
    await store.upsert(ACCOUNTS, [{ id: "acc-9", name: "新客户", owner: USER, ownershipType: "foreign" }], "k");
    await store.tombstone(ACCOUNTS, "acc-1");
    const { summary } = await sync(port, store);
    expect(summary).toMatchObject({ added: 1, removed: 1 });
    const t = await cells(port);
    // rows never shift: acc-1's row is cleared in place
    expect(t.rows.map((r) => r[0])).toEqual([null, "acc-2", "acc-9"]);
    expect(t.rows[2]![2]).toBe("外资");
  });

  it("invalid rows are listed with cell and reason and not sent; the others go", async () => {
    const port = workbookWith("客户", [HEADER, ["acc-1", "好客户", "国企", 1, "爽快"], ["acc-2", "坏性质", "国营企业X", 2, "一般"], ["acc-3", null, "民营", "三百万", "一般"]]);
    const store = storeWithUsers();
    const { summary, plan } = await sync(port, store);
    // row 3 (acc-2): 企业性质 in column C; row 4 (acc-3): 注册资本 in column D is not a number, 客户名称 is empty
    expect(plan.problems.map((p) => [p.address, p.field, p.reason])).toEqual([["C3", "ownershipType", "unreadable"], ["D4", "registeredCapital", "unreadable"], ["B4", "name", "required"]]);
    expect(plan.held.map((h) => h.key)).toEqual(["acc-2", "acc-3"]);
    expect(plan.problems[0]!.message.zh).toContain("国企");
    expect(summary.rowsSent).toBe(1);
    expect([...store.items.keys()]).toEqual(["acc-1"]);
  });

  it("a missing required value is reported on its cell", async () => {
    const port = workbookWith("客户", [HEADER, ["acc-1", null, "国企", 1, "爽快"]]);
    const store = storeWithUsers();
    const { summary } = await sync(port, store);
    expect(summary.problems.map((p) => [p.address, p.field])).toEqual([["B2", "name"]]);
    // and the cell is marked in the sheet, with a note
    const ws = port.workbook.getWorksheet("客户")!;
    expect(ws.getCell("B2").note).toBeTruthy();
    expect(summary.rowsSent).toBe(0);
  });

  it("chunks 1,200 new rows into 500 + 500 + 200, each chunk with its own Idempotency-Key; progress counts up", async () => {
    const rows: CellValue[][] = [HEADER, ...Array.from({ length: 1200 }, (_, i) => [`acc-${i}`, `客户${i}`, "国企", 1000 + i, "爽快"] as CellValue[])];
    const port = workbookWith("客户", rows);
    const store = storeWithUsers();
    const progress: number[] = [];
    const { summary } = await sync(port, store, { onProgress: (p) => p.phase === "push" && progress.push(p.done) });
    const ups = store.requests.filter((r) => r.kind === "upsert");
    expect(ups.map((r) => r.count)).toEqual([500, 500, 200]);
    expect(new Set(ups.map((r) => r.key)).size).toBe(3);
    expect(progress).toEqual([0, 500, 1000, 1200]);
    expect(summary.created).toBe(1200);
  });

  it("cancel stops between chunks; what was pushed is in the baseline, the rest goes next time", async () => {
    const rows: CellValue[][] = [HEADER, ...Array.from({ length: 1000 }, (_, i) => [`acc-${i}`, `客户${i}`, "国企", 1, "爽快"] as CellValue[])];
    const port = workbookWith("客户", rows);
    const store = storeWithUsers();
    const ac = new AbortController();
    // one request in flight, so the cancel lands between the two chunks
    const { summary } = await sync(port, store, { concurrency: 1, signal: ac.signal, onProgress: (p) => p.phase === "push" && p.done === 500 && ac.abort() });
    expect(summary).toMatchObject({ cancelled: true, created: 500 });
    const next = await sync(port, store);
    expect(next.plan.counts.push).toBe(500);
    expect(next.summary.created).toBe(500);
  });

  it("chunkItems also splits by bytes (≤ 1 MB per request)", () => {
    const big = "字".repeat(100_000); // 3 bytes each in UTF-8 → ~300 KB per item
    const chunks = chunkItems([{ t: big }, { t: big }, { t: big }, { t: big }]);
    // 4 × ~300 KB: three fit under 1,048,576 bytes, the fourth starts a new request
    expect(chunks.map((c) => c.length)).toEqual([3, 1]);
  });
});

describe("contacts sync through the account upsert", () => {
  it("merges contacts by contact id into their account and keeps the account's other fields", async () => {
    const store = storeWithUsers();
    await store.upsert(ACCOUNTS, [{ id: "acc-1", name: "华东电力", owner: USER, phone: "021-1" }], "k");
    store.requests = [];
    const port = workbookWith("决策链", [
      ["客户编号", "联系人编号", "姓名", "职务", "采购角色", "亲密程度", "专业程度", "支持程度"],
      ["acc-1", "c1", "王总", "总经理", "决策者", 4, 3, 5],
      ["acc-1", "c2", "李工", "总工", "把关者", 3, 5, 3],
    ]);
    const { summary } = await sync(port, store, {}, CONTACTS, "决策链");
    expect(store.requests.filter((r) => r.kind === "upsert").map((r) => r.count)).toEqual([1]);
    expect(summary.updated).toBe(2); // two contact rows went in one account write
    const acc = store.items.get("acc-1")!;
    expect(acc.phone).toBe("021-1");
    expect(acc.contacts).toEqual([
      { id: "c1", name: "王总", title: "总经理", role: "decider", intimacy: 4, professionalism: 3, support: 5 },
      { id: "c2", name: "李工", title: "总工", role: "gatekeeper", intimacy: 3, professionalism: 5, support: 3 },
    ]);
    const again = await sync(port, store, {}, CONTACTS, "决策链");
    expect(again.summary.rowsSent).toBe(0);
    expect(again.plan.counts.unchanged).toBe(2);
  });
});

describe("header mapping and templates", () => {
  it("detects English, Chinese and bilingual headers; reports missing required columns", () => {
    const en = detectMapping(["Account ID", "Account name", "Ownership type", "Notes"], ACCOUNTS);
    expect(en.mapping).toEqual(["id", "name", "ownershipType", undefined]);
    expect(en.unknown).toEqual([{ column: 3, header: "Notes" }]);
    expect(en.missing).toEqual([]); // owner defaults to the signed-in user
    const vr = detectMapping(["记录编号 / Record ID", "Date / 拜访日期"], VISIT_RECORDS);
    expect(vr.mapping).toEqual(["id", "date"]);
    expect(vr.missing.map((c) => c.field)).toEqual(["accountId", "role", "purpose", "outcome"]);
  });

  it("a template gets bilingual headers and drop-downs of the enum labels, and syncs as is", async () => {
    const ops = templateOps(ACCOUNTS, "en");
    const header = (ops[1] as { values: string[][] }).values[0]!;
    expect(header[0]).toBe("Account ID / 客户编号");
    const v = ops.find((o) => o.kind === "listValidation" && o.list.includes("State-owned"));
    // ownershipType is the 11th column (index 10) → K
    expect(v).toMatchObject({ address: "K2:K1001", list: ["State-owned", "Private", "Foreign", "Joint venture", "Joint-stock", "Public institution"] });
    const port = new XlsxWorkbook(new ExcelJS.Workbook());
    await port.apply(ops);
    await port.apply([{ kind: "values", sheet: "Accounts", row: 1, col: 0, values: [["acc-1", "Acme", null, null, null, null, null, null, null, null, "Private"]] }]);
    const store = storeWithUsers();
    const { summary } = await sync(port, store, {}, ACCOUNTS, "Accounts");
    expect(summary.created).toBe(1);
    expect(store.items.get("acc-1")).toMatchObject({ name: "Acme", ownershipType: "private", owner: USER });
  });
});

export type { SyncPlan };

describe("reading rows", () => {
  const table = async (n: number) => {
    const port = workbookWith("客户", [HEADER, ...Array.from({ length: n }, (_, i): CellValue[] => [`acc-${i}`, `客户${i}`, "民营", 1000 + i, "一般"])]);
    return cells(port);
  };

  /** readRows on the table, and whether a callback queued on the event loop before it ran first. */
  const readWatching = async (t: Awaited<ReturnType<typeof table>>) => {
    let ticked = false;
    setImmediate(() => {
      ticked = true;
    });
    const out = await readRows(t, ACCOUNTS, detectMapping(t.header, ACCOUNTS).mapping, { yieldEvery: 500 });
    return { out, ticked };
  };

  it("gives the event loop a turn every yieldEvery rows, so list pages are served while a large sheet is hashed", async () => {
    const { out, ticked } = await readWatching(await table(1200));
    expect(ticked).toBe(true);
    expect(out.rows).toHaveLength(1200);
    expect(out.rows[1199]).toMatchObject({ row: 1199, key: "acc-1199" });
    expect(out.skipped).toEqual([]);
  });

  it("reads a sheet smaller than yieldEvery in one go", async () => {
    const { out, ticked } = await readWatching(await table(20));
    expect(ticked).toBe(false);
    expect(out.rows.map((r) => r.key)).toEqual(Array.from({ length: 20 }, (_, i) => `acc-${i}`));
  });
});

describe("owners, people, first pull, written values, problem marks", () => {
  const H = ["客户编号", "客户名称", "负责经理", "注册资本", "战略客户"];
  const people = () => {
    const store = storeWithUsers();
    store.users.push({ id: "u-m2", name: "王芳", roles: ["manager"], team: "t-west" }, { id: "u-z1", name: "张伟", roles: ["manager"] }, { id: "u-z2", name: "张伟", roles: ["manager"] });
    return store;
  };

  it("a director's new rows without an owner wait for a choice (one for all, or per row); nothing is sent without it", async () => {
    const port = workbookWith("客户", [["客户编号", "客户名称"], [null, "甲"], [null, "乙"]]);
    const store = people();
    const p = await prepareSync({ port, remote: store, entity: ACCOUNTS, ref: { sheet: "客户" }, lang: "zh", userId: "u-dir", roles: ["director"] });
    if (!p.ok) throw new Error();
    expect(p.plan.needsOwner.map((r) => r.name)).toEqual(["甲", "乙"]);
    const none = await executeSync(p.plan, port, store, { newId: ids() });
    expect(none.rowsSent).toBe(0);
    expect(none.problems.map((x) => [x.address, x.reason])).toEqual([["C2", "needsOwner"], ["C3", "needsOwner"]].map(([, r]) => [expect.any(String), r]));
    const p2 = await prepareSync({ port, remote: store, entity: ACCOUNTS, ref: { sheet: "客户" }, lang: "zh", userId: "u-dir", roles: ["director"] });
    if (!p2.ok) throw new Error();
    const s = await executeSync(p2.plan, port, store, { newId: ids(), owner: "王芳", owners: { 1: USER } });
    expect(s.created).toBe(2);
    expect([...store.items.values()].map((i) => [i.name, i.owner])).toEqual([["甲", "u-m2"], ["乙", USER]]);
  });

  it("a director syncing a sheet without an owner column changes no owner; an edited owner cell is listed apart", async () => {
    const store = people();
    await store.upsert(ACCOUNTS, [{ id: "a1", name: "甲", owner: USER }, { id: "a2", name: "乙", owner: "u-m2" }], "k");
    const noOwner = workbookWith("客户", [["客户编号", "客户名称"], ["a1", "甲改"], ["a2", "乙"]]);
    const first = await sync(noOwner, store, { pullScope: { kind: "all" } }, ACCOUNTS, "客户", ["director"]);
    expect(first.plan.ownerChanges).toEqual([]);
    expect([...store.items.values()].map((i) => i.owner)).toEqual([USER, "u-m2"]);

    const withOwner = workbookWith("客户2", [["客户编号", "客户名称", "负责经理"]]);
    await sync(withOwner, store, { pullScope: { kind: "all" } }, ACCOUNTS, "客户2", ["director"]);
    // pulled owners are shown by name
    expect((await cells(withOwner, "客户2")).rows.map((r) => r[2])).toEqual(["李明", "王芳"]);
    await withOwner.apply([{ kind: "values", sheet: "客户2", row: 2, col: 2, values: [["李明"]] }]);
    const p = await prepareSync({ port: withOwner, remote: store, entity: ACCOUNTS, ref: { sheet: "客户2" }, lang: "zh", userId: "u-dir", roles: ["director"] });
    if (!p.ok) throw new Error();
    expect(p.plan.ownerChanges).toEqual([{ key: "a2", row: 1, name: "乙", from: "u-m2", fromName: "王芳", to: USER, toName: "李明" }]);
  });

  it("people cells take an id or a unique name; ambiguous, unknown, non-manager or cleared owners are problems of that cell, found before sending", async () => {
    const store = people();
    await store.upsert(ACCOUNTS, ["a1", "a2", "a3", "a4", "a5"].map((id) => ({ id, name: id, owner: USER })), "k");
    const port = workbookWith("客户", [H]);
    await sync(port, store, { pullScope: { kind: "all" } });
    await port.apply([{ kind: "values", sheet: "客户", row: 1, col: 2, values: [["张伟"], ["赵六"], ["王总监"], [null], ["u-m2"]] }]);
    const { plan, summary } = await sync(port, store);
    expect(plan.problems.map((p) => [p.address, p.reason])).toEqual([["C2", "ambiguousPerson"], ["C3", "unknownPerson"], ["C4", "notManager"], ["C5", "ownerCleared"]]);
    expect(summary.rowsSent).toBe(1);
    expect(store.items.get("a5")!.owner).toBe("u-m2");
    // the optional problems sheet lists them, one line per cell
    await port.apply(problemsSheetOps(plan.problems, ACCOUNTS, "zh", "同步问题", (r) => r));
    const sheet = await cells(port, "同步问题");
    expect(sheet.header).toEqual(["单元格", "列", "原因", "说明"]);
    expect(sheet.rows.map((r) => r.slice(0, 3))).toEqual([["C2", "负责人", "ambiguousPerson"], ["C3", "负责人", "unknownPerson"], ["C4", "负责人", "notManager"], ["C5", "负责人", "ownerCleared"]]);
    const groups = groupProblems(plan.problems, ACCOUNTS, "zh");
    expect(groups.map((g) => [g.label, g.reason, g.count])).toEqual([["负责人", "ambiguousPerson", 1], ["负责人", "notManager", 1], ["负责人", "ownerCleared", 1], ["负责人", "unknownPerson", 1]]);
  });

  it("first pull: nothing comes in before the choice; the plan counts mine, per team and all", async () => {
    const store = people();
    await store.upsert(ACCOUNTS, [{ id: "a1", name: "甲", owner: USER }, { id: "a2", name: "乙", owner: "u-m2" }, { id: "a3", name: "丙", owner: USER }], "k");
    const port = workbookWith("客户", [H, [null, "本地新客户", null, 1, "否"]]);
    const p = await prepareSync({ port, remote: store, entity: ACCOUNTS, ref: { sheet: "客户" }, lang: "zh", userId: USER, roles: ["manager"] });
    if (!p.ok) throw new Error();
    expect(p.plan.firstPull).toEqual({ mine: 2, all: 3, teams: [{ id: "t-east", name: "t-east", count: 2 }, { id: "t-west", name: "t-west", count: 1 }], suggested: { kind: "mine" } });
    expect(p.plan.counts.add).toBe(0);
    const s = await executeSync(p.plan, port, store, { newId: ids() });
    expect(s.added).toBe(0);
    expect((await cells(port)).rows).toHaveLength(1);
    // the sheet now has a scope (nothing): later store items are not pulled either
    const again = await sync(port, store);
    expect(again.plan.firstPull).toBeUndefined();
    expect(again.summary.added).toBe(0);
    const port2 = workbookWith("客户", [H]);
    const mine = await sync(port2, store, { pullScope: { kind: "mine" } });
    expect(mine.summary.added).toBe(3); // a1, a3 and the row created from the first sheet
  });

  it("written values are Excel-native in the sheet's language: money with separators, dates as dates, 是/否, people by name", async () => {
    const store = people();
    await store.upsert(ACCOUNTS, [{ id: "a1", name: "甲", owner: "u-m2", registeredCapital: 1234567.5, strategic: true }], "k");
    const port = workbookWith("客户", [H]);
    await sync(port, store, { pullScope: { kind: "all" } });
    const ws = port.workbook.getWorksheet("客户")!;
    expect([2, 3, 4, 5].map((c) => ws.getCell(2, c).value)).toEqual(["甲", "王芳", 1234567.5, "是"]);
    expect(ws.getCell(2, 4).numFmt).toBe("#,##0.00");
    // an en user syncing the same sheet keeps its language
    store.edit("a1", { strategic: false });
    const p = await prepareSync({ port, remote: store, entity: ACCOUNTS, ref: { sheet: "客户" }, lang: "en", userId: USER, roles: ["manager"] });
    if (!p.ok) throw new Error();
    await executeSync(p.plan, port, store);
    expect(ws.getCell(2, 5).value).toBe("否");
  });

  it("pulled dates are Excel dates with a date format; a re-read of them is no edit", async () => {
    const store = people();
    await store.upsert(VISIT_RECORDS, [{ id: "vr-1", accountId: "a1", date: "2026-03-05", role: "kaManager", purpose: "a", outcome: "B", owner: USER }], "k");
    const port = workbookWith("拜访", [["记录编号", "客户编号", "拜访日期", "拜访角色", "拜访目的", "拜访结果", "负责经理"]]);
    await sync(port, store, { pullScope: { kind: "all" } }, VISIT_RECORDS, "拜访");
    const ws = port.workbook.getWorksheet("拜访")!;
    // 2026-03-05 is Excel serial 46086
    expect([3, 4, 5, 6, 7].map((c) => ws.getCell(2, c).value)).toEqual([46086, "大客户经理", "初次拜访", "有希望", "李明"]);
    expect(ws.getCell(2, 3).numFmt).toBe("yyyy-mm-dd");
    const again = await sync(port, store, {}, VISIT_RECORDS, "拜访");
    expect(again.plan.counts).toMatchObject({ push: 0, pull: 0, conflicts: 0, unchanged: 1 });
  });

  it("header detection and totals skipping plug in: a title row above the header, a 合计 row left out and listed", async () => {
    const store = people();
    const port = workbookWith("客户", [["2026 年客户清单"], H, ["a1", "甲", null, 100, "否"], ["a2", "乙", null, 200, "是"], [null, "合计", null, 300, null]]);
    const opts = {
      port, remote: store, entity: ACCOUNTS, ref: { sheet: "客户" }, lang: "zh" as const, userId: USER, roles: ["manager"],
      prepareTable: (t: Parameters<typeof withHeaderRow>[0]) => withHeaderRow(t, 0),
      skipRow: (line: readonly CellValue[]) => line[1] === "合计",
    };
    const p = await prepareSync(opts);
    if (!p.ok) throw new Error(p.message.en);
    expect(p.plan.skipped).toEqual([2]);
    expect(p.plan.push.map((r) => r.key)).toEqual(["a1", "a2"]);
    await executeSync(p.plan, port, store);
    expect([...store.items.keys()]).toEqual(["a1", "a2"]);
    const again = await prepareSync(opts);
    expect(again.ok && again.plan.counts).toMatchObject({ push: 0, deletes: 0, dropped: 0, unchanged: 2 });
  });

  it("invalid cells are marked in the sheet and unmarked once fixed, getting their own fill back", async () => {
    const store = people();
    const port = workbookWith("客户", [H, ["a1", "甲", null, "待定", "否"]]);
    const ws = port.workbook.getWorksheet("客户")!;
    ws.getCell("D2").fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FF00B0F0" } };
    const first = await sync(port, store);
    expect(first.plan.problems.map((p) => p.address)).toEqual(["D2"]);
    expect((ws.getCell("D2").fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFFFC7CE");
    expect(String(ws.getCell("D2").note)).toContain("待定");
    await port.apply([{ kind: "values", sheet: "客户", row: 1, col: 3, values: [[5000]] }]);
    const fixed = await sync(port, store);
    expect(fixed.summary.created).toBe(1);
    expect((ws.getCell("D2").fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FF00B0F0");
    expect(ws.getCell("D2").note).toBeFalsy();
  });

  it("hidden rows: hiding is not an edit, an edit in a hidden row is sent, a hidden row is never a deletion", async () => {
    const store = people();
    const port = workbookWith("客户", [H, ["a1", "甲", null, 1, "否"], ["a2", "乙", null, 2, "否"]]);
    await sync(port, store);
    const ws = port.workbook.getWorksheet("客户")!;
    ws.getRow(2).hidden = true;
    ws.getRow(3).hidden = true;
    const t = await cells(port);
    expect(t.hidden).toEqual([true, true]);
    const quiet = await sync(port, store, {}, ACCOUNTS, "客户", ["director"]);
    expect(quiet.summary.rowsSent).toBe(0);
    expect(quiet.plan.deletes).toEqual([]);
    await port.apply([{ kind: "values", sheet: "客户", row: 2, col: 3, values: [[99]] }]);
    const edited = await sync(port, store, {}, ACCOUNTS, "客户", ["director"]);
    expect(edited.plan.counts.hiddenEdits).toBe(1);
    expect(store.items.get("a2")!.registeredCapital).toBe(99);
  });
});
