// The lint run by `npm test`: typescript-eslint's rules that need no type information (fast), and
// the import boundaries between the parts (ZONES below: what each part may not import).
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Which repository paths a part may not import. `files` and `forbid` are path prefixes from the
 * repository root; `except` exempts imports of those prefixes again. Relative imports are
 * resolved first, so `addin/src/functions/` is never taken for `functions/`. `testsMay` lets the
 * zone's test files import those prefixes all the same.
 */
const ZONES = [
  {
    files: ["shared/"],
    forbid: ["addin/", "functions/", "infra/", "scripts/", "tests/"],
    why: "shared/ is the domain engine every part uses; it depends on none of them",
  },
  {
    // The add-in's tests may start the local backend to talk to it over real HTTP.
    files: ["addin/"],
    testsMay: ["functions/local/"],
    forbid: ["functions/", "infra/"],
    why: "the add-in reaches the backend over HTTP only",
  },
  { files: ["functions/"], forbid: ["addin/"], why: "the backend does not depend on the add-in" },
  { files: ["functions/src/store/"], forbid: ["functions/src/http/"], why: "the store knows nothing of HTTP" },
  { files: ["functions/src/http/"], forbid: ["functions/src/store/"], why: "the HTTP edge reaches the store through the handlers" },
  { files: ["addin/src/api/"], forbid: ["addin/src/sync/"], why: "the HTTP client does not depend on the sync engine" },
];

const TEST_FILE = /\.test(-util)?\.tsx?$/;

function underAny(p, prefixes) {
  return prefixes.some((pre) => p === pre.replace(/\/$/, "") || p.startsWith(pre));
}

/** Reports an import whose target lies in a path the importing file's zone forbids. */
const boundaries = {
  meta: {
    type: "problem",
    docs: { description: "Imports between the repository's parts follow their allowed directions" },
    schema: [],
    messages: { forbidden: "{{file}} may not import {{target}}: {{why}}." },
  },
  create(context) {
    const file = path.relative(root, context.filename).split(path.sep).join("/");
    const isTest = TEST_FILE.test(file);
    const zones = ZONES.filter((z) => underAny(file, z.files));
    if (zones.length === 0) return {};
    function check(node) {
      const spec = node?.type === "Literal" ? node.value : undefined;
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const target = path.relative(root, path.resolve(path.dirname(context.filename), spec)).split(path.sep).join("/");
      for (const z of zones) {
        if (!underAny(target, z.forbid)) continue;
        if (isTest && z.testsMay && underAny(target, z.testsMay)) continue;
        context.report({ node, messageId: "forbidden", data: { file, target, why: z.why } });
      }
    }
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
    };
  },
};

/** Packages shared/ may not use: it runs in the browser, Excel's runtimes and Lambda alike. */
const SHARED_FORBIDDEN_PACKAGES = {
  paths: builtinModules.map((name) => ({ name, message: "shared/ runs outside Node: no Node built-ins." })),
  patterns: [
    { group: ["node:*"], message: "shared/ runs outside Node: no Node built-ins." },
    { group: ["@aws-sdk/*", "aws-sdk", "aws-cdk-lib", "aws-cdk-lib/*", "constructs"], message: "shared/ uses no AWS packages." },
    { group: ["react", "react/*", "react-dom", "react-dom/*", "@fluentui/*", "@tanstack/*"], message: "shared/ has no UI." },
    { group: ["office-*", "@microsoft/office-*", "@types/office-*", "custom-functions-*"], message: "shared/ does not call Office." },
  ],
};

export default tseslint.config(
  { ignores: ["**/node_modules/", "**/dist/", ".tsbuild/", "cdk.out*/", ".data/", "test-artifacts/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    plugins: { kam: { rules: { boundaries } } },
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    // Directives may name type-aware rules this lint does not run (it runs none, to stay fast).
    linterOptions: { reportUnusedDisableDirectives: "off" },
    rules: {
      "kam/boundaries": "error",
      // A leading underscore marks a binding kept on purpose, e.g. `const { id: _id, ...rest } = x`.
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Plain JavaScript run by Node (child processes, workers).
    files: ["**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
  {
    // Custom functions take and return Excel's `any` cells: the metadata generator reads `any` as
    // Excel's "any" type. Tests, test harnesses and benchmarks poke at JSON and SDK internals.
    files: ["addin/src/functions/**", "**/*.test.{ts,tsx}", "**/*.test-util.ts", "tests/**", "scripts/bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["shared/**"],
    rules: { "no-restricted-imports": ["error", SHARED_FORBIDDEN_PACKAGES] },
  },
);
