import { DetailedCellError, HyperFormula } from "hyperformula";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setSession } from "../../addin/src/api/session.js";
import type { LocalStack } from "../../functions/local/stack.js";
import { DIRECTOR, MANAGER_LI, MANAGER_ZHANG, signIn, startTestStack } from "../backend/helpers.js";
import { installCustomFunctionsStub, setDisplayLanguage, StubCustomFunctionsError } from "./cf-stub.js";
import { HF_CONFIG, hfOptions, registerKamPlugin } from "./hyperformula.js";

/**
 * `KAM.URGENCY` (pure) in HyperFormula with the shared implementation, and `KAM.HEALTH`
 * (store-backed) through the add-in's batcher and `/v1/eval` of the real local stack.
 */
installCustomFunctionsStub("zh-CN");
const { CUSTOM_FUNCTIONS } = await import("../../addin/src/functions/register.js");
const health = CUSTOM_FUNCTIONS.HEALTH as (...args: unknown[]) => Promise<unknown>;

describe("KAM.URGENCY in HyperFormula", () => {
  it("five signals per row spill one grade per purchase; counts and a grade table too", () => {
    registerKamPlugin();
    hfOptions.lang = "en";
    const hf = HyperFormula.buildFromArray(
      [
        // A–E: signals; G: formula
        [true, true, true, true, true, null, "=KAM.URGENCY(A1:E4)"],
        [true, true, true, true, false],
        [true, "是", 1, null, null],
        [false, null, null, null, null],
        [5, 3, 1, null, null, null, "=KAM.URGENCY(A5:C5)"],
        ["D", "C", "C", "B", "A", "A", "=KAM.URGENCY(A2:E2, A6:F6)"],
        ["abc", true, true, true, true, null, "=KAM.URGENCY(A7:E7)"],
      ],
      HF_CONFIG,
    );
    try {
      // docs/domain.md §3.2 default: 5 → A, 4 → B, 2–3 → C, 0–1 → D.
      const col = (r0: number, r1: number, c: number) => Array.from({ length: r1 - r0 + 1 }, (_, i) => hf.getCellValue({ sheet: 0, row: r0 + i, col: c }));
      expect(col(0, 3, 6)).toEqual(["A", "B", "C", "D"]);
      expect([6, 7, 8].map((c) => hf.getCellValue({ sheet: 0, row: 4, col: c }))).toEqual(["A", "C", "D"]);
      // A company table: 4 signals → the 5th grade, A.
      expect(hf.getCellValue({ sheet: 0, row: 5, col: 6 })).toBe("A");
      // "abc" is not a signal value: #VALUE! naming the signal.
      const bad = hf.getCellValue({ sheet: 0, row: 6, col: 6 });
      expect(bad).toBeInstanceOf(DetailedCellError);
      expect((bad as DetailedCellError).value).toBe("#VALUE!");
      expect((bad as DetailedCellError).message).toMatch(/^signals\[1\]/);
    } finally {
      hf.destroy();
      hfOptions.lang = "zh";
    }
  });
});

describe("KAM.HEALTH through the batcher and /v1/eval", () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startTestStack();
    const director = await signIn(stack, DIRECTOR);
    const put = await director.call("PUT", "/v1/accounts", {
      items: [{ id: "HX-2", name: "健康函数测试", owner: "m-li", stage: "target", contacts: [{ id: "c1", name: "王总", role: "decider", support: 4, intimacy: 4, professionalism: 3 }] }],
    });
    expect(put.body.items[0]).toMatchObject({ status: "created" });
  }, 120_000);

  afterAll(async () => {
    setSession(undefined);
    await stack?.stop();
  });

  async function as(who: typeof MANAGER_LI) {
    const c = await signIn(stack, who);
    setSession({ apiBase: stack.url, token: c.token, expiresAt: Date.now() + 3_600_000 });
  }

  it("score, status and explanation of the owner's account, figured by hand", async () => {
    await as(MANAGER_LI);
    setDisplayLanguage("zh-CN");
    // Decision chain 40 + 30×1/5 + 15×3/4 + 15×3/4 = 68.5 % of 35; archive 3/10 × 70 % (never reviewed) = 21 % of 15;
    // stage target 0 % of 10; no visit class, no contract: left out. (23.975 + 3.15 + 0) ÷ 60 × 100 = 45.2 → 45, A.
    const [score, status, zh, en, byName] = await Promise.all([
      health("HX-2", null, null),
      health("account:HX-2", "状态", null),
      health("HX-2", "explanation", null),
      health("HX-2", "explanation", "en"),
      health("健康函数测试", "score", null),
    ]);
    expect([score, status, byName]).toEqual([45, "A", 45]);
    expect(zh).toMatch(/^45 A 黄\n/);
    expect(zh).toContain("下一步：");
    expect(en).toContain("Left out");
  });

  it("an account the caller may not read, or none: #N/A naming it; a bad part: #VALUE! at once", async () => {
    await as(MANAGER_ZHANG);
    const e = await health("HX-2", null, "en").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StubCustomFunctionsError);
    expect((e as StubCustomFunctionsError).code).toBe("#N/A");
    expect((e as StubCustomFunctionsError).message).toContain("HX-2");
    const bad = await health("HX-2", "shoe size", "en").catch((x: unknown) => x);
    expect((bad as StubCustomFunctionsError).code).toBe("#VALUE!");
    expect((bad as StubCustomFunctionsError).message).toMatch(/^part/);
  });

  it("is @cancelable: Excel's onCanceled drops the call before it is sent", async () => {
    await as(MANAGER_LI);
    const inv = { functionName: "HEALTH" } as CustomFunctions.CancelableInvocation;
    const p = health("HX-2", "status", "zh", inv);
    expect(typeof inv.onCanceled).toBe("function");
    inv.onCanceled!();
    expect(await p.catch((x: unknown) => x)).toBeInstanceOf(StubCustomFunctionsError);
  });
});
