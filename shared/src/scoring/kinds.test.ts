import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileModel, evaluateColumns, evaluateModel, evaluateRows, resolveHeaders } from "./evaluate.js";
import { KINDS } from "./kinds.js";
import { parseScoringModel, type ScoringItemKind, type ScoringModel, type ScoringModelInput } from "./model.js";

/**
 * For every item kind: on random (valid) models and random rows — numbers, numeric text, choice
 * names, months, empty cells, out-of-range and 3-decimal values — the fast path (columns as
 * plain arrays, as typed Float64Arrays, and 2-D rows) gives each row the exact path's total.
 */

type InputJson = ScoringModelInput["inputs"][number];
type ItemJson = ScoringModelInput["items"][number];
/** An item with the inputs it reads, and a cell generator per input. */
interface Piece {
  inputs: InputJson[];
  item: ItemJson;
  cells: Record<string, fc.Arbitrary<unknown>>;
}

const halves = (lo: number, hi: number) => fc.integer({ min: lo * 2, max: hi * 2 }).map((x) => x / 2);
const hundredths = (lo: number, hi: number) => fc.integer({ min: Math.round(lo * 100), max: Math.round(hi * 100) }).map((x) => x / 100);
const empty = fc.constantFrom(undefined, "", null);

/** Cells of a plain number input: in range, fractional, 3 decimals, negative, text, empty. */
const numberCell = (max: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max }) },
    fc.integer({ min: 0, max: max * 2 }).map((x) => x / 2),
    fc.integer({ min: 0, max: max * 1000 }).map((x) => x / 1000),
    fc.integer({ min: 0, max }).map(String),
    fc.constantFrom(-1, "abc", 1e17, true),
    empty,
  );
const yuanCell = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2_000_000_000 }).map((fen) => fen / 100) },
  fc.integer({ min: 0, max: 2_000_000 }).map((x) => x / 1000),
  fc.integer({ min: 0, max: 2_000_000 }).map((x) => x.toLocaleString("en-US")),
  fc.constantFrom(-5, 0, "1,200.5", "12万", 1e15, "x"),
  empty,
);
const monthCell = fc.constantFrom("2026-02", "2026-01", "2026-Q1", "2026-H2", "2026", "2025-12", "", undefined, "2026-13", 7);
const label = (k: string) => ({ zh: `${k}中`, en: `${k} en` });

const itemBase = (key: string) =>
  fc.record({ points: fc.integer({ min: 0, max: 30 }), floorShare: fc.constantFrom(0, 0, 0.5), capExtra: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }) }).map(({ points, floorShare, capExtra }) => ({
    key,
    group: "g",
    label: label(key),
    points,
    floor: Math.floor(points * floorShare),
    ...(capExtra === undefined ? {} : { cap: points + capExtra }),
  }));

const stepPercent = fc.integer({ min: 1, max: 2500 }).map((x) => x / 100);

const PIECES: { [K in ScoringItemKind]: (p: string) => fc.Arbitrary<Piece> } = {
  ratioSteps: (p) =>
    fc
      .record({
        base: itemBase(`${p}item`),
        form: fc.constantFrom("yuan", "count", "points", "rate"),
        targetPercent: fc.integer({ min: 5000, max: 15000 }).map((x) => x / 100),
        betterWhen: fc.constantFrom("higher", "lower"),
        up: fc.record({ stepPercent, points: halves(0, 3) }),
        down: fc.record({ stepPercent, points: halves(0, 3) }),
      })
      .map(({ base, form, targetPercent, betterWhen, up, down }) => {
        const n = `${p}n`, d = `${p}d`, r = `${p}r`;
        if (form === "rate") {
          return {
            inputs: [{ key: r, labels: label(r), kind: "number", unit: "ratio" }],
            item: { ...base, kind: "ratioSteps", params: { rate: r, targetPercent, betterWhen, up, down } },
            cells: { [r]: fc.oneof(hundredths(0, 2), fc.integer({ min: 0, max: 20000 }).map((x) => `${x / 100}%`), fc.constantFrom(0.9499, "95%", "abc", -0.1), empty) },
          } as Piece;
        }
        const unit = form as "yuan" | "count" | "points";
        const cell = unit === "yuan" ? yuanCell : numberCell(unit === "count" ? 40 : 200);
        return {
          inputs: [
            { key: n, labels: label(n), kind: "number", unit },
            { key: d, labels: label(d), kind: "number", unit },
          ],
          item: { ...base, kind: "ratioSteps", params: { numerator: n, denominator: d, targetPercent, betterWhen, up, down } },
          cells: { [n]: cell, [d]: cell },
        } as Piece;
      }),

  growthSteps: (p) =>
    fc
      .record({ base: itemBase(`${p}item`), stepYuan: fc.constantFrom(100_000, 50_000, 0.5, 1234.56), pointsPerStep: halves(0, 2), pointsPerStepDown: halves(0, 2) })
      .map(({ base, ...q }) => ({
        inputs: [
          { key: `${p}cur`, labels: label(`${p}cur`), kind: "number", unit: "yuan" },
          { key: `${p}prev`, labels: label(`${p}prev`), kind: "number", unit: "yuan" },
        ],
        item: { ...base, kind: "growthSteps", params: { current: `${p}cur`, previous: `${p}prev`, ...q } },
        cells: { [`${p}cur`]: yuanCell, [`${p}prev`]: yuanCell },
      }) as Piece),

  countVsPlan: (p) =>
    fc
      .record({
        base: itemBase(`${p}item`),
        up: fc.record({ per: fc.integer({ min: 1, max: 3 }), points: halves(0, 2) }),
        down: fc.record({ per: fc.integer({ min: 1, max: 3 }), points: halves(0, 2) }),
        planDefault: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      })
      .map(({ base, up, down, planDefault }) => ({
        inputs: [
          { key: `${p}act`, labels: label(`${p}act`), kind: "number", unit: "count" },
          { key: `${p}plan`, labels: label(`${p}plan`), kind: "number", unit: "count", ...(planDefault === undefined ? {} : { defaultValue: planDefault }) },
        ],
        item: { ...base, kind: "countVsPlan", params: { actual: `${p}act`, plan: `${p}plan`, up, down } },
        cells: { [`${p}act`]: numberCell(20), [`${p}plan`]: numberCell(20) },
      }) as Piece),

  rating: (p) =>
    fc
      .record({ base: itemBase(`${p}item`), max: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }), inputMax: fc.option(fc.integer({ min: 5, max: 15 }), { nil: undefined }) })
      .map(({ base, max, inputMax }) => ({
        inputs: [{ key: `${p}in`, labels: label(`${p}in`), kind: "number", unit: "points", ...(inputMax === undefined ? {} : { max: inputMax }) }],
        item: { ...base, kind: "rating", params: { input: `${p}in`, ...(max === undefined ? {} : { max }) } },
        cells: { [`${p}in`]: numberCell(15) },
      }) as Piece),

  levelChoice: (p) =>
    fc
      .record({
        base: itemBase(`${p}item`),
        levels: fc.array(fc.oneof(halves(0, 8).map((points) => ({ points })), fc.tuple(halves(0, 4), halves(0, 4)).map(([a, b]) => ({ range: [Math.min(a, b), Math.max(a, b)] as [number, number] }))), { minLength: 1, maxLength: 4 }),
      })
      .map(({ base, levels }) => {
        const ls = levels.map((l, j) => ({ id: `L${j}`, names: { zh: `等级${j}`, en: `level${j}` }, synonyms: [`lv${j}`], ...l }));
        const names = ls.flatMap((l) => [l.id, l.names.zh, l.names.en, ...l.synonyms, ` ${l.names.en.toUpperCase()} `]);
        return {
          inputs: [{ key: `${p}lv`, labels: label(`${p}lv`), kind: "level" }],
          item: { ...base, kind: "levelChoice", params: { input: `${p}lv`, levels: ls } },
          cells: {
            [`${p}lv`]: fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(...names) },
              { weight: 6, arbitrary: fc.constantFrom(...ls.map((l) => ("points" in l ? l.points! : l.range![1]))) },
              halves(0, 9),
              fc.constantFrom("none", [["level0"]], -1),
              empty,
            ),
          },
        } as Piece;
      }),

  checklist: (p) =>
    fc.record({ base: itemBase(`${p}item`), pts: fc.array(halves(0.5, 4), { minLength: 1, maxLength: 5 }) }).map(({ base, pts }) => {
      const criteria = pts.map((points, j) => ({ id: `C${j}`, names: { zh: `标准${j}`, en: `crit${j}` }, synonyms: [], points }));
      const names = criteria.flatMap((c) => [c.id, c.names.zh, c.names.en]);
      return {
        inputs: [{ key: `${p}ck`, labels: label(`${p}ck`), kind: "level" }],
        item: { ...base, kind: "checklist", params: { input: `${p}ck`, criteria } },
        cells: {
          [`${p}ck`]: fc.oneof(
            fc.subarray(names, { minLength: 1 }).map((xs) => xs.join("、")),
            { weight: 8, arbitrary: fc.subarray(pts).map((xs) => xs.reduce((a, b) => a + b, 0)) },
            halves(0, 12),
            fc.constantFrom("nope", 0.333, -1),
            empty,
          ),
        },
      } as Piece;
    }),

  eventDeductions: (p) =>
    fc
      .record({
        base: itemBase(`${p}item`),
        rules: fc.array(
          fc.record({
            perEvent: fc.option(halves(0, 3), { nil: undefined }),
            bands: fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), halves(0, 3)), { minLength: 1, maxLength: 3 }),
            scaleWithMonths: fc.boolean(),
            unit: fc.constantFrom("count", "days"),
            withDefault: fc.boolean(),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      })
      .map(({ base, rules }) => {
        const inputs: InputJson[] = [];
        const cells: Record<string, fc.Arbitrary<unknown>> = {};
        const period = `${p}per`;
        const ruleJson = rules.map((r, j) => {
          const key = `${p}ev${j}`;
          inputs.push({ key, labels: label(key), kind: "number", unit: r.unit as "count" | "days", ...(r.withDefault ? { defaultValue: 0 } : {}) });
          cells[key] = numberCell(15);
          if (r.perEvent !== undefined) return { input: key, perEvent: r.perEvent };
          let over = -1;
          const bands = r.bands.map(([gap, deduct]) => ({ moreThan: (over += gap + 1), deduct }));
          return { input: key, bands, scaleWithMonths: r.scaleWithMonths };
        });
        const scaled = ruleJson.some((r) => "scaleWithMonths" in r && r.scaleWithMonths);
        if (scaled) {
          inputs.push({ key: period, labels: label(period), kind: "month" });
          cells[period] = monthCell;
        }
        return { inputs, item: { ...base, kind: "eventDeductions", params: { rules: ruleJson, ...(scaled ? { period } : {}) } }, cells } as Piece;
      }),

  attendance: (p) =>
    fc.record({ base: itemBase(`${p}item`), offDaysPerMonth: fc.integer({ min: 0, max: 8 }), pointsPerDay: halves(0.5, 2) }).map(({ base, ...q }) => ({
      inputs: [
        { key: `${p}abs`, labels: label(`${p}abs`), kind: "number", unit: "days" },
        { key: `${p}att`, labels: label(`${p}att`), kind: "number", unit: "days" },
        { key: `${p}mon`, labels: label(`${p}mon`), kind: "month" },
      ],
      item: { ...base, kind: "attendance", params: { absence: `${p}abs`, attended: `${p}att`, period: `${p}mon`, ...q } },
      cells: { [`${p}abs`]: fc.oneof(numberCell(10), empty, empty), [`${p}att`]: numberCell(100), [`${p}mon`]: monthCell },
    }) as Piece),
};

/** A valid model of 1–3 items of `kind` (each on its own inputs), with an arbitrary of its rows. */
function modelOf(kind: ScoringItemKind) {
  return fc.array(fc.constant(null), { minLength: 1, maxLength: 3 }).chain((xs) =>
    fc.tuple(...xs.map((_, j) => PIECES[kind](`k${j}`))).map((pieces) => {
      const json: ScoringModelInput = { id: "random", name: { zh: "随机", en: "random" }, version: 1, inputs: pieces.flatMap((x) => x.inputs), items: pieces.map((x) => x.item) };
      const parsed = parseScoringModel(json);
      if (!parsed.ok) throw new Error(`generated an invalid model: ${parsed.error.message.en}`);
      const cells = Object.assign({}, ...pieces.map((x) => x.cells)) as Record<string, fc.Arbitrary<unknown>>;
      return { model: parsed.value, row: fc.record(cells, { requiredKeys: [] }) };
    }),
  );
}

/** Checks every fast entry point against the exact path; returns how many rows the fast path decided itself. */
function expectPathsAgree(model: ScoringModel, rows: Record<string, unknown>[], period: string | undefined): number {
  const c = compileModel(model);
  const exact = rows.map((row) => evaluateModel(model, row, { period }).total);
  const want = exact.map((t) => (t.ok ? t.value : NaN));
  const wantErrors = exact.flatMap((t, i) => (t.ok ? [] : [i]));
  // Columns as plain arrays.
  const plain = Object.fromEntries(c.inputKeys.map((k) => [k, rows.map((r) => r[k])]));
  const a = evaluateColumns(c, plain, { period, rowCount: rows.length });
  expect(Array.from(a.totals)).toEqual(want);
  expect(a.errorRows).toEqual(wantErrors);
  // Columns of numbers only as typed arrays (read in place by the fast path).
  const typed = Object.fromEntries(
    c.inputKeys.map((k) => {
      const col = rows.map((r) => r[k]);
      const numeric = col.every((v) => typeof v === "number") && c.inputByKey.get(k)!.kind !== "month";
      return [k, numeric ? Float64Array.from(col as number[]) : col];
    }),
  );
  expect(Array.from(evaluateColumns(c, typed, { period, rowCount: rows.length }).totals)).toEqual(want);
  // A 2-D range under a header row.
  const headers = resolveHeaders(c, c.inputKeys);
  if (!headers.ok) throw new Error("headers");
  const r = evaluateRows(c, headers.value, rows.map((row) => c.inputKeys.map((k) => row[k])), { period });
  expect(Array.from(r.totals)).toEqual(want);
  // The same model compiled where code generation is refused (a CSP without 'unsafe-eval').
  const noEval = withoutCodeGeneration(() => compileModel({ ...model }));
  expect(Array.from(evaluateColumns(noEval, typed, { period, rowCount: rows.length }).totals)).toEqual(want);
  return a.rowCount - a.exactPathRows;
}

/** Runs `f` while `new Function` throws, as under a Content-Security-Policy without 'unsafe-eval'. */
function withoutCodeGeneration<T>(f: () => T): T {
  const original = globalThis.Function;
  let calls = 0;
  globalThis.Function = function refused() {
    calls++;
    throw new EvalError("code generation from strings disallowed for this context");
  } as unknown as FunctionConstructor;
  try {
    return f();
  } finally {
    globalThis.Function = original;
    expect(calls).toBeGreaterThan(0);
  }
}

describe("every item kind: the fast path gives the exact path's totals (fast-check)", () => {
  it("the test covers every kind the engine defines", () => {
    expect(Object.keys(PIECES).sort()).toEqual(Object.keys(KINDS).sort());
  });

  for (const kind of Object.keys(PIECES) as ScoringItemKind[]) {
    it(kind, () => {
      let rows = 0;
      let fastRows = 0;
      fc.assert(
        fc.property(
          modelOf(kind).chain(({ model, row }) => fc.tuple(fc.constant(model), fc.array(row, { minLength: 1, maxLength: 12 }))),
          fc.constantFrom(undefined, "2026-Q2", "2026-03", "nonsense"),
          ([model, rs], period) => {
            rows += rs.length;
            fastRows += expectPathsAgree(model, rs, period);
          },
        ),
        { numRuns: 80, seed: 0x5c0e + kind.length },
      );
      // The fast path itself decided a good share of the rows (not everything fell back to the exact path).
      expect(fastRows / rows).toBeGreaterThan(0.1);
    });
  }
});
