/**
 * The scoring-model validator is not part of functions.js (addin/src/functions/validator.ts):
 * scoring with a built-in model never loads it; a model written as JSON in a cell loads it on
 * first use and answers asynchronously once, then synchronously; an invalid JSON model is still
 * a #VALUE! naming the problem.
 */
import { describe, expect, it } from "vitest";
import { getBuiltinModel } from "../../shared/src/scoring/builtins.js";
import { installCustomFunctionsStub, StubCustomFunctionsError, thrownCustomFunctionsError as thrownBy } from "./cf-stub.js";

installCustomFunctionsStub("en-US");
const { pure } = await import("../../addin/src/functions/runtime.js");
const { loadedModelParser } = await import("../../addin/src/functions/validator.js");

const HEADERS = ["salesActual", "salesPlan", "salesLastQuarter", "newAccounts", "newAccountsPlan", "infoCollection", "teamwork", "knowledge", "judgement", "communication", "absenceDays", "responsibility"];
const ROW = [1_150_000, 1_000_000, 900_000, 3, 5, 8, 9, 7, 3.5, 5.5, 1, 4.5];

/** ka-manager with sales completion worth 35 instead of 25, as a cell would hold it. */
function cellModel(points = 35): string {
  const base = getBuiltinModel("ka-manager")!;
  return JSON.stringify({ ...base, id: "in-a-cell", items: base.items.map((i) => (i.key === "salesCompletion" ? { ...i, points } : i)) });
}

describe("the lazily loaded scoring-model validator", () => {
  it("built-in models and the other functions score synchronously without loading it", () => {
    // Hand-worked in tests/workbook/stored-models.test.ts: 95.5 with ka-manager.
    expect(pure("SCORE", [[ROW], [HEADERS]])).toEqual([[95.5]]);
    expect(pure("SCORE.ITEMS", [[ROW], [HEADERS], "ka-manager"])).toEqual([[28, 12, 4, 8, 9, 7, 3.5, 5.5, 4, 5, 4.5, 5]]);
    expect(pure("COMPLETION", [[[1_150_000]], [[1_000_000]]])).toEqual([[1.15]]);
    expect(thrownBy(() => pure("SCORE", [[ROW], [HEADERS], "no-such-model"])).code).toBe("#N/A");
    expect(loadedModelParser()).toBeUndefined();
  });

  it("a JSON model in a cell: the first answer waits for the validator, later ones are synchronous", async () => {
    const first = pure("SCORE", [[ROW], [HEADERS], cellModel()]);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual([[105.5]]);
    expect(loadedModelParser()).toBeTypeOf("function");
    expect(pure("SCORE", [[ROW], [HEADERS], cellModel(30)])).toEqual([[100.5]]);
  });

  it("an invalid JSON model is #VALUE! naming the field, in the call's language", () => {
    const e = thrownBy(() => pure("SCORE", [[ROW], [HEADERS], cellModel(-1)]));
    expect(e.code).toBe("#VALUE!");
    expect(e.message).toMatch(/^model: invalid scoring model: items\.0\.points/);
    const zh = thrownBy(() => pure("SCORE", [[ROW], [HEADERS], cellModel(-1), "zh"]));
    expect(zh.message).toMatch(/^model: 评分模型无效：items\.0\.points/);
    expect(thrownBy(() => pure("SCORE", [[ROW], [HEADERS], "{not json"])).message).toBe("model: the model JSON does not parse");
  });

  it("an invalid JSON model before the validator loaded: the rejected promise carries the same #VALUE!", async () => {
    // A fresh copy of the runtime: its validator has not loaded yet.
    const { vi } = await import("vitest");
    vi.resetModules();
    installCustomFunctionsStub("en-US");
    const fresh = await import("../../addin/src/functions/runtime.js");
    const answer = fresh.pure("SCORE", [[ROW], [HEADERS], cellModel(-1)]);
    expect(answer).toBeInstanceOf(Promise);
    const e = await (answer as Promise<unknown>).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(StubCustomFunctionsError);
    expect((e as StubCustomFunctionsError).message).toMatch(/^model: invalid scoring model: items\.0\.points/);
  });
});
