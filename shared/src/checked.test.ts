import { describe, expect, it } from "vitest";
import { at, got, InternalError, must } from "./checked.js";

describe("checked reads", () => {
  it("return what is there, including falsy values", () => {
    expect(at([0, 1, 2], 0)).toBe(0);
    expect(at("ab", 1)).toBe("b");
    expect(must("", "name")).toBe("");
    expect(got(new Map([["a", 0]]), "a")).toBe(0);
  });

  it("throw a named InternalError for what is missing", () => {
    expect(() => at([1, 2], 2, "rows")).toThrow(new InternalError("rows[2] is missing (length 2)"));
    expect(() => at([1], -1)).toThrow(InternalError);
    expect(() => must(null, "the id column")).toThrow("the id column is missing");
    expect(() => must(undefined, "x")).toThrow(InternalError);
    expect(() => got(new Map<string, number>(), "k", "changes")).toThrow("changes has no entry for k");
  });
});
