// zod schemas for every stored entity and API envelope — the one source of validation for the
// add-in and the backend.
export * from "./common.js";
export * from "./validation.js";
export * from "./account.js";
export * from "./user.js";
export * from "./target.js";
export * from "./contract.js";
export * from "./visit.js";
export * from "./api.js";
export * from "./merge.js";
export * from "./scoring.js";
export * from "./changes.js";
export * from "./team.js";
export * from "./health.js";
