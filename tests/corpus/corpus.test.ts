import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOGUE, readTable } from "../../shared/src/index.js";
import { CORPUS, CORPUS_DIRECTORY, writeCorpus } from "./make.js";
import { readSheet, type SheetRead } from "./read.js";

/** Each corpus workbook is written as a real .xlsx, read back, and read the one way (header, totals, grammar). */
describe("messy workbooks corpus", () => {
  let dir: string;
  const sheets = new Map<string, SheetRead>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kam-corpus-"));
    const paths = await writeCorpus(dir);
    for (const [i, p] of paths.entries()) sheets.set(CORPUS[i]!.name, await readSheet(p, CORPUS[i]!.sheet));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("has at least 12 books covering the layouts people keep", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(CORPUS.map((b) => b.name)).size).toBe(CORPUS.length);
  });

  describe.each(CORPUS.map((b) => [b.name, b] as const))("%s", (_name, book) => {
    const read = () => {
      const s = sheets.get(book.name)!;
      return { s, t: readTable(s.rows, CATALOGUE[book.entity].fields, { merges: s.merges, directory: CORPUS_DIRECTORY }) };
    };

    it("finds the header rows, the mapping with each header's text, the units and what is missing", () => {
      const { t } = read();
      const e = book.expect;
      expect(t.header.headerRows.map((r) => r + 1)).toEqual(e.headerRows);
      expect(t.header.dataStart + 1).toBe(e.dataStart);
      expect(Object.fromEntries(t.header.columns.filter((c) => c.field).map((c) => [c.header, c.field]))).toEqual(e.columns);
      const units = Object.fromEntries(t.header.columns.filter((c) => c.field && c.unit).map((c) => [c.field, c.unit]));
      expect(units).toEqual(e.units);
      expect(t.header.missingRequired).toEqual(e.missingRequired);
      expect(t.header.lang).toBe(e.lang);
    });

    it("skips blank and totals rows with their reason, and keeps hidden rows as records", () => {
      const { s, t } = read();
      expect(t.skipped.map((x) => ({ row: x.row + 1, reason: x.reason }))).toEqual(book.expect.skipped);
      expect(s.hiddenRows).toEqual(book.expect.hidden);
      const recordRows = new Set(t.records.map((r) => r.row + 1));
      for (const h of book.expect.hidden) expect(recordRows.has(h)).toBe(true);
    });

    it("reads every cell by the grammar: parsed values and per-cell problems", () => {
      const { t } = read();
      expect(t.records.map((r) => ({ row: r.row + 1, fields: r.fields }))).toEqual(book.expect.records);
      const problems = t.records.flatMap((r) => r.problems.map((p) => ({ row: p.row + 1, field: p.field, reason: p.reason })));
      expect(problems).toEqual(book.expect.problems);
      for (const p of t.records.flatMap((r) => r.problems)) {
        expect(p.message.zh.length).toBeGreaterThan(0);
        expect(p.message.en.length).toBeGreaterThan(0);
      }
    });

    it("finds the same header when the user picks it, and another pick maps differently", () => {
      const { s, t } = read();
      const chosen = readTable(s.rows, CATALOGUE[book.entity].fields, { merges: s.merges, headerRows: t.header.headerRows });
      expect(chosen.header.mapping).toEqual(t.header.mapping);
      expect(chosen.header.chosen).toBe(true);
      const wrong = readTable(s.rows, CATALOGUE[book.entity].fields, { headerRows: [t.header.dataStart] });
      expect(wrong.header.mapping).not.toEqual(t.header.mapping);
    });
  });
});
