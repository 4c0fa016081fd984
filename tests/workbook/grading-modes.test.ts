/**
 * Values mode and formula mode of the grading page give the same results, cell by cell: the
 * formulas the page writes are evaluated by HyperFormula with the same `KAM.*` implementations the
 * add-in registers, and compared with what values mode writes — over the grading fixtures below
 * (120万, 待定, totals and blank rows, 万元 columns, Pareto A) and the messy corpus books
 * (title rows, merged and two-row headers, units, ✓/×, 是/否).
 *
 * "The same": where values mode writes a result (a number, grade, class list or ABC letter), the
 * formula shows exactly that value; where values mode writes none (the row's problem, or empty),
 * the formula shows an error or nothing. Blank and totals rows are written by neither.
 */
import { DetailedCellError, HyperFormula } from "hyperformula";
import { afterAll, describe, expect, it } from "vitest";
import { CATALOGUE, GRADING_FIELDS_CATALOGUE, detectHeader, isoToExcelSerial, type RawCell } from "../../shared/src/index.js";
import { applyGradeMapping, computeGrades, detectGradeColumns, gradeOps, outputColumns, readGradingTable, GRADE_OUTPUTS, type GradeColumns, type GradeMapping, type GradeOutput } from "../../addin/src/taskpane/logic/grade.js";
import { openXlsx } from "../../addin/src/workbook/xlsx.js";
import type { CellInput, CellValue, TableData } from "../../addin/src/workbook/port.js";
import { CORPUS, buildWorkbook } from "../corpus/index.js";
import { ACCOUNT_HEADERS, ACCOUNT_ROWS } from "./fixtures.js";
import { HF_CONFIG, hfOptions, registerKamPlugin } from "./hyperformula.js";
import { VALUE_FACTORS, VALUE_FACTOR_LABELS } from "../../shared/src/grading/value.js";

const zhFactors = VALUE_FACTORS.map((f) => VALUE_FACTOR_LABELS[f].zh);

interface Fixture {
  name: string;
  lang: "zh" | "en";
  /** The sheet from A1 (title rows included). */
  rows: RawCell[][];
}

/** Grading sheets as directors keep them. */
const FIXTURES: Fixture[] = [
  {
    name: "the director workbook's 客户分级 inputs (高 and 很多 unreadable, booleans as TRUE/FALSE)",
    lang: "zh",
    rows: [ACCOUNT_HEADERS, ...ACCOUNT_ROWS] as RawCell[][],
  },
  {
    name: "plain: factors, revenue, attitude, cumulative sales (Pareto A → 重要客户)",
    lang: "zh",
    rows: [
      ["客户名称", ...zhFactors, "销售额", "付款态度", "累计合同消费额"],
      ["甲", 5, 5, 5, 5, 5, 5, 5, 9_000_000, "爽快", 20_000_000],
      ["乙", 3, 3, 3, 3, 3, 3, 3, 800_000, "一般", 0],
      ["丙", 1, 1, 1, 1, 1, 1, 1, 200_000, "迟缓", 0],
    ],
  },
  {
    name: "messy: 120万 and full-width digits, a blank row, a 合计 row, ✓/否 flags, referrals",
    lang: "zh",
    rows: [
      ["客户名称", ...zhFactors, "销售额", "付款态度", "是否集团客户", "战略客户", "转介绍成交数", "单笔最大合同额"],
      ["华东电力", 5, 4, 4, 5, 4, 3, 4, "120万", "爽快", "√", "是", 1, "600万"],
      ["申江物流", "３", 3, 3, 2, 3, 3, 3, 9_000_000, "一般", "否", "否", 0, 12_000_000],
      [null, null, null, null, null, null, null, null, null, null, null, null, null, null],
      ["远航外贸", 2, 2, 2, 2, 2, 2, 2, "80万", "爽快", "×", "", 2, 0],
      ["星河科技", 4, 4, 3, 3, 4, 4, 4, 300_000, "迟缓", "TRUE", "N", 0, null],
      ["合计", null, null, null, null, null, null, null, 11_200_000, null, null, null, null, null],
    ],
  },
  {
    name: "unreadable cells: 待定 revenue and an x flag fail their own rows only",
    lang: "zh",
    rows: [
      ["客户名称", ...zhFactors, "销售额", "付款态度", "集团客户"],
      ["甲", 5, 5, 5, 5, 5, 5, 5, 5_000_000, "爽快", "是"],
      ["乙", 4, 4, 4, 4, 4, 4, 4, "待定", "一般", "否"],
      ["丙", 3, "待定", 3, 3, 3, 3, 3, 2_000_000, "爽快", "x"],
      ["丁", 2, 2, 2, 2, 2, 2, 2, 1_000_000, "嗜欠耗款", null],
      ["戊", 1, 1, 1, 1, 1, 1, 1, null, null, null],
    ],
  },
  {
    name: "万元 columns: plain figures and figures naming their unit",
    lang: "en",
    rows: [
      ["Account", "销售额(万元)", "累计合同消费额(万元)", "单笔最大合同额(万元)", "Payment attitude", "Strategic"],
      ["North Steel", 900, 1200, "1.2亿", "爽快", "Y"],
      ["South Build", 80, "80万", 300, "一般", "N"],
      ["West Energy", 20, 0, 0, "prompt", "yes"],
    ],
  },
  {
    name: "factor columns apart (HSTACK) and English labels",
    lang: "en",
    rows: [
      ["Account", zhFactors[0]!, "Notes", ...zhFactors.slice(1), "Revenue", "Group"],
      ["Alpha", 5, "key", 4, 5, 3, 4, 5, 4, 3_000_000, "yes"],
      ["Beta", 2, null, 3, 2, 3, 2, 3, 2, "150万", "no"],
      ["Gamma", 4, "new", 4, 4, 4, 4, 4, 4, 500_000, null],
    ],
  },
  {
    name: "a subtotal among the records (ABC as values) and a trailing sums row",
    lang: "zh",
    rows: [
      ["客户名称", "销售额", "付款态度", "累计合同消费额"],
      ["甲", 900, "爽快", 11_000_000],
      ["华东小计", 900, null, null],
      ["乙", 100, "一般", 0],
      ["丙", 50, "爽快", 0],
      [null, 1050, null, null],
    ],
  },
];

const HEADER_FIELDS = [...GRADING_FIELDS_CATALOGUE, ...CATALOGUE.accounts.fields.filter((f) => f.id === "id" || f.id === "name")];

function cell(v: RawCell): CellValue {
  if (v instanceof Date) return isoToExcelSerial(v.toISOString().slice(0, 10)) as number;
  return v === undefined || v === "" ? null : v;
}

/** The sheet's grading table: header found by the shared detector (title rows, two-row headers), columns by the catalogue. */
function gradingTable(rows: RawCell[][]): { table: TableData; mapping: GradeMapping } {
  const d = detectHeader(rows, HEADER_FIELDS);
  const width = d.mapping.length;
  const header = Array.from({ length: width }, (_, c) => d.columns.find((x) => x.column === c)?.header ?? "");
  const data = rows.slice(d.dataStart).map((r) => Array.from({ length: width }, (_, c) => cell(r[c])));
  while (data.length && data[data.length - 1]!.every((v) => v === null)) data.pop();
  const mapping: GradeMapping = {};
  d.mapping.forEach((f, c) => {
    if (f && GRADING_FIELDS_CATALOGUE.some((g) => g.id === f)) mapping[f as keyof GradeMapping] = c;
  });
  return { table: { sheet: "S", row: d.dataStart - 1, col: 0, header, rows: data }, mapping };
}

/** Apply the page's write ops to a copy of the sheet (formulas as text). */
function written(rows: RawCell[][], ops: ReturnType<typeof gradeOps>): (CellInput | RawCell)[][] {
  const out: (CellInput | RawCell)[][] = rows.map((r) => r.map(cell));
  for (const op of ops) {
    if (op.kind !== "values") continue;
    op.values.forEach((line, i) => line.forEach((v, j) => {
      const r = (out[op.row + i] ??= []);
      r[op.col + j] = v;
    }));
  }
  return out;
}

const hfs: HyperFormula[] = [];
afterAll(() => hfs.forEach((h) => h.destroy()));

function evaluate(sheet: (CellInput | RawCell)[][]): (r: number, c: number) => unknown {
  registerKamPlugin();
  const width = Math.max(...sheet.map((r) => r.length));
  const data = sheet.map((r) => Array.from({ length: width }, (_, c) => {
    const v = r[c];
    if (v === undefined || v === null) return null;
    return typeof v === "object" && !(v instanceof Date) ? v.formula : v;
  }));
  const hf = HyperFormula.buildFromArray(data as never, HF_CONFIG as never);
  hfs.push(hf);
  return (r, c) => {
    const v = hf.getCellValue({ sheet: 0, row: r, col: c });
    return v instanceof DetailedCellError ? { error: v.value } : v;
  };
}

interface Compared {
  results: number;
  formulas: number;
}

/** Grade a sheet both ways and compare every output cell; returns how many results were compared. */
function compareModes(rows: RawCell[][], lang: "zh" | "en", read?: { table: TableData; columns: GradeColumns }): Compared {
  hfOptions.lang = lang;
  const located = read ?? (() => {
    const { table, mapping } = gradingTable(rows);
    return { table, columns: applyGradeMapping(table.header, detectGradeColumns(table.header), mapping) };
  })();
  const table = located.table, cols = located.columns;
  const results = computeGrades(table, cols, lang);
  const valuesSheet = written(rows, gradeOps(table, cols, results, "values", lang));
  const formulaOps = gradeOps(table, cols, results, "formulas", lang);
  const formulaSheet = written(rows, formulaOps);
  const value = evaluate(formulaSheet);
  const place = outputColumns(table, cols);
  let compared = 0, formulas = 0;
  for (const o of GRADE_OUTPUTS as readonly GradeOutput[]) {
    const c = place[o];
    if (c === undefined) continue;
    table.rows.forEach((_, i) => {
      const r = table.row + 1 + i;
      const where = `${o} of data row ${i + 1} (sheet row ${r + 1})`;
      const vm = valuesSheet[r]?.[c] ?? null;
      const fm = value(r, c);
      if (results[i]!.skipped) {
        // Never written into: both sheets hold what the user had there.
        expect(formulaSheet[r]?.[c] ?? null, where).toEqual(cell(rows[r]?.[c]));
        expect(vm, where).toEqual(cell(rows[r]?.[c]));
        return;
      }
      if (typeof formulaSheet[r]?.[c] === "object" && formulaSheet[r]?.[c] !== null) formulas++;
      const isResult = vm !== null && !(o === "value" && vm === results[i]!.error);
      if (isResult) {
        expect(fm, where).toEqual(vm);
        compared++;
      } else {
        // No result in values mode: the formula shows an error or nothing (never a result).
        if (!(fm === null || fm === "" || (typeof fm === "object" && fm !== null && "error" in fm))) expect(fm, where).toBeNull();
      }
    });
  }
  return { results: compared, formulas };
}

describe("grading: values mode = formula mode, cell by cell (HyperFormula)", () => {
  for (const f of FIXTURES) {
    it(f.name, () => {
      const n = compareModes(f.rows, f.lang);
      expect(n.results).toBeGreaterThan(5);
      expect(n.formulas).toBeGreaterThan(0);
    });
  }

  it("the corpus books (title rows, merged and two-row headers, units, ✓/×), read as the pane reads them, give the same classes both ways", async () => {
    let books = 0, cells = 0;
    for (const book of CORPUS) {
      const opened = await openXlsx((await buildWorkbook(book).xlsx.writeBuffer()) as ArrayBuffer);
      if (!opened.ok) throw new Error(opened.message);
      const read = await readGradingTable(opened.workbook, { sheet: book.sheet });
      if (!read || Object.keys(read.columns.found).length === 0) continue;
      // The pane found the same header rows the corpus expects.
      expect(read.table.row + 1, book.name).toBe(book.expect.headerRows[book.expect.headerRows.length - 1]);
      const n = compareModes(book.rows, book.expect.lang, read);
      books++;
      cells += n.results;
    }
    // Books with class inputs (付款态度, 战略客户, 集团客户 …) were graded and compared.
    expect(books).toBeGreaterThanOrEqual(3);
    expect(cells).toBeGreaterThan(10);
  });
});
