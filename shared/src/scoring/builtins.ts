import kaDirectorJson from "./builtins/ka-director.json" with { type: "json" };
import kaManagerJson from "./builtins/ka-manager.json" with { type: "json" };
import { messageOf } from "../errors.js";
import { parseScoringModel, type ScoringModel } from "./model.js";

/**
 * Built-in scoring models (issue 2): `ka-manager` reproduces DOMAIN §8 exactly; `ka-director`
 * scores the director KPIs of DOMAIN §8's last bullets (003 §1.2.1) with the point schemes
 * documented in its JSON. Both are validated when this module loads: a broken built-in is a
 * build defect, so it throws here rather than ever reaching a user.
 */
function load(json: unknown): ScoringModel {
  const r = parseScoringModel(json);
  if (!r.ok) throw new Error(`built-in scoring model: ${messageOf(r.error, "en")}`);
  return Object.freeze(r.value) as ScoringModel;
}

export const BUILTIN_MODELS: readonly ScoringModel[] = Object.freeze([load(kaManagerJson), load(kaDirectorJson)]);

export type BuiltinModelId = "ka-manager" | "ka-director";

/** A built-in model by id (case-insensitive), or undefined. */
export function getBuiltinModel(id: string): ScoringModel | undefined {
  const want = id.trim().toLowerCase();
  return BUILTIN_MODELS.find((m) => m.id === want);
}
