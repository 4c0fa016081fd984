import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBuiltinModel } from "../../shared/src/scoring/builtins.js";
import { setSession } from "../../addin/src/api/session.js";
import { loadScoringModels, pure, setScoringModels } from "../../addin/src/functions/runtime.js";
import type { LocalStack } from "../../functions/local/stack.js";
import { DIRECTOR, MANAGER_LI, signIn, startTestStack } from "../backend/helpers.js";
import { installCustomFunctionsStub, StubCustomFunctionsError } from "./cf-stub.js";

/**
 * A company's own scoring model, put by a director, reaches `=KAM.SCORE(..., "east-2026")` in
 * the add-in after sign-in (GET /v1/models against the real local stack).
 */
let stack: LocalStack;

beforeAll(async () => {
  installCustomFunctionsStub("en-US");
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  setSession(undefined);
  setScoringModels([]);
  await stack?.stop();
});

const HEADERS = ["salesActual", "salesPlan", "salesLastQuarter", "newAccounts", "newAccountsPlan", "infoCollection", "teamwork", "knowledge", "judgement", "communication", "absenceDays", "responsibility"];
const ROW = [1_150_000, 1_000_000, 900_000, 3, 5, 8, 9, 7, 3.5, 5.5, 1, 4.5];

describe("stored scoring models in KAM.SCORE", () => {
  it("loads the tenant's models after sign-in and scores with them", async () => {
    const base = getBuiltinModel("ka-manager")!;
    // The company weights sales completion at 35 instead of 25 (everything else as docs/domain.md §8).
    const east = {
      ...base,
      id: "east-2026",
      name: { zh: "华东区 2026", en: "East 2026" },
      items: base.items.map((i) => (i.key === "salesCompletion" ? { ...i, points: 35 } : i)),
    };
    const director = await signIn(stack, DIRECTOR);
    const put = await director.call("PUT", "/v1/models/east-2026", east);
    expect(put.status).toBeLessThan(300);

    // Before loading, the model is unknown to the add-in: #N/A naming it.
    setScoringModels([]);
    let before: unknown;
    try {
      pure("SCORE", [[ROW], [HEADERS], "east-2026"]);
    } catch (e) {
      before = e; // a one-cell error is thrown as CustomFunctions.Error, as Excel expects
    }
    expect(before).toBeInstanceOf(StubCustomFunctionsError);
    expect((before as StubCustomFunctionsError).code).toBe("#N/A");
    expect((before as StubCustomFunctionsError).message).toMatch(/east-2026/);

    const li = await signIn(stack, MANAGER_LI);
    const session = { apiBase: stack.url, token: li.token, expiresAt: Date.now() + 3_600_000 };
    expect(await loadScoringModels(session)).toEqual(["east-2026"]);

    // Hand-worked with docs/domain.md §8: completion 115% → 3 steps → 35 + 3 = 38 (25 + 3 = 28 in ka-manager);
    // growth 250,000 over last quarter → 2 steps → 12; new accounts 3 vs 5 → −1 → 4; ratings 8 + 9;
    // knowledge 7; judgement 3.5; communication 5.5; attendance 5 − 1 = 4; conduct 5; responsibility 4.5;
    // service 5. ka-manager: 28+12+4+8+9+7+3.5+5.5+4+5+4.5+5 = 95.5; east-2026: 95.5 + 10 = 105.5.
    expect(pure("SCORE", [[ROW], [HEADERS]])).toEqual([[95.5]]);
    expect(pure("SCORE", [[ROW], [HEADERS], "east-2026"])).toEqual([[105.5]]);
  });
});
