/**
 * The functions through the CustomFunctions contract: functions.json from the
 * signature table agrees with custom-functions-metadata run over the table written as JSDoc,
 * every id associated, errors as CustomFunctions.Error
 * with the right codes, and a property test of 10,000 random Excel-shaped calls per function.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { FUNCTION_IDS, PURE_FUNCTION_IDS } from "../../shared/src/excel/eval.js";
import { langIndexOf, type FunctionId } from "../../shared/src/excel/signatures.js";
import { generateMetadata, type GeneratedMetadata } from "../../scripts/build-addin.js";
import { functionsMetadata, metadataDifferences } from "../../scripts/functions-metadata.js";
import { associated, installCustomFunctionsStub, setDisplayLanguage, StubCustomFunctionsError, thrownCustomFunctionsError } from "./cf-stub.js";

installCustomFunctionsStub("zh-CN");
const { CUSTOM_FUNCTIONS, registerFunctions } = await import("../../addin/src/functions/register.js");
const { SIGN_IN_MESSAGE } = await import("../../addin/src/functions/batcher.js");

let meta: GeneratedMetadata;
beforeAll(async () => {
  meta = await generateMetadata();
});

const H = ["实际完成销售额", "计划完成销售额", "上季销售额", "新开发客户数", "计划开发新客户数", "市场信息收集", "团队协作", "专业知识", "分析判断能力", "沟通能力", "缺勤天数", "责任感"];
const ROW = [1_150_000, 1_000_000, 950_000, 3, 2, 8, 9, 10, "强", 6, 0, 5];

const thrown = thrownCustomFunctionsError;

describe("functions.json ↔ CustomFunctions.associate", () => {
  it("metadata is generated without errors and lists exactly the KAM function ids", () => {
    expect(meta.metadata.functions.map((f) => f.id).sort()).toEqual([...FUNCTION_IDS].sort());
    // dotted id written as `@customfunction SCORE.ITEMS`
    expect(meta.metadata.functions.find((f) => f.id === "SCORE.ITEMS")?.name).toBe("SCORE.ITEMS");
  });

  it("every function of the metadata is associated under its id, taking its declared parameters", () => {
    associated.clear();
    const ids = registerFunctions();
    expect(ids.sort()).toEqual(meta.metadata.functions.map((f) => f.id).sort());
    for (const a of meta.associate) {
      expect(associated.get(a.id), a.id).toBe(CUSTOM_FUNCTIONS[a.id as keyof typeof CUSTOM_FUNCTIONS]);
      expect(associated.get(a.id)!.length, a.id).toBe(meta.metadata.functions.find((f) => f.id === a.id)!.parameters.length);
    }
  });

  it("the build's functions.json equals custom-functions-metadata's, and the check names a function that differs", () => {
    const table = functionsMetadata("en");
    expect(metadataDifferences(meta.metadata, table)).toEqual([]);
    // A table the generator would read otherwise (here: a matrix parameter made scalar) fails the build.
    const drifted = structuredClone(table);
    delete drifted.functions.find((f) => f.id === "TIER")!.parameters[0]!.dimensionality;
    const diffs = metadataDifferences(meta.metadata, drifted);
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toMatch(/^KAM\.TIER: /);
    const dropped = { ...table, functions: table.functions.filter((f) => f.id !== "ARCHIVE") };
    expect(metadataDifferences(meta.metadata, dropped).join("\n")).toMatch(/function ids/);
  });

  it("ranges are matrix parameters; optional parameters are marked; lang is last", () => {
    const score = meta.metadata.functions.find((f) => f.id === "SCORE")!;
    expect(score.parameters.map((p) => [p.name, p.dimensionality ?? "scalar", !!p.optional])).toEqual([
      ["values", "matrix", false],
      ["headers", "matrix", true],
      ["model", "scalar", true],
      ["lang", "scalar", true],
    ]);
    for (const f of meta.metadata.functions) {
      expect(f.parameters.at(-1)!.name, f.id).toBe("lang");
      expect(langIndexOf(f.id as FunctionId), f.id).toBe(f.parameters.length - 1);
    }
    for (const id of PURE_FUNCTION_IDS) expect(meta.metadata.functions.find((f) => f.id === id)!.result?.dimensionality, id).toBe("matrix");
  });

  it("functions-zh-cn.json keeps ids, types and shapes and translates every description", () => {
    const json = functionsMetadata("zh");
    json.functions.forEach((f, i) => {
      const en = meta.metadata.functions[i]!;
      expect(f.id).toBe(en.id);
      expect(f.description).not.toBe(en.description);
      expect(f.description).toMatch(/[\u4e00-\u9fff]/);
      expect(f.parameters.map((p) => [(p as { type?: string }).type, (p as { dimensionality?: string }).dimensionality, (p as { optional?: boolean }).optional])).toEqual(
        en.parameters.map((p) => [p.type, p.dimensionality, p.optional]),
      );
    });
  });
});

describe("answers and errors through CustomFunctions", () => {
  const fns = CUSTOM_FUNCTIONS as Record<string, (...a: unknown[]) => unknown>;

  it("a one-cell answer is a 1×1 matrix; several rows spill", () => {
    // docs/domain.md §8 worked in workbook.test.ts: this row scores 103
    expect(fns.SCORE!([ROW], [H])).toEqual([[103]]);
    expect(fns.COMPLETION!([[100], [300]], [[200], [200]])).toEqual([[0.5], [1.5]]);
  });

  it("whole-call errors throw CustomFunctions.Error with the Excel code and a message naming the argument", () => {
    setDisplayLanguage("zh-CN");
    const div0 = thrown(() => fns.COMPLETION!([[100]], [[0]]));
    expect(div0.code).toBe("#DIV/0!");
    expect(div0.message).toContain("plan");
    const value = thrown(() => fns.COMPLETION!([["abc"]], [[10]]));
    expect(value.code).toBe("#VALUE!");
    expect(value.message).toMatch(/^actual: 应为数字/);
    expect(thrown(() => fns.COMPLETION!([[null]], [[10]])).code).toBe("#N/A");
    expect(thrown(() => fns.VISITS!([["战略客户"]], [["销售经理"]], [[-1]])).code).toBe("#NUM!");
    setDisplayLanguage("en-US");
    expect(thrown(() => fns.COMPLETION!([["abc"]], [[10]])).message).toMatch(/^actual: expected a number/);
    // the call's own lang wins over the display language
    expect(thrown(() => fns.COMPLETION!([["abc"]], [[10]], "zh")).message).toMatch(/应为数字/);
    setDisplayLanguage("zh-CN");
  });

  it("errors inside a spill are CustomFunctions.Error elements", () => {
    const out = fns.COMPLETION!([[100], [100], [100]], [[200], [0], [{ code: "#N/A" }]]) as unknown[][];
    expect(out[0]![0]).toBe(0.5);
    expect(out[1]![0]).toBeInstanceOf(StubCustomFunctionsError);
    expect((out[1]![0] as StubCustomFunctionsError).code).toBe("#DIV/0!");
    // an error cell of Excel's in the input answers the same error
    expect((out[2]![0] as StubCustomFunctionsError).code).toBe("#N/A");
  });

  it("store-backed functions: bad arguments answer at once; not signed in → #N/A with the sign-in message", async () => {
    const bad = await (fns.COLLECTION!("account:a1", "someday") as Promise<unknown>).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(StubCustomFunctionsError);
    expect((bad as StubCustomFunctionsError).code).toBe("#VALUE!");
    const out = await (fns.COLLECTION!("account:a1", "2026-Q3") as Promise<unknown>).catch((e: unknown) => e);
    expect(out).toBeInstanceOf(StubCustomFunctionsError);
    expect((out as StubCustomFunctionsError).code).toBe("#N/A");
    expect((out as StubCustomFunctionsError).message).toBe(SIGN_IN_MESSAGE);
  });
});

describe("error objects in any argument (functions.json sets allowErrorForDataTypeAny)", () => {
  const fns = CUSTOM_FUNCTIONS as Record<string, (...a: unknown[]) => unknown>;
  /** A valid call of each function; each argument in turn is replaced by an error. */
  const VALID: Record<string, unknown[]> = {
    SCORE: [[ROW], [H], "ka-manager", "zh"],
    "SCORE.ITEMS": [[ROW], [H], "ka-manager", true, "zh"],
    VALUE: [[[5, 4, 3, 5, 4, 3, 3]], [[20, 10, 15, 20, 15, 10, 10]], "zh"],
    GRADE: [[[5, 4, 3, 5, 4, 3, 3]], [[20, 10, 15, 20, 15, 10, 10]], [[75, 55, 35]], "zh"],
    CLASS: [[[12_000_000]], [[12_000_000]], [["爽快"]], [[0]], [[true]], [[true]], [[false]], "zh"],
    ABC: [[[300_000]], [[500_000], [300_000], [100_000]], "zh"],
    TIER: [[[1.1]], [[0.9, 1, 1.2]], "zh"],
    COMPLETION: [[[100]], [[200]], "zh"],
    COLLECTIONRATE: [[[100]], [[200]], "zh"],
    CHURN: [[[3]], [[40]], "zh"],
    VISITS: [[["战略客户"]], [["销售经理"]], [[12]], "002", "zh"],
    URGENCY: [[[true, true, false, true, false]], [["D", "D", "C", "C", "B", "A"]], "zh"],
    DEVELOPMENT: [[[3]], [[4]], "zh"],
    SETTLEMENT: [[[870_000]], [[1_000_000]], "zh"],
    EXPENSECONTROL: [[[115_000]], [[100_000]], "zh"],
  };

  /** The #N/A the call answered (thrown, or the one cell of its matrix), or undefined. */
  function naOf(f: () => unknown): StubCustomFunctionsError | undefined {
    let out: unknown;
    try {
      out = f();
    } catch (e) {
      return e instanceof StubCustomFunctionsError ? e : undefined;
    }
    const cells = (out as unknown[][]).flat();
    return cells.length === 1 && cells[0] instanceof StubCustomFunctionsError ? cells[0] : undefined;
  }

  for (const id of PURE_FUNCTION_IDS) {
    it(`KAM.${id}: an error scalar or an error cell in any argument answers that error, naming the argument`, () => {
      const params = meta.metadata.functions.find((f) => f.id === id)!.parameters;
      expect(VALID[id]!.length).toBe(params.length);
      expect(naOf(() => fns[id]!(...VALID[id]!)), "the valid call").toBeUndefined();
      params.forEach((p, i) => {
        // Excel's CustomFunctions.Error shape and its data-type shape of an error cell ({type:"Error"}).
        const excelError = { type: "Error", basicValue: "#N/A" };
        for (const error of [new StubCustomFunctionsError("#N/A", "from Excel"), [[new StubCustomFunctionsError("#N/A")]], excelError, [[excelError]]]) {
          const args = [...VALID[id]!];
          args[i] = error;
          const e = naOf(() => fns[id]!(...args));
          expect(e?.code, `${id}(${p.name} = ${Array.isArray(error) ? "[[#N/A]]" : "#N/A"})`).toBe("#N/A");
          expect(e!.message, `${id}.${p.name}`).toMatch(new RegExp(`^${p.name}\\b`));
        }
      });
    });
  }

  it("store-backed functions: an error in any argument answers that error at once, naming it", async () => {
    const valid: Record<string, unknown[]> = { COLLECTION: ["account:a1", "2026-Q3", "rate", "zh"], TARGET: ["u1", "2026-Q3", "manager", "zh"], ACCOUNT: ["a1", "grade", "zh"], HEALTH: ["a1", "status", "zh"], ARCHIVE: ["a1", "zh"] };
    for (const [id, args] of Object.entries(valid)) {
      const params = meta.metadata.functions.find((f) => f.id === id)!.parameters;
      for (let i = 0; i < args.length; i++) {
        for (const error of [new StubCustomFunctionsError("#DIV/0!"), { type: "Error", basicValue: "#DIV/0!" }]) {
          const call = [...args];
          call[i] = error;
          const e = await (fns[id]!(...call) as Promise<unknown>).catch((x: unknown) => x);
          expect(e, `${id}.${params[i]!.name}`).toBeInstanceOf(StubCustomFunctionsError);
          expect((e as StubCustomFunctionsError).code).toBe("#DIV/0!");
          expect((e as StubCustomFunctionsError).message).toMatch(new RegExp(`^${params[i]!.name}\\b`));
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property: whatever a cell holds, a function answers values or CustomFunctions.Error.

const words = fc.constantFrom(...H, "强", "一般", "爽快", "迟缓", "战略客户", "重要客户", "销售经理", "总经理", "zh", "en", "ka-manager", "ka-director", "2026-Q3", "95%", "1,000", "", " ", "TRUE", "abc", "１２３", "account:a1", "*", "rate", "overdue90");
const scalar = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 20_000_000 }),
  fc.constantFrom(0, 1, 5, 7, 12, 0.9, 1.2, 1e308, -0),
  fc.string({ maxLength: 12 }),
  words,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom("#N/A", "#DIV/0!", "#VALUE!", "#REF!").map((c) => new StubCustomFunctionsError(c, "x")),
);
const matrix = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 14 }))
  .chain(([h, w]) => fc.array(fc.array(scalar, { minLength: 1, maxLength: w }), { minLength: 1, maxLength: h }));
const arg = fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 2, arbitrary: matrix }, { weight: 1, arbitrary: fc.constant([ROW]) }, { weight: 1, arbitrary: fc.constant([H]) });
const argsOf = (n: number) => fc.array(arg, { minLength: 0, maxLength: n + 1 });

function isAnswerCell(v: unknown): boolean {
  return typeof v === "number" || typeof v === "string" || typeof v === "boolean" || v instanceof StubCustomFunctionsError;
}

const RUNS = 10_000;

describe("property: 10,000 random Excel-shaped calls per function", () => {
  for (const id of PURE_FUNCTION_IDS) {
    it(`KAM.${id} answers values or CustomFunctions.Error`, () => {
      const fn = (CUSTOM_FUNCTIONS as Record<string, (...a: unknown[]) => unknown>)[id]!;
      fc.assert(
        fc.property(argsOf(fn.length), (args) => {
          let out: unknown;
          try {
            out = fn(...args);
          } catch (e) {
            return e instanceof StubCustomFunctionsError && typeof e.code === "string" && e.code.startsWith("#");
          }
          return Array.isArray(out) && out.length > 0 && out.every((row) => Array.isArray(row) && row.length > 0 && row.every(isAnswerCell));
        }),
        { numRuns: RUNS },
      );
    });
  }

  for (const id of ["COLLECTION", "TARGET", "ACCOUNT", "HEALTH"] as const) {
    it(`KAM.${id} settles every call with a value or CustomFunctions.Error (nothing pending)`, async () => {
      const fn = (CUSTOM_FUNCTIONS as Record<string, (...a: unknown[]) => Promise<unknown>>)[id]!;
      const samples = fc.sample(fc.array(fc.oneof(scalar, words), { minLength: 0, maxLength: 5 }), { numRuns: RUNS });
      const settled = await Promise.allSettled(samples.map((args) => fn(...args)));
      for (const s of settled) {
        if (s.status === "rejected") expect(s.reason).toBeInstanceOf(StubCustomFunctionsError);
        else expect(isAnswerCell(s.value)).toBe(true);
      }
    });
  }
});
