/**
 * `npm run api`: the backend alone on 127.0.0.1:${KAM_API_PORT:-3001} over dynalite (./.data,
 * KAM_DATA_DIR overrides), demo tenant loaded on first start.
 */
import { startLocalStack } from "./stack.js";

const stack = await startLocalStack();
console.log(JSON.stringify({ level: "info", msg: "KAM API listening", url: stack.url, devIssuer: `${stack.url}/dev/token` }));
const shutdown = () => {
  stack.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
