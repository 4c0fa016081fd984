import kaDirectorJson from "./builtins/ka-director.json" with { type: "json" };
import kaManagerJson from "./builtins/ka-manager.json" with { type: "json" };
import type { ScoringModel } from "./model.js";

/**
 * Built-in scoring models: `ka-manager` reproduces docs/domain.md §8 exactly; `ka-director`
 * scores the director KPIs of docs/domain.md §8's last bullets with the point schemes
 * documented in its JSON.
 *
 * The JSON files are already what the schema makes of them — every default written out — so they
 * are used as they are: validating them here would load the schema library into every bundle that
 * scores with a built-in (the add-in's functions.js above all). shared/src/scoring/model.test.ts
 * proves that each one passes `parseScoringModel` unchanged; a broken built-in fails that test.
 */
export const BUILTIN_MODELS: readonly ScoringModel[] = Object.freeze([
  Object.freeze(kaManagerJson as unknown as ScoringModel),
  Object.freeze(kaDirectorJson as unknown as ScoringModel),
]);

export type BuiltinModelId = "ka-manager" | "ka-director";

/** A built-in model by id (case-insensitive), or undefined. */
export function getBuiltinModel(id: string): ScoringModel | undefined {
  const want = id.trim().toLowerCase();
  return BUILTIN_MODELS.find((m) => m.id === want);
}
