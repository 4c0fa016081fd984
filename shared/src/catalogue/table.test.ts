import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CATALOGUE, type FieldDef } from "./fields.js";
import { writeCell, type DirectoryUser, type MoneyUnit, type RawCell } from "./grammar.js";
import { readTable } from "./table.js";

const FC = { seed: 4242, numRuns: 150 } as const;

const DIRECTORY: DirectoryUser[] = [
  { id: "m-li", name: "李明", roles: ["manager"] },
  { id: "m-wang", name: "王芳", roles: ["manager"] },
  { id: "m-smith", name: "Ann Smith", roles: ["manager"] },
];
const nameOf = (id: string) => DIRECTORY.find((u) => u.id === id)?.name;

const NAMES = ["华东电力集团", "申江物流", "Acme Steel", "北方钢铁", "Pearl Textiles", "远航外贸", "秦岭药业"];
const TEXTS = ["北京市朝阳区", "021-5555", "钢铁", "能源", "软件开发", "Shanghai", "见附件"];
const TITLES: RawCell[][] = [["2026年大客户档案"], ["制表：李明", null, "日期：2026-03-01"], [], ["Key accounts 2026"], ["说明：请勿修改编号列"]];

/** A random value of one account field, as the store holds it. */
function valueOf(d: FieldDef): fc.Arbitrary<unknown> {
  switch (d.kind) {
    case "id":
      return fc.integer({ min: 1, max: 99_999 }).map((n) => `acc-${n}`);
    case "person":
      return fc.constantFrom(...DIRECTORY.map((u) => u.id));
    case "money":
      return fc.integer({ min: 0, max: 1e13 }).map((fen) => fen / 100);
    case "int":
      return fc.integer({ min: 1900, max: 2026 });
    case "percent":
      return fc.integer({ min: 0, max: 20 }).map((n) => n / 20);
    case "bool":
      return fc.boolean();
    case "date":
      return fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case "enum":
      return fc.constantFrom(...d.enum!.entries.map((e) => e.id));
    default:
      return d.id === "name" ? fc.constantFrom(...NAMES) : fc.constantFrom(...TEXTS);
  }
}

const accountFields = CATALOGUE.accounts.fields;
const header = (d: FieldDef, lang: "zh" | "en", unit: MoneyUnit | undefined) => {
  const base = d.label[lang];
  if (!unit || d.kind !== "money") return base;
  return lang === "zh" ? `${base}(${unit === "wan" ? "万元" : unit === "yi" ? "亿元" : "元"})` : `${base} (${unit === "wan" ? "10k yuan" : unit === "yi" ? "100m yuan" : "yuan"})`;
};

describe("readTable over sheets the writer made", () => {
  it("any columns, title rows, language (or a zh row above an en row) and money unit: the header is found and every written value reads back", () => {
    const others = accountFields.filter((d) => d.id !== "id" && d.id !== "name");
    const sheet = fc.record({
      picked: fc.shuffledSubarray(others, { minLength: 2, maxLength: 8 }),
      titles: fc.array(fc.constantFrom(...TITLES), { maxLength: 4 }),
      lang: fc.constantFrom<"zh" | "en">("zh", "en"),
      unit: fc.constantFrom<MoneyUnit | undefined>(undefined, "yuan", "wan", "yi"),
      n: fc.integer({ min: 1, max: 6 }),
      bilingual: fc.boolean(),
    });
    fc.assert(
      fc.property(
        sheet.chain((s) => {
          const fields = [accountFields[0]!, accountFields[1]!, ...s.picked];
          return fc.record({ s: fc.constant(s), fields: fc.constant(fields), rows: fc.array(fc.tuple(...fields.map(valueOf)), { minLength: s.n, maxLength: s.n }) });
        }),
        ({ s, fields, rows }) => {
          const sheetRows: RawCell[][] = [
            ...s.titles,
            fields.map((d) => header(d, s.bilingual ? "zh" : s.lang, s.unit)),
            ...(s.bilingual ? [fields.map((d) => header(d, "en", s.unit))] : []),
            ...rows.map((values) => values.map((v, i) => writeCell(fields[i]!.kind, v, { lang: s.lang, unit: s.unit, enum: fields[i]!.enum, nameOf }).value as RawCell)),
          ];
          const t = readTable(sheetRows, accountFields, { directory: DIRECTORY });
          expect(t.header.headerRows).toEqual(s.bilingual ? [s.titles.length, s.titles.length + 1] : [s.titles.length]);
          expect(t.header.mapping).toEqual(fields.map((d) => d.id));
          expect(t.header.lang).toBe(s.bilingual ? "zh" : s.lang);
          expect(t.skipped).toEqual([]);
          expect(t.records.map((r) => r.problems)).toEqual(rows.map(() => []));
          expect(t.records.map((r) => r.fields)).toEqual(rows.map((values) => Object.fromEntries(values.map((v, i) => [fields[i]!.id, v]))));
        },
      ),
      FC,
    );
  });
});
