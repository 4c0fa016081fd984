/// <reference types="office-js" />
/**
 * Script of auth.html, the sign-in dialog: waits for Office.js in the dialog, then
 * runs one step of the PKCE flow (`flow.ts`) with the browser's real objects. It is a separate
 * page and bundle from the pane (nothing of React or Fluent is loaded here).
 */
import { BUILD_AUTH_CONFIG, resolveAuthConfig } from "./config.js";
import { runDialogFlow } from "./flow.js";

async function officeReady(): Promise<void> {
  if (typeof Office !== "undefined" && typeof Office.onReady === "function") await Office.onReady();
}

async function main(): Promise<void> {
  await officeReady();
  const status = document.getElementById("status");
  const result = await runDialogFlow(resolveAuthConfig(BUILD_AUTH_CONFIG, location.host), {
    url: new URL(location.href),
    storage: sessionStorage,
    fetch: (...a) => fetch(...a),
    crypto,
    navigate: (url) => location.assign(url),
    messageParent: (m) => Office.context.ui.messageParent(m),
    now: () => Date.now(),
  });
  if (status && result !== "redirected") status.textContent = "token" in result ? "✓" : result.message;
}

void main();
