/**
 * `npm run docs:refs` — rewrites citations of the old reference documents in source files and
 * READMEs to the repo's own docs (docs/domain.md, docs/contracts.md, docs/platform.md):
 *
 * - `DOMAIN §3.2`, `DOMAIN.md §3.2`            → `docs/domain.md §3.2` (the section numbers match);
 *   in code, a source citation that directly follows it (`, 003 §2.2`) is dropped: docs/domain.md
 *   names the source of every rule;
 * - `DOMAIN.md`, `../shared/DOMAIN.md`          → `docs/domain.md`;
 * - the contracts file with a quoted section name (`"Writes"`) or a known unquoted one
 *                                               → `docs/contracts.md §N`; bare → `docs/contracts.md`;
 * - the Office facts file, with or without a quoted section name → `docs/platform.md [§N]`.
 *
 * Idempotent: its output matches none of its patterns, so it can be re-run after merges. What it
 * cannot rewrite (issue numbers, `DOMAIN order`, contextual citations) is listed at the end for a
 * hand edit; tests/docs/refs.test.ts fails while any remains.
 *
 * Usage: tsx scripts/doc-refs.ts [--check] [files…]   (default: every source file of the parts)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { findOutsideCitations, SELF, sourceFiles } from "./citations.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Sections of docs/contracts.md by the section names comments used. Keys are lower case. */
const CONTRACT_SECTIONS: Readonly<Record<string, string>> = {
  "units, dates, language": "1",
  units: "1.1",
  money: "1.1",
  dates: "1.2",
  periods: "1.3",
  language: "1.4",
  errors: "2",
  "/v1/eval encoding": "3",
  "/v1/eval": "3",
  "labels of enums": "4",
  "identity, roles, teams": "5",
  identity: "5.1",
  "user directory": "5.2",
  "rights on accounts": "5.3",
  rights: "5.3",
  history: "5.4",
  writes: "6",
  "merge semantics": "6",
  "profile field ids": "7",
  "profile field ids (account)": "7",
  "profile field": "7",
  sync: "8",
  "migration": "8.2",
  blanks: "8.3",
  deletion: "8.6",
  "recycle bin": "8.10",
  "cell grammar": "8.11",
  "written values": "8.12",
  "field catalogue flags": "8.13",
  teams: "9",
  "credit for sales and collections": "10",
  collections: "11",
  "excel and preview-mode limits": "12",
  "excel and preview-mode": "12",
};

/** Sections of docs/platform.md by the section names comments used. */
const PLATFORM_SECTIONS: Readonly<Record<string, string>> = {
  "runtime and manifest": "1",
  "custom functions": "2",
  localisation: "2",
  "dev certificates": "3",
  "testing the excel side": "4",
  "what excel checks that lenient tests miss": "5",
  "what excel checks": "5",
};

/** A section name in quotes, which may wrap onto the next comment line. */
const QUOTED = String.raw`"((?:[^"\n]|\n[ \t]*(?:\*|//)[ \t]*){1,80})"`;
const WRAP = /\n[ \t]*(?:\*(?!\/)|\/\/)[ \t]*/g;
const nameOf = (raw: string): string => raw.replace(WRAP, " ").trim().toLowerCase();

/**
 * A citation of a source document: `003 §2.2`, `002 §5.2(1)`, `004 篇1 第5–11条`, `001 问题3`,
 * `003 表1`, `003 §3.2.2 二.1`, `003 §3.2.3 (五) 2(2)` — only its tokens, never the prose after it.
 */
const SOURCE_TOKEN = String.raw`(?:§\d+(?:\.\d+)*(?!\.?\d)(?:\(\d+\))*|篇\d+|第[\d–-]+条(?:\.\d+)?|问题\d+|表\d+|[一二三四五六七八九十]+\.\d+|\([一二三四五六七八九十]+\)(?:\(\d+\))?|\d+\(\d+\))`;
const SOURCE = String.raw`00[0-4](?: ${SOURCE_TOKEN})+`;
const SOURCE_MORE = String.raw`(?:, ${SOURCE_TOKEN}(?: ${SOURCE_TOKEN})*)*`;
const DOMAIN_CITE = String.raw`docs/domain\.md §\d+(?:\.\d+)*(?:, §\d+(?:\.\d+)*)*`;

export function rewrite(text: string, opts: { isDoc?: boolean } = {}): string {
  let out = text;
  // DOMAIN with a section.
  out = out.replace(/(?<![\w$./])(?:\.\.\/)*(?:shared\/)?DOMAIN(?:\.md)? ?§ ?(\d+(?:\.\d+)*)/g, "docs/domain.md §$1");
  out = out.replace(/(?<![\w$./])(?:\.\.\/)*(?:shared\/)?DOMAIN\.md\b/g, "docs/domain.md");
  // Source citations right after a domain citation: docs/domain.md names the source.
  if (!opts.isDoc) {
    out = out.replace(new RegExp(String.raw`(${DOMAIN_CITE})(?:[,;] ${SOURCE}${SOURCE_MORE})+(?=[):;]|\.(?!\d)|$)`, "gm"), "$1");
  }
  // Contracts: quoted section, known unquoted section, bare.
  out = out.replace(new RegExp(String.raw`(?<![\w$./])(?:\.\.\/)*(?:shared\/)?CONTRACTS(?:\.md)? ${QUOTED}`, "g"), (all, raw: string) => {
    const n = CONTRACT_SECTIONS[nameOf(raw)];
    return n ? `docs/contracts.md §${n}` : all;
  });
  // Unquoted names, longest first, in lower case or with a capital first letter.
  const unquoted = Object.keys(CONTRACT_SECTIONS)
    .sort((a, b) => b.length - a.length)
    .map((k) => {
      const esc = k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return /^[a-z]/.test(k) ? `[${k[0]}${k[0]!.toUpperCase()}]${esc.slice(1)}` : esc;
    });
  out = out.replace(new RegExp(String.raw`(?<![\w$./])CONTRACTS (${unquoted.join("|")})(?![\w-])`, "g"), (all, raw: string, at: number, whole: string) => {
    const n = CONTRACT_SECTIONS[raw.toLowerCase()];
    if (!n) return all;
    // A capitalised name is a section label; a lower-case one is a noun phrase the sentence needs,
    // unless it stands alone in parentheses.
    const alone = whole[at - 1] === "(" && whole[at + all.length] === ")";
    return /^[a-z]/.test(raw) && !alone ? `${raw} (docs/contracts.md §${n})` : `docs/contracts.md §${n}`;
  });
  out = out.replace(/(?<![\w$./])(?:\.\.\/)*(?:shared\/)?CONTRACTS\.md\b/g, "docs/contracts.md");
  out = out.replace(/(?<![\w$./])CONTRACTS(?=\)|\s+and\s|\s+order\b)/g, "docs/contracts.md");
  // Office facts.
  out = out.replace(new RegExp(String.raw`(?<![\w$./])(?:\.\.\/)*(?:shared\/)?OFFICE\.md ${QUOTED}`, "g"), (all, raw: string) => {
    const n = PLATFORM_SECTIONS[nameOf(raw)];
    return n ? `docs/platform.md §${n}` : all;
  });
  out = out.replace(/(?<![\w$./])(?:\.\.\/)*(?:shared\/)?OFFICE\.md\b/g, "docs/platform.md");
  // Further quoted section names after a citation: `docs/contracts.md §6, "Collections"`.
  for (const [file, table] of [["contracts", CONTRACT_SECTIONS], ["platform", PLATFORM_SECTIONS]] as const) {
    const more = new RegExp(String.raw`(docs/${file}\.md §\d+(?:\.\d+)*(?:, §\d+(?:\.\d+)*)*), ${QUOTED}`, "g");
    let prev = "";
    while (prev !== out) {
      prev = out;
      out = out.replace(more, (all, head: string, raw: string) => {
        const n = table[nameOf(raw)];
        return n ? `${head}, §${n}` : all;
      });
    }
  }
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const files = args.filter((a) => !a.startsWith("--"));
  const list = (files.length > 0 ? files : sourceFiles(ROOT)).filter((f) => !SELF.includes(relative(ROOT, f).split("\\").join("/")));
  let changed = 0;
  const left: string[] = [];
  for (const file of list) {
    const rel = relative(ROOT, file).split("\\").join("/");
    const before = readFileSync(file, "utf8");
    const after = rewrite(before, { isDoc: rel.startsWith("docs/") });
    if (after !== before) {
      changed++;
      if (!check) writeFileSync(file, after);
      else left.push(`${rel}: would be rewritten`);
    }
    for (const c of findOutsideCitations(after)) left.push(`${rel}:${c.line}: ${c.kind}: ${c.text}`);
  }
  console.log(`${check ? "would rewrite" : "rewrote"} ${changed} file(s)`);
  if (left.length > 0) {
    console.log(`${left.length} citation(s) left for a hand edit:`);
    for (const l of left) console.log(`  ${l}`);
  }
  if (check && left.length > 0) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
