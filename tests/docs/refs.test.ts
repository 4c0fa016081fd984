/**
 * Text that stays true: source files and READMEs cite only the repo's own docs, and every
 * `docs/x.md §N` they cite exists. `npm run docs:refs` rewrites the old citation forms; what it
 * cannot rewrite (issue numbers, contextual citations) needs a hand edit.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findDocCitations, findOutsideCitations, sectionsOf, SELF, sourceFiles } from "../../scripts/citations.js";
import { rewrite } from "../../scripts/doc-refs.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const rel = (f: string): string => relative(ROOT, f).split("\\").join("/");
const FILES = sourceFiles(ROOT).filter((f) => !SELF.includes(rel(f)));

describe("citation patterns", () => {
  it("match the outside citation forms", () => {
    const kinds = (t: string) => findOutsideCitations(t).map((c) => c.kind);
    expect(kinds("// DOMAIN §3.2: value")).toEqual(["domain"]);
    expect(kinds("/** rule (see DOMAIN.md) */")).toEqual(["domain"]);
    expect(kinds("// seven numbers in DOMAIN order")).toEqual(["domain"]);
    expect(kinds('// CONTRACTS "Writes": merge')).toEqual(["contracts"]);
    expect(kinds("// CONTRACTS: a bare string")).toEqual(["contracts"]);
    expect(kinds('// OFFICE.md "Custom functions"')).toEqual(["office"]);
    expect(kinds('// ENGINEERING "Errors"')).toEqual(["engineering"]);
    expect(kinds("// from ../shared/DOMAIN.md")).toContain("shared-dir");
    expect(kinds("// 003 §2.2 table")).toEqual(["source"]);
    expect(kinds("// 004 篇1 第5条")).toEqual(["source"]);
    expect(kinds("// (issue 3 §6)")).toEqual(["issue"]);
    expect(kinds("// Issue 4: the cap")).toEqual(["issue"]);
    expect(kinds("// fixed in #12")).toEqual(["issue"]);
  });

  it("leave code and data that merely contain the words alone", () => {
    const none = [
      "const DOMAIN = /^[a-z]+$/;",
      "if (!DOMAIN.test(domainName)) problems.push(x);",
      'const DISTRIBUTION_DOMAIN = "d1.cloudfront.net";',
      "expect(note).not.toMatch(/DOMAIN|§/);",
      'export const CONTRACTS: EntityDef = entity("contracts", {});',
      "  contracts: CONTRACTS,",
      'const OFFICE_STUB = "window.Office = {}";',
      'rules: [{ equals: "A", fill: "#C6EFCE", font: "#006100" }]',
      'format: "#,##0.00"',
      'const seed = { clause: "第13条 大客户经理每月拜访1次", scheme: "004" };',
      "import { x } from \"../shared/src/index.js\";",
    ];
    for (const t of none) expect(findOutsideCitations(t), t).toEqual([]);
  });

  it("read docs citations with their sections", () => {
    expect(findDocCitations("// docs/domain.md §2, §9 and docs/platform.md")).toEqual([
      { file: "domain.md", sections: ["2", "9"], line: 1 },
      { file: "platform.md", sections: [], line: 1 },
    ]);
  });
});

describe("npm run docs:refs", () => {
  it("rewrites the old forms and is idempotent", () => {
    const before = [
      "// DOMAIN §8, 002 §5.2(1): tiers; (DOMAIN §3.2, 003 §3.2.3 (五) 2(2)) and (DOMAIN §5, 004 第13条 minimum cadence); (DOMAIN §2, 003 §1.2.1 KPI)",
      '// CONTRACTS "Writes", "Collections"; OFFICE.md "Runtime and manifest"',
      "// CONTRACTS rights on accounts, for one item",
      "Every rule is in `shared/` (from `../shared/DOMAIN.md`).",
    ].join("\n");
    const once = rewrite(before);
    expect(once).toBe(
      [
        "// docs/domain.md §8: tiers; (docs/domain.md §3.2) and (docs/domain.md §5, 004 第13条 minimum cadence); (docs/domain.md §2, 003 §1.2.1 KPI)",
        "// docs/contracts.md §6, §11; docs/platform.md §1",
        "// rights on accounts (docs/contracts.md §5.3), for one item",
        "Every rule is in `shared/` (from `docs/domain.md`).",
      ].join("\n"),
    );
    expect(rewrite(once)).toBe(once);
    // A source citation with prose after it is left for a hand edit, and the check still sees it.
    expect(findOutsideCitations(once).map((c) => c.text)).toEqual(["004 第13条", "003 §"]);
  });

  it("keeps a wrapped quoted section name in a block comment", () => {
    expect(rewrite(' * the row count (CONTRACTS "Excel and\n * preview-mode limits"): chunks')).toBe(" * the row count (docs/contracts.md §12): chunks");
  });
});

describe("source files cite only the repo's docs", () => {
  it("scans every part", () => {
    const parts = new Set(FILES.map((f) => rel(f).split("/")[0]));
    for (const p of ["addin", "functions", "shared", "infra", "scripts", "tests", "README.md"]) expect(parts).toContain(p);
  });

  it("no citation of an outside document or an issue number", () => {
    const found: string[] = [];
    for (const f of FILES) {
      for (const c of findOutsideCitations(readFileSync(f, "utf8"))) found.push(`${rel(f)}:${c.line} ${c.kind}: ${c.text}`);
    }
    expect(found).toEqual([]);
  });

  it("every cited docs/*.md file and § section exists", () => {
    const sections = new Map<string, Set<string> | null>();
    const sectionsIn = (file: string): Set<string> | null => {
      if (!sections.has(file)) {
        const path = join(ROOT, "docs", file);
        sections.set(file, existsSync(path) ? sectionsOf(readFileSync(path, "utf8")) : null);
      }
      return sections.get(file)!;
    };
    const broken: string[] = [];
    for (const f of [...FILES, ...["domain.md", "contracts.md", "platform.md", "architecture.md", "benchmarks.md"].map((d) => join(ROOT, "docs", d)).filter(existsSync)]) {
      for (const c of findDocCitations(readFileSync(f, "utf8"))) {
        const known = sectionsIn(c.file);
        if (!known) broken.push(`${rel(f)}:${c.line} docs/${c.file} does not exist`);
        else for (const s of c.sections) if (!known.has(s)) broken.push(`${rel(f)}:${c.line} docs/${c.file} has no §${s}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
