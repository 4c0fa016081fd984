export * from "./errors.js";
export * from "./principal.js";
export * from "./request.js";
export * from "./respond.js";
export * from "./serve.js";
export * from "./validate.js";
