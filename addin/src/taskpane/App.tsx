import {
  FluentProvider,
  Spinner,
  Tab,
  TabList,
  Text,
  ToggleButton,
  webLightTheme,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Suspense, lazy, useCallback, useEffect, useMemo, useState, type ComponentType } from "react";
import type { Lang } from "../../../shared/src/index.js";
import { KamClient } from "../api/client.js";
import { getSession, onSessionChange, type Session } from "../api/session.js";
import type { WorkbookPort } from "../workbook/port.js";
import type { XlsxWorkbook } from "../workbook/xlsx.js";
import { Ctx, type PaneContext } from "./context.js";
import { GridSlot } from "./grid/GridSlot.js";
import { initialLang, t as translate, type StringKey } from "./i18n.js";

/** Preview mode only: the file bar (exceljs, the download warning dialog) loads lazily. */
const PreviewBar = lazy(() => import("./components/PreviewBar.js"));

const PAGES: { id: string; label: StringKey; load: () => Promise<{ default: ComponentType }> }[] = [
  { id: "signin", label: "tabSignIn", load: () => import("./pages/SignIn.js") },
  { id: "sync", label: "tabSync", load: () => import("./pages/Sync.js") },
  { id: "grade", label: "tabGrade", load: () => import("./pages/Grade.js") },
  { id: "scorecard", label: "tabScorecard", load: () => import("./pages/Scorecard.js") },
  { id: "targets", label: "tabTargets", load: () => import("./pages/Targets.js") },
  { id: "collections", label: "tabCollections", load: () => import("./pages/Collections.js") },
  { id: "handover", label: "tabHandover", load: () => import("./pages/Handover.js") },
  { id: "recycle", label: "tabRecycle", load: () => import("./pages/RecycleBin.js") },
  { id: "health", label: "tabHealth", load: () => import("./pages/Health.js") },
  { id: "map", label: "tabMap", load: () => import("./pages/RelationshipMap.js") },
  { id: "share", label: "tabShare", load: () => import("./pages/Share.js") },
];
const LAZY = Object.fromEntries(PAGES.map((p) => [p.id, lazy(p.load)]));

const useStyles = makeStyles({
  shell: { display: "flex", alignItems: "flex-start", minHeight: "100vh" },
  root: { flex: "1 1 360px", minWidth: 0, maxWidth: "100%", minHeight: "100vh", boxSizing: "border-box", padding: "8px", display: "flex", flexDirection: "column", gap: "8px", fontFamily: tokens.fontFamilyBase },
  header: { display: "flex", alignItems: "center", justifyContent: "space-between", gap: "4px" },
  bar: { display: "flex", flexWrap: "wrap", gap: "4px", alignItems: "center" },
  tabs: { flexWrap: "wrap" },
});

export interface AppProps {
  host: "excel" | "preview";
  /** Excel: the Office.js adapter; preview: none until a file is opened. */
  excelPort?: WorkbookPort;
  apiBase: string;
}

export function App({ host, excelPort, apiBase }: AppProps) {
  const styles = useStyles();
  const [lang, setLang] = useState<Lang>(initialLang());
  const [page, setPage] = useState(() => (typeof location !== "undefined" && new URLSearchParams(location.search).get("page")) || "signin");
  const [session, setSessionState] = useState<Session | undefined>(getSession());
  const [port, setPort] = useState<WorkbookPort | undefined>(excelPort);
  const [lastSync, setLastSync] = useState<string | undefined>();
  const [version, setVersion] = useState(0);
  const client = useMemo(() => new KamClient(), []);
  client.language = lang;
  useEffect(() => onSessionChange(setSessionState), []);
  // Preview mode: cached results of =KAM.* formulas use the pane's language (xlsx.ts cacheKamResults).
  useEffect(() => { if (port?.kind === "xlsx") (port as XlsxWorkbook).lang = lang; }, [port, lang]);
  const t = useCallback((k: StringKey) => translate(k, lang), [lang]);
  const ctx: PaneContext = { host, lang, t, port, touched: () => setVersion((v) => v + 1), client, session, apiBase, lastSync, setLastSync };
  const Page = LAZY[page] ?? LAZY.signin!;
  return (
    <FluentProvider theme={webLightTheme} lang={lang === "zh" ? "zh-CN" : "en-US"}>
      <Ctx.Provider value={ctx}>
        <div className={styles.shell}>
        <main className={styles.root} data-page={page} data-lang={lang}>
          <div className={styles.header}>
            <Text as="h1" weight="semibold" size={400}>{t("appTitle")}</Text>
            <div role="group" aria-label={t("language")} className={styles.bar}>
              <ToggleButton size="small" checked={lang === "zh"} onClick={() => setLang("zh")} aria-label="中文">中文</ToggleButton>
              <ToggleButton size="small" checked={lang === "en"} onClick={() => setLang("en")} aria-label="English">EN</ToggleButton>
            </div>
          </div>
          {host === "preview" && (
            <Suspense fallback={<Spinner size="tiny" />}>
              <PreviewBar port={port as XlsxWorkbook | undefined} setPort={setPort} version={version} />
            </Suspense>
          )}
          <TabList className={styles.tabs} size="small" selectedValue={page} onTabSelect={(_, d) => setPage(String(d.value))} aria-label="KAM">
            {PAGES.map((p) => (
              <Tab key={p.id} value={p.id} data-testid={`tab-${p.id}`}>{t(p.label)}</Tab>
            ))}
          </TabList>
          <Suspense fallback={<Spinner size="tiny" label={t("loading")} />}>
            <Page key={page} />
          </Suspense>
        </main>
        {host === "preview" && <GridSlot port={port} lang={lang} version={version} touched={ctx.touched} />}
        </div>
      </Ctx.Provider>
    </FluentProvider>
  );
}

