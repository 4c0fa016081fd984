import { describe, expect, it } from "vitest";
import { parsePeriod } from "../../../../shared/src/index.js";
import type { TableData } from "../../workbook/port.js";
import { FIXED, INPUTS, previousQuarter, scorecardHeader, scorecardOps, scorecardRows } from "./scorecard.js";

describe("scorecard sheet", () => {
  it("keeps the ratings typed into an existing sheet and refreshes store figures (matched by manager id)", () => {
    const header = scorecardHeader("zh");
    const typedRow: (string | number | null)[] = ["m-li", "李明", null, null, null, ...INPUTS.map(() => null)];
    const at = (k: string) => FIXED + INPUTS.indexOf(k as (typeof INPUTS)[number]);
    typedRow[at("salesActual")] = 1; // stale store figure: replaced
    typedRow[at("teamwork")] = 8;
    typedRow[at("knowledge")] = 10;
    const existing: TableData = { sheet: "Scorecard 2026-Q1", row: 0, col: 0, header, rows: [typedRow] };
    const rows = scorecardRows([{ id: "m-li", name: "李明", salesActual: 1_150_000, salesPlan: 1_000_000, salesLastQuarter: 900_000 }, { id: "m-new", name: "新人" }], existing, "2026-Q1", "zh");
    expect(rows[0]!.inputs).toMatchObject({ salesActual: 1_150_000, teamwork: 8, knowledge: 10 });
    expect(rows[1]!.inputs.teamwork).toBeNull();
    // 1,150,000 / 1,000,000 = 1.15 → 1.0 < c < 1.2 → 超额完成 (DOMAIN §8 tiers)
    expect(rows[0]!.tier).toBe("超额完成");
    // ratings not all typed yet → the total is an error naming a missing input, not a number
    expect(rows[0]!.total).toBeUndefined();
    expect(rows[0]!.error).toBeTruthy();
  });

  it("computes the total when every input is there (DOMAIN §8 worked example)", () => {
    const rows = scorecardRows([{ id: "m1", name: "A", salesActual: 1_150_000, salesPlan: 1_000_000, salesLastQuarter: 1_150_000 }], {
      sheet: "s", row: 0, col: 0, header: scorecardHeader("en"),
      rows: [["m1", "A", null, null, null, ...INPUTS.map((k) => ({ newAccounts: 5, newAccountsPlan: 5, infoCollection: 10, teamwork: 10, knowledge: 10, judgement: 4, communication: 6, absenceDays: 0, lateCount: 0, unreportedFieldDays: 0, violations: 0, responsibility: 5, complaints: 0 } as Record<string, number>)[k] ?? null)]],
    }, "2026-Q1", "en");
    // sales 25 + 3 (115%) + growth 10 (0 growth) + new accounts 5 + 10 + 10 + 10 + 4 + 6 + attendance 5 + conduct 5 + responsibility 5 + service 5 = 103
    expect(rows[0]!.total).toBe(103);
    expect(rows[0]!.warning).toBe(false);
  });

  it("writes =KAM.SCORE and =KAM.SCORE.ITEMS over the input columns, a tier and a warning, and a chart", () => {
    const rows = scorecardRows([{ id: "m1", name: "A", salesActual: 1, salesPlan: 2 }], undefined, "2026-Q1", "en");
    const ops = scorecardOps("2026-Q1", rows, "formulas", "en");
    const values = (ops.find((o) => o.kind === "values") as { values: unknown[][] }).values;
    // inputs start at F (FIXED = 5); 16 inputs → F..U
    expect(values[1]![2]).toEqual({ formula: '=KAM.SCORE(F2:U2,$F$1:$U$1,"ka-manager")' });
    expect(values[1]![3]).toEqual({ formula: '=IF(AND(ISNUMBER(G2),G2>0),KAM.TIER(F2/G2),"")' });
    expect(values[1]![4]).toEqual({ formula: '=IF(ISNUMBER(C2),IF(C2<60,"Verbal warning",""),"")' });
    expect(values[1]!.at(-1)).toEqual({ formula: '=KAM.SCORE.ITEMS(F2:U2,$F$1:$U$1,"ka-manager")' });
    expect(ops.find((o) => o.kind === "chart")).toMatchObject({ sheet: "Scorecard 2026-Q1", dataAddress: "B1:C2" });
  });

  it("previous quarter of 2026-Q1 is 2025-Q4; of 2026-08 is 2026-Q2", () => {
    expect(previousQuarter((parsePeriod("2026-Q1") as { ok: true; value: never }).value).id).toBe("2025-Q4");
    expect(previousQuarter((parsePeriod("2026-08") as { ok: true; value: never }).value).id).toBe("2026-Q2");
  });
});
