import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../infra/lib/kam-stack.js";

/**
 * The synthesised cloud assembly, read the way CloudFormation and the CDK CLI read it: the
 * template's resources, and each function's bundle located through the asset manifest
 * (`Code.S3Key` → `asset.<hash>/`).
 */
export type Json = any;
export interface Resource {
  Type: string;
  Properties?: Json;
  Metadata?: Json;
}

export interface Assembly {
  dir: string;
  stackName: string;
  template: { Resources: Record<string, Resource>; Outputs?: Record<string, { Value: Json }> };
  /** S3 object key of a file asset → its folder in the assembly. */
  assetDirs: Map<string, string>;
}

const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
const BIN = path.join(REPO_ROOT, "infra", "bin", "kam.ts");

/** `npm run synth` (infra/bin/kam.ts, esbuild bundling, no Docker) into `outdir`. */
export async function synthesise(outdir: string, context: Record<string, string> = {}): Promise<Assembly> {
  const args = [BIN, ...Object.entries(context).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const child = spawn(TSX, args, { cwd: REPO_ROOT, env: { ...process.env, CDK_OUTDIR: outdir }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) throw new Error(`synth failed (${code}):\n${output}`);
  return readAssembly(outdir);
}

/** A cloud assembly already on disk (one stack): its template and where each file asset is. */
export function readAssembly(outdir: string): Assembly {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === "aws:cloudformation:stack");
  if (stacks.length !== 1) throw new Error(`expected one stack in the assembly, found ${stacks.length}`);
  const [stackName, stack] = stacks[0]!;
  const template = JSON.parse(fs.readFileSync(path.join(outdir, stack.properties!.templateFile!), "utf8"));
  const assets = JSON.parse(fs.readFileSync(path.join(outdir, `${stackName}.assets.json`), "utf8")) as {
    files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
  };
  const assetDirs = new Map<string, string>();
  for (const file of Object.values(assets.files)) {
    for (const dest of Object.values(file.destinations)) assetDirs.set(dest.objectKey, path.join(outdir, file.source.path));
  }
  return { dir: outdir, stackName, template, assetDirs };
}

export function resourcesOfType(a: Assembly, type: string): [string, Resource][] {
  return Object.entries(a.template.Resources).filter(([, r]) => r.Type === type);
}

export function single(a: Assembly, type: string): [string, Resource] {
  const found = resourcesOfType(a, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/**
 * What the deployed stack's intrinsics evaluate to: `Ref` and `Fn::GetAtt` of the resources we
 * stand up (given by the caller), pseudo parameters, `Fn::Join`, `Fn::Sub` without variables map.
 * Anything else throws, so a template change that the test cannot follow is seen.
 */
export type Resolver = (value: Json) => Json;

export function resolverOf(refs: Record<string, string>, atts: Record<string, string>, pseudo: Record<string, string>): Resolver {
  const resolve: Resolver = (v) => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== "object") return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const [k] = keys as [string];
      const arg = v[k];
      if (k === "Ref") {
        const out = refs[arg] ?? pseudo[arg];
        if (out === undefined) throw new Error(`unresolved Ref ${arg}`);
        return out;
      }
      if (k === "Fn::GetAtt") {
        const name = Array.isArray(arg) ? arg.join(".") : String(arg);
        const out = atts[name];
        if (out === undefined) throw new Error(`unresolved Fn::GetAtt ${name}`);
        return out;
      }
      if (k === "Fn::Join") return (resolve(arg[1]) as unknown[]).join(arg[0]);
      if (k === "Fn::Sub" && typeof arg === "string") {
        return arg.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
          const parts = name.split(".");
          return parts.length === 2 ? resolve({ "Fn::GetAtt": parts }) : resolve({ Ref: name });
        });
      }
      if (k.startsWith("Fn::")) throw new Error(`intrinsic ${k} not understood by the test`);
    }
    return Object.fromEntries(Object.entries(v).map(([key, val]) => [key, resolve(val)]));
  };
  return resolve;
}
