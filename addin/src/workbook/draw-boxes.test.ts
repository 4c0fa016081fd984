/**
 * `drawBoxes` of the Excel adapter against office-addin-mock: rounded rectangles placed over
 * their cells where ExcelApi 1.9 is supported (positions read from the cells, loaded through the
 * mock), filled, bordered, wrapped cells otherwise; two syncs at most.
 */
import { afterEach, describe, expect, it } from "vitest";
import { OfficeMockObject } from "office-addin-mock";
import { ExcelWorkbook, type ExcelRun } from "./excel.js";
import { parseAddress, type BoxSpec } from "./port.js";

const g = globalThis as Record<string, unknown>;

function fake(supported: boolean) {
  g.Office = { context: { requirements: { isSetSupported: (set: string, v: string) => supported && set === "ExcelApi" && Number(v) <= 1.9 } } };
  g.Excel = {
    GeometricShapeType: { roundRectangle: "RoundRectangle" },
    ShapeTextHorizontalAlignment: { center: "Center" },
    ShapeTextVerticalAlignment: { middle: "Middle" },
  };
  let syncs = 0;
  const mocks: OfficeMockObject[] = [];
  const ranges: Record<string, unknown>[] = [];
  const shapes: Record<string, any>[] = [];
  const sheet = {
    getRange(a: string) {
      const p = parseAddress(a)!;
      const r = {
        address: a,
        left: p.col * 100, top: p.row * 50, width: 100, height: 50,
        values: [[""]],
        format: { columnWidth: 0, rowHeight: 0, wrapText: false, horizontalAlignment: "", verticalAlignment: "", fill: { color: "" }, font: { color: "" }, borders: { getItem: () => ({ style: "" }) } },
      };
      const m = new OfficeMockObject(r);
      mocks.push(m);
      ranges.push(m as unknown as Record<string, unknown>);
      return m;
    },
    shapes: {
      addGeometricShape(type: string) {
        const s = { type, name: "", left: 0, top: 0, width: 0, height: 0, fill: { color: "", setSolidColor(c: string) { this.color = c; } }, lineFormat: { color: "" }, textFrame: { horizontalAlignment: "", verticalAlignment: "", textRange: { text: "", font: { color: "", size: 0 } } } };
        shapes.push(s);
        return s;
      },
    },
  };
  const context = {
    workbook: { worksheets: { getItem: (n: string) => (n === "Map" ? sheet : undefined) } },
    async sync() {
      syncs++;
      for (const m of mocks.splice(0)) await m.sync();
    },
  };
  const run: ExcelRun = async (batch) => batch(context as unknown as Excel.RequestContext);
  return { port: new ExcelWorkbook(run), shapes, ranges, get syncs() { return syncs; } };
}

const BOXES: BoxSpec[] = [
  { row: 3, col: 1, text: "王总\n决策者", fill: "#B7E1B0", font: "#1E5A16" },
  { row: 4, col: 2, text: "李处\n把关者", fill: "#F4B6B6", font: "#8A1C1C" },
];

afterEach(() => {
  delete g.Office;
  delete g.Excel;
});

describe("ExcelWorkbook.drawBoxes", () => {
  it("ExcelApi 1.9: a rounded rectangle over each box's cell, with its text and colours; two syncs", async () => {
    const f = fake(true);
    expect(await f.port.drawBoxes("Map", BOXES)).toBe("shapes");
    expect(f.syncs).toBe(2);
    expect(f.shapes.map((s) => [s.type, s.left, s.top, s.width, s.height, s.fill.color, s.textFrame.textRange.text, s.textFrame.textRange.font.color])).toEqual([
      ["RoundRectangle", 103, 153, 94, 44, "#B7E1B0", "王总\n决策者", "#1E5A16"],
      ["RoundRectangle", 203, 203, 94, 44, "#F4B6B6", "李处\n把关者", "#8A1C1C"],
    ]);
    // Every position read was loaded first (the mock reports unloaded reads as error strings).
    expect(f.shapes.every((s) => typeof s.left === "number" && Number.isFinite(s.left))).toBe(true);
  });

  it("without shapes: the text in the cell, filled, wrapped; one sync", async () => {
    const f = fake(false);
    expect(await f.port.drawBoxes("Map", BOXES)).toBe("cells");
    expect(f.syncs).toBe(1);
    expect(f.shapes).toEqual([]);
    const r = f.ranges[0] as unknown as { values: unknown; format: { fill: { color: string }; font: { color: string }; wrapText: boolean } };
    expect([r.values, r.format.fill.color, r.format.font.color, r.format.wrapText]).toEqual([[["王总\n决策者"]], "#B7E1B0", "#1E5A16", true]);
  });
});
