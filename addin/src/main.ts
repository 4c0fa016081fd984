/// <reference types="office-js" />
import { registerFunctions } from "./functions/register.js";

/**
 * The one page of the add-in (Taskpane.Url): the shared runtime loads it for the custom functions
 * and the pane alike (docs/platform.md). Functions register FIRST, synchronously, so `=KAM.*` cells
 * calculate as soon as the workbook opens, pane open or not; React and the pane's
 * pages load lazily afterwards. A plain browser tab is sent to preview.html before office.js
 * loads (index.html); should it get here anyway, the pane runs in preview mode.
 */
registerFunctions();

export type PaneHost = "excel" | "preview";

async function mount(host: PaneHost): Promise<void> {
  const root = document.getElementById("root");
  if (!root) return;
  const { mountTaskpane } = await import("./taskpane/index.js");
  mountTaskpane(root, { host });
}

function start(): void {
  if (typeof Office !== "undefined" && typeof Office.onReady === "function") {
    void Office.onReady((info) => mount(info.host ? "excel" : "preview"));
  } else {
    void mount("preview");
  }
}

if (typeof document !== "undefined") start();
