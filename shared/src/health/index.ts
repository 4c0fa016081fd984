// Account health 0–100 and relationship status R/A/G (model as data, engine, explanation).
export * from "./model.js";
export * from "./health.js";
export * from "./relationship.js";
