/**
 * Excel adapter of the workbook port (Office.js). Each operation uses a constant number of
 * `context.sync()` calls whatever the row count (docs/contracts.md §12):
 *   read  = 1 sync for shapes (+ the state sheet's values) and 1 for the values,
 *   apply = 1 sync (+1 only when it must first learn which sheets / state rows / charts exist).
 * So the sync flow "read 10,000 rows, compute, write back" takes 3. Beyond CELLS_PER_SYNC cells a
 * read or write is split so no payload passes Excel on the web's 5 MB; syncs then grow with the
 * payload, not the row count.
 *
 * Kept thin on purpose (docs/platform.md §4): logic lives in port.ts and sync/.
 */
/// <reference types="office-js" />
import {
  CELLS_PER_SYNC,
  STATE_SHEET,
  chunkState,
  parseAddress,
  toTableData,
  type CellInput,
  type CellValue,
  type ReadRequest,
  type ReadResult,
  type SheetInfo,
  type TableData,
  type TableRef,
  type WorkbookPort,
  type WriteOp,
  MARK_FILL,
  type CellMark,
  type CellUnmark,
} from "./port.js";
import { at, got } from "../../../shared/src/checked.js";
import { BOX_COLUMN_WIDTH, BOX_ROW_HEIGHT, cellAddress, type BoxSpec } from "./port.js";

/** Notes the sync writes start with this, so it never deletes a note the user wrote. */
export const NOTE_PREFIX = "KAM: ";

export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

const CHART_TYPES: Record<string, string> = {
  columnClustered: "ColumnClustered",
  barClustered: "BarClustered",
  line: "Line",
  pie: "Pie",
};

interface StateLayout {
  exists: boolean;
  /** key → 0-based row on the state sheet, and how many chunk cells it uses. */
  rows: Map<string, { row: number; chunks: number }>;
  nextRow: number;
}

export class ExcelWorkbook implements WorkbookPort {
  readonly kind = "excel" as const;
  private knownSheets = new Set<string>();
  private stateLayout: StateLayout | undefined;

  constructor(
    private readonly run: ExcelRun = (b) => Excel.run(b),
    /** Whether the host has an API set (Office.context.requirements.isSetSupported; injectable for tests). */
    private readonly supports: (set: string, version: string) => boolean = (set, version) =>
      typeof Office !== "undefined" && !!Office.context?.requirements?.isSetSupported(set, version),
  ) {}

  /**
   * Problem marks: 1 sync reads the fills (and notes) of the cells, 1 sync writes. Cell notes need
   * ExcelApi 1.18 (missing in Office 2021 and older): without it the message goes into the
   * cell's data-validation input prompt, shown when the cell is selected. A note the user wrote
   * is kept (the prompt is used for that cell instead).
   */
  async mark(sheet: string, set: CellMark[], clear: CellUnmark[]): Promise<Record<string, string | null>> {
    if (!set.length && !clear.length) return {};
    const notes = this.supports("ExcelApi", "1.18");
    return this.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem(sheet);
      const reads = set.map((m) => {
        const range = ws.getRange(m.address);
        range.format.fill.load("color");
        const note = notes ? ws.notes.getItemOrNullObject(m.address) : undefined;
        note?.load("isNullObject");
        return { m, range, note };
      });
      const clears = clear.map((c) => {
        const note = notes ? ws.notes.getItemOrNullObject(c.address) : undefined;
        note?.load("isNullObject,content");
        return { c, note };
      });
      await ctx.sync();
      const before: Record<string, string | null> = {};
      for (const { c, note } of clears) {
        const range = ws.getRange(c.address);
        if (c.fill === null) range.format.fill.clear();
        else range.format.fill.color = c.fill;
        if (note && !note.isNullObject && String(note.content).startsWith(NOTE_PREFIX)) note.delete();
        else range.dataValidation.prompt = { showPrompt: false, title: "", message: "" };
      }
      for (const { m, range: read, note } of reads) {
        const color = read.format.fill.color;
        // Excel reports an unfilled cell as white: restoring "no fill" then is the same look.
        before[m.address] = !color || color.toUpperCase() === "#FFFFFF" ? null : color;
        const range = ws.getRange(m.address);
        range.format.fill.color = MARK_FILL;
        if (note && note.isNullObject) ws.notes.add(m.address, NOTE_PREFIX + m.note);
        else range.dataValidation.prompt = { showPrompt: true, title: "KAM", message: m.note.slice(0, 255) };
      }
      await ctx.sync();
      return before;
    });
  }

  async listSheets(): Promise<SheetInfo[]> {
    return this.run(async (ctx) => {
      const sheets = ctx.workbook.worksheets;
      sheets.load("items/name,items/visibility");
      const tables = ctx.workbook.tables;
      tables.load("items/name,items/worksheet/name");
      await ctx.sync();
      const out: SheetInfo[] = [];
      this.knownSheets = new Set(sheets.items.map((s) => s.name));
      for (const s of sheets.items) {
        if (String(s.visibility) !== "Visible") continue;
        out.push({ name: s.name, tables: tables.items.filter((t) => t.worksheet.name === s.name).map((t) => t.name) });
      }
      return out;
    });
  }

  async selection(): Promise<TableRef | undefined> {
    return this.run(async (ctx) => {
      const r = ctx.workbook.getSelectedRange();
      r.load("address");
      const ws = r.worksheet;
      ws.load("name");
      await ctx.sync();
      return { sheet: ws.name, range: r.address };
    });
  }

  async read(request: ReadRequest): Promise<ReadResult> {
    return this.run(async (ctx) => {
      const refs = request.tables ?? [];
      // Sync 1: shapes of every requested block, and the whole state sheet.
      const shapes = refs.map((ref) => {
        if (ref.table !== undefined) {
          const t = ctx.workbook.tables.getItemOrNullObject(ref.table);
          t.load("isNullObject");
          const range = t.getRange();
          const ws = t.worksheet;
          ws.load("name");
          range.load("address,rowIndex,columnIndex,rowCount,columnCount,rowHidden");
          return { holder: t as { isNullObject: boolean }, range, ws };
        }
        const ws = ctx.workbook.worksheets.getItemOrNullObject(ref.sheet);
        ws.load("isNullObject,name");
        const range = ref.range ? ws.getRange(ref.range) : ws.getUsedRangeOrNullObject(true);
        range.load("isNullObject,address,rowIndex,columnIndex,rowCount,columnCount,rowHidden");
        return { holder: ws as { isNullObject: boolean }, range, ws };
      });
      const stateKeys = request.state ?? [];
      const wantState = stateKeys.length > 0;
      const stateSheet = wantState ? ctx.workbook.worksheets.getItemOrNullObject(STATE_SHEET) : undefined;
      const stateRange = stateSheet?.getUsedRangeOrNullObject(true);
      stateSheet?.load("isNullObject");
      stateRange?.load("isNullObject,values,rowIndex");
      await ctx.sync();

      const state: Record<string, string | undefined> = {};
      if (stateSheet && stateRange) {
        const layout: StateLayout = { exists: !stateSheet.isNullObject, rows: new Map(), nextRow: 0 };
        if (!stateSheet.isNullObject && !stateRange.isNullObject) {
          const values = stateRange.values as CellValue[][];
          const base = stateRange.rowIndex;
          values.forEach((line, i) => {
            const key = line[0];
            if (typeof key !== "string" || key === "") return;
            const n = Number(line[1] ?? 0);
            layout.rows.set(key, { row: base + i, chunks: n });
            if (stateKeys.includes(key)) state[key] = line.slice(2, 2 + n).map((c) => (c === null ? "" : String(c))).join("");
          });
          layout.nextRow = base + values.length;
        }
        this.stateLayout = layout;
      }

      // Sync 2 (and more only past CELLS_PER_SYNC cells): the values.
      const tables: (TableData | undefined)[] = [];
      const pending: { index: number; sheet: string; row: number; col: number; rows: number; cols: number; rowHidden: boolean | null }[] = [];
      shapes.forEach((s, index) => {
        const r = s.range as Excel.Range & { isNullObject?: boolean };
        if (s.holder.isNullObject || r.isNullObject) {
          tables[index] = at(refs, index, "table requests").table === undefined && !s.holder.isNullObject ? { sheet: s.ws.name, row: 0, col: 0, header: [], rows: [] } : undefined;
          return;
        }
        this.knownSheets.add(s.ws.name);
        pending.push({ index, sheet: s.ws.name, row: r.rowIndex, col: r.columnIndex, rows: r.rowCount, cols: r.columnCount, rowHidden: typeof r.rowHidden === "boolean" ? r.rowHidden : null });
      });
      const blocks = new Map<number, { values: CellValue[][]; formulas: unknown[][] }>();
      // Hidden and filtered rows: `rowHidden` says none (false), all (true) or some (null); only
      // for some, the visible view of the block's first column lists the rows shown (loaded with
      // the first batch of values, no extra sync).
      const visible = pending.map((p) => {
        if (p.rowHidden !== null) return undefined;
        const view = ctx.workbook.worksheets.getItem(p.sheet).getRangeByIndexes(p.row, p.col, p.rows, 1).getVisibleView();
        view.load("cellAddresses");
        return view;
      });
      let batch: { index: number; part: Excel.Range }[] = [];
      let cells = 0;
      const flush = async () => {
        if (!batch.length) return;
        await ctx.sync();
        for (const b of batch) {
          const acc = blocks.get(b.index) ?? { values: [], formulas: [] };
          acc.values.push(...(b.part.values as CellValue[][]));
          acc.formulas.push(...(b.part.formulas as unknown[][]));
          blocks.set(b.index, acc);
        }
        batch = [];
        cells = 0;
      };
      for (const p of pending) {
        const rowsPerChunk = Math.max(1, Math.floor(CELLS_PER_SYNC / Math.max(1, p.cols)));
        for (let start = 0; start < p.rows; start += rowsPerChunk) {
          const n = Math.min(rowsPerChunk, p.rows - start);
          if (cells + n * p.cols > CELLS_PER_SYNC) await flush();
          const part = ctx.workbook.worksheets.getItem(p.sheet).getRangeByIndexes(p.row + start, p.col, n, p.cols);
          part.load(request.withFormulas ? "values,formulas" : "values");
          batch.push({ index: p.index, part });
          cells += n * p.cols;
        }
      }
      await flush();
      pending.forEach((p, i) => {
        const b = got(blocks, p.index, "read blocks");
        const view = visible[i];
        const shown = new Set<number>();
        for (const line of (view?.cellAddresses ?? []) as string[][]) {
          const a = parseAddress(String(line[0] ?? ""));
          if (a) shown.add(a.row);
        }
        const hidden = Array.from({ length: p.rows }, (_, r) => (view ? !shown.has(p.row + r) : p.rowHidden === true));
        tables[p.index] = toTableData(p.sheet, p.row, p.col, b.values.map(normaliseRow), request.withFormulas ? b.formulas : undefined, hidden);
      });
      return { tables, state };
    });
  }

  async apply(ops: WriteOp[]): Promise<void> {
    if (!ops.length) return;
    await this.run(async (ctx) => {
      const sheets = ctx.workbook.worksheets;
      // Prepare (one sync, only when needed): which sheets exist, the state layout, charts to replace.
      const unknownSheets = [...new Set(ops.flatMap((o) => ("sheet" in o && o.kind !== "renameSheet" ? [o.sheet] : [])))].filter((s) => !this.knownSheets.has(s));
      const needState = ops.some((o) => o.kind === "state") && !this.stateLayout;
      const chartSheets = [...new Set(ops.filter((o) => o.kind === "chart").map((o) => o.sheet))];
      const charts = new Map<string, Excel.ChartCollection>();
      if (unknownSheets.length || needState || chartSheets.length) {
        const probes = unknownSheets.map((name) => {
          const ws = sheets.getItemOrNullObject(name);
          ws.load("isNullObject");
          return { name, ws };
        });
        let stateProbe: { ws: Excel.Worksheet; range: Excel.Range } | undefined;
        if (needState) {
          const ws = sheets.getItemOrNullObject(STATE_SHEET);
          const range = ws.getUsedRangeOrNullObject(true);
          ws.load("isNullObject");
          range.load("isNullObject,values,rowIndex");
          stateProbe = { ws, range };
        }
        const chartProbes = chartSheets
          .filter((s) => this.knownSheets.has(s))
          .map((s) => {
            const c = sheets.getItem(s).charts;
            c.load("items/name");
            charts.set(s, c);
            return c;
          });
        await ctx.sync();
        for (const p of probes) if (!p.ws.isNullObject) this.knownSheets.add(p.name);
        if (stateProbe) {
          const layout: StateLayout = { exists: !stateProbe.ws.isNullObject, rows: new Map(), nextRow: 0 };
          if (layout.exists && !(stateProbe.range as { isNullObject?: boolean }).isNullObject) {
            const values = stateProbe.range.values as CellValue[][];
            values.forEach((line, i) => {
              if (typeof line[0] === "string" && line[0]) layout.rows.set(line[0], { row: stateProbe.range.rowIndex + i, chunks: Number(line[1] ?? 0) });
            });
            layout.nextRow = stateProbe.range.rowIndex + values.length;
          }
          this.stateLayout = layout;
        }
        void chartProbes;
      }

      const sheet = (name: string): Excel.Worksheet => {
        if (!this.knownSheets.has(name)) {
          this.knownSheets.add(name);
          return sheets.add(name);
        }
        return sheets.getItem(name);
      };
      let cells = 0;
      for (const op of ops) {
        switch (op.kind) {
          case "ensureSheet": {
            const ws = sheet(op.sheet);
            if (op.activate) ws.activate();
            break;
          }
          case "renameSheet":
            sheets.getItem(op.sheet).name = op.to;
            this.knownSheets.delete(op.sheet);
            this.knownSheets.add(op.to);
            break;
          case "values": {
            const ws = sheet(op.sheet);
            const cols = Math.max(0, ...op.values.map((l) => l.length));
            if (!op.values.length || !cols) break;
            const rowsPerChunk = Math.max(1, Math.floor(CELLS_PER_SYNC / cols));
            for (let start = 0; start < op.values.length; start += rowsPerChunk) {
              const part = op.values.slice(start, start + rowsPerChunk);
              if (cells + part.length * cols > CELLS_PER_SYNC) {
                await ctx.sync();
                cells = 0;
              }
              ws.getRangeByIndexes(op.row + start, op.col, part.length, cols).formulas = part.map((l) => padRow(l, cols).map(toFormulaCell)) as unknown as string[][];
              cells += part.length * cols;
            }
            break;
          }
          case "clear":
            if (op.rows > 0 && op.cols > 0 && this.knownSheets.has(op.sheet)) sheets.getItem(op.sheet).getRangeByIndexes(op.row, op.col, op.rows, op.cols).clear("Contents" as Excel.ClearApplyTo);
            break;
          case "state":
            this.writeState(ctx, op.key, op.value);
            break;
          case "gradeFormat": {
            const range = sheet(op.sheet).getRange(op.address);
            range.conditionalFormats.clearAll();
            for (const rule of op.rules) {
              const cf = range.conditionalFormats.add("CellValue" as Excel.ConditionalFormatType);
              cf.cellValue.format.fill.color = rule.fill;
              if (rule.font) cf.cellValue.format.font.color = rule.font;
              cf.cellValue.rule = { formula1: `="${rule.equals.replace(/"/g, '""')}"`, operator: "EqualTo" };
            }
            break;
          }
          case "listValidation": {
            const range = sheet(op.sheet).getRange(op.address);
            range.dataValidation.clear();
            range.dataValidation.rule = { list: { inCellDropDown: true, source: op.list.join(",") } };
            // Excel limits the prompt title to 32 characters and its text to 255.
            if (op.prompt) range.dataValidation.prompt = { showPrompt: true, title: op.prompt.title.slice(0, 32), message: op.prompt.message.slice(0, 255) };
            break;
          }
          case "chart": {
            const ws = sheet(op.sheet);
            const name = `KAM ${op.anchor}`;
            const existing = charts.get(op.sheet)?.items.find((c) => c.name === name);
            existing?.delete();
            const chart = ws.charts.add(CHART_TYPES[op.type] as Excel.ChartType, ws.getRange(op.dataAddress), "Auto" as Excel.ChartSeriesBy);
            chart.name = name;
            chart.title.text = op.title;
            chart.setPosition(op.anchor);
            break;
          }
          case "freezeHeader":
            sheet(op.sheet).freezePanes.freezeRows(1);
            break;
          case "numberFormat": {
            const a = parseAddress(op.address);
            if (!a) break;
            sheet(op.sheet).getRange(op.address).numberFormat = Array.from({ length: a.rows }, () => Array.from({ length: a.cols }, () => op.format));
            break;
          }
          case "hideColumns":
            // Setting columnHidden on any range hides its entire columns (ExcelApi 1.2).
            if (op.cols > 0) sheet(op.sheet).getRangeByIndexes(0, op.col, 1, op.cols).columnHidden = true;
            break;
        }
      }
      await ctx.sync();
    });
  }

  private writeState(ctx: Excel.RequestContext, key: string, value: string | undefined): void {
    const layout = this.stateLayout ?? { exists: false, rows: new Map(), nextRow: 0 };
    this.stateLayout = layout;
    const sheets = ctx.workbook.worksheets;
    let ws: Excel.Worksheet;
    if (!layout.exists) {
      ws = sheets.add(STATE_SHEET);
      ws.visibility = "VeryHidden" as Excel.SheetVisibility;
      layout.exists = true;
    } else ws = sheets.getItem(STATE_SHEET);
    const at = layout.rows.get(key);
    const row = at?.row ?? layout.nextRow++;
    const chunks = value === undefined ? [] : chunkState(value);
    const width = Math.max(2 + chunks.length, 2 + (at?.chunks ?? 0));
    const line: CellValue[] = value === undefined ? [] : [key, chunks.length, ...chunks];
    while (line.length < width) line.push("");
    ws.getRangeByIndexes(row, 0, 1, width).values = [line] as unknown as string[][];
    if (value === undefined) layout.rows.delete(key);
    else layout.rows.set(key, { row, chunks: chunks.length });
  }

  /**
   * Boxes as rounded rectangles over their cells (worksheet.shapes, ExcelApi 1.9); where shapes
   * are not supported, filled, bordered, wrapped cells. Two syncs either way.
   */
  async drawBoxes(sheet: string, boxes: readonly BoxSpec[]): Promise<"shapes" | "cells"> {
    const shapes = typeof Office !== "undefined" && Office.context?.requirements?.isSetSupported?.("ExcelApi", "1.9") === true;
    return this.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem(sheet);
      const ranges = boxes.map((b) => {
        const r = ws.getRange(cellAddress(b.row, b.col));
        r.format.columnWidth = BOX_COLUMN_WIDTH * 7; // points ≈ characters × 7
        r.format.rowHeight = BOX_ROW_HEIGHT;
        if (!shapes) {
          r.values = [[b.text]];
          r.format.fill.color = b.fill;
          r.format.font.color = b.font;
          r.format.wrapText = true;
          r.format.horizontalAlignment = "Center";
          r.format.verticalAlignment = "Center";
          for (const edge of ["EdgeTop", "EdgeBottom", "EdgeLeft", "EdgeRight"] as const) r.format.borders.getItem(edge).style = "Continuous";
        } else r.load("left,top,width,height");
        return r;
      });
      await ctx.sync();
      if (!shapes) return "cells";
      boxes.forEach((b, i) => {
        const r = at(ranges, i, "box ranges");
        const s = ws.shapes.addGeometricShape(Excel.GeometricShapeType.roundRectangle);
        s.name = `kam-map-${b.row}-${b.col}`;
        s.left = r.left + 3;
        s.top = r.top + 3;
        s.width = Math.max(20, r.width - 6);
        s.height = Math.max(20, r.height - 6);
        s.fill.setSolidColor(b.fill);
        s.lineFormat.color = "#605E5C";
        s.textFrame.textRange.text = b.text;
        s.textFrame.textRange.font.color = b.font;
        s.textFrame.textRange.font.size = 9;
        s.textFrame.horizontalAlignment = Excel.ShapeTextHorizontalAlignment.center;
        s.textFrame.verticalAlignment = Excel.ShapeTextVerticalAlignment.middle;
      });
      await ctx.sync();
      return "shapes";
    });
  }
}

function padRow(l: CellInput[], cols: number): CellInput[] {
  if (l.length >= cols) return l;
  return [...l, ...Array<CellInput>(cols - l.length).fill(null)];
}

/**
 * `range.formulas` takes plain values too. `null` would leave the cell unchanged in Office.js,
 * so it becomes "" (clear); text that looks like a formula is quoted so it stays text.
 */
function toFormulaCell(v: CellInput): string | number | boolean {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return v.formula.startsWith("=") ? v.formula : "=" + v.formula;
  if (typeof v === "string" && (v.startsWith("=") || v.startsWith("'"))) return "'" + v;
  return v;
}

/** Office.js reports empty cells as "": the port's shape is null. */
function normaliseRow(line: CellValue[]): CellValue[] {
  return line.map((v) => (v === "" ? null : v));
}
