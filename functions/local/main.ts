/**
 * `npm run api`: the backend alone on 127.0.0.1:${KAM_API_PORT:-3001} over dynalite (./.data,
 * KAM_DATA_DIR overrides), demo tenant loaded on first start.
 * KAM_API_PORT=0 picks a free port (the listening line says which); KAM_IN_MEMORY=1 keeps the
 * store in memory; KAM_SEED=0 starts without the demo tenant (benchmarks).
 */
import { startLocalStack } from "./stack.js";

const stack = await startLocalStack({
  ...(process.env.KAM_IN_MEMORY === "1" ? { inMemory: true } : {}),
  ...(process.env.KAM_SEED === "0" ? { seed: false } : {}),
});
console.log(JSON.stringify({ level: "info", msg: "KAM API listening", url: stack.url, devIssuer: `${stack.url}/dev/token` }));
const shutdown = () => {
  stack.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
// Started by a parent over IPC (the benchmarks): leave with it.
process.on("disconnect", shutdown);
