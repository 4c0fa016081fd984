/**
 * What counts as a citation in a source file, for scripts/doc-refs.ts (which rewrites them) and
 * tests/docs/refs.test.ts (which fails on any left). Comments and READMEs may cite the repo's own
 * docs (`docs/domain.md §3.2`) but no document outside the repo and no issue number; the source
 * documents (`003 §2.2`) are cited from docs/ only.
 *
 * The patterns match citation forms, not bare words, so code and test data that merely contain
 * the words (a `DOMAIN` regex constant, Chinese data with 第5条, colour `#006100`) do not count.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type CitationKind = "domain" | "contracts" | "office" | "engineering" | "anchors" | "shared-dir" | "seeds" | "source" | "issue";

export interface Citation {
  kind: CitationKind;
  /** 1-based line of the match. */
  line: number;
  text: string;
}

/** Not a part of a longer identifier or path, and not declared (`const DOMAIN =`). */
const B = String.raw`(?<![\w$./\-])`;

/** Outside-document citations, by kind. */
export const OUTSIDE_PATTERNS: ReadonlyArray<readonly [CitationKind, RegExp]> = [
  // `DOMAIN §2`, `DOMAIN.md`, `DOMAIN's`, `DOMAIN: …`, `DOMAIN order`, `(DOMAIN)`.
  ["domain", new RegExp(String.raw`${B}DOMAIN(?:\.md\b|\s*§|'s\b|:\s|\)|\s+[a-z])`, "g")],
  ["contracts", new RegExp(String.raw`${B}(?<!(?:const|let|var) )CONTRACTS(?:\.md\b|\s*§|\s+"|'s?(?!\w)|:\s|\)|\s+[a-zA-Z/])`, "g")],
  ["office", new RegExp(String.raw`${B}OFFICE(?:\.md\b|\s*§|\s+")`, "g")],
  ["engineering", new RegExp(String.raw`${B}ENGINEERING(?:\.md\b|\s*§|\s+")`, "g")],
  ["anchors", new RegExp(String.raw`${B}ANCHORS(?:\.md\b|\s*§|\s+")`, "g")],
  ["shared-dir", /(?:\.\.\/)+shared\/(?:seeds\b|[A-Z]+\.md\b)/g],
  ["seeds", new RegExp(String.raw`${B}seeds\/`, "g")],
  // A source document with a section: `003 §2.2`, `004 篇1 第5条`, `004 第13条`, `001 问题3`, `003 表1`.
  ["source", /(?<![\w.\-/])00[0-4] (?:§|篇\d|第[\d–-]+条|问题\d|表\d)/g],
  // `issue 3`, `Issue 4 §2`, `issues 3 and 4`, `#12` after a space or parenthesis.
  ["issue", /\b[Ii]ssues? #?\d+\b|(?<=[\s(])#\d{1,3}\b(?![\w-])/g],
];

/** Every outside citation in a file's text. */
export function findOutsideCitations(text: string): Citation[] {
  const found: Citation[] = [];
  for (const [kind, re] of OUTSIDE_PATTERNS) {
    for (const m of text.matchAll(re)) found.push({ kind, line: lineOf(text, m.index), text: m[0] });
  }
  return found.sort((a, b) => a.line - b.line);
}

/** A citation of the repo's docs: `docs/domain.md` with optional sections `§3.2, §9`. */
export interface DocCitation {
  file: string;
  sections: string[];
  line: number;
}

export function findDocCitations(text: string): DocCitation[] {
  const out: DocCitation[] = [];
  for (const m of text.matchAll(/\bdocs\/([\w.-]+\.md)((?: ?§\d+(?:\.\d+)*)(?:(?:,| and) §\d+(?:\.\d+)*)*)?/g)) {
    const sections = [...(m[2] ?? "").matchAll(/§(\d+(?:\.\d+)*)/g)].map((s) => s[1]!);
    out.push({ file: m[1]!, sections, line: lineOf(text, m.index) });
  }
  return out;
}

/** The section numbers a docs/*.md file defines: headings `## 3. …`, `### 3.2 …`. */
export function sectionsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)) out.add(m[1]!);
  return out;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const PARTS = ["addin", "functions", "shared", "infra", "scripts", "tests"];
const SKIP_DIRS = new Set(["node_modules", "dist", ".data", "coverage"]);
const SOURCE_EXT = /\.(?:ts|tsx|mts|mjs|js|cjs)$/;

/**
 * The files whose text must cite only the repo's docs: sources of every part, their READMEs and
 * the root README. Built output, dependencies and CDK output are skipped.
 */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith("cdk.out") && !e.name.startsWith(".")) walk(join(dir, e.name));
      } else if (SOURCE_EXT.test(e.name) || e.name.endsWith(".md")) {
        files.push(join(dir, e.name));
      }
    }
  };
  for (const part of PARTS) if (existsSync(join(root, part))) walk(join(root, part));
  if (existsSync(join(root, "README.md"))) files.push(join(root, "README.md"));
  return files.sort();
}

/** The checker's own files hold the patterns as data; they are not scanned. */
export const SELF = ["scripts/citations.ts", "scripts/doc-refs.ts", "tests/docs/refs.test.ts"];

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}
