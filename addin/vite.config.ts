import { fileURLToPath } from "node:url";
import { defineConfig, type UserConfig } from "vite";
import { buildAuthConfigFromEnv } from "./src/auth/config.js";

const root = fileURLToPath(new URL(".", import.meta.url));
const outDir = fileURLToPath(new URL("../dist/addin", import.meta.url));

/** The pages and their HTML files; `functions` is index.html, whose entry script is functions.js. */
const PAGE_FILES = { functions: "index.html", auth: "auth.html", preview: "preview.html" } as const;
export type AddinPage = keyof typeof PAGE_FILES;
export const ADDIN_PAGES = Object.keys(PAGE_FILES) as AddinPage[];

/**
 * The builds of the add-in, one vite build each, into the same folder. index.html (functions.js
 * and the pane it loads lazily) is built ALONE: built with the other pages, the modules the
 * functions share with preview.html's pane go into chunks shared by both pages, which keep every
 * export either page uses and which functions.js then loads whole before any cell can calculate.
 * Built alone, functions.js holds its own graph, and the pane's lazy chunks import from it (one
 * copy of the session and the models the functions and the pane share).
 */
export const ADDIN_BUILDS: readonly (readonly AddinPage[])[] = [["functions"], ["auth", "preview"]];

/**
 * The add-in page (index.html = Taskpane.Url) with the custom functions bundled in (shared
 * runtime, docs/platform.md). The entry script is emitted as `functions.js` (the manifest's
 * Functions.Script.Url); the pane's lazy chunks keep hashed names. React's JSX goes through the
 * bundler's automatic runtime (no React plugin is installed).
 *
 * preview.html: preview mode's own page (the pane in a plain browser, no office.js, no custom
 * functions), so a blocked Office CDN cannot blank it; index.html sends a plain browser there.
 *
 * A third page, auth.html (the sign-in dialog, its own small bundle), and the sign-in
 * configuration baked in from KAM_ENTRA_* / KAM_API_BASE (addin/src/auth/config.ts documents them).
 */
export function addinConfig(pages: readonly AddinPage[] = ADDIN_PAGES, out: string = outDir): UserConfig {
  return {
    root,
    base: "./",
    publicDir: false,
    logLevel: "warn",
    oxc: { jsx: { runtime: "automatic" } },
    // Always React's production build, even when a test runner has set NODE_ENV=test.
    define: {
      "process.env.NODE_ENV": JSON.stringify("production"),
      __KAM_AUTH_CONFIG__: JSON.stringify(buildAuthConfigFromEnv(process.env)),
    },
    build: {
      outDir: out,
      emptyOutDir: false,
      target: "es2022",
      sourcemap: true,
      chunkSizeWarningLimit: 2000,
      rolldownOptions: {
        // Fluent's "use client" directives mean nothing outside React Server Components.
        onwarn(warning, warn) {
          if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
          warn(warning);
        },
        input: Object.fromEntries(pages.map((p) => [p, `${root}${PAGE_FILES[p]}`])),
        output: {
          entryFileNames: (chunk) => (chunk.name === "functions" ? "functions.js" : "assets/[name]-[hash].js"),
          chunkFileNames: "assets/[name]-[hash].js",
          assetFileNames: "assets/[name]-[hash][extname]",
        },
      },
    },
    server: { port: 3000, strictPort: true },
  };
}

export default defineConfig(addinConfig());
