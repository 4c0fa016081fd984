import { Tab, TabList, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type ExcelJS from "exceljs";
import { cellAddress, columnLetter, STATE_SHEET } from "../../workbook/port.js";
import type { XlsxWorkbook } from "../../workbook/xlsx.js";
import { EMPTY_CELL, extentOf, parseTyped, viewOf } from "./cells.js";
import { useProblems, type ProblemCell } from "./problems.js";

/**
 * Preview mode's sheet grid: the opened workbook's sheets as tabs and the current sheet as a
 * virtualised grid (@tanstack/react-virtual on both axes: only the rows and columns in view, plus
 * a small overscan, are in the DOM, so a 10,000-row sheet renders ~50 rows at a time). Cells show
 * the workbook's own fills (the highlights the pages write) and an outline with the message for
 * the problem cells the pages publish (problems.ts). Double-click, F2, Enter or typing edits a
 * cell; the value goes into the in-memory workbook through the xlsx adapter (`port.apply`), so a
 * user without Excel can fix a problem and sync again.
 */

const ROW_H = 24;
const COL_W = 110;
const HEAD_W = 52;
const MAX_ROWS_IN_DOM = 200;

const LABELS = {
  zh: { sheets: "工作表", grid: "工作表内容", problems: "个问题", empty: "此工作簿没有可见的工作表", edit: "编辑单元格" },
  en: { sheets: "Sheets", grid: "Sheet content", problems: "problems", empty: "This workbook has no visible sheet", edit: "Edit cell" },
} as const;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", minWidth: 0, height: "100%", gap: "4px", fontFamily: tokens.fontFamilyBase },
  scroller: { flex: "1 1 0", minHeight: 0, overflow: "auto", position: "relative", border: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1, outlineStyle: "none", ":focus-visible": { outline: `2px solid ${tokens.colorBrandStroke1}` } },
  head: { position: "sticky", top: 0, zIndex: 2, height: `${ROW_H}px`, backgroundColor: tokens.colorNeutralBackground3 },
  // Fixed sizes: layout and paint of a row or a cell stay inside it (CSS containment).
  row: { position: "absolute", left: 0, height: `${ROW_H}px`, contain: "strict" },
  rowHead: { position: "sticky", left: 0, zIndex: 1, width: `${HEAD_W}px`, height: `${ROW_H}px`, boxSizing: "border-box", textAlign: "center", lineHeight: `${ROW_H}px`, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3, backgroundColor: tokens.colorNeutralBackground3, borderRight: `1px solid ${tokens.colorNeutralStroke2}`, borderBottom: `1px solid ${tokens.colorNeutralStroke3}` },
  corner: { zIndex: 3 },
  cell: { position: "absolute", top: 0, height: `${ROW_H}px`, contain: "strict", boxSizing: "border-box", padding: "0 4px", overflow: "hidden", whiteSpace: "nowrap", textOverflow: "ellipsis", lineHeight: `${ROW_H - 1}px`, fontSize: tokens.fontSizeBase200, borderRight: `1px solid ${tokens.colorNeutralStroke3}`, borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, cursor: "cell" },
  colHead: { textAlign: "center", color: tokens.colorNeutralForeground3, backgroundColor: tokens.colorNeutralBackground3, cursor: "default" },
  numeric: { textAlign: "right" },
  selected: { outline: `2px solid ${tokens.colorBrandStroke1}`, outlineOffset: "-2px", zIndex: 1 },
  problem: { boxShadow: `inset 0 0 0 2px ${tokens.colorPaletteRedBorder2}` },
  editor: { position: "absolute", top: 0, height: `${ROW_H}px`, boxSizing: "border-box", zIndex: 4, font: "inherit", fontSize: tokens.fontSizeBase200, border: `2px solid ${tokens.colorBrandStroke1}`, padding: "0 2px", outlineStyle: "none" },
  tabs: { flexWrap: "wrap" },
});

interface Editing {
  r: number;
  c: number;
  text: string;
}

export interface SheetGridProps {
  port: XlsxWorkbook;
  lang: "zh" | "en";
  /** Bumped by the pane after every write: the grid reads the workbook again. */
  version: number;
  /** Tell the pane the workbook changed (an edit here). */
  touched: () => void;
}

export default function SheetGrid({ port, lang, version, touched }: SheetGridProps) {
  const s = useStyles();
  const L = LABELS[lang];
  const problems = useProblems();
  const [edits, setEdits] = useState(0);
  const sheets = port.workbook.worksheets.filter((ws) => ws.name !== STATE_SHEET && (ws.state === "visible" || ws.state === undefined)).map((ws) => ws.name);
  // The current sheet is the workbook's active tab, as in Excel: the one the file opened on, the
  // one a page activated after writing it (the xlsx adapter records it), or the tab chosen here.
  const active = port.workbook.worksheets[port.workbook.views?.[0]?.activeTab ?? 0]?.name;
  const sheet = active && sheets.includes(active) ? active : sheets[0];
  const choose = (name: string) => {
    const index = port.workbook.worksheets.findIndex((w) => w.name === name);
    port.workbook.views = [{ ...(port.workbook.views?.[0] ?? {}), activeTab: index } as ExcelJS.WorkbookView];
    setEdits((n) => n + 1);
  };
  const ws = sheet ? port.workbook.getWorksheet(sheet) : undefined;
  // version (a page wrote) and edits (a cell typed here) mark a changed workbook: measure it again
  const { rows, cols } = useMemo(() => extentOf(ws), [ws, version, edits]);
  const sheetProblems = (sheet && problems.get(sheet)) || undefined;
  const [sel, setSel] = useState({ r: 0, c: 0 });
  const [editing, setEditingState] = useState<Editing | undefined>();
  // The edit in progress, for the blur handler (it runs after Escape or Enter already ended it).
  const live = useRef<Editing | undefined>(undefined);
  const setEditing = (e: Editing | undefined) => {
    live.current = e;
    setEditingState(e);
  };
  const scroller = useRef<HTMLDivElement>(null);
  // Rows redraw only when their own inputs change (memo): the stamp marks a changed workbook.
  const stamp = `${version}.${edits}`;
  const classes = useMemo<RowClasses>(() => ({ row: s.row, rowHead: s.rowHead, cell: s.cell, numeric: mergeClasses(s.cell, s.numeric), problem: s.problem, selected: s.selected }), [s]);
  const startEditRef = useRef<(r: number, c: number) => void>(() => {});
  const pick = useMemo(() => (r: number, c: number, edit: boolean) => {
    setSel({ r, c });
    if (edit) startEditRef.current(r, c);
  }, []);

  // Before the scroller is measured (first paint, or no layout at all) the grid assumes a screenful.
  const initialRect = { width: 1280, height: 800 };
  const rowV = useVirtualizer({ count: rows, getScrollElement: () => scroller.current, estimateSize: () => ROW_H, overscan: 4, scrollMargin: ROW_H, scrollPaddingStart: ROW_H, initialRect });
  const colV = useVirtualizer({ horizontal: true, count: cols, getScrollElement: () => scroller.current, estimateSize: () => COL_W, overscan: 1, scrollMargin: HEAD_W, scrollPaddingStart: HEAD_W, initialRect });

  useEffect(() => {
    setSel({ r: 0, c: 0 });
    setEditing(undefined);
    scroller.current?.scrollTo({ top: 0, left: 0 });
  }, [sheet, port]);

  if (!ws || !sheet) return <Text>{L.empty}</Text>;

  const commit = async (e: Editing) => {
    setEditing(undefined);
    await port.apply([{ kind: "values", sheet, row: e.r, col: e.c, values: [[parseTyped(e.text)]] }]);
    setEdits((n) => n + 1);
    touched();
    scroller.current?.focus();
  };
  const move = (dr: number, dc: number) => {
    const r = Math.max(0, Math.min(rows - 1, sel.r + dr));
    const c = Math.max(0, Math.min(cols - 1, sel.c + dc));
    setSel({ r, c });
    rowV.scrollToIndex(r);
    colV.scrollToIndex(c);
  };
  const startEdit = (r: number, c: number, text?: string) => setEditing({ r, c, text: text ?? viewOf(ws.findRow(r + 1)?.findCell(c + 1), lang).editText });
  startEditRef.current = startEdit;
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (editing) return;
    const keys: Record<string, [number, number]> = { ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Tab: [0, e.shiftKey ? -1 : 1] };
    const step = keys[e.key];
    if (step) { e.preventDefault(); move(...step); return; }
    if (e.key === "Enter" || e.key === "F2") { e.preventDefault(); startEdit(sel.r, sel.c); return; }
    if (e.key === "Delete" || e.key === "Backspace") { e.preventDefault(); void commit({ r: sel.r, c: sel.c, text: "" }); return; }
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); startEdit(sel.r, sel.c, e.key); }
  };

  const vRows = rowV.getVirtualItems().slice(0, MAX_ROWS_IN_DOM);
  const vCols = colV.getVirtualItems();
  const c0 = vCols[0]?.index ?? 0;
  const c1 = (vCols[vCols.length - 1]?.index ?? -1) + 1;
  const width = HEAD_W + colV.getTotalSize();
  return (
    <section className={s.root} aria-label={L.grid} data-testid="sheet-grid" data-sheet={sheet}>
      <TabList className={s.tabs} size="small" selectedValue={sheet} onTabSelect={(_, d) => choose(String(d.value))} aria-label={L.sheets}>
        {sheets.map((n) => {
          const count = problems.get(n)?.size ?? 0;
          return (
            <Tab key={n} value={n} data-testid={`sheet-tab-${n}`}>
              {n}{count ? ` · ${count} ${L.problems}` : ""}
            </Tab>
          );
        })}
      </TabList>
      <div ref={scroller} className={s.scroller} tabIndex={0} role="grid" aria-label={`${L.grid}: ${sheet}`} aria-rowcount={rows + 1} aria-colcount={cols + 1} data-testid="grid-scroller" onKeyDown={onKey}>
        <div className={s.head} role="row" aria-rowindex={1} style={{ width }}>
          <div className={mergeClasses(s.rowHead, s.corner)} />
          {vCols.map((c) => (
            <div key={c.index} role="columnheader" className={mergeClasses(s.cell, s.colHead)} style={{ left: c.start, width: c.size }}>{columnLetter(c.index)}</div>
          ))}
        </div>
        <div style={{ position: "relative", height: rowV.getTotalSize(), width }}>
          {vRows.map((vr) => (
            <GridRow
              key={vr.index}
              ws={ws}
              r={vr.index}
              top={vr.start - ROW_H}
              width={width}
              c0={c0}
              c1={c1}
              selCol={sel.r === vr.index ? sel.c : -1}
              problems={sheetProblems}
              lang={lang}
              stamp={stamp}
              classes={classes}
              onPick={pick}
            />
          ))}
          {editing && (
            <input
              autoFocus
              aria-label={`${L.edit} ${cellAddress(editing.r, editing.c)}`}
              data-testid="cell-editor"
              className={s.editor}
              style={{ top: editing.r * ROW_H, left: HEAD_W + editing.c * COL_W, width: COL_W }}
              value={editing.text}
              onChange={(e) => setEditing({ ...editing, text: e.target.value })}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === "Tab") {
                  e.preventDefault();
                  const at = live.current;
                  if (at) void commit(at).then(() => move(e.key === "Enter" ? 1 : 0, e.key === "Tab" ? 1 : 0));
                } else if (e.key === "Escape") {
                  e.preventDefault();
                  setEditing(undefined);
                  scroller.current?.focus();
                }
              }}
              onBlur={() => live.current && void commit(live.current)}
            />
          )}
        </div>
      </div>
    </section>
  );
}

interface RowClasses {
  row: string;
  rowHead: string;
  cell: string;
  numeric: string;
  problem: string;
  selected: string;
}

interface GridRowProps {
  ws: ExcelJS.Worksheet;
  r: number;
  top: number;
  width: number;
  /** Columns [c0, c1) are drawn. */
  c0: number;
  c1: number;
  /** The selected column when the selection is on this row, else -1. */
  selCol: number;
  problems: ReadonlyMap<string, ProblemCell["message"]> | undefined;
  lang: "zh" | "en";
  stamp: string;
  classes: RowClasses;
  onPick: (r: number, c: number, edit: boolean) => void;
}

/** One sheet row in view (columns have a fixed width, so a cell's place is its index). */
const GridRow = memo(function GridRow({ ws, r, top, width, c0, c1, selCol, problems, lang, classes, onPick }: GridRowProps) {
  const row = ws.findRow(r + 1);
  const cells = [];
  for (let c = c0; c < c1; c++) {
    const v = row ? viewOf(row.findCell(c + 1), lang) : EMPTY_CELL;
    const address = cellAddress(r, c);
    const said = problems?.get(address);
    const problem = said === undefined ? undefined : typeof said === "string" ? said : said[lang];
    const selected = selCol === c;
    let className = v.numeric ? classes.numeric : classes.cell;
    if (problem) className += ` ${classes.problem}`;
    if (selected) className += ` ${classes.selected}`;
    cells.push(
      <div
        key={c}
        role="gridcell"
        aria-selected={selected}
        data-address={address}
        data-problem={problem ? "true" : undefined}
        title={problem && v.note ? `${problem}\n${v.note}` : problem || v.note || undefined}
        className={className}
        style={{ left: HEAD_W + c * COL_W, width: COL_W, backgroundColor: v.fill, color: v.color, fontWeight: v.bold ? 600 : undefined }}
        onClick={() => onPick(r, c, false)}
        onDoubleClick={() => onPick(r, c, true)}
      >
        {v.text}
      </div>,
    );
  }
  return (
    <div role="row" aria-rowindex={r + 2} className={classes.row} style={{ top, width }} data-row={r + 1}>
      <div role="rowheader" className={classes.rowHead}>{r + 1}</div>
      {cells}
    </div>
  );
});
