// Local stack entry points (for scripts/start.ts and tests).
export { startLocalStack, ensureTable, DEFAULT_API_PORT, DEFAULT_DATA_DIR, type LocalStack, type LocalStackOptions } from "./stack.js";
export { createDevIssuer, DEV_AUDIENCE, DEV_ISSUER, type DevIssuer } from "./issuer.js";
export { seedDemo, seedDemoActivity, demoAccounts, DEMO_USERS, DEMO_TENANT, DEMO_DIRECTOR } from "./seed.js";
