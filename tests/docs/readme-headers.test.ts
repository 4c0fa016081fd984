import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HEADERS_BEGIN, HEADERS_END, withHeadersTable } from "../../shared/src/catalogue/docs.js";

describe("README's table of recognised headers", () => {
  it("is what the catalogue generates (run `npm run docs:headers` after changing the catalogue)", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(HEADERS_BEGIN);
    expect(readme).toContain(HEADERS_END);
    expect(withHeadersTable(readme) === readme, "README.md is stale: run npm run docs:headers").toBe(true);
  });
});
