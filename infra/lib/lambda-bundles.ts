import type { BundlingOptions } from "aws-cdk-lib/aws-lambda-nodejs";
import type { BuildOptions } from "esbuild";

/**
 * Budgets of the Lambda bundles (the minified `index.mjs` of each route group, source maps
 * aside — the asset carries none): 400 KB, 500 KB for `eval`, which carries the whole engine.
 * KB = 1000 bytes. Held by infra/lambda-bundles.test.ts (esbuild with the stack's options) and
 * printed by `npm run bench -- lambda` (the synthesised assets).
 */
export const BUNDLE_BUDGET_BYTES: Readonly<Record<string, number>> = { eval: 500_000 };
export const DEFAULT_BUNDLE_BUDGET_BYTES = 400_000;
/** Module init (import in a fresh Node process) the bench compares against. */
export const INIT_BUDGET_MS = 100;

export function bundleBudgetOf(group: string): number {
  return BUNDLE_BUDGET_BYTES[group] ?? DEFAULT_BUNDLE_BUDGET_BYTES;
}

/** The CDK bundling options this translation knows; any other option set makes it throw. */
const KNOWN = new Set([
  "minify",
  "sourceMap",
  "target",
  "format",
  "mainFields",
  "banner",
  "externalModules",
  "esbuildArgs",
  "tsconfig",
  "forceDockerBundling",
]);

/**
 * esbuild options equal to what `NodejsFunction` runs for `bundling` (aws-cdk-lib's local
 * bundling: `--bundle --platform=node`, plus the options below), for tools that bundle one
 * handler without a whole synth. Throws on a bundling option it does not translate, so a new
 * option in the stack cannot silently differ here.
 */
export function esbuildOptionsOf(bundling: BundlingOptions, entry: string, outfile: string): BuildOptions {
  const unknown = Object.entries(bundling).filter(([k, v]) => v !== undefined && !KNOWN.has(k));
  if (unknown.length) throw new Error(`esbuildOptionsOf: translate bundling option(s) ${unknown.map(([k]) => k).join(", ")}`);
  const alias: Record<string, string> = {};
  for (const [key, value] of Object.entries(bundling.esbuildArgs ?? {})) {
    if (key !== "--alias" || typeof value !== "string") throw new Error(`esbuildOptionsOf: translate esbuild argument ${key}`);
    const at = value.indexOf("=", 1);
    alias[value.slice(0, at)] = value.slice(at + 1);
  }
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    target: bundling.target ?? "node22",
    format: bundling.format === "esm" ? "esm" : "cjs",
    ...(bundling.mainFields ? { mainFields: bundling.mainFields } : {}),
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    external: bundling.externalModules ?? ["@aws-sdk/*"],
    ...(Object.keys(alias).length ? { alias } : {}),
    ...(bundling.tsconfig ? { tsconfig: bundling.tsconfig } : {}),
    logLevel: "silent",
  };
}
