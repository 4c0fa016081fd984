/**
 * `npm start`: the whole product on embedded defaults — no cloud account, no Docker.
 *  1. the backend (same Lambda handlers) over dynalite on http://127.0.0.1:${KAM_API_PORT:-3001},
 *     with the local dev issuer and the demo tenant seeded on first start (data in ./.data);
 *  2. the add-in (custom functions + taskpane + manifest) over HTTPS on https://localhost:3000.
 * Ctrl+C stops both.
 */
import { startLocalStack } from "../functions/local/stack.js";
import { serveAddin } from "./serve-addin.js";

const stack = await startLocalStack();
const addin = await serveAddin({ port: Number(process.env.KAM_ADDIN_PORT ?? 3000) });

console.log(`
KAM for Excel is running.
  API (local, dynalite in ${process.env.KAM_DATA_DIR ?? ".data"}):  ${stack.url}
  Dev sign-in issuer:                          ${stack.url}/dev/token
  Add-in (functions + taskpane):               ${addin.url}
  Manifest to sideload:                        ${addin.url}/manifest.xml
  Preview mode in a browser (no Excel):        ${addin.url}/index.html${stack.url === "http://127.0.0.1:3001" ? "" : `?api=${stack.url}`}
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
