import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoToExcelSerial } from "../dates.js";
import { CONTACT_ROLES, GRADES, OWNERSHIP_TYPES, PAYMENT_ATTITUDES, SUPPORT_LEVELS, STAGES } from "../labels.js";
import {
  MONEY_FORMAT,
  DATE_FORMAT,
  readBool,
  readCell,
  readDate,
  readEnum,
  readMoney,
  readMonth,
  readNumber,
  readRating,
  resolvePerson,
  writeCell,
  type CellKind,
  type MoneyUnit,
  type RawCell,
} from "./grammar.js";

const FC = { seed: 20261201, numRuns: 300 } as const;
const value = (r: ReturnType<typeof readCell>) => (r.ok ? r.value : { problem: r.problem.reason });

describe("cell grammar: money", () => {
  it.each<[RawCell, MoneyUnit, number]>([
    [1200000, "yuan", 1_200_000],
    ["1,200,000", "yuan", 1_200_000],
    ["¥1,200,000", "yuan", 1_200_000],
    ["￥1,200,000.50", "yuan", 1_200_000.5],
    ["120万", "yuan", 1_200_000],
    ["120万元", "yuan", 1_200_000],
    ["1.2亿", "yuan", 120_000_000],
    ["5亿", "yuan", 500_000_000],
    ["１２０万", "yuan", 1_200_000],
    ["１，２００，０００", "yuan", 1_200_000],
    ["-3,000", "yuan", -3000],
    ["1,200,000元", "wan", 1_200_000],
    [120, "wan", 1_200_000],
    ["120", "wan", 1_200_000],
    [123.456789, "wan", 1_234_567.89],
    ["1.5亿", "wan", 150_000_000],
    [0.012, "yi", 1_200_000],
    [0.005, "yuan", 0.01],
  ])("%j in a %s column is %d yuan", (raw, unit, yuan) => {
    expect(readMoney(raw, unit)).toEqual({ ok: true, value: yuan });
  });

  it.each(["待定", "约100", "100左右", "100多万", "~100", "1,20,000", "100%", "五百万", "TBD", "1/2"])("%j is a problem, not a guess", (raw) => {
    const r = readMoney(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.message.zh).toContain("120万");
      expect(r.problem.message.en).toContain("1.2亿");
    }
  });

  it("vague figures are reported as ambiguous, naming the accepted forms", () => {
    const r = readMoney("约100");
    expect(r.ok ? null : r.problem.reason).toBe("ambiguous");
    expect(readMoney("待定").ok ? null : (readMoney("待定") as { problem: { reason: string } }).problem.reason).toBe("ambiguous");
    expect(readMoney(true).ok).toBe(false);
  });

  it("a figure with ¥ but no unit word in a 万 column is ambiguous; with its unit it is read", () => {
    const r = readMoney("¥1,200,000", "wan");
    expect(r.ok ? null : r.problem.reason).toBe("ambiguous");
    expect(readMoney("¥120万", "wan")).toEqual({ ok: true, value: 1_200_000 });
    expect(readMoney("¥1,200,000元", "wan")).toEqual({ ok: true, value: 1_200_000 });
  });

  it("blank cells are empty, not zero", () => {
    for (const b of [null, undefined, "", "   "]) expect(readMoney(b)).toEqual({ ok: true, value: undefined });
  });
});

describe("cell grammar: numbers (KAM functions read the same)", () => {
  it.each<[RawCell, number]>([
    ["1,234.5", 1234.5],
    ["９５％", 0.95],
    ["115%", 1.15],
    ["1e3", 1000],
    ["120万", 1_200_000],
    ["¥1,000", 1000],
    [-0, 0],
  ])("%j → %d", (raw, n) => expect(readNumber(raw)).toEqual({ ok: true, value: n }));

  it("integers are checked", () => {
    expect(readNumber("12.5", { integer: true }).ok).toBe(false);
    expect(readNumber("12", { integer: true })).toEqual({ ok: true, value: 12 });
  });
});

describe("cell grammar: dates and months", () => {
  it.each<[RawCell, string]>([
    [46086, "2026-03-05"],
    [46086.75, "2026-03-05"],
    ["2026/3/5", "2026-03-05"],
    ["2026-03-05", "2026-03-05"],
    ["2026年3月5日", "2026-03-05"],
    ["2026年3月5号", "2026-03-05"],
    ["2026.3.5", "2026-03-05"],
    ["２０２６－０３－０５", "2026-03-05"],
    ["2026-03-05 14:30", "2026-03-05"],
    [new Date(Date.UTC(2026, 2, 5)), "2026-03-05"],
  ])("%j is %s", (raw, iso) => expect(readDate(raw)).toEqual({ ok: true, value: iso }));

  it.each(["3/5/2026", "05.03.2026", "46086", "2026-02-30", "下周", "2026年3月"])("%j is not read as a date", (raw) => {
    expect(readDate(raw).ok).toBe(false);
  });

  it("a day-first or month-first date is ambiguous", () => {
    const r = readDate("3/5/2026");
    expect(r.ok ? null : r.problem.reason).toBe("ambiguous");
  });

  it.each<[RawCell, string]>([
    ["2026年4月", "2026-04"],
    ["2026-04", "2026-04"],
    ["2026/4", "2026-04"],
    ["2026-04-17", "2026-04"],
    [isoToExcelSerial("2026-04-17"), "2026-04"],
  ])("month %j is %s", (raw, m) => expect(readMonth(raw)).toEqual({ ok: true, value: m }));

  it("month 13 is not a month", () => expect(readMonth("2026-13").ok).toBe(false));
});

describe("cell grammar: booleans, enums, ratings, people", () => {
  it.each<[RawCell, boolean]>([
    ["是", true], ["否", false], ["√", true], ["×", false], ["Y", true], ["n", false],
    ["TRUE", true], ["false", false], [true, true], [0, false], ["有", true], ["无", false], ["Yes", true], ["No", false],
  ])("%j → %s", (raw, b) => expect(readBool(raw)).toEqual({ ok: true, value: b }));

  it.each(["x", "X", "-", "—", "○"])("%j is ambiguous", (raw) => {
    const r = readBool(raw);
    expect(r.ok ? null : r.problem.reason).toBe("ambiguous");
  });

  it("enum synonyms and the sheet's own value map", () => {
    expect(readEnum("央企", OWNERSHIP_TYPES)).toEqual({ ok: true, value: "stateOwned" });
    expect(readEnum("国有企业", OWNERSHIP_TYPES)).toEqual({ ok: true, value: "stateOwned" });
    expect(readEnum("上市公司", OWNERSHIP_TYPES)).toEqual({ ok: true, value: "jointStock" });
    expect(readEnum("决策人", CONTACT_ROLES)).toEqual({ ok: true, value: "decider" });
    const unknown = readEnum("乡镇企业", OWNERSHIP_TYPES);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.problem.message.zh).toContain("国企、民营、外资、合资、股份、事业单位");
    expect(readEnum("乡镇企业", OWNERSHIP_TYPES, { 乡镇企业: "private" })).toEqual({ ok: true, value: "private" });
    expect(readEnum("乡镇企业", OWNERSHIP_TYPES, { 乡镇企业: "nope" }).ok).toBe(false);
  });

  it("ratings: 1–5 or the scale's words", () => {
    expect(readRating("支持", SUPPORT_LEVELS)).toEqual({ ok: true, value: 4 });
    expect(readRating("中立", SUPPORT_LEVELS)).toEqual({ ok: true, value: 3 });
    expect(readRating("反对", SUPPORT_LEVELS)).toEqual({ ok: true, value: 2 });
    expect(readRating(5, SUPPORT_LEVELS)).toEqual({ ok: true, value: 5 });
    expect(readRating("４", SUPPORT_LEVELS)).toEqual({ ok: true, value: 4 });
    expect(readRating(6, SUPPORT_LEVELS).ok).toBe(false);
    expect(readRating(3.5, SUPPORT_LEVELS).ok).toBe(false);
    expect(readRating("高", SUPPORT_LEVELS).ok).toBe(false);
  });

  it("people resolve by id or unique name; an owner must be a manager", () => {
    const dir = [
      { id: "m-li", name: "李明", roles: ["manager"] },
      { id: "m-wang", name: "王芳", roles: ["manager"] },
      { id: "m-wang2", name: "王芳", roles: ["manager"] },
      { id: "d-zhao", name: "赵总", roles: ["director"] },
    ];
    expect(resolvePerson("李明", dir, { mustBeManager: true })).toEqual({ ok: true, value: "m-li" });
    expect(resolvePerson("m-li", dir, { mustBeManager: true })).toEqual({ ok: true, value: "m-li" });
    expect(value(resolvePerson("王芳", dir))).toEqual({ problem: "ambiguousPerson" });
    expect(value(resolvePerson("张三", dir))).toEqual({ problem: "unknownPerson" });
    expect(value(resolvePerson("赵总", dir, { mustBeManager: true }))).toEqual({ problem: "notManager" });
    expect(resolvePerson("赵总", dir)).toEqual({ ok: true, value: "d-zhao" });
  });
});

describe("cell grammar: writing Excel-native cells", () => {
  it("dates as serials with a date format; money with separators in the column unit; booleans and labels by language", () => {
    expect(writeCell("date", "2026-03-05", { lang: "zh" })).toEqual({ value: 46086, numberFormat: DATE_FORMAT });
    expect(writeCell("money", 1_200_000, { lang: "zh", unit: "wan" })).toEqual({ value: 120, numberFormat: MONEY_FORMAT });
    expect(writeCell("bool", true, { lang: "zh" }).value).toBe("是");
    expect(writeCell("bool", false, { lang: "en" }).value).toBe("No");
    expect(writeCell("enum", "stateOwned", { lang: "zh", enum: OWNERSHIP_TYPES }).value).toBe("国企");
    expect(writeCell("person", "m-li", { lang: "zh", nameOf: (id) => (id === "m-li" ? "李明" : undefined) }).value).toBe("李明");
    expect(writeCell("text", null, { lang: "zh" })).toEqual({ value: null });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const isoDate = fc
  .integer({ min: isoToExcelSerial("1900-03-01"), max: isoToExcelSerial("9999-12-31") })
  .map((serial) => new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10));
const fenAmount = fc.integer({ min: -99_999_999_999_99, max: 99_999_999_999_99 });
const lang = fc.constantFrom<"zh" | "en">("zh", "en");
const unit = fc.constantFrom<MoneyUnit>("yuan", "wan", "yi");
const enums = [OWNERSHIP_TYPES, PAYMENT_ATTITUDES, GRADES, STAGES, CONTACT_ROLES];

/** A value of each kind and the options to read and write it. */
const kindValue: fc.Arbitrary<{ kind: CellKind; value: unknown; unit?: MoneyUnit; e?: (typeof enums)[number] | typeof SUPPORT_LEVELS }> = fc.oneof(
  fc.record({ kind: fc.constant<CellKind>("money"), value: fenAmount.map((f) => f / 100), unit }),
  fc.record({ kind: fc.constant<CellKind>("date"), value: isoDate }),
  fc.record({ kind: fc.constant<CellKind>("month"), value: isoDate.map((d) => d.slice(0, 7)) }),
  fc.record({ kind: fc.constant<CellKind>("bool"), value: fc.boolean() }),
  fc.record({ kind: fc.constant<CellKind>("int"), value: fc.integer({ min: -1e9, max: 1e9 }) }),
  fc.record({ kind: fc.constant<CellKind>("number"), value: fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)) }),
  fc.record({ kind: fc.constant<CellKind>("rating"), value: fc.integer({ min: 1, max: 5 }), e: fc.constant(SUPPORT_LEVELS) }),
  fc.constantFrom(...enums).chain((e) => fc.record({ kind: fc.constant<CellKind>("enum"), value: fc.constantFrom(...e.ids), e: fc.constant(e) })),
  fc.record({ kind: fc.constantFrom<CellKind>("text", "id", "person"), value: fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.trim()).filter((s) => s !== "") }),
  fc.record({
    kind: fc.constant<CellKind>("instalments"),
    value: fc.array(fc.record({ dueDate: isoDate, amountYuan: fc.integer({ min: 1, max: 1e10 }).map((f) => f / 100) }), { minLength: 1, maxLength: 4 }).map((l) => l.map((x, i) => ({ id: `i${i + 1}`, ...x }))),
  }),
);

describe("cell grammar properties", () => {
  it("write → read returns the value, for every kind and both languages", () => {
    fc.assert(
      fc.property(kindValue, lang, ({ kind, value, unit, e }, l) => {
        const w = writeCell(kind, value, { lang: l, unit, enum: e });
        const r = readCell(kind, w.value, { unit, enum: e });
        expect(r).toEqual({ ok: true, value });
      }),
      FC,
    );
  });

  it("money typed in any accepted text form reads as the same yuan", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), fc.constantFrom("plain", "commas", "yen", "wan", "yi", "fullwidth"), (yuan, form) => {
        const commas = yuan.toLocaleString("en-US");
        const text =
          form === "plain" ? String(yuan)
          : form === "commas" ? commas
          : form === "yen" ? `¥${commas}`
          : form === "wan" ? `${yuan / 10_000}万`
          : form === "yi" ? `${yuan / 100_000_000}亿元`
          : String(yuan).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
        expect(readMoney(text)).toEqual({ ok: true, value: yuan });
      }),
      FC,
    );
  });

  it("dates typed in any accepted text form read as the same date", () => {
    fc.assert(
      fc.property(isoDate, fc.constantFrom("-", "/", ".", "年"), (iso, sep) => {
        const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
        const text = sep === "年" ? `${y}年${m}月${d}日` : `${y}${sep}${m}${sep}${d}`;
        expect(readDate(text)).toEqual({ ok: true, value: iso });
        expect(readMonth(sep === "年" ? `${y}年${m}月` : `${y}${sep === "." ? "." : "-"}${String(m).padStart(2, "0")}`)).toEqual({ ok: true, value: iso.slice(0, 7) });
      }),
      FC,
    );
  });

  it("never yields NaN or Infinity, whatever the cell", () => {
    const raw: fc.Arbitrary<RawCell> = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[\d,.万亿元¥%e+-]{1,12}$/),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const kinds: CellKind[] = ["money", "int", "number", "date", "month", "bool", "rating", "text", "instalments"];
    fc.assert(
      fc.property(raw, fc.constantFrom(...kinds), unit, (v, kind, u) => {
        const r = readCell(kind, v, { unit: u, enum: SUPPORT_LEVELS });
        if (r.ok && typeof r.value === "number") expect(Number.isFinite(r.value)).toBe(true);
        if (!r.ok) expect(r.problem.message.zh.length * r.problem.message.en.length).toBeGreaterThan(0);
      }),
      FC,
    );
  });

  it("vague or ambiguous cells never parse", () => {
    const vague = fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom("约{n}", "{n}左右", "{n}多", "大约{n}万", "~{n}", "{n}以上", "≈{n}", "{n}?")).map(([n, t]) => t.replace("{n}", String(n)));
    const words = fc.constantFrom("待定", "未定", "不详", "TBD", "N/A", "x", "X", "-");
    fc.assert(
      fc.property(fc.oneof(vague, words), fc.constantFrom<CellKind>("money", "number", "int", "bool", "rating", "date", "month"), (v, kind) => {
        expect(readCell(kind, v, { enum: SUPPORT_LEVELS }).ok).toBe(false);
      }),
      FC,
    );
  });
});
