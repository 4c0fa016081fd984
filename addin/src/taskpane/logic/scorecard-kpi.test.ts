import { describe, expect, it } from "vitest";
import { averageArchiveCompleteness, DEFAULT_REQUIRED_ARCHIVE_FIELDS } from "../../../../shared/src/archive/completeness.js";
import ExcelJS from "exceljs";
import { emptyBook, reopen, visibleCellsHolding } from "../../workbook/xlsx.test-util.js";
import { archiveFigures, buildScorecard, DIRECTOR_LAYOUT, FIXED, MANAGER_LAYOUT, scorecardSheetName, scorecardStateKey, type ManagerFigures } from "./scorecard.js";

/** An account with the first `n` (≥ 6, owner included) of the 10 default required archive items filled (docs/domain.md §2). */
function accountFilled(id: string, owner: string, n: number): Record<string, unknown> {
  const a: Record<string, unknown> = { id, owner };
  const fill: Record<string, unknown> = {
    name: `客户${id}`, ownershipType: "stateOwned", industry: "电力", address: "南京", phone: "025-1", owner,
    registeredCapital: 1_000_000, industryPosition: "龙头", deciderContact: undefined, paymentAttitude: "prompt",
  };
  for (const f of DEFAULT_REQUIRED_ARCHIVE_FIELDS.slice(0, n)) {
    if (f === "deciderContact") a.contacts = [{ id: "c1", name: "王总", role: "decider" }];
    else a[f] = fill[f];
  }
  return a;
}

const col = (k: string) => FIXED + DIRECTOR_LAYOUT.inputs.indexOf(k);

describe("archive completeness from the store", () => {
  it("a manager's figure is the average over the accounts they own; no account → no figure", () => {
    const accounts = [accountFilled("A-1", "m-li", 10), accountFilled("A-2", "m-li", 6), accountFilled("A-3", "m-zhang", 10), { id: "A-4", owner: "m-li", deleted: true }];
    const figures = archiveFigures(accounts);
    // 10/10 and 6/10 (owner is among the first six) → 0.8; a deleted account does not count
    expect(figures.get("m-li")).toBeCloseTo(0.8, 12);
    expect(figures.get("m-zhang")).toBe(1);
    expect(figures.has("m-wang")).toBe(false);
  });

  it("the average of no account is a zero-denominator error, never 0 or 1", () => {
    const r = averageArchiveCompleteness([]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe("div0");
  });
});

describe("the KPI scorecard (ka-director) takes archive completeness from the store", () => {
  const li = (f: Partial<ManagerFigures>): ManagerFigures => ({ id: "m-li", name: "李明", ...f });

  it("writes the store's figure, scores it, refreshes it while untouched, and keeps a typed one", async () => {
    let wb = await emptyBook();
    const period = "2026-Q1";
    const sheet = scorecardSheetName(period, "zh", DIRECTOR_LAYOUT);
    const rows = await buildScorecard(wb, [li({ salesActual: 1_000_000, salesPlan: 1_000_000, archiveCompleteness: 0.75 })], period, "values", "zh", DIRECTOR_LAYOUT);
    expect(rows[0]!.storeWritten).toEqual(["salesActual", "salesPlan", "archiveCompleteness"]);
    let t = (await wb.read({ tables: [{ sheet }] })).tables[0]!;
    expect(t.header[col("archiveCompleteness")]).toBe("大客户档案完整率");
    expect(t.rows[0]![col("archiveCompleteness")]).toBe(0.75);
    // The director types the counts; the total follows (docs/domain.md §8, director KPIs): sales 100% → 40; archive 75%
    // is 5 steps of 5 below 100% → 20 − 10 = 10; churn 0/10 ≤ 5% → 20; new development 5/5 → 20.
    await wb.apply([{ kind: "values", sheet, row: 1, col: col("accountsAtStart"), values: [[10, 0, 5, 5]] }]);
    wb = await reopen(wb);
    let again = await buildScorecard(wb, [li({ salesActual: 1_000_000, salesPlan: 1_000_000, archiveCompleteness: 0.75 })], period, "values", "zh", DIRECTOR_LAYOUT);
    expect(again[0]!.total).toBe(90);
    // The store's figure changes: the untouched cell is refreshed.
    again = await buildScorecard(wb, [li({ salesActual: 1_000_000, salesPlan: 1_000_000, archiveCompleteness: 0.9 })], period, "values", "zh", DIRECTOR_LAYOUT);
    expect(again[0]!.inputs.archiveCompleteness).toBe(0.9);
    expect(again[0]!.total).toBe(96);
    // The director types over it: the store never overwrites that, whatever it says later.
    await wb.apply([{ kind: "values", sheet, row: 1, col: col("archiveCompleteness"), values: [[0.5]] }]);
    wb = await reopen(wb);
    again = await buildScorecard(wb, [li({ salesActual: 1_000_000, salesPlan: 1_000_000, archiveCompleteness: 1 })], period, "values", "zh", DIRECTOR_LAYOUT);
    t = (await wb.read({ tables: [{ sheet }] })).tables[0]!;
    expect(t.rows[0]![col("archiveCompleteness")]).toBe(0.5);
    expect(again[0]!.storeWritten).not.toContain("archiveCompleteness");
    // The hidden state marks the store's cells, it does not hold the figures.
    const state = (await wb.read({ state: [scorecardStateKey(period, DIRECTOR_LAYOUT)] })).state[scorecardStateKey(period, DIRECTOR_LAYOUT)]!;
    expect(Object.keys(JSON.parse(state).cells["m-li"]).sort()).toEqual(["salesActual", "salesPlan"]);
    expect(state).not.toContain("1000000");
  });

  it("formulas mode scores with ka-director; the manager scorecard of the same period is a separate sheet", async () => {
    const wb = await emptyBook();
    await buildScorecard(wb, [li({ salesActual: 1, salesPlan: 2 })], "2026-Q1", "values", "zh", MANAGER_LAYOUT);
    await buildScorecard(wb, [li({ salesActual: 1, salesPlan: 2, archiveCompleteness: 0.6 })], "2026-Q1", "formulas", "zh", DIRECTOR_LAYOUT);
    const kpi = (await wb.read({ tables: [{ sheet: scorecardSheetName("2026-Q1", "zh", DIRECTOR_LAYOUT) }], withFormulas: true })).tables[0]!;
    // 7 inputs from F → F..L
    expect(kpi.formulas![0]![2]).toBe('=KAM.SCORE(F2:L2,$F$1:$L$1,"ka-director")');
    const manager = (await wb.read({ tables: [{ sheet: scorecardSheetName("2026-Q1", "zh") }] })).tables[0]!;
    expect(manager.header).not.toContain("大客户档案完整率");
    // Both sheets key rows by the manager id in column A, hidden; people read the name in B.
    expect(manager.rows[0]!.slice(0, 2)).toEqual(["m-li", "李明"]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await wb.save());
    for (const layout of [MANAGER_LAYOUT, DIRECTOR_LAYOUT]) {
      const ws = book.getWorksheet(scorecardSheetName("2026-Q1", "zh", layout))!;
      expect(ws.getColumn(1).hidden).toBe(true);
      expect(visibleCellsHolding(ws, ["m-li"])).toEqual([]);
    }
  });
});
