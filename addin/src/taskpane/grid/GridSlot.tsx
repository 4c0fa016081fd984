import { Spinner } from "@fluentui/react-components";
import { Suspense, lazy, useEffect, useState } from "react";
import type { WorkbookPort } from "../../workbook/port.js";
import type { XlsxWorkbook } from "../../workbook/xlsx.js";

/**
 * Preview mode, wide screen: the sheet grid next to the pane. This file stays tiny (it is in the
 * pane's first bundle); the grid and its virtualiser load only once a workbook is open on a
 * screen at least WIDE_MIN_PX wide.
 */
export const WIDE_MIN_PX = 1000;
const SheetGrid = lazy(() => import("./SheetGrid.js"));

const SLOT = { flex: "1000 1 560px", minWidth: 0, height: "100vh", position: "sticky", top: 0, boxSizing: "border-box", padding: "8px 8px 8px 0" } as const;

/** True while the window is at least `px` wide. */
export function useWide(px: number = WIDE_MIN_PX): boolean {
  const query = `(min-width: ${px}px)`;
  const [wide, setWide] = useState(() => typeof matchMedia === "function" && matchMedia(query).matches);
  useEffect(() => {
    if (typeof matchMedia !== "function") return;
    const m = matchMedia(query);
    const on = () => setWide(m.matches);
    on();
    m.addEventListener("change", on);
    return () => m.removeEventListener("change", on);
  }, [query]);
  return wide;
}

export function GridSlot({ port, lang, version, touched }: { port: WorkbookPort | undefined; lang: "zh" | "en"; version: number; touched: () => void }) {
  const wide = useWide();
  if (!wide || port?.kind !== "xlsx") return null;
  return (
    <div style={SLOT}>
      <Suspense fallback={<Spinner size="tiny" />}>
        <SheetGrid port={port as XlsxWorkbook} lang={lang} version={version} touched={touched} />
      </Suspense>
    </div>
  );
}
