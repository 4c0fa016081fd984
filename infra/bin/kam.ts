/**
 * The KAM CDK app. Synthesizes offline — no AWS account, network or Docker needed:
 *
 *   npx tsx infra/bin/kam.ts [-c stage=prod] [-c tenantId=<GUID> -c audience=<client id>] [-c addinOrigin=https://…]
 *
 * writes the cloud assembly to infra/cdk.out (or the CLI's CDK_OUTDIR) and prints the template
 * path. Deploy it with `npx aws-cdk@2 deploy --app infra/cdk.out` (see infra/README.md).
 * Functions are bundled with the local esbuild (minified, no source maps; see lambdaBundling).
 */
import * as path from "node:path";
import { REPO_ROOT, KamStack } from "../lib/kam-stack.js";
import {
  DEFAULT_OUTDIR,
  createApp,
  kamConfigOf,
  missingHandlerFiles,
  parseContextArgs,
  stackNameOf,
} from "../lib/app.js";

/** Relative to the working directory when below it, else absolute. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel === "" ? "." : rel.startsWith("..") ? p : rel;
}

function main(argv: readonly string[]): number {
  const args = parseContextArgs(argv);
  if (!args.ok) {
    console.error(`kam synth: ${args.problem}`);
    return 2;
  }
  const outdir = process.env.CDK_OUTDIR ?? DEFAULT_OUTDIR;
  const app = createApp(args.context, outdir);
  const config = kamConfigOf(app);
  if (!config.ok) {
    console.error("kam synth: invalid context:\n" + config.problems.map((p) => `  - ${p}`).join("\n"));
    return 2;
  }
  const missing = missingHandlerFiles();
  if (missing.length) {
    console.error("kam synth: handler files missing (functions/src/routes.ts names them):\n" + missing.map((m) => `  - ${m}`).join("\n"));
    return 1;
  }

  const stackName = stackNameOf(config.config.stage);
  new KamStack(app, stackName, {
    stackName,
    description: `KAM for Excel — API, table and add-in hosting (${config.config.stage})`,
    config: config.config,
    functionCode: { kind: "esbuild", repoRoot: REPO_ROOT },
  });
  const assembly = app.synth();
  const stack = assembly.getStackByName(stackName);

  for (const message of stack.messages) {
    if (message.level === "error" || message.level === "warning") {
      console.error(`${message.level}: ${message.id}: ${String(message.entry.data)}`);
    }
  }
  if (stack.messages.some((m) => m.level === "error")) return 1;

  console.log(`synthesized ${stackName} → ${shown(stack.templateFullPath)}`);
  if (!config.config.entra) {
    console.log("issuer/audience not set: pass --parameters EntraTenantId=<GUID> --parameters EntraAudience=<client id> at deploy");
  }
  console.log(`deploy: npx aws-cdk@2 deploy --app ${shown(assembly.directory)}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
