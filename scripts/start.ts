/**
 * `npm start`: the whole product on embedded defaults — no cloud account, no Docker.
 *  1. the add-in (custom functions + taskpane + manifest) over HTTPS on
 *     https://localhost:${KAM_ADDIN_PORT:-3000} (0 = a free port);
 *  2. the backend (same Lambda handlers) over dynalite on http://127.0.0.1:${KAM_API_PORT:-3001},
 *     with the local dev issuer and the demo tenant seeded on first start (data in ./.data).
 * The ports work together whatever they are: the API's CORS allows the add-in's actual origin
 * (plus `KAM_ADDIN_ORIGIN` when set, e.g. a tunnel), the served manifest names the add-in's own
 * origin, and the served pages name the API's actual URL (`<meta name="kam-api-base">`).
 * Ctrl+C stops both.
 */
import { DEFAULT_ADDIN_ORIGIN, startLocalStack } from "../functions/local/stack.js";
import { serveAddin } from "./serve-addin.js";

const addin = await serveAddin({ port: Number(process.env.KAM_ADDIN_PORT ?? 3000) });
let stack: Awaited<ReturnType<typeof startLocalStack>>;
try {
  const origins = new Set([addin.url, process.env.KAM_ADDIN_ORIGIN ?? DEFAULT_ADDIN_ORIGIN]);
  stack = await startLocalStack({ allowedOrigins: [...origins] });
} catch (e) {
  await addin.stop();
  throw e;
}
addin.setApiBase(stack.url);

console.log(`
KAM for Excel is running.
  API (local, dynalite in ${process.env.KAM_DATA_DIR ?? ".data"}):  ${stack.url}
  Dev sign-in issuer:                          ${stack.url}/dev/token
  Add-in (functions + taskpane):               ${addin.url}
  Manifest to sideload:                        ${addin.url}/manifest.xml
  Preview mode in a browser (no Excel):        ${addin.url}/preview.html
See README.md for sideloading into Excel (Windows, Mac, web) and trusting the dev certificate.
Ctrl+C to stop.`);

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  Promise.allSettled([addin.stop(), stack.stop()]).then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
