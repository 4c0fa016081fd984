import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { supportStatus } from "../../../../shared/src/health/relationship.js";
import { newXlsx, openXlsx } from "../../workbook/xlsx.js";
import { intimacyDots, MAP_FIRST_ROW, relationshipMap, relationshipSheetName } from "./relmap.js";

const CONTACTS = [
  { id: "c1", name: "王总", title: "总经理", role: "decider", layer: "decision", support: 5, intimacy: 4, personal: { hobbies: "机密" } },
  { id: "c2", name: "李处", role: "gatekeeper", layer: "management", support: 3, intimacy: 2 },
  { id: "c3", name: "赵工", role: "user", layer: "operations", support: 2, intimacy: 5 },
  { id: "c4", name: "钱工", role: "user", layer: "operations" },
  { id: "c5", name: "孙秘书", role: "influencer" },
];

describe("relationship map layout", () => {
  it("support colours: G at 4 or more, A at 3, R at 2 or less, none when unrated", () => {
    expect([1, 2, 3, 4, 5, null, 0, 6].map((s) => supportStatus(s))).toEqual(["R", "R", "A", "G", "G", undefined, undefined, undefined]);
    expect(intimacyDots(3)).toBe("●●●○○");
    expect(intimacyDots(undefined)).toBe("–");
  });

  it("layers as rows, contacts as boxes in their layer's row, an extra row for contacts without a layer", () => {
    const m = relationshipMap({ name: "华东电力", contacts: CONTACTS }, "zh");
    expect(m.sheet).toBe("关系图-华东电力");
    expect(m.layerRows.map((l) => [l.label, l.row])).toEqual([["决策层", 3], ["管理层", 4], ["操作层", 5], ["关系人", 6], ["未分层", 7]]);
    expect(m.boxes.map((b) => [b.contactName, b.row, b.col, b.status])).toEqual([
      ["王总", 3, 1, "G"],
      ["李处", 4, 1, "A"],
      ["赵工", 5, 1, "R"],
      ["钱工", 5, 2, undefined],
      ["孙秘书", 7, 1, undefined],
    ]);
    expect(m.boxes[0]!.text).toBe("王总（总经理）\n决策者\n支持 5 G\n亲密 ●●●●○");
    expect(m.boxes.map((b) => b.text).join()).not.toContain("机密");
    const en = relationshipMap({ name: "East/Power", contacts: CONTACTS.slice(0, 1) }, "en");
    expect(en.sheet).toBe("Map-East Power");
    expect(en.layerRows).toHaveLength(4);
    expect(en.boxes[0]!.text).toContain("Support 5 G");
  });

  it("sheet names stay within Excel's 31 characters", () => {
    expect(relationshipSheetName("很".repeat(40), "zh")).toHaveLength(31);
  });

  it("preview mode: written as filled cells that a reopened .xlsx keeps", async () => {
    const port = newXlsx();
    const m = relationshipMap({ name: "华东电力", contacts: CONTACTS }, "zh");
    await port.apply(m.ops);
    expect(await port.drawBoxes(m.sheet, m.boxes)).toBe("cells");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await port.save());
    const ws = wb.getWorksheet(m.sheet)!;
    expect(ws.getCell(MAP_FIRST_ROW + 1, 1).value).toBe("决策层");
    const box = ws.getCell(MAP_FIRST_ROW + 1, 2);
    expect(String(box.value)).toMatch(/^王总/);
    expect((box.fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFB7E1B0");
    expect(ws.getCell(MAP_FIRST_ROW + 2, 2).value).toMatch(/^李处/);
    expect((ws.getCell(MAP_FIRST_ROW + 3, 2).fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFF4B6B6");
    // and the pane opens it again
    const again = await openXlsx(await port.save());
    expect(again.ok).toBe(true);
  });
});
