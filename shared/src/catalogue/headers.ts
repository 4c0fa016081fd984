import { normalizeKey } from "../text.js";
import type { FieldDef } from "./fields.js";
import { isBlank, type MoneyUnit, type RawCell } from "./grammar.js";

/**
 * Header recognition and header-row detection. A header matches a field by its labels and
 * synonyms (ignoring case, width and spaces); a unit in brackets (`注册资本(万元)`, `金额（万）`,
 * `Amount (10k yuan)`) is read off and, for money fields, sets the column's unit. Bilingual
 * template headers (`客户名称 / Account name`, or two lines) match by either half.
 */

export interface HeaderMatch {
  field: string;
  /** Money unit named by the header. */
  unit?: MoneyUnit;
}

const UNIT_WORDS: ReadonlyArray<[RegExp, MoneyUnit]> = [
  [/^(万元|万|万人民币|10k ?yuan|10k ?rmb|ten thousand yuan)$/i, "wan"],
  [/^(亿元|亿|亿人民币|100m ?yuan|100m ?rmb)$/i, "yi"],
  [/^(元|人民币|人民币元|rmb|yuan|cny|¥)$/i, "yuan"],
];
const BRACKET_UNIT_RE = /^(.*?)[([【{]\s*(?:单位[:：]?\s*)?([^()[\]【】{}]+?)\s*[)\]】}]$/;
const SLASH_UNIT_RE = /^(.*?)[/／]\s*(万元|万|亿元|亿|元)$/;

function unitOf(word: string): MoneyUnit | undefined {
  const w = word.normalize("NFKC").trim();
  return UNIT_WORDS.find(([re]) => re.test(w))?.[1];
}

/** A lookup of one entity's (or field list's) headers. */
export class HeaderIndex {
  private readonly byKey = new Map<string, FieldDef>();
  constructor(readonly fields: readonly FieldDef[]) {
    for (const d of fields) {
      for (const s of [d.id, d.label.zh, d.label.en, ...d.synonyms]) {
        const k = normalizeKey(s);
        if (!this.byKey.has(k)) this.byKey.set(k, d);
      }
    }
  }

  /** The field a header names, with the unit it states (money fields only). */
  match(header: RawCell): HeaderMatch | undefined {
    if (typeof header !== "string" || header.trim() === "") return undefined;
    // Required-field marks (`*客户名称`, `客户名称※`) and a trailing colon are not part of the name.
    const text = header.normalize("NFKC").trim().replace(/^[*※]+\s*|\s*[*※:]+$/g, "");
    const whole = this.one(text);
    if (whole) return whole;
    for (const part of text.split(/\s+\/\s+|\s*\n\s*|\s*\|\s*/)) {
      const m = part === text ? undefined : this.one(part);
      if (m) return m;
    }
    return undefined;
  }

  private one(text: string): HeaderMatch | undefined {
    // A unit in brackets is read off first, so `注册资本(元)` states its unit even though it is
    // also a synonym as a whole (older templates wrote it).
    const m = BRACKET_UNIT_RE.exec(text) ?? SLASH_UNIT_RE.exec(text);
    const [, name, unitText] = m ?? [];
    const base = name !== undefined ? this.byKey.get(normalizeKey(name)) : undefined;
    const unit = unitText !== undefined ? unitOf(unitText) : undefined;
    if (base && base.kind === "money" && unit) return { field: base.id, unit };
    const direct = this.byKey.get(normalizeKey(text));
    if (direct) return { field: direct.id };
    return base ? { field: base.id } : undefined;
  }

  /** Every spelling this index recognises for a field (for docs and tests). */
  spellings(field: string): string[] {
    return [...this.byKey.entries()].filter(([, d]) => d.id === field).map(([k]) => k);
  }
}

/** `单位：万元` in a title row above the header: the money unit of columns whose header names none. */
export function sheetUnitOf(cells: readonly RawCell[]): MoneyUnit | undefined {
  for (const c of cells) {
    if (typeof c !== "string") continue;
    const m = /单位\s*[:：]\s*(万元|万|亿元|亿|元)|(?:unit|amounts? in)\s*[:：]?\s*(10k yuan|100m yuan|yuan)/i.exec(c.normalize("NFKC"));
    const unit = m?.[1] ?? m?.[2];
    if (unit) return unitOf(unit);
  }
  return undefined;
}

/** A merged area, 0-based and inclusive, relative to the rows handed over. */
export interface MergeArea {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface HeaderColumn {
  column: number;
  /** The header text as the sheet shows it (rows of a two-row header joined by " / "). */
  header: string;
  field?: string;
  unit?: MoneyUnit;
  /** Set when another column already maps to the same field (this one is not synced). */
  duplicateOf?: number;
}

export interface HeaderDetection {
  /** 0-based rows of the header (one, or two for bilingual / grouped headers). */
  headerRows: number[];
  /** First data row (0-based). */
  dataStart: number;
  /** Every column with a header, in order. */
  columns: HeaderColumn[];
  /** Column → field id (undefined: not synced). */
  mapping: (string | undefined)[];
  /** Money unit per column that states one (header, or a `单位：万元` title row). */
  units: (MoneyUnit | undefined)[];
  /** Fields matched (each counted once), less a little for unrecognised header cells. */
  score: number;
  /** Fields the catalogue needs to save a new item that have no column. */
  missingRequired: string[];
  /** The user chose the header row(s). */
  chosen: boolean;
  /**
   * The sheet's language as its recognised headers are written (zh when most hold Chinese; a
   * zh-above-en header is zh). The mapping keeps it, so values are written the same way whoever syncs.
   */
  lang: "zh" | "en";
}

export interface DetectOptions {
  merges?: readonly MergeArea[];
  /** The user's choice of header row(s), 0-based. */
  headerRows?: readonly number[];
  /** Rows scanned (default 30). */
  maxRows?: number;
}

function text(v: RawCell): string {
  if (isBlank(v)) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
}

/** Merged header cells: the top-left text fills the merge downwards; columns right of it stay empty (one column per field). */
function unmerge(rows: readonly (readonly RawCell[])[], merges: readonly MergeArea[]): string[][] {
  const out = rows.map((r) => r.map(text));
  for (const m of merges) {
    const v = out[m.top]?.[m.left] ?? "";
    for (const row of out.slice(m.top + 1, m.bottom + 1)) {
      if (row[m.left] === "" || row[m.left] === undefined) row[m.left] = v;
    }
  }
  return out;
}

interface Block {
  rows: number[];
  score: number;
  cols: HeaderColumn[];
}

function evaluate(grid: string[][], rows: number[], index: HeaderIndex, width: number): Block {
  const cols: HeaderColumn[] = [];
  const seen = new Map<string, number>();
  let fields = 0;
  let unmatched = 0;
  for (let c = 0; c < width; c++) {
    const texts = rows.map((r) => grid[r]?.[c] ?? "");
    const parts = texts.filter((t, i) => t !== "" && texts.indexOf(t) === i);
    if (parts.length === 0) continue;
    // The lowest row that names a field decides (a group label above it is context only).
    let hit: HeaderMatch | undefined;
    for (let i = texts.length - 1; i >= 0 && !hit; i--) hit = index.match(texts[i]);
    hit ??= parts.length > 1 ? index.match(parts.join(" / ")) : undefined;
    const col: HeaderColumn = { column: c, header: parts.join(" / ") };
    if (hit) {
      const prior = seen.get(hit.field);
      if (prior !== undefined) col.duplicateOf = prior;
      else {
        seen.set(hit.field, c);
        col.field = hit.field;
        if (hit.unit) col.unit = hit.unit;
        fields++;
      }
      // In a two-row header, the other row's text over a matched cell must be a group label or
      // the same field in the other language; a row that contradicts it is data, not header.
      for (const t of texts) {
        const other = t === "" ? undefined : index.match(t);
        if (other && other.field !== hit.field) unmatched++;
      }
    } else unmatched++;
    cols.push(col);
  }
  return { rows, score: fields - 0.25 * unmatched, cols };
}

/**
 * Find the header row of a sheet below any title rows: each row (and each pair of rows, for
 * two-row bilingual or grouped headers) is scored by the distinct catalogue fields it names;
 * the best wins, a pair only when it names more fields than its rows alone or both rows name
 * the same fields (zh above en). `rows` are the first rows of the used range as raw values.
 */
export function detectHeader(rows: readonly (readonly RawCell[])[], fields: readonly FieldDef[], opts: DetectOptions = {}): HeaderDetection {
  const index = new HeaderIndex(fields);
  const chosenEnd = opts.headerRows?.length ? Math.max(...opts.headerRows) + 1 : 0;
  const scanned = rows.slice(0, Math.max(opts.maxRows ?? 30, chosenEnd));
  const grid = unmerge(scanned, (opts.merges ?? []).filter((m) => m.top < scanned.length));
  const width = Math.max(0, ...grid.map((r) => r.length));
  let best: Block | undefined;
  if (opts.headerRows && opts.headerRows.length > 0) {
    best = evaluate(grid, [...opts.headerRows].sort((a, b) => a - b), index, width);
  } else {
    const singles = grid.map((_, r) => evaluate(grid, [r], index, width));
    for (const s of singles) if (s.score > 0 && (!best || s.score > best.score)) best = s;
    for (const [r, upper] of singles.entries()) {
      const lower = singles[r + 1];
      if (!lower) break;
      const pair = evaluate(grid, [r, r + 1], index, width);
      const adds = pair.score > Math.max(upper.score, lower.score) + 1e-9;
      const bilingual = upper.score >= 2 && lower.score >= 2 && sameFields(upper, lower) && pair.score >= Math.max(upper.score, lower.score) - 1e-9;
      if ((adds || bilingual) && (!best || pair.score + (bilingual ? 0.5 : 0) > best.score)) best = { ...pair, score: pair.score + (bilingual ? 0.5 : 0) };
    }
  }
  // A header cell merged down from the row above (or into the row below) makes both rows the header.
  if (best && best.rows.length === 1 && !opts.headerRows?.length) {
    const [r = 0] = best.rows;
    const merges = opts.merges ?? [];
    const rows2: [number, number] | undefined = merges.some((m) => m.top === r - 1 && m.bottom >= r) ? [r - 1, r] : merges.some((m) => m.top === r && m.bottom > r) ? [r, r + 1] : undefined;
    if (rows2 && rows2[0] >= 0 && rows2[1] < grid.length) best = evaluate(grid, rows2, index, width);
  }
  const headerRows = best?.rows ?? [];
  const cols = best?.cols ?? [];
  const mapping: (string | undefined)[] = new Array(width).fill(undefined);
  const units: (MoneyUnit | undefined)[] = new Array(width).fill(undefined);
  const top = headerRows[0] ?? 0;
  const sheetUnit = sheetUnitOf(grid.slice(0, top).flat());
  const byId = new Map(fields.map((d) => [d.id, d]));
  for (const c of cols) {
    if (!c.field) continue;
    mapping[c.column] = c.field;
    if (!c.unit && sheetUnit && byId.get(c.field)?.kind === "money") c.unit = sheetUnit;
    units[c.column] = c.unit;
  }
  const have = new Set(mapping.filter(Boolean));
  return {
    headerRows,
    dataStart: (headerRows.at(-1) ?? -1) + 1,
    columns: cols,
    mapping,
    units,
    score: best ? Math.round(best.score * 100) / 100 : 0,
    missingRequired: fields.filter((d) => d.requiredToSave && !have.has(d.id)).map((d) => d.id),
    chosen: !!opts.headerRows?.length,
    lang: languageOf(cols),
  };
}

function sameFields(a: Block, b: Block): boolean {
  const fa = a.cols.map((c) => c.field).filter(Boolean).sort().join(",");
  const fb = b.cols.map((c) => c.field).filter(Boolean).sort().join(",");
  return fa === fb;
}

const CJK_RE = /[\u3400-\u9fff]/;

function languageOf(cols: readonly HeaderColumn[]): "zh" | "en" {
  const texts = cols.filter((c) => c.field).map((c) => c.header);
  if (texts.length === 0) return "zh";
  const zh = texts.filter((t) => CJK_RE.test(t)).length;
  return zh * 2 >= texts.length ? "zh" : "en";
}
