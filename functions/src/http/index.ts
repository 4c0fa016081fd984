export * from "./errors.js";
export * from "./log.js";
export * from "./principal.js";
export * from "./route.js";
