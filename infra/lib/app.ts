/**
 * Building the CDK app — shared by `bin/kam.ts` and the tests, so both synthesize with the same
 * feature flags (`infra/cdk.json` "context") and the same context rules.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "aws-cdk-lib";
import { ROUTE_GROUPS, type RouteGroup } from "../../functions/src/routes.js";
import { parseKamConfig, type ConfigResult } from "./config.js";
import { REPO_ROOT } from "./kam-stack.js";

export const INFRA_DIR = path.join(REPO_ROOT, "infra");
export const CDK_JSON = path.join(INFRA_DIR, "cdk.json");
/** Where `npx tsx infra/bin/kam.ts` writes the cloud assembly (the CLI's `CDK_OUTDIR` wins). */
export const DEFAULT_OUTDIR = path.join(INFRA_DIR, "cdk.out");

/** The "context" of infra/cdk.json: CDK feature flags (the CLI also reads them from there). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(CDK_JSON, "utf8")) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export type ArgsResult = { ok: true; context: Record<string, string> } | { ok: false; problem: string };

/** `-c key=value` / `--context key=value` / `--context=key=value`, as the CDK CLI spells them. */
export function parseContextArgs(argv: readonly string[]): ArgsResult {
  const context: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    let pair: string | undefined;
    if (arg === "-c" || arg === "--context") pair = argv[++i];
    else if (arg.startsWith("--context=")) pair = arg.slice("--context=".length);
    else return { ok: false, problem: `unknown argument "${arg}" (use -c key=value)` };
    const eq = pair?.indexOf("=") ?? -1;
    if (pair === undefined || eq <= 0) return { ok: false, problem: `expected key=value after ${arg}` };
    context[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { ok: true, context };
}

/**
 * An App carrying the feature flags and the given context. When the CDK CLI runs the app, its
 * `CDK_CONTEXT_JSON` (cdk.json + `-c`) overrides these, as the CLI user expects.
 * No auto-synthesis at exit: `bin/kam.ts` synthesizes explicitly once its checks pass, so a
 * refused run writes no (empty) cloud assembly.
 */
export function createApp(context: Record<string, unknown> = {}, outdir?: string): App {
  return new App({ context: { ...cdkJsonContext(), ...context }, autoSynth: false, ...(outdir ? { outdir } : {}) });
}

export function kamConfigOf(app: App): ConfigResult {
  return parseKamConfig((key) => app.node.tryGetContext(key));
}

/** Route groups whose handler file is missing (the bundle would fail). */
export function missingHandlerFiles(repoRoot = REPO_ROOT, groups: readonly RouteGroup[] = ROUTE_GROUPS): string[] {
  return groups.map((g) => g.handlerFile).filter((f) => !fs.existsSync(path.join(repoRoot, f)));
}

export function stackNameOf(stage: string): string {
  return `Kam-${stage}`;
}
