/**
 * Size budget of what Excel loads before any `=KAM.*` cell can calculate: functions.js with the
 * chunks it imports statically, from the real vite build of the page that carries it (the build
 * configuration scripts/build-addin.ts uses, addin/vite.config.ts), gzip as a web server sends it.
 * What is in it is read from the build's source maps. `npm run bench -- lambda` prints the same
 * figures from the whole build.
 *
 * From the same build, the budget of what the pane loads before its first page shows (functions.js
 * and its chunks, the pane's entry, the sign-in page); `npm run bench -- sync` prints that figure.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFunctionsPage, FUNCTIONS_JS_GZIP_BUDGET, initialPaneFiles, PANE_JS_GZIP_BUDGET, ROOT, startupFiles, type BuiltFile } from "../../scripts/build-addin.js";

let dir: string;
let files: BuiltFile[];
/** Sources of the start-up files (repo-relative, or node_modules/…), from their source maps. */
let sources: string[];
let paneFiles: BuiltFile[];
/** Sources of the pane's initial files. */
let paneSources: string[];

/** The sources of built files (repo-relative, or node_modules/…), from their source maps (the bundler's runtime chunk has none). */
function sourcesOf(built: BuiltFile[]): string[] {
  return built.flatMap((f) => {
    if (!existsSync(join(dir, `${f.file}.map`))) return [];
    const map = JSON.parse(readFileSync(join(dir, `${f.file}.map`), "utf8")) as { sources: string[] };
    return map.sources.map((s) => relative(ROOT, join(dir, f.file, "..", s)));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kam-functions-js-"));
  await buildFunctionsPage(dir);
  files = startupFiles(dir);
  sources = sourcesOf(files);
  paneFiles = initialPaneFiles(dir)!;
  paneSources = sourcesOf(paneFiles);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("functions.js start-up bundle (the real build)", () => {
  it("stays within its gzip budget, chunks it imports included", () => {
    const gzip = files.reduce((n, f) => n + f.gzip, 0);
    const detail = files.map((f) => `${f.file} ${(f.gzip / 1000).toFixed(1)} KB`).join(", ");
    expect(files[0]!.file).toBe("functions.js");
    expect(gzip, `${(gzip / 1000).toFixed(1)} KB gzip: ${detail}`).toBeLessThanOrEqual(FUNCTIONS_JS_GZIP_BUDGET);
  });

  it("carries no schema library, React, Fluent or pane code", () => {
    expect(sources.filter((f) => /node_modules\/(zod|react|react-dom|@fluentui)\//.test(f))).toEqual([]);
    expect(sources.filter((f) => /shared\/src\/(scoring\/model|schemas\/(?!fields)|catalogue\/fields)/.test(f) || f.includes("addin/src/taskpane/"))).toEqual([]);
    // The functions' zh/en descriptions are for the build's functions.json, not for the runtime.
    expect(sources.filter((f) => f.includes("signature-docs") || f.startsWith("scripts/"))).toEqual([]);
  });

  it("is the functions' code: the custom functions and the scoring engine are in it", () => {
    expect(sources).toEqual(expect.arrayContaining(["addin/src/main.ts", "addin/src/functions/register.ts", "addin/src/functions/runtime.ts", "shared/src/excel/signatures.ts", "shared/src/scoring/evaluate.ts", "shared/src/excel/eval-core.ts"]));
  });
});

describe("the pane's first page (the same build)", () => {
  const gzip = (built: BuiltFile[]) => built.reduce((n, f) => n + f.gzip, 0);

  it("stays within its gzip budget: functions.js and its chunks, the pane's entry, the sign-in page", () => {
    const detail = paneFiles.map((f) => `${f.file} ${(f.gzip / 1000).toFixed(1)} KB`).join(", ");
    expect(paneFiles.map((f) => f.file)).toEqual(expect.arrayContaining(files.map((f) => f.file)));
    expect(gzip(paneFiles), `${(gzip(paneFiles) / 1000).toFixed(1)} KB gzip: ${detail}`).toBeLessThanOrEqual(PANE_JS_GZIP_BUDGET);
  });

  it("is React, Fluent, the pane's shell and the sign-in page", () => {
    expect(paneSources).toEqual(expect.arrayContaining(["addin/src/taskpane/App.tsx", "addin/src/taskpane/pages/SignIn.tsx", "node_modules/react-dom/cjs/react-dom-client.production.js"]));
    expect(paneSources.some((f) => f.startsWith("node_modules/@fluentui/react-tabs/"))).toBe(true);
  });

  it("leaves the other pages, the schema library, exceljs, the grid and the dropdowns to load when used", () => {
    const pages = paneSources.filter((f) => f.startsWith("addin/src/taskpane/pages/"));
    expect(pages).toEqual(["addin/src/taskpane/pages/SignIn.tsx"]);
    expect(paneSources.filter((f) => /node_modules\/(zod|exceljs|@tanstack|@fluentui\/react-combobox|@fluentui\/react-radio)\//.test(f))).toEqual([]);
    expect(paneSources.filter((f) => /addin\/src\/(api\/responses|workbook\/xlsx|taskpane\/grid\/SheetGrid|taskpane\/components\/PreviewBar|sync\/)/.test(f) || f.startsWith("shared/src/schemas/"))).toEqual([]);
  });
});
