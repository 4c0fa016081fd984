/// <reference types="office-js" />
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { ExcelWorkbook } from "../workbook/excel.js";
import { BUILD_AUTH_CONFIG } from "../auth/config.js";

/**
 * Entry of the pane: `main.ts` lazily imports this module and calls `mountTaskpane` after the
 * custom functions registered. In Excel the pages work on the Office.js adapter; in a
 * plain browser (preview mode) on an .xlsx the user opens (exceljs, loaded only then).
 */
export interface MountOptions {
  host: "excel" | "preview";
}

/**
 * API base: `?api=` wins, else the `<meta name="kam-api-base">` the local add-in server puts in
 * the page it serves (`npm start` on any ports, scripts/serve-addin.ts), else the build's
 * KAM_API_BASE (auth/config.ts), else the local stack's default (README: `npm start`).
 */
export const DEFAULT_API_BASE = "http://127.0.0.1:3001";
export const API_BASE_META = "kam-api-base";

export function mountTaskpane(root: HTMLElement, opts: MountOptions): void {
  const q = typeof location !== "undefined" ? new URLSearchParams(location.search) : new URLSearchParams();
  const served = typeof document !== "undefined" ? document.querySelector<HTMLMetaElement>(`meta[name="${API_BASE_META}"]`)?.content || undefined : undefined;
  const apiBase = (q.get("api") ?? served ?? BUILD_AUTH_CONFIG.apiBase ?? DEFAULT_API_BASE).replace(/\/$/, "");
  const excelPort = opts.host === "excel" ? new ExcelWorkbook() : undefined;
  createRoot(root).render(<App host={opts.host} excelPort={excelPort} apiBase={apiBase} />);
}
