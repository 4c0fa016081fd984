/**
 * The documented structure of an add-in only XML manifest of an Excel add-in with custom
 * functions in a shared runtime (docs/platform.md §1), with the rules Office applies
 * to OfficeApp, VersionOverrides, Runtimes, ExtensionPoint CustomFunctions, Icon, IconUrl,
 * HighResolutionIconUrl and Resources. Each rule throws an Error naming what is wrong, so tests can
 * assert both that a manifest passes and that a broken one fails for the right reason.
 */
import { iconPng, ICON_SIZES, manifestVersion } from "../../scripts/build-addin.js";
import type { XmlElement } from "../../scripts/xml.js";

export const NS = {
  app: "http://schemas.microsoft.com/office/appforoffice/1.1",
  overrides: "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
  bt: "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
  xsi: "http://www.w3.org/2001/XMLSchema-instance",
} as const;

/** OfficeApp's children of a task pane add-in, in schema order (those this add-in uses). */
export const OFFICE_APP_ORDER = [
  "Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "HighResolutionIconUrl",
  "SupportUrl", "AppDomains", "Hosts", "Requirements", "DefaultSettings", "Permissions", "VersionOverrides",
];

/** Icon sizes: an `<Icon>` needs 16, 32 and 80 px and may add the others listed. */
const REQUIRED_ICON_SIZES = [16, 32, 80];
const ALLOWED_ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 80];
/** Task pane add-ins: IconUrl 32×32, HighResolutionIconUrl 64×64 pixels. */
const ICON_URL_SIZE = 32;
const HIGH_RES_ICON_URL_SIZE = 64;
/** Longest resid / resource id Office accepts. */
const MAX_RESID = 32;

function must(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`manifest: ${message}`);
}

export function child(el: XmlElement, local: string, attr?: [string, string]): XmlElement | undefined {
  return el.children.find((c) => c.local === local && (!attr || c.attrs[attr[0]] === attr[1]));
}

/** Follow a path of local names (first match at each step); throws when missing. */
export function at(el: XmlElement, ...path: Array<string | [string, string, string]>): XmlElement {
  let cur = el;
  for (const p of path) {
    const next = typeof p === "string" ? child(cur, p) : child(cur, p[0], [p[1], p[2]]);
    must(next, `missing <${typeof p === "string" ? p : `${p[0]} ${p[1]}="${p[2]}"`}> under <${cur.name}>`);
    cur = next;
  }
  return cur;
}

export function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}

function names(el: XmlElement): string[] {
  return el.children.map((c) => c.local);
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Width and height of a PNG (its IHDR chunk). */
export function pngSize(png: Buffer): { width: number; height: number } {
  must(png.length > 24 && png.toString("ascii", 12, 16) === "IHDR", "an icon is not a PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The icon files the build writes, by URL path (for a manifest checked without a build). */
export function builtIcon(path: string): Buffer | undefined {
  const m = /^\/assets\/icon-(\d+)\.png$/.exec(path);
  const size = m ? Number(m[1]) : NaN;
  return (ICON_SIZES as readonly number[]).includes(size) ? iconPng(size) : undefined;
}

/**
 * Check a parsed manifest for the environment whose origin is `host`, at release `version`.
 * `asset` reads a file the manifest points to by its URL path (default: the icons the build
 * writes), so icon sizes are checked on the images themselves.
 */
export function checkManifest(app: XmlElement, host: string, version: string, asset: (path: string) => Buffer | undefined = builtIcon): void {
  must(app.local === "OfficeApp" && app.uri === NS.app, `the root is <OfficeApp> in ${NS.app}`);
  must(app.attrs["xsi:type"] === "TaskPaneApp", 'OfficeApp xsi:type="TaskPaneApp"');
  must(sameList(names(app), OFFICE_APP_ORDER), `OfficeApp children in schema order: ${OFFICE_APP_ORDER.join(", ")}; got ${names(app).join(", ")}`);
  must(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(at(app, "Id").text), "Id is a GUID");
  must(at(app, "Version").text === manifestVersion(version), `Version ${manifestVersion(version)}`);
  must(at(app, "ProviderName").text.length > 0, "ProviderName");
  must(at(app, "DefaultLocale").text === "en-US", "DefaultLocale en-US");
  for (const n of ["DisplayName", "Description"]) {
    const el = at(app, n);
    must(el.attrs.DefaultValue, `${n} DefaultValue`);
    must(/[\u4e00-\u9fff]/.test(child(el, "Override", ["Locale", "zh-CN"])?.attrs.Value ?? ""), `${n} has a zh-CN Override`);
  }
  must(at(app, "DisplayName").attrs.DefaultValue!.length <= 125, "DisplayName ≤ 125 characters");
  must(at(app, "Hosts", "Host").attrs.Name === "Workbook", 'Hosts: <Host Name="Workbook">');
  must(at(app, "Requirements", "Sets", ["Set", "Name", "SharedRuntime"]).attrs.MinVersion === "1.1", 'Requirements: <Set Name="SharedRuntime" MinVersion="1.1">');
  must(at(app, "Permissions").text === "ReadWriteDocument", "Permissions ReadWriteDocument");
  must(sameList(at(app, "AppDomains").children.map((d) => d.text), [host]), `AppDomains is the add-in's origin ${host}`);
  must(at(app, "DefaultSettings", "SourceLocation").attrs.DefaultValue === `${host}/index.html`, "DefaultSettings SourceLocation is the page");
  must(at(app, "SupportUrl").attrs.DefaultValue?.startsWith(`${host}/`), "SupportUrl on the host");

  // Every URL anywhere is https and on this environment's host.
  for (const e of walk(app)) {
    for (const [k, v] of Object.entries(e.attrs)) {
      if (k === "xmlns" || k.startsWith("xmlns:") || !/^[a-z]+:\/\//i.test(v)) continue;
      must(v.startsWith("https://"), `https only: <${e.name} ${k}="${v}">`);
      must(v === host || v.startsWith(`${host}/`), `URL on ${host}: <${e.name} ${k}="${v}">`);
    }
  }

  const vo = at(app, "VersionOverrides");
  must(vo.uri === NS.overrides && vo.attrs["xsi:type"] === "VersionOverridesV1_0", "VersionOverrides V1_0 in the task pane overrides namespace");
  const voNames = names(vo);
  must(sameList(voNames, ["Hosts", "Resources"]) || sameList(voNames, ["Hosts", "Resources", "WebApplicationInfo"]), `VersionOverrides children: Hosts, Resources[, WebApplicationInfo]; got ${voNames.join(", ")}`);

  // Resources: ids unique and ≤ 32 characters, in the bt namespace.
  const res = new Map<string, XmlElement>();
  for (const group of at(vo, "Resources").children) {
    for (const r of group.children) {
      const id = r.attrs.id;
      must(r.uri === NS.bt, `<${r.name}> is in the bt namespace`);
      must(id, `<${r.name}> has an id`);
      must(!res.has(id), `resource id ${id} is unique`);
      must(id.length <= MAX_RESID, `resource id ${id} ≤ ${MAX_RESID} characters`);
      res.set(id, r);
    }
  }
  const used = new Set<string>();
  for (const e of walk(app)) {
    const r = e.attrs.resid;
    if (r === undefined) continue;
    must(r.length <= MAX_RESID, `resid ${r} ≤ ${MAX_RESID} characters`);
    must(res.has(r), `resid ${r} resolves to a resource`);
    used.add(r);
  }
  for (const id of res.keys()) must(used.has(id), `resource ${id} is used`);
  const resource = (id: string) => {
    const r = res.get(id);
    must(r, `resource ${id}`);
    return r;
  };

  // The shared runtime: Runtimes first, then the custom functions, then the desktop form factor.
  const h = at(vo, "Hosts", ["Host", "xsi:type", "Workbook"]);
  must(sameList(names(h), ["Runtimes", "AllFormFactors", "DesktopFormFactor"]), `Host children: Runtimes, AllFormFactors, DesktopFormFactor; got ${names(h).join(", ")}`);
  const runtimes = at(h, "Runtimes").children;
  must(runtimes.length === 1 && runtimes[0]!.local === "Runtime", "one <Runtime>");
  const runtime = runtimes[0]!;
  must(runtime.attrs.lifetime === "long", 'Runtime lifetime="long"');
  const page = runtime.attrs.resid!;
  must(page === "Taskpane.Url", 'Runtime resid="Taskpane.Url"');
  const cf = at(h, "AllFormFactors", ["ExtensionPoint", "xsi:type", "CustomFunctions"]);
  must(sameList(names(cf), ["Script", "Page", "Metadata", "Namespace"]), `CustomFunctions children: Script, Page, Metadata, Namespace; got ${names(cf).join(", ")}`);
  must(at(cf, "Page", "SourceLocation").attrs.resid === page, `CustomFunctions Page is the runtime's resid ${page}`);
  const desktop = at(h, "DesktopFormFactor");
  must(at(desktop, "FunctionFile").attrs.resid === page, `FunctionFile is the runtime's resid ${page}`);
  for (const n of ["Title", "Description", "LearnMoreUrl"]) at(desktop, "GetStarted", n);
  const actions = [...walk(h)].filter((e) => e.local === "Action" && e.attrs["xsi:type"] === "ShowTaskpane");
  must(actions.length > 0, "a ShowTaskpane action");
  for (const a of actions) must(at(a, "SourceLocation").attrs.resid === page, `ShowTaskpane SourceLocation is the runtime's resid ${page}`);
  must(resource(at(cf, "Namespace").attrs.resid!).attrs.DefaultValue === "KAM", "the namespace is KAM");

  // URLs per environment; functions.* versioned; the zh-CN metadata by bt:Override.
  const url = (id: string) => resource(id).attrs.DefaultValue;
  must(url(page) === `${host}/index.html`, `${page} is ${host}/index.html`);
  must(url(at(cf, "Script", "SourceLocation").attrs.resid!) === `${host}/functions.js?v=${version}`, `Script is ${host}/functions.js?v=${version}`);
  const meta = resource(at(cf, "Metadata", "SourceLocation").attrs.resid!);
  must(meta.attrs.DefaultValue === `${host}/functions.json?v=${version}`, `Metadata is ${host}/functions.json?v=${version}`);
  must(child(meta, "Override", ["Locale", "zh-CN"])?.attrs.Value === `${host}/functions-zh-cn.json?v=${version}`, `Metadata has a zh-CN bt:Override ${host}/functions-zh-cn.json?v=${version}`);
  for (const [id, r] of res) {
    if (r.local === "Url" || r.local === "Image") must(r.attrs.DefaultValue?.startsWith(`${host}/`), `${id} on ${host}`);
  }

  // Strings: limits, and zh-CN for every user-visible one.
  for (const [group, max] of [["ShortStrings", 125], ["LongStrings", 250]] as const) {
    for (const s of at(vo, "Resources", group).children) {
      must((s.attrs.DefaultValue ?? "").length <= max, `${s.attrs.id} ≤ ${max} characters`);
      if (s.attrs.id !== at(cf, "Namespace").attrs.resid) must(/[\u4e00-\u9fff]/.test(child(s, "Override", ["Locale", "zh-CN"])?.attrs.Value ?? ""), `${s.attrs.id} has a zh-CN Override`);
    }
  }

  // Icons: the sizes each <Icon> must list, and images of the stated size.
  const imageOf = (u: string | undefined, what: string) => {
    must(u, `${what} URL`);
    const png = asset(new URL(u).pathname);
    must(png, `${what}: no image at ${u}`);
    return pngSize(png);
  };
  const square = (u: string | undefined, size: number, what: string) => {
    const s = imageOf(u, what);
    must(s.width === size && s.height === size, `${what} is ${size}×${size} pixels, got ${s.width}×${s.height}`);
  };
  square(at(app, "IconUrl").attrs.DefaultValue, ICON_URL_SIZE, "IconUrl");
  square(at(app, "HighResolutionIconUrl").attrs.DefaultValue, HIGH_RES_ICON_URL_SIZE, "HighResolutionIconUrl");
  const icons = [...walk(h)].filter((e) => e.local === "Icon");
  must(icons.length > 0, "ribbon icons");
  for (const icon of icons) {
    const sizes = icon.children.map((i) => Number(i.attrs.size));
    must(REQUIRED_ICON_SIZES.every((s) => sizes.includes(s)), `an <Icon> lists sizes 16, 32, 80; got ${sizes.join(", ")}`);
    for (const img of icon.children) {
      const size = Number(img.attrs.size);
      must(img.uri === NS.bt && ALLOWED_ICON_SIZES.includes(size), `<Icon> image size ${img.attrs.size} is one of ${ALLOWED_ICON_SIZES.join(", ")}`);
      square(url(img.attrs.resid!), size, `icon ${img.attrs.resid} (size ${size})`);
    }
  }
}
