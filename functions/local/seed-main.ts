/**
 * `npm run seed`: load the demo tenant into the local store (./.data, KAM_DATA_DIR overrides).
 * Idempotent — items that already exist are left as they are.
 */
import { seedDemo } from "./seed.js";
import { startLocalStack } from "./stack.js";

const stack = await startLocalStack({ port: 0, seed: false });
try {
  const summary = await seedDemo(stack.store);
  console.log(JSON.stringify({ level: "info", msg: "demo tenant seeded", ...summary }));
} finally {
  await stack.stop();
}
