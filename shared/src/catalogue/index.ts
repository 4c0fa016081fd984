// The field catalogue and the cell grammar: the one place where headers and values are recognised.
export * from "./grammar.js";
export * from "./fields.js";
export * from "./headers.js";
export * from "./totals.js";
export * from "./docs.js";
export * from "./table.js";
