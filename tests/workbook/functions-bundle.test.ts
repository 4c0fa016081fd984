/**
 * Size budget of what Excel loads before any `=KAM.*` cell can calculate: the page's entry
 * (addin/src/main.ts → functions.js) with everything it imports statically. Bundled here by
 * esbuild with the dynamic imports (the pane, the scoring-model validator) left out, minified
 * like the vite build; gzip as a web server sends it. The figure of the real vite build is in
 * `npm run bench -- lambda` (scripts/bench/lambda.ts, "functions.js").
 */
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FUNCTIONS_JS_GZIP_BUDGET, ROOT } from "../../scripts/build-addin.js";

describe("functions.js start-up bundle", () => {
  it("stays within its gzip budget and carries no schema library, React or pane code", async () => {
    const r = await build({
      entryPoints: [join(ROOT, "addin/src/main.ts")],
      bundle: true,
      write: false,
      minify: true,
      format: "esm",
      target: "es2022",
      platform: "browser",
      metafile: true,
      logLevel: "silent",
      define: { "process.env.NODE_ENV": '"production"' },
      plugins: [
        {
          name: "startup-only",
          // What loads later (the pane, the model validator) is not part of start-up.
          setup: (b) => b.onResolve({ filter: /.*/ }, (a) => (a.kind === "dynamic-import" ? { path: a.path, external: true } : undefined)),
        },
      ],
    });
    const js = r.outputFiles[0]!.contents;
    const gzip = gzipSync(js).length;
    const inputs = Object.entries(Object.values(r.metafile.outputs)[0]!.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
    const biggest = inputs.slice(0, 6).map(([f, v]) => `${f} ${(v.bytesInOutput / 1000).toFixed(1)} KB`).join(", ");
    expect(gzip, `${(gzip / 1000).toFixed(1)} KB gzip (${(js.length / 1000).toFixed(1)} KB minified); biggest: ${biggest}`).toBeLessThanOrEqual(FUNCTIONS_JS_GZIP_BUDGET);
    const files = inputs.map(([f]) => f);
    expect(files.filter((f) => /node_modules\/(zod|react|react-dom|@fluentui)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /shared\/src\/(scoring\/model|schemas\/(?!fields))/.test(f) || f.includes("addin/src/taskpane/"))).toEqual([]);
    // It is the functions' code: the custom functions and the scoring engine are in it.
    expect(files).toEqual(expect.arrayContaining(["addin/src/functions/register.ts", "shared/src/scoring/evaluate.ts", "shared/src/scoring/builtins/ka-manager.json"]));
  });
});
