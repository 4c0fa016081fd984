import { createContext, useContext } from "react";
import type { Lang } from "../../../shared/src/errors.js";
import type { KamClient } from "../api/client.js";
import type { Session } from "../api/session.js";
import type { WorkbookPort } from "../workbook/port.js";
import type { StringKey } from "./i18n.js";

export interface PaneContext {
  host: "excel" | "preview";
  lang: Lang;
  t: (k: StringKey) => string;
  /** The workbook (Excel, or the .xlsx opened in preview mode); undefined until one is open. */
  port: WorkbookPort | undefined;
  /** Bump after writing so previews (charts) refresh. */
  touched: () => void;
  client: KamClient;
  session: Session | undefined;
  apiBase: string;
  lastSync: string | undefined;
  setLastSync: (s: string) => void;
}

export const Ctx = createContext<PaneContext | undefined>(undefined);

export function usePane(): PaneContext {
  const c = useContext(Ctx);
  if (!c) throw new Error("pane context missing");
  return c;
}

/** Roles of the session (role ids of docs/domain.md §1, lower case). */
export function rolesOf(s: Session | undefined): string[] {
  return (s?.user?.roles ?? []).map((r) => r.toLowerCase());
}
