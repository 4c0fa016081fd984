/**
 * The KAM.* signatures are frozen: every function's id, name, and its parameters' names, order and
 * optionality, as the build writes them into functions.json and functions-zh-cn.json, must equal
 * the table below. Workbooks in use hold formulas by position, so a parameter added, moved,
 * renamed or made required breaks them: such a change must fail here and be made on purpose
 * (with the table updated and the change announced), never by accident.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAddin, type FunctionsMetadata } from "../../scripts/build-addin.js";

/** [id, name, parameters in order; "?" marks an optional one]. Written by hand: do not regenerate. */
const FROZEN: readonly (readonly [string, string, readonly string[]])[] = [
  ["SCORE", "SCORE", ["values", "headers?", "model?", "lang?"]],
  ["SCORE.ITEMS", "SCORE.ITEMS", ["values", "headers?", "model?", "showHeaders?", "lang?"]],
  ["VALUE", "VALUE", ["factors", "weights?", "lang?"]],
  ["GRADE", "GRADE", ["factors", "weights?", "cutoffs?", "lang?"]],
  ["URGENCY", "URGENCY", ["signals", "grades?", "lang?"]],
  ["CLASS", "CLASS", ["cumulativeSales", "largestContract", "paymentAttitude", "closedReferrals", "isGroup?", "isStrategic?", "isParetoA?", "lang?"]],
  ["ABC", "ABC", ["value", "allValues", "lang?"]],
  ["TIER", "TIER", ["completion", "cutoffs?", "lang?"]],
  ["COMPLETION", "COMPLETION", ["actual", "plan", "lang?"]],
  ["COLLECTIONRATE", "COLLECTIONRATE", ["collected", "due", "lang?"]],
  ["CHURN", "CHURN", ["lost", "atStart", "lang?"]],
  ["DEVELOPMENT", "DEVELOPMENT", ["newAccounts", "planned", "lang?"]],
  ["SETTLEMENT", "SETTLEMENT", ["settled", "planned", "lang?"]],
  ["EXPENSECONTROL", "EXPENSECONTROL", ["actual", "budget", "lang?"]],
  ["VISITS", "VISITS", ["accountClass", "role", "months", "scheme?", "lang?"]],
  ["COLLECTION", "COLLECTION", ["scope", "period", "measure?", "lang?"]],
  ["TARGET", "TARGET", ["owner", "period", "level?", "lang?"]],
  ["ACCOUNT", "ACCOUNT", ["account", "field", "lang?"]],
  ["HEALTH", "HEALTH", ["account", "part?", "lang?"]],
  ["ARCHIVE", "ARCHIVE", ["account", "lang?"]],
];

let dist: string;

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), "kam-signatures-"));
  await buildAddin({ dist, metadataOnly: true, host: "https://kam.example.cn", clientId: "0f1e2d3c-4b5a-6978-8a9b-acbdcedf0102", log: () => {} });
}, 60_000);

afterAll(async () => {
  if (dist) await rm(dist, { recursive: true, force: true });
});

function signatures(m: FunctionsMetadata): [string, string, string[]][] {
  return m.functions.map((f) => [f.id, f.name, f.parameters.map((p) => `${p.name}${p.optional ? "?" : ""}`)]);
}

describe("frozen KAM.* signatures", () => {
  for (const name of ["functions.json", "functions-zh-cn.json"]) {
    it(`${name}: every function's id, name, parameters and their order equal the frozen table`, async () => {
      const m = JSON.parse(await readFile(join(dist, "addin", name), "utf8")) as FunctionsMetadata;
      const built = signatures(m);
      // Function by function first, so a failure names the function that changed.
      for (const [id, fname, params] of FROZEN) {
        const f = built.find((b) => b[0] === id);
        expect(f, `KAM.${id} is missing from ${name}`).toBeDefined();
        expect(f, `KAM.${id} changed its signature in ${name}`).toEqual([id, fname, [...params]]);
      }
      // Then nothing added, and the order of the list itself.
      expect(built.map((b) => b[0]), `functions added or reordered in ${name}`).toEqual(FROZEN.map((f) => f[0]));
      // Optional parameters only after the required ones (Excel's rule; lang is always last and optional).
      for (const [id, , params] of built) {
        const firstOptional = params.findIndex((p) => p.endsWith("?"));
        if (firstOptional >= 0) expect(params.slice(firstOptional).every((p) => p.endsWith("?")), id).toBe(true);
        expect(params.at(-1), id).toBe("lang?");
      }
    });
  }
});
