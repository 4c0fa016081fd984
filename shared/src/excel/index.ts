// The Excel-shaped layer shared by the add-in's custom functions and the server's /v1/eval.
export * from "./cells.js";
export * from "./encoding.js";
export * from "./lift.js";
export * from "./functions.js";
export * from "./score.js";
export * from "./store.js";
export * from "./eval.js";
export * from "./health.js";
export * from "./health-cell.js";
