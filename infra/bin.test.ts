import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./lib/kam-stack.js";
import { missingHandlerFiles } from "./lib/app.js";

const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
const BIN = path.join(REPO_ROOT, "infra", "bin", "kam.ts");

describe("bin/kam.ts", () => {
  it("refuses bad context with every problem listed and exit code 2, before synthesizing", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "kam-refused-"));
    try {
      const run = spawnSync(TSX, [BIN, "-c", "stage=Prod", "-c", "addinOrigin=http://kam.example.com"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, CDK_OUTDIR: outdir },
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('stage "Prod"');
      expect(run.stderr).toContain('addinOrigin "http://kam.example.com"');
      // Nothing was synthesized.
      expect(fs.existsSync(path.join(outdir, "manifest.json"))).toBe(false);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("refuses arguments the CDK CLI would not pass", () => {
    const run = spawnSync(TSX, [BIN, "deploy"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown argument "deploy"');
  });
});

describe("route groups and handler files", () => {
  it("every handlerFile of ROUTE_GROUPS exists (npm run synth bundles each one)", () => {
    expect(missingHandlerFiles()).toEqual([]);
  });

  it("names the files that are missing", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "kam-empty-"));
    try {
      const groups = [{ name: "me", handlerFile: "functions/src/handlers/me.ts", routes: [], tableActions: [], indexActions: [] }];
      expect(missingHandlerFiles(empty, groups)).toEqual(["functions/src/handlers/me.ts"]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
