// Scorecard scoring engine (docs/domain.md §8): models as data, built-in models, evaluation.
export * from "./model.js";
export * from "./builtins.js";
export * from "./evaluate.js";
