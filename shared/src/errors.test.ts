import { describe, expect, it } from "vitest";
import { bilingualMessage, msg } from "./errors.js";

describe("message text (one way: msg)", () => {
  it("picks the reader's language", () => {
    expect(msg("zh", "没有指标 x", "no target x")).toBe("没有指标 x");
    expect(msg("en", "没有指标 x", "no target x")).toBe("no target x");
  });

  it("carries both, English first, when the reader's language is not known", () => {
    expect(msg("both", "没有指标 x", "no target x")).toBe("no target x / 没有指标 x");
    expect(bilingualMessage({ zh: "负责人：用户目录中没有 g", en: "owner: unknown user g" })).toBe("owner: unknown user g / 负责人：用户目录中没有 g");
  });
});
