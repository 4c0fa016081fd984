// Scoring models (docs/domain.md §8) are defined by the engine in ../scoring/model.ts; they are
// re-exported here so every stored entity's schema can be imported from one place.
export {
  ScoringModelSchema,
  ScoringItemSchema,
  ScoringInputSchema,
  TierCutoffsSchema,
  parseScoringModel,
  type ScoringModel,
  type ScoringModelInput,
  type ScoringInput,
  type ScoringItem,
  type ScoringItemKind,
} from "../scoring/model.js";
