import { build } from "esbuild";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultProvider } from "../functions/src/lambda/credentials.js";
import { ROUTE_GROUPS } from "../functions/src/routes.js";
import { CREDENTIAL_CHAIN_PACKAGE, REPO_ROOT, lambdaBundling } from "./lib/kam-stack.js";
import { bundleBudgetOf, esbuildOptionsOf } from "./lib/lambda-bundles.js";

/**
 * Size budgets of the Lambda bundles, built by esbuild with the stack's own bundling options
 * (lambdaBundling → esbuildOptionsOf): a dependency that drags a large library into a handler
 * fails here, with the biggest inputs named. Sizes only; timings are for `npm run bench -- lambda`.
 */
describe("Lambda bundles", () => {
  let dir: string;
  const bundles = new Map<string, { bytes: number; top: string[]; inputs: string[] }>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kam-bundles-"));
    for (const group of ROUTE_GROUPS) {
      const outfile = path.join(dir, group.name, "index.mjs");
      const r = await build({ ...esbuildOptionsOf(lambdaBundling(REPO_ROOT), path.join(REPO_ROOT, group.handlerFile), outfile), metafile: true });
      const out = r.metafile.outputs[Object.keys(r.metafile.outputs).find((k) => k.endsWith("index.mjs"))!]!;
      const byPackage = new Map<string, number>();
      for (const [file, v] of Object.entries(out.inputs)) {
        const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split("/").slice(0, 3).join("/");
        byPackage.set(key, (byPackage.get(key) ?? 0) + v.bytesInOutput);
      }
      const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} KB`);
      // The files with code in the bundle (the metafile also lists files tree-shaking dropped whole).
      const inputs = Object.entries(out.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([f]) => f);
      bundles.set(group.name, { bytes: fs.statSync(outfile).size, top, inputs });
    }
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(ROUTE_GROUPS.map((g) => g.name))("%s stays within its size budget", (name) => {
    const b = bundles.get(name)!;
    const budget = bundleBudgetOf(name);
    expect(b.bytes, `${name}: ${(b.bytes / 1000).toFixed(0)} KB > ${budget / 1000} KB; biggest: ${b.top.join(", ")}`).toBeLessThanOrEqual(budget);
  });

  it("bundles zod's small entry point, none of zod's locale packs, and not the SDK's full credential chain", () => {
    for (const [name, b] of bundles) {
      expect(b.inputs.filter((f) => /node_modules\/zod\/v4\/locales\//.test(f)), name).toEqual([]);
      expect(b.inputs.some((f) => /node_modules\/zod\/v4\/mini\//.test(f)), name).toBe(true);
      expect(b.inputs.filter((f) => /node_modules\/zod\/v4\/classic\//.test(f)), name).toEqual([]);
      expect(b.inputs.filter((f) => f.includes(`node_modules/${CREDENTIAL_CHAIN_PACKAGE}/`) || f.includes("node_modules/@aws-sdk/nested-clients/")), name).toEqual([]);
      expect(b.inputs.some((f) => f.includes("node_modules/@aws-sdk/client-dynamodb/")), `${name} bundles the SDK`).toBe(true);
    }
  });

  it("carries the KAM.* signature table and implementations only in the eval bundle (the other handlers use the store parsers' neighbours without them)", () => {
    for (const [name, b] of bundles) {
      const excel = b.inputs.filter((f) => /shared\/src\/excel\/(signatures|implementations|functions|score|eval-core)\.ts$/.test(f));
      if (name === "eval") expect(excel.length, name).toBe(5);
      else expect(excel, name).toEqual([]);
    }
  });
});

describe("the Lambda credential chain (functions/src/lambda/credentials.ts)", () => {
  const saved = { ...process.env };
  afterAll(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it("reads the role's credentials from the environment, as the Lambda runtime sets them", async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_SESSION_TOKEN: "token" });
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "token" });
  });

  it("without credentials in the environment or a container endpoint it fails with a clear message", async () => {
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
      delete process.env[k];
    }
    await expect(defaultProvider()()).rejects.toThrow(/AWS_ACCESS_KEY_ID/);
  });
});
