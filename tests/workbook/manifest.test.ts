/**
 * Structural test of manifest.xml (OFFICE.md: `office-addin-manifest validate` needs Microsoft's
 * online service and no XSD is public): it parses, the shared-runtime parts are in the required
 * order, every resid resolves, Taskpane.Url is the one page everywhere, strings exist in en-US and
 * zh-CN, functions.json is versioned, and the production manifest swaps every URL.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEV_HOST, manifestVersion, productionManifest, ROOT } from "../../scripts/build-addin.js";
import { at, child, parseXml, walk, type XmlElement } from "./xml.js";

const xml = readFileSync(join(ROOT, "manifest.xml"), "utf8");
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

function names(el: XmlElement): string[] {
  return el.children.map((c) => c.name);
}

function resources(app: XmlElement): Map<string, XmlElement> {
  const res = at(app, "VersionOverrides", "Resources");
  const out = new Map<string, XmlElement>();
  for (const group of res.children) for (const r of group.children) out.set(r.attrs.id!, r);
  return out;
}

function checkStructure(text: string, host: string): void {
  const app = parseXml(text);
  expect(app.name).toBe("OfficeApp");
  expect(app.attrs["xsi:type"]).toBe("TaskPaneApp");
  // OfficeApp children in schema order
  expect(names(app)).toEqual([
    "Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "HighResolutionIconUrl",
    "SupportUrl", "AppDomains", "Hosts", "Requirements", "DefaultSettings", "Permissions", "VersionOverrides",
  ]);
  expect(at(app, "Id").text).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(at(app, "Version").text).toBe(manifestVersion(version));
  expect(at(app, "DefaultLocale").text).toBe("en-US");
  for (const n of ["DisplayName", "Description"]) expect(child(at(app, n), "Override", ["Locale", "zh-CN"])?.attrs.Value).toMatch(/[\u4e00-\u9fff]/);
  expect(at(app, "Requirements", "Sets", ["Set", "Name", "SharedRuntime"]).attrs.MinVersion).toBe("1.1");

  const h = at(app, "VersionOverrides", "Hosts", ["Host", "xsi:type", "Workbook"]);
  // OFFICE.md: Runtimes first, then AllFormFactors (custom functions), then DesktopFormFactor
  expect(names(h)).toEqual(["Runtimes", "AllFormFactors", "DesktopFormFactor"]);
  expect(at(h, "Runtimes", "Runtime").attrs).toEqual({ resid: "Taskpane.Url", lifetime: "long" });
  const cf = at(h, "AllFormFactors", ["ExtensionPoint", "xsi:type", "CustomFunctions"]);
  expect(names(cf)).toEqual(["Script", "Page", "Metadata", "Namespace"]);
  expect(at(cf, "Page", "SourceLocation").attrs.resid).toBe("Taskpane.Url");
  expect(at(h, "DesktopFormFactor", "FunctionFile").attrs.resid).toBe("Taskpane.Url");
  const action = [...walk(h)].find((e) => e.name === "Action" && e.attrs["xsi:type"] === "ShowTaskpane")!;
  expect(at(action, "SourceLocation").attrs.resid).toBe("Taskpane.Url");

  const res = resources(app);
  // every resid resolves, and every resource is used
  const used = new Set<string>();
  for (const e of walk(app)) if (e.attrs.resid) used.add(e.attrs.resid);
  for (const r of used) expect(res.has(r), `resource ${r}`).toBe(true);
  for (const id of res.keys()) expect(used.has(id), `unused resource ${id}`).toBe(true);
  expect(res.get(at(cf, "Namespace").attrs.resid!)!.attrs.DefaultValue).toBe("KAM");

  const url = (id: string) => res.get(id)!.attrs.DefaultValue!;
  expect(url("Taskpane.Url")).toBe(`${host}/index.html`);
  expect(at(app, "DefaultSettings", "SourceLocation").attrs.DefaultValue).toBe(`${host}/index.html`);
  expect(url("Functions.Metadata.Url")).toBe(`${host}/functions.json?v=${version}`);
  expect(child(res.get("Functions.Metadata.Url")!, "bt:Override", ["Locale", "zh-CN"])?.attrs.Value).toBe(`${host}/functions-zh-cn.json?v=${version}`);
  expect(url("Functions.Script.Url")).toBe(`${host}/functions.js?v=${version}`);
  for (const [id, r] of res) {
    if (r.name === "bt:Image" || r.name === "bt:Url") expect(r.attrs.DefaultValue!.startsWith(`${host}/`), id).toBe(true);
    if (r.name === "bt:String" && id !== "Functions.Namespace") {
      expect(child(r, "bt:Override", ["Locale", "zh-CN"])?.attrs.Value, `${id} zh-CN`).toMatch(/[\u4e00-\u9fff]/);
    }
  }
  // manifest limits: short strings ≤ 125, long strings ≤ 250 characters
  for (const s of at(app, "VersionOverrides", "Resources", "bt:ShortStrings").children) expect(s.attrs.DefaultValue!.length).toBeLessThanOrEqual(125);
  for (const s of at(app, "VersionOverrides", "Resources", "bt:LongStrings").children) expect(s.attrs.DefaultValue!.length).toBeLessThanOrEqual(250);
  for (const e of walk(app)) {
    for (const [k, v] of Object.entries(e.attrs)) if (!k.startsWith("xmlns") && /^https?:\/\//.test(v)) expect(v.startsWith(host), v).toBe(true);
  }
}

describe("manifest.xml", () => {
  it("has the shared-runtime structure with dev URLs on https://localhost:3000", () => {
    checkStructure(xml, DEV_HOST);
  });

  it("the production manifest has the same structure with every URL on the given host", () => {
    const prod = productionManifest(xml, "https://kam.example.cn/", version);
    expect(prod).not.toContain(DEV_HOST);
    checkStructure(prod, "https://kam.example.cn");
  });

  it("with a client id, the production manifest declares WebApplicationInfo for Office SSO", () => {
    const id = "0f1e2d3c-4b5a-6978-8a9b-acbdcedf0102";
    const prod = productionManifest(xml, "https://kam.example.cn", version, id);
    checkStructure(prod, "https://kam.example.cn");
    const root = parseXml(prod);
    const vo = root.children.find((c) => c.name === "VersionOverrides")!;
    // Microsoft's SSO docs: WebApplicationInfo is the last child of VersionOverrides.
    const last = vo.children[vo.children.length - 1]!;
    expect(last.name).toBe("WebApplicationInfo");
    expect(prod).toContain(`<Id>${id}</Id>`);
    expect(prod).toContain(`<Resource>api://kam.example.cn/${id}</Resource>`);
    expect(productionManifest(xml, "https://kam.example.cn", version)).not.toContain("WebApplicationInfo");
    expect(() => productionManifest(xml, "https://kam.example.cn", version, "not-a-guid")).toThrow(/GUID/);
  });

  it("rejects a host that is not https", () => {
    expect(() => productionManifest(xml, "http://kam.example.cn", version)).toThrow(/https/);
  });

  it("the reader rejects malformed XML", () => {
    expect(() => parseXml("<a><b></a></b>")).toThrow();
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow();
  });
});
