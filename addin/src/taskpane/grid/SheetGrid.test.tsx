import ExcelJS from "exceljs";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import { XlsxWorkbook } from "../../workbook/xlsx.js";
import SheetGrid from "./SheetGrid.js";
import { clearProblems, publishProblems } from "./problems.js";

/**
 * The grid's markup for a workbook (server rendering: the first screenful, before any scrolling),
 * with small queries over it: no DOM library is installed, and React's markup is regular enough.
 */
function render(port: XlsxWorkbook, lang: "zh" | "en") {
  const html = renderToString(<SheetGrid port={port} lang={lang} version={0} touched={() => {}} />);
  const unescape = (t: string) => t.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  /** Opening tags carrying `attr` (optionally with that value). */
  const tags = (attr: string, value?: string) => [...html.matchAll(new RegExp(`<[a-z]+\\s[^>]*\\b${attr}="${value ?? "[^\"]*"}"[^>]*>`, "g"))].map((m) => m[0]);
  const attrOf = (tag: string | undefined, name: string) => { const m = tag && new RegExp(`\\s${name}="([^"]*)"`).exec(tag); return m ? unescape(m[1]!) : undefined; };
  /** Text of the element that starts with `tag`, up to its closing tag of the same name. */
  const textOf = (tag: string) => {
    const start = html.indexOf(tag) + tag.length;
    const name = /^<([a-z]+)/.exec(tag)![1]!;
    return unescape(html.slice(start, html.indexOf(`</${name}>`, start)).replace(/<[^>]*>/g, ""));
  };
  return { tags, attrOf, textOf };
}

afterEach(() => clearProblems());

describe("SheetGrid markup", () => {
  it("draws a screenful of a 10,000-row sheet, the sheet tabs with problem counts, and the problem cells with their message", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("客户档案");
    ws.addRow(["客户编号", "销售额"]);
    for (let i = 1; i <= 10_000; i++) ws.addRow([`acc-${i}`, i]);
    ws.getCell("B3").value = "待定";
    wb.addWorksheet("回款").addRow(["x"]);
    publishProblems("客户档案", [{ address: "B3", message: { zh: "销售额：无法识别的值 待定", en: "Sales: unreadable value 待定" } }]);
    const port = new XlsxWorkbook(wb);
    for (const lang of ["zh", "en"] as const) {
      const { tags, attrOf, textOf } = render(port, lang);
      const rows = tags("data-row");
      expect(rows.length).toBeGreaterThan(20);
      expect(rows.length).toBeLessThanOrEqual(200);
      expect(attrOf(tags("role", "grid")[0], "aria-rowcount")).toBe(String(10_001 + 20 + 1));
      const bad = tags("data-address", "B3")[0];
      expect(attrOf(bad, "data-problem")).toBe("true");
      expect(attrOf(bad, "title")).toBe(lang === "zh" ? "销售额：无法识别的值 待定" : "Sales: unreadable value 待定");
      expect(tags("data-problem", "true")).toHaveLength(1);
      expect(textOf(tags("data-address", "A2")[0]!)).toBe("acc-1");
      // (Fluent's Tab repeats its content in a hidden span that reserves the selected width.)
      expect(textOf(tags("data-testid", "sheet-tab-客户档案")[0]!)).toContain(lang === "zh" ? "客户档案 · 1 个问题" : "客户档案 · 1 problems");
      expect(textOf(tags("data-testid", "sheet-tab-回款")[0]!)).toMatch(/^(回款)+$/);
      expect(attrOf(tags("data-testid", "sheet-grid")[0], "data-sheet")).toBe("客户档案");
    }
    // A page that writes and activates a sheet makes it the grid's current sheet.
    await port.apply([{ kind: "ensureSheet", sheet: "考核表 2026Q1", activate: true }, { kind: "values", sheet: "考核表 2026Q1", row: 0, col: 0, values: [["姓名"]] }]);
    const { tags, attrOf, textOf } = render(port, "zh");
    expect(attrOf(tags("data-testid", "sheet-grid")[0], "data-sheet")).toBe("考核表 2026Q1");
    expect(textOf(tags("data-address", "A1")[0]!)).toBe("姓名");
  });
});
