export * from "./entities.js";
export * from "./rows.js";
export * from "./engine.js";
export * from "./template.js";
export type * from "./remote.js";
