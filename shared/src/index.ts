// Public API of the KAM domain engine (DOMAIN.md). No Office, React or AWS imports below this folder.
export * from "./errors.js";
export * from "./text.js";
export * from "./money.js";
export * from "./dates.js";
export * from "./periods.js";
export * from "./labels.js";
